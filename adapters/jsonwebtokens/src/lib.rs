//! jwt-conformance adapter for [`jsonwebtokens`](https://docs.rs/jsonwebtokens) (with an
//! s; Robert Bragg's crate, not `jsonwebtoken`). It parses tokens and checks claims with
//! its own code and verifies signatures with ring: HS256/384/512, RS256/384/512,
//! PS256/384/512, ES256 and ES384. It has no ES512 and no EdDSA.
//!
//! What it maps. The README's way: one `Algorithm` per key (the key decoded once, bound
//! to one algorithm) and one `Verifier` built from the claim requirements, then
//! `verifier.verify_for_time(token, &algorithm, now)` with the injected time (or
//! `verifier.verify(token, &algorithm)` on the system clock). At `prepare` each trusted
//! JWK becomes an `Algorithm` per allowed algorithm of its type: `new_hmac` with the
//! secret's bytes, `new_rsa_n_e_b64_verifier` with the JWK's `n` and `e` (the
//! constructor the crate documents for JWKS key sets), `new_ecdsa_pem_verifier` with the
//! key as SPKI PEM (the crate reads no EC JWK). `Algorithm::set_kid`, an opt-in that
//! makes the library demand the key's `kid` in every token, is not used: a token without
//! `kid` gets the only trusted key, as in every adapter, and RFC 7515 makes `kid`
//! optional. At `verify` the adapter reads
//! the header with `raw::decode_header_only`, takes the key its `kid` names (or the only
//! trusted key) and among that key's `Algorithm`s the one of the header's `alg`, else
//! the first one, so that jsonwebtokens itself refuses an `alg` the policy does not
//! allow (`AlgorithmMismatch`). The `Verifier` gets the issuer (`issuer`, which also
//! requires `iss`), the audience (`audience`, which also requires `aud`) and the leeway;
//! `exp`, `nbf` and `iat` are checked by default when present.
//!
//! What it cannot express, and why. jsonwebtokens has no `typ` check, takes one
//! audience (`audience` is a claim requirement keyed by the claim name, so a second call
//! replaces the first), and can require a claim only by checking its value: `iss` and
//! `aud` are required through the expected issuer and audience, and no other claim can
//! be required. A policy with a `typ`, several audiences, or a required claim other
//! than `exp` (or `iss`/`aud` without a value to check) is unsupported. The required
//! `exp`, which every policy has, is left to the library, which checks `exp` only when
//! present, and the cases without one show it. With no audience in the policy a token's
//! `aud` is not looked at. The JWK's `alg`, `use` and `key_ops` never reach the library,
//! which has no JWK support. The adapter never checks a claim itself.

use jsonwebtokens::error::Error;
use jsonwebtokens::{raw, Algorithm, AlgorithmID, Verifier as ClaimVerifier};
use jwt_conformance::{
    Adapter, AdapterInfo, Alg, Clock, Jwk, Policy, RejectKind, Verdict, Verifier,
};
use serde_json::Value;

/// The version of jsonwebtokens this adapter is built against (checked against
/// Cargo.lock by a test; the crate exposes no version of its own).
pub const LIBRARY_VERSION: &str = "1.2.0";

/// The expected-failures manifest: jsonwebtokens' known deviations from the RFCs.
pub const MANIFEST: &str = include_str!("../expected-failures.toml");

jwt_conformance::adapter_crate_test!("jsonwebtokens", LIBRARY_VERSION, MANIFEST);

/// The jsonwebtokens adapter.
#[derive(Clone, Copy, Debug, Default)]
pub struct JsonwebtokensAdapter;

/// The library's identifier of an algorithm it has.
fn algorithm_id(alg: Alg) -> Option<AlgorithmID> {
    Some(match alg {
        Alg::HS256 => AlgorithmID::HS256,
        Alg::HS384 => AlgorithmID::HS384,
        Alg::HS512 => AlgorithmID::HS512,
        Alg::RS256 => AlgorithmID::RS256,
        Alg::RS384 => AlgorithmID::RS384,
        Alg::RS512 => AlgorithmID::RS512,
        Alg::PS256 => AlgorithmID::PS256,
        Alg::PS384 => AlgorithmID::PS384,
        Alg::PS512 => AlgorithmID::PS512,
        Alg::ES256 => AlgorithmID::ES256,
        Alg::ES384 => AlgorithmID::ES384,
        Alg::ES512 | Alg::EdDSA => return None,
    })
}

/// Whether `alg` is one a key of this JWK's type is used with.
fn fits(alg: Alg, jwk: &Jwk) -> bool {
    match jwk.kty.as_str() {
        "oct" => matches!(alg, Alg::HS256 | Alg::HS384 | Alg::HS512),
        "RSA" => matches!(
            alg,
            Alg::RS256 | Alg::RS384 | Alg::RS512 | Alg::PS256 | Alg::PS384 | Alg::PS512
        ),
        "EC" => matches!(alg, Alg::ES256 | Alg::ES384),
        _ => false,
    }
}

/// An `Algorithm`, or why the library (or, for an EC key, the conversion to PEM) would
/// not build one from the JWK.
type Loaded = Result<Algorithm, String>;

/// The `Algorithm` for `alg` made from `jwk`.
fn algorithm_for(id: AlgorithmID, jwk: &Jwk) -> Loaded {
    let refused = |e: Error| format!("jsonwebtokens refuses the key: {e}");
    let missing = |name: &str| format!("{} JWK has no `{name}`", jwk.kty);
    Ok(match jwk.kty.as_str() {
        "oct" => {
            let secret = jwk.hmac_secret().map_err(|e| e.to_string())?;
            Algorithm::new_hmac(id, secret).map_err(refused)?
        }
        "RSA" => {
            let n = jwk.n.as_deref().ok_or_else(|| missing("n"))?;
            let e = jwk.e.as_deref().ok_or_else(|| missing("e"))?;
            Algorithm::new_rsa_n_e_b64_verifier(id, n, e).map_err(refused)?
        }
        "EC" => {
            let pem = jwk.public_key_pem().map_err(|e| e.to_string())?;
            Algorithm::new_ecdsa_pem_verifier(id, pem.as_bytes()).map_err(refused)?
        }
        kty => return Err(format!("jsonwebtokens has no key of type {kty:?}")),
    })
}

impl Adapter for JsonwebtokensAdapter {
    fn info(&self) -> AdapterInfo {
        AdapterInfo::new(
            "jsonwebtokens",
            LIBRARY_VERSION,
            Alg::ALL
                .into_iter()
                .filter(|a| algorithm_id(*a).is_some())
                .collect(),
            Clock::Injectable,
        )
    }

    fn prepare(&self, policy: &Policy) -> Result<Box<dyn Verifier>, Verdict> {
        policy.without_profile("jsonwebtokens")?;
        if policy.typ.is_some() {
            return Err(Verdict::unsupported("jsonwebtokens has no `typ` check"));
        }
        if policy.audience.len() > 1 {
            return Err(Verdict::unsupported(
                "jsonwebtokens' Verifier takes one audience",
            ));
        }
        for claim in &policy.required_claims {
            let expressed = match claim.as_str() {
                "exp" => true,
                "iss" => policy.issuer.is_some(),
                "aud" => !policy.audience.is_empty(),
                _ => false,
            };
            if !expressed {
                return Err(Verdict::unsupported(format!(
                    "jsonwebtokens cannot require {claim:?} without a value to check"
                )));
            }
        }
        let leeway = u32::try_from(policy.leeway)
            .map_err(|_| Verdict::unsupported("leeway beyond u32 seconds"))?;
        let now = match policy.now {
            Some(now) => Some(
                u64::try_from(now)
                    .map_err(|_| Verdict::unsupported("a time before 1970 as now"))?,
            ),
            None => None,
        };
        let mut builder = ClaimVerifier::create();
        builder.leeway(leeway);
        if let Some(issuer) = &policy.issuer {
            builder.issuer(issuer);
        }
        if let Some(audience) = policy.audience.first() {
            builder.audience(audience);
        }
        let claims = builder
            .build()
            .map_err(|e| Verdict::unsupported(format!("jsonwebtokens: {e}")))?;
        let keys = policy
            .keys
            .keys
            .iter()
            .map(|jwk| {
                let algorithms = policy
                    .algorithms
                    .iter()
                    .filter(|alg| fits(**alg, jwk))
                    .filter_map(|alg| algorithm_id(*alg))
                    .map(|id| (id, algorithm_for(id, jwk)))
                    .collect();
                (jwk.kid.clone(), algorithms)
            })
            .collect();
        Ok(Box::new(JsonwebtokensVerifier { keys, claims, now }))
    }
}

/// A trusted JWK's `kid` and its `Algorithm`s.
type TrustedKey = (Option<String>, Vec<(AlgorithmID, Loaded)>);

/// A prepared verifier: `Algorithm`s by `kid`, the claim requirements and the time.
pub struct JsonwebtokensVerifier {
    keys: Vec<TrustedKey>,
    claims: ClaimVerifier,
    now: Option<u64>,
}

impl Verifier for JsonwebtokensVerifier {
    fn verify(&self, token: &str) -> Verdict {
        let header = match raw::decode_header_only(token) {
            Ok(h) => h,
            Err(e) => return rejection(&e),
        };
        // The kid selects the key; jsonwebtokens itself refuses a kid that is not a
        // string.
        let kid = header.get("kid").and_then(Value::as_str);
        let found = match kid {
            Some(kid) => self.keys.iter().find(|(k, _)| k.as_deref() == Some(kid)),
            None if self.keys.len() == 1 => self.keys.first(),
            None => None,
        };
        let Some((_, algorithms)) = found else {
            return Verdict::rejected(RejectKind::Key, format!("no trusted key for kid {kid:?}"));
        };
        let header_alg = header.get("alg").and_then(Value::as_str);
        let chosen = algorithms
            .iter()
            .find(|(id, _)| Some(<&str>::from(*id)) == header_alg)
            .or_else(|| algorithms.first());
        let algorithm = match chosen {
            Some((_, Ok(algorithm))) => algorithm,
            Some((_, Err(e))) => return Verdict::rejected(RejectKind::Key, e.clone()),
            None => {
                return Verdict::rejected(
                    RejectKind::Key,
                    format!("the key for kid {kid:?} fits none of the allowed algorithms"),
                )
            }
        };
        let verified = match self.now {
            Some(now) => self
                .claims
                .verify_for_time(token, algorithm, now)
                .map(|data| data.claims),
            None => self.claims.verify(token, algorithm),
        };
        match verified {
            Ok(claims) => Verdict::accepted(claims),
            Err(e) => rejection(&e),
        }
    }
}

/// The library's error as a verdict. `MalformedToken` covers a token that does not
/// split or parse and every failed claim check but `exp` alike, and `InvalidInput` both
/// bad base64 and an unknown `alg`, so neither names a reason.
fn rejection(e: &Error) -> Verdict {
    let kind = match e {
        Error::AlgorithmMismatch() => RejectKind::Algorithm,
        Error::InvalidSignature() => RejectKind::Signature,
        Error::TokenExpiredAt(_) => RejectKind::Expired,
        _ => RejectKind::Other,
    };
    Verdict::rejected(kind, e.to_string())
}

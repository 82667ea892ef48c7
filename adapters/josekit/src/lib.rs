//! jwt-conformance adapter for [`josekit`](https://docs.rs/josekit), which verifies with
//! OpenSSL (building it needs `libssl-dev` and `pkg-config`).
//!
//! The adapter follows josekit's README: the trusted keys are read as a `JwkSet`, each
//! key becomes one verifier per allowed algorithm of its type
//! (`RS256.verifier_from_jwk(&jwk)`, …; the library checks the key's `kty`, `use`,
//! `key_ops`, `alg` and size), and tokens go through `jwt::decode_with_verifier_selector`,
//! whose selector picks the verifier by the header's `kid` (or, without a `kid`, the
//! only trusted key) and, among that key's verifiers, the one for the header's `alg`.
//! josekit then checks `alg`, `kid`, `crit` and the signature itself. The claims are
//! checked by a `JwtPayloadValidator` built from the policy: `set_base_time` is the
//! injected clock, `set_issuer` and `set_audience` carry the issuer and audience.
//!
//! Where josekit cannot express a policy element the case is unsupported: it has no
//! leeway, no `typ` check, one expected audience only, and no way to require a claim's
//! presence. The exception is `exp`, which nearly every policy requires: josekit cannot
//! require it, so the adapter runs anyway and the cases that send a token without `exp`
//! record the deviation. The adapter never re-checks a claim itself.

use josekit::jwk::{Jwk, JwkSet};
use josekit::jws::{self, JwsHeader, JwsVerifier};
use josekit::jwt::{self, JwtPayloadValidator};
use josekit::JoseError;
use jwt_conformance::{Adapter, AdapterInfo, Alg, Clock, Policy, RejectKind, Verdict, Verifier};
use std::time::{Duration, SystemTime};

/// The version of josekit this adapter is built against (checked against Cargo.lock by
/// a test).
pub const LIBRARY_VERSION: &str = "0.10.3";

/// The expected-failures manifest: josekit's known deviations from the RFCs.
pub const MANIFEST: &str = include_str!("../expected-failures.toml");

jwt_conformance::adapter_crate_test!("josekit", LIBRARY_VERSION, MANIFEST);

/// The josekit adapter.
#[derive(Clone, Copy, Debug, Default)]
pub struct JosekitAdapter;

/// A verifier for `alg` from `jwk`, as josekit's documentation shows.
fn verifier_from_jwk(alg: Alg, jwk: &Jwk) -> Result<Box<dyn JwsVerifier>, JoseError> {
    Ok(match alg {
        Alg::HS256 => Box::new(jws::HS256.verifier_from_jwk(jwk)?),
        Alg::HS384 => Box::new(jws::HS384.verifier_from_jwk(jwk)?),
        Alg::HS512 => Box::new(jws::HS512.verifier_from_jwk(jwk)?),
        Alg::RS256 => Box::new(jws::RS256.verifier_from_jwk(jwk)?),
        Alg::RS384 => Box::new(jws::RS384.verifier_from_jwk(jwk)?),
        Alg::RS512 => Box::new(jws::RS512.verifier_from_jwk(jwk)?),
        Alg::PS256 => Box::new(jws::PS256.verifier_from_jwk(jwk)?),
        Alg::PS384 => Box::new(jws::PS384.verifier_from_jwk(jwk)?),
        Alg::PS512 => Box::new(jws::PS512.verifier_from_jwk(jwk)?),
        Alg::ES256 => Box::new(jws::ES256.verifier_from_jwk(jwk)?),
        Alg::ES384 => Box::new(jws::ES384.verifier_from_jwk(jwk)?),
        Alg::ES512 => Box::new(jws::ES512.verifier_from_jwk(jwk)?),
        Alg::EdDSA => Box::new(jws::EdDSA.verifier_from_jwk(jwk)?),
    })
}

impl Adapter for JosekitAdapter {
    fn info(&self) -> AdapterInfo {
        AdapterInfo::new(
            "josekit",
            LIBRARY_VERSION,
            Alg::ALL.to_vec(),
            Clock::Injectable,
        )
    }

    fn prepare(&self, policy: &Policy) -> Result<Box<dyn Verifier>, Verdict> {
        policy.without_profile("josekit")?;
        let unsupported = |why: &str| Err(Verdict::unsupported(why.to_string()));
        if policy.leeway != 0 {
            return unsupported("josekit's JwtPayloadValidator has no leeway");
        }
        if policy.typ.is_some() {
            return unsupported("josekit's JwtPayloadValidator has no `typ` check");
        }
        if policy.audience.len() > 1 {
            return unsupported("josekit's JwtPayloadValidator takes one expected audience");
        }
        for claim in &policy.required_claims {
            // `set_issuer` makes `iss` required; nothing else can be required.
            if !(claim == "exp" || claim == "iss" && policy.issuer.is_some()) {
                return Err(Verdict::unsupported(format!(
                    "josekit's JwtPayloadValidator cannot require the claim {claim:?}"
                )));
            }
        }
        let mut validator = JwtPayloadValidator::new();
        if let Some(now) = policy.now {
            let now = u64::try_from(now).map_err(|_| {
                Verdict::unsupported("josekit's clock cannot be negative".to_string())
            })?;
            let now = SystemTime::UNIX_EPOCH + Duration::from_secs(now);
            validator.set_base_time(now);
            // The `iat` upper bound defaults to the system clock, which `set_base_time`
            // does not move; at the injected time the library's default is that time.
            validator.set_max_issued_time(now);
        }
        if let Some(issuer) = &policy.issuer {
            validator.set_issuer(issuer);
        }
        if let Some(audience) = policy.audience.first() {
            validator.set_audience(audience);
        }
        let text = serde_json::to_vec(&policy.keys).map_err(|e| Verdict::Rejected {
            kind: RejectKind::Key,
            message: e.to_string(),
        })?;
        let jwk_set = JwkSet::from_bytes(text).map_err(|e| Verdict::Rejected {
            kind: RejectKind::Key,
            message: format!("josekit cannot read the JWK Set: {e}"),
        })?;
        let keys = jwk_set
            .keys()
            .into_iter()
            .map(|jwk| TrustedKey {
                kid: jwk.key_id().map(str::to_string),
                verifiers: policy
                    .algorithms
                    .iter()
                    .filter(|alg| alg.key_family().kty() == jwk.key_type())
                    .map(|alg| (alg.as_str(), verifier_from_jwk(*alg, jwk)))
                    .collect(),
            })
            .collect();
        Ok(Box::new(JosekitVerifier { keys, validator }))
    }
}

/// A verifier, or why josekit would not build it from the JWK.
type Loaded = Result<Box<dyn JwsVerifier>, JoseError>;

/// One trusted JWK and its verifiers, one per allowed algorithm of its type.
struct TrustedKey {
    kid: Option<String>,
    verifiers: Vec<(&'static str, Loaded)>,
}

/// A prepared verifier: the trusted keys' verifiers and the claims validator.
pub struct JosekitVerifier {
    keys: Vec<TrustedKey>,
    validator: JwtPayloadValidator,
}

impl JosekitVerifier {
    /// The selector given to `decode_with_verifier_selector`: the key the header's `kid`
    /// names (or the only key), and that key's verifier for the header's `alg`, else its
    /// first verifier, whose algorithm josekit will then find does not match.
    fn select(&self, header: &JwsHeader) -> Result<Option<&dyn JwsVerifier>, JoseError> {
        let key = match header.key_id() {
            Some(kid) => self.keys.iter().find(|k| k.kid.as_deref() == Some(kid)),
            None if self.keys.len() == 1 => self.keys.first(),
            None => None,
        };
        let Some(key) = key else {
            return Ok(None);
        };
        let chosen = key
            .verifiers
            .iter()
            .find(|(name, _)| header.algorithm() == Some(*name))
            .or_else(|| key.verifiers.iter().find(|(_, v)| v.is_ok()))
            .or_else(|| key.verifiers.first());
        match chosen {
            Some((_, Ok(verifier))) => Ok(Some(verifier.as_ref())),
            Some((_, Err(e))) => Err(JoseError::InvalidKeyFormat(anyhow::anyhow!("{e}"))),
            None => Ok(None),
        }
    }
}

impl Verifier for JosekitVerifier {
    fn verify(&self, token: &str) -> Verdict {
        let (payload, _header) =
            match jwt::decode_with_verifier_selector(token, |header| self.select(header)) {
                Ok(decoded) => decoded,
                Err(e) => return rejection(&e),
            };
        match self.validator.validate(&payload) {
            Ok(()) => Verdict::accepted(payload.claims_set().clone().into()),
            Err(e) => rejection(&e),
        }
    }
}

/// josekit reports most failures as one error variant with a message; the message says
/// which check failed.
fn rejection(e: &JoseError) -> Verdict {
    let kind = match e {
        JoseError::InvalidSignature(_) => RejectKind::Signature,
        JoseError::UnsupportedSignatureAlgorithm(_) => RejectKind::Algorithm,
        JoseError::InvalidKeyFormat(_) | JoseError::InvalidJwkFormat(_) => RejectKind::Key,
        JoseError::InvalidJson(_) => RejectKind::Malformed,
        JoseError::InvalidClaim(inner) => claim_kind(&inner.to_string()),
        JoseError::InvalidJwtFormat(inner) | JoseError::InvalidJwsFormat(inner) => {
            format_kind(&inner.to_string())
        }
        _ => RejectKind::Other,
    };
    Verdict::rejected(kind, e.to_string())
}

/// The kind of a `JwtPayloadValidator` or payload-parsing failure, from its message.
fn claim_kind(message: &str) -> RejectKind {
    if message.contains("not yet valid") {
        RejectKind::NotYetValid
    } else if message.contains("has expired") {
        RejectKind::Expired
    } else if message.contains("is missing") {
        RejectKind::MissingClaim
    } else if message.starts_with("Key iss") {
        RejectKind::Issuer
    } else if message.starts_with("Key aud") {
        RejectKind::Audience
    } else if message.contains("issued time") {
        RejectKind::Other
    } else {
        // JwtPayload::from_map refusing a registered claim of the wrong type.
        RejectKind::Malformed
    }
}

/// The kind of a JWS/JWT decoding failure, from its message.
fn format_kind(message: &str) -> RejectKind {
    if message.contains("alg header claim") {
        RejectKind::Algorithm
    } else if message.contains("critical") || message.contains("crit") {
        RejectKind::Critical
    } else if message.contains("kid header claim") || message.contains("verifier is not found") {
        RejectKind::Key
    } else {
        RejectKind::Malformed
    }
}

//! jwt-conformance adapter for [`jwt-simple`](https://docs.rs/jwt-simple), built with
//! `default-features = false, features = ["pure-rust"]` (the default `boring` backend
//! needs cmake and a C++ toolchain).
//!
//! jwt-simple has one key type per algorithm and no key set: its documentation says an
//! application "picks the entry it trusts, usually by `kid`, and passes its JSON to the
//! key type it expects". The adapter does exactly that. At `prepare` it loads every
//! trusted JWK into the key type of each allowed algorithm of that key's family
//! (`RS256PublicKey::from_jwk`, `ES256PublicKey::from_jwk`, …; HMAC keys have no JWK
//! support, so their `k` is passed to `HS256Key::from_bytes`). jwt-simple's public-key
//! types refuse a JWK that carries private members ("Invalid public key") and its key
//! pairs have no JWK import, so a policy JWK that carries its private part (a service
//! holding its key pair) is loaded as its public members alone ([`Jwk::to_public`]):
//! nothing is computed, the public key is already there. At `verify` it takes the
//! `kid` from `Token::decode_metadata` (or, without a `kid`, the only trusted key) and
//! calls `verify_token` on that key's key types in turn; the first that accepts wins.
//! The header's `alg` is never used to choose: each key type checks it itself.
//!
//! `VerificationOptions` come from the policy: `artificial_time` is the injected clock,
//! `time_tolerance` is the policy's leeway (set explicitly: the default is 15 minutes),
//! `allowed_issuers`, `allowed_audiences` and `required_signature_type` carry the issuer,
//! audiences and `typ`. Everything else keeps its default, as a user's would.
//!
//! Required claims: jwt-simple cannot require `exp` (a token without one never
//! expires). Nearly every policy requires `exp`, so rather than skip the whole catalogue
//! the adapter runs, and the cases that send a token without `exp` record the
//! deviation. Any other required claim the library cannot demand makes the case
//! unsupported. The adapter never re-checks a claim itself.

use jwt_conformance::{
    Adapter, AdapterInfo, Alg, Clock, Jwk, Policy, RejectKind, Verdict, Verifier,
};
use jwt_simple::prelude::*;
use jwt_simple::{Error, JWTError};
use serde_json::{Map, Value};

/// The version of jwt-simple this adapter is built against (checked against Cargo.lock
/// by a test).
pub const LIBRARY_VERSION: &str = "0.15.0";

/// The expected-failures manifest: jwt-simple's known deviations from the RFCs.
pub const MANIFEST: &str = include_str!("../expected-failures.toml");

jwt_conformance::adapter_crate_test!("jwt-simple", LIBRARY_VERSION, MANIFEST);

/// Claims as jwt-simple hands them back: the registered ones typed, the rest as JSON.
type Claims = JWTClaims<Map<String, Value>>;

/// The jwt-simple adapter.
#[derive(Clone, Copy, Debug, Default)]
pub struct JwtSimpleAdapter;

/// The algorithms jwt-simple 0.15 cannot verify (it also has ES256K and ML-DSA, which the
/// suite does not test).
const MISSING: [Alg; 1] = [Alg::ES512];

/// One jwt-simple verification key: the key type fixes the algorithm.
enum Key {
    HS256(HS256Key),
    HS384(HS384Key),
    HS512(HS512Key),
    RS256(RS256PublicKey),
    RS384(RS384PublicKey),
    RS512(RS512PublicKey),
    PS256(PS256PublicKey),
    PS384(PS384PublicKey),
    PS512(PS512PublicKey),
    ES256(ES256PublicKey),
    ES384(ES384PublicKey),
    EdDSA(Ed25519PublicKey),
}

impl Key {
    /// Loads `jwk` into the key type of `alg`, as jwt-simple's documentation shows.
    fn load(alg: Alg, jwk: &Jwk) -> Result<Key, String> {
        // The public members only: a key pair's JWK is refused by the public-key types.
        let json = jwk.to_public().to_json();
        let secret = || jwk.hmac_secret().map_err(|e| e.to_string());
        let asymmetric = |e: jwt_simple::Error| format!("jwt-simple refuses the JWK: {e}");
        Ok(match alg {
            Alg::HS256 => Key::HS256(HS256Key::from_bytes(&secret()?)),
            Alg::HS384 => Key::HS384(HS384Key::from_bytes(&secret()?)),
            Alg::HS512 => Key::HS512(HS512Key::from_bytes(&secret()?)),
            Alg::RS256 => Key::RS256(RS256PublicKey::from_jwk(&json).map_err(asymmetric)?),
            Alg::RS384 => Key::RS384(RS384PublicKey::from_jwk(&json).map_err(asymmetric)?),
            Alg::RS512 => Key::RS512(RS512PublicKey::from_jwk(&json).map_err(asymmetric)?),
            Alg::PS256 => Key::PS256(PS256PublicKey::from_jwk(&json).map_err(asymmetric)?),
            Alg::PS384 => Key::PS384(PS384PublicKey::from_jwk(&json).map_err(asymmetric)?),
            Alg::PS512 => Key::PS512(PS512PublicKey::from_jwk(&json).map_err(asymmetric)?),
            Alg::ES256 => Key::ES256(ES256PublicKey::from_jwk(&json).map_err(asymmetric)?),
            Alg::ES384 => Key::ES384(ES384PublicKey::from_jwk(&json).map_err(asymmetric)?),
            Alg::EdDSA => Key::EdDSA(Ed25519PublicKey::from_jwk(&json).map_err(asymmetric)?),
            Alg::ES512 => return Err("jwt-simple has no ES512".to_string()),
        })
    }

    fn verify(&self, token: &str, options: &VerificationOptions) -> Result<Claims, Error> {
        let options = Some(options.clone());
        match self {
            Key::HS256(k) => k.verify_token(token, options),
            Key::HS384(k) => k.verify_token(token, options),
            Key::HS512(k) => k.verify_token(token, options),
            Key::RS256(k) => k.verify_token(token, options),
            Key::RS384(k) => k.verify_token(token, options),
            Key::RS512(k) => k.verify_token(token, options),
            Key::PS256(k) => k.verify_token(token, options),
            Key::PS384(k) => k.verify_token(token, options),
            Key::PS512(k) => k.verify_token(token, options),
            Key::ES256(k) => k.verify_token(token, options),
            Key::ES384(k) => k.verify_token(token, options),
            Key::EdDSA(k) => k.verify_token(token, options),
        }
    }
}

impl Adapter for JwtSimpleAdapter {
    fn info(&self) -> AdapterInfo {
        AdapterInfo::new(
            "jwt-simple",
            LIBRARY_VERSION,
            Alg::all_but(&MISSING),
            Clock::Injectable,
        )
    }

    fn prepare(&self, policy: &Policy) -> Result<Box<dyn Verifier>, Verdict> {
        policy.without_profile("jwt-simple")?;
        for claim in &policy.required_claims {
            let expressible = match claim.as_str() {
                "exp" => true,
                "iss" => policy.issuer.is_some(),
                "aud" => !policy.audience.is_empty(),
                _ => false,
            };
            if !expressible {
                return Err(Verdict::unsupported(format!(
                    "jwt-simple's VerificationOptions cannot require the claim {claim:?}"
                )));
            }
        }
        let now = match policy.now {
            Some(now) => Some(UnixTimeStamp::from_secs(u64::try_from(now).map_err(
                |_| Verdict::unsupported("jwt-simple's clock cannot be negative".to_string()),
            )?)),
            None => None,
        };
        let options = VerificationOptions {
            artificial_time: now,
            time_tolerance: Some(Duration::from_secs(policy.leeway)),
            allowed_issuers: policy.issuer.as_ref().map(|i| HashSet::from_strings(&[i])),
            allowed_audiences: (!policy.audience.is_empty())
                .then(|| HashSet::from_strings(&policy.audience)),
            required_signature_type: policy.typ.clone(),
            ..Default::default()
        };
        let mut keys = Vec::new();
        for jwk in &policy.keys.keys {
            let loaded = policy
                .algorithms
                .iter()
                .filter(|alg| !MISSING.contains(alg) && alg.key_family().kty() == jwk.kty)
                .map(|alg| Key::load(*alg, jwk))
                .collect();
            keys.push((jwk.kid.clone(), loaded));
        }
        Ok(Box::new(JwtSimpleVerifier { keys, options }))
    }
}

/// A key type loaded from a JWK, or why jwt-simple refused it.
type Loaded = Result<Key, String>;

/// A prepared verifier: for each trusted JWK, its `kid` and its key types.
pub struct JwtSimpleVerifier {
    keys: Vec<(Option<String>, Vec<Loaded>)>,
    options: VerificationOptions,
}

impl JwtSimpleVerifier {
    /// The key types of the JWK the token's `kid` names or, without a `kid`, of the only
    /// trusted JWK.
    fn select(&self, kid: Option<&str>) -> Option<&[Loaded]> {
        let found = match kid {
            Some(kid) => self.keys.iter().find(|(k, _)| k.as_deref() == Some(kid)),
            None if self.keys.len() == 1 => self.keys.first(),
            None => None,
        };
        found.map(|(_, loaded)| loaded.as_slice())
    }
}

impl Verifier for JwtSimpleVerifier {
    fn verify(&self, token: &str) -> Verdict {
        let metadata = match Token::decode_metadata(token) {
            Ok(m) => m,
            Err(e) => return rejection(&e),
        };
        let kid = metadata.key_id();
        let Some(loaded) = self.select(kid) else {
            return Verdict::rejected(RejectKind::Key, format!("no trusted key for kid {kid:?}"));
        };
        let mut refusals = Vec::new();
        for key in loaded {
            match key {
                Ok(key) => match key.verify(token, &self.options) {
                    Ok(claims) => return Verdict::accepted(claims_json(&claims)),
                    Err(e) => refusals.push(rejection(&e)),
                },
                Err(e) => refusals.push(Verdict::rejected(RejectKind::Key, e.clone())),
            }
        }
        // Every key type refused: report the most telling refusal. An algorithm mismatch
        // only says the token was meant for another of the key's types.
        let telling = refusals
            .iter()
            .position(|v| {
                !matches!(
                    v,
                    Verdict::Rejected {
                        kind: RejectKind::Algorithm,
                        ..
                    }
                )
            })
            .unwrap_or(0);
        if refusals.is_empty() {
            Verdict::rejected(
                RejectKind::Key,
                format!("the key for kid {kid:?} fits none of the allowed algorithms"),
            )
        } else {
            refusals.swap_remove(telling)
        }
    }
}

/// The claims jwt-simple hands back, as JSON. An `aud` array comes back as a set; it is
/// listed sorted so that the answer does not depend on hash order.
fn claims_json(claims: &Claims) -> Value {
    let mut value = serde_json::to_value(claims).unwrap_or(Value::Null);
    if let (Some(Audiences::AsSet(set)), Value::Object(map)) = (&claims.audiences, &mut value) {
        let mut sorted: Vec<&String> = set.iter().collect();
        sorted.sort();
        map.insert(
            "aud".to_string(),
            Value::from_iter(sorted.into_iter().cloned()),
        );
    }
    value
}

fn rejection(e: &Error) -> Verdict {
    let kind = match e.downcast_ref::<JWTError>() {
        Some(e) => match e {
            JWTError::AlgorithmMismatch => RejectKind::Algorithm,
            JWTError::InvalidAuthenticationTag | JWTError::InvalidSignature => {
                RejectKind::Signature
            }
            JWTError::TokenHasExpired => RejectKind::Expired,
            JWTError::TokenNotValidYet => RejectKind::NotYetValid,
            JWTError::RequiredIssuerMismatch => RejectKind::Issuer,
            JWTError::RequiredAudienceMismatch => RejectKind::Audience,
            JWTError::RequiredIssuerMissing | JWTError::RequiredAudienceMissing => {
                RejectKind::MissingClaim
            }
            JWTError::RequiredSignatureTypeMismatch | JWTError::NotJWT => RejectKind::Type,
            JWTError::UnknownCriticalExtension => RejectKind::Critical,
            JWTError::KeyIdentifierMismatch
            | JWTError::MissingJWTKeyIdentifier
            | JWTError::WeakKey
            | JWTError::InvalidPublicKey
            | JWTError::UnsupportedRSAModulus => RejectKind::Key,
            JWTError::CompactEncodingError | JWTError::HeaderTooLarge | JWTError::TokenTooLong => {
                RejectKind::Malformed
            }
            _ => RejectKind::Other,
        },
        // Base64 and JSON errors reach the caller as they are.
        None if e.downcast_ref::<serde_json::Error>().is_some()
            || e.downcast_ref::<ct_codecs::Error>().is_some() =>
        {
            RejectKind::Malformed
        }
        None => RejectKind::Other,
    };
    Verdict::rejected(kind, e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_policy_key_with_its_private_part_verifies_with_the_public_part() {
        use jwt_conformance::forge::{self, keys};
        let claims = serde_json::json!({"sub": "s", "exp": 1_700_003_600});
        for (alg, key) in [
            (Alg::RS256, "rsa-2048-a"),
            (Alg::PS256, "rsa-2048-a"),
            (Alg::ES256, "ec-p256-a"),
            (Alg::EdDSA, "ed25519-a"),
        ] {
            let policy = Policy::new(keys::key_pair_set(&[key]), vec![alg], Some(1_700_000_000));
            let verifier = JwtSimpleAdapter.prepare(&policy).unwrap();
            let verdict = verifier.verify(&forge::jwt(alg, key, &claims));
            assert!(
                matches!(verdict, Verdict::Accepted { .. }),
                "{alg}: {verdict:?}"
            );
        }
    }
}

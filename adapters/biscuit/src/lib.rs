//! jwt-conformance adapter for [`biscuit`](https://docs.rs/biscuit), which verifies
//! with ring. It has no EdDSA, and ring has no P-521, so no ES512 either.
//!
//! The adapter uses biscuit's documented calls: the trusted keys are read as a
//! `JWKSet`, a token is a `JWT::<_, Empty>::new_encoded(token)`, and
//! `decode_with_jwks(&jwks, Some(alg))` finds the key by the header's `kid` and checks
//! the key's `alg` and the header's `alg` against the expected algorithm before
//! verifying. A token without a `kid` cannot use the key set, so, like an application
//! with a single key, the adapter then decodes with the only trusted key
//! (`into_decoded(&secret, alg)`, as in biscuit's `JWT` example). The expected
//! algorithm is the header's `alg` when the policy allows it, else the policy's first
//! algorithm, which biscuit then finds does not match.
//!
//! Claims are checked by `validate(ValidationOptions)`: `TemporalOptions { epsilon, now }`
//! carries the leeway and the injected clock, `issuer` and `audience` the expected
//! values, `claim_presence_options` the required claims. biscuit has no `typ` check and
//! takes one expected audience: such policies are unsupported. The adapter never
//! re-checks a claim itself.

use biscuit::errors::{Error, ValidationError};
use biscuit::jwa::SignatureAlgorithm;
use biscuit::jwk::{AlgorithmParameters, JWKSet, JWK};
use biscuit::jws::Secret;
use biscuit::{
    ClaimPresenceOptions, Empty, Presence, TemporalOptions, Validation, ValidationOptions, JWT,
};
use jwt_conformance::{Adapter, AdapterInfo, Alg, Clock, Policy, RejectKind, Verdict, Verifier};
use serde_json::{Map, Value};

/// The version of biscuit this adapter is built against (checked against Cargo.lock by
/// a test).
pub const LIBRARY_VERSION: &str = "0.8.0";

/// The expected-failures manifest: biscuit's known deviations from the RFCs.
pub const MANIFEST: &str = include_str!("../expected-failures.toml");

jwt_conformance::adapter_crate_test!("biscuit", LIBRARY_VERSION, MANIFEST);

type Token = JWT<Map<String, Value>, Empty>;

/// The biscuit adapter.
#[derive(Clone, Copy, Debug, Default)]
pub struct BiscuitAdapter;

fn to_library_alg(alg: Alg) -> Option<SignatureAlgorithm> {
    Some(match alg {
        Alg::HS256 => SignatureAlgorithm::HS256,
        Alg::HS384 => SignatureAlgorithm::HS384,
        Alg::HS512 => SignatureAlgorithm::HS512,
        Alg::RS256 => SignatureAlgorithm::RS256,
        Alg::RS384 => SignatureAlgorithm::RS384,
        Alg::RS512 => SignatureAlgorithm::RS512,
        Alg::PS256 => SignatureAlgorithm::PS256,
        Alg::PS384 => SignatureAlgorithm::PS384,
        Alg::PS512 => SignatureAlgorithm::PS512,
        Alg::ES256 => SignatureAlgorithm::ES256,
        Alg::ES384 => SignatureAlgorithm::ES384,
        // ring has no P-521, and biscuit no EdDSA.
        Alg::ES512 | Alg::EdDSA => return None,
    })
}

/// Builds the `ValidationOptions` for a policy; they are not `Clone`, so one is made per
/// token.
#[derive(Clone, Debug)]
struct Options {
    presence: ClaimPresenceOptions,
    temporal: TemporalOptions,
    issuer: Option<String>,
    audience: Option<String>,
}

impl Options {
    fn validation(&self) -> ValidationOptions {
        let value = |v: &Option<String>| match v {
            Some(v) => Validation::Validate(v.clone()),
            None => Validation::Ignored,
        };
        ValidationOptions {
            claim_presence_options: self.presence,
            temporal_options: self.temporal,
            issuer: value(&self.issuer),
            audience: value(&self.audience),
            ..Default::default()
        }
    }
}

impl Adapter for BiscuitAdapter {
    fn info(&self) -> AdapterInfo {
        AdapterInfo::new(
            "biscuit",
            LIBRARY_VERSION,
            Alg::ALL
                .into_iter()
                .filter(|a| to_library_alg(*a).is_some())
                .collect(),
            Clock::Injectable,
        )
    }

    fn prepare(&self, policy: &Policy) -> Result<Box<dyn Verifier>, Verdict> {
        policy.without_profile("biscuit")?;
        let unsupported = |why: String| Err(Verdict::unsupported(why));
        if policy.typ.is_some() {
            return unsupported("biscuit has no `typ` check".to_string());
        }
        if policy.audience.len() > 1 {
            return unsupported(
                "biscuit's ValidationOptions take one expected audience".to_string(),
            );
        }
        let mut presence = ClaimPresenceOptions::default();
        for claim in &policy.required_claims {
            let field = match claim.as_str() {
                "exp" => &mut presence.expiry,
                "nbf" => &mut presence.not_before,
                "iat" => &mut presence.issued_at,
                "iss" => &mut presence.issuer,
                "aud" => &mut presence.audience,
                "sub" => &mut presence.subject,
                "jti" => &mut presence.id,
                other => return unsupported(format!("biscuit cannot require the claim {other:?}")),
            };
            *field = Presence::Required;
        }
        let algorithms: Vec<SignatureAlgorithm> = policy
            .algorithms
            .iter()
            .filter_map(|a| to_library_alg(*a))
            .collect();
        if algorithms.is_empty() {
            return unsupported(
                "none of the policy's algorithms is supported by biscuit".to_string(),
            );
        }
        let (epsilon, now) = policy.chrono_window()?;
        let jwks: JWKSet<Empty> = serde_json::to_value(&policy.keys)
            .and_then(serde_json::from_value)
            .map_err(|e| Verdict::Rejected {
                kind: RejectKind::Key,
                message: format!("biscuit cannot read the JWK Set: {e}"),
            })?;
        Ok(Box::new(BiscuitVerifier {
            jwks,
            algorithms,
            options: Options {
                presence,
                temporal: TemporalOptions { epsilon, now },
                issuer: policy.issuer.clone(),
                audience: policy.audience.first().cloned(),
            },
        }))
    }
}

/// A prepared verifier: the key set, the allowed algorithms and the claim checks.
pub struct BiscuitVerifier {
    jwks: JWKSet<Empty>,
    algorithms: Vec<SignatureAlgorithm>,
    options: Options,
}

/// The verification secret of a JWK, as `decode_with_jwks` derives it.
fn secret_of(jwk: &JWK<Empty>) -> Result<Secret, Verdict> {
    match &jwk.algorithm {
        AlgorithmParameters::EllipticCurve(ec) => Ok(ec.jws_public_key_secret()),
        AlgorithmParameters::RSA(rsa) => Ok(rsa.jws_public_key_secret()),
        AlgorithmParameters::OctetKey(oct) => Ok(Secret::Bytes(oct.value.clone())),
        AlgorithmParameters::OctetKeyPair(_) => Err(Verdict::rejected(
            RejectKind::Key,
            "biscuit cannot verify with an OKP key",
        )),
    }
}

impl Verifier for BiscuitVerifier {
    fn verify(&self, token: &str) -> Verdict {
        let encoded = Token::new_encoded(token);
        let header = match encoded.unverified_header() {
            Ok(h) => h,
            Err(e) => return rejection(e),
        };
        let header_alg = header.registered.algorithm;
        let expected = if self.algorithms.contains(&header_alg) {
            header_alg
        } else {
            self.algorithms[0]
        };
        let decoded = match (&header.registered.key_id, self.jwks.keys.as_slice()) {
            (None, [only]) => match secret_of(only) {
                Ok(secret) => encoded.into_decoded(&secret, expected),
                Err(verdict) => return verdict,
            },
            _ => encoded.decode_with_jwks(&self.jwks, Some(expected)),
        };
        let decoded = match decoded {
            Ok(d) => d,
            Err(e) => return rejection(e),
        };
        if let Err(e) = decoded.validate(self.options.validation()) {
            return rejection(e);
        }
        match decoded.payload() {
            Ok(claims) => Verdict::accepted(serde_json::to_value(claims).unwrap_or(Value::Null)),
            Err(e) => rejection(e),
        }
    }
}

fn rejection(e: Error) -> Verdict {
    let kind = match &e {
        Error::ValidationError(v) => match v {
            ValidationError::InvalidSignature => RejectKind::Signature,
            ValidationError::WrongAlgorithmHeader | ValidationError::MissingAlgorithm => {
                RejectKind::Algorithm
            }
            ValidationError::MissingRequiredClaims(_) => RejectKind::MissingClaim,
            ValidationError::Expired(_) => RejectKind::Expired,
            ValidationError::NotYetValid(_) => RejectKind::NotYetValid,
            ValidationError::InvalidIssuer(_) => RejectKind::Issuer,
            ValidationError::InvalidAudience(_) => RejectKind::Audience,
            ValidationError::KidMissing
            | ValidationError::KeyNotFound
            | ValidationError::UnsupportedKeyAlgorithm => RejectKind::Key,
            _ => RejectKind::Other,
        },
        Error::DecodeError(_) | Error::JsonError(_) | Error::DecodeBase64(_) | Error::Utf8(_) => {
            RejectKind::Malformed
        }
        Error::KeyRejected(_) | Error::WrongKeyType { .. } => RejectKind::Key,
        _ => RejectKind::Other,
    };
    Verdict::rejected(kind, e.to_string())
}

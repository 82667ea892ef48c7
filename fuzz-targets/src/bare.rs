//! The baselines the targets' cost is measured against: jsonwebtoken's `decode` alone,
//! configured as the adapter configures it for each fixed setup, with no harness, no
//! adapter and no oracle. `fuzz_targets/bare_decode.rs` runs [`bare_decode`]; the
//! benchmarks compare both baselines with the targets on the same inputs.

use jsonwebtoken::crypto::rust_crypto::DEFAULT_PROVIDER;
use jsonwebtoken::jwk::Jwk;
use jsonwebtoken::{decode, Algorithm, DecodingKey, Validation};
use jwt_conformance::context::system_now;
use jwt_conformance::generate::{fixed_setups as setups, fuzzed};
use jwt_conformance::Clock;
use serde_json::Value;
use std::sync::OnceLock;

fn library_alg(name: &str) -> Option<Algorithm> {
    name.parse().ok()
}

/// The fixed setups on the system clock, as jsonwebtoken reads it.
fn fixed_setups() -> &'static [setups::FixedSetup] {
    static SETUPS: OnceLock<Vec<setups::FixedSetup>> = OnceLock::new();
    SETUPS.get_or_init(|| setups::fixed(Clock::System))
}

/// A decoding key and validation per fixed setup, by position; `None` where jsonwebtoken
/// cannot express the setup (a required `typ`).
fn configurations() -> &'static [Option<(DecodingKey, Validation)>] {
    static CONFIGS: OnceLock<Vec<Option<(DecodingKey, Validation)>>> = OnceLock::new();
    CONFIGS.get_or_init(|| {
        // Another provider may already be installed by the adapter; either works.
        let _ = DEFAULT_PROVIDER.install_default();
        fixed_setups()
            .iter()
            .map(|f| {
                let policy = &f.setup.policy;
                if policy.typ.is_some() {
                    return None;
                }
                let jwk: Jwk = serde_json::to_value(&policy.keys.keys[0])
                    .and_then(serde_json::from_value)
                    .ok()?;
                let key = DecodingKey::from_jwk(&jwk).ok()?;
                let algorithms: Vec<Algorithm> = policy
                    .algorithms
                    .iter()
                    .filter_map(|a| library_alg(a.as_str()))
                    .collect();
                let mut validation = Validation::new(*algorithms.first()?);
                validation.algorithms = algorithms;
                validation.leeway = policy.leeway;
                validation.required_spec_claims = policy.required_claims.iter().cloned().collect();
                if !policy.audience.is_empty() {
                    validation.set_audience(&policy.audience);
                }
                if let Some(issuer) = &policy.issuer {
                    validation.set_issuer(&[issuer]);
                }
                Some((key, validation))
            })
            .collect()
    })
}

/// Decodes `data` under every configuration; returns how many accepted it.
pub fn bare_decode(data: &[u8]) -> usize {
    let token = String::from_utf8_lossy(data);
    configurations()
        .iter()
        .flatten()
        .filter(|(key, validation)| decode::<Value>(token.as_bytes(), key, validation).is_ok())
        .count()
}

/// The baseline of `verify_structured`: the same scenario built from `data`, decoded by
/// jsonwebtoken under its setup, with no adapter and no oracle. Returns whether it was
/// accepted.
pub fn bare_structured(data: &[u8]) -> bool {
    let s = fuzzed::build(fixed_setups(), data, system_now());
    configurations()[s.index]
        .as_ref()
        .is_some_and(|(key, validation)| {
            decode::<Value>(s.token.as_bytes(), key, validation).is_ok()
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jwt_conformance::forge::{self, keys};
    use jwt_conformance::Alg;
    use serde_json::json;

    #[test]
    fn the_baseline_decodes_what_the_adapter_accepts() {
        assert_eq!(configurations().iter().flatten().count(), 5);
        let now = jwt_conformance::context::system_now();
        let claims = json!({"iss": setups::ISSUER, "sub": "s", "exp": now + 600});
        let token = forge::sign_json(
            &json!({"alg": "HS256", "kid": "oct-a"}),
            &claims,
            Alg::HS256,
            keys::private("oct-a"),
        )
        .unwrap();
        assert_eq!(bare_decode(token.as_bytes()), 1);
        assert_eq!(bare_decode(b"not a token"), 0);
        assert!(
            bare_structured(token.as_bytes()),
            "re-signed as it is, by oct-a"
        );
    }
}

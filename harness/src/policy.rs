//! What a verifier is configured with for one case.

use crate::alg::Alg;
use crate::jwk::JwkSet;
use serde::{Deserialize, Deserializer, Serialize};

/// The verification policy: trusted keys, allowed algorithms and claim checks.
///
/// Serialised exactly as the process protocol's `policy` object.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Trusted keys. Usually public parts only; a JWK may carry its private part too, as
    /// the keys of a service that issues and verifies with one key pair do (an `oct`
    /// secret is symmetric anyway). Either way a verifier verifies with the public part:
    /// a private part is no licence to decrypt a JWE or to trust what it says.
    pub keys: JwkSet,
    /// Allowed `alg` values; a token with any other `alg` must be rejected.
    pub algorithms: Vec<Alg>,
    /// Expected `iss`; `None` means no issuer check.
    pub issuer: Option<String>,
    /// Accepted audiences; empty means the verifier expects no audience: a token carrying
    /// `aud` may then be refused (hardening) or its `aud` left to the application
    /// (RFC 7519 section 4.1.3; see [`rules::claims`](crate::rules::claims)).
    #[serde(deserialize_with = "null_as_empty")]
    pub audience: Vec<String>,
    /// Claims that must be present (e.g. `exp`).
    #[serde(default)]
    pub required_claims: Vec<String>,
    /// Clock skew allowed on `exp` and `nbf`, in seconds.
    pub leeway: u64,
    /// Required `typ` header value, if any.
    pub typ: Option<String>,
    /// The current time for adapters whose clock can be injected; `None` means the
    /// verifier uses the system clock.
    pub now: Option<i64>,
    /// A remote key set the verifier must fetch its keys from, with the cache settings
    /// the case needs; `None` for the ordinary cases, whose keys are all in `keys`.
    /// Absent from the protocol's policy object when `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jwks: Option<RemoteJwks>,
}

/// A remote JWK Set (a JWKS endpoint, RFC 7517 section 5; OpenID Connect's `jwks_uri`)
/// and how long the verifier may keep what it fetched.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RemoteJwks {
    /// Where the key set is served (always a loopback URL in this suite).
    pub uri: String,
    /// The least time between two fetches made because a token names a key the cached
    /// set lacks: an unknown-`kid` flood must not become a request flood.
    pub cooldown_ms: u64,
    /// How long a fetched set may be used before it is fetched again.
    pub max_age_ms: u64,
    /// How long a fetch may take before it is abandoned.
    pub timeout_ms: u64,
}

fn null_as_empty<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Ok(Option::<Vec<String>>::deserialize(d)?.unwrap_or_default())
}

impl Policy {
    /// A policy trusting `keys` for `algorithms`, requiring `exp`, no issuer or audience
    /// check, no leeway, at time `now`.
    pub fn new(keys: JwkSet, algorithms: Vec<Alg>, now: Option<i64>) -> Policy {
        Policy {
            keys,
            algorithms,
            issuer: None,
            audience: Vec::new(),
            required_claims: vec!["exp".to_string()],
            leeway: 0,
            typ: None,
            now,
            jwks: None,
        }
    }

    /// The policy as protocol JSON.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("a policy always serialises")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protocol_shape_round_trips() {
        let text = r#"{"keys":{"keys":[]},"algorithms":["RS256"],"issuer":null,"audience":null,"required_claims":["exp"],"leeway":0,"typ":null,"now":1700000000}"#;
        let policy: Policy = serde_json::from_str(text).unwrap();
        assert_eq!(policy.algorithms, vec![Alg::RS256]);
        assert!(policy.audience.is_empty());
        assert_eq!(policy.now, Some(1_700_000_000));
        let back = policy.to_json();
        assert_eq!(back["audience"], serde_json::json!([]));
        assert_eq!(back["issuer"], serde_json::Value::Null);
    }

    #[test]
    fn unknown_fields_and_algs_are_rejected() {
        let bad = r#"{"keys":{"keys":[]},"algorithms":["none"],"issuer":null,"audience":[],"leeway":0,"typ":null,"now":null}"#;
        assert!(serde_json::from_str::<Policy>(bad).is_err());
        let extra = r#"{"keys":{"keys":[]},"algorithms":[],"issuer":null,"audience":[],"leeway":0,"typ":null,"now":null,"x":1}"#;
        assert!(serde_json::from_str::<Policy>(extra).is_err());
    }
}

//! # jwt-conformance-reference
//!
//! Two JWT verifiers on RustCrypto that follow RFC 7515, 7518, 7519 and RFC 8725 to the
//! letter, built on the suite's rule book ([`jwt_conformance::rules`]). They are the
//! oracles of the jwt-conformance catalogue. The strict one takes every choice the RFCs
//! leave open the strict way: every attack case must be rejected by it for exactly the
//! defect the case names, in strict runs too, and every positive control accepted. The
//! lenient one takes each choice the other way; every case must pass it in a default
//! run, which guards the catalogue against expectations stricter than the RFCs.
//!
//! A token goes through these checks in order; the first that fails decides the
//! [`RejectKind`](jwt_conformance::RejectKind):
//!
//! | step | check | rule | kind |
//! |---|---|---|---|
//! | 1 | at most 16 MiB, three segments, base64url | [`segments`](jwt_conformance::rules::segments) | `malformed` |
//! | 2 | header is a UTF-8 JSON object | [`json`](jwt_conformance::rules::json) | `malformed` |
//! | 3 | `alg` present, a string, not `none`, registered (case-sensitive), allowed | [`alg`](jwt_conformance::rules::alg) | `algorithm` |
//! | 4 | `crit` well-formed and understood (nothing is), `b64` | [`crit`](jwt_conformance::rules::crit) | `critical` |
//! | 5 | `typ` equals the required type; `cty` not `JWT` | [`typ`](jwt_conformance::rules::typ) | `type` / `malformed` |
//! | 6 | `kid`, key type, JWK `alg`/`use`/`key_ops`, strength | [`select`], [`keys`](jwt_conformance::rules::keys) | `malformed` / `key` |
//! | 7 | signature verifies with a usable key, exact encodings only | [`signature`] | `signature` |
//! | 8 | payload is a UTF-8 JSON object | [`json`](jwt_conformance::rules::json) | `malformed` |
//! | 9 | claim types, required claims, `exp`, `nbf`, `iss`, `aud` | [`claims`](jwt_conformance::rules::claims), [`time`](jwt_conformance::rules::time) | see module |
//! | 5, 9 | with a profile in the policy: its explicit type, then its claim rules | [`profiles`](jwt_conformance::rules::profiles) | see module |
//!
//! An accepted token's claims are returned exactly as parsed from the payload.
//!
//! ```
//! use jwt_conformance::forge::{self, keys};
//! use jwt_conformance::{Adapter, Alg, Policy, Verdict};
//! use jwt_conformance_reference::ReferenceAdapter;
//!
//! let claims = serde_json::json!({"sub": "alice", "exp": 1_700_003_600});
//! let token = forge::jwt(Alg::ES256, "ec-p256-a", &claims);
//! let policy = Policy::new(keys::public_set(&["ec-p256-a"]), vec![Alg::ES256], Some(1_700_000_000));
//! let verifier = ReferenceAdapter::STRICT.prepare(&policy).unwrap();
//! assert_eq!(verifier.verify(&token), Verdict::accepted(claims));
//! ```

pub mod flawed;
pub mod keys;
pub mod remote;
pub mod select;
pub mod signature;
pub mod verifier;

pub use jwt_conformance::rules::{Choice, Rejection};
pub use verifier::ReferenceVerifier;

use jwt_conformance::{Adapter, AdapterInfo, Alg, Clock, Policy, Verdict, Verifier};

/// A reference verifier as a jwt-conformance [`Adapter`]: [`ReferenceAdapter::STRICT`]
/// takes every choice the RFCs leave open the strict way, [`ReferenceAdapter::LENIENT`]
/// the other way.
///
/// `prepare` never fails: keys that cannot be used are ignored as RFC 7517 section 5
/// asks, and every token that would need one is rejected with kind `key`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReferenceAdapter {
    choice: Choice,
}

impl ReferenceAdapter {
    /// The strict reference: the oracle every case must pass with its exact reject kind.
    pub const STRICT: ReferenceAdapter = ReferenceAdapter {
        choice: Choice::Strict,
    };
    /// The lenient reference: a conformant verifier that accepts what the RFCs let it
    /// accept; every case must pass it in a default run.
    pub const LENIENT: ReferenceAdapter = ReferenceAdapter {
        choice: Choice::Lenient,
    };

    /// Which way the permitted choices go.
    pub fn choice(self) -> Choice {
        self.choice
    }
}

impl Default for ReferenceAdapter {
    fn default() -> Self {
        ReferenceAdapter::STRICT
    }
}

impl Adapter for ReferenceAdapter {
    fn info(&self) -> AdapterInfo {
        AdapterInfo {
            name: match self.choice {
                Choice::Strict => "reference",
                Choice::Lenient => "reference-lenient",
            }
            .to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            algorithms: Alg::ALL.to_vec(),
            clock: Clock::Injectable,
            remote_jwks: true,
        }
    }

    fn prepare(&self, policy: &Policy) -> Result<Box<dyn Verifier>, Verdict> {
        Ok(Box::new(ReferenceVerifier::new(policy, self.choice)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn info_names_every_algorithm_and_an_injectable_clock() {
        for (adapter, name) in [
            (ReferenceAdapter::STRICT, "reference"),
            (ReferenceAdapter::LENIENT, "reference-lenient"),
        ] {
            let info = adapter.info();
            assert_eq!(info.name, name);
            assert_eq!(info.version, env!("CARGO_PKG_VERSION"));
            assert_eq!(info.algorithms, Alg::ALL.to_vec());
            assert_eq!(info.clock, Clock::Injectable);
        }
    }
}

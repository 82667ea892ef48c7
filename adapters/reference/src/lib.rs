//! # jwt-conformance-reference
//!
//! A strict JWT verifier on RustCrypto that follows RFC 7515, 7518, 7519 and RFC 8725 to
//! the letter. It is the oracle of the jwt-conformance catalogue: every attack case must
//! be rejected by it for exactly the defect the case names, and every positive control
//! accepted.
//!
//! A token goes through these checks in order; the first that fails decides the
//! [`RejectKind`](jwt_conformance::RejectKind):
//!
//! | step | check | module | kind |
//! |---|---|---|---|
//! | 1 | at most 16 MiB, three segments, canonical unpadded base64url | [`segments`] | `malformed` |
//! | 2 | header is a UTF-8 JSON object, no BOM, no duplicate names at any depth | [`json`] | `malformed` |
//! | 3 | `alg` present, a string, not `none`, registered (case-sensitive), allowed | [`alg`] | `algorithm` |
//! | 4 | `crit` well-formed and understood (nothing is), `b64` absent or `true` | [`crit`] | `critical` |
//! | 5 | `typ` equals the required type; `typ`/`cty` strings, `cty` not `JWT` | [`typ`] | `type` / `malformed` |
//! | 6 | `kid` a string, matching trusted keys; key type, JWK `alg`/`use`/`key_ops`, strength | [`select`] | `malformed` / `key` |
//! | 7 | signature verifies with a usable key, exact encodings only | [`signature`] | `signature` |
//! | 8 | payload is a UTF-8 JSON object, no duplicate names | [`json`] | `malformed` |
//! | 9 | claim types, required claims, `exp`, `nbf`, `iss`, `aud` | [`claims`], [`time`] | see module |
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
//! let verifier = ReferenceAdapter.prepare(&policy).unwrap();
//! assert_eq!(verifier.verify(&token), Verdict::accepted(claims));
//! ```

pub mod alg;
pub mod claims;
pub mod crit;
pub mod json;
pub mod keys;
pub mod reject;
pub mod segments;
pub mod select;
pub mod signature;
pub mod time;
pub mod typ;
pub mod verifier;

pub use reject::Rejection;
pub use verifier::ReferenceVerifier;

use jwt_conformance::{Adapter, AdapterInfo, Alg, Clock, Policy, PrepareError, Verifier};

/// The reference verifier as a jwt-conformance [`Adapter`].
///
/// `prepare` never fails: keys that cannot be used are ignored as RFC 7517 section 5
/// asks, and every token that would need one is rejected with kind `key`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReferenceAdapter;

impl Adapter for ReferenceAdapter {
    fn info(&self) -> AdapterInfo {
        AdapterInfo {
            name: "reference".to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            algorithms: Alg::ALL.to_vec(),
            clock: Clock::Injectable,
        }
    }

    fn prepare(&self, policy: &Policy) -> Result<Box<dyn Verifier>, PrepareError> {
        Ok(Box::new(ReferenceVerifier::new(policy)))
    }
}

/// A value for messages: quoted, and cut to 64 characters so that a 64 KiB `kid` does not
/// become a 64 KiB message.
pub(crate) fn short(value: &str) -> String {
    const MAX: usize = 64;
    match value.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{:?}… ({} bytes)", &value[..cut], value.len()),
        None => format!("{value:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn info_names_every_algorithm_and_an_injectable_clock() {
        let info = ReferenceAdapter.info();
        assert_eq!(info.name, "reference");
        assert_eq!(info.version, env!("CARGO_PKG_VERSION"));
        assert_eq!(info.algorithms, Alg::ALL.to_vec());
        assert_eq!(info.clock, Clock::Injectable);
    }

    #[test]
    fn short_quotes_and_cuts_long_values() {
        assert_eq!(short("kid-1"), "\"kid-1\"");
        let long = short(&"k".repeat(65_536));
        assert!(
            long.starts_with(&format!("\"{}\"…", "k".repeat(64))),
            "{long}"
        );
        assert!(long.ends_with("(65536 bytes)"), "{long}");
    }
}

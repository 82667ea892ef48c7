//! A token before its signature: exact header and payload bytes, then signed by a
//! fixture, given arbitrary signature bytes, or given a signature made for a different
//! algorithm than the header names. Attack cases differ from their control only in the
//! signature or in one header member, and this keeps that difference explicit.

use crate::alg::Alg;
use crate::forge::{assemble, header_for, keys, sign, signing_input};
use serde_json::{json, Value};
use std::sync::{Mutex, OnceLock};

/// The usual header `{"alg":…,"typ":"JWT","kid":…}` naming the fixture `key_name`, with
/// `alg` set to any JSON value, or left out when `alg` is `None`.
pub fn header_with_alg(alg: Option<Value>, key_name: &str) -> Value {
    match alg {
        Some(alg) => json!({"alg": alg, "typ": "JWT", "kid": key_name}),
        None => json!({"typ": "JWT", "kid": key_name}),
    }
}

/// A header and payload waiting for a signature.
#[derive(Clone, Debug, PartialEq)]
pub struct Draft {
    /// The exact header bytes, before base64url encoding.
    pub header: Vec<u8>,
    /// The exact payload bytes, before base64url encoding.
    pub payload: Vec<u8>,
}

impl Draft {
    /// From JSON header and claims, serialised compactly in the order given.
    pub fn json(header: &Value, claims: &Value) -> Draft {
        Draft {
            header: header.to_string().into_bytes(),
            payload: claims.to_string().into_bytes(),
        }
    }

    /// The usual header for `alg` (naming its default fixture key) over `claims`.
    pub fn usual(alg: Alg, claims: &Value) -> Draft {
        let key = keys::private(keys::default_key_name(alg));
        Draft::json(&header_for(alg, key), claims)
    }

    /// The JWS Signing Input (RFC 7515 section 5.1).
    pub fn input(&self) -> String {
        signing_input(&self.header, &self.payload)
    }

    /// The `alg` signature of the signing input by the fixture `key_name`, whatever
    /// algorithm the header names.
    pub fn signature(&self, alg: Alg, key_name: &str) -> Vec<u8> {
        sign(alg, keys::private(key_name), self.input().as_bytes())
            .unwrap_or_else(|e| panic!("fixture key {key_name} cannot sign {alg}: {e}"))
    }

    /// The compact token signed with `alg` by the fixture `key_name`.
    pub fn signed(&self, alg: Alg, key_name: &str) -> String {
        self.with_signature(&self.signature(alg, key_name))
    }

    /// The compact token carrying exactly `signature`.
    pub fn with_signature(&self, signature: &[u8]) -> String {
        assemble(&self.header, &self.payload, signature)
    }
}

/// `claims` plus a `jti` (a decimal counter as a string, RFC 7519 4.1.7), the first
/// (counting from "0") for which `wanted` holds:
/// how a case finds a token whose signature happens to have a property (a leading zero
/// octet, an odd hash) without any randomness. `what` names the search. A search may
/// take hundreds of RSA signatures, so its answer is read from [`KNOWN_SEARCHES`] when
/// the table has it (and `wanted` confirms it: one signature), and otherwise searched
/// for and remembered for the process.
pub fn claims_with_jti(what: &str, claims: &Value, wanted: impl Fn(&Value) -> bool) -> Value {
    let with = |jti: u64| {
        let mut c = claims.clone();
        c["jti"] = Value::from(jti.to_string());
        c
    };
    let digest = claims_digest(claims);
    if let Some(&(_, _, jti)) = KNOWN_SEARCHES
        .iter()
        .find(|(w, d, _)| *w == what && *d == digest)
    {
        if wanted(&with(jti)) {
            return with(jti);
        }
    }
    // Held during the search, so concurrent builds of the catalogue search once.
    let mut searched = searched().lock().unwrap_or_else(|e| e.into_inner());
    let jti = match searched.iter().find(|(w, d, _)| *w == what && *d == digest) {
        Some(&(_, _, jti)) => jti,
        None => {
            let jti = (0..)
                .find(|&jti| wanted(&with(jti)))
                .expect("an unbounded search ends when it finds");
            searched.push((what.to_string(), digest, jti));
            jti
        }
    };
    with(jti)
}

/// Searches run in this process because [`KNOWN_SEARCHES`] did not have their answer:
/// `(what, claims digest, jti)`.
pub fn searched() -> &'static Mutex<Vec<(String, String, u64)>> {
    static SEARCHED: OnceLock<Mutex<Vec<(String, String, u64)>>> = OnceLock::new();
    SEARCHED.get_or_init(Default::default)
}

/// The SHA-256 of `claims` as compact JSON, in hex: what [`KNOWN_SEARCHES`] keys on.
fn claims_digest(claims: &Value) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(claims.to_string().as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The answers of the catalogue's searches: `(what, claims digest, jti)`. A test builds
/// the catalogue and fails, printing the lines to put here, when any search had to run;
/// each answer is confirmed by its case's own condition when used, so a wrong line costs
/// a search, never a wrong token.
pub const KNOWN_SEARCHES: &[(&str, &str, u64)] = &[
    ("es256-r-with-leading-zero", TIMELESS, 8),
    ("es512-r-with-leading-zero", TIMELESS, 1),
    ("rsa-pkcs1-rs256-garbage-after-digest", TIMELESS, 0),
    ("rsa-pkcs1-rs384-garbage-after-digest", TIMELESS, 0),
    ("rsa-pkcs1-rs256-garbage-in-padding", TIMELESS, 2),
    ("rsa-pkcs1-rs256-garbage-after-algorithm-null", TIMELESS, 2),
    (
        "rsa-pkcs1-rs256-garbage-as-algorithm-parameters",
        TIMELESS,
        2,
    ),
    ("rs256-signature-with-leading-zero", TIMELESS, 32),
    ("hs256-signature-with-both-url-safe-characters", TIMELESS, 2),
];

/// The digest of [`timeless_claims`](crate::catalogue::common::timeless_claims), which
/// every search of the catalogue starts from.
const TIMELESS: &str = "3b46d7ad7afc20ab84a05952ee4c440112b996df2a11a28f515323a063aca4fb";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_matches_the_usual_jwt() {
        let claims = json!({"sub": "x"});
        let header = header_with_alg(Some(json!("HS256")), "oct-a");
        assert_eq!(
            header,
            crate::forge::header_for(Alg::HS256, keys::private("oct-a"))
        );
        assert_eq!(
            header_with_alg(None, "oct-a").to_string(),
            r#"{"typ":"JWT","kid":"oct-a"}"#
        );
        let draft = Draft::json(&header, &claims);
        assert_eq!(
            draft.signed(Alg::HS256, "oct-a"),
            crate::forge::jwt(Alg::HS256, "oct-a", &claims)
        );
        assert!(draft.with_signature(b"").ends_with('.'));
        assert_eq!(Draft::usual(Alg::HS256, &claims), draft);
    }

    #[test]
    fn jti_search_finds_the_first_match_and_remembers_it() {
        let base = json!({"sub": "x"});
        let found = claims_with_jti("test-third", &base, |c| c["jti"] == "3");
        assert_eq!(found, json!({"sub": "x", "jti": "3"}));
        let again = claims_with_jti("test-third", &base, |_| panic!("searched twice"));
        assert_eq!(again, found);
    }
}

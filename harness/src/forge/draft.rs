//! A token before its signature: exact header and payload bytes, then signed by a
//! fixture, given arbitrary signature bytes, or given a signature made for a different
//! algorithm than the header names. Attack cases differ from their control only in the
//! signature or in one header member, and this keeps that difference explicit.

use crate::alg::Alg;
use crate::forge::{assemble, header_for, keys, sign, signing_input};
use serde_json::{json, Value};
use std::collections::HashMap;
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
    pub header: Vec<u8>,
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
/// octet, an odd hash) without any randomness. `what` names the search; its result is
/// remembered per `what` and `claims`, because a search may take hundreds of signatures
/// and the catalogue is built more than once per process.
pub fn claims_with_jti(what: &str, claims: &Value, wanted: impl Fn(&Value) -> bool) -> Value {
    static FOUND: OnceLock<Mutex<HashMap<(String, String), u64>>> = OnceLock::new();
    let with = |jti: u64| {
        let mut c = claims.clone();
        c["jti"] = Value::from(jti.to_string());
        c
    };
    // Held during the search, so concurrent builds of the catalogue search once.
    let mut found = FOUND
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    let jti = *found
        .entry((what.to_string(), claims.to_string()))
        .or_insert_with(|| {
            (0..)
                .find(|&jti| wanted(&with(jti)))
                .expect("an unbounded search ends when it finds")
        });
    with(jti)
}

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

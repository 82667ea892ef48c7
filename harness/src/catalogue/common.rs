//! Building blocks shared by the catalogue's classes.

use crate::alg::Alg;
use crate::context::{Context, MARGIN};
use crate::forge::{self, keys};
use crate::policy::Policy;
use serde_json::{json, Value};

/// An ordinary claim set valid at `ctx.now`: issued now, expiring well after.
pub fn valid_claims(ctx: &Context) -> Value {
    json!({
        "iss": "https://issuer.example",
        "sub": "conformance-subject",
        "iat": ctx.now,
        "exp": ctx.now + MARGIN,
    })
}

/// Valid claims that do not depend on the clock: issued at the injectable clock's time
/// and expiring a century later, so they are valid under every clock. A case whose token
/// comes from a search over signatures (see [`claims_with_jti`](crate::forge::draft::claims_with_jti))
/// uses them, so that the search's answer is known in advance rather than run again
/// whenever the system clock moves.
pub fn timeless_claims() -> Value {
    json!({
        "iss": "https://issuer.example",
        "sub": "conformance-subject",
        "iat": crate::context::FIXED_NOW,
        "exp": crate::context::FIXED_NOW + CENTURY,
    })
}

/// A hundred years of 365 days, in seconds.
const CENTURY: i64 = 100 * 365 * 86_400;

/// A policy trusting the fixture keys `key_names` for `algs`, requiring `exp`.
pub fn policy(ctx: &Context, algs: &[Alg], key_names: &[&str]) -> Policy {
    Policy::new(keys::public_set(key_names), algs.to_vec(), ctx.policy_now())
}

/// The usual policy for one algorithm: its default fixture key, only that algorithm.
pub fn policy_for(ctx: &Context, alg: Alg) -> Policy {
    policy(ctx, &[alg], &[keys::default_key_name(alg)])
}

/// `valid_claims(ctx)` with the claim `name` set to `value` (added if absent).
pub fn claims_with(ctx: &Context, name: &str, value: impl Into<Value>) -> Value {
    let mut claims = valid_claims(ctx);
    claims[name] = value.into();
    claims
}

/// `valid_claims(ctx)` without the claim `name`.
pub fn claims_without(ctx: &Context, name: &str) -> Value {
    let mut claims = valid_claims(ctx);
    if let Some(map) = claims.as_object_mut() {
        map.shift_remove(name);
    }
    claims
}

/// A JWT with the usual header, signed by `alg`'s default fixture key.
pub fn signed(alg: Alg, claims: &Value) -> String {
    forge::jwt(alg, keys::default_key_name(alg), claims)
}

/// The usual header for `alg` and its default fixture key (`alg`, `typ`, `kid`).
pub fn default_header(alg: Alg) -> Value {
    forge::header_for(alg, keys::private(keys::default_key_name(alg)))
}

/// [`default_header`] with the member `name` set to `value` (added if absent).
pub fn header_with(alg: Alg, name: &str, value: impl Into<Value>) -> Value {
    let mut header = default_header(alg);
    header[name] = value.into();
    header
}

/// [`default_header`] without the member `name`.
pub fn header_without(alg: Alg, name: &str) -> Value {
    let mut header = default_header(alg);
    if let Some(map) = header.as_object_mut() {
        map.shift_remove(name);
    }
    header
}

/// A compact JWS over exact header and payload bytes, signed by `alg`'s default
/// fixture key: for tokens serde_json cannot write (duplicate members, bad UTF-8).
pub fn signed_bytes(alg: Alg, header: &[u8], payload: &[u8]) -> String {
    let name = keys::default_key_name(alg);
    forge::sign_bytes(header, payload, alg, keys::private(name))
        .unwrap_or_else(|e| panic!("fixture key {name} cannot sign {alg}: {e}"))
}

/// A compact JWS over exact header and claims JSON, signed by `alg`'s default key.
pub fn signed_with_header(alg: Alg, header: &Value, claims: &Value) -> String {
    signed_bytes(
        alg,
        header.to_string().as_bytes(),
        claims.to_string().as_bytes(),
    )
}

/// A string that a sloppy comparison confuses with an expected `iss` or `aud` value.
#[derive(Clone, Debug, PartialEq)]
pub struct NearMiss {
    /// Case-name suffix, e.g. `prefix`.
    pub name: &'static str,
    /// What the value is, for the case description.
    pub what: &'static str,
    /// The near-miss string itself.
    pub value: String,
}

impl NearMiss {
    /// What a case sends: `claim` with this value, where `expected` was wanted.
    pub fn describe(&self, claim: &str, expected: &str) -> String {
        format!(
            "{claim} {:?}, {}; the verifier expects {expected:?}",
            self.value, self.what
        )
    }
}

/// Values that differ from `expected` (an `https://` URL) only in ways exact,
/// code-point-by-code-point comparison (RFC 7519 section 7.3) catches and looser
/// comparisons miss: case, prefix, substring, superstring, padding, Unicode
/// normalisation, C-string truncation.
pub fn near_misses(expected: &str) -> Vec<NearMiss> {
    let without_scheme = expected.strip_prefix("https://").unwrap_or(expected);
    let fullwidth: String = {
        // The last ASCII letter as its fullwidth form, which NFKC folds back.
        let last = expected
            .rfind(|c: char| c.is_ascii_lowercase())
            .unwrap_or(0);
        expected
            .char_indices()
            .map(|(i, c)| {
                if i == last {
                    char::from_u32(c as u32 - 0x21 + 0xFF01).unwrap_or(c)
                } else {
                    c
                }
            })
            .collect()
    };
    let miss = |name, what, value: String| NearMiss { name, what, value };
    vec![
        miss(
            "wrong",
            "a different principal",
            "https://attacker.example".to_string(),
        ),
        miss(
            "case-changed",
            "the expected value upper-cased",
            expected.to_uppercase(),
        ),
        miss(
            "prefix",
            "a prefix of the expected value",
            expected[..expected.len() - 3].to_string(),
        ),
        miss(
            "substring",
            "the expected value without its scheme (a substring)",
            without_scheme.to_string(),
        ),
        miss(
            "superstring",
            "the expected value with a suffix (a superstring)",
            format!("{expected}.attacker.example"),
        ),
        miss(
            "trailing-slash",
            "the expected value with a trailing slash",
            format!("{expected}/"),
        ),
        miss(
            "trailing-space",
            "the expected value with a trailing space",
            format!("{expected} "),
        ),
        miss(
            "leading-space",
            "the expected value with a leading space",
            format!(" {expected}"),
        ),
        miss("empty", "the empty string", String::new()),
        miss(
            "fullwidth",
            "the expected value with a fullwidth last letter (equal after NFKC)",
            fullwidth,
        ),
        miss(
            "nul-suffix",
            "the expected value, a NUL and a suffix (equal as a C string)",
            format!("{expected}\u{0}.attacker.example"),
        ),
    ]
}

/// Helpers for the classes' unit tests.
#[cfg(test)]
pub mod testing {
    use crate::alg::Alg;
    use crate::b64;
    use crate::case::Case;
    use crate::forge;
    use crate::jwk::Jwk;

    /// The case called `id` among `cases`.
    pub fn case_by_id<'a>(cases: &'a [Case], id: &str) -> &'a Case {
        cases
            .iter()
            .find(|c| c.id == id)
            .unwrap_or_else(|| panic!("no case {id}"))
    }

    /// Whether the token's signature is a valid `alg` signature under `key`.
    pub fn verifies(alg: Alg, key: &Jwk, token: &str) -> bool {
        let Some((input, sig)) = token.rsplit_once('.') else {
            return false;
        };
        b64::decode(sig).is_ok_and(|sig| forge::verify(alg, key, input.as_bytes(), &sig))
    }

    /// Segment `index` of a compact token, decoded strictly.
    pub fn segment(token: &str, index: usize) -> Vec<u8> {
        let part = token
            .split('.')
            .nth(index)
            .expect("the token has the segment");
        b64::decode(part).unwrap_or_else(|e| panic!("segment {index}: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_misses_are_near_and_all_different() {
        let expected = "https://api.example/orders";
        let misses = near_misses(expected);
        let mut values: Vec<&str> = misses.iter().map(|m| m.value.as_str()).collect();
        values.push(expected);
        values.sort_unstable();
        values.dedup();
        assert_eq!(
            values.len(),
            misses.len() + 1,
            "every miss differs from the rest"
        );
        let value = |name: &str| &misses.iter().find(|m| m.name == name).unwrap().value;
        assert!(expected.starts_with(value("prefix").as_str()));
        assert!(expected.contains(value("substring").as_str()));
        assert!(value("superstring").starts_with(expected));
        assert!(value("nul-suffix").split('\0').next() == Some(expected));
        assert_eq!(value("case-changed").to_lowercase(), expected);
        assert_eq!(value("fullwidth").replace('\u{ff53}', "s"), expected);
    }
}

/// What RFC 7519 says about comparing `iss`, `aud` and other JSON strings, quoted
/// exactly: section 7.3 makes the comparison of RFC 7159 section 8.3 (now RFC 8259
/// section 8.3) binding, and section 2 applies no transformation to StringOrURI values.
pub fn exact_comparison() -> &'static str {
    "RFC 7519 7.3: \"These comparison rules MUST be used for all JSON string comparisons\", the \
        rules of RFC 8259 8.3: \"Implementations that transform the textual representation into \
        sequences of Unicode code units and then perform the comparison numerically, code unit by \
        code unit, are interoperable\"; RFC 7519 2: \"StringOrURI values are compared as \
        case-sensitive strings with no transformations or canonicalizations applied.\""
}

/// A policy trusting the fixture `key` for `alg` with its private part, as a service that
/// issues and verifies with one key pair holds it (an `oct` secret is the same either
/// way), requiring `exp`. The JWK carries no `use`, as many deployed keys do not, so that
/// nothing but the verifier's own rules stands between it and a token made with the key
/// for another purpose.
pub fn key_pair_policy(ctx: &Context, alg: Alg, key: &str) -> Policy {
    let mut jwk = keys::private(key).clone();
    jwk.use_ = None;
    Policy::new(
        crate::jwk::JwkSet::new(vec![jwk]),
        vec![alg],
        ctx.policy_now(),
    )
}

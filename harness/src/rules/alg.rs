//! The `alg` Header Parameter (RFC 7515 section 4.1.1; RFC 7518 section 3.6; RFC 8725
//! sections 3.1 and 3.2). No choice here: every rule is `rfc` or `bcp`, and both
//! references apply them alike.
//!
//! | check | level | sentence |
//! |---|---|---|
//! | present, a string | `rfc` | RFC 7515 4.1.1: "This Header Parameter MUST be present" |
//! | not `none` | `rfc` | RFC 7518 3.6: "Implementations MUST NOT accept Unsecured JWSs by default" |
//! | a supported name, matched exactly | `rfc` | RFC 7515 4.1.1: "The JWS Signature value is not valid if the "alg" value does not represent a supported algorithm" |
//! | allowed by the policy | `bcp` | RFC 8725 3.1: libraries "MUST NOT use any other algorithms" |
//!
//! A registered algorithm outside the policy whose signature is genuine is refused on
//! RFC 8725's MUST alone (RFC 7515 section 5.2 says the application "SHOULD consider the
//! JWS to be invalid"); where no trusted key can do the algorithm, the signature is not
//! valid either (RFC 7515 section 4.1.1), and the token is refused at `rfc` level.

use super::json::type_name;
use super::{Checked, Rejection};
use crate::alg::Alg;
use crate::verdict::RejectKind;
use serde_json::{Map, Value};

/// The algorithm the token may be verified with, or why it may not be.
pub fn check(header: &Map<String, Value>, allowed: &[Alg]) -> Checked<Alg> {
    let label = present_string(header)?;
    not_none(label)?;
    let alg = registered(label)?;
    allowed_by_policy(alg, allowed)?;
    Ok(alg)
}

fn algorithm(message: String) -> Rejection {
    Rejection::new(RejectKind::Algorithm, message)
}

/// RFC 7515 section 4.1.1: "The "alg" value is a case-sensitive ASCII string … This
/// Header Parameter MUST be present and MUST be understood and processed".
fn present_string(header: &Map<String, Value>) -> Checked<&str> {
    match header.get("alg") {
        Some(Value::String(label)) => Ok(label),
        Some(other) => Err(algorithm(format!(
            "`alg` is {}, not a string (RFC 7515 section 4.1.1)",
            type_name(other)
        ))),
        None => Err(algorithm(
            "the header has no `alg` (RFC 7515 section 4.1.1: it MUST be present)".to_string(),
        )),
    }
}

/// RFC 7518 section 3.6: implementations "MUST NOT accept such objects as valid unless
/// the application specifies that it is acceptable"; RFC 8725 section 3.2: libraries
/// "SHOULD NOT consume JWTs using "none" unless explicitly requested by the caller". No
/// policy can request it, so `none` is refused in any case. The match is exact: `alg` is
/// case-sensitive (RFC 7515 section 4.1.1), so `None` is no unsecured JWS but an
/// unsupported name, which [`registered`] refuses.
fn not_none(label: &str) -> Checked {
    if label == "none" {
        return Err(algorithm(format!(
            "`alg` {label:?} is an unsecured JWT, which is never accepted (RFC 8725 section 3.2, RFC 7518 section 3.6)"
        )));
    }
    Ok(())
}

/// RFC 7515 section 4.1.1: "The JWS Signature value is not valid if the "alg" value does
/// not represent a supported algorithm"; matching is exact and case-sensitive.
fn registered(label: &str) -> Checked<Alg> {
    label.parse::<Alg>().map_err(|_| {
        algorithm(format!(
            "`alg` {label:?} is not a supported JWS algorithm (exact, case-sensitive match; RFC 7515 section 4.1.1)"
        ))
    })
}

/// RFC 8725 section 3.1: libraries "MUST NOT use any other algorithms" than the ones the
/// caller allowed.
fn allowed_by_policy(alg: Alg, allowed: &[Alg]) -> Checked {
    if !allowed.contains(&alg) {
        return Err(algorithm(format!(
            "`alg` {alg} is not one of the allowed algorithms (RFC 8725 section 3.1)"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn header(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    #[test]
    fn an_allowed_registered_alg_passes() {
        let h = header(json!({"alg": "ES256"}));
        assert_eq!(check(&h, &[Alg::RS256, Alg::ES256]), Ok(Alg::ES256));
    }

    #[test]
    fn missing_or_non_string_alg_is_an_algorithm_rejection() {
        for h in [
            json!({}),
            json!({"alg": null}),
            json!({"alg": 256}),
            json!({"alg": ["HS256"]}),
        ] {
            let r = check(&header(h.clone()), &Alg::ALL).unwrap_err();
            assert_eq!(r.kind, RejectKind::Algorithm, "{h}");
        }
    }

    #[test]
    fn none_in_any_case_is_refused() {
        let r = check(&header(json!({"alg": "none"})), &Alg::ALL).unwrap_err();
        assert!(r.message.contains("unsecured"), "{r}");
        for label in ["None", "NONE", "nOnE"] {
            let r = check(&header(json!({ "alg": label })), &Alg::ALL).unwrap_err();
            assert_eq!(r.kind, RejectKind::Algorithm, "{label}");
            assert!(r.message.contains("case-sensitive"), "{label}: {r}");
        }
    }

    #[test]
    fn unregistered_or_differently_spelled_labels_are_refused() {
        for label in [
            "",
            "hs256",
            "HS256 ",
            "RS256\u{0}",
            "ES256K",
            "\u{0397}S256",
        ] {
            let r = check(&header(json!({ "alg": label })), &Alg::ALL).unwrap_err();
            assert_eq!(r.kind, RejectKind::Algorithm, "{label:?}");
            assert!(r.message.contains("not a supported"), "{label:?}: {r}");
        }
    }

    #[test]
    fn a_registered_alg_outside_the_policy_is_refused() {
        let r = check(&header(json!({"alg": "RS512"})), &[Alg::RS256]).unwrap_err();
        assert!(r.message.contains("not one of the allowed"), "{r}");
    }
}

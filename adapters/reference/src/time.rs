//! Step 9, time: `exp`, `nbf` and `iat` (RFC 7519 sections 4.1.4 to 4.1.6).
//!
//! NumericDate (RFC 7519 section 2) is "A JSON numeric value representing the number of
//! seconds from 1970-01-01T00:00:00Z UTC … non-integer values can be represented". Any
//! JSON number is accepted as one — negative, fractional, or too large for a calendar
//! (2^63, 1e300) — and compared as an `f64`, which is exact for every whole second up to
//! 2^53. So `exp: 1e300` never expires and `nbf: 1e300` is never reached; a value that is
//! not a number at all is malformed.

use crate::json::type_name;
use crate::reject::{Checked, Rejection};
use jwt_conformance::RejectKind;
use serde_json::{Map, Value};

/// The claims whose value is a NumericDate.
pub const NUMERIC_DATES: [&str; 3] = ["exp", "nbf", "iat"];

/// RFC 7519 sections 4.1.4, 4.1.5 and 4.1.6: "Its value MUST be a number containing a
/// NumericDate value" — a string, boolean, null, array or object is refused.
pub fn numeric_dates_are_numbers(claims: &Map<String, Value>) -> Checked {
    for name in NUMERIC_DATES {
        match claims.get(name) {
            None | Some(Value::Number(_)) => {}
            Some(other) => {
                return Err(Rejection::new(
                    RejectKind::Malformed,
                    format!(
                        "`{name}` is {}, not a NumericDate number (RFC 7519 section 4.1)",
                        type_name(other)
                    ),
                ))
            }
        }
    }
    Ok(())
}

/// A NumericDate claim as its JSON value (for messages) and its seconds, when present
/// and a number.
fn numeric_date<'c>(claims: &'c Map<String, Value>, name: &str) -> Option<(&'c Value, f64)> {
    let value = claims.get(name)?;
    Some((value, value.as_f64()?))
}

/// RFC 7519 section 4.1.4: "the current date/time MUST be before the expiration date/time
/// listed in the "exp" claim. Implementers MAY provide for some small leeway": valid iff
/// `now < exp + leeway`.
pub fn not_expired(claims: &Map<String, Value>, now: i64, leeway: u64) -> Checked {
    match numeric_date(claims, "exp") {
        Some((value, exp)) if now as f64 >= exp + leeway as f64 => Err(Rejection::new(
            RejectKind::Expired,
            format!(
                "exp {value} is not after now {now} with {leeway} s leeway (RFC 7519 section 4.1.4)"
            ),
        )),
        _ => Ok(()),
    }
}

/// RFC 7519 section 4.1.5: "the current date/time MUST be after or equal to the
/// not-before date/time listed in the "nbf" claim", with the same leeway: valid iff
/// `now >= nbf - leeway`.
pub fn not_before(claims: &Map<String, Value>, now: i64, leeway: u64) -> Checked {
    match numeric_date(claims, "nbf") {
        Some((value, nbf)) if (now as f64) < nbf - leeway as f64 => Err(Rejection::new(
            RejectKind::NotYetValid,
            format!(
                "nbf {value} is after now {now} with {leeway} s leeway (RFC 7519 section 4.1.5)"
            ),
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const NOW: i64 = 1_700_000_000;

    fn claims(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    #[test]
    fn numbers_of_any_form_are_numeric_dates() {
        for v in [
            json!(1),
            json!(-1),
            json!(1.5),
            json!(9_223_372_036_854_775_808u64),
            json!(1e300),
        ] {
            assert_eq!(
                numeric_dates_are_numbers(&claims(json!({"exp": v, "nbf": v, "iat": v}))),
                Ok(())
            );
        }
        assert_eq!(numeric_dates_are_numbers(&claims(json!({}))), Ok(()));
    }

    #[test]
    fn other_json_types_are_malformed() {
        for name in NUMERIC_DATES {
            for v in [
                json!("1700000000"),
                json!(true),
                json!(null),
                json!([1]),
                json!({"a": 1}),
            ] {
                let r = numeric_dates_are_numbers(&claims(json!({ name: v }))).unwrap_err();
                assert_eq!(r.kind, RejectKind::Malformed, "{name}: {v}");
            }
        }
    }

    #[test]
    fn exp_is_valid_strictly_before_it() {
        let at = |exp: Value, leeway| not_expired(&claims(json!({ "exp": exp })), NOW, leeway);
        assert_eq!(at(json!(NOW + 1), 0), Ok(()));
        assert_eq!(at(json!(NOW), 0).unwrap_err().kind, RejectKind::Expired);
        assert_eq!(at(json!(NOW - 1), 0).unwrap_err().kind, RejectKind::Expired);
        assert_eq!(at(json!(NOW - 59), 60), Ok(()));
        assert_eq!(
            at(json!(NOW - 60), 60).unwrap_err().kind,
            RejectKind::Expired
        );
        assert_eq!(at(json!(NOW as f64 + 0.5), 0), Ok(()));
        assert_eq!(at(json!(-1), 0).unwrap_err().kind, RejectKind::Expired);
        assert_eq!(at(json!(1e300), 0), Ok(()));
        assert_eq!(not_expired(&claims(json!({})), NOW, 0), Ok(()));
    }

    #[test]
    fn nbf_is_valid_on_or_after_it() {
        let at = |nbf: Value, leeway| not_before(&claims(json!({ "nbf": nbf })), NOW, leeway);
        assert_eq!(at(json!(NOW), 0), Ok(()));
        assert_eq!(at(json!(NOW - 1), 0), Ok(()));
        assert_eq!(
            at(json!(NOW + 1), 0).unwrap_err().kind,
            RejectKind::NotYetValid
        );
        assert_eq!(at(json!(NOW + 60), 60), Ok(()));
        assert_eq!(
            at(json!(NOW + 61), 60).unwrap_err().kind,
            RejectKind::NotYetValid
        );
        assert_eq!(at(json!(-1), 0), Ok(()));
        assert_eq!(
            at(json!(1e300), 0).unwrap_err().kind,
            RejectKind::NotYetValid
        );
        assert_eq!(not_before(&claims(json!({})), NOW, 0), Ok(()));
    }
}

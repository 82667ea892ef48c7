//! Time: `exp`, `nbf` and `iat` (RFC 7519 sections 4.1.4 to 4.1.6) and the NumericDate
//! type (section 2).
//!
//! Not a choice (`rfc`): "The processing of the "exp" claim requires that the current
//! date/time MUST be before the expiration date/time listed in the "exp" claim" and, for
//! `nbf`, "MUST be after or equal to the not-before date/time"; both "MUST be a number
//! containing a NumericDate value", so a string, boolean, array or object `exp` or `nbf`
//! states a time the verifier cannot compare and is refused. With a leeway `L` the window is
//! `nbf - L <= now < exp + L`.
//!
//! Permitted choices, each taken the strict way by [`Choice::Strict`]:
//! - `null`: JSON's "no value". A `null` `exp` or `nbf` states no time at all, so the
//!   lenient reference reads it as absent (a policy that requires the claim still
//!   refuses it as missing); the strict one refuses it as not a number;
//! - NumericDate range and precision: section 2 allows "non-integer values" and RFC 8259
//!   section 6 "allows implementations to set limits on the range and precision of
//!   numbers accepted". The strict reference reads any JSON number exactly (compared as
//!   an `f64`, exact for whole seconds up to 2^53: `exp: 1e300` never expires); the
//!   lenient one refuses negative values and values beyond 2^53 and reads fractions as
//!   whole seconds, truncated.
//! - the leeway's edge: "Implementers MAY provide for some small leeway, usually no more
//!   than a few minutes, to account for clock skew"; how much is theirs, and the lenient
//!   reference gives a configured leeway one second more.
//! - `iat`: section 4.1.6 sets no processing rule ("This claim can be used to determine
//!   the age of the JWT"). The strict reference refuses an `iat` that is not a number,
//!   and one later than now plus the leeway: a token issued in the future was not
//!   issued at the time it claims (reject kind `not-yet-valid`). The lenient one never
//!   reads `iat`.

use super::json::type_name;
use super::{Checked, Choice, Rejection};
use crate::verdict::RejectKind;
use serde_json::{Map, Value};

/// The claims whose value is a NumericDate.
pub const NUMERIC_DATES: [&str; 3] = ["exp", "nbf", "iat"];

/// 2^53: the lenient reference's upper bound on a NumericDate.
const LENIENT_LIMIT: f64 = 9_007_199_254_740_992.0;

/// RFC 7519 sections 4.1.4, 4.1.5 and 4.1.6: "Its value MUST be a number containing a
/// NumericDate value" — a string, boolean, array or object is refused, and `null` by the
/// strict reading; the lenient one reads `null` as absent, refuses numbers outside its
/// range and never reads `iat`.
pub fn numeric_dates_are_numbers(claims: &Map<String, Value>, choice: Choice) -> Checked {
    numeric_dates_read(claims, choice, choice)
}

/// [`numeric_dates_are_numbers`] with the range taken `choice`'s way and `iat` read
/// (strict) or not (lenient) as `iat` says.
pub fn numeric_dates_read(claims: &Map<String, Value>, choice: Choice, iat: Choice) -> Checked {
    for name in NUMERIC_DATES {
        if name == "iat" && iat == Choice::Lenient {
            continue;
        }
        match claims.get(name) {
            None => {}
            // `null` is JSON's "no value": the lenient reading takes it for absent.
            Some(Value::Null) if choice == Choice::Lenient => {}
            Some(Value::Number(n))
                if choice == Choice::Lenient
                    && !(0.0..=LENIENT_LIMIT).contains(&n.as_f64().unwrap_or(f64::NAN)) =>
            {
                return Err(Rejection::new(
                    RejectKind::Malformed,
                    format!(
                        "`{name}` {n} is outside the NumericDates this verifier reads, 0 to 2^53 (RFC 8259 section 6)"
                    ),
                ));
            }
            Some(Value::Number(_)) => {}
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

/// A NumericDate claim as its JSON value (for messages) and its seconds as `choice`
/// reads them, when present and a number.
fn numeric_date<'c>(
    claims: &'c Map<String, Value>,
    name: &str,
    choice: Choice,
) -> Option<(&'c Value, f64)> {
    let value = claims.get(name)?;
    let seconds = value.as_f64()?;
    Some((
        value,
        match choice {
            Choice::Strict => seconds,
            Choice::Lenient => seconds.trunc(),
        },
    ))
}

/// The leeway as `choice` applies it.
fn leeway_of(leeway: u64, choice: Choice) -> f64 {
    match (choice, leeway) {
        (Choice::Lenient, l) if l > 0 => l as f64 + 1.0,
        (_, l) => l as f64,
    }
}

/// RFC 7519 section 4.1.4: valid iff `now < exp + leeway`.
pub fn not_expired(claims: &Map<String, Value>, now: i64, leeway: u64, choice: Choice) -> Checked {
    match numeric_date(claims, "exp", choice) {
        Some((value, exp)) if now as f64 >= exp + leeway_of(leeway, choice) => {
            Err(Rejection::new(
                RejectKind::Expired,
                format!(
                    "exp {value} is not after now {now} with {leeway} s leeway (RFC 7519 section 4.1.4)"
                ),
            ))
        }
        _ => Ok(()),
    }
}

/// RFC 7519 section 4.1.5: valid iff `now >= nbf - leeway`.
pub fn not_before(claims: &Map<String, Value>, now: i64, leeway: u64, choice: Choice) -> Checked {
    match numeric_date(claims, "nbf", choice) {
        Some((value, nbf)) if (now as f64) < nbf - leeway_of(leeway, choice) => {
            Err(Rejection::new(
                RejectKind::NotYetValid,
                format!(
                    "nbf {value} is after now {now} with {leeway} s leeway (RFC 7519 section 4.1.5)"
                ),
            ))
        }
        _ => Ok(()),
    }
}

/// RFC 7519 section 4.1.6 sets no rule for `iat`; the strict reading refuses a token
/// issued later than `now + leeway`, the lenient one never reads `iat`.
pub fn issued_in_the_past(
    claims: &Map<String, Value>,
    now: i64,
    leeway: u64,
    choice: Choice,
) -> Checked {
    if choice == Choice::Lenient {
        return Ok(());
    }
    match numeric_date(claims, "iat", choice) {
        Some((value, iat)) if iat > now as f64 + leeway as f64 => Err(Rejection::new(
            RejectKind::NotYetValid,
            format!(
                "iat {value} is after now {now} with {leeway} s leeway: the token claims to be \
                 issued in the future (RFC 7519 section 4.1.6 sets no rule; refused as hardening)"
            ),
        )),
        _ => Ok(()),
    }
}

/// Whether `now` lies in the window of an `exp` and an `nbf` given as whole seconds:
/// `nbf - leeway <= now < exp + leeway`, the strict reading. For oracles that generate
/// integer NumericDates.
pub fn in_window(exp: Option<i64>, nbf: Option<i64>, now: i64, leeway: u64) -> bool {
    let leeway = leeway as i128;
    let now = now as i128;
    exp.is_none_or(|exp| now < exp as i128 + leeway)
        && nbf.is_none_or(|nbf| now >= nbf as i128 - leeway)
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
    fn numbers_of_any_form_are_numeric_dates_when_strict() {
        for v in [
            json!(1),
            json!(-1),
            json!(1.5),
            json!(9_223_372_036_854_775_808u64),
            json!(1e300),
        ] {
            let c = claims(json!({"exp": v, "nbf": v, "iat": v}));
            assert_eq!(numeric_dates_are_numbers(&c, Choice::Strict), Ok(()));
        }
        assert_eq!(
            numeric_dates_are_numbers(&claims(json!({})), Choice::Strict),
            Ok(())
        );
    }

    #[test]
    fn the_lenient_range_is_zero_to_two_to_the_53() {
        for v in [json!(-1), json!(9_223_372_036_854_775_808u64), json!(1e300)] {
            let r = numeric_dates_are_numbers(&claims(json!({ "exp": v })), Choice::Lenient);
            assert_eq!(r.unwrap_err().kind, RejectKind::Malformed, "{v}");
        }
        for v in [json!(0), json!(1.5), json!(9_007_199_254_740_992u64)] {
            let r = numeric_dates_are_numbers(&claims(json!({ "nbf": v })), Choice::Lenient);
            assert_eq!(r, Ok(()), "{v}");
        }
        // iat is never read by the lenient reference.
        let c = claims(json!({"iat": "yesterday"}));
        assert_eq!(numeric_dates_are_numbers(&c, Choice::Lenient), Ok(()));
        assert!(numeric_dates_are_numbers(&c, Choice::Strict).is_err());
    }

    #[test]
    fn other_json_types_are_malformed_either_way() {
        for name in ["exp", "nbf"] {
            let null = claims(json!({ name: null }));
            assert!(numeric_dates_are_numbers(&null, Choice::Strict).is_err());
            assert_eq!(numeric_dates_are_numbers(&null, Choice::Lenient), Ok(()));
            for v in [
                json!("1700000000"),
                json!(true),
                json!([1]),
                json!({"a": 1}),
            ] {
                for choice in [Choice::Strict, Choice::Lenient] {
                    let r =
                        numeric_dates_are_numbers(&claims(json!({ name: v })), choice).unwrap_err();
                    assert_eq!(r.kind, RejectKind::Malformed, "{name}: {v}");
                }
            }
        }
    }

    #[test]
    fn exp_is_valid_strictly_before_it() {
        let at = |exp: Value, leeway, choice| {
            not_expired(&claims(json!({ "exp": exp })), NOW, leeway, choice)
        };
        for choice in [Choice::Strict, Choice::Lenient] {
            assert_eq!(at(json!(NOW + 1), 0, choice), Ok(()));
            assert_eq!(
                at(json!(NOW), 0, choice).unwrap_err().kind,
                RejectKind::Expired
            );
            assert_eq!(
                at(json!(NOW - 1), 0, choice).unwrap_err().kind,
                RejectKind::Expired
            );
            assert_eq!(at(json!(NOW - 59), 60, choice), Ok(()));
            assert_eq!(
                at(json!(-1), 0, choice).unwrap_err().kind,
                RejectKind::Expired
            );
        }
        assert_eq!(
            at(json!(NOW - 60), 60, Choice::Strict).unwrap_err().kind,
            RejectKind::Expired
        );
        assert_eq!(
            at(json!(NOW - 60), 60, Choice::Lenient),
            Ok(()),
            "the lenient edge"
        );
        assert_eq!(
            at(json!(NOW - 61), 60, Choice::Lenient).unwrap_err().kind,
            RejectKind::Expired
        );
        assert_eq!(at(json!(NOW as f64 + 0.5), 0, Choice::Strict), Ok(()));
        assert_eq!(
            at(json!(NOW as f64 + 0.5), 0, Choice::Lenient)
                .unwrap_err()
                .kind,
            RejectKind::Expired
        );
        assert_eq!(at(json!(1e300), 0, Choice::Strict), Ok(()));
        assert_eq!(
            not_expired(&claims(json!({})), NOW, 0, Choice::Strict),
            Ok(())
        );
    }

    #[test]
    fn nbf_is_valid_on_or_after_it() {
        let at = |nbf: Value, leeway, choice| {
            not_before(&claims(json!({ "nbf": nbf })), NOW, leeway, choice)
        };
        for choice in [Choice::Strict, Choice::Lenient] {
            assert_eq!(at(json!(NOW), 0, choice), Ok(()));
            assert_eq!(at(json!(NOW - 1), 0, choice), Ok(()));
            assert_eq!(
                at(json!(NOW + 1), 0, choice).unwrap_err().kind,
                RejectKind::NotYetValid
            );
            assert_eq!(at(json!(NOW + 60), 60, choice), Ok(()));
        }
        assert_eq!(
            at(json!(NOW + 61), 60, Choice::Strict).unwrap_err().kind,
            RejectKind::NotYetValid
        );
        assert_eq!(at(json!(NOW + 61), 60, Choice::Lenient), Ok(()));
        assert_eq!(
            at(json!(NOW as f64 + 0.5), 0, Choice::Strict)
                .unwrap_err()
                .kind,
            RejectKind::NotYetValid
        );
        assert_eq!(at(json!(NOW as f64 + 0.5), 0, Choice::Lenient), Ok(()));
        assert_eq!(at(json!(-1), 0, Choice::Strict), Ok(()));
        assert_eq!(
            at(json!(1e300), 0, Choice::Strict).unwrap_err().kind,
            RejectKind::NotYetValid
        );
    }

    #[test]
    fn a_future_iat_is_refused_only_when_strict() {
        let at = |iat: Value, leeway, choice| {
            issued_in_the_past(&claims(json!({ "iat": iat })), NOW, leeway, choice)
        };
        assert_eq!(at(json!(NOW), 0, Choice::Strict), Ok(()));
        assert_eq!(at(json!(NOW - 3600), 0, Choice::Strict), Ok(()));
        assert_eq!(at(json!(NOW + 60), 60, Choice::Strict), Ok(()));
        assert_eq!(
            at(json!(NOW + 1), 0, Choice::Strict).unwrap_err().kind,
            RejectKind::NotYetValid
        );
        assert_eq!(
            at(json!(NOW + 61), 60, Choice::Strict).unwrap_err().kind,
            RejectKind::NotYetValid
        );
        for iat in [json!(NOW + 10_800), json!(1e300), json!("tomorrow")] {
            assert_eq!(at(iat, 0, Choice::Lenient), Ok(()));
        }
        // Not a number: the type check's business, not this one's.
        assert_eq!(at(json!("tomorrow"), 0, Choice::Strict), Ok(()));
        assert_eq!(
            issued_in_the_past(&claims(json!({})), NOW, 0, Choice::Strict),
            Ok(())
        );
    }

    #[test]
    fn the_integer_window_matches_the_strict_checks() {
        for (exp, nbf, leeway, inside) in [
            (Some(NOW + 1), None, 0, true),
            (Some(NOW), None, 0, false),
            (Some(NOW - 5), None, 5, false),
            (Some(NOW - 4), None, 5, true),
            (None, Some(NOW), 0, true),
            (None, Some(NOW + 1), 0, false),
            (None, Some(NOW + 5), 5, true),
            (Some(i64::MAX), Some(i64::MIN), u64::MAX, true),
        ] {
            assert_eq!(
                in_window(exp, nbf, NOW, leeway),
                inside,
                "{exp:?} {nbf:?} {leeway}"
            );
        }
    }
}

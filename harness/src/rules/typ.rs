//! The `typ` and `cty` Header Parameters (RFC 7515 sections 4.1.9 and 4.1.10; RFC 8725
//! section 3.11; RFC 7519 section 7.2 step 8).
//!
//! Permitted choice, refused by [`Choice::Strict`]: a `typ` or `cty` that is not a
//! string when the policy requires no type. Both "are ignored by JWS implementations;
//! any processing of this parameter is performed by the JWS application" (sections
//! 4.1.9 and 4.1.10), so a verifier that is not asked to compare them may ignore them.
//! Not a choice: a required `typ` must match. RFC 8725 section 3.11 recommends explicit
//! typing, and section 3.12 makes it binding where a deployment tells its kinds of JWT
//! apart by type: "the validation rules for those JWTs MUST be written such that they
//! are mutually exclusive, rejecting JWTs of the wrong kind" (`bcp`). A required type is
//! compared as RFC 7515 section 4.1.9 says, case-insensitively and with "application/"
//! prepended to a value without a '/'. And a `cty` of `JWT` makes the payload a nested
//! JWT that is not this token's claims (RFC 7519 section 7.2 step 8).

use super::json::type_name;
use super::{Checked, Choice, Rejection};
use crate::verdict::RejectKind;
use serde_json::{Map, Value};

/// Checks the types of `typ` and `cty`, `typ` against the policy's required type, and
/// that `cty` does not announce a nested JWT.
pub fn check(header: &Map<String, Value>, required: Option<&str>, choice: Choice) -> Checked {
    if choice == Choice::Strict || required.is_some() {
        typ_is_a_string(header.get("typ"))?;
    }
    if choice == Choice::Strict {
        cty_is_a_string(header.get("cty"))?;
    }
    if let Some(required) = required {
        typ_matches(header.get("typ").and_then(Value::as_str), required)?;
    }
    not_nested(header.get("cty").and_then(Value::as_str))
}

/// RFC 7515 section 4.1.9: media type values are compared case-insensitively, and "A
/// recipient using the media type value MUST treat it as if "application/" were
/// prepended to any "typ" value not containing a '/'".
pub fn normalise(media_type: &str) -> String {
    let lower = media_type.to_ascii_lowercase();
    if lower.contains('/') {
        lower
    } else {
        format!("application/{lower}")
    }
}

/// RFC 8725 sections 3.11 and 3.12: explicit typing — when the application requires a
/// `typ`, a token without it, or with another type, is of the wrong kind and refused.
fn typ_matches(typ: Option<&str>, required: &str) -> Checked {
    match typ {
        Some(typ) if normalise(typ) == normalise(required) => Ok(()),
        Some(typ) => Err(Rejection::new(
            RejectKind::Type,
            format!("`typ` {typ:?} is not the required {required:?} (RFC 8725 section 3.11)"),
        )),
        None => Err(Rejection::new(
            RejectKind::Type,
            format!("the header has no `typ`; {required:?} is required (RFC 8725 section 3.11)"),
        )),
    }
}

/// RFC 7515 section 4.1.9: `typ` declares "the media type … of this complete JWS", a
/// string, whether or not the policy compares it.
fn typ_is_a_string(typ: Option<&Value>) -> Checked {
    match typ {
        None | Some(Value::String(_)) => Ok(()),
        Some(other) => Err(Rejection::new(
            RejectKind::Malformed,
            format!(
                "`typ` is {}, not a string (RFC 7515 section 4.1.9)",
                type_name(other)
            ),
        )),
    }
}

/// RFC 7515 section 4.1.10: the "cty" value is a string (a media type).
fn cty_is_a_string(cty: Option<&Value>) -> Checked {
    match cty {
        None | Some(Value::String(_)) => Ok(()),
        Some(other) => Err(Rejection::new(
            RejectKind::Malformed,
            format!(
                "`cty` is {}, not a string (RFC 7515 section 4.1.10)",
                type_name(other)
            ),
        )),
    }
}

/// RFC 7519 section 7.2 step 8: "If the JOSE Header contains a "cty" (content type) value
/// of "JWT", then the Message is a JWT that was the subject of nested signing or
/// encryption operations". The reference does not process nested JWTs, so it refuses
/// such a token instead of reading its payload as claims.
fn not_nested(cty: Option<&str>) -> Checked {
    match cty {
        Some(cty) if normalise(cty) == "application/jwt" => Err(Rejection::new(
            RejectKind::Malformed,
            "`cty` JWT marks a nested JWT, which the reference does not process (RFC 7519 section 7.2 step 8)",
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(header: Value, required: Option<&str>) -> Checked {
        check(header.as_object().unwrap(), required, Choice::Strict)
    }

    #[test]
    fn a_lenient_reader_ignores_the_types_of_what_it_need_not_compare() {
        let lenient = |h: Value, r| check(h.as_object().unwrap(), r, Choice::Lenient);
        assert_eq!(lenient(json!({"typ": 1, "cty": true}), None), Ok(()));
        assert_eq!(
            lenient(json!({"typ": 1}), Some("JWT")).unwrap_err().kind,
            RejectKind::Malformed
        );
        assert!(lenient(json!({"cty": "JWT"}), None)
            .unwrap_err()
            .message
            .contains("nested"));
    }

    #[test]
    fn normalisation_folds_case_and_adds_the_application_prefix() {
        assert_eq!(normalise("JWT"), "application/jwt");
        assert_eq!(normalise("Application/At+JWT"), "application/at+jwt");
        assert_eq!(normalise("text/jwt"), "text/jwt");
    }

    #[test]
    fn the_required_typ_matches_in_any_spelling() {
        for typ in ["JWT", "jwt", "application/jwt", "APPLICATION/JWT"] {
            assert_eq!(run(json!({ "typ": typ }), Some("JWT")), Ok(()), "{typ}");
        }
        assert_eq!(
            run(json!({"typ": "at+jwt"}), Some("application/at+JWT")),
            Ok(())
        );
    }

    #[test]
    fn a_missing_different_or_non_string_typ_is_a_type_rejection() {
        for header in [
            json!({}),
            json!({"typ": "at+jwt"}),
            json!({"typ": "text/jwt"}),
            json!({"typ": "JWT "}),
            json!({"typ": ""}),
        ] {
            let r = run(header.clone(), Some("JWT")).unwrap_err();
            assert_eq!(r.kind, RejectKind::Type, "{header}");
        }
    }

    #[test]
    fn without_a_required_typ_any_string_passes() {
        assert_eq!(run(json!({"typ": "anything"}), None), Ok(()));
        assert_eq!(run(json!({}), None), Ok(()));
    }

    #[test]
    fn a_non_string_typ_is_malformed_whatever_the_policy() {
        for required in [None, Some("JWT")] {
            for typ in [json!(1), json!(["JWT"]), json!(null), json!({"typ": "JWT"})] {
                let r = run(json!({ "typ": typ }), required).unwrap_err();
                assert_eq!(r.kind, RejectKind::Malformed, "{typ} under {required:?}");
            }
        }
    }

    #[test]
    fn cty_must_be_a_string_and_not_mark_a_nested_jwt() {
        assert_eq!(run(json!({"cty": "example"}), None), Ok(()));
        assert_eq!(
            run(json!({"cty": true}), None).unwrap_err().kind,
            RejectKind::Malformed
        );
        for cty in ["JWT", "jwt", "application/JWT"] {
            let r = run(json!({ "cty": cty }), None).unwrap_err();
            assert!(r.message.contains("nested"), "{cty}: {r}");
        }
    }
}

//! Step 9: the JWT Claims Set against the policy (RFC 7519 section 4.1).
//!
//! The registered claims the reference reads are type-checked first, whatever the
//! policy: a value of the wrong JSON type is malformed (the catalogue's table: "claim of
//! the wrong JSON type"). The comparisons that follow only ever see well-typed values,
//! so a mismatch there is `issuer` or `audience`. Claims the reference does not read
//! (`sub`, `jti`, private claims) are returned as they are, unchecked.

use crate::json::type_name;
use crate::reject::{Checked, Rejection};
use crate::short;
use crate::time;
use jwt_conformance::{Policy, RejectKind};
use serde_json::{Map, Value};

/// Every claim check, in order; the first failure decides.
pub fn check(claims: &Map<String, Value>, policy: &Policy, now: i64) -> Checked {
    match defects(claims, policy, now).into_iter().next() {
        Some(rejection) => Err(rejection),
        None => Ok(()),
    }
}

/// Every failing claim check, in order: the type checks, then — only when the types are
/// right, since the comparisons need well-typed values — the presence, time, issuer and
/// audience checks.
pub fn defects(claims: &Map<String, Value>, policy: &Policy, now: i64) -> Vec<Rejection> {
    let types = [
        time::numeric_dates_are_numbers(claims),
        issuer_is_a_string(claims),
        audience_is_strings(claims),
    ];
    let wrong_types: Vec<Rejection> = types.into_iter().filter_map(Result::err).collect();
    if !wrong_types.is_empty() {
        return wrong_types;
    }
    [
        required_present(claims, &policy.required_claims),
        time::not_expired(claims, now, policy.leeway),
        time::not_before(claims, now, policy.leeway),
        issuer_matches(claims, policy.issuer.as_deref()),
        audience_matches(claims, &policy.audience),
    ]
    .into_iter()
    .filter_map(Result::err)
    .collect()
}

fn malformed(message: String) -> Rejection {
    Rejection::new(RejectKind::Malformed, message)
}

/// RFC 7519 section 4.1.1: "The "iss" value is a case-sensitive string containing a
/// StringOrURI value."
fn issuer_is_a_string(claims: &Map<String, Value>) -> Checked {
    match claims.get("iss") {
        None | Some(Value::String(_)) => Ok(()),
        Some(other) => Err(malformed(format!(
            "`iss` is {}, not a string (RFC 7519 section 4.1.1)",
            type_name(other)
        ))),
    }
}

/// RFC 7519 section 4.1.3: "the "aud" value is an array of case-sensitive strings, each
/// containing a StringOrURI value. In the special case when the JWT has one audience,
/// the "aud" value MAY be a single case-sensitive string".
fn audience_is_strings(claims: &Map<String, Value>) -> Checked {
    match claims.get("aud") {
        None | Some(Value::String(_)) => Ok(()),
        Some(Value::Array(items)) => match items.iter().find(|item| !item.is_string()) {
            Some(item) => Err(malformed(format!(
                "`aud` contains {}, not a string (RFC 7519 section 4.1.3)",
                type_name(item)
            ))),
            None => Ok(()),
        },
        Some(other) => Err(malformed(format!(
            "`aud` is {}, not a string or an array of strings (RFC 7519 section 4.1.3)",
            type_name(other)
        ))),
    }
}

/// RFC 7519 section 4: "the set of claims that a JWT must contain to be considered valid
/// is context dependent" — the policy's required claims must be present.
fn required_present(claims: &Map<String, Value>, required: &[String]) -> Checked {
    match required
        .iter()
        .find(|name| !claims.contains_key(name.as_str()))
    {
        Some(name) => Err(Rejection::new(
            RejectKind::MissingClaim,
            format!("the required claim `{name}` is absent (RFC 7519 section 4)"),
        )),
        None => Ok(()),
    }
}

/// RFC 7519 section 4.1.1: the "iss" value is "a case-sensitive string" whose
/// processing "is generally application specific"; a policy with an issuer requires
/// exactly that string (RFC 8725 section 3.8, "Validate Issuer and Subject").
fn issuer_matches(claims: &Map<String, Value>, expected: Option<&str>) -> Checked {
    let Some(expected) = expected else {
        return Ok(());
    };
    match claims.get("iss").and_then(Value::as_str) {
        Some(iss) if iss == expected => Ok(()),
        Some(iss) => Err(Rejection::new(
            RejectKind::Issuer,
            format!(
                "`iss` {} is not the expected {} (RFC 7519 section 4.1.1)",
                short(iss),
                short(expected)
            ),
        )),
        None => Err(Rejection::new(
            RejectKind::Issuer,
            format!(
                "`iss` is absent; {} is expected (RFC 8725 section 3.8)",
                short(expected)
            ),
        )),
    }
}

/// RFC 7519 section 4.1.3: "Each principal intended to process the JWT MUST identify
/// itself with a value in the audience claim. If the principal processing the claim does
/// not identify itself with a value in the "aud" claim when this claim is present, then
/// the JWT MUST be rejected." Values compare exactly. A verifier expecting no audience
/// identifies itself with none, so any `aud` is refused, `[]` included.
fn audience_matches(claims: &Map<String, Value>, accepted: &[String]) -> Checked {
    let Some(aud) = claims.get("aud") else {
        return match accepted {
            [] => Ok(()),
            _ => Err(Rejection::new(
                RejectKind::Audience,
                "`aud` is absent but the verifier requires an audience (RFC 8725 section 3.9)",
            )),
        };
    };
    if audience_values(aud).any(|v| accepted.iter().any(|a| a == v)) {
        return Ok(());
    }
    Err(Rejection::new(
        RejectKind::Audience,
        match accepted {
            [] => "`aud` is present but this verifier expects no audience (RFC 7519 section 4.1.3)",
            _ => "no `aud` value is an accepted audience (RFC 7519 section 4.1.3)",
        },
    ))
}

/// The string values of an `aud` claim: the string itself, or the strings of an array.
fn audience_values(aud: &Value) -> impl Iterator<Item = &str> {
    let items = match aud {
        Value::Array(items) => items.as_slice(),
        one => std::slice::from_ref(one),
    };
    items.iter().filter_map(Value::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jwt_conformance::JwkSet;
    use serde_json::json;

    const NOW: i64 = 1_700_000_000;

    fn claims(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    fn policy() -> Policy {
        Policy::new(JwkSet::default(), Vec::new(), Some(NOW))
    }

    fn kind(value: Value, policy: &Policy) -> Option<RejectKind> {
        check(&claims(value), policy, NOW).err().map(|r| r.kind)
    }

    #[test]
    fn a_valid_claim_set_passes() {
        let mut p = policy();
        p.issuer = Some("https://issuer.example".to_string());
        p.audience = vec!["api".to_string()];
        let c = json!({"iss": "https://issuer.example", "aud": "api", "sub": "s", "exp": NOW + 1, "nbf": NOW});
        assert_eq!(kind(c, &p), None);
    }

    #[test]
    fn required_claims_must_be_present() {
        assert_eq!(
            kind(json!({"sub": "s"}), &policy()),
            Some(RejectKind::MissingClaim)
        );
        let mut p = policy();
        p.required_claims = vec!["exp".to_string(), "jti".to_string()];
        assert_eq!(
            kind(json!({"exp": NOW + 1}), &p),
            Some(RejectKind::MissingClaim)
        );
        assert_eq!(kind(json!({"exp": NOW + 1, "jti": "j"}), &p), None);
    }

    #[test]
    fn iss_and_aud_of_the_wrong_type_are_malformed_whatever_the_policy() {
        let mut checking = policy();
        checking.issuer = Some("x".to_string());
        checking.audience = vec!["x".to_string()];
        for c in [
            json!({"exp": NOW + 1, "iss": ["x"]}),
            json!({"exp": NOW + 1, "iss": null}),
            json!({"exp": NOW + 1, "iss": 1}),
            json!({"exp": NOW + 1, "aud": 1}),
            json!({"exp": NOW + 1, "aud": {"x": true}}),
            json!({"exp": NOW + 1, "aud": null}),
            json!({"exp": NOW + 1, "aud": ["x", 1]}),
            json!({"exp": "1"}),
        ] {
            for p in [&policy(), &checking] {
                assert_eq!(kind(c.clone(), p), Some(RejectKind::Malformed), "{c}");
            }
        }
    }

    #[test]
    fn claims_the_reference_does_not_read_are_not_checked() {
        let c = json!({"exp": NOW + 1, "sub": 1, "jti": null, "x": [{}]});
        assert_eq!(kind(c, &policy()), None);
    }

    #[test]
    fn the_issuer_must_be_exactly_the_expected_string() {
        let mut p = policy();
        p.issuer = Some("https://issuer.example".to_string());
        assert_eq!(
            kind(json!({"exp": NOW + 1, "iss": "https://issuer.example"}), &p),
            None
        );
        for iss in [
            "https://ISSUER.example",
            "https://issuer.example/",
            "https://issuer.exampl",
            "https://issuer.example ",
            "",
        ] {
            assert_eq!(
                kind(json!({"exp": NOW + 1, "iss": iss}), &p),
                Some(RejectKind::Issuer),
                "{iss}"
            );
        }
        assert_eq!(kind(json!({"exp": NOW + 1}), &p), Some(RejectKind::Issuer));
    }

    #[test]
    fn an_expected_audience_must_appear_in_aud() {
        let mut p = policy();
        p.audience = vec!["api".to_string(), "other".to_string()];
        for aud in [json!("api"), json!(["x", "other"]), json!(["api"])] {
            assert_eq!(kind(json!({"exp": NOW + 1, "aud": aud}), &p), None, "{aud}");
        }
        for aud in [
            json!("API"),
            json!([]),
            json!([""]),
            json!("api "),
            json!(["ap"]),
        ] {
            assert_eq!(
                kind(json!({"exp": NOW + 1, "aud": aud}), &p),
                Some(RejectKind::Audience),
                "{aud}"
            );
        }
        assert_eq!(
            kind(json!({"exp": NOW + 1}), &p),
            Some(RejectKind::Audience)
        );
    }

    #[test]
    fn a_verifier_expecting_no_audience_refuses_any_aud() {
        assert_eq!(kind(json!({"exp": NOW + 1}), &policy()), None);
        for aud in [json!("api"), json!([]), json!([""])] {
            assert_eq!(
                kind(json!({"exp": NOW + 1, "aud": aud}), &policy()),
                Some(RejectKind::Audience),
                "{aud}"
            );
        }
    }

    #[test]
    fn defects_lists_every_failing_check_but_skips_comparisons_of_wrong_types() {
        let mut p = policy();
        p.issuer = Some("x".to_string());
        let kinds = |c: Value| -> Vec<RejectKind> {
            defects(&claims(c), &p, NOW)
                .into_iter()
                .map(|r| r.kind)
                .collect()
        };
        assert_eq!(kinds(json!({"exp": NOW + 1, "iss": "x"})), vec![]);
        assert_eq!(
            kinds(json!({"exp": NOW, "nbf": NOW + 1, "iss": "y", "aud": "a"})),
            vec![
                RejectKind::Expired,
                RejectKind::NotYetValid,
                RejectKind::Issuer,
                RejectKind::Audience
            ]
        );
        assert_eq!(
            kinds(json!({"exp": "soon", "iss": 1})),
            vec![RejectKind::Malformed, RejectKind::Malformed]
        );
    }

    #[test]
    fn time_claims_are_checked_in_the_window() {
        assert_eq!(
            kind(json!({"exp": NOW}), &policy()),
            Some(RejectKind::Expired)
        );
        assert_eq!(
            kind(json!({"exp": NOW + 9, "nbf": NOW + 1}), &policy()),
            Some(RejectKind::NotYetValid)
        );
        assert_eq!(
            kind(json!({"exp": NOW + 9, "iat": NOW + 999}), &policy()),
            None
        );
    }
}

//! The JWT Claims Set against the policy (RFC 7519 section 4.1; RFC 8725 sections 3.8
//! and 3.9): required claims, NumericDates (see [`super::time`]), issuer and audience.
//!
//! Not a choice:
//! - `rfc`, RFC 7519 section 4.1.3: "If the principal processing the claim does not
//!   identify itself with a value in the "aud" claim when this claim is present, then
//!   the JWT MUST be rejected." A verifier told its audiences refuses a token naming
//!   none of them, `[]` included.
//! - `bcp`, RFC 8725 section 3.8: "When a JWT contains an "iss" (issuer) claim, the
//!   application MUST validate that the cryptographic keys used for the cryptographic
//!   operations in the JWT belong to the issuer. If they do not, the application MUST
//!   reject the JWT." A policy naming its issuer says whose keys it trusts, so a token
//!   claiming another issuer is refused.
//! - a claim the policy requires (RFC 7519 section 4: "The set of claims that a JWT must
//!   contain to be considered valid is context dependent") must be present; `null` is
//!   JSON's "no value", so a required claim whose value is `null` is missing too (the
//!   type checks, which run first, still refuse a `null` NumericDate as malformed). With
//!   `aud` required, RFC 8725 section 3.9's condition holds: "In such cases, the relying
//!   party or application MUST validate the audience value, and if the audience value is
//!   not present or not associated with the recipient, it MUST reject the JWT" (`bcp`);
//!   with `iss` required, the deployment asks every token to name the issuer whose keys
//!   section 3.8 has validated (`bcp`). A required `iss` or `aud` that is absent or
//!   `null` is reported once, as the missing claim.
//!
//! Permitted choices, refused by [`Choice::Strict`]:
//! - an `aud` presented to a verifier configured with no audience: the MUST above binds
//!   "the principal processing the claim", and a verifier told no audience has no
//!   identity to compare and leaves the claim to its application ("the interpretation of
//!   audience values is generally application specific"). The strict reference
//!   identifies itself with none and refuses any `aud`; the lenient one does not process
//!   the claim;
//! - an expected `iss` or `aud` that is absent (or `null`) when the policy does not
//!   require the claim: RFC 7519 makes both optional ("Use of this claim is OPTIONAL"),
//!   and whether the issuer serves several relying parties (RFC 8725 section 3.9, "In
//!   such cases") is the deployment's to say, by requiring the claim. The strict
//!   reference refuses an absent one as the wrong issuer or audience and a `null` one as
//!   malformed; the lenient one reads `null` as absent and accepts both;
//! - registered claims of the wrong JSON type that do not decide anything: an `iss` the
//!   policy does not compare, an `iss` array holding the expected issuer, an `aud`
//!   array with a non-string beside an accepted audience. The strict reference refuses
//!   them as malformed (RFC 7519 section 4.1.1: "The "iss" value is a case-sensitive
//!   string"; section 4.1.3: "an array of case-sensitive strings").

use super::json::type_name;
use super::{short, time, Checked, Choice, Rejection};
use crate::policy::Policy;
use crate::verdict::RejectKind;
use serde_json::{Map, Value};

/// Every claim check, in order; the first failure decides.
pub fn check(claims: &Map<String, Value>, policy: &Policy, now: i64, choice: Choice) -> Checked {
    match defects(claims, policy, now, choice).into_iter().next() {
        Some(rejection) => Err(rejection),
        None => Ok(()),
    }
}

/// How a verifier takes each choice the claim rules leave open, one axis at a time: the
/// references take them all one way, a real verifier may mix them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Readings {
    /// NumericDate range and precision, and the leeway's edge (see [`time`]).
    pub time: Choice,
    /// Whether `iat` is read at all.
    pub iat: Choice,
    /// An `iss` that is absent, `null` or of another type where it decides nothing.
    pub issuer: Choice,
    /// An `aud` that is absent, `null` or holds other types beside a match.
    pub audience: Choice,
}

impl Readings {
    /// Every choice taken `choice`'s way, as a reference takes them.
    pub const fn uniform(choice: Choice) -> Readings {
        Readings {
            time: choice,
            iat: choice,
            issuer: choice,
            audience: choice,
        }
    }

    /// Every mix of choices (sixteen).
    pub fn every() -> impl Iterator<Item = Readings> {
        let either = |bit: u32, n: u32| match n >> bit & 1 {
            0 => Choice::Strict,
            _ => Choice::Lenient,
        };
        (0..16u32).map(move |n| Readings {
            time: either(0, n),
            iat: either(1, n),
            issuer: either(2, n),
            audience: either(3, n),
        })
    }
}

/// Every failing claim check, in order: the type checks, then — only when the types are
/// right, since the comparisons need well-typed values — the presence, time, issuer and
/// audience checks.
pub fn defects(
    claims: &Map<String, Value>,
    policy: &Policy,
    now: i64,
    choice: Choice,
) -> Vec<Rejection> {
    defects_read(claims, policy, now, Readings::uniform(choice))
}

/// [`defects`], with each open choice taken as `readings` says.
pub fn defects_read(
    claims: &Map<String, Value>,
    policy: &Policy,
    now: i64,
    readings: Readings,
) -> Vec<Rejection> {
    let required = |name: &str| policy.required_claims.iter().any(|r| r == name);
    let mut types = vec![time::numeric_dates_read(
        claims,
        readings.time,
        readings.iat,
    )];
    if readings.issuer == Choice::Strict {
        types.push(issuer_is_a_string(claims, required("iss")));
    }
    if readings.audience == Choice::Strict {
        types.push(audience_is_strings(claims, required("aud")));
    }
    let wrong_types: Vec<Rejection> = types.into_iter().filter_map(Result::err).collect();
    if !wrong_types.is_empty() {
        return wrong_types;
    }
    [
        required_present(claims, &policy.required_claims),
        time::not_expired(claims, now, policy.leeway, readings.time),
        time::not_before(claims, now, policy.leeway, readings.time),
        time::issued_in_the_past(claims, now, policy.leeway, readings.iat),
        issuer_matches(
            claims,
            policy.issuer.as_deref(),
            required("iss"),
            readings.issuer,
        ),
        audience_matches(claims, &policy.audience, required("aud"), readings.audience),
    ]
    .into_iter()
    .filter_map(Result::err)
    .collect()
}

/// Whether some verifier, mixing the open choices, accepts `claims`: when none does, the
/// standards themselves demand a rejection.
pub fn some_reading_accepts(claims: &Map<String, Value>, policy: &Policy, now: i64) -> bool {
    Readings::every().any(|r| defects_read(claims, policy, now, r).is_empty())
}

fn malformed(message: String) -> Rejection {
    Rejection::new(RejectKind::Malformed, message)
}

/// A claim as `choice` reads it: the lenient reading takes `null` for absent.
fn claim<'c>(claims: &'c Map<String, Value>, name: &str, choice: Choice) -> Option<&'c Value> {
    match (claims.get(name), choice) {
        (Some(Value::Null), Choice::Lenient) => None,
        (value, _) => value,
    }
}

/// A claim's value, if it has one: absent and `null` (JSON's "no value") are alike.
fn value_of<'c>(claims: &'c Map<String, Value>, name: &str) -> Option<&'c Value> {
    claims.get(name).filter(|value| !value.is_null())
}

/// RFC 7519 section 4.1.1: "The "iss" value is a case-sensitive string containing a
/// StringOrURI value." A `null` where `iss` is required is left to the required-claims
/// check, which reports it as missing.
fn issuer_is_a_string(claims: &Map<String, Value>, required: bool) -> Checked {
    match claims.get("iss") {
        None | Some(Value::String(_)) => Ok(()),
        Some(Value::Null) if required => Ok(()),
        Some(other) => Err(malformed(format!(
            "`iss` is {}, not a string (RFC 7519 section 4.1.1)",
            type_name(other)
        ))),
    }
}

/// RFC 7519 section 4.1.3: "the "aud" value is an array of case-sensitive strings, each
/// containing a StringOrURI value. In the special case when the JWT has one audience,
/// the "aud" value MAY be a single case-sensitive string". A `null` where `aud` is
/// required is left to the required-claims check, which reports it as missing.
fn audience_is_strings(claims: &Map<String, Value>, required: bool) -> Checked {
    match claims.get("aud") {
        None | Some(Value::String(_)) => Ok(()),
        Some(Value::Null) if required => Ok(()),
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

/// RFC 7519 section 4: "The set of claims that a JWT must contain to be considered valid
/// is context dependent" — the policy's required claims must be present, with a value
/// other than `null`.
fn required_present(claims: &Map<String, Value>, required: &[String]) -> Checked {
    match required
        .iter()
        .find(|name| value_of(claims, name).is_none())
    {
        Some(name) => Err(Rejection::new(
            RejectKind::MissingClaim,
            format!("the required claim `{name}` is absent (RFC 7519 section 4)"),
        )),
        None => Ok(()),
    }
}

/// RFC 8725 section 3.8: a policy with an issuer accepts exactly that string. Absent,
/// it is refused when strict; absent or `null` where required, it is the required-claims
/// check's to report.
fn issuer_matches(
    claims: &Map<String, Value>,
    expected: Option<&str>,
    required: bool,
    choice: Choice,
) -> Checked {
    let Some(expected) = expected else {
        return Ok(());
    };
    if required && value_of(claims, "iss").is_none() {
        return Ok(());
    }
    let mismatch = |shown: String| {
        Rejection::new(
            RejectKind::Issuer,
            format!(
                "`iss` {shown} is not the expected {} (RFC 8725 section 3.8)",
                short(expected)
            ),
        )
    };
    match (claim(claims, "iss", choice), choice) {
        (Some(Value::String(iss)), _) if iss == expected => Ok(()),
        (Some(Value::String(iss)), _) => Err(mismatch(short(iss))),
        (Some(Value::Array(items)), Choice::Lenient)
            if items.iter().any(|i| i.as_str() == Some(expected)) =>
        {
            Ok(())
        }
        (Some(other), _) => Err(mismatch(other.to_string())),
        (None, Choice::Lenient) => Ok(()),
        (None, Choice::Strict) => Err(Rejection::new(
            RejectKind::Issuer,
            format!(
                "`iss` is absent; {} is expected (RFC 8725 section 3.8)",
                short(expected)
            ),
        )),
    }
}

/// RFC 7519 section 4.1.3: the token is for this verifier if one of its `aud` values is
/// an accepted audience, compared exactly. Absent or `null` where required, it is the
/// required-claims check's to report.
fn audience_matches(
    claims: &Map<String, Value>,
    accepted: &[String],
    required: bool,
    choice: Choice,
) -> Checked {
    if required && value_of(claims, "aud").is_none() {
        return Ok(());
    }
    if accepted.is_empty() && choice == Choice::Lenient {
        return Ok(());
    }
    let Some(aud) = claim(claims, "aud", choice) else {
        return match (accepted, choice) {
            ([], _) | (_, Choice::Lenient) => Ok(()),
            (_, Choice::Strict) => Err(Rejection::new(
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
pub fn audience_values(aud: &Value) -> impl Iterator<Item = &str> {
    let items = match aud {
        Value::Array(items) => items.as_slice(),
        one => std::slice::from_ref(one),
    };
    items.iter().filter_map(Value::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jwk::JwkSet;
    use serde_json::json;

    const NOW: i64 = 1_700_000_000;

    fn claims(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    fn policy() -> Policy {
        Policy::new(JwkSet::default(), Vec::new(), Some(NOW))
    }

    fn kind(value: Value, policy: &Policy) -> Option<RejectKind> {
        check(&claims(value), policy, NOW, Choice::Strict)
            .err()
            .map(|r| r.kind)
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
            defects(&claims(c), &p, NOW, Choice::Strict)
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
        // A token issued in the future: refused by the strict reading only.
        let future_iat = json!({"exp": NOW + 9, "iat": NOW + 999});
        assert_eq!(
            kind(future_iat.clone(), &policy()),
            Some(RejectKind::NotYetValid)
        );
        assert_eq!(
            check(&claims(future_iat), &policy(), NOW, Choice::Lenient),
            Ok(())
        );
    }

    #[test]
    fn a_required_iss_or_aud_that_is_absent_or_null_is_one_missing_claim() {
        let mut p = policy();
        p.issuer = Some("x".to_string());
        p.audience = vec!["api".to_string()];
        p.required_claims = vec!["exp".into(), "iss".into(), "aud".into()];
        for c in [
            json!({"exp": NOW + 1, "aud": "api"}),
            json!({"exp": NOW + 1, "aud": "api", "iss": null}),
            json!({"exp": NOW + 1, "iss": "x"}),
            json!({"exp": NOW + 1, "iss": "x", "aud": null}),
        ] {
            for choice in [Choice::Strict, Choice::Lenient] {
                let found: Vec<RejectKind> = defects(&claims(c.clone()), &p, NOW, choice)
                    .into_iter()
                    .map(|r| r.kind)
                    .collect();
                assert_eq!(found, vec![RejectKind::MissingClaim], "{c} {choice:?}");
            }
        }
        // Any other required claim whose value is null is missing too.
        p.required_claims.push("jti".into());
        let c = json!({"exp": NOW + 1, "iss": "x", "aud": "api", "jti": null});
        assert_eq!(kind(c, &p), Some(RejectKind::MissingClaim));
        // A null NumericDate is still malformed, required or not.
        assert_eq!(
            kind(json!({"exp": null, "iss": "x", "aud": "api"}), &p),
            Some(RejectKind::Malformed)
        );
    }

    #[test]
    fn an_expected_iss_or_aud_that_is_not_required_is_refused_only_when_strict() {
        let mut p = policy();
        p.issuer = Some("x".to_string());
        p.audience = vec!["api".to_string()];
        for (c, strict) in [
            (json!({"exp": NOW + 1, "aud": "api"}), RejectKind::Issuer),
            (
                json!({"exp": NOW + 1, "aud": "api", "iss": null}),
                RejectKind::Malformed,
            ),
            (json!({"exp": NOW + 1, "iss": "x"}), RejectKind::Audience),
            (
                json!({"exp": NOW + 1, "iss": "x", "aud": null}),
                RejectKind::Malformed,
            ),
        ] {
            let found: Vec<RejectKind> = defects(&claims(c.clone()), &p, NOW, Choice::Strict)
                .into_iter()
                .map(|r| r.kind)
                .collect();
            assert_eq!(found, vec![strict], "{c}");
            assert_eq!(
                check(&claims(c.clone()), &p, NOW, Choice::Lenient),
                Ok(()),
                "{c}"
            );
        }
    }

    #[test]
    fn the_lenient_reading_accepts_what_only_hardening_refuses() {
        let mut p = policy();
        p.issuer = Some("x".to_string());
        p.audience = vec!["api".to_string()];
        let lenient = |c: Value, p: &Policy| {
            check(&claims(c), p, NOW, Choice::Lenient)
                .err()
                .map(|r| r.kind)
        };
        for c in [
            json!({"exp": NOW + 1}),
            json!({"exp": NOW + 1, "iss": null, "aud": null}),
            json!({"exp": NOW + 1, "iss": ["x"], "aud": ["api", 1]}),
        ] {
            assert_eq!(lenient(c.clone(), &p), None, "{c}");
            assert!(kind(c.clone(), &p).is_some(), "{c}");
        }
        // Still refused: other issuers and audiences, and what the policy requires. An aud
        // where none is expected is the application's to judge.
        assert_eq!(
            lenient(json!({"exp": NOW + 1, "iss": "y"}), &p),
            Some(RejectKind::Issuer)
        );
        assert_eq!(
            lenient(json!({"exp": NOW + 1, "aud": ["a", 1]}), &p),
            Some(RejectKind::Audience)
        );
        assert_eq!(lenient(json!({"exp": NOW + 1, "aud": []}), &policy()), None);
        assert_eq!(
            kind(json!({"exp": NOW + 1, "aud": []}), &policy()),
            Some(RejectKind::Audience)
        );
        p.required_claims = vec!["exp".into(), "aud".into()];
        assert_eq!(
            lenient(json!({"exp": NOW + 1, "aud": null}), &p),
            Some(RejectKind::MissingClaim)
        );
    }
}

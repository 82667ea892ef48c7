//! `time/*`: the validity window of `exp` and `nbf` (RFC 7519 sections 4.1.4, 4.1.5),
//! the NumericDate type (section 2) and `iat` (section 4.1.6).
//!
//! RFC 7519 4.1.4: "the current date/time MUST be before the expiration date/time";
//! 4.1.5: "the current date/time MUST be after or equal to the not-before date/time".
//! Exact boundaries need an injectable clock; every other case keeps at least two
//! minutes between the token and the boundary, so a system clock cannot flake it.
//!
//! Type confusion is the classic bypass: a verifier that checks `exp` only when it is
//! a number, or casts it to an unsigned integer, accepts expired tokens
//! (CVE-2026-25537; jwt-simple's negative NumericDate fix).

use crate::alg::Alg;
use crate::case::{Case, CaseBuilder, Severity};
use crate::catalogue::common::{claims_with, claims_without, policy_for, valid_claims};
use crate::context::{Context, MARGIN};
use crate::policy::Policy;
use crate::verdict::RejectKind;
use serde_json::{json, Value};

const ALG: Alg = Alg::HS256;

/// The clock skew of the leeway cases: a few minutes, as RFC 7519 4.1.4 suggests.
const LEEWAY: i64 = 300;
/// How far inside or outside the leeway the wide-margin leeway cases sit.
const SLACK: i64 = 120;

/// 2^63: one past `i64::MAX`, where signed 64-bit arithmetic wraps.
const TWO_POW_63: u64 = 1 << 63;

const EXP_REQ: &str = "RFC 7519 4.1.4: \"The processing of the \"exp\" claim requires that the \
    current date/time MUST be before the expiration date/time listed in the \"exp\" claim. \
    Implementers MAY provide for some small leeway ... Its value MUST be a number containing a \
    NumericDate value.\"";
const NBF_REQ: &str = "RFC 7519 4.1.5: \"The processing of the \"nbf\" claim requires that the \
    current date/time MUST be after or equal to the not-before date/time listed in the \"nbf\" \
    claim. Implementers MAY provide for some small leeway ... Its value MUST be a number containing \
    a NumericDate value.\"";
const NUMERIC_DATE: &str = "RFC 7519 2: NumericDate is \"A JSON numeric value representing the \
    number of seconds from 1970-01-01T00:00:00Z UTC until the specified UTC date/time ... other \
    than that non-integer values can be represented.\"";
const NUMBER_LIMITS: &str =
    "RFC 8259 6: \"This specification allows implementations to set limits on the range and \
        precision of numbers accepted.\"";

/// The validity-window cases.
pub fn cases(ctx: &Context) -> Vec<Case> {
    let mut out = window(ctx);
    out.extend(leeway(ctx));
    out.extend(presence_and_iat(ctx));
    out.extend(wrong_types(ctx));
    out.extend(iat_wrong_types(ctx));
    out.extend(numeric_edges(ctx));
    out
}

/// `exp` and `nbf` against the clock, without leeway.
fn window(ctx: &Context) -> Vec<Case> {
    let now = ctx.now;
    let control = signed(&valid_claims(ctx));
    vec![
        case(
            ctx,
            "exp-past",
            "A token that expired hours ago is rejected",
        )
        .severity(Severity::High)
        .refs(["RFC7519#section-4.1.4"])
        .sends("exp three hours before now, no leeway")
        .requirement(EXP_REQ)
        .token(signed(&claims_with(ctx, "exp", now - MARGIN)))
        .expect_reject(RejectKind::Expired)
        .control(control.clone())
        .build(),
        case(
            ctx,
            "nbf-future",
            "A token not valid for hours yet is rejected",
        )
        .severity(Severity::High)
        .refs(["RFC7519#section-4.1.5"])
        .sends("nbf three hours after now, no leeway")
        .requirement(NBF_REQ)
        .token(signed(&claims_with(ctx, "nbf", now + MARGIN)))
        .expect_reject(RejectKind::NotYetValid)
        .control(control.clone())
        .build(),
        case(
            ctx,
            "exp-equals-now",
            "A token whose exp is exactly now is rejected",
        )
        .severity(Severity::Low)
        .refs(["RFC7519#section-4.1.4"])
        .sends("exp equal to the current time, no leeway")
        .requirement(format!(
            "{EXP_REQ} Now is not before exp == now, so the token has expired."
        ))
        .token(signed(&claims_with(ctx, "exp", now)))
        .expect_reject(RejectKind::Expired)
        .control(control.clone())
        .needs_injectable_clock()
        .build(),
        accepts(
            ctx,
            "nbf-equals-now",
            "A token whose nbf is exactly now is accepted",
            claims_with(ctx, "nbf", now),
        )
        .severity(Severity::Low)
        .refs(["RFC7519#section-4.1.5"])
        .sends("nbf equal to the current time, no leeway")
        .requirement(format!(
            "{NBF_REQ} Now is equal to nbf, so the token is valid."
        ))
        .needs_injectable_clock()
        .build(),
        accepts(
            ctx,
            "exp-one-second-ahead",
            "A token expiring one second from now is accepted",
            claims_with(ctx, "exp", now + 1),
        )
        .severity(Severity::Low)
        .refs(["RFC7519#section-4.1.4"])
        .sends("exp one second after the current time, no leeway")
        .requirement(EXP_REQ)
        .needs_injectable_clock()
        .build(),
        case(
            ctx,
            "nbf-one-second-ahead",
            "A token valid from one second from now is rejected",
        )
        .severity(Severity::Low)
        .refs(["RFC7519#section-4.1.5"])
        .sends("nbf one second after the current time, no leeway")
        .requirement(NBF_REQ)
        .token(signed(&claims_with(ctx, "nbf", now + 1)))
        .expect_reject(RejectKind::NotYetValid)
        .control(signed(&claims_with(ctx, "nbf", now)))
        .needs_injectable_clock()
        .build(),
    ]
}

/// Both sides of a 300 s leeway: wide margins everywhere, exact edges where the clock
/// can be injected. Accept iff `nbf - leeway <= now < exp + leeway`.
fn leeway(ctx: &Context) -> Vec<Case> {
    let now = ctx.now;
    let exp_inside = claims_with(ctx, "exp", now - LEEWAY + SLACK);
    let nbf_inside = claims_with(ctx, "nbf", now + LEEWAY - SLACK);
    let exp_edge_inside = claims_with(ctx, "exp", now - LEEWAY + 1);
    let nbf_edge = claims_with(ctx, "nbf", now + LEEWAY);
    let refs = ["RFC7519#section-4.1.4", "RFC7519#section-4.1.5"];
    vec![
        accepts(
            ctx,
            "exp-within-leeway",
            "A token expired by less than the leeway is accepted",
            exp_inside.clone(),
        )
        .policy(leeway_policy(ctx))
        .severity(Severity::Low)
        .refs(refs)
        .sends("exp 180 s before now under a 300 s leeway")
        .requirement(EXP_REQ)
        .build(),
        case(
            ctx,
            "exp-beyond-leeway",
            "A token expired by more than the leeway is rejected",
        )
        .policy(leeway_policy(ctx))
        .severity(Severity::High)
        .refs(refs)
        .sends("exp 420 s before now under a 300 s leeway")
        .requirement(format!(
            "{EXP_REQ} The leeway is small and bounded; beyond it the token has expired."
        ))
        .token(signed(&claims_with(ctx, "exp", now - LEEWAY - SLACK)))
        .expect_reject(RejectKind::Expired)
        .control(signed(&exp_inside))
        .build(),
        accepts(
            ctx,
            "nbf-within-leeway",
            "A token valid in less than the leeway is accepted",
            nbf_inside.clone(),
        )
        .policy(leeway_policy(ctx))
        .severity(Severity::Low)
        .refs(refs)
        .sends("nbf 180 s after now under a 300 s leeway")
        .requirement(NBF_REQ)
        .build(),
        case(
            ctx,
            "nbf-beyond-leeway",
            "A token valid only after more than the leeway is rejected",
        )
        .policy(leeway_policy(ctx))
        .severity(Severity::High)
        .refs(refs)
        .sends("nbf 420 s after now under a 300 s leeway")
        .requirement(NBF_REQ)
        .token(signed(&claims_with(ctx, "nbf", now + LEEWAY + SLACK)))
        .expect_reject(RejectKind::NotYetValid)
        .control(signed(&nbf_inside))
        .build(),
        case(
            ctx,
            "exp-at-leeway-edge",
            "A token expired by exactly the leeway is rejected",
        )
        .policy(leeway_policy(ctx))
        .severity(Severity::Low)
        .refs(refs)
        .sends("exp exactly 300 s before now under a 300 s leeway")
        .requirement(format!(
            "{EXP_REQ} With leeway the test is now < exp + leeway, and now == exp + leeway fails \
                it."
        ))
        .token(signed(&claims_with(ctx, "exp", now - LEEWAY)))
        .expect_reject(RejectKind::Expired)
        .control(signed(&exp_edge_inside))
        .needs_injectable_clock()
        .build(),
        accepts(
            ctx,
            "exp-inside-leeway-edge",
            "A token expired one second less than the leeway is accepted",
            exp_edge_inside,
        )
        .policy(leeway_policy(ctx))
        .severity(Severity::Low)
        .refs(refs)
        .sends("exp 299 s before now under a 300 s leeway")
        .requirement(EXP_REQ)
        .needs_injectable_clock()
        .build(),
        accepts(
            ctx,
            "nbf-at-leeway-edge",
            "A token valid in exactly the leeway is accepted",
            nbf_edge.clone(),
        )
        .policy(leeway_policy(ctx))
        .severity(Severity::Low)
        .refs(refs)
        .sends("nbf exactly 300 s after now under a 300 s leeway")
        .requirement(format!(
            "{NBF_REQ} With leeway the test is nbf - leeway <= now, which holds at equality."
        ))
        .needs_injectable_clock()
        .build(),
        case(
            ctx,
            "nbf-past-leeway-edge",
            "A token valid in one second more than the leeway is rejected",
        )
        .policy(leeway_policy(ctx))
        .severity(Severity::Low)
        .refs(refs)
        .sends("nbf 301 s after now under a 300 s leeway")
        .requirement(NBF_REQ)
        .token(signed(&claims_with(ctx, "nbf", now + LEEWAY + 1)))
        .expect_reject(RejectKind::NotYetValid)
        .control(signed(&nbf_edge))
        .needs_injectable_clock()
        .build(),
    ]
}

/// A required `exp` that is absent, an optional one, and `iat`.
fn presence_and_iat(ctx: &Context) -> Vec<Case> {
    let now = ctx.now;
    let mut optional_exp = claims_without(ctx, "exp");
    optional_exp["nbf"] = json!(now - MARGIN);
    let mut no_required_claims = policy_for(ctx, ALG);
    no_required_claims.required_claims.clear();
    vec![
        case(
            ctx,
            "exp-missing",
            "A token without the required exp is rejected",
        )
        .severity(Severity::High)
        .refs(["RFC7519#section-4.1.4", "RFC7519#section-7.2"])
        .sends("no exp claim; the policy requires exp")
        .requirement(
            "RFC 7519 4: claims are optional \"unless otherwise specified\"; the policy specifies \
                exp, and a token that never expires must not pass a verifier configured to require \
                expiry",
        )
        .token(signed(&claims_without(ctx, "exp")))
        .expect_reject(RejectKind::MissingClaim)
        .control(signed(&valid_claims(ctx)))
        .build(),
        accepts(
            ctx,
            "exp-optional-missing",
            "Without a required exp, a token without exp is accepted",
            optional_exp,
        )
        .policy(no_required_claims)
        .severity(Severity::Low)
        .refs(["RFC7519#section-4.1.4", "RFC7519#section-4"])
        .sends("no exp claim, nbf three hours ago; the policy requires no claim")
        .requirement(
            "RFC 7519 4.1.4: \"Use of this claim is OPTIONAL.\" An absent exp is not an expired one",
        )
        .build(),
        case(ctx, "iat-future", "A token issued in the future")
            .severity(Severity::Info)
            .refs(["RFC7519#section-4.1.6"])
            .sends("iat three hours after now; exp and nbf valid")
            .requirement(
                "RFC 7519 4.1.6 defines iat as the time the JWT was issued and sets no processing \
                    rule for it",
            )
            .token(signed(&claims_with(ctx, "iat", now + MARGIN)))
            .expect_either(
                "RFC 7519 4.1.6 gives iat no validation rule: rejecting a future iat is a local \
                    policy, accepting it is conformant",
            )
            .build(),
    ]
}

/// The JSON types a NumericDate must not have: (id suffix, noun, shape, value) with
/// `time` standing for the date.
fn non_numbers(time: i64) -> [(&'static str, &'static str, &'static str, Value); 5] {
    [
        (
            "string",
            "a string",
            "the string \"<time>\"",
            json!(time.to_string()),
        ),
        ("bool", "a boolean", "true", json!(true)),
        ("null", "null", "null", Value::Null),
        (
            "object",
            "an object",
            "{\"value\": <time>}",
            json!({ "value": time }),
        ),
        ("array", "an array", "[<time>]", json!([time])),
    ]
}

/// `iat` of every JSON type but number. iat has no validation rule, but a claims set
/// that breaks a claim's definition is not a valid JWT; a verifier that never reads iat
/// lets these through, which is low risk and worth knowing.
fn iat_wrong_types(ctx: &Context) -> Vec<Case> {
    let control = signed(&valid_claims(ctx));
    non_numbers(ctx.now)
        .into_iter()
        .map(|(name, noun, shape, value)| {
            case(
                ctx,
                &format!("iat-{name}"),
                &format!("A token whose iat is {noun} is rejected"),
            )
            .severity(Severity::Low)
            .refs(["RFC7519#section-4.1.6", "RFC7519#section-7.2"])
            .sends(format!(
                "iat as {shape}, where <time> is now; exp and nbf valid"
            ))
            .requirement(
                "RFC 7519 4.1.6: iat's \"value MUST be a number containing a NumericDate \
                    value\"; a claims set that breaks a claim's definition is not a valid JWT",
            )
            .token(signed(&claims_with(ctx, "iat", value)))
            .expect_reject(RejectKind::Malformed)
            .control(control.clone())
            .build()
        })
        .collect()
}

/// `exp` and `nbf` of every JSON type but number, holding a time that would make the
/// token invalid: a verifier that skips the check for non-numbers accepts it.
fn wrong_types(ctx: &Context) -> Vec<Case> {
    let past = ctx.now - MARGIN;
    let future = ctx.now + MARGIN;
    let control = signed(&valid_claims(ctx));
    let mut out = Vec::new();
    for (claim, section, time, when, requirement, effect) in [
        (
            "exp",
            "RFC7519#section-4.1.4",
            past,
            "three hours ago",
            EXP_REQ,
            "an expired token",
        ),
        (
            "nbf",
            "RFC7519#section-4.1.5",
            future,
            "three hours ahead",
            NBF_REQ,
            "a not-yet-valid token",
        ),
    ] {
        for (name, noun, shape, value) in non_numbers(time) {
            out.push(
                case(
                    ctx,
                    &format!("{claim}-{name}"),
                    &format!("A token whose {claim} is {noun} is rejected"),
                )
                .severity(Severity::High)
                .refs([section, "RFC7519#section-2", "CVE-2026-25537"])
                .sends(format!(
                    "{claim} as {shape}, where <time> is {when}; a verifier that checks only \
                        numbers accepts {effect}"
                ))
                .requirement(requirement)
                .token(signed(&claims_with(ctx, claim, value)))
                .expect_reject(RejectKind::Malformed)
                .control(control.clone())
                .build(),
            );
        }
    }
    out
}

/// Negative, fractional and huge NumericDates.
fn numeric_edges(ctx: &Context) -> Vec<Case> {
    let now = ctx.now;
    let control = signed(&valid_claims(ctx));
    let expired = |name: &str, title: &str, exp: i64, sends: &str| {
        case(ctx, name, title)
            .severity(Severity::High)
            .refs(["RFC7519#section-4.1.4", "RFC7519#section-2"])
            .sends(sends)
            .requirement(format!(
                "{EXP_REQ} {NUMERIC_DATE} A negative NumericDate is before 1970, long past."
            ))
            .token(signed(&claims_with(ctx, "exp", exp)))
            .expect_reject(RejectKind::Expired)
            .control(control.clone())
            .build()
    };
    let nbf_past = |name: &str, title: &str, nbf: i64, sends: &str| {
        accepts(ctx, name, title, claims_with(ctx, "nbf", nbf))
            .severity(Severity::Low)
            .refs(["RFC7519#section-4.1.5", "RFC7519#section-2"])
            .sends(sends)
            .requirement(format!(
                "{NBF_REQ} {NUMERIC_DATE} A negative NumericDate is a valid time before 1970."
            ))
            .build()
    };
    let far_future_nbf = |name: &str, title: &str, nbf: Value, sends: &str| {
        case(ctx, name, title)
            .severity(Severity::High)
            .refs([
                "RFC7519#section-4.1.5",
                "RFC7519#section-2",
                "RFC8259#section-6",
            ])
            .sends(sends)
            .requirement(format!(
                "{NBF_REQ} The date is in the far future; a verifier that cannot represent it must \
                    reject it ({NUMBER_LIMITS}), never wrap it into the past"
            ))
            .token(signed(&claims_with(ctx, "nbf", nbf)))
            .expect_reject(RejectKind::NotYetValid)
            .control(control.clone())
            .build()
    };
    let far_future_exp = |name: &str, title: &str, exp: Value, sends: &str| {
        case(ctx, name, title)
            .severity(Severity::Info)
            .refs([
                "RFC7519#section-4.1.4",
                "RFC7519#section-2",
                "RFC8259#section-6",
            ])
            .sends(sends)
            .requirement(format!("{NUMERIC_DATE} {NUMBER_LIMITS}"))
            .token(signed(&claims_with(ctx, "exp", exp)))
            .expect_either(
                "a far-future exp is a valid NumericDate, so accepting is conformant, but RFC 8259 \
                    6 lets a parser reject numbers beyond its range; either way it must not wrap \
                    into the past and crash",
            )
            .build()
    };
    let fractional = |claim: &str, value: f64| claims_with(ctx, claim, value);
    vec![
        expired(
            "exp-negative",
            "A token with a negative exp is rejected as expired",
            -86_400,
            "exp -86400 (1969-12-31); a verifier casting to an unsigned integer sees the far future",
        ),
        expired(
            "exp-minus-one",
            "A token with exp -1 is rejected as expired",
            -1,
            "exp -1; cast to u64 it is 2^64-1, and some libraries read -1 as \"never expires\"",
        ),
        nbf_past(
            "nbf-negative",
            "A token with a negative nbf is accepted",
            -86_400,
            "nbf -86400 (1969-12-31), exp three hours ahead",
        ),
        nbf_past(
            "nbf-minus-one",
            "A token with nbf -1 is accepted",
            -1,
            "nbf -1, exp three hours ahead; cast to u64 it would be the far future",
        ),
        accepts(
            ctx,
            "exp-float",
            "A token with a fractional exp is accepted",
            fractional("exp", (now + 3600) as f64 + 0.5),
        )
        .severity(Severity::Low)
        .refs(["RFC7519#section-4.1.4", "RFC7519#section-2"])
        .sends("exp now + 3600.5")
        .requirement(NUMERIC_DATE)
        .build(),
        accepts(
            ctx,
            "nbf-float",
            "A token with a fractional nbf is accepted",
            fractional("nbf", (now - 3600) as f64 - 0.5),
        )
        .severity(Severity::Low)
        .refs(["RFC7519#section-4.1.5", "RFC7519#section-2"])
        .sends("nbf now - 3600.5")
        .requirement(NUMERIC_DATE)
        .build(),
        accepts(
            ctx,
            "exp-fraction-after-now",
            "A token expiring half a second from now is accepted",
            fractional("exp", now as f64 + 0.5),
        )
        .severity(Severity::Low)
        .refs(["RFC7519#section-4.1.4", "RFC7519#section-2"])
        .sends("exp now + 0.5, no leeway")
        .requirement(format!(
            "{EXP_REQ} {NUMERIC_DATE} now < now + 0.5, so the token is still valid."
        ))
        .needs_injectable_clock()
        .build(),
        case(
            ctx,
            "nbf-fraction-after-now",
            "A token valid from half a second from now is rejected",
        )
        .severity(Severity::Low)
        .refs(["RFC7519#section-4.1.5", "RFC7519#section-2"])
        .sends("nbf now + 0.5, no leeway; truncating it to an integer makes it valid")
        .requirement(format!(
            "{NBF_REQ} {NUMERIC_DATE} now < now + 0.5, so the token is not valid yet."
        ))
        .token(signed(&fractional("nbf", now as f64 + 0.5)))
        .expect_reject(RejectKind::NotYetValid)
        .control(signed(&claims_with(ctx, "nbf", now)))
        .needs_injectable_clock()
        .build(),
        far_future_exp(
            "exp-2-pow-63",
            "A token with exp 2^63",
            json!(TWO_POW_63),
            "exp 9223372036854775808 (2^63), one past the largest signed 64-bit integer",
        ),
        far_future_exp(
            "exp-1e300",
            "A token with exp 1e300",
            json!(1e300),
            "exp 1e300, a valid JSON number far beyond any 64-bit integer",
        ),
        far_future_nbf(
            "nbf-2-pow-63",
            "A token with nbf 2^63 is rejected",
            json!(TWO_POW_63),
            "nbf 9223372036854775808 (2^63); as a signed 64-bit integer it wraps to the far past",
        ),
        far_future_nbf(
            "nbf-1e300",
            "A token with nbf 1e300 is rejected",
            json!(1e300),
            "nbf 1e300; a saturating or wrapping conversion can turn it into the past",
        ),
    ]
}

fn signed(claims: &Value) -> String {
    super::common::signed(ALG, claims)
}

/// The usual policy with a 300 s leeway.
fn leeway_policy(ctx: &Context) -> Policy {
    let mut policy = policy_for(ctx, ALG);
    policy.leeway = LEEWAY as u64;
    policy
}

/// A case on HS256 under the usual policy.
fn case(ctx: &Context, name: &str, title: &str) -> CaseBuilder {
    Case::builder(format!("time/{name}"), title)
        .policy(policy_for(ctx, ALG))
        .needs_algorithms(&[ALG])
}

/// An accept case: the token carries `claims` and must be accepted with exactly them.
fn accepts(ctx: &Context, name: &str, title: &str, claims: Value) -> CaseBuilder {
    case(ctx, name, title)
        .token(signed(&claims))
        .expect_accept(&claims)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::Expected;
    use crate::forge;

    fn claims_of(token: &str) -> Value {
        serde_json::from_slice(&forge::decode(token).payload.unwrap()).unwrap()
    }

    #[test]
    fn huge_and_fractional_dates_are_written_as_json_numbers() {
        let cases = cases(&Context::listing());
        let find = |id: &str| cases.iter().find(|c| c.id == id).unwrap();
        let exp = |id: &str| claims_of(&find(id).token)["exp"].clone();
        assert_eq!(exp("time/exp-2-pow-63").to_string(), "9223372036854775808");
        assert_eq!(exp("time/exp-1e300").as_f64(), Some(1e300));
        assert_eq!(exp("time/exp-float").to_string(), "1700003600.5");
        assert_eq!(exp("time/exp-minus-one"), json!(-1));
        assert_eq!(
            claims_of(&find("time/exp-string").token)["exp"],
            json!("1699989200")
        );
        assert!(claims_of(&find("time/exp-missing").token)
            .get("exp")
            .is_none());
    }

    #[test]
    fn the_window_is_where_the_expectations_say() {
        // The time-window oracle, applied independently to every case with a number.
        let ctx = Context::listing();
        for case in cases(&ctx) {
            let claims = claims_of(&case.token);
            let mistyped = ["exp", "nbf", "iat"]
                .iter()
                .any(|c| claims.get(c).is_some_and(|v| !v.is_number()));
            let Some(exp) = claims["exp"].as_f64() else {
                continue;
            };
            if mistyped {
                continue;
            }
            let nbf = claims["nbf"].as_f64().unwrap_or(f64::MIN);
            let leeway = case.policy.leeway as f64;
            let now = ctx.now as f64;
            let inside = nbf - leeway <= now && now < exp + leeway;
            match &case.expected {
                Expected::Accept { .. } => assert!(inside, "{}", case.id),
                Expected::Reject { .. } => assert!(!inside, "{}", case.id),
                Expected::Either { .. } => {}
            }
        }
    }
}

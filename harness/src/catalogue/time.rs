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
//!
//! Levels: the window is `rfc` wherever the token sits well inside or outside it, and
//! `exp == now` without leeway is `rfc` reject, as is `nbf` one second ahead without
//! leeway: RFC 7519 4.1.4 names exp the time "on or after which the JWT MUST NOT be
//! accepted for processing", 4.1.5 names nbf the time "before which the JWT MUST NOT be
//! accepted for processing". The other exact boundaries (the accepting side of each
//! edge, and both sides of a leeway's edge) and sub-second fractions are `strict`, a
//! convention of this suite: RFC 7519 only says "Implementers MAY provide for some small
//! leeway", and RFC 8259 6 lets a parser limit the precision of numbers. The range of
//! NumericDates is `strict` where RFC 8259 6 lets a parser refuse a valid date (negative
//! or beyond 2^53) and `rfc` where every reading refuses the token. `iat` has no
//! processing rule (RFC 7519 4.1.6), so every `iat` case is `strict`.

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
const LEEWAY_MAY: &str = "RFC 7519 4.1.4 and 4.1.5: \"Implementers MAY provide for some small \
    leeway, usually no more than a few minutes, to account for clock skew.\" How a verifier \
    applies that leeway to the very second, and whether it reads fractions of a second, is not \
    fixed: exact boundaries are a convention of this suite (strict), and a system clock cannot \
    test them";
const IAT_REQ: &str = "RFC 7519 4.1.6: \"The \"iat\" (issued at) claim identifies the time at \
    which the JWT was issued. This claim can be used to determine the age of the JWT. Its value \
    MUST be a number containing a NumericDate value. Use of this claim is OPTIONAL.\" It sets no \
    processing rule, so refusing is hardening (strict)";

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
        .rfc("RFC7519#section-4.1.4")
        .sends("exp three hours before now, no leeway")
        .requirement(format!(
            "{EXP_REQ} Now is hours after exp, so the token MUST NOT be accepted (rfc)"
        ))
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
        .rfc("RFC7519#section-4.1.5")
        .sends("nbf three hours after now, no leeway")
        .requirement(format!(
            "{NBF_REQ} Now is hours before nbf, so the token MUST NOT be accepted (rfc)"
        ))
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
        .rfc("RFC7519#section-4.1.4")
        .sends("exp equal to the current time, no leeway")
        .requirement(format!(
            "RFC 7519 4.1.4: exp is \"the expiration time on or after which the JWT MUST NOT be \
                accepted for processing\". {EXP_REQ} Now is exp itself and the policy grants no \
                leeway, so the token has expired (rfc)"
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
        .strict("RFC7519#section-4.1.5")
        .sends("nbf equal to the current time, no leeway")
        .requirement(format!(
            "{NBF_REQ} Now is equal to nbf, so the token is valid. {LEEWAY_MAY}"
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
        .strict("RFC7519#section-4.1.4")
        .sends("exp one second after the current time, no leeway")
        .requirement(format!(
            "{EXP_REQ} Now is before exp, so the token is valid. {LEEWAY_MAY}"
        ))
        .needs_injectable_clock()
        .build(),
        case(
            ctx,
            "nbf-one-second-ahead",
            "A token valid from one second from now is rejected",
        )
        .severity(Severity::Low)
        .refs(["RFC7519#section-4.1.5"])
        .rfc("RFC7519#section-4.1.5")
        .sends("nbf one second after the current time, no leeway")
        .requirement(format!(
            "RFC 7519 4.1.5: nbf is \"the time before which the JWT MUST NOT be accepted for \
                processing\". {NBF_REQ} Now is a second before nbf and the policy grants no \
                leeway, so the token is not valid yet: the mirror of exp == now (rfc)"
        ))
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
        .rfc("RFC7519#section-4.1.4")
        .sends("exp 180 s before now under a 300 s leeway")
        .requirement(format!(
            "{EXP_REQ} The policy grants 300 s of leeway and exp is two minutes inside it, so the \
                token is valid: refusing it ignores the leeway the verifier was configured with \
                (rfc)"
        ))
        .build(),
        case(
            ctx,
            "exp-beyond-leeway",
            "A token expired by more than the leeway is rejected",
        )
        .policy(leeway_policy(ctx))
        .severity(Severity::High)
        .refs(refs)
        .rfc("RFC7519#section-4.1.4")
        .sends("exp 420 s before now under a 300 s leeway")
        .requirement(format!(
            "{EXP_REQ} The leeway is small and bounded; two minutes beyond it the token has \
                expired and MUST NOT be accepted (rfc)"
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
        .rfc("RFC7519#section-4.1.5")
        .sends("nbf 180 s after now under a 300 s leeway")
        .requirement(format!(
            "{NBF_REQ} The policy grants 300 s of leeway and nbf is two minutes inside it, so the \
                token is valid: refusing it ignores the leeway the verifier was configured with \
                (rfc)"
        ))
        .build(),
        case(
            ctx,
            "nbf-beyond-leeway",
            "A token valid only after more than the leeway is rejected",
        )
        .policy(leeway_policy(ctx))
        .severity(Severity::High)
        .refs(refs)
        .rfc("RFC7519#section-4.1.5")
        .sends("nbf 420 s after now under a 300 s leeway")
        .requirement(format!(
            "{NBF_REQ} The leeway is small and bounded; two minutes beyond it the token is not \
                valid yet and MUST NOT be accepted (rfc)"
        ))
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
        .strict("RFC7519#section-4.1.4")
        .sends("exp exactly 300 s before now under a 300 s leeway")
        .requirement(format!(
            "{EXP_REQ} With leeway the test is now < exp + leeway, and now == exp + leeway fails \
                it. {LEEWAY_MAY}"
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
        .strict("RFC7519#section-4.1.4")
        .sends("exp 299 s before now under a 300 s leeway")
        .requirement(format!(
            "{EXP_REQ} With leeway the test is now < exp + leeway, which holds by one second. \
                {LEEWAY_MAY}"
        ))
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
        .strict("RFC7519#section-4.1.5")
        .sends("nbf exactly 300 s after now under a 300 s leeway")
        .requirement(format!(
            "{NBF_REQ} With leeway the test is nbf - leeway <= now, which holds at equality. \
                {LEEWAY_MAY}"
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
        .strict("RFC7519#section-4.1.5")
        .sends("nbf 301 s after now under a 300 s leeway")
        .requirement(format!(
            "{NBF_REQ} With leeway the test is nbf - leeway <= now, which fails by one second. \
                {LEEWAY_MAY}"
        ))
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
        .refs(["RFC7519#section-4.1.4", "RFC7519#section-4"])
        .rfc("RFC7519#section-4")
        .sends("no exp claim; the policy requires exp")
        .requirement(
            "RFC 7519 4: \"The set of claims that a JWT must contain to be considered valid is \
                context dependent and is outside the scope of this specification\"; RFC 7519 4.1: \
                \"Applications using JWTs should define which specific claims they use and when \
                they are required or optional.\" The policy is that definition and requires exp: \
                without it the JWT is not valid in this context, and no RFC lets a verifier accept \
                a token its application's rules make invalid (rfc). A token that never expires must \
                not pass a verifier configured to require expiry",
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
        .rfc("RFC7519#section-4.1.4")
        .sends("no exp claim, nbf three hours ago; the policy requires no claim")
        .requirement(
            "RFC 7519 4.1.4: \"Use of this claim is OPTIONAL.\" An absent exp is not an expired \
                one, and the policy requires none: refusing the token refuses a valid JWT (rfc)",
        )
        .build(),
        case(ctx, "iat-future", "A token issued in the future is rejected")
            .severity(Severity::Info)
            .refs(["RFC7519#section-4.1.6"])
            .strict("RFC7519#section-4.1.6")
            .sends("iat three hours after now; exp and nbf valid")
            .requirement(format!(
                "{IAT_REQ}: a token that claims to be issued hours from now was not issued at the \
                    time it claims (a skewed or forged clock), and a verifier that uses iat for \
                    the age of the JWT would compute a negative one. Accepting it is conformant"
            ))
            .token(signed(&claims_with(ctx, "iat", now + MARGIN)))
            .expect_reject(RejectKind::NotYetValid)
            .control(signed(&valid_claims(ctx)))
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
            .strict("RFC7519#section-4.1.6")
            .sends(format!(
                "iat as {shape}, where <time> is now; exp and nbf valid"
            ))
            .requirement(format!(
                "{IAT_REQ}: the producer broke the claim's definition, but nothing the verifier \
                    must decide depends on iat, so a verifier that never reads it accepts the \
                    token conformantly; refusing the malformed claim is hardening"
            ))
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
            let builder = case(
                ctx,
                &format!("{claim}-{name}"),
                &format!("A token whose {claim} is {noun} is rejected"),
            )
            .severity(Severity::High)
            .refs([section, "RFC7519#section-2", "CVE-2026-25537"])
            .sends(format!(
                "{claim} as {shape}, where <time> is {when}; a verifier that checks only \
                    numbers accepts {effect}"
            ));
            let builder = match (claim, name) {
                // null states no time: read as absent it is a choice, except where the
                // policy requires the claim (exp, here), which then is missing.
                ("nbf", "null") => builder.strict(section).requirement(format!(
                    "{requirement} null is JSON's \"no value\" and states no time, so a verifier \
                        may read it as an absent nbf, which the policy does not require; \
                        refusing the malformed claim is hardening (strict)"
                )),
                ("exp", "null") => builder.rfc(section).requirement(format!(
                    "{requirement} null is JSON's \"no value\": read as a number it is malformed, \
                        read as absent it leaves exp, which the policy requires, missing \
                        (RFC 7519 4: the claims a JWT must contain are the application's to set); \
                        either way the token MUST NOT be accepted (rfc)"
                )),
                _ => builder.rfc(section).requirement(format!(
                    "{requirement} The verifier must compare the current time with the {claim} \
                        date, and {noun} is not the number a NumericDate is: the required \
                        processing cannot succeed, so the token MUST NOT be accepted (rfc)"
                )),
            };
            out.push(
                builder
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
    let fractional = |claim: &str, value: f64| claims_with(ctx, claim, value);
    vec![
        expired(
            ctx,
            "exp-negative",
            "A token with a negative exp is rejected as expired",
            -86_400,
            "exp -86400 (1969-12-31); a verifier casting to an unsigned integer sees the far future",
        ),
        expired(
            ctx,
            "exp-minus-one",
            "A token with exp -1 is rejected as expired",
            -1,
            "exp -1; cast to u64 it is 2^64-1, and some libraries read -1 as \"never expires\"",
        ),
        nbf_past(
            ctx,
            "nbf-negative",
            "A token with a negative nbf is accepted",
            -86_400,
            "nbf -86400 (1969-12-31), exp three hours ahead",
        ),
        nbf_past(
            ctx,
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
        .refs([
            "RFC7519#section-4.1.4",
            "RFC7519#section-2",
            "RFC8259#section-6",
        ])
        .strict("RFC8259#section-6")
        .sends("exp now + 3600.5")
        .requirement(format!(
            "{NUMERIC_DATE} The fraction is part of the type, and an hour from now the token is \
                valid whether the fraction is read or truncated. {NUMBER_LIMITS} A verifier \
                that reads only whole seconds may refuse the fraction: accepting is the \
                convention here (strict)"
        ))
        .build(),
        accepts(
            ctx,
            "nbf-float",
            "A token with a fractional nbf is accepted",
            fractional("nbf", (now - 3600) as f64 - 0.5),
        )
        .severity(Severity::Low)
        .refs([
            "RFC7519#section-4.1.5",
            "RFC7519#section-2",
            "RFC8259#section-6",
        ])
        .strict("RFC8259#section-6")
        .sends("nbf now - 3600.5")
        .requirement(format!(
            "{NUMERIC_DATE} The fraction is part of the type, and an hour ago the token was \
                already valid whether the fraction is read or truncated. {NUMBER_LIMITS} A verifier that reads only whole seconds may refuse the \
                fraction: accepting is the convention here (strict)"
        ))
        .build(),
        accepts(
            ctx,
            "exp-fraction-after-now",
            "A token expiring half a second from now is accepted",
            fractional("exp", now as f64 + 0.5),
        )
        .severity(Severity::Low)
        .refs([
            "RFC7519#section-4.1.4",
            "RFC7519#section-2",
            "RFC8259#section-6",
        ])
        .strict("RFC8259#section-6")
        .sends("exp now + 0.5, no leeway; truncating it to an integer makes it expired")
        .requirement(format!(
            "{EXP_REQ} {NUMERIC_DATE} now < now + 0.5, so the token is still valid. \
                {NUMBER_LIMITS} A verifier that reads whole seconds sees exp == now: sub-second \
                precision is a convention of this suite (strict)"
        ))
        .needs_injectable_clock()
        .build(),
        case(
            ctx,
            "nbf-fraction-after-now",
            "A token valid from half a second from now is rejected",
        )
        .severity(Severity::Low)
        .refs([
            "RFC7519#section-4.1.5",
            "RFC7519#section-2",
            "RFC8259#section-6",
        ])
        .strict("RFC8259#section-6")
        .sends("nbf now + 0.5, no leeway; truncating it to an integer makes it valid")
        .requirement(format!(
            "{NBF_REQ} {NUMERIC_DATE} now < now + 0.5, so the token is not valid yet. \
                {NUMBER_LIMITS} A verifier that reads whole seconds sees nbf == now: sub-second \
                precision is a convention of this suite (strict)"
        ))
        .token(signed(&fractional("nbf", now as f64 + 0.5)))
        .expect_reject(RejectKind::NotYetValid)
        .control(signed(&claims_with(ctx, "nbf", now)))
        .needs_injectable_clock()
        .build(),
        far_future_exp(
            ctx,
            "exp-2-pow-63",
            "A token with exp 2^63 is accepted",
            json!(TWO_POW_63),
            "exp 9223372036854775808 (2^63), one past the largest signed 64-bit integer",
        ),
        far_future_exp(
            ctx,
            "exp-1e300",
            "A token with exp 1e300 is accepted",
            json!(1e300),
            "exp 1e300, a valid JSON number far beyond any 64-bit integer",
        ),
        far_future_nbf(
            ctx,
            "nbf-2-pow-63",
            "A token with nbf 2^63 is rejected",
            json!(TWO_POW_63),
            "nbf 9223372036854775808 (2^63); as a signed 64-bit integer it wraps to the far past",
        ),
        far_future_nbf(
            ctx,
            "nbf-1e300",
            "A token with nbf 1e300 is rejected",
            json!(1e300),
            "nbf 1e300; a saturating or wrapping conversion can turn it into the past",
        ),
    ]
}

/// An `rfc` case: a negative `exp`, expired whatever a verifier makes of it.
#[track_caller]
fn expired(ctx: &Context, name: &str, title: &str, exp: i64, sends: &str) -> Case {
    case(ctx, name, title)
        .severity(Severity::High)
        .refs([
            "RFC7519#section-4.1.4",
            "RFC7519#section-2",
            "RFC8259#section-6",
        ])
        .rfc("RFC7519#section-4.1.4")
        .sends(sends)
        .requirement(format!(
            "{EXP_REQ} {NUMERIC_DATE} Read as a date, a negative NumericDate is before 1970, long \
                past; a verifier that does not read dates before 1970 ({NUMBER_LIMITS}) cannot \
                show the current time is before it. Either way the token MUST NOT be accepted \
                (rfc); what it must never do is wrap the value into the future"
        ))
        .token(signed(&claims_with(ctx, "exp", exp)))
        .expect_reject(RejectKind::Expired)
        .control(signed(&valid_claims(ctx)))
        .build()
}

/// A `strict` accept case: a negative `nbf`, which a verifier may refuse as out of range.
#[track_caller]
fn nbf_past(ctx: &Context, name: &str, title: &str, nbf: i64, sends: &str) -> Case {
    accepts(ctx, name, title, claims_with(ctx, "nbf", nbf))
        .severity(Severity::Low)
        .refs([
            "RFC7519#section-4.1.5",
            "RFC7519#section-2",
            "RFC8259#section-6",
        ])
        .strict("RFC8259#section-6")
        .sends(sends)
        .requirement(format!(
            "{NBF_REQ} {NUMERIC_DATE} RFC 7519 2 defines NumericDates by POSIX \"Seconds Since the \
                Epoch\", which leaves dates before 1970 undefined, and {NUMBER_LIMITS} Read \
                exactly, a negative nbf is a time before 1970, long past, and the token is valid; \
                refusing it as out of range is permitted, so reading it exactly is the suite's \
                convention (strict). Casting it to an unsigned integer, which makes it the far \
                future, is neither"
        ))
        .build()
}

/// A `strict` accept case: an `exp` far beyond any 64-bit integer, which a verifier may
/// refuse as out of range but must not wrap.
#[track_caller]
fn far_future_exp(ctx: &Context, name: &str, title: &str, exp: Value, sends: &str) -> Case {
    accepts(ctx, name, title, claims_with(ctx, "exp", exp))
        .severity(Severity::Info)
        .refs([
            "RFC7519#section-4.1.4",
            "RFC7519#section-2",
            "RFC8259#section-6",
        ])
        .strict("RFC8259#section-6")
        .sends(sends)
        .requirement(format!(
            "{EXP_REQ} {NUMERIC_DATE} {NUMBER_LIMITS} A far-future exp is a valid NumericDate, so \
                read exactly the token is valid, the suite's convention (strict); a verifier may \
                refuse the number as out of range instead. Either way it must answer, not crash"
        ))
        .build()
}

/// An `rfc` case: an `nbf` far beyond any 64-bit integer, not valid for ages whatever a
/// verifier makes of it.
#[track_caller]
fn far_future_nbf(ctx: &Context, name: &str, title: &str, nbf: Value, sends: &str) -> Case {
    case(ctx, name, title)
        .severity(Severity::High)
        .refs([
            "RFC7519#section-4.1.5",
            "RFC7519#section-2",
            "RFC8259#section-6",
        ])
        .rfc("RFC7519#section-4.1.5")
        .sends(sends)
        .requirement(format!(
            "{NBF_REQ} The date is in the far future, so the token MUST NOT be accepted; a \
                verifier that cannot represent it must reject it ({NUMBER_LIMITS}), never wrap it \
                into the past (rfc)"
        ))
        .token(signed(&claims_with(ctx, "nbf", nbf)))
        .expect_reject(RejectKind::NotYetValid)
        .control(signed(&valid_claims(ctx)))
        .build()
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
#[track_caller]
fn case(ctx: &Context, name: &str, title: &str) -> CaseBuilder {
    Case::builder(format!("time/{name}"), title)
        .policy(policy_for(ctx, ALG))
        .needs_algorithms(&[ALG])
}

/// An accept case: the token carries `claims` and must be accepted with exactly them.
#[track_caller]
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
            // iat is not part of the window: a future one is refused as hardening.
            let issued_later = claims["iat"]
                .as_f64()
                .is_some_and(|iat| iat > ctx.now as f64);
            if mistyped || issued_later {
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

//! `time/*`: the validity window of `exp` and `nbf` (RFC 7519 sections 4.1.4, 4.1.5).
//!
//! RFC 7519 4.1.4: "the current date/time MUST be before the expiration date/time";
//! 4.1.5: "the current date/time MUST be after or equal to the not-before date/time".
//! Exact boundaries need an injectable clock; the wide-margin cases run everywhere.

use crate::alg::Alg;
use crate::case::{Case, CaseBuilder, Severity};
use crate::catalogue::common::{policy_for, valid_claims};
use crate::context::{Context, MARGIN};
use crate::forge::{self, keys};
use crate::verdict::RejectKind;
use serde_json::Value;

const ALG: Alg = Alg::HS256;

fn token(claims: &Value) -> String {
    forge::jwt(ALG, keys::default_key_name(ALG), claims)
}

/// The validity-window cases.
pub fn cases(ctx: &Context) -> Vec<Case> {
    let now = ctx.now;
    let with = |f: &dyn Fn(&mut Value)| {
        let mut c = valid_claims(ctx);
        f(&mut c);
        c
    };
    let mut out = Vec::new();

    let claims = with(&|c| c["exp"] = Value::from(now - MARGIN));
    out.push(
        case(
            ctx,
            "time/exp-past",
            "A token that expired hours ago is rejected",
        )
        .severity(Severity::High)
        .refs(["RFC7519#section-4.1.4"])
        .sends("exp three hours before now, no leeway")
        .requirement(
            "RFC 7519 4.1.4: the current date/time MUST be before the expiration date/time",
        )
        .token(token(&claims))
        .expect_reject(RejectKind::Expired)
        .build(),
    );

    let claims = with(&|c| c["nbf"] = Value::from(now + MARGIN));
    out.push(
        case(ctx, "time/nbf-future", "A token not valid for hours yet is rejected")
            .severity(Severity::High)
            .refs(["RFC7519#section-4.1.5"])
            .sends("nbf three hours after now, no leeway")
            .requirement("RFC 7519 4.1.5: the current date/time MUST be after or equal to the not-before date/time")
            .token(token(&claims))
            .expect_reject(RejectKind::NotYetValid)
            .control(token(&valid_claims(ctx)))
            .build(),
    );

    let claims = with(&|c| c["exp"] = Value::from(now));
    out.push(
        case(ctx, "time/exp-equals-now", "A token whose exp is exactly now is rejected")
            .severity(Severity::Low)
            .refs(["RFC7519#section-4.1.4"])
            .sends("exp equal to the current time, no leeway")
            .requirement("RFC 7519 4.1.4: the current date/time MUST be before the expiration date/time, so exp == now has expired")
            .token(token(&claims))
            .expect_reject(RejectKind::Expired)
            .control(token(&valid_claims(ctx)))
            .needs_injectable_clock()
            .build(),
    );

    let claims = with(&|c| c["nbf"] = Value::from(now));
    out.push(
        case(ctx, "time/nbf-equals-now", "A token whose nbf is exactly now is accepted")
            .severity(Severity::Low)
            .refs(["RFC7519#section-4.1.5"])
            .sends("nbf equal to the current time, no leeway")
            .requirement("RFC 7519 4.1.5: the current date/time MUST be after or equal to the not-before date/time, so nbf == now is valid")
            .token(token(&claims))
            .expect_accept(&claims)
            .needs_injectable_clock()
            .build(),
    );

    let claims = with(&|c| c["exp"] = Value::from(now + 1));
    out.push(
        case(
            ctx,
            "time/exp-one-second-ahead",
            "A token expiring one second from now is accepted",
        )
        .severity(Severity::Low)
        .refs(["RFC7519#section-4.1.4"])
        .sends("exp one second after the current time, no leeway")
        .requirement("RFC 7519 4.1.4: the token is valid while the current time is before exp")
        .token(token(&claims))
        .expect_accept(&claims)
        .needs_injectable_clock()
        .build(),
    );
    out
}

/// A case on HS256 under the usual policy.
fn case(ctx: &Context, id: &str, title: &str) -> CaseBuilder {
    Case::builder(id, title)
        .policy(policy_for(ctx, ALG))
        .needs_algorithms(&[ALG])
}

//! `typ/*`: explicit typing (RFC 7515 section 4.1.9, RFC 8725 sections 3.11, 3.12).
//!
//! A verifier that requires a `typ` (here `at+jwt`, the OAuth access-token type of
//! RFC 9068) keeps one kind of JWT from being substituted for another. `typ` is a
//! media type: case-insensitive, and `at+jwt` means `application/at+jwt`.
//!
//! Levels: RFC 8725 section 3.11 recommends explicit typing but holds no MUST for the
//! verifier; section 3.12 does: "If more than one kind of JWT can be issued by the same
//! issuer, the validation rules for those JWTs MUST be written such that they are
//! mutually exclusive, rejecting JWTs of the wrong kind." A policy that requires a
//! `typ` is a deployment that tells its kinds apart by it, so a token without that type
//! is `bcp` reject. How a required type is compared is RFC 7515 section 4.1.9's: a
//! matching spelling is `rfc` accept; so is any `typ` when none is required, since the
//! parameter "is ignored by JWS implementations". A `typ` or `cty` that is not a string,
//! when no type is required, breaks only the producer's side of RFC 7515 sections
//! 4.1.9 and 4.1.10 (both values are media types, strings) on a parameter JWS
//! implementations ignore: refusing it is hardening (`strict`), accepting the signed
//! claims is conformant.

use crate::alg::Alg;
use crate::case::{Case, CaseBuilder, Severity};
use crate::catalogue::common::{
    claims_with, header_with, header_without, policy_for, signed_with_header, valid_claims,
};
use crate::context::Context;
use crate::policy::Policy;
use crate::verdict::RejectKind;
use serde_json::{json, Value};

const ALG: Alg = Alg::HS256;
const REQUIRED: &str = "at+jwt";

const TYP_REQ: &str = "RFC 8725 3.12: \"If more than one kind of JWT can be issued by the same \
    issuer, the validation rules for those JWTs MUST be written such that they are mutually \
    exclusive, rejecting JWTs of the wrong kind.\" The policy requires typ at+jwt, the strategy \
    of RFC 8725 3.11 (\"Explicit JWT typing is accomplished by using the \"typ\" Header \
    Parameter\"), so a token that is not typed at+jwt is of the wrong kind: bcp. RFC 9068 4: \
    \"The resource server MUST verify that the \"typ\" header value is \"at+jwt\" or \
    \"application/at+jwt\" and reject tokens carrying any other value.\"";
const MEDIA_TYPE_REQ: &str = "RFC 7515 4.1.9: \"Per RFC 2045, all media type values, subtype \
    values, and parameter names are case insensitive\" and \"A recipient using the media type value \
    MUST treat it as if \"application/\" were prepended to any \"typ\" value not containing a \
    '/'.\" The spellings name the same media type, so refusing one refuses the required type \
    itself (rfc)";

/// The typ cases.
pub fn cases(ctx: &Context) -> Vec<Case> {
    let claims = valid_claims(ctx);
    let mut out = Vec::new();
    let cty_only = {
        let mut header = header_without(ALG, "typ");
        header["cty"] = json!(REQUIRED);
        header
    };
    let mut wrong: Vec<(&str, String, Value)> = vec![
        ("missing", "no typ".to_string(), header_without(ALG, "typ")),
        (
            "cty-only",
            format!("no typ, and cty {REQUIRED:?}"),
            cty_only,
        ),
    ];
    for (name, typ) in [
        ("jwt", "JWT"),
        ("application-jwt", "application/jwt"),
        ("superstring", "at+jwt.example"),
        ("trailing-space", "at+jwt "),
        ("empty", ""),
    ] {
        wrong.push((name, format!("typ {typ:?}"), header_with(ALG, "typ", typ)));
    }
    for (name, what, header) in wrong {
        out.push(
            rejects(
                ctx,
                name,
                &format!("A token with {what} is rejected where at+jwt is required"),
            )
            .sends(format!("{what}; the verifier requires typ {REQUIRED:?}"))
            .requirement(TYP_REQ)
            .token(signed_with_header(ALG, &header, &claims))
            .expect_reject(RejectKind::Type)
            .build(),
        );
    }
    out.push(
        rejects(
            ctx,
            "in-payload",
            "A typ claim in the payload does not stand in for the typ header",
        )
        .sends(format!(
            "no typ header; a \"typ\": {REQUIRED:?} member in the claims"
        ))
        .requirement(format!(
            "{TYP_REQ} RFC 7515 4.1.9 defines typ as a header parameter; the claims are not the \
                header."
        ))
        .token(signed_with_header(
            ALG,
            &header_without(ALG, "typ"),
            &claims_with(ctx, "typ", REQUIRED),
        ))
        .expect_reject(RejectKind::Type)
        .build(),
    );
    out.push(
        rejects(ctx, "array", "A typ that is an array is rejected")
            .severity(Severity::Medium)
            .sends(format!("typ [{REQUIRED:?}]"))
            .requirement(format!(
                "{TYP_REQ} RFC 7515 4.1.9: the typ value is a media type, a string; an array \
                    holding the required type is not that type"
            ))
            .token(signed_with_header(
                ALG,
                &header_with(ALG, "typ", json!([REQUIRED])),
                &claims,
            ))
            .expect_reject(RejectKind::Malformed)
            .build(),
    );
    for (name, typ) in [
        ("uppercase", "AT+JWT"),
        ("application-prefix", "application/at+jwt"),
        ("application-prefix-uppercase", "application/AT+JWT"),
    ] {
        out.push(
            accepts(
                ctx,
                name,
                &format!("typ {typ:?} matches the required at+jwt"),
                header_with(ALG, "typ", typ),
                &claims,
            )
            .sends(format!("typ {typ:?}; the verifier requires {REQUIRED:?}"))
            .requirement(MEDIA_TYPE_REQ)
            .build(),
        );
    }
    out.push(
        accepts(
            ctx,
            "lowercase-jwt",
            "typ \"jwt\" matches a required JWT",
            header_with(ALG, "typ", "jwt"),
            &claims,
        )
        .policy(typ_policy(ctx, "JWT"))
        .sends("typ \"jwt\"; the verifier requires \"JWT\"")
        .requirement(format!(
            "{MEDIA_TYPE_REQ} RFC 7519 5.1 only RECOMMENDS the upper-case spelling \"for \
                compatibility with legacy implementations\"."
        ))
        .build(),
    );
    out.push(
        accepts(
            ctx,
            "unrequired",
            "Without a required typ, any typ is accepted",
            header_with(ALG, "typ", "secevent+jwt"),
            &claims,
        )
        .policy(policy_for(ctx, ALG))
        .sends("typ \"secevent+jwt\"; the verifier requires no typ")
        .rfc("RFC7515#section-4")
        .requirement(
            "RFC 7515 4.1.9: typ \"is ignored by JWS implementations; any processing of this \
                parameter is performed by the JWS application\", and RFC 7515 4: \"All other \
                Header Parameters defined by this specification that are not so designated MUST \
                be ignored when not understood.\" An application that asks for no type imposes \
                none (rfc); RFC 7519 5.1: \"Use of this Header Parameter is OPTIONAL\"",
        )
        .build(),
    );
    for (name, member, value, section) in [
        ("cty-number", "cty", json!(1), "RFC7515#section-4.1.10"),
        (
            "cty-object",
            "cty",
            json!({"type": "JWT"}),
            "RFC7515#section-4.1.10",
        ),
        (
            "cty-array-jwt",
            "cty",
            json!(["JWT"]),
            "RFC7515#section-4.1.10",
        ),
        (
            "typ-number-unrequired",
            "typ",
            json!(0),
            "RFC7515#section-4.1.9",
        ),
    ] {
        out.push(
            case(
                ctx,
                name,
                &format!("A {member} of {value} is rejected when no type is required"),
            )
            .policy(policy_for(ctx, ALG))
            .severity(Severity::Low)
            .refs([section, "RFC7515#section-4", "RFC7519#section-7.2"])
            .strict(section)
            .sends(format!(
                "the usual HS256 token with {member} {value}; the verifier requires no type"
            ))
            .requirement(format!(
                "RFC 7515 {}: the {member} value is a media type, a string, and \"This parameter \
                 is ignored by JWS implementations; any processing of this parameter is performed \
                 by the JWS application.\" The producer wrote no media type; a verifier that \
                 ignores the parameter accepts the signed claims (and must not take an array or \
                 object holding \"JWT\" for a nested JWT), and refusing the malformed header is \
                 hardening (strict)",
                &section[8..].replace("section-", "")
            ))
            .token(signed_with_header(
                ALG,
                &header_with(ALG, member, value),
                &claims,
            ))
            .expect_reject(RejectKind::Malformed)
            .control(signed_with_header(ALG, &default_header_typ(), &claims))
            .build(),
        );
    }
    out
}

/// The usual header (typ JWT): the control of the type-of-typ cases.
fn default_header_typ() -> Value {
    crate::catalogue::common::default_header(ALG)
}

/// The usual policy requiring `typ`.
fn typ_policy(ctx: &Context, typ: &str) -> Policy {
    let mut policy = policy_for(ctx, ALG);
    policy.typ = Some(typ.to_string());
    policy
}

#[track_caller]
fn case(ctx: &Context, name: &str, title: &str) -> CaseBuilder {
    Case::builder(format!("typ/{name}"), title)
        .refs([
            "RFC7515#section-4.1.9",
            "RFC8725#section-3.11",
            "RFC8725#section-3.12",
            "RFC9068#section-4",
        ])
        .policy(typ_policy(ctx, REQUIRED))
        .needs_algorithms(&[ALG])
}

/// A high-severity `bcp` reject case whose control carries `typ: at+jwt`.
#[track_caller]
fn rejects(ctx: &Context, name: &str, title: &str) -> CaseBuilder {
    case(ctx, name, title)
        .severity(Severity::High)
        .bcp("RFC8725#section-3.12")
        .control(signed_with_header(
            ALG,
            &header_with(ALG, "typ", REQUIRED),
            &valid_claims(ctx),
        ))
}

/// A low-severity `rfc` accept case with `header` and `claims`: a spelling of the
/// required type (RFC 7515 section 4.1.9).
#[track_caller]
fn accepts(ctx: &Context, name: &str, title: &str, header: Value, claims: &Value) -> CaseBuilder {
    case(ctx, name, title)
        .severity(Severity::Low)
        .rfc("RFC7515#section-4.1.9")
        .token(signed_with_header(ALG, &header, claims))
        .expect_accept(claims)
}

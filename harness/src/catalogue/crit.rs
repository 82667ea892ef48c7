//! `crit/*`: critical header parameters (RFC 7515 section 4.1.11) and the unencoded
//! payload option `b64` (RFC 7797).
//!
//! `crit` lists extensions the verifier MUST understand; if it does not, the token is
//! invalid. A verifier that ignores `crit` processes a token under rules its producer
//! said it must not. `b64: false` is such an extension, and JWTs MUST NOT use it
//! (RFC 7797 section 7).
//!
//! Levels: a `crit` that lists an extension the verifier does not understand, or that
//! is not an array of names it can process, makes the JWS invalid: `rfc` (RFC 7515
//! section 4.1.11). What only producers are forbidden to write (`[]`, a registered
//! name, `b64` without `crit`) a recipient "MAY consider ... invalid": refusing it is
//! `strict`. So is a `crit` of `null`, which names no extension, so a lenient recipient
//! may read it as absent.

use crate::alg::Alg;
use crate::case::{Case, CaseBuilder, Severity};
use crate::catalogue::common::{header_with, policy_for, signed, signed_with_header, valid_claims};
use crate::context::Context;
use crate::verdict::RejectKind;
use serde_json::{json, Value};

const ALG: Alg = Alg::HS256;
/// An extension no verifier understands.
const EXTENSION: &str = "https://example.invalid/jws-extension";

const CRIT_REQ: &str =
    "RFC 7515 4.1.11: \"If any of the listed extension Header Parameters are not understood and \
        supported by the recipient, then the JWS is invalid.\" and \"This Header Parameter MUST be \
        understood and processed by implementations.\"";
const CRIT_MAY: &str =
    "RFC 7515 4.1.11: producers MUST NOT do this, but \"Recipients MAY consider the JWS to be \
        invalid if the critical list contains any Header Parameter names defined by this \
        specification or [JWA] for use with JWS or if any other constraints on its use are \
        violated.\" A MAY for the recipient: refusing is hardening (strict); a recipient that \
        finds no extension it fails to understand accepts the signed claims";
const B64_REQ: &str =
    "RFC 7797 7: \"For interoperability reasons, JSON Web Tokens [JWT] MUST NOT use \"b64\" with a \
        \"false\" value.\"";

/// The crit cases.
pub fn cases(ctx: &Context) -> Vec<Case> {
    let mut out = Vec::new();
    for (name, title, what, crit, with_member, severity, strict) in [
        (
            "unknown-extension",
            "A token whose crit names an unknown extension is rejected",
            "crit naming an extension the verifier cannot know, which is present",
            json!([EXTENSION]),
            true,
            Severity::High,
            false,
        ),
        (
            "names-absent-parameter",
            "A token whose crit names an absent unknown extension is rejected",
            "crit naming an unknown extension that is not in the header",
            json!([EXTENSION]),
            false,
            Severity::High,
            false,
        ),
        (
            "not-array",
            "A token whose crit is a string, not an array, is rejected",
            "crit as a string naming an unknown extension, which is present",
            json!(EXTENSION),
            true,
            Severity::High,
            false,
        ),
        (
            "null",
            "A token whose crit is null is rejected",
            "crit null: present, but not the array of names RFC 7515 4.1.11 requires",
            Value::Null,
            false,
            Severity::Medium,
            true,
        ),
        (
            "non-string-entry",
            "A token whose crit lists a number is rejected",
            "crit [1]",
            json!([1]),
            false,
            Severity::Medium,
            false,
        ),
    ] {
        let mut header = header_with(ALG, "crit", crit);
        if with_member {
            header[EXTENSION] = json!(true);
        }
        let (start, why) = if strict {
            (
                case(ctx, name, title).strict("RFC7515#section-4.1.11"),
                "A null crit lists no extension at all: a recipient may read it as absent, so \
                    refusing it is hardening (strict)",
            )
        } else {
            (
                case(ctx, name, title).rfc("RFC7515#section-4.1.11"),
                "RFC 7515 5.2 step 5: the recipient must understand the crit value itself too; \
                    an extension it does not understand, or a crit it cannot read as a list of \
                    names, leaves the JWS invalid (rfc)",
            )
        };
        out.push(
            start
                .severity(severity)
                .sends(what)
                .requirement(format!("{CRIT_REQ} {why}"))
                .token(signed_with_header(ALG, &header, &valid_claims(ctx)))
                .expect_reject(RejectKind::Critical)
                .control(signed(ALG, &valid_claims(ctx)))
                .build(),
        );
    }
    for (name, what, crit) in [
        ("empty", "crit []", json!([])),
        (
            "lists-alg",
            "crit [\"alg\"], naming a parameter RFC 7515 defines",
            json!(["alg"]),
        ),
    ] {
        out.push(
            case(ctx, name, &format!("A token with {what} is rejected"))
                .severity(Severity::Low)
                .strict("RFC7515#section-4.1.11")
                .sends(what)
                .requirement(CRIT_MAY)
                .token(signed_with_header(
                    ALG,
                    &header_with(ALG, "crit", crit),
                    &valid_claims(ctx),
                ))
                .expect_reject(RejectKind::Critical)
                .control(signed(ALG, &valid_claims(ctx)))
                .build(),
        );
    }
    // With b64 false, the payload segment is the payload itself, so the JWS Signing
    // Input is the same string as an ordinary token's: the signer signed the text
    // `eyJ…`, and a verifier that ignores b64 reads it as claims instead.
    let mut b64_false = header_with(ALG, "crit", json!(["b64"]));
    b64_false["b64"] = json!(false);
    out.push(
        case(
            ctx,
            "b64-false",
            "A JWT with b64 false, marked critical, is rejected",
        )
        .severity(Severity::High)
        .refs([
            "RFC7515#section-4.1.11",
            "RFC7797#section-6",
            "RFC7797#section-7",
            "RFC8725#section-3.12",
        ])
        .sends(
            "b64 false with crit [\"b64\"]; the payload segment is the base64url of the claims, \
                which under b64 false is itself the signed payload",
        )
        .rfc("RFC7515#section-4.1.11")
        .requirement(format!(
            "{B64_REQ} A verifier that does not implement RFC 7797 must reject it for crit \
                ({CRIT_REQ}); one that does must reject it as a JWT. Either way the JWS is \
                invalid (rfc)"
        ))
        .token(signed_with_header(ALG, &b64_false, &valid_claims(ctx)))
        .expect_reject(RejectKind::Critical)
        .control(signed(ALG, &valid_claims(ctx)))
        .build(),
    );
    let b64_quiet = header_with(ALG, "b64", false);
    out.push(
        case(
            ctx,
            "b64-false-without-crit",
            "A JWT with b64 false, not marked critical, is rejected",
        )
        .severity(Severity::Info)
        .refs([
            "RFC7515#section-4",
            "RFC7797#section-6",
            "RFC7797#section-7",
        ])
        .strict("RFC7797#section-7")
        .sends("b64 false without crit; otherwise an ordinary token")
        .requirement(format!(
            "{B64_REQ} RFC 7797 6: \"The \"crit\" Header Parameter MUST be included with \"b64\" in \
                its set of values when using the \"b64\" Header Parameter to cause implementations \
                not implementing \"b64\" to reject the JWS (instead of it being misinterpreted).\" \
                Both bind the producer. A verifier that does not implement RFC 7797 must ignore \
                b64 (RFC 7515 4: \"Unless listed as a critical Header Parameter, per Section \
                4.1.11, all Header Parameters not defined by this specification MUST be ignored \
                when not understood\") and accepts the signed claims; refusing the header the \
                producer was forbidden to write is hardening (strict)"
        ))
        .token(signed_with_header(ALG, &b64_quiet, &valid_claims(ctx)))
        .expect_reject(RejectKind::Critical)
        .control(signed(ALG, &valid_claims(ctx)))
        .build(),
    );
    for (name, value) in [
        ("b64-string-false-without-crit", json!("false")),
        ("b64-zero-without-crit", json!(0)),
        ("b64-null-without-crit", Value::Null),
    ] {
        out.push(
            case(
                ctx,
                name,
                &format!("A JWT with b64 {value}, not marked critical, is rejected"),
            )
            .severity(Severity::Info)
            .refs([
                "RFC7515#section-4",
                "RFC7797#section-3",
                "RFC7797#section-6",
                "RFC7797#section-7",
            ])
            .strict("RFC7797#section-7")
            .sends(format!(
                "b64 {value} (not a JSON boolean) without crit; otherwise an ordinary token"
            ))
            .requirement(format!(
                "{B64_REQ} RFC 7797 3 defines b64 as true or false; {value} is neither, and a \
                 reader that tests it for falsiness takes it for false and reads the payload \
                 segment unencoded. A verifier that does not implement RFC 7797 ignores the \
                 parameter (RFC 7515 4: \"Unless listed as a critical Header Parameter, per \
                 Section 4.1.11, all Header Parameters not defined by this specification MUST be \
                 ignored when not understood\") and accepts the signed claims; refusing the \
                 malformed header is hardening (strict)"
            ))
            .token(signed_with_header(
                ALG,
                &header_with(ALG, "b64", value),
                &valid_claims(ctx),
            ))
            .expect_reject(RejectKind::Critical)
            .control(signed(ALG, &valid_claims(ctx)))
            .build(),
        );
    }
    out
}

#[track_caller]
fn case(ctx: &Context, name: &str, title: &str) -> CaseBuilder {
    Case::builder(format!("crit/{name}"), title)
        .refs([
            "RFC7515#section-4.1.11",
            "RFC7515#section-5.2",
            "RFC8725#section-3.12",
        ])
        .policy(policy_for(ctx, ALG))
        .needs_algorithms(&[ALG])
}

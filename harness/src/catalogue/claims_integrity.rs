//! `claims-integrity/*`: the signature covers exactly the header and payload bytes
//! sent, and the claims handed back are exactly the claims signed (RFC 7515 section
//! 5.2, RFC 7519 section 7.2).
//!
//! Tampering cases change a claim or a header member of a validly signed token and
//! keep the original signature. Accept cases check the other half: nested values,
//! Unicode, escapes, large numbers, nulls and empty values come back unchanged, and
//! nothing from the header is merged into the claims.
//!
//! Levels: a signature that does not validate is `rfc` reject (RFC 7515 5.2). The
//! claims set is "a completely valid JSON object" (RFC 7519 7.2 step 10) whose values
//! "can be any JSON value" (RFC 7519 2), and "A JSON parser MUST accept all texts that
//! conform to the JSON grammar" (RFC 8259 9): a claims set of ordinary JSON values is
//! `rfc` accept. Integers beyond 2^53 are `strict` accept: RFC 8259 6 lets a parser
//! approximate them or refuse them as out of range, and the suite's convention is the
//! exact value (an acceptance may hand back the nearest double).

use crate::alg::Alg;
use crate::b64;
use crate::case::{Case, CaseBuilder, Level, Severity};
use crate::catalogue::common::{
    claims_with, default_header, header_with, policy, policy_for, signed, signed_bytes,
    signed_with_header, valid_claims,
};
use crate::context::Context;
use crate::verdict::RejectKind;
use serde_json::{json, Value};

const ALG: Alg = Alg::HS256;

const SIGNATURE_REQ: &str = "RFC 7515 5.2 step 8: \"Validate the JWS Signature against the JWS \
    Signing Input ASCII(BASE64URL(UTF8(JWS Protected Header)) || '.' || BASE64URL(JWS Payload)) in \
    the manner defined for the algorithm being used\"; step 10: \"If none of the validations in \
    step 9 succeeded, then the JWS MUST be considered invalid.\" Any change to either part of the \
    signing input invalidates the MAC, and accepting a token whose signature does not validate is \
    always an rfc failure";
const CLAIMS_REQ: &str = "RFC 7519 7.2 step 10: \"Verify that the resulting octet sequence is a \
    UTF-8-encoded representation of a completely valid JSON object conforming to RFC 7159 \
    [RFC7159]; let the JWT Claims Set be this JSON object.\" RFC 7519 2: \"A Claim Value can be \
    any JSON value.\" A verifier returns the claims set as signed, neither merged with the header \
    nor stripped of members";
const PARSER_MUST: &str = "RFC 8259 9: \"A JSON parser MUST accept all texts that conform to the \
    JSON grammar.\" These values are ordinary JSON, well inside the limits section 9 lets a parser \
    set, so refusing the token refuses a valid JWT (rfc)";
const INTEROPERABLE: &str = "RFC 8259 6: \"numbers that are integers and are in the range \
    [-(2**53)+1, (2**53)-1] are interoperable in the sense that implementations will agree exactly \
    on their numeric values.\" These are the ends of that range, so refusing or altering them is \
    an rfc failure";
const BEYOND_2_53: &str = "RFC 8259 6: \"This specification allows implementations to set limits \
    on the range and precision of numbers accepted. Since software that implements IEEE 754 \
    binary64 (double precision) numbers [IEEE754] is generally available and widely used, good \
    interoperability can be achieved by implementations that expect no more precision or range \
    than these provide, in the sense that implementations will approximate JSON numbers within \
    the expected precision.\" A verifier may refuse the number or hand back the nearest double; \
    the exact value is the suite's convention (strict)";

/// The claims-integrity cases.
pub fn cases(ctx: &Context) -> Vec<Case> {
    let mut out = tampered(ctx);
    out.extend(returned_unchanged(ctx));
    out
}

/// A signed token with its header and/or payload replaced and the signature kept.
fn resegment(token: &str, header: Option<&[u8]>, payload: Option<&[u8]>) -> String {
    let parts: Vec<&str> = token.split('.').collect();
    let header = header.map_or_else(|| parts[0].to_string(), b64::encode);
    let payload = payload.map_or_else(|| parts[1].to_string(), b64::encode);
    format!("{header}.{payload}.{}", parts[2])
}

/// Claims and header members changed after signing.
fn tampered(ctx: &Context) -> Vec<Case> {
    let claims = claims_with(ctx, "scope", "orders:read");
    let original = signed(ALG, &claims);
    let edit = |f: &dyn Fn(&mut Value)| {
        let mut c = claims.clone();
        f(&mut c);
        c.to_string().into_bytes()
    };
    let mut out = Vec::new();
    let payload_edits: [(&str, &str, Vec<u8>); 5] = [
        (
            "sub-changed",
            "sub changed to \"administrator\"",
            edit(&|c| c["sub"] = json!("administrator")),
        ),
        (
            "exp-extended",
            "exp pushed a year later",
            edit(&|c| c["exp"] = json!(ctx.now + 365 * 86_400)),
        ),
        (
            "admin-flag-added",
            "a claim \"admin\": true added",
            edit(&|c| c["admin"] = json!(true)),
        ),
        (
            "claim-removed",
            "the restricting claim scope \"orders:read\" removed",
            edit(&|c| {
                c.as_object_mut().map(|m| m.shift_remove("scope"));
            }),
        ),
        (
            "payload-reserialised",
            "the same claims re-serialised with indentation: equal JSON, other bytes",
            serde_json::to_vec_pretty(&claims).expect("claims serialise"),
        ),
    ];
    for (name, what, payload) in payload_edits {
        out.push(
            rejects(
                ctx,
                name,
                &format!("A token with {what} after signing is rejected"),
            )
            .severity(if name == "payload-reserialised" {
                Severity::Medium
            } else {
                Severity::Critical
            })
            .sends(format!(
                "a valid HS256 token with {what}, the original signature kept"
            ))
            .token(resegment(&original, None, Some(&payload)))
            .control(original.clone())
            .build(),
        );
    }
    // The kid swapped for another trusted key's: the signature was made by oct-a.
    let both = policy(ctx, &[ALG], &["oct-a", "oct-b"]);
    let kid_swapped = header_with(ALG, "kid", "oct-b").to_string().into_bytes();
    out.push(
        rejects(
            ctx,
            "kid-changed",
            "A token whose kid was changed after signing is rejected",
        )
        .policy(both)
        .sends(
            "a token signed by oct-a whose kid was then changed to oct-b, also trusted; the \
                signature kept",
        )
        .token(resegment(&original, Some(&kid_swapped), None))
        .control(original.clone())
        .build(),
    );
    // An ordinary JWT relabelled as an access token to pass a required typ.
    let mut at_jwt = policy_for(ctx, ALG);
    at_jwt.typ = Some("at+jwt".to_string());
    let relabelled = header_with(ALG, "typ", "at+jwt").to_string().into_bytes();
    out.push(
        rejects(
            ctx,
            "typ-changed",
            "A token whose typ was changed after signing is rejected",
        )
        .policy(at_jwt)
        .sends(
            "a token signed with typ \"JWT\" whose typ was then changed to the required \"at+jwt\"; \
                the signature kept",
        )
        .token(resegment(&original, Some(&relabelled), None))
        .control(signed_with_header(
            ALG,
            &header_with(ALG, "typ", "at+jwt"),
            &claims,
        ))
        .build(),
    );
    out
}

/// Accept cases: the returned claims equal the signed claims exactly.
fn returned_unchanged(ctx: &Context) -> Vec<Case> {
    let with = |extra: Value| {
        let mut claims = valid_claims(ctx);
        for (k, v) in extra.as_object().cloned().unwrap_or_default() {
            claims[k] = v;
        }
        claims
    };
    let mut out = Vec::new();
    let variants = [
        (
            "nested-values",
            "Nested objects and arrays come back unchanged",
            Severity::Low,
            (Level::Rfc, "RFC8259#section-9", PARSER_MUST),
            "claims holding objects inside arrays inside objects, and mixed arrays",
            with(json!({
                "ctx": {
                    "roles": ["reader", "writer"],
                    "org": {"id": 42, "units": [{"id": 1}, {"id": 2, "tags": []}]},
                },
                "flags": [true, false, null, 0, "x"],
            })),
        ),
        (
            "unicode",
            "Non-ASCII claims come back unchanged",
            Severity::Low,
            (Level::Rfc, "RFC8259#section-9", PARSER_MUST),
            "claims with accented Latin, Hebrew, CJK and an emoji written as raw UTF-8",
            with(json!({
                "name": "Zoë Ünal", "rtl": "שלום", "cjk": "日本語", "key": "🔑",
            })),
        ),
        (
            "floats",
            "Fractional numbers come back unchanged",
            Severity::Low,
            (Level::Rfc, "RFC8259#section-9", PARSER_MUST),
            "claims 0.1, 5e-324 (the smallest double) and 1.7976931348623157e308 (the largest)",
            with(json!({"ratio": 0.1, "tiny": 5e-324, "huge": 1.797_693_134_862_315_7e308})),
        ),
        (
            "null-and-empty-values",
            "Null and empty claims are kept, not dropped",
            Severity::Low,
            (Level::Rfc, "RFC8259#section-9", PARSER_MUST),
            "claims null, \"\", [] and {}",
            with(json!({"nick": null, "note": "", "groups": [], "meta": {}})),
        ),
        (
            "integer-2-pow-53-minus-1",
            "The largest interoperable integers come back unchanged",
            Severity::Low,
            (Level::Rfc, "RFC8259#section-6", INTEROPERABLE),
            "claims 9007199254740991 and -9007199254740991 (±(2^53-1))",
            with(json!({"big": 9_007_199_254_740_991_i64, "small": -9_007_199_254_740_991_i64})),
        ),
        (
            "integer-2-pow-53-plus-1",
            "An integer just beyond double precision comes back unchanged",
            Severity::Info,
            (Level::Strict, "RFC8259#section-6", BEYOND_2_53),
            "claim 9007199254740993 (2^53+1), which a double rounds to 2^53",
            with(json!({"id": 9_007_199_254_740_993_u64})),
        ),
        (
            "integer-beyond-i64",
            "An integer beyond the signed 64-bit range comes back unchanged",
            Severity::Info,
            (Level::Strict, "RFC8259#section-6", BEYOND_2_53),
            "claim 12345678901234567890, above i64::MAX and below u64::MAX",
            with(json!({"id": 12_345_678_901_234_567_890_u64})),
        ),
    ];
    for (name, title, severity, (level, basis, why), what, claims) in variants {
        out.push(
            case(ctx, name, title)
                .refs(["RFC7519#section-7.2", "RFC7519#section-2"])
                .level(level, basis)
                .severity(severity)
                .sends(what)
                .requirement(format!("{CLAIMS_REQ}. {why}"))
                .token(signed(ALG, &claims))
                .expect_accept(&claims)
                .build(),
        );
    }
    // Escapes written by hand: serde_json would write most of these characters raw.
    let claims = with(
        json!({"note": "quote \" backslash \\ solidus / controls \u{8}\u{c}\n\r\t e-acute \u{e9} \
            key \u{1f511}"}),
    );
    let escaped = claims.to_string().replace(
        &Value::from(claims["note"].as_str().unwrap_or_default()).to_string(),
        r#""quote \" backslash \\ solidus \/ controls \b\f\n\r\t e-acute \u00e9 key \ud83d\udd11""#,
    );
    out.push(
        case(ctx, "escapes", "Escaped characters come back unescaped")
            .severity(Severity::Low)
            .refs(["RFC8259#section-7", "RFC7519#section-7.2"])
            .rfc("RFC8259#section-9")
            .sends(concat!(
                r#"a claim written with every JSON escape: \" \\ \/ \b \f \n \r \t \u00e9"#,
                r#" and the surrogate pair \ud83d\udd11"#
            ))
            .requirement(format!(
                "{CLAIMS_REQ}; RFC 8259 7 defines what each escape stands for, and the surrogate \
                    pair is one character. {PARSER_MUST}"
            ))
            .token(signed_bytes(
                ALG,
                default_header(ALG).to_string().as_bytes(),
                escaped.as_bytes(),
            ))
            .expect_accept(&claims)
            .build(),
    );
    let mut header = default_header(ALG);
    header["x-tenant"] = json!("header-tenant");
    header["role"] = json!("administrator");
    let claims = valid_claims(ctx);
    out.push(
        case(
            ctx,
            "header-members-not-merged",
            "Header members are not merged into the claims",
        )
        .severity(Severity::Medium)
        .refs(["RFC7519#section-5.3", "RFC7515#section-4"])
        .rfc("RFC7519#section-7.2")
        .sends(
            "a header with the extra members x-tenant and role, ignored as unknown, and ordinary \
                claims",
        )
        .requirement(format!(
            "{CLAIMS_REQ}. RFC 7515 4: \"Unless listed as a critical Header Parameter, per Section \
                4.1.11, all Header Parameters not defined by this specification MUST be ignored \
                when not understood.\" The claims set is the payload alone: a header member \
                handed back as a claim is a claim nobody signed into it (rfc)"
        ))
        .token(signed_with_header(ALG, &header, &claims))
        .expect_accept(&claims)
        .build(),
    );
    out
}

#[track_caller]
fn case(ctx: &Context, name: &str, title: &str) -> CaseBuilder {
    Case::builder(format!("claims-integrity/{name}"), title)
        .refs(["RFC7515#section-5.2", "RFC7519#section-7.2"])
        .policy(policy_for(ctx, ALG))
        .needs_algorithms(&[ALG])
}

/// A tampering case: `rfc` reject for the signature.
#[track_caller]
fn rejects(ctx: &Context, name: &str, title: &str) -> CaseBuilder {
    case(ctx, name, title)
        .rfc("RFC7515#section-5.2")
        .severity(Severity::Critical)
        .requirement(SIGNATURE_REQ)
        .expect_reject(RejectKind::Signature)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::Expected;
    use crate::catalogue::common::testing::*;
    use crate::forge::keys;

    fn find(id: &str) -> Case {
        case_by_id(&cases(&Context::listing()), id).clone()
    }

    fn payload(token: &str) -> Vec<u8> {
        segment(token, 1)
    }

    fn macs(token: &str, key: &str) -> bool {
        verifies(ALG, &keys::public(key), token)
    }

    #[test]
    fn tampered_tokens_keep_a_signature_that_no_longer_fits() {
        for case in cases(&Context::listing()) {
            let Expected::Reject { .. } = case.expected else {
                continue;
            };
            let control = case.control_token().unwrap();
            assert!(macs(control, "oct-a"), "{}: control", case.id);
            assert!(
                !macs(&case.token, "oct-a") && !macs(&case.token, "oct-b"),
                "{}",
                case.id
            );
            let original = signed(
                ALG,
                &claims_with(&Context::listing(), "scope", "orders:read"),
            );
            assert_eq!(
                case.token.rsplit_once('.').unwrap().1,
                original.rsplit_once('.').unwrap().1,
                "{}",
                case.id
            );
        }
        let reserialised: Value = serde_json::from_slice(&payload(
            &find("claims-integrity/payload-reserialised").token,
        ))
        .unwrap();
        let control: Value = serde_json::from_slice(&payload(
            find("claims-integrity/payload-reserialised")
                .control_token()
                .unwrap(),
        ))
        .unwrap();
        assert_eq!(reserialised, control, "same JSON, different bytes");
        let removed: Value =
            serde_json::from_slice(&payload(&find("claims-integrity/claim-removed").token))
                .unwrap();
        assert!(removed.get("scope").is_none());
    }

    #[test]
    fn accept_cases_parse_to_exactly_their_expected_claims() {
        for case in cases(&Context::listing()) {
            let Expected::Accept { claims } = &case.expected else {
                continue;
            };
            let parsed: Value = serde_json::from_slice(&payload(&case.token)).unwrap();
            assert_eq!(parsed, Value::Object(claims.clone()), "{}", case.id);
            assert!(macs(&case.token, "oct-a"), "{}", case.id);
        }
        let Expected::Accept { claims } = find("claims-integrity/integer-2-pow-53-plus-1").expected
        else {
            panic!()
        };
        assert_eq!(claims["id"].as_u64(), Some(9_007_199_254_740_993));
        assert_ne!(
            claims["id"],
            json!(9_007_199_254_740_993_u64 as f64),
            "an f64 answer must not compare equal"
        );
        let text = String::from_utf8(payload(&find("claims-integrity/escapes").token)).unwrap();
        assert!(
            text.contains(r"\/ controls \b\f\n\r\t") && text.contains(r"\ud83d\udd11"),
            "{text}"
        );
    }
}

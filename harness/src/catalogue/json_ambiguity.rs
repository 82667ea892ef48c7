//! `json-ambiguity/*`: JSON that different parsers read differently (RFC 7515 section
//! 4, RFC 7519 section 4, RFC 8259, RFC 8725 section 3.7).
//!
//! Duplicate member names are the sharpest case: the verifier checks one `alg` or `exp`
//! and the application reads the other. RFC 7515 and 7519 allow exactly two behaviours,
//! reject or take the lexically last member, so each duplicate is sent in both orders:
//! where the last member makes the token invalid, both behaviours reject it (`rfc`);
//! where the last member makes it valid, taking the last is conformant and refusing the
//! duplicate is hardening (`strict`, scored by default as either, an acceptance handing
//! back the last members). Encodings other than UTF-8, invalid UTF-8, lone surrogates
//! and non-JSON literals follow.
//!
//! Encodings. RFC 8259 section 8.1, "JSON text exchanged between systems that are not
//! part of a closed ecosystem MUST be encoded using UTF-8", is a requirement on the
//! text, so on whoever writes it; read alone it does not bind a recipient, which RFC
//! 8259 section 9 lets "accept non-JSON forms or extensions". What binds the recipient
//! is RFC 7519 section 7.2 (and RFC 7515 section 5.2 step 3 for the header): "Verify
//! that the resulting octet sequence is a UTF-8-encoded representation of a completely
//! valid JSON object", and "If any of the listed steps fail, then the JWT MUST be
//! rejected". So UTF-16 and UTF-32 claims, invalid or overlong UTF-8 and non-JSON
//! literals are `rfc` reject; RFC 8725 section 3.7 says the same ("not use or admit the
//! use of other Unicode encodings"). A UTF-8 byte order mark is the exception RFC 8259
//! section 8.1 names: "implementations that parse JSON texts MAY ignore the presence of
//! a byte order mark rather than treating it as an error", so refusing it is `strict`.

use crate::alg::Alg;
use crate::case::{Case, CaseBuilder, Severity};
use crate::catalogue::common::{
    claims_with, default_header, policy_for, signed, signed_bytes, valid_claims,
};
use crate::context::{Context, MARGIN};
use crate::forge;
use crate::policy::Policy;
use crate::verdict::RejectKind;
use serde_json::{json, Map, Value};

const ALG: Alg = Alg::HS256;
const AUDIENCE: &str = "https://api.example/orders";
const ISSUER: &str = "https://issuer.example";

const DUPLICATE_REQ: &str =
    "RFC 7515 4 / RFC 7519 4: names \"MUST be unique; JWS parsers MUST either reject JWSs with \
        duplicate Header Parameter names or use a JSON parser that returns only the lexically last \
        duplicate member name\"";
const UTF8_REQ: &str =
    "RFC 8725 3.7: RFCs 7515, 7516 and 7519 \"all specify that UTF-8 be used for encoding and \
        decoding JSON used in Header Parameters and JWT Claims Sets ... Implementations and \
        applications MUST do this and not use or admit the use of other Unicode encodings for these \
        purposes\"";
const JSON_REQ: &str =
    "RFC 7519 7.2 step 10: \"Verify that the resulting octet sequence is a UTF-8-encoded \
        representation of a completely valid JSON object conforming to RFC 7159\", and \"If any of \
        the listed steps fail, then the JWT MUST be rejected\" (rfc)";
/// Why a duplicate whose last member makes the token invalid is `rfc`.
const LAST_INVALID: &str = "both permitted behaviours reject it: refusing the duplicate, or \
    reading the last member, which fails (rfc)";
/// Why a duplicate whose last member makes the token valid is `strict`.
const LAST_VALID: &str = "a parser that returns the lexically last member reads a valid token \
    and must hand back the last members; refusing the duplicate is the hardened choice of the two \
    RFC 7515 and 7519 permit (strict)";

/// A JSON object written member by member, exactly as given: raw member-name text
/// (without quotes, escapes kept) and raw value text. Duplicates are allowed, which is
/// the point: serde_json cannot write them.
fn object(members: &[(String, String)]) -> Vec<u8> {
    let body: Vec<String> = members
        .iter()
        .map(|(name, value)| format!("\"{name}\":{value}"))
        .collect();
    format!("{{{}}}", body.join(",")).into_bytes()
}

/// The members of a JSON object value as raw text pairs, in order.
fn members(value: &Value) -> Vec<(String, String)> {
    value
        .as_object()
        .map(Map::iter)
        .into_iter()
        .flatten()
        .map(|(name, value)| (name.clone(), value.to_string()))
        .collect()
}

/// `value`'s members with `name` given the value `first` in place and `second` appended
/// at the end, under `second_name` (normally `name`, or an escaped spelling of it).
fn duplicated(
    value: &Value,
    name: &str,
    first: &Value,
    second_name: &str,
    second: &Value,
) -> Vec<u8> {
    let mut list = members(value);
    match list.iter_mut().find(|(n, _)| n == name) {
        Some(member) => member.1 = first.to_string(),
        None => list.push((name.to_string(), first.to_string())),
    }
    list.push((second_name.to_string(), second.to_string()));
    object(&list)
}

fn header_bytes() -> Vec<u8> {
    default_header(ALG).to_string().into_bytes()
}

/// The json-ambiguity cases.
pub fn cases(ctx: &Context) -> Vec<Case> {
    let mut out = duplicate_alg(ctx);
    out.extend(duplicate_claims(ctx));
    out.extend(encodings(ctx));
    out.extend(nul_characters(ctx));
    out.extend(non_json(ctx));
    out
}

/// Duplicate `alg`: signed with HS256, or unsigned as a `none` reading expects.
fn duplicate_alg(ctx: &Context) -> Vec<Case> {
    let claims = valid_claims(ctx).to_string().into_bytes();
    let header = default_header(ALG);
    let none_first = duplicated(&header, "alg", &json!("none"), "alg", &json!("HS256"));
    let none_last = duplicated(&header, "alg", &json!("HS256"), "alg", &json!("none"));
    let escaped_last = duplicated(&header, "alg", &json!("HS256"), "\\u0061lg", &json!("none"));
    let unsigned = |h: &[u8]| forge::assemble(h, &claims, b"");
    let mut out = vec![case(
        ctx,
        "duplicate-alg-none-first",
        "Duplicate alg, none then HS256, MACed with HS256",
    )
    .severity(Severity::Info)
    .strict("RFC7515#section-4")
    .sends("header {\"alg\":\"none\",\"alg\":\"HS256\",…} with a valid HS256 MAC")
    .requirement(format!(
        "{DUPLICATE_REQ}; here the last alg is HS256, under which the MAC verifies: {LAST_VALID}"
    ))
    .token(signed_bytes(ALG, &none_first, &claims))
    .expect_reject(RejectKind::Malformed)
    .control(signed(ALG, &valid_claims(ctx)))
    .build()];
    for (name, title, header, sig, what, severity, why) in [
        (
            "duplicate-alg-none-last",
            "Duplicate alg, HS256 then none, MACed with HS256",
            &none_last,
            true,
            "header {\"alg\":\"HS256\",\"alg\":\"none\",…} with a valid HS256 MAC",
            Severity::Medium,
            "the last alg is none, which must be rejected; accepting means the first member was \
                read",
        ),
        (
            "duplicate-alg-none-last-unsigned",
            "Duplicate alg, HS256 then none, unsigned",
            &none_last,
            false,
            "header {\"alg\":\"HS256\",\"alg\":\"none\",…} with an empty signature",
            Severity::Critical,
            "a verifier that allow-lists the first alg and verifies with the last accepts an \
                unsigned token",
        ),
        (
            "duplicate-alg-none-first-unsigned",
            "Duplicate alg, none then HS256, unsigned",
            &none_first,
            false,
            "header {\"alg\":\"none\",\"alg\":\"HS256\",…} with an empty signature",
            Severity::Critical,
            "the last alg is HS256 and the signature is empty; accepting means the first member, \
                none, was used",
        ),
        (
            "duplicate-alg-escaped-name",
            "Duplicate alg spelled \\u0061lg, HS256 then none, MACed",
            &escaped_last,
            true,
            "header {\"alg\":\"HS256\",\"\\u0061lg\":\"none\",…} with a valid HS256 MAC: the names \
                are equal once unescaped",
            Severity::Medium,
            "the names are equal after unescaping (RFC 7519 7.3), so this is a duplicate whose last \
                value is none",
        ),
    ] {
        let token = if sig {
            signed_bytes(ALG, header, &claims)
        } else {
            unsigned(header)
        };
        out.push(
            case(ctx, name, title)
                .severity(severity)
                .refs([
                    "RFC7515#section-4",
                    "RFC7515#section-5.2",
                    "RFC8725#section-3.1",
                ])
                .rfc("RFC7515#section-4")
                .sends(what)
                .requirement(format!("{DUPLICATE_REQ}; here {why}: {LAST_INVALID}"))
                .token(token)
                .expect_reject(RejectKind::Malformed)
                .control(signed(ALG, &valid_claims(ctx)))
                .build(),
        );
    }
    out
}

/// Duplicate claims, each in the order where the last makes the token invalid (reject)
/// and the order where it makes it valid (either).
fn duplicate_claims(ctx: &Context) -> Vec<Case> {
    let past = json!(ctx.now - MARGIN);
    let future = json!(ctx.now + MARGIN);
    let other = json!("https://attacker.example");
    let variants: [(&str, Policy, Value, Value, Value); 3] = [
        (
            "exp",
            policy_for(ctx, ALG),
            valid_claims(ctx),
            future.clone(),
            past.clone(),
        ),
        (
            "aud",
            audience_policy(ctx),
            claims_with(ctx, "aud", AUDIENCE),
            json!(AUDIENCE),
            other.clone(),
        ),
        (
            "iss",
            issuer_policy(ctx),
            valid_claims(ctx),
            json!(ISSUER),
            other.clone(),
        ),
    ];
    let mut out = Vec::new();
    for (claim, policy, claims, good, bad) in variants {
        let control = signed(ALG, &claims);
        let invalid_last_control = control.clone();
        out.push(
            case(
                ctx,
                &format!("duplicate-{claim}-invalid-last"),
                &format!("Duplicate {claim} whose last value is invalid is rejected"),
            )
            .policy(policy.clone())
            .severity(Severity::Medium)
            .refs(["RFC7519#section-4", "RFC8259#section-4"])
            .rfc("RFC7519#section-4")
            .sends(format!(
                "claims with \"{claim}\":{good} then \"{claim}\":{bad}"
            ))
            .requirement(format!(
                "{DUPLICATE_REQ}; the last {claim} fails the policy, so accepting means the first \
                    was checked: {LAST_INVALID}"
            ))
            .token(signed_bytes(
                ALG,
                &header_bytes(),
                &duplicated(&claims, claim, &good, claim, &bad),
            ))
            .expect_reject(RejectKind::Malformed)
            .control(invalid_last_control)
            .build(),
        );
        out.push(
            case(
                ctx,
                &format!("duplicate-{claim}-valid-last"),
                &format!("Duplicate {claim} whose last value is valid"),
            )
            .policy(policy)
            .severity(Severity::Info)
            .refs(["RFC7519#section-4", "RFC8259#section-4"])
            .strict("RFC7519#section-4")
            .sends(format!(
                "claims with \"{claim}\":{bad} then \"{claim}\":{good}"
            ))
            .requirement(format!(
                "{DUPLICATE_REQ}; the last {claim} satisfies the policy: {LAST_VALID}"
            ))
            .token(signed_bytes(
                ALG,
                &header_bytes(),
                &duplicated(&claims, claim, &bad, claim, &good),
            ))
            .expect_reject(RejectKind::Malformed)
            .control(control)
            .build(),
        );
    }
    let claims = valid_claims(ctx);
    out.push(
        case(
            ctx,
            "duplicate-exp-escaped-name",
            "Duplicate exp spelled \\u0065xp, expired last, is rejected",
        )
        .severity(Severity::Medium)
        .refs(["RFC7519#section-4", "RFC7519#section-7.3"])
        .rfc("RFC7519#section-4")
        .sends("claims with \"exp\": three hours ahead, then \"\\u0065xp\": three hours ago")
        .requirement(format!(
            "{DUPLICATE_REQ}; the names are equal once unescaped (RFC 7519 7.3) and the last is \
                expired: {LAST_INVALID}"
        ))
        .token(signed_bytes(
            ALG,
            &header_bytes(),
            &duplicated(&claims, "exp", &future, "\\u0065xp", &past),
        ))
        .expect_reject(RejectKind::Malformed)
        .control(signed(ALG, &claims))
        .build(),
    );
    out.push(
        case(ctx, "duplicate-sub", "Duplicate sub")
            .severity(Severity::Info)
            .refs(["RFC7519#section-4", "RFC7519#section-4.1.2"])
            .strict("RFC7519#section-4")
            .sends("claims with \"sub\":\"conformance-subject\" then \"sub\":\"administrator\"")
            .requirement(format!(
                "{DUPLICATE_REQ}; both subjects are valid strings: {LAST_VALID}, here sub \
                    \"administrator\""
            ))
            .token(signed_bytes(
                ALG,
                &header_bytes(),
                &duplicated(
                    &claims,
                    "sub",
                    &claims["sub"],
                    "sub",
                    &json!("administrator"),
                ),
            ))
            .expect_reject(RejectKind::Malformed)
            .control(signed(ALG, &claims))
            .build(),
    );
    out
}

/// UTF-16, byte order marks, invalid UTF-8 and lone surrogates.
fn encodings(ctx: &Context) -> Vec<Case> {
    let claims_text = valid_claims(ctx).to_string();
    let utf16 = |big_endian: bool, bom: bool| -> Vec<u8> {
        let units = (bom.then_some(0xFEFF_u16))
            .into_iter()
            .chain(claims_text.encode_utf16());
        units
            .flat_map(|u| {
                if big_endian {
                    u.to_be_bytes()
                } else {
                    u.to_le_bytes()
                }
            })
            .collect()
    };
    let bom = |text: &[u8]| [&[0xEF, 0xBB, 0xBF][..], text].concat();
    let with_raw = |name: &str, raw: &[u8]| {
        // The claims text with the value of `name` replaced by raw bytes.
        let mut bytes = Vec::new();
        let marker = format!(
            "\"{name}\":\"{}\"",
            valid_claims(ctx)[name].as_str().unwrap_or_default()
        );
        let (a, b) = claims_text.split_once(&marker).expect("claim present");
        bytes.extend_from_slice(a.as_bytes());
        bytes.extend_from_slice(format!("\"{name}\":\"").as_bytes());
        bytes.extend_from_slice(raw);
        bytes.push(b'"');
        bytes.extend_from_slice(b.as_bytes());
        bytes
    };
    let mut out = Vec::new();
    for (name, what, header, payload, policy) in [
        (
            "utf16le-payload",
            "claims encoded as UTF-16LE",
            header_bytes(),
            utf16(false, false),
            policy_for(ctx, ALG),
        ),
        (
            "utf16be-payload-with-bom",
            "claims encoded as UTF-16BE with a byte order mark",
            header_bytes(),
            utf16(true, true),
            policy_for(ctx, ALG),
        ),
        (
            "invalid-utf8-in-claim",
            "a sub containing the byte 0xFF, which is never UTF-8",
            header_bytes(),
            with_raw("sub", b"conformance-\xFFsubject"),
            policy_for(ctx, ALG),
        ),
        (
            "overlong-utf8-in-issuer",
            "an iss whose '/' are the overlong UTF-8 sequence C0 AF",
            header_bytes(),
            with_raw("iss", b"https:\xC0\xAF\xC0\xAFissuer.example"),
            issuer_policy(ctx),
        ),
    ] {
        out.push(
            case(ctx, name, &format!("A token with {what} is rejected"))
                .policy(policy)
                .severity(Severity::Medium)
                .refs([
                    "RFC8725#section-3.7",
                    "RFC8259#section-8.1",
                    "RFC7519#section-7.2",
                ])
                .rfc("RFC7519#section-7.2")
                .sends(format!("{what}, correctly MACed"))
                .requirement(format!(
                    "{JSON_REQ}. RFC 8259 8.1: \"JSON text exchanged between systems that are not \
                        part of a closed ecosystem MUST be encoded using UTF-8\" binds the text's \
                        writer; RFC 7519 7.2 binds the recipient. {UTF8_REQ}"
                ))
                .token(signed_bytes(ALG, &header, &payload))
                .expect_reject(RejectKind::Malformed)
                .control(signed(ALG, &valid_claims(ctx)))
                .build(),
        );
    }
    for (name, what, header, payload) in [
        (
            "utf8-bom-payload",
            "claims preceded by a UTF-8 byte order mark",
            header_bytes(),
            bom(claims_text.as_bytes()),
        ),
        (
            "utf8-bom-header",
            "a header preceded by a UTF-8 byte order mark",
            bom(&header_bytes()),
            claims_text.clone().into_bytes(),
        ),
    ] {
        out.push(
            case(ctx, name, &format!("A token with {what} is rejected"))
                .severity(Severity::Info)
                .refs(["RFC8259#section-8.1", "RFC8725#section-3.7"])
                .strict("RFC8259#section-8.1")
                .sends(format!("{what}, correctly MACed"))
                .requirement(
                    "RFC 8259 8.1: \"Implementations MUST NOT add a byte order mark (U+FEFF) to the \
                        beginning of a networked-transmitted JSON text. In the interests of \
                        interoperability, implementations that parse JSON texts MAY ignore the \
                        presence of a byte order mark rather than treating it as an error.\" The \
                        producer broke the MUST NOT; a parser MAY ignore the mark and read the \
                        claims after it, so treating it as an error is hardening (strict)",
                )
                .token(signed_bytes(ALG, &header, &payload))
                .expect_reject(RejectKind::Malformed)
                .control(signed(ALG, &valid_claims(ctx)))
                .build(),
        );
    }
    let claims = valid_claims(ctx);
    let lone_in_value = claims
        .to_string()
        .replace("\"conformance-subject\"", "\"conformance-\\ud800subject\"");
    let mut named = members(&claims);
    named.push(("role\\udc00".to_string(), "\"administrator\"".to_string()));
    for (name, what, payload) in [
        (
            "lone-surrogate-in-value",
            "a sub containing the escape \\ud800, a lone high surrogate",
            lone_in_value.into_bytes(),
        ),
        (
            "lone-surrogate-in-name",
            "a claim named \"role\\udc00\", with a lone low surrogate",
            object(&named),
        ),
    ] {
        out.push(
            case(ctx, name, &format!("A token with {what} is rejected"))
                .severity(Severity::Medium)
                .refs([
                    "RFC8259#section-8.2",
                    "RFC7493#section-2.1",
                    "RFC8725#section-3.7",
                ])
                .strict("RFC8259#section-8.2")
                .sends(format!("{what}, correctly MACed"))
                .requirement(
                    "RFC 8259 8.2: \"the ABNF in this specification allows member names and string \
                        values to contain bit sequences that cannot encode Unicode characters; for \
                        example, \"\\uDEAD\" (a single unpaired UTF-16 surrogate)\", and \"The \
                        behavior of software that receives JSON texts containing such values is \
                        unpredictable\". The grammar allows them, so the JSON is valid; RFC 7493 \
                        2.1 forbids them, and no UTF-8 string holds them: refusing is hardening \
                        (strict), and a verifier that accepts must hand back each as U+FFFD",
                )
                .token(signed_bytes(ALG, &header_bytes(), &payload))
                .expect_reject(RejectKind::Malformed)
                .control(signed(ALG, &claims))
                .build(),
        );
    }
    out
}

/// U+0000 inside names and values: valid JSON, and a trap for C-string handling.
fn nul_characters(ctx: &Context) -> Vec<Case> {
    let mut shadow_exp = valid_claims(ctx);
    shadow_exp["exp\u{0}"] = json!(ctx.now - MARGIN);
    let nul_value = claims_with(ctx, "sub", "conformance-subject\u{0}administrator");
    let nul_header = {
        let mut members = members(&default_header(ALG));
        members.push(("alg\\u0000".to_string(), "\"none\"".to_string()));
        object(&members)
    };
    let variants = [
        (
            "nul-in-claim-name",
            "a second claim \"exp\\u0000\", expired, besides a valid exp",
            header_bytes(),
            shadow_exp,
        ),
        (
            "nul-in-claim-value",
            "a sub of \"conformance-subject\\u0000administrator\"",
            header_bytes(),
            nul_value,
        ),
        (
            "nul-in-header-name",
            "a header member \"alg\\u0000\":\"none\" besides alg HS256",
            nul_header,
            valid_claims(ctx),
        ),
    ];
    variants
        .into_iter()
        .map(|(name, what, header, claims)| {
            case(
                ctx,
                name,
                &format!("A token with {what} is accepted unchanged"),
            )
            .severity(Severity::Medium)
            .refs([
                "RFC8259#section-7",
                "RFC7519#section-7.3",
                "RFC7515#section-4",
            ])
            .strict("RFC8259#section-9")
            .sends(format!("{what}, correctly MACed"))
            .requirement(
                "RFC 8259 7: any code point may be escaped, U+0000 included, so these are distinct, \
                    valid names and values; RFC 7519 7.3 compares whole strings code point by code \
                    point, and RFC 7515 4 has unknown header parameters ignored. Truncating at NUL \
                    would turn them into exp, \"conformance-subject\" or alg. RFC 8259 9: \"A JSON \
                    parser MUST accept all texts that conform to the JSON grammar\", but also \"An \
                    implementation may set limits on the length and character contents of \
                    strings\": refusing a U+0000 is permitted, so accepting unchanged is this \
                    suite's expectation (strict), and by default a verifier may reject but must not \
                    accept with truncated names or values",
            )
            .token(signed_bytes(ALG, &header, claims.to_string().as_bytes()))
            .expect_accept(&claims)
            .build()
        })
        .collect()
}

/// Text that lenient parsers take for JSON.
fn non_json(ctx: &Context) -> Vec<Case> {
    let claims = valid_claims(ctx);
    let text = claims.to_string();
    let exp = claims["exp"].to_string();
    let variants = [
        (
            "exp-infinity",
            "\"exp\":Infinity, which JavaScript-style parsers read as never expiring",
            text.replace(&exp, "Infinity"),
            Severity::High,
        ),
        (
            "exp-nan",
            "\"exp\":NaN, which fails every comparison, including \"has it expired\"",
            text.replace(&exp, "NaN"),
            Severity::High,
        ),
        (
            "trailing-comma",
            "claims with a comma after the last member",
            format!("{},}}", &text[..text.len() - 1]),
            Severity::Low,
        ),
        (
            "comment",
            "claims with a /* comment */ before the first member",
            text.replacen('{', "{/* comment */", 1),
            Severity::Low,
        ),
    ];
    variants
        .into_iter()
        .map(|(name, what, payload, severity)| {
            case(ctx, name, &format!("A token with {what} is rejected"))
                .severity(severity)
                .refs([
                    "RFC8259#section-2",
                    "RFC8259#section-6",
                    "RFC7519#section-7.2",
                ])
                .rfc("RFC7519#section-7.2")
                .sends(format!("{what}, correctly MACed"))
                .requirement(format!(
                    "{JSON_REQ}; RFC 8259 6: \"Numeric values that cannot be represented in the \
                        grammar below (such as Infinity and NaN) are not permitted.\" RFC 8259 9 lets \
                        a JSON parser \"accept non-JSON forms or extensions\", but a JWT's claims \
                        must be \"a completely valid JSON object\""
                ))
                .token(signed_bytes(ALG, &header_bytes(), payload.as_bytes()))
                .expect_reject(RejectKind::Malformed)
                .control(signed(ALG, &claims))
                .build()
        })
        .collect()
}

fn audience_policy(ctx: &Context) -> Policy {
    let mut policy = policy_for(ctx, ALG);
    policy.audience = vec![AUDIENCE.to_string()];
    policy
}

fn issuer_policy(ctx: &Context) -> Policy {
    let mut policy = policy_for(ctx, ALG);
    policy.issuer = Some(ISSUER.to_string());
    policy
}

#[track_caller]
fn case(ctx: &Context, name: &str, title: &str) -> CaseBuilder {
    Case::builder(format!("json-ambiguity/{name}"), title)
        .refs([
            "RFC7515#section-4",
            "RFC7519#section-4",
            "RFC8725#section-3.7",
        ])
        .policy(policy_for(ctx, ALG))
        .needs_algorithms(&[ALG])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::b64;
    use crate::catalogue::common::testing::*;

    fn find(id: &str) -> Case {
        case_by_id(&cases(&Context::listing()), id).clone()
    }

    fn text(token: &str, i: usize) -> String {
        String::from_utf8_lossy(&segment(token, i)).into_owned()
    }

    #[test]
    fn duplicates_really_are_duplicated_in_the_order_named() {
        let h = text(&find("json-ambiguity/duplicate-alg-none-first").token, 0);
        assert!(
            h.starts_with(r#"{"alg":"none","typ":"JWT","kid":"oct-a","alg":"HS256"}"#),
            "{h}"
        );
        let h = text(
            &find("json-ambiguity/duplicate-alg-none-last-unsigned").token,
            0,
        );
        assert!(
            h.starts_with(r#"{"alg":"HS256","#) && h.ends_with(r#""alg":"none"}"#),
            "{h}"
        );
        assert!(find("json-ambiguity/duplicate-alg-none-last-unsigned")
            .token
            .ends_with('.'));
        let h = text(&find("json-ambiguity/duplicate-alg-escaped-name").token, 0);
        assert!(h.ends_with(r#""\u0061lg":"none"}"#), "{h}");
        for claim in ["exp", "aud", "iss", "sub"] {
            let id = if claim == "sub" {
                "json-ambiguity/duplicate-sub".to_string()
            } else {
                format!("json-ambiguity/duplicate-{claim}-invalid-last")
            };
            let p = text(&find(&id).token, 1);
            assert_eq!(p.matches(&format!("\"{claim}\":")).count(), 2, "{id}: {p}");
        }
        // serde_json keeps the last of duplicates: the invalid-last tokens read as invalid.
        let p: Value = serde_json::from_str(&text(
            &find("json-ambiguity/duplicate-exp-invalid-last").token,
            1,
        ))
        .unwrap();
        assert!(p["exp"].as_i64().unwrap() < Context::listing().now);
    }

    #[test]
    fn every_token_is_maced_over_its_exact_bytes() {
        for case in cases(&Context::listing()) {
            let (input, sig) = case.token.rsplit_once('.').unwrap();
            let key = crate::forge::keys::public("oct-a");
            let macs =
                crate::forge::verify(ALG, &key, input.as_bytes(), &b64::decode(sig).unwrap());
            assert_eq!(macs, !case.id.ends_with("-unsigned"), "{}", case.id);
        }
    }

    #[test]
    fn encodings_are_what_they_claim() {
        let p = b64::decode(
            find("json-ambiguity/utf16be-payload-with-bom")
                .token
                .split('.')
                .nth(1)
                .unwrap(),
        )
        .unwrap();
        assert_eq!(&p[..4], &[0xFE, 0xFF, 0x00, b'{']);
        let p = b64::decode(
            find("json-ambiguity/invalid-utf8-in-claim")
                .token
                .split('.')
                .nth(1)
                .unwrap(),
        )
        .unwrap();
        assert!(std::str::from_utf8(&p).is_err());
        let p = text(&find("json-ambiguity/lone-surrogate-in-value").token, 1);
        assert!(p.contains(r"conformance-\ud800subject"));
        assert!(
            serde_json::from_str::<Value>(&p).is_err(),
            "no Rust string holds a lone surrogate"
        );
        let p = text(&find("json-ambiguity/exp-infinity").token, 1);
        assert!(p.contains(r#""exp":Infinity"#), "{p}");
    }

    #[test]
    fn nul_cases_parse_to_exactly_their_expected_claims() {
        for name in [
            "nul-in-claim-name",
            "nul-in-claim-value",
            "nul-in-header-name",
        ] {
            let case = find(&format!("json-ambiguity/{name}"));
            let parsed: Value = serde_json::from_str(&text(&case.token, 1)).unwrap();
            let crate::case::Expected::Accept { claims } = &case.expected else {
                panic!("{name}")
            };
            assert_eq!(&Value::Object(claims.clone()), &parsed, "{name}");
        }
        let header = text(&find("json-ambiguity/nul-in-header-name").token, 0);
        assert!(header.contains(r#""alg\u0000":"none""#), "{header}");
    }
}

//! `json-grammar/*`: the JSON grammar (RFC 8259), both ways. Header and claims that
//! break it (raw control characters in strings, leading zeros, `+` signs, single
//! quotes, unquoted names, hexadecimal or half-written numbers, unknown escapes,
//! capitalised literals, foreign whitespace), and texts that keep to it in a form some
//! parsers do not expect (whitespace between tokens, escaped characters in names and
//! values, numbers with fraction or exponent parts).
//!
//! Levels: RFC 7515 section 5.2 step 3 and RFC 7519 section 7.2 steps 4 and 10 ask for "a
//! completely valid JSON object", and RFC 8259 section 9 lets a parser "accept non-JSON
//! forms or extensions" only as a parser: a JWT recipient must refuse them (`rfc`
//! reject). RFC 8259 section 9 also says "A JSON parser MUST accept all texts that
//! conform to the JSON grammar", and JOSE compares names and values after removing JSON
//! escaping (RFC 7519 section 7.3), so the grammatical spellings must be read as what
//! they spell (`rfc` accept): `"HS\u0032\u00356"` is HS256, `"\u0065xp"` is exp, and
//! `1.7000108E9` is the NumericDate 1700010800. RFC 8259 section 6 lets a parser limit
//! "the range and precision of numbers accepted"; a whole number of seconds in range
//! spelt with a fraction or an exponent needs neither more range nor more precision (a
//! verifier that types exp as an integer has crashed on a double exp).
//! Each token is MACed with the trusted HS256 key over exactly the bytes sent.

use crate::alg::Alg;
use crate::case::{Case, CaseBuilder, Severity};
use crate::catalogue::common::{
    claims_with, default_header, policy_for, signed, signed_bytes, valid_claims,
};
use crate::context::{Context, MARGIN};
use crate::policy::Policy;
use crate::verdict::RejectKind;
use serde_json::Value;

const ALG: Alg = Alg::HS256;
const ISSUER: &str = "https://issuer.example";
const AUDIENCE: &str = "https://api.example/orders";

const OBJECT_REQ: &str = "RFC 7515 5.2 step 3 and RFC 7519 7.2 steps 4 and 10: \"Verify that the \
    resulting octet sequence is a UTF-8-encoded representation of a completely valid JSON object \
    conforming to RFC 7159\", and \"If any of the listed steps fail, then the JWT MUST be \
    rejected\" (rfc). RFC 8259 9 lets a JSON parser \"accept non-JSON forms or extensions\"; a \
    JWT's header and claims must be JSON all the same";
const PARSER_MUST_ACCEPT: &str = "RFC 8259 9: \"A JSON parser MUST accept all texts that conform \
    to the JSON grammar.\"";
const ESCAPES: &str = "RFC 8259 7: \"Any character may be escaped. If the character is in the \
    Basic Multilingual Plane (U+0000 through U+FFFF), then it may be represented as a \
    six-character sequence: a reverse solidus, followed by the lowercase letter u, followed by \
    four hexadecimal digits that encode the character's code point. The hexadecimal letters A \
    through F can be uppercase or lowercase.\"";

/// The json-grammar cases.
pub fn cases(ctx: &Context) -> Vec<Case> {
    let mut out = payload_violations(ctx);
    out.extend(header_violations(ctx));
    out.extend(grammatical_spellings(ctx));
    out.extend(numeric_dates(ctx));
    out.extend(escaped_names(ctx));
    out
}

#[track_caller]
fn case(ctx: &Context, name: &str, title: &str) -> CaseBuilder {
    Case::builder(format!("json-grammar/{name}"), title)
        .refs([
            "RFC8259#section-2",
            "RFC8259#section-6",
            "RFC8259#section-7",
            "RFC8259#section-9",
        ])
        .policy(policy_for(ctx, ALG))
        .needs_algorithms(&[ALG])
}

fn header_text() -> String {
    default_header(ALG).to_string()
}

fn claims_text(ctx: &Context) -> String {
    valid_claims(ctx).to_string()
}

/// `text` with `from` replaced once by `to`; `from` must occur.
fn replaced(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "{from:?} not in {text}");
    text.replacen(from, to, 1)
}

/// Claims text that JSON does not allow, each valid if the violation were repaired.
fn payload_violations(ctx: &Context) -> Vec<Case> {
    let claims = claims_text(ctx);
    let exp = (ctx.now + MARGIN).to_string();
    let with_member = |member: &str| format!("{},{member}}}", &claims[..claims.len() - 1]);
    let variants: Vec<(&str, &str, String)> = vec![
        (
            "payload-raw-control-character",
            "a raw U+0001 inside the sub string",
            replaced(&claims, "conformance-subject", "conformance\u{1}subject"),
        ),
        (
            "payload-raw-tab-in-string",
            "a raw tab inside the sub string",
            replaced(&claims, "conformance-subject", "conformance\tsubject"),
        ),
        (
            "payload-raw-newline-in-string",
            "a raw line feed inside the sub string",
            replaced(&claims, "conformance-subject", "conformance\nsubject"),
        ),
        (
            "payload-leading-zero",
            "exp written with a leading zero (0 then the digits)",
            replaced(&claims, &format!(":{exp}"), &format!(":0{exp}")),
        ),
        (
            "payload-plus-sign",
            "exp written with a leading +",
            replaced(&claims, &format!(":{exp}"), &format!(":+{exp}")),
        ),
        (
            "payload-hexadecimal-number",
            "exp written in hexadecimal (0x…)",
            replaced(
                &claims,
                &format!(":{exp}"),
                &format!(":0x{:X}", ctx.now + MARGIN),
            ),
        ),
        (
            "payload-trailing-decimal-point",
            "exp followed by a decimal point and no digits",
            replaced(&claims, &format!(":{exp}"), &format!(":{exp}.")),
        ),
        (
            "payload-leading-decimal-point",
            "an extra member \"n\":.5, a fraction without an integer part",
            with_member("\"n\":.5"),
        ),
        (
            "payload-single-quotes",
            "the sub member written with single quotes",
            replaced(
                &claims,
                "\"sub\":\"conformance-subject\"",
                "'sub':'conformance-subject'",
            ),
        ),
        (
            "payload-unquoted-name",
            "the sub member's name without quotes",
            replaced(&claims, "\"sub\":", "sub:"),
        ),
        (
            "payload-invalid-escape",
            "\\x2d, an escape JSON does not have, inside the sub string",
            replaced(&claims, "conformance-subject", "conformance\\x2dsubject"),
        ),
        (
            "payload-escaped-single-quote",
            "\\', an escape JSON does not have, inside the sub string",
            replaced(&claims, "conformance-subject", "conformance\\'subject"),
        ),
        (
            "payload-short-unicode-escape",
            "\\u00e followed by x: a \\u escape with three hexadecimal digits",
            replaced(&claims, "conformance-subject", "conformance\\u00exsubject"),
        ),
        (
            "payload-capitalised-literal",
            "an extra member \"admin\":True",
            with_member("\"admin\":True"),
        ),
        (
            "payload-form-feed-whitespace",
            "a form feed (U+000C) between two members",
            replaced(&claims, ",\"sub\"", ",\u{c}\"sub\""),
        ),
        (
            "payload-no-break-space-whitespace",
            "a NO-BREAK SPACE (U+00A0) between two members",
            replaced(&claims, ",\"sub\"", ",\u{a0}\"sub\""),
        ),
    ];
    let header = header_text();
    variants
        .into_iter()
        .map(|(name, what, payload)| {
            case(ctx, name, &format!("Claims with {what} are rejected"))
                .severity(Severity::Medium)
                .rfc("RFC7519#section-7.2")
                .sends(format!("claims with {what}, correctly MACed"))
                .requirement(OBJECT_REQ)
                .token(signed_bytes(ALG, header.as_bytes(), payload.as_bytes()))
                .expect_reject(RejectKind::Malformed)
                .control(signed(ALG, &valid_claims(ctx)))
                .build()
        })
        .collect()
}

/// Header text that JSON does not allow.
fn header_violations(ctx: &Context) -> Vec<Case> {
    let header = header_text();
    let with_member = |member: &str| format!("{},{member}}}", &header[..header.len() - 1]);
    let variants: Vec<(&str, &str, String)> = vec![
        (
            "header-raw-control-character",
            "a raw U+0001 inside the typ string",
            replaced(&header, "\"JWT\"", "\"J\u{1}WT\""),
        ),
        (
            "header-single-quotes",
            "alg written with single quotes",
            replaced(&header, "\"alg\":\"HS256\"", "'alg':'HS256'"),
        ),
        (
            "header-unquoted-name",
            "the alg member's name without quotes",
            replaced(&header, "\"alg\":", "alg:"),
        ),
        (
            "header-leading-zero",
            "an extra member \"x\":01",
            with_member("\"x\":01"),
        ),
        (
            "header-plus-sign",
            "an extra member \"x\":+1",
            with_member("\"x\":+1"),
        ),
        (
            "header-capitalised-literal",
            "an extra member \"x\":TRUE",
            with_member("\"x\":TRUE"),
        ),
    ];
    let claims = claims_text(ctx);
    variants
        .into_iter()
        .map(|(name, what, header)| {
            case(ctx, name, &format!("A header with {what} is rejected"))
                .severity(Severity::Medium)
                .rfc("RFC7515#section-5.2")
                .sends(format!("a header with {what}, correctly MACed"))
                .requirement(OBJECT_REQ)
                .token(signed_bytes(ALG, header.as_bytes(), claims.as_bytes()))
                .expect_reject(RejectKind::Malformed)
                .control(signed(ALG, &valid_claims(ctx)))
                .build()
        })
        .collect()
}

/// An accept case over exact header and claims text, under `policy`.
#[track_caller]
fn accepts(ctx: &Context, name: &str, title: &str, header: &str, payload: &str) -> CaseBuilder {
    let claims: Value = serde_json::from_str(payload)
        .unwrap_or_else(|e| panic!("json-grammar/{name}: the claims are JSON: {e}"));
    case(ctx, name, title)
        .severity(Severity::Low)
        .token(signed_bytes(ALG, header.as_bytes(), payload.as_bytes()))
        .expect_accept(&claims)
}

/// `text` (compact JSON) with space, tab, line feed and carriage return around its
/// structural characters, outside strings.
fn spaced(text: &str) -> String {
    let mut out = String::new();
    let (mut in_string, mut escaped) = (false, false);
    for c in text.chars() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => out.push_str(&format!("{c} \t")),
            ':' => out.push_str(" :\r\n "),
            ',' => out.push_str("\n, "),
            '}' | ']' => out.push_str(&format!("\t{c}\r\n")),
            _ => out.push(c),
        }
    }
    out
}

/// Texts inside the grammar that lax or hand-written parsers refuse or misread.
fn grammatical_spellings(ctx: &Context) -> Vec<Case> {
    let header = header_text();
    let claims = claims_text(ctx);
    let mut issuer_policy = policy_for(ctx, ALG);
    issuer_policy.issuer = Some(ISSUER.to_string());
    let mut audience_policy = policy_for(ctx, ALG);
    audience_policy.audience = vec![AUDIENCE.to_string()];
    let with_aud = claims_with(ctx, "aud", AUDIENCE).to_string();
    vec![
        accepts(
            ctx,
            "header-insignificant-whitespace",
            "A header with every kind of insignificant whitespace is accepted",
            &spaced(&header),
            &claims,
        )
        .rfc("RFC8259#section-2")
        .sends("the usual header with space, tab, line feed and carriage return between tokens")
        .requirement(format!(
            "RFC 8259 2: \"Insignificant whitespace is allowed before or after any of the six \
             structural characters\", ws being space, horizontal tab, line feed and carriage \
             return. {PARSER_MUST_ACCEPT} (rfc)"
        ))
        .build(),
        accepts(
            ctx,
            "payload-insignificant-whitespace",
            "Claims with every kind of insignificant whitespace are accepted",
            &header,
            &spaced(&claims),
        )
        .rfc("RFC8259#section-2")
        .sends("the usual claims with space, tab, line feed and carriage return between tokens")
        .requirement(format!(
            "RFC 8259 2: \"Insignificant whitespace is allowed before or after any of the six \
             structural characters\". {PARSER_MUST_ACCEPT} (rfc)"
        ))
        .build(),
        accepts(
            ctx,
            "issuer-with-escaped-solidus",
            "An iss written with \\/ escapes matches the expected issuer",
            &header,
            &replaced(&claims, ISSUER, "https:\\/\\/issuer.example"),
        )
        .policy(issuer_policy)
        .refs(["RFC7519#section-7.3", "RFC7519#section-4.1.1"])
        .rfc("RFC8259#section-7")
        .sends(format!(
            "iss \"https:\\/\\/issuer.example\" (escaped solidi); the verifier expects {ISSUER:?}"
        ))
        .requirement(format!(
            "RFC 8259 7: the escapes include \"%x2F / ; / solidus U+002F\", so the string is \
             {ISSUER:?}; RFC 7519 7.3 compares after it removes \"any JSON-applied escaping\". A \
             verifier that compares the raw text refuses a valid token (rfc)"
        ))
        .build(),
        accepts(
            ctx,
            "audience-with-unicode-escapes",
            "An aud written with \\u escapes matches the expected audience",
            &header,
            &replaced(&with_aud, "api.example", "\\u0061pi\\u002Eexample"),
        )
        .policy(audience_policy)
        .refs(["RFC7519#section-7.3", "RFC7519#section-4.1.3"])
        .rfc("RFC8259#section-7")
        .sends(format!(
            "aud with \"a\" and \".\" written as \\u0061 and \\u002E (uppercase hex); the verifier \
             expects {AUDIENCE:?}"
        ))
        .requirement(format!(
            "{ESCAPES} RFC 7519 7.3 compares after removing escaping: the string is {AUDIENCE:?} \
             (rfc)"
        ))
        .build(),
        accepts(
            ctx,
            "payload-exponent-and-fraction-numbers",
            "Unregistered claims written with fraction and exponent parts are accepted",
            &header,
            &format!(
                "{},\"n1\":1E2,\"n2\":-0.5e-1,\"n3\":0.0,\"n4\":-0}}",
                &claims[..claims.len() - 1]
            ),
        )
        .rfc("RFC8259#section-6")
        .sends("extra members 1E2, -0.5e-1, 0.0 and -0")
        .requirement(format!(
            "RFC 8259 6: \"A fraction part is a decimal point followed by one or more digits. An \
             exponent part begins with the letter E in upper or lower case, which may be followed \
             by a plus or minus sign.\" {PARSER_MUST_ACCEPT} An accepting verifier hands back \
             the same numbers (rfc)"
        ))
        .build(),
    ]
}

/// Whole-number NumericDates spelt with a fraction part or an exponent.
fn numeric_dates(ctx: &Context) -> Vec<Case> {
    let header = header_text();
    let claims = claims_text(ctx);
    let exp = ctx.now + MARGIN;
    let nbf = ctx.now - 3600;
    let digits = exp.to_string();
    let scientific = |e: &str, sign: &str| {
        format!(
            "{}.{}{e}{sign}{}",
            &digits[..1],
            &digits[1..],
            digits.len() - 1
        )
    };
    let with_nbf = format!("{},\"nbf\":{nbf}.0}}", &claims[..claims.len() - 1]);
    let numeric_date = "RFC 7519 2: a NumericDate is \"A JSON numeric value representing the \
        number of seconds from 1970-01-01T00:00:00Z UTC until the specified UTC date/time\"; RFC \
        8259 6: a number \"may be followed by a fraction part and/or an exponent part\", and \
        \"This specification allows implementations to set limits on the range and precision of \
        numbers accepted\". This one is a whole number of seconds, in range and exact in a double, \
        the same value as its integer spelling: refusing it, or misreading it, refuses a valid \
        JWT (rfc)";
    [
        ("exp-with-zero-fraction", format!("{exp}.0"), claims.clone()),
        (
            "exp-in-exponent-notation",
            scientific("E", ""),
            claims.clone(),
        ),
        (
            "exp-with-signed-lowercase-exponent",
            scientific("e", "+"),
            claims.clone(),
        ),
        ("nbf-with-zero-fraction", String::new(), with_nbf),
    ]
    .into_iter()
    .map(|(name, spelling, base)| {
        let (payload, sends, basis) = if spelling.is_empty() {
            (
                base,
                format!("nbf {nbf}.0, an hour ago, and the usual exp"),
                "RFC7519#section-4.1.5",
            )
        } else {
            (
                replaced(&base, &format!(":{exp}"), &format!(":{spelling}")),
                format!("exp written {spelling}, three hours ahead"),
                "RFC7519#section-4.1.4",
            )
        };
        accepts(
            ctx,
            name,
            &format!("A whole-number NumericDate written {name} is accepted"),
            &header,
            &payload,
        )
        .refs([
            basis,
            "RFC8259#section-6",
            "https://github.com/jonasroussel/dart_jsonwebtoken/issues/55",
        ])
        .rfc("RFC7519#section-2")
        .sends(sends)
        .requirement(numeric_date)
        .build()
    })
    .collect()
}

/// Names and `alg` written with escapes: what they spell decides.
fn escaped_names(ctx: &Context) -> Vec<Case> {
    let header = header_text();
    let claims = claims_text(ctx);
    let mut no_required = policy_for(ctx, ALG);
    no_required.required_claims = Vec::new();
    let expired = claims_with(ctx, "exp", ctx.now - 60).to_string();
    let future = format!(
        "{},\"nbf\":{}}}",
        &claims[..claims.len() - 1],
        ctx.now + MARGIN / 2
    );
    let comparison = "RFC 7519 7.3: comparisons of names and values \"Remove any JSON-applied \
        escaping to produce an array of Unicode code points\" first";
    vec![
        accepts(
            ctx,
            "alg-hs256-escaped",
            "An alg written \"HS\\u0032\\u00356\" is HS256",
            &replaced(&header, "\"HS256\"", "\"HS\\u0032\\u00356\""),
            &claims,
        )
        .refs(["RFC7519#section-7.3", "RFC7515#section-4.1.1"])
        .rfc("RFC8259#section-7")
        .sends("alg \"HS\\u0032\\u00356\", a valid HS256 MAC")
        .requirement(format!(
            "{ESCAPES} The string is HS256; {comparison}. The token is a valid HS256 JWT, and a \
             verifier that compares the escaped text refuses it (rfc)"
        ))
        .build(),
        accepts(
            ctx,
            "alg-name-escaped",
            "A header member named \"\\u0061lg\" is alg",
            &replaced(&header, "\"alg\"", "\"\\u0061lg\""),
            &claims,
        )
        .refs(["RFC7519#section-7.3", "RFC7515#section-4.1.1"])
        .rfc("RFC8259#section-7")
        .sends("the header's only alg member named \"\\u0061lg\", value HS256, a valid MAC")
        .requirement(format!(
            "{ESCAPES} The member is alg (RFC 7515 4.1.1: it \"MUST be present\"); {comparison} \
             (rfc)"
        ))
        .build(),
        escaped_claim(
            ctx,
            "exp-name-escaped-expired",
            "An expired exp named \"\\u0065xp\" is enforced",
            replaced(&expired, "\"exp\"", "\"\\u0065xp\""),
            no_required.clone(),
            RejectKind::Expired,
            "RFC7519#section-4.1.4",
            format!(
                "the only exp, named \"\\u0065xp\", a minute in the past; the policy requires no \
                 claim, so a verifier that does not unescape names sees no exp at all and \
                 accepts. {ESCAPES} {comparison}; RFC 7519 4.1.4: the current time \"MUST be \
                 before the expiration date/time listed in the \"exp\" claim\" (rfc)"
            ),
        ),
        escaped_claim(
            ctx,
            "nbf-name-escaped-future",
            "A future nbf named \"\\u006ebf\" is enforced",
            replaced(&future, "\"nbf\"", "\"\\u006ebf\""),
            no_required,
            RejectKind::NotYetValid,
            "RFC7519#section-4.1.5",
            format!(
                "an nbf named \"\\u006ebf\", ninety minutes ahead; a verifier that does not \
                 unescape names ignores it. {ESCAPES} {comparison}; RFC 7519 4.1.5: the current \
                 time \"MUST be after or equal to the not-before date/time listed in the \"nbf\" \
                 claim\" (rfc)"
            ),
        ),
    ]
}

/// A reject case whose claims name a registered claim with escapes, under `policy`.
#[track_caller]
#[allow(clippy::too_many_arguments)]
fn escaped_claim(
    ctx: &Context,
    name: &str,
    title: &str,
    payload: String,
    policy: Policy,
    kind: RejectKind,
    basis: &str,
    requirement: String,
) -> Case {
    case(ctx, name, title)
        .severity(Severity::High)
        .refs(["RFC8259#section-7", "RFC7519#section-7.3"])
        .rfc(basis)
        .sends(format!("{payload}, correctly MACed"))
        .requirement(requirement)
        .token(signed_bytes(
            ALG,
            header_text().as_bytes(),
            payload.as_bytes(),
        ))
        .control(signed(ALG, &valid_claims(ctx)))
        .policy(policy)
        .expect_reject(kind)
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::Expected;
    use crate::catalogue::common::testing::*;

    fn text(token: &str, i: usize) -> String {
        String::from_utf8(segment(token, i)).unwrap()
    }

    #[test]
    fn violations_are_not_json_and_repairs_are() {
        for case in cases(&Context::listing()) {
            let (header, payload) = (text(&case.token, 0), text(&case.token, 1));
            let parses = |t: &str| serde_json::from_str::<Value>(t).is_ok();
            match &case.expected {
                Expected::Reject {
                    kind: RejectKind::Malformed,
                } => assert!(
                    !parses(&header) || !parses(&payload),
                    "{}: must not be JSON",
                    case.id
                ),
                _ => assert!(parses(&header) && parses(&payload), "{}", case.id),
            }
            let control = case.control_token();
            if let Some(control) = control {
                assert!(
                    verifies(ALG, &keys_oct_a(), control),
                    "{}: control MACed",
                    case.id
                );
            }
            assert!(verifies(ALG, &keys_oct_a(), &case.token), "{}", case.id);
        }
    }

    fn keys_oct_a() -> crate::jwk::Jwk {
        crate::forge::keys::public("oct-a")
    }

    #[test]
    fn spacing_keeps_strings_intact() {
        let text = r#"{"a":"x:y, {z}","b":[1,2],"c":"q\"r:"}"#;
        let spaced = spaced(text);
        assert!(spaced.contains('\t') && spaced.contains('\r') && spaced.contains('\n'));
        assert_eq!(
            serde_json::from_str::<Value>(&spaced).unwrap(),
            serde_json::from_str::<Value>(text).unwrap()
        );
    }

    #[test]
    fn spellings_read_as_what_they_spell() {
        let all = cases(&Context::listing());
        let header = |id: &str| -> Value {
            serde_json::from_str(&text(&case_by_id(&all, id).token, 0)).unwrap()
        };
        let claims = |id: &str| -> Value {
            serde_json::from_str(&text(&case_by_id(&all, id).token, 1)).unwrap()
        };
        assert_eq!(header("json-grammar/alg-hs256-escaped")["alg"], "HS256");
        assert_eq!(header("json-grammar/alg-name-escaped")["alg"], "HS256");
        assert!(
            text(&case_by_id(&all, "json-grammar/alg-hs256-escaped").token, 0).contains("\\u0032")
        );
        let exp = (crate::context::FIXED_NOW + MARGIN) as f64;
        for id in [
            "json-grammar/exp-with-zero-fraction",
            "json-grammar/exp-in-exponent-notation",
            "json-grammar/exp-with-signed-lowercase-exponent",
        ] {
            assert_eq!(claims(id)["exp"].as_f64(), Some(exp), "{id}");
            assert!(
                claims(id)["exp"].as_i64().is_none(),
                "{id}: not an integer spelling"
            );
        }
        assert!(text(
            &case_by_id(&all, "json-grammar/exp-in-exponent-notation").token,
            1
        )
        .contains(":1.700010800E9"));
        assert_eq!(
            claims("json-grammar/issuer-with-escaped-solidus")["iss"],
            ISSUER
        );
        assert_eq!(
            claims("json-grammar/audience-with-unicode-escapes")["aud"],
            AUDIENCE
        );
        assert_eq!(
            claims("json-grammar/exp-name-escaped-expired")["exp"].as_i64(),
            Some(crate::context::FIXED_NOW - 60)
        );
    }
}

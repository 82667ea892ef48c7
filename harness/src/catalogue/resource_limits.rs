//! `resource-limits/*`: big and deep tokens. Each must be answered within the per-case
//! time limit without a crash; what the answer must be depends on the token.
//!
//! JWS and JWT set no size limit. RFC 8259 section 9 lets a JSON parser limit "the size
//! of texts", "the maximum depth of nesting" and "the range and precision of numbers",
//! so where a token is valid but exceeds what a parser may reasonably refuse, either
//! answer is conformant; a stack overflow or a quadratic blow-up is not
//! (CVE-2025-27144, CVE-2025-30204), and the runner fails a panic or a timeout at any
//! level.
//!
//! Levels: a size has no hardened answer (no RFC names one), so the big tokens are
//! `either` at `rfc`. Nesting 100,000 deep and a 100,000-digit number are past every
//! default limit of hardened parsers, so refusing them is the `strict` answer. A token
//! that is not three segments is `rfc` reject (RFC 7515 5.2 step 1).
//!
//! These tokens are built on every run, so they are assembled from bytes directly:
//! one base64url pass and one MAC each.

use crate::alg::Alg;
use crate::b64;
use crate::case::{Case, CaseBuilder, Severity};
use crate::catalogue::common::{
    claims_with, default_header, policy_for, signed, signed_bytes, signed_with_header, valid_claims,
};
use crate::context::Context;
use crate::forge::{self, keys};
use crate::verdict::RejectKind;
use std::sync::Mutex;

const ALG: Alg = Alg::HS256;

const LIMITS: &str = "RFC 8259 9: \"A JSON parser MUST accept all texts that conform to the JSON \
    grammar. A JSON parser MAY accept non-JSON forms or extensions. An implementation may set \
    limits on the size of texts that it accepts. An implementation may set limits on the maximum \
    depth of nesting. An implementation may set limits on the range and precision of numbers.\"";
/// Why the size cases are `either`.
const SIZE_OPEN: &str = "Neither answer is the hardened one: no RFC names a size, and a verifier \
    that accepts must hand back exactly the signed claims, one that refuses must do so without \
    crashing or hanging (either, rfc)";
const SIZE_EITHER: &str =
    "RFC 8259 9 lets a parser set limits on the size of texts it accepts, and \
    no JOSE RFC sets one: accepting with exactly the signed claims is conformant too";

/// The resource-limit cases.
pub fn cases(ctx: &Context) -> Vec<Case> {
    let claims = valid_claims(ctx);
    let control = signed(ALG, &claims);
    // A claims set with one more member whose value is `raw` JSON text, written directly.
    let with_raw = |name: &str, raw: &str| {
        let text = claims.to_string();
        let mut payload = String::with_capacity(text.len() + name.len() + raw.len() + 8);
        payload.push_str(&text[..text.len() - 1]);
        payload.push_str(&format!(",\"{name}\":"));
        payload.push_str(raw);
        payload.push('}');
        signed_bytes(
            ALG,
            default_header(ALG).to_string().as_bytes(),
            payload.as_bytes(),
        )
    };
    let megabyte = claims_with(ctx, "blob", "A".repeat(750_000));
    let mut big_header = default_header(ALG);
    big_header["x-padding"] = "A".repeat(64 * 1024).into();
    let nested = |depth: usize| format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let nested_header = {
        let header = default_header(ALG).to_string();
        let depth = 100_000;
        format!(
            "{},\"x-nested\":{}1{}}}",
            &header[..header.len() - 1],
            "{\"a\":".repeat(depth),
            "}".repeat(depth)
        )
    };
    vec![
        case(
            ctx,
            "one-megabyte",
            "A valid token of about 1 MB",
        )
        .severity(Severity::Low)
        .sends(
            "a valid token whose claims include a 750,000-character string: about 1,000,000 bytes",
        )
        .refs(["RFC8259#section-9", "RFC7519#section-7.2"])
        .rfc("RFC8259#section-9")
        .requirement(format!(
            "RFC 7515 and RFC 7519 set no size limit, so the token is valid. {LIMITS} {SIZE_OPEN}"
        ))
        .token(signed(ALG, &megabyte))
        .expect_either(SIZE_EITHER)
        .control(control.clone())
        .build(),
        case(ctx, "sixteen-megabytes", "A valid token of about 16 MB")
            .severity(Severity::Info)
            .refs(["RFC8259#section-9", "CVE-2025-27144"])
            .rfc("RFC8259#section-9")
            .sends(
                "a valid token whose claims include a 12,000,000-character string: about 16,000,000 \
                    bytes",
            )
            .requirement(format!(
                "RFC 7515 and RFC 7519 set no size limit, so the token is valid. {LIMITS} \
                    {SIZE_OPEN}"
            ))
            .token(sixteen_megabytes(ctx))
            .expect_either(SIZE_EITHER)
            .control(control.clone())
            .build(),
        case(
            ctx,
            "million-dots",
            "A token of 1,000,000 periods is rejected quickly",
        )
        .severity(Severity::Medium)
        .refs([
            "CVE-2025-30204",
            "RFC7515#section-7.1",
            "RFC7519#section-7.2",
        ])
        .rfc("RFC7515#section-5.2")
        .sends(
            "1,000,000 '.' characters: splitting on '.' before checking the count allocates a \
                million segments",
        )
        .requirement(
            "RFC 7515 5.2 step 1: in the JWS Compact Serialization the three components are \
                \"separated from the next by a single period ('.') character, resulting in exactly \
                two delimiting period characters being used\"; \"If any of the listed steps \
                fails, then the signature or MAC cannot be validated\", and RFC 7519 7.2: \"If any \
                of the listed steps fail, then the JWT MUST be rejected\" (rfc). The answer must \
                come without work proportional to the number of periods",
        )
        .token(".".repeat(1_000_000))
        .expect_reject(RejectKind::Malformed)
        .control(control.clone())
        .build(),
        case(
            ctx,
            "nested-arrays-payload",
            "A valid token with 100,000 nested arrays in a claim is rejected",
        )
        .severity(Severity::Medium)
        .refs(["RFC8259#section-9", "CVE-2025-27144"])
        .strict("RFC8259#section-9")
        .sends(
            "a valid token with a claim \"nest\" of 100,000 nested arrays: valid JSON that \
                overflows a recursive parser's stack",
        )
        .requirement(format!(
            "{LIMITS} The JSON is valid, so accepting with exactly the signed claims is \
                conformant; refusing nesting this deep is what a depth limit does, the hardened \
                answer (strict). A stack overflow, which aborts the process, fails at any level"
        ))
        .token(with_raw("nest", &nested(100_000)))
        .expect_reject(RejectKind::Malformed)
        .control(control.clone())
        .build(),
        case(
            ctx,
            "nested-objects-header",
            "A valid token with 100,000 nested objects in the header is rejected",
        )
        .severity(Severity::Medium)
        .refs(["RFC8259#section-9", "RFC7515#section-4"])
        .strict("RFC8259#section-9")
        .sends(
            "a header member \"x-nested\" of 100,000 nested objects, parsed before any signature \
                check",
        )
        .requirement(format!(
            "{LIMITS} RFC 7515 4 has an unknown header member ignored once parsed, so accepting \
                is conformant; refusing nesting this deep is what a depth limit does, the hardened \
                answer (strict). The header is parsed before the signature is checked, so anyone \
                can send this: a stack overflow fails at any level"
        ))
        .token(signed_bytes(
            ALG,
            nested_header.as_bytes(),
            claims.to_string().as_bytes(),
        ))
        .expect_reject(RejectKind::Malformed)
        .control(control.clone())
        .build(),
        case(
            ctx,
            "header-64-kib",
            "A valid token with a 64 KiB header",
        )
        .severity(Severity::Low)
        .refs(["RFC7515#section-4", "RFC7515#section-7.1", "RFC8259#section-9"])
        .rfc("RFC8259#section-9")
        .sends("a header with an unknown member \"x-padding\" of 65,536 characters")
        .requirement(format!(
            "RFC 7515 4: \"Unless listed as a critical Header Parameter, per Section 4.1.11, all \
                Header Parameters not defined by this specification MUST be ignored when not \
                understood.\" No size limit is set, so the token is valid. {LIMITS} {SIZE_OPEN}"
        ))
        .token(signed_with_header(ALG, &big_header, &claims))
        .expect_either(SIZE_EITHER)
        .control(control.clone())
        .build(),
        case(
            ctx,
            "long-number",
            "A valid token with a 100,000-digit number in a claim is rejected",
        )
        .severity(Severity::Medium)
        .refs(["RFC8259#section-9", "RFC8259#section-6", "CVE-2020-10735"])
        .strict("RFC8259#section-9")
        .sends(
            "a claim \"n\" of 1 followed by 99,999 zeros: quadratic to convert for \
                arbitrary-precision parsers",
        )
        .requirement(format!(
            "{LIMITS} RFC 8259 6: \"A JSON number such as 1E400 or \
                3.141592653589793238462643383279 may indicate potential interoperability \
                problems\". The JSON is valid, so accepting with exactly the signed claims is \
                conformant; refusing a number far beyond binary64 is what a range limit does, the \
                hardened answer (strict). The verifier must answer within the time limit at any \
                level"
        ))
        .token(with_raw("n", &format!("1{}", "0".repeat(99_999))))
        .expect_reject(RejectKind::Malformed)
        .control(control)
        .build(),
    ]
}

/// The valid claims plus a claim `blob` of 12,000,000 `A`s, MACed: about 16 MB.
///
/// Hashing 16 MB is most of the catalogue's build time, so the token is encoded without
/// a general-purpose pass (the blob starts on a 3-byte boundary, so its base64url is
/// `QUFB` repeated) and made once per process for each `now`: a run builds the
/// catalogue more than once, with the same `now` when the clock is injectable.
fn sixteen_megabytes(ctx: &Context) -> String {
    const BLOB: usize = 12_000_000;
    const NAME: &str = "\"blob\":\"";
    static MADE: Mutex<Option<(i64, String)>> = Mutex::new(None);
    let mut made = MADE.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some((now, token)) = &*made {
        if *now == ctx.now {
            return token.clone();
        }
    }
    let claims = valid_claims(ctx).to_string();
    let mut prefix = format!("{},", &claims[..claims.len() - 1]);
    // JSON whitespace before the name aligns the blob to a 3-byte boundary.
    while (prefix.len() + NAME.len()) % 3 != 0 {
        prefix.push(' ');
    }
    prefix.push_str(NAME);
    let header = b64::encode(default_header(ALG).to_string());
    let mut token = String::with_capacity(header.len() + (prefix.len() + BLOB) * 4 / 3 + 64);
    token.push_str(&header);
    token.push('.');
    token.push_str(&b64::encode(&prefix));
    token.push_str(&"QUFB".repeat(BLOB / 3));
    token.push_str(&b64::encode("\"}"));
    let secret = keys::private(keys::default_key_name(ALG))
        .hmac_secret()
        .expect("the HMAC fixture has a secret");
    let mac = forge::hmac(ALG, &secret, token.as_bytes());
    token.push('.');
    token.push_str(&b64::encode(mac));
    *made = Some((ctx.now, token.clone()));
    token
}

#[track_caller]
fn case(ctx: &Context, name: &str, title: &str) -> CaseBuilder {
    Case::builder(format!("resource-limits/{name}"), title)
        .refs(["RFC7515#section-7.1", "RFC7519#section-7.2"])
        .policy(policy_for(ctx, ALG))
        .needs_algorithms(&[ALG])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::common::testing::*;
    use serde_json::Value;

    #[test]
    fn sizes_depths_and_macs_are_as_described() {
        let cases = cases(&Context::listing());
        let find = |id: &str| case_by_id(&cases, &format!("resource-limits/{id}"));
        let len = |id: &str| find(id).token.len();
        assert!(
            (990_000..1_010_000).contains(&len("one-megabyte")),
            "{}",
            len("one-megabyte")
        );
        assert!((15_900_000..16_100_000).contains(&len("sixteen-megabytes")));
        assert_eq!(
            find("million-dots")
                .token
                .bytes()
                .filter(|b| *b == b'.')
                .count(),
            1_000_000
        );
        for case in cases
            .iter()
            .filter(|c| c.id != "resource-limits/million-dots")
        {
            assert!(
                verifies(ALG, &keys::public("oct-a"), &case.token),
                "{}",
                case.id
            );
        }
        let payload = forge::decode(&find("nested-arrays-payload").token)
            .payload
            .unwrap();
        assert!(payload.windows(3).any(|w| w == b"[[[") && payload.ends_with(b"]]}"));
        assert_eq!(payload.iter().filter(|b| **b == b'[').count(), 100_000);
        // The blob's encoding shortcut gives what a plain encoder would.
        let token = &find("sixteen-megabytes").token;
        let sixteen: Value =
            serde_json::from_slice(&forge::decode(token).payload.unwrap()).unwrap();
        let blob = sixteen["blob"].as_str().unwrap();
        assert!(blob.len() == 12_000_000 && blob.bytes().all(|b| b == b'A'));
        assert_eq!(sixteen["exp"], valid_claims(&Context::listing())["exp"]);
        let header = forge::decode(&find("nested-objects-header").token)
            .header
            .unwrap();
        assert_eq!(header.iter().filter(|b| **b == b'{').count(), 100_001);
    }
}

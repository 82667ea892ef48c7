//! `format/*`: the JWS Compact Serialization (RFC 7515 sections 2, 3.1, 7.1).
//!
//! A JWT is exactly `BASE64URL(header) '.' BASE64URL(payload) '.' BASE64URL(signature)`,
//! base64url without padding, without whitespace, canonical, each JSON part an object
//! (RFC 7519 section 7.2). Lenient parsing makes several strings mean one token
//! (breaking deny-lists and replay caches keyed by the token) or, worse, lets two
//! components read different tokens out of one string: the compact/JSON polyglot of
//! CVE-2022-39227 verified one payload and returned another.
//!
//! Where the defect is inside the signing input, the signature is recomputed over the
//! input exactly as sent, so the encoding is the only thing wrong.
//!
//! Levels: RFC 7515 section 5.2 makes the shape a MUST. Step 1 wants the three
//! components "separated from the next by a single period ('.') character, resulting in
//! exactly two delimiting period characters being used"; steps 2, 6 and 7 decode each
//! "following the restriction that no line breaks, whitespace, or other additional
//! characters have been used"; RFC 4648 section 3.3 rejects characters outside the
//! alphabet; and if a step fails the signature "cannot be validated" while "at least one
//! JWS Signature value MUST successfully validate". So a wrong segment count, `+`, `/`,
//! `!`, whitespace or a line break is `rfc` reject, and so is a header or claims set
//! that is not one JSON object (RFC 7519 section 7.2 steps 4 and 10). What is a
//! decoder's choice is `strict`: '=' padding, which RFC 7515 section 2 omits when
//! encoding but whose pad character RFC 4648's alphabet keeps, and non-zero trailing
//! bits, which "decoders MAY chose to reject" (RFC 4648 section 3.5).

use crate::alg::Alg;
use crate::b64;
use crate::case::{Case, CaseBuilder, Severity};
use crate::catalogue::common::{
    claims_with, default_header, policy_for, timeless_claims, valid_claims,
};
use crate::context::Context;
use crate::forge::{self, keys};
use crate::verdict::RejectKind;
use serde_json::{json, Value};

const ALG: Alg = Alg::HS256;

/// RFC 7515 section 5.2 and RFC 7519 section 7.2: what makes a failed step a rejection.
const MUST_REJECT: &str = "RFC 7515 5.2: \"If any of the listed steps fails, then the signature \
    or MAC cannot be validated\" and \"at least one JWS Signature value MUST successfully \
    validate, or the JWS MUST be considered invalid\"; RFC 7519 7.2: \"If any of the listed \
    steps fail, then the JWT MUST be rejected\" (rfc)";
const COMPACT_REQ: &str = "RFC 7515 5.2 step 1: in the JWS Compact Serialization, the \
    header, payload and signature \"are represented as base64url-encoded values in that order, \
    with each value being separated from the next by a single period ('.') character, resulting \
    in exactly two delimiting period characters being used\" (RFC 7515 7.1)";
const BASE64URL_REQ: &str = "RFC 7515 5.2 steps 2, 6 and 7 base64url-decode each segment \
    \"following the restriction that no line breaks, whitespace, or other additional characters \
    have been used\", in \"the URL- and filename-safe character set defined in Section 5 of RFC \
    4648\" (RFC 7515 2); RFC 4648 3.3: \"Implementations MUST reject the encoded data if it \
    contains characters outside the base alphabet\"";
const PADDING_REQ: &str = "RFC 7515 2: base64url is \"with all trailing '=' characters omitted \
    (as permitted by Section 3.2)\": that is how producers encode. Decoding restricts \"line \
    breaks, whitespace, or other additional characters\" (RFC 7515 5.2), and '=' is the pad \
    character of RFC 4648's base64url alphabet (RFC 4648 5), so a decoder may accept correct \
    padding: refusing it is hardening (strict), since a decoder that accepts it reads several \
    strings as one token";
const CANONICAL_REQ: &str = "RFC 4648 3.5: \"In some environments, the alteration is critical \
    and therefore decoders MAY chose to reject an encoding if the pad bits have not been set to \
    zero.\" A MAY: refusing is hardening (strict); a decoder that ignores the unused bits of the \
    last character reads several strings as one token";
const OBJECT_REQ: &str =
    "RFC 7515 5.2 step 3 and RFC 7519 7.2 steps 4 and 10: the header and the claims set must each \
        be \"a UTF-8-encoded representation of a completely valid JSON object\"";
const NO_PERIOD: &str = "RFC 7519 7.2 step 1: \"Verify that the JWT contains at least one period \
    ('.') character.\" This JSON text has none, and \"If any of the listed steps fail, then the JWT \
    MUST be rejected\" (rfc)";
const STEP_8_HMAC: &str = "RFC 7515 5.2 step 8 validates the signature; RFC 7518 3.2: the \
    computed HMAC value \"is then compared to the result of base64url decoding the received \
    encoded JWS Signature value\"; \"If any of the listed steps fails, then the signature or MAC \
    cannot be validated\", and RFC 7519 7.2: \"the JWT MUST be rejected\" (rfc).";
const JWT_COMPACT_REQ: &str = "RFC 7519 1: \"JWTs are always represented using the JWS Compact \
    Serialization or the JWE Compact Serialization\"; RFC 8725 3.12 and 2.8: a JWS verifier must \
    not be talked into another serialization or into decryption";

/// The format cases.
pub fn cases(ctx: &Context) -> Vec<Case> {
    let mut out = segments(ctx);
    out.extend(encodings(ctx));
    out.extend(whitespace(ctx));
    out.extend(serializations(ctx));
    out.extend(json_shapes(ctx));
    out.extend(signature_characters(ctx));
    out.extend(large_segments(ctx));
    out.extend(jwe_members(ctx));
    out.push(unprotected_alg(ctx));
    out
}

/// What RFC 7519 7.2 step 6 and RFC 7516 9 leave a verifier to decide about a JWS
/// header that carries `enc`.
const JWS_OR_JWE: &str = "RFC 7519 7.2 step 6: \"Determine whether the JWT is a JWS or a JWE \
    using any of the methods described in Section 9 of [JWE].\" RFC 7516 9 gives several: by \
    the number of segments (three, a JWS), by whether alg is a signature or MAC algorithm (HS256, \
    a JWS), and \"by determining whether an \"enc\" (encryption algorithm) member exists. If \
    the \"enc\" member exists, it is a JWE; otherwise, it is a JWS.\" A verifier that counts \
    segments reads a valid JWS and accepts the signed claims; one that looks for enc reads a \
    JWE with three segments, which fails. Either answer is conformant, and neither is safer: \
    the MAC is the trusted key's either way (either, at rfc). A crash is a failure";
const ZIP_IGNORED: &str = "RFC 7515 4: \"Unless listed as a critical Header Parameter, per \
    Section 4.1.11, all Header Parameters not defined by this specification MUST be ignored when \
    not understood.\" zip is a JWE parameter (RFC 7516 4.1.3), not defined for JWS, and RFC \
    7519 7.2 step 7 lets the Message of a JWS be \"the result of base64url decoding the JWS \
    Payload\", with no decompression. A verifier that ignores zip accepts the signed claims; one \
    that knows zip only from JWE may refuse a JWS carrying it. It must never inflate the payload, \
    and never crash (either, at rfc)";

/// Characters outside base64url inside the signature segment, and whitespace after it:
/// a decoder that skips them reads the valid signature (CVE-2022-25898).
fn signature_characters(ctx: &Context) -> Vec<Case> {
    let usual = Parts::usual(ctx);
    let input = usual.input();
    let sig = usual.signature();
    let mut out = Vec::new();
    for (name, what, token) in [
        (
            "invalid-characters-signature",
            "\"!@$%\" in the middle of the signature segment",
            format!("{input}.{}", insert_middle(&sig, "!@$%")),
        ),
        (
            "backslash-inside-signature",
            "a backslash in the middle of the signature segment",
            format!("{input}.{}", insert_middle(&sig, "\\")),
        ),
        (
            "tab-inside-signature",
            "a tab in the middle of the signature segment",
            format!("{input}.{}", insert_middle(&sig, "\t")),
        ),
        (
            "space-inside-signature",
            "a space in the middle of the signature segment",
            format!("{input}.{}", insert_middle(&sig, " ")),
        ),
        (
            "pad-character-inside-signature",
            "a '=' in the middle of the signature segment",
            format!("{input}.{}", insert_middle(&sig, "=")),
        ),
        (
            "trailing-space",
            "a space after the token (after the signature)",
            format!("{input}.{sig} "),
        ),
        (
            "trailing-tab",
            "a tab after the token (after the signature)",
            format!("{input}.{sig}\t"),
        ),
        (
            "trailing-crlf",
            "CR LF after the token (after the signature)",
            format!("{input}.{sig}\r\n"),
        ),
    ] {
        out.push(
            rejects(
                ctx,
                name,
                &format!("A token with {what} is rejected"),
                token,
            )
            .refs([
                "RFC7515#section-2",
                "RFC4648#section-3.3",
                "CVE-2022-25898",
                "https://github.com/nearform/fast-jwt/issues/606",
            ])
            .sends(format!(
                "the valid token with {what}; without it the signature segment is the valid MAC"
            ))
            .requirement(format!(
                "{BASE64URL_REQ}; {COMPACT_REQ}. {MUST_REJECT}. A decoder that skips what is not \
                 base64url reads the valid MAC, so one token has unboundedly many spellings"
            ))
            .build(),
        );
    }
    // A MAC whose base64url holds both '-' and '_', so the standard alphabet changes both.
    let marked_claims = crate::forge::draft::claims_with_jti(
        "hs256-signature-with-both-url-safe-characters",
        &timeless_claims(),
        |c| {
            let sig = Parts {
                header: default_header(ALG).to_string().into_bytes(),
                payload: c.to_string().into_bytes(),
            }
            .signature();
            sig.contains('-') && sig.contains('_')
        },
    );
    let marked = Parts {
        header: default_header(ALG).to_string().into_bytes(),
        payload: marked_claims.to_string().into_bytes(),
    };
    out.push(
        rejects(
            ctx,
            "standard-alphabet-signature",
            "A token whose signature segment is in the standard base64 alphabet is rejected",
            format!("{}.{}", marked.input(), standard(&marked.signature())),
        )
        .refs(["RFC7515#section-2", "RFC4648#section-3.3", "CVE-2022-25898"])
        .sends(
            "a token (jti chosen so that its MAC's base64url holds '-' and '_') whose signature \
             segment is written in the standard alphabet ('+', '/')",
        )
        .requirement(format!("{BASE64URL_REQ}. {MUST_REJECT}"))
        .control(marked.token())
        .build(),
    );
    out
}

/// Tokens of about twelve million characters, under the 16 MiB a verifier may set as
/// its limit (RFC 8259 9): one with a huge signature segment, one with no period.
fn large_segments(ctx: &Context) -> Vec<Case> {
    const LEN: usize = 12_000_000;
    let usual = Parts::usual(ctx);
    let refs = [
        "RFC7515#section-7.1",
        "RFC7515#section-2",
        "RFC7519#section-7.2",
        "CVE-2025-61920",
    ];
    vec![
        rejects(
            ctx,
            "signature-segment-twelve-megabytes",
            "A token whose signature segment is twelve million characters is rejected",
            format!("{}.{}", usual.input(), "A".repeat(LEN)),
        )
        .severity(Severity::Low)
        .refs(refs)
        .sends(format!(
            "the usual header and claims with a signature segment of {LEN} 'A' characters \
             (nine million zero octets) instead of the 32-octet MAC"
        ))
        .requirement(format!(
            "{STEP_8_HMAC} Whatever a verifier's size limit, no HS256 MAC is nine million \
             octets: reject, and within bounded time and memory (a decoder that inflates every \
             segment before checking anything is how a 500 MB header became 4 GB of memory)"
        ))
        .expect_reject(RejectKind::Signature)
        .build(),
        rejects(
            ctx,
            "one-segment-twelve-megabytes",
            "A token of one twelve-million-character segment is rejected",
            "A".repeat(LEN),
        )
        .severity(Severity::Low)
        .refs(refs)
        .sends(format!("{LEN} 'A' characters and no period"))
        .requirement(format!(
            "{COMPACT_REQ}. {MUST_REJECT}; the token can be refused before anything is decoded"
        ))
        .build(),
    ]
}

/// JWE members in a JWS header: `enc`, which one of RFC 7516's methods reads as a JWE,
/// and `zip`, which a JWS does not define; of any JSON type.
fn jwe_members(ctx: &Context) -> Vec<Case> {
    let claims = valid_claims(ctx);
    let with = |name: &str, value: Value| {
        let mut header = default_header(ALG);
        header[name] = value;
        Parts {
            header: header.to_string().into_bytes(),
            payload: claims.to_string().into_bytes(),
        }
        .token()
    };
    let mut out = Vec::new();
    for (name, member, value, what) in [
        (
            "jws-header-with-enc",
            "enc",
            json!("A256GCM"),
            "\"enc\": \"A256GCM\"",
        ),
        ("jws-header-enc-number", "enc", json!(1), "\"enc\": 1"),
        ("jws-header-enc-null", "enc", Value::Null, "\"enc\": null"),
        (
            "jws-header-with-zip-def",
            "zip",
            json!("DEF"),
            "\"zip\": \"DEF\" over an uncompressed payload",
        ),
        ("jws-header-zip-number", "zip", json!(0), "\"zip\": 0"),
        (
            "jws-header-zip-object",
            "zip",
            json!({"alg": "DEF"}),
            "\"zip\": {\"alg\": \"DEF\"}",
        ),
    ] {
        let (basis, requirement, why) = if member == "enc" {
            (
                "RFC7519#section-7.2",
                JWS_OR_JWE,
                "RFC 7519 7.2 step 6 and RFC 7516 9: by its three segments and its MAC alg it is a \
                 JWS, by its enc member a JWE; a verifier may use either method",
            )
        } else {
            (
                "RFC7515#section-4",
                ZIP_IGNORED,
                "RFC 7515 4: zip is no JWS parameter and is ignored when not understood; a \
                 verifier that knows it only from JWE may refuse it",
            )
        };
        out.push(
            Case::builder(
                format!("format/{name}"),
                format!("A JWS whose header carries {what}"),
            )
            .severity(Severity::Info)
            .refs([
                "RFC7516#section-9",
                "RFC7516#section-4.1.3",
                "RFC7519#section-7.2",
                "RFC7515#section-4",
            ])
            .rfc(basis)
            .sends(format!(
                "the usual HS256 header plus {what}, correctly MACed, valid claims"
            ))
            .requirement(requirement)
            .token(with(member, value))
            .policy(policy_for(ctx, ALG))
            .expect_either(why)
            .needs_algorithms(&[ALG])
            .control(Parts::usual(ctx).token())
            .build(),
        );
    }
    out
}

/// A flattened JWS JSON Serialization whose protected header says RS256 and whose
/// unprotected header says HS256, MACed with the RSA key's PEM (GHSA-jc38-x7x8-2xc8).
fn unprotected_alg(ctx: &Context) -> Case {
    let key = "rsa-2048-a";
    let protected = b64::encode(
        forge::header_for(Alg::RS256, keys::private(key))
            .to_string()
            .as_bytes(),
    );
    let payload = b64::encode(valid_claims(ctx).to_string());
    let pem =
        crate::forge::key_encodings::encode(key, crate::forge::key_encodings::KeyEncoding::PemSpki)
            .expect("fixture PEM");
    let mac = forge::hmac(
        Alg::HS256,
        &pem,
        format!("{protected}.{payload}").as_bytes(),
    );
    let token = json!({
        "protected": protected,
        "header": {"alg": "HS256"},
        "payload": payload,
        "signature": b64::encode(mac),
    })
    .to_string();
    rejects(
        ctx,
        "json-flattened-unprotected-alg",
        "A flattened JWS whose unprotected header overrides alg is not accepted as a JWT",
        token,
    )
    .severity(Severity::Critical)
    .refs([
        "RFC7515#section-7.2.2",
        "RFC7519#section-1",
        "GHSA-jc38-x7x8-2xc8",
    ])
    .rfc("RFC7519#section-7.2")
    .sends(
        "a flattened JWS JSON object: protected header {\"alg\":\"RS256\",…,\"kid\":\"rsa-2048-a\"}, \
         unprotected header {\"alg\":\"HS256\"}, the claims, and an HS256 MAC keyed with the \
         trusted RSA key's PEM; the verifier allows RS256 only",
    )
    .requirement(format!(
        "{JWT_COMPACT_REQ}. {NO_PERIOD}. Read as a JWS, alg comes from the protected header (RFC \
         7515 4.1.1: it \"MUST be present and MUST be understood and processed by \
         implementations\"; RFC 7515 7.2.1: the protected header is what is integrity protected), \
         and no trusted key makes an HS256 MAC"
    ))
    .policy(policy_for(ctx, Alg::RS256))
    .needs_algorithms(&[Alg::RS256])
    .control(forge::jwt(Alg::RS256, key, &valid_claims(ctx)))
    .build()
}

/// Too few, too many and empty segments.
fn segments(ctx: &Context) -> Vec<Case> {
    let usual = Parts::usual(ctx);
    let token = usual.token();
    let (input, signature) = token.rsplit_once('.').expect("a compact token");
    let jwe = {
        // A JWE-shaped token (RFC 7516 7.1): header, encrypted key, IV, ciphertext, tag.
        // The "ciphertext" is the claims in clear: a verifier that takes it for a JWE
        // and "decrypts" it with its key has confused signing with encryption.
        let header = json!({"alg": "dir", "enc": "A256GCM", "kid": keys::default_key_name(ALG)});
        [
            b64::encode(header.to_string()),
            String::new(),
            b64::encode([0u8; 12]),
            b64::encode(valid_claims(ctx).to_string()),
            b64::encode([0u8; 16]),
        ]
        .join(".")
    };
    vec![
        rejects(
            ctx,
            "empty-token",
            "An empty string is rejected",
            String::new(),
        )
        .sends("a zero-length token")
        .requirement(format!("{COMPACT_REQ}. {MUST_REJECT}"))
        .build(),
        rejects(
            ctx,
            "one-segment",
            "A token of one segment is rejected",
            usual.h(),
        )
        .sends("the base64url header alone, no period")
        .requirement(format!("{COMPACT_REQ}. {MUST_REJECT}"))
        .build(),
        rejects(
            ctx,
            "two-segments",
            "A token of two segments is rejected",
            input.to_string(),
        )
        .severity(Severity::Critical)
        .sends("header.payload with the signature segment and its period removed")
        .requirement(format!(
            "{COMPACT_REQ}. {MUST_REJECT}. Reading a missing third segment as \"no signature\" \
                accepts an unsigned token"
        ))
        .build(),
        rejects(
            ctx,
            "four-segments-trailing-dot",
            "A token with a trailing period is rejected",
            format!("{token}."),
        )
        .sends("a valid token followed by a period: four segments, the last empty")
        .requirement(format!("{COMPACT_REQ}. {MUST_REJECT}"))
        .build(),
        rejects(
            ctx,
            "four-segments-extra",
            "A token with a fourth segment is rejected",
            format!("{token}.{}", b64::encode("{}")),
        )
        .sends("a valid token followed by a fourth segment, \".e30\"")
        .requirement(format!("{COMPACT_REQ}. {MUST_REJECT}"))
        .build(),
        rejects(
            ctx,
            "five-segments-jwe",
            "A JWE-shaped token is not accepted as a JWS",
            jwe,
        )
        .refs([
            "RFC7516#section-7.1",
            "RFC7519#section-1",
            "RFC8725#section-3.12",
            "Tervoort 2023",
        ])
        .sends(
            "five segments: a JWE header {\"alg\":\"dir\",\"enc\":\"A256GCM\"} naming the trusted \
                key, then key, IV, the claims as ciphertext, tag",
        )
        .rfc("RFC7519#section-7.2")
        .requirement(format!(
            "{JWT_COMPACT_REQ}. RFC 7519 7.2 step 6 tells a JWE from a JWS by RFC 7516 9 (five \
                segments), and then the JWE must validate: the verifier is configured for HS256 \
                signatures only, holds no key for \"dir\" with A256GCM, and the authentication tag \
                is zeros, so no step can succeed. RFC 7519 7.2: \"If any of the listed steps fail, \
                then the JWT MUST be rejected\" (rfc)"
        ))
        .build(),
        rejects(
            ctx,
            "empty-header",
            "A token with an empty header segment is rejected",
            seal(&format!(".{}", usual.p())),
        )
        .sends("an empty header segment, MACed as sent")
        .rfc("RFC7519#section-7.2")
        .requirement(format!("{OBJECT_REQ}. {MUST_REJECT}"))
        .build(),
        rejects(
            ctx,
            "empty-payload",
            "A token with an empty payload segment is rejected",
            seal(&format!("{}.", usual.h())),
        )
        .sends("an empty payload segment, MACed as sent")
        .rfc("RFC7519#section-7.2")
        .requirement(format!(
            "{OBJECT_REQ}; an empty JWS payload is no claims set. {MUST_REJECT}"
        ))
        .build(),
        rejects(
            ctx,
            "signature-as-payload",
            "A token whose segments are shifted is rejected",
            format!("{}.{signature}", usual.p()),
        )
        .sends("payload.signature: the header segment dropped")
        .requirement(format!("{COMPACT_REQ}. {MUST_REJECT}"))
        .build(),
    ]
}

/// Padding, the standard alphabet, non-canonical trailing bits, foreign characters.
fn encodings(ctx: &Context) -> Vec<Case> {
    let ragged = Parts::usual(ctx).ragged();
    let control = ragged.token();
    let sig = ragged.signature();
    let mut out = Vec::new();
    let variants = [
        (
            "padding-header",
            "the header segment with '=' padding",
            format!("{}.{}", padded(&ragged.h()), ragged.p()),
            None,
        ),
        (
            "padding-payload",
            "the payload segment with '=' padding",
            format!("{}.{}", ragged.h(), padded(&ragged.p())),
            None,
        ),
        (
            "padding-signature",
            "the signature segment with '=' padding",
            ragged.input(),
            Some(padded(&sig)),
        ),
        (
            "trailing-bits-header",
            "the last header character with a non-zero unused bit",
            format!("{}.{}", noncanonical(&ragged.h()), ragged.p()),
            None,
        ),
        (
            "trailing-bits-payload",
            "the last payload character with a non-zero unused bit",
            format!("{}.{}", ragged.h(), noncanonical(&ragged.p())),
            None,
        ),
        (
            "trailing-bits-signature",
            "the last signature character with a non-zero unused bit",
            ragged.input(),
            Some(noncanonical(&sig)),
        ),
        (
            "invalid-character-payload",
            "a '!' in the middle of the payload segment",
            format!("{}.{}", ragged.h(), insert_middle(&ragged.p(), "!")),
            None,
        ),
    ];
    for (name, what, input, signature) in variants {
        let start = rejects(
            ctx,
            name,
            &format!("A token with {what} is rejected"),
            String::new(),
        );
        let (start, requirement) = if name.starts_with("trailing-bits") {
            (
                start.strict("RFC4648#section-3.5"),
                CANONICAL_REQ.to_string(),
            )
        } else if name.starts_with("padding") {
            (start.strict("RFC7515#section-2"), PADDING_REQ.to_string())
        } else {
            (start, format!("{BASE64URL_REQ}. {MUST_REJECT}"))
        };
        let token = match signature {
            Some(signature) => format!("{input}.{signature}"),
            None => seal(&input),
        };
        let resigned = if input == ragged.input() {
            ""
        } else {
            ", MACed as sent"
        };
        out.push(
            start
                .token(token)
                .sends(format!("{what}{resigned}"))
                .requirement(requirement)
                .control(control.clone())
                .build(),
        );
    }
    // Members whose base64url holds both '-' and '_' (a run of four '?' always gives
    // '_', of four '>' always gives '-'), so the standard alphabet changes both.
    let marked = Parts {
        header: with_member(&default_header(ALG), "note", "????>>>>"),
        payload: claims_with(ctx, "note", "????>>>>")
            .to_string()
            .into_bytes(),
    };
    for (name, what, input) in [
        (
            "standard-alphabet-header",
            "the header segment in the standard base64 alphabet ('+', '/')",
            format!("{}.{}", standard(&marked.h()), marked.p()),
        ),
        (
            "standard-alphabet-payload",
            "the payload segment in the standard base64 alphabet ('+', '/')",
            format!("{}.{}", marked.h(), standard(&marked.p())),
        ),
    ] {
        out.push(
            rejects(
                ctx,
                name,
                &format!("A token with {what} is rejected"),
                seal(&input),
            )
            .sends(format!("{what}, MACed as sent"))
            .requirement(format!("{BASE64URL_REQ}. {MUST_REJECT}"))
            .control(marked.token())
            .build(),
        );
    }
    out
}

/// Whitespace inside segments and around the token.
fn whitespace(ctx: &Context) -> Vec<Case> {
    let usual = Parts::usual(ctx);
    let token = usual.token();
    let inside = |what: &str, header: String, payload: String| {
        (what.to_string(), seal(&format!("{header}.{payload}")), true)
    };
    let around = |what: &str, token: String| (what.to_string(), token, false);
    let variants = [
        (
            "space-inside-payload",
            inside(
                "a space in the middle of the payload segment",
                usual.h(),
                insert_middle(&usual.p(), " "),
            ),
        ),
        (
            "newline-inside-payload",
            inside(
                "a line feed in the middle of the payload segment",
                usual.h(),
                insert_middle(&usual.p(), "\n"),
            ),
        ),
        (
            "crlf-inside-header",
            inside(
                "CR LF in the middle of the header segment",
                insert_middle(&usual.h(), "\r\n"),
                usual.p(),
            ),
        ),
        (
            "leading-space",
            around("a space before the token", format!(" {token}")),
        ),
        (
            "trailing-newline",
            around("a line feed after the token", format!("{token}\n")),
        ),
        (
            "tab-after-period",
            around(
                "a tab after the first period",
                token.replacen('.', ".\t", 1),
            ),
        ),
    ];
    variants
        .into_iter()
        .map(|(name, (what, token, resigned))| {
            let mac = if resigned { ", MACed as sent" } else { "" };
            rejects(
                ctx,
                name,
                &format!("A token with {what} is rejected"),
                token,
            )
            .sends(format!("{what}{mac}"))
            .requirement(format!("{BASE64URL_REQ}; {COMPACT_REQ}. {MUST_REJECT}"))
            .build()
        })
        .collect()
}

/// The JWS JSON Serialization, and the compact/JSON polyglot.
fn serializations(ctx: &Context) -> Vec<Case> {
    let usual = Parts::usual(ctx);
    let sig = usual.signature();
    let (h, p) = (usual.h(), usual.p());
    let flattened = json!({"payload": p, "protected": h, "signature": sig}).to_string();
    let general =
        json!({"payload": p, "signatures": [{"protected": h, "signature": sig}]}).to_string();
    // CVE-2022-39227: a JSON serialization (which verifies) whose first member name is a
    // compact token with forged claims; a library that verifies the JSON form and then
    // splits the raw string on '.' returns the forged claims.
    let mut forged = claims_with(ctx, "sub", "administrator");
    forged["admin"] = json!(true);
    let forged = b64::encode(forged.to_string());
    let polyglot = format!(
        r#"{{"  {h}.{forged}.":"","protected":"{h}", "payload":"{p}","protected":"{h}","signature":"{sig}"}}"#
    );
    vec![
        rejects(
            ctx,
            "json-flattened",
            "A flattened JWS JSON Serialization is not accepted as a JWT",
            flattened,
        )
        .refs(["RFC7515#section-7.2.2", "RFC7519#section-1"])
        .rfc("RFC7519#section-7.2")
        .sends("the valid token re-expressed as a flattened JWS JSON Serialization object")
        .requirement(format!("{JWT_COMPACT_REQ}. {NO_PERIOD}"))
        .build(),
        rejects(
            ctx,
            "json-general",
            "A general JWS JSON Serialization is not accepted as a JWT",
            general,
        )
        .refs(["RFC7515#section-7.2.1", "RFC7519#section-1"])
        .rfc("RFC7519#section-7.2")
        .sends("the valid token re-expressed as a general JWS JSON Serialization object")
        .requirement(format!("{JWT_COMPACT_REQ}. {NO_PERIOD}"))
        .build(),
        rejects(
            ctx,
            "json-compact-polyglot",
            "The compact/JSON polyglot of CVE-2022-39227 is rejected",
            polyglot,
        )
        .severity(Severity::Critical)
        .refs([
            "CVE-2022-39227",
            "RFC7515#section-7.1",
            "RFC7519#section-1",
            "Tervoort 2023",
        ])
        .sends(
            "a JWS JSON object carrying the valid signature, whose first member name is a compact \
                token with forged claims (sub \"administrator\", admin true)",
        )
        .requirement(format!(
            "{JWT_COMPACT_REQ}; the claims returned must be the ones whose signature was checked. \
                Read as a compact JWS, its first segment starts with '{{\"' and spaces, outside \
                base64url: {BASE64URL_REQ}. {MUST_REJECT}"
        ))
        .build(),
    ]
}

/// Header or payload that is JSON but not an object, or an object with data after it.
fn json_shapes(ctx: &Context) -> Vec<Case> {
    let header = default_header(ALG).to_string();
    let claims = valid_claims(ctx).to_string();
    let variants = [
        (
            "header-array",
            "a header that is an array holding the usual header",
            format!("[{header}]"),
            claims.clone(),
        ),
        (
            "header-string",
            "a header that is the JSON string \"HS256\"",
            "\"HS256\"".to_string(),
            claims.clone(),
        ),
        (
            "header-number",
            "a header that is the number 256",
            "256".to_string(),
            claims.clone(),
        ),
        (
            "header-trailing-data",
            "the usual header followed by a second object {\"alg\":\"none\"}",
            format!("{header}{{\"alg\":\"none\"}}"),
            claims.clone(),
        ),
        (
            "payload-array",
            "claims wrapped in an array",
            header.clone(),
            format!("[{claims}]"),
        ),
        (
            "payload-string",
            "claims as a JSON string holding the claims object",
            header.clone(),
            Value::from(claims.clone()).to_string(),
        ),
        (
            "payload-number",
            "a payload that is the number 1",
            header.clone(),
            "1".to_string(),
        ),
        (
            "payload-trailing-data",
            "the claims followed by a second object {\"sub\":\"administrator\"}",
            header.clone(),
            format!("{claims}{{\"sub\":\"administrator\"}}"),
        ),
    ];
    variants
        .into_iter()
        .map(|(name, what, header, payload)| {
            let parts = Parts {
                header: header.into_bytes(),
                payload: payload.into_bytes(),
            };
            rejects(
                ctx,
                name,
                &format!("A token with {what} is rejected"),
                parts.token(),
            )
            .rfc("RFC7519#section-7.2")
            .sends(format!("{what}, correctly MACed"))
            .requirement(format!("{OBJECT_REQ}. {MUST_REJECT}"))
            .build()
        })
        .collect()
}

/// Exact header and payload bytes, before encoding.
struct Parts {
    header: Vec<u8>,
    payload: Vec<u8>,
}

impl Parts {
    /// The usual header and valid claims.
    fn usual(ctx: &Context) -> Parts {
        Parts {
            header: default_header(ALG).to_string().into_bytes(),
            payload: valid_claims(ctx).to_string().into_bytes(),
        }
    }

    /// The same JSON with a space after `{` where needed, so that neither length is a
    /// multiple of three: the last base64url character then has unused bits, and
    /// padding would be non-empty.
    fn ragged(self) -> Parts {
        let fix = |mut bytes: Vec<u8>| {
            if bytes.len() % 3 == 0 {
                bytes.insert(1, b' ');
            }
            bytes
        };
        Parts {
            header: fix(self.header),
            payload: fix(self.payload),
        }
    }

    fn h(&self) -> String {
        b64::encode(&self.header)
    }

    fn p(&self) -> String {
        b64::encode(&self.payload)
    }

    fn input(&self) -> String {
        format!("{}.{}", self.h(), self.p())
    }

    /// The base64url HS256 signature of the canonical input.
    fn signature(&self) -> String {
        mac(&self.input())
    }

    /// The canonical token.
    fn token(&self) -> String {
        seal(&self.input())
    }
}

/// A JSON object's text with one more member at the end.
fn with_member(object: &Value, name: &str, value: &str) -> Vec<u8> {
    let mut object = object.clone();
    object[name] = json!(value);
    object.to_string().into_bytes()
}

/// The base64url HS256 MAC, under the trusted key, of `input` exactly as given.
fn mac(input: &str) -> String {
    let key = keys::private(keys::default_key_name(ALG));
    b64::encode(forge::sign(ALG, key, input.as_bytes()).expect("the HMAC fixture signs"))
}

/// `input` with its MAC appended: what a holder of the key would produce.
fn seal(input: &str) -> String {
    format!("{input}.{}", mac(input))
}

/// The segment with the '=' padding standard base64 would add.
fn padded(segment: &str) -> String {
    format!("{segment}{}", "=".repeat((4 - segment.len() % 4) % 4))
}

/// The segment in the standard alphabet.
fn standard(segment: &str) -> String {
    segment.replace('-', "+").replace('_', "/")
}

/// The segment with the lowest unused bit of its last character set: it decodes to
/// the same bytes under a decoder that ignores those bits.
fn noncanonical(segment: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    assert!(
        segment.len() % 4 != 0,
        "a full last group has no unused bits"
    );
    let (head, last) = segment.split_at(segment.len() - 1);
    let value = ALPHABET
        .iter()
        .position(|c| *c == last.as_bytes()[0])
        .expect("base64url character");
    format!("{head}{}", ALPHABET[value | 1] as char)
}

/// `segment` with `what` inserted in its middle.
fn insert_middle(segment: &str, what: &str) -> String {
    let (a, b) = segment.split_at(segment.len() / 2);
    format!("{a}{what}{b}")
}

/// A medium-severity `rfc` case (RFC 7515 section 5.2 unless the case says otherwise)
/// that expects `malformed`, with the usual token as control.
#[track_caller]
fn rejects(ctx: &Context, name: &str, title: &str, token: String) -> CaseBuilder {
    Case::builder(format!("format/{name}"), title)
        .severity(Severity::Medium)
        .refs([
            "RFC7515#section-7.1",
            "RFC7515#section-2",
            "RFC7519#section-7.2",
        ])
        .rfc("RFC7515#section-5.2")
        .policy(policy_for(ctx, ALG))
        .needs_algorithms(&[ALG])
        .token(token)
        .expect_reject(RejectKind::Malformed)
        .control(Parts::usual(ctx).token())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::common::testing::*;
    use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD_NO_PAD};
    use base64::engine::{DecodePaddingMode, Engine};

    fn find(id: &str) -> Case {
        case_by_id(&cases(&Context::listing()), id).clone()
    }

    fn raw_segment(token: &str, i: usize) -> String {
        token.split('.').nth(i).unwrap().to_string()
    }

    /// A decoder as lenient as the verifiers these cases catch.
    fn lenient(segment: &str) -> Vec<u8> {
        let config = GeneralPurposeConfig::new()
            .with_decode_allow_trailing_bits(true)
            .with_decode_padding_mode(DecodePaddingMode::Indifferent);
        GeneralPurpose::new(&base64::alphabet::URL_SAFE, config)
            .decode(segment)
            .unwrap()
    }

    #[test]
    fn encoding_cases_differ_from_their_control_only_in_the_encoding() {
        for (id, i) in [
            ("format/padding-header", 0),
            ("format/padding-payload", 1),
            ("format/padding-signature", 2),
            ("format/trailing-bits-header", 0),
            ("format/trailing-bits-payload", 1),
            ("format/trailing-bits-signature", 2),
        ] {
            let case = find(id);
            let control = case.control_token().unwrap();
            let (sent, canonical) = (raw_segment(&case.token, i), raw_segment(control, i));
            assert_ne!(sent, canonical, "{id}");
            assert!(
                b64::decode(&sent).is_err(),
                "{id}: strict decoding must fail"
            );
            assert_eq!(lenient(&sent), b64::decode(&canonical).unwrap(), "{id}");
            // Every other segment is canonical, and the MAC covers the input as sent.
            let (input, sig) = case.token.rsplit_once('.').unwrap();
            if i < 2 {
                assert_eq!(sig, mac(input), "{id}");
            }
        }
    }

    #[test]
    fn standard_alphabet_cases_use_both_foreign_characters() {
        for (id, i) in [
            ("format/standard-alphabet-header", 0),
            ("format/standard-alphabet-payload", 1),
        ] {
            let case = find(id);
            let sent = raw_segment(&case.token, i);
            assert!(sent.contains('+') && sent.contains('/'), "{id}: {sent}");
            assert_eq!(
                STANDARD_NO_PAD.decode(&sent).unwrap(),
                b64::decode(&raw_segment(case.control_token().unwrap(), i)).unwrap()
            );
        }
    }

    #[test]
    fn signature_characters_hide_the_valid_mac() {
        for name in [
            "invalid-characters-signature",
            "backslash-inside-signature",
            "tab-inside-signature",
            "space-inside-signature",
            "pad-character-inside-signature",
            "trailing-space",
            "trailing-tab",
            "trailing-crlf",
        ] {
            let case = find(&format!("format/{name}"));
            let sig = raw_segment(&case.token, 2);
            let kept: String = sig
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            let control_sig = raw_segment(case.control_token().unwrap(), 2);
            assert_ne!(sig, control_sig, "{name}");
            assert_eq!(kept, control_sig, "{name}");
        }
        let standard = find("format/standard-alphabet-signature");
        let sig = raw_segment(&standard.token, 2);
        assert!(sig.contains('+') && sig.contains('/'), "{sig}");
        assert_eq!(
            sig.replace('+', "-").replace('/', "_"),
            raw_segment(standard.control_token().unwrap(), 2)
        );
        let big = find("format/signature-segment-twelve-megabytes");
        assert!(big.token.len() < crate::rules::segments::MAX_TOKEN_BYTES);
        assert_eq!(
            b64::decode(&raw_segment(&big.token, 2)).unwrap().len(),
            9_000_000
        );
    }

    #[test]
    fn the_unprotected_alg_flattened_jws_carries_a_pem_mac() {
        let case = find("format/json-flattened-unprotected-alg");
        let object: Value = serde_json::from_str(&case.token).unwrap();
        assert_eq!(object["header"]["alg"], json!("HS256"));
        let protected: Value =
            serde_json::from_slice(&b64::decode(object["protected"].as_str().unwrap()).unwrap())
                .unwrap();
        assert_eq!(protected["alg"], json!("RS256"));
        let input = format!(
            "{}.{}",
            object["protected"].as_str().unwrap(),
            object["payload"].as_str().unwrap()
        );
        let pem = crate::forge::key_encodings::encode(
            "rsa-2048-a",
            crate::forge::key_encodings::KeyEncoding::PemSpki,
        )
        .unwrap();
        assert_eq!(
            b64::decode(object["signature"].as_str().unwrap()).unwrap(),
            forge::hmac(Alg::HS256, &pem, input.as_bytes())
        );
        assert!(!case.token.contains('.'));
    }

    #[test]
    fn the_polyglot_verifies_as_json_and_splits_into_forged_claims() {
        let case = find("format/json-compact-polyglot");
        let object: Value = serde_json::from_str(&case.token).unwrap();
        let input = format!(
            "{}.{}",
            object["protected"].as_str().unwrap(),
            object["payload"].as_str().unwrap()
        );
        assert_eq!(object["signature"].as_str().unwrap(), mac(&input));
        // What a `split('.')` of the raw string yields as the payload:
        let split_payload = case.token.split('.').nth(1).unwrap();
        let forged: Value = serde_json::from_slice(&b64::decode(split_payload).unwrap()).unwrap();
        assert_eq!(forged["sub"], json!("administrator"));
    }

    #[test]
    fn shape_and_whitespace_cases_are_correctly_maced() {
        for case in cases(&Context::listing()) {
            let ok = |t: &str| {
                t.rsplit_once('.')
                    .is_some_and(|(input, sig)| mac(input) == sig)
            };
            if case.id.contains("header-")
                || case.id.contains("payload-")
                || case.id.ends_with("inside-payload")
            {
                assert!(ok(&case.token), "{}", case.id);
            }
            if case.id != "format/json-flattened-unprotected-alg" {
                assert!(ok(case.control_token().unwrap()), "{}: control", case.id);
            }
        }
        assert!(find("format/crlf-inside-header").token.contains("\r\n"));
    }
}

//! `jwe-limits/*`: JWEs that ask a verifier for unbounded work: a `PBES2` `p2c` of
//! billions of iterations, and `zip: DEF` content that inflates to megabytes or to more
//! than 100 MB from a token of a few hundred kilobytes at most.
//!
//! A JWS-only verifier refuses all of them as it refuses any JWE (five segments, RFC 7516
//! section 9). They exist for verifiers that also speak JWE: the update of RFC 8725 names
//! both threats (draft-ietf-oauth-rfc8725bis, "Computation Cost of Unreasonable Number of
//! Hash Iterations": "Attackers can use a very large count, thereby imposing an
//! unreasonable computational burden on recipients"; "JWE Decompression Bomb Attack": "if
//! the recipient does not enforce limits on the size of the decompressed output, an
//! attacker can craft a malicious JWE with a highly compressed, arbitrarily large
//! payload", CVE-2024-28102 in jwcrypto) and recommends limits: "Rejecting inputs with a
//! `p2c` (PBES2 Count) value larger than double the recommended OWASP value is
//! RECOMMENDED" ("Limit Hash Iteration Count"), "Implementations are RECOMMENDED to set a
//! reasonable upper limit on the decompressed size of a JWE such as 250 KB" ("Limit JWE
//! Decompression Size").
//!
//! Levels: every token is `rfc` reject on its own, so the limits decide only how the
//! rejection must come. The `p2c` tokens claim a count their key was not wrapped with
//! (1000 iterations were used), so a verifier that honours the claim derives the wrong
//! key and the unwrap fails: RFC 7516 section 5.2, "in all cases, the encrypted content
//! for at least one recipient MUST successfully validate or the JWE MUST be considered
//! invalid". The compression bombs are encrypted to the verifier's own public key, so,
//! as in `sign-encrypt-confusion`, a verifier of signed JWTs that accepts them accepts
//! an unsigned token (RFC 7515 section 5.2). The recommended limits themselves are
//! SHOULDs; what this class adds is the suite's robustness rule, shared by every level:
//! the answer must come within the per-case time limit, and the verifier's process must
//! not grow by more than [`DEFAULT_GROWTH_BOUND_KIB`] (64 MiB) while answering. The
//! memory bound is checked where memory is measured, for verifiers running as processes
//! (see [`crate::memory`]); a verifier built into the harness's process is judged on its
//! verdict and the time limit only.
//!
//! The tokens are built without the work they ask for: the `p2c` is only claimed in the
//! header ([`JweBuilder::header_p2c`]), and the bombs are deflated from a stream (the
//! forge never holds the inflated content) and kept once per `now`.

use crate::alg::Alg;
use crate::case::{Case, CaseBuilder, Severity};
use crate::catalogue::common::{key_pair_policy, valid_claims};
use crate::context::Context;
use crate::forge::jwe::{
    deflate_bomb, usual_header, ContentEncryption, JweBuilder, KeyManagement, ZipMode,
};
use crate::forge::{self, keys};
use crate::memory::DEFAULT_GROWTH_BOUND_KIB;
use crate::verdict::RejectKind;
use serde_json::Value;
use std::sync::Mutex;

const REFS: [&str; 7] = [
    "RFC7516#section-5.2",
    "RFC7516#section-9",
    "RFC7519#section-7.2",
    "RFC8725#section-3.1",
    "draft-ietf-oauth-rfc8725bis#limit-iterations",
    "draft-ietf-oauth-rfc8725bis#limit-decompression",
    "CVE-2024-28102",
];

/// The robustness rule this class adds to the RFC expectation.
const BOUNDED: &str = "The answer must come within the per-case time limit and the verifier's \
    process must not grow by more than 64 MiB while answering (the suite's robustness rule, \
    owed at every level; checked on observed memory for verifiers running as processes)";

/// RFC 7518 4.8.1.2 and the update of RFC 8725 on iteration counts.
const P2C_REQ: &str = "RFC 7518 4.8.1.2: p2c \"MUST be present and MUST be understood and \
    processed by implementations when these algorithms are used\"; \"A minimum iteration count \
    of 1000 is RECOMMENDED.\" draft-ietf-oauth-rfc8725bis, Limit Hash Iteration Count: \"Implementations are \
    RECOMMENDED to set a reasonable upper limit on the number of hash iterations that can be \
    performed when validating encrypted content using PBES2 encryption algorithms\". The key \
    was wrapped with 1000 iterations, so the claimed count derives a key that does not unwrap \
    it: RFC 7516 5.2, \"the encrypted content for at least one recipient MUST successfully \
    validate or the JWE MUST be considered invalid\", and RFC 7519 7.2, \"If any of the listed \
    steps fail, then the JWT MUST be rejected\" (rfc). A verifier that bounds the count \
    refuses at once; one that honours it spends the iterations first";

/// RFC 7516 4.1.3 and the update of RFC 8725 on decompression.
const ZIP_REQ: &str = "RFC 7516 4.1.3: the \"zip\" (compression algorithm) is \"applied to the \
    plaintext before encryption\", and \"This Header Parameter MUST be understood and processed \
    by implementations.\" draft-ietf-oauth-rfc8725bis, Limit JWE Decompression Size: \"Implementations are RECOMMENDED \
    to set a reasonable upper limit on the decompressed size of a JWE such as 250 KB.\" The JWE \
    is encrypted to the verifier's own public key: for a verifier of signed JWTs, \"at least \
    one JWS Signature value MUST successfully validate, or the JWS MUST be considered invalid\" \
    (RFC 7515 5.2), and this token has none, so accepting it accepts an unsigned token (rfc)";

/// The jwe-limits cases.
pub fn cases(ctx: &Context) -> Vec<Case> {
    vec![
        p2c(
            ctx,
            KeyManagement::Pbes2Hs256A128Kw,
            ContentEncryption::A128Gcm,
            i64::from(i32::MAX),
            "2^31-1",
        ),
        p2c(
            ctx,
            KeyManagement::Pbes2Hs512A256Kw,
            ContentEncryption::A256Gcm,
            i64::from(i32::MAX),
            "2^31-1",
        ),
        p2c(
            ctx,
            KeyManagement::Pbes2Hs256A128Kw,
            ContentEncryption::A128Gcm,
            10_000_000,
            "10,000,000",
        ),
        bomb(ctx, 1_000_000, "1 MB", "1mb"),
        bomb(ctx, 128 << 20, "128 MiB", "128mib"),
    ]
}

/// A PBES2 JWE under the verifier's HMAC secret, wrapped with 1000 iterations, whose
/// header claims `count`.
#[track_caller]
fn p2c(ctx: &Context, alg: KeyManagement, enc: ContentEncryption, count: i64, shown: &str) -> Case {
    const KEY: &str = "oct-a";
    let claims = valid_claims(ctx);
    let token = JweBuilder::new(alg, enc)
        .header_p2c(count)
        .encrypt_compact(claims.to_string().as_bytes(), keys::private(KEY))
        .unwrap_or_else(|e| panic!("{alg} with {KEY}: {e}"));
    let name = format!(
        "{}-p2c-{count}",
        alg.as_str().to_lowercase().replace('+', "-")
    );
    case(
        ctx,
        &name,
        &format!("A {alg} JWE claiming p2c {shown} is rejected without the work"),
        Alg::HS256,
        KEY,
        &claims,
    )
    .severity(Severity::Medium)
    .sends(format!(
        "a JWE, alg {alg}, enc {enc}, with the verifier's HMAC secret {KEY} as the password, \
             whose header claims p2c {count} ({shown} iterations); the key was wrapped with 1000"
    ))
    .requirement(format!("{P2C_REQ}. {BOUNDED}"))
    .rfc("RFC7516#section-5.2")
    .token(token)
    .build()
}

/// A `zip: DEF` JWE encrypted to the verifier's RSA public key whose plaintext inflates
/// to `size` octets: a valid claims set followed by spaces (valid JSON, so only a size
/// limit stops it).
#[track_caller]
fn bomb(ctx: &Context, size: u64, shown: &str, slug: &str) -> Case {
    const KEY: &str = "rsa-2048-a";
    let (alg, enc) = (KeyManagement::RsaOaep256, ContentEncryption::A256Gcm);
    let claims = valid_claims(ctx);
    let compressed = compressed_bomb(ctx.now, &claims, size);
    let mut header = usual_header(alg, enc, keys::private(KEY));
    header["zip"] = "DEF".into();
    let token = JweBuilder::new(alg, enc)
        .header_json(header)
        .zip(ZipMode::AsIs)
        .encrypt_compact(&compressed, keys::private(KEY))
        .unwrap_or_else(|e| panic!("{alg} to {KEY}: {e}"));
    case(
        ctx,
        &format!("zip-bomb-{slug}"),
        &format!("A zip DEF JWE inflating to {shown} is rejected with bounded memory"),
        Alg::RS256,
        KEY,
        &claims,
    )
    .severity(Severity::High)
    .sends(format!(
        "a JWE, alg {alg}, enc {enc}, zip DEF, encrypted to the public key the verifier trusts \
         for RS256, of {} compressed octets that inflate to {size} ({shown}): a valid claims set \
         and spaces",
        compressed.len()
    ))
    .requirement(format!("{ZIP_REQ}. {BOUNDED}"))
    .rfc("RFC7515#section-5.2")
    .token(token)
    .build()
}

/// The raw DEFLATE bomb for `claims` inflating to `size` octets, made once per `now` and
/// size: streaming 128 MiB through the compressor is the costliest part of building the
/// catalogue, which a run builds more than once.
fn compressed_bomb(now: i64, claims: &Value, size: u64) -> Vec<u8> {
    static MADE: Mutex<Vec<(i64, u64, Vec<u8>)>> = Mutex::new(Vec::new());
    let mut made = MADE.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some((_, _, bomb)) = made.iter().find(|(n, s, _)| *n == now && *s == size) {
        return bomb.clone();
    }
    let bomb = deflate_bomb(claims.to_string().as_bytes(), b' ', size);
    made.retain(|(n, _, _)| *n == now);
    made.push((now, size, bomb.clone()));
    bomb
}

/// A case under the key-pair policy of `key` for `alg`, rejected by the strict reference
/// as five segments, with the memory bound; the control is `claims` signed by the key.
#[track_caller]
fn case(
    ctx: &Context,
    name: &str,
    title: &str,
    alg: Alg,
    key: &str,
    claims: &Value,
) -> CaseBuilder {
    Case::builder(format!("jwe-limits/{name}"), title)
        .refs(REFS)
        .policy(key_pair_policy(ctx, alg, key))
        .expect_reject(RejectKind::Malformed)
        .needs_algorithms(&[alg])
        .memory_bound_kib(DEFAULT_GROWTH_BOUND_KIB)
        .control(forge::jwt(alg, key, claims))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::common::testing::case_by_id;
    use crate::forge::check::assert_controls_valid;
    use crate::forge::jwe::{decrypt, decrypt_with_limits, DecryptLimits};

    fn all() -> Vec<Case> {
        cases(&Context::listing())
    }

    fn header(token: &str) -> Value {
        serde_json::from_slice(&forge::decode(token).header.unwrap()).unwrap()
    }

    #[test]
    fn p2c_tokens_claim_the_count_but_were_wrapped_with_1000() {
        let cases = all();
        for (id, count) in [
            ("pbes2-hs256-a128kw-p2c-2147483647", 2_147_483_647u64),
            ("pbes2-hs512-a256kw-p2c-2147483647", 2_147_483_647),
            ("pbes2-hs256-a128kw-p2c-10000000", 10_000_000),
        ] {
            let case = case_by_id(&cases, &format!("jwe-limits/{id}"));
            assert_eq!(header(&case.token)["p2c"], count, "{id}");
            assert_eq!(case.memory_bound_kib, Some(DEFAULT_GROWTH_BOUND_KIB));
            // Honouring the claim is refused by the forge's own limit; the key was
            // wrapped with 1000 iterations, which a rewritten header would show.
            let key = &case.policy.keys.keys[0];
            assert!(decrypt(&case.token, key).is_err(), "{id}");
            let mut parts: Vec<String> = case.token.split('.').map(str::to_string).collect();
            let mut h = header(&case.token);
            h["p2c"] = 1000.into();
            parts[0] = crate::b64::encode(h.to_string());
            // The tag covers the header, so only the key unwrap can be checked this way.
            let rewritten = parts.join(".");
            let err = decrypt(&rewritten, key).unwrap_err().to_string();
            assert!(
                !err.to_lowercase().contains("unwrap"),
                "{id}: the key unwraps with 1000: {err}"
            );
        }
        assert_controls_valid(&cases);
    }

    #[test]
    fn bombs_are_small_and_inflate_to_their_size() {
        let cases = all();
        let small = case_by_id(&cases, "jwe-limits/zip-bomb-1mb");
        let big = case_by_id(&cases, "jwe-limits/zip-bomb-128mib");
        assert!(small.token.len() < 4_000, "{}", small.token.len());
        assert!(big.token.len() < 250_000, "{}", big.token.len());
        let key = &small.policy.keys.keys[0];
        let plain = decrypt(&small.token, key).unwrap().plaintext;
        assert_eq!(plain.len(), 1_000_000);
        let claims: Value = serde_json::from_slice(&plain).unwrap();
        assert_eq!(claims, valid_claims(&Context::listing()));
        assert_eq!(header(&big.token)["zip"], "DEF");
        // The forge's own decryption refuses to inflate it past its limit.
        let limits = DecryptLimits {
            max_inflated_len: 1 << 20,
            ..DecryptLimits::default()
        };
        let err = decrypt_with_limits(&big.token, key, &limits).unwrap_err();
        assert!(err.to_string().contains("past the limit"), "{err}");
    }
}

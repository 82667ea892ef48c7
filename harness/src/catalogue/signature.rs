//! `signature/*`: tokens whose signature segment is not the signature of their signing
//! input by the trusted key for the named algorithm: empty, cut, lengthened, with a bit
//! flipped, made by another key under the trusted `kid`, made for a sibling algorithm or
//! over a SHA-1 DigestInfo, an RSA-PSS signature with another salt length or mask
//! function than the algorithm fixes, or the right integer in the wrong length or range.
//!
//! RFC 7515 5.2 step 8: "Validate the JWS Signature against the JWS Signing Input …
//! in the manner defined for the algorithm being used"; "If any of the listed steps
//! fails, then the signature or MAC cannot be validated." Every token has valid claims,
//! an allowed `alg` and the trusted `kid`; only its signature is wrong, so every case
//! expects a `signature` rejection. Acceptance is critical where it shows the signature
//! is not really checked (anyone can then forge); medium where the trusted key did make
//! the signature, for another algorithm or in another encoding.

use crate::alg::{Alg, KeyFamily};
use crate::case::{Case, CaseBuilder, Severity};
use crate::catalogue::common::{policy_for, timeless_claims, valid_claims};
use crate::context::Context;
use crate::forge::draft::{claims_with_jti, Draft};
use crate::forge::keys;
use crate::forge::rsa_raw::{
    digest_info, emsa_pkcs1_v15, emsa_pss_encode, max_pss_salt, Hash, RawRsa,
};
use crate::verdict::RejectKind;
use serde_json::Value;

const REFS: [&str; 2] = ["RFC7515#section-5.2", "CVE-2020-28042"];

/// The algorithms every generic tampering is tried on: one per signature scheme.
const ALGS: [Alg; 6] = [
    Alg::HS256,
    Alg::RS256,
    Alg::PS256,
    Alg::ES256,
    Alg::ES384,
    Alg::EdDSA,
];

/// A change to a valid signature.
#[derive(Clone, Copy)]
enum Tamper {
    Empty,
    DropLastByte,
    Half,
    AppendFourZeros,
    FlipFirstByte,
    FlipMiddleByte,
    FlipLastByte,
}

impl Tamper {
    const ALL: [Tamper; 7] = [
        Tamper::Empty,
        Tamper::DropLastByte,
        Tamper::Half,
        Tamper::AppendFourZeros,
        Tamper::FlipFirstByte,
        Tamper::FlipMiddleByte,
        Tamper::FlipLastByte,
    ];

    fn slug(self) -> &'static str {
        match self {
            Tamper::Empty => "empty",
            Tamper::DropLastByte => "truncated-by-one-byte",
            Tamper::Half => "truncated-to-half",
            Tamper::AppendFourZeros => "extended-by-four-bytes",
            Tamper::FlipFirstByte => "bit-flip-first-byte",
            Tamper::FlipMiddleByte => "bit-flip-middle-byte",
            Tamper::FlipLastByte => "bit-flip-last-byte",
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Tamper::Empty => "an empty signature segment (`header.payload.`)",
            Tamper::DropLastByte => "the valid signature without its last byte",
            Tamper::Half => "the first half of the valid signature",
            Tamper::AppendFourZeros => "the valid signature followed by four zero bytes",
            Tamper::FlipFirstByte => {
                "the valid signature with the low bit of its first byte flipped"
            }
            Tamper::FlipMiddleByte => {
                "the valid signature with the low bit of its middle byte flipped"
            }
            Tamper::FlipLastByte => "the valid signature with the low bit of its last byte flipped",
        }
    }

    fn apply(self, sig: &[u8]) -> Vec<u8> {
        let mut out = sig.to_vec();
        match self {
            Tamper::Empty => out.clear(),
            Tamper::DropLastByte => {
                out.pop();
            }
            Tamper::Half => out.truncate(sig.len() / 2),
            Tamper::AppendFourZeros => out.extend([0; 4]),
            Tamper::FlipFirstByte => out[0] ^= 1,
            Tamper::FlipMiddleByte => out[sig.len() / 2] ^= 1,
            Tamper::FlipLastByte => out[sig.len() - 1] ^= 1,
        }
        out
    }
}

/// RFC 7515 5.2 step 8 and RFC 7519 7.2: a signature that does not validate makes the
/// JWT invalid, a MUST of RFC 7519.
const STEP_8: &str = "RFC 7515 5.2 step 8: \"Validate the JWS Signature against the JWS Signing \
     Input … in the manner defined for the algorithm being used\"; \"If any of the listed \
     steps fails, then the signature or MAC cannot be validated\", and RFC 7519 7.2: \"If any \
     of the listed steps fail, then the JWT MUST be rejected\". A signature that does not \
     validate is a MUST-reject (`rfc`).";

/// How the algorithm's signature is checked, quoted for the requirement.
fn validation_rule(alg: Alg) -> &'static str {
    match alg.key_family() {
        KeyFamily::Hmac => {
            "RFC 7518 3.2: the HMAC of the JWS Signing Input is computed with the shared key; \
             \"This computed HMAC value is then compared to the result of base64url decoding \
             the received encoded JWS Signature value\", and \"if the values match, the HMAC \
             has been validated\": any other value, a prefix of it included, is not"
        }
        KeyFamily::Rsa => {
            "RFC 7518 3.3/3.5: the JWS Signature is submitted with the trusted public key to \
             RSASSA-PKCS1-v1_5-VERIFY (RSASSA-PSS-VERIFY) with the algorithm's hash; RFC 8017 \
             8.2.2/8.1.2 step 1: \"If the length of the signature S is not k octets, output \
             \"invalid signature\" and stop.\""
        }
        KeyFamily::Ec(_) => {
            "RFC 7518 3.4: \"The JWS Signature value MUST be a 64-octet sequence. If it is not a \
             64-octet sequence, the validation has failed.\" (96 octets for P-384, 132 for \
             P-521); otherwise R and S are submitted with the trusted key to the ECDSA \
             validator"
        }
        KeyFamily::Ed25519 => {
            "RFC 8037 3.1.2: verification applies RFC 8032's algorithm to the trusted key, the \
             JWS Signing Input and the JWS Signature; \"If the algorithm accepts, the \
             signature is valid; otherwise, the signature is invalid.\""
        }
    }
}

/// The section of RFC 7518 that defines `alg`'s RSA signature.
fn rsa_section(alg: Alg) -> &'static str {
    match alg {
        Alg::PS256 | Alg::PS384 | Alg::PS512 => "RFC7518#section-3.5",
        _ => "RFC7518#section-3.3",
    }
}

/// A signature case on `alg` under its usual policy: valid claims, trusted `kid`.
#[track_caller]
fn case(ctx: &Context, alg: Alg, name: &str, title: String) -> CaseBuilder {
    Case::builder(format!("signature/{}-{name}", alg.slug()), title)
        .severity(Severity::Critical)
        .refs(REFS)
        .requirement(format!("{STEP_8} {}", validation_rule(alg)))
        .rfc("RFC7515#section-5.2")
        .policy(policy_for(ctx, alg))
        .expect_reject(RejectKind::Signature)
        .needs_algorithms(&[alg])
}

/// The `signature` cases.
pub fn cases(ctx: &Context) -> Vec<Case> {
    let claims = valid_claims(ctx);
    let mut out = Vec::new();
    for alg in ALGS {
        let key = keys::default_key_name(alg);
        let draft = Draft::usual(alg, &claims);
        let valid = draft.signature(alg, key);
        let control = draft.with_signature(&valid);
        for tamper in Tamper::ALL {
            out.push(
                case(
                    ctx,
                    alg,
                    tamper.slug(),
                    format!("{alg}: {} is rejected", tamper.describe()),
                )
                .sends(format!(
                    "a token signed with {alg} by {key}, with valid claims, carrying {}",
                    tamper.describe()
                ))
                .token(draft.with_signature(&tamper.apply(&valid)))
                .control(control.clone())
                .build(),
            );
        }
        let other = keys::second_key_name(alg);
        out.push(
            case(
                ctx,
                alg,
                "other-key-with-trusted-kid",
                format!("{alg}: a signature by an untrusted key under the trusted kid is rejected"),
            )
            .sends(format!(
                "a token whose header names kid {key} but which {other}, a key of the \
                 same type the verifier does not trust, signed with {alg}"
            ))
            .token(draft.signed(alg, other))
            .control(control)
            .build(),
        );
    }
    out.extend(hmac_truncation(ctx, &claims));
    out.extend(sibling_algorithms(ctx, &claims));
    out.extend(rsa_integer_encodings(ctx, &claims));
    out.extend(pss_parameters(ctx, &claims));
    out.push(eddsa_unreduced_s(ctx, &claims));
    out
}

/// MACs cut short: a verifier that compares only as many bytes as it was sent can be
/// brute-forced one byte at a time.
fn hmac_truncation(ctx: &Context, claims: &Value) -> Vec<Case> {
    [(Alg::HS256, 1usize), (Alg::HS512, 16)]
        .into_iter()
        .map(|(alg, len)| {
            let draft = Draft::usual(alg, claims);
            let valid = draft.signature(alg, keys::default_key_name(alg));
            let bytes = if len == 1 { "byte" } else { "bytes" };
            case(
                ctx,
                alg,
                &format!("truncated-to-{len}-{bytes}"),
                format!("{alg}: the MAC cut to its first {len} {bytes} is rejected"),
            )
            .sends(format!(
                "a token whose {alg} MAC is cut from {} to its first {len} {bytes}",
                valid.len()
            ))
            .token(draft.with_signature(&valid[..len]))
            .control(draft.with_signature(&valid))
            .build()
        })
        .collect()
}

/// A signature the trusted key really made over the same signing input, but for another
/// algorithm of the same key type than the header names: a verifier that picks the hash
/// or padding from the signature (or tries them all) accepts it.
fn sibling_algorithms(ctx: &Context, claims: &Value) -> Vec<Case> {
    [
        (Alg::RS256, Alg::RS384),
        (Alg::RS256, Alg::RS512),
        (Alg::RS256, Alg::PS256),
        (Alg::PS256, Alg::RS256),
        (Alg::PS256, Alg::PS384),
        (Alg::HS256, Alg::HS512),
    ]
    .into_iter()
    .map(|(labelled, made)| {
        let key = keys::default_key_name(labelled);
        let draft = Draft::usual(labelled, claims);
        case(
            ctx,
            labelled,
            &format!("carries-{}-signature", made.slug()),
            format!("{made} signature in a token labelled {labelled} is rejected"),
        )
        .severity(Severity::Medium)
        .sends(format!(
            "header alg {labelled}, kid {key}; the signature is the trusted key's genuine {made} \
             signature of the same signing input"
        ))
        .requirement(format!(
            "RFC 7515 5.2 step 8: \"Validate the JWS Signature against the JWS Signing Input … \
             in the manner defined for the algorithm being used, which MUST be accurately \
             represented by the value of the \"alg\" (algorithm) Header Parameter\"; \"If any \
             of the listed steps fails, then the signature or MAC cannot be validated\". The \
             {made} signature is no {labelled} signature, so the JWT MUST be rejected (RFC 7519 \
             7.2): `rfc`. RFC 8725 3.1 says the same: \"The library MUST ensure that the \
             \"alg\" or \"enc\" header specifies the same algorithm that is used for the \
             cryptographic operation.\""
        ))
        .token(draft.signed(made, key))
        .control(draft.signed(labelled, key))
        .build()
    })
    .collect()
}

/// RSA signatures that are the right integer in the wrong number of octets, or a
/// different integer congruent modulo n, or PKCS#1 v1.5 with a SHA-1 DigestInfo.
fn rsa_integer_encodings(ctx: &Context, claims: &Value) -> Vec<Case> {
    let key = keys::default_key_name(Alg::RS256);
    let raw = RawRsa::from_jwk(keys::private(key)).expect("RSA fixture");
    let k = raw.modulus_len();
    let mut out = Vec::new();

    let leading_zero = claims_with_jti(
        "rs256-signature-with-leading-zero",
        &timeless_claims(),
        |c| Draft::usual(Alg::RS256, c).signature(Alg::RS256, key)[0] == 0,
    );
    let zero_draft = Draft::usual(Alg::RS256, &leading_zero);
    let valid = zero_draft.signature(Alg::RS256, key);
    out.push(
        case(
            ctx,
            Alg::RS256,
            "leading-zero-stripped",
            "RS256: a valid signature with its leading zero octet removed is rejected".into(),
        )
        .severity(Severity::Medium)
        .sends(format!(
            "an RS256 token (jti chosen so that the signature starts with 0x00) whose signature \
             is sent as {} octets instead of k = {k}: the same integer, shortened",
            k - 1
        ))
        .rfc(rsa_section(Alg::RS256))
        .token(zero_draft.with_signature(&valid[1..]))
        .control(zero_draft.with_signature(&valid))
        .build(),
    );

    for alg in [Alg::RS256, Alg::PS256] {
        let draft = Draft::usual(alg, claims);
        let valid = draft.signature(alg, key);
        out.push(
            case(
                ctx,
                alg,
                "leading-zero-added",
                format!("{alg}: a valid signature with a zero octet prepended is rejected"),
            )
            .severity(Severity::Medium)
            .sends(format!(
                "a token whose valid {alg} signature is sent as 0x00 || S, {} octets, one more \
                 than the modulus: the same integer, lengthened",
                k + 1
            ))
            .rfc(rsa_section(alg))
            .token(draft.with_signature(&[&[0u8][..], &valid].concat()))
            .control(draft.with_signature(&valid))
            .build(),
        );
    }

    let draft = Draft::usual(Alg::RS256, claims);
    let valid = draft.signature(Alg::RS256, key);
    let n = keys::public(key).rsa_modulus().expect("RSA fixture");
    out.push(
        case(
            ctx,
            Alg::RS256,
            "signature-plus-modulus",
            "RS256: the valid signature plus the modulus is rejected".into(),
        )
        .severity(Severity::Medium)
        .sends(
            "an RS256 token whose signature is S + n, big-endian: congruent to the valid S \
             modulo n, so a verifier that reduces its input instead of range-checking it \
             accepts",
        )
        .requirement(format!(
            "{STEP_8} RFC 7518 3.3: the JWS Signature is submitted with the trusted public key \
             to RSASSA-PKCS1-v1_5-VERIFY using SHA-256, whose RSAVP1 (RFC 8017 5.2.2) reads: \
             \"If the signature representative s is not between 0 and n - 1, output \
             \"signature representative out of range\" and stop.\""
        ))
        .rfc("RFC7518#section-3.3")
        .token(draft.with_signature(&add_be(&valid, &n)))
        .control(draft.with_signature(&valid))
        .build(),
    );

    let sha1_em = emsa_pkcs1_v15(k, &digest_info(Hash::Sha1, draft.input().as_bytes()));
    out.push(
        case(
            ctx,
            Alg::RS256,
            "pkcs1-sha1-digest-info",
            "RS256: a PKCS#1 v1.5 signature over a SHA-1 DigestInfo is rejected".into(),
        )
        .severity(Severity::Medium)
        .sends(
            "header alg RS256; the signature is the trusted key's RSASSA-PKCS1-v1_5 signature \
             of the signing input with SHA-1 (EM = 00 01 FF…FF 00 || DigestInfo(sha1, \
             SHA-1(input))): a verifier that trusts the hash named inside the signature accepts",
        )
        .requirement(format!(
            "{STEP_8} RFC 7518 3.3: RS256 is validated by submitting the JWS Signature \
             \"to the RSASSA-PKCS1-v1_5-VERIFY algorithm using SHA-256 as the hash function\"; \
             RFC 8017 8.2.2 rebuilds EM' with SHA-256, and step 4: \"Compare the encoded message \
             EM and the second encoded message EM'. If they are the same, output \"valid \
             signature\"; otherwise, output \"invalid signature\".\""
        ))
        .rfc("RFC7518#section-3.3")
        .token(draft.with_signature(&raw.sign_raw(&sha1_em)))
        .control(draft.with_signature(&valid))
        .build(),
    );
    out
}

/// RFC 7518 3.5, which fixes every parameter of PS256/384/512, quoted for the cases
/// that change one.
const PSS_RULE: &str = "RFC 7518 3.5 defines the algorithms \"with the MGF1 mask generation \
     function and SHA-2 hash functions, always using the same hash function for both the \
     RSASSA-PSS hash function and the MGF1 hash function. The size of the salt value is the \
     same size as the hash function output.\" Validation: \"submit the JWS Signing Input, the \
     JWS Signature, and the public key corresponding to the private key used by the signer to \
     the RSASSA-PSS-VERIFY algorithm using SHA-256 as the hash function and using MGF1 as the \
     mask generation function with SHA-256\" (\"just using the alternative hash algorithm in \
     both roles\" for PS384 and PS512). EMSA-PSS-VERIFY (RFC 8017 9.1.2) runs with these \
     options, sLen included, and outputs \"inconsistent\" for an encoding made with others. \
     RFC 7515 5.2 step 8 validates \"in the manner defined for the algorithm being used\"; \
     \"If any of the listed steps fails, then the signature or MAC cannot be validated\", and \
     RFC 7519 7.2: \"the JWT MUST be rejected\" (rfc). The trusted key made the signature, so \
     accepting it is no forgery, but a verifier that detects the salt length or trusts another \
     mask function accepts several signatures per algorithm";

/// RSASSA-PSS signatures by the trusted key whose salt length or MGF1 hash is not the
/// one RFC 7518 3.5 fixes for the header's algorithm.
fn pss_parameters(ctx: &Context, claims: &Value) -> Vec<Case> {
    let key = keys::default_key_name(Alg::PS256);
    let raw = RawRsa::from_jwk(keys::private(key)).expect("RSA fixture");
    let bits = raw.modulus_bits();
    let mut out = Vec::new();
    for (alg, hash) in [
        (Alg::PS256, Hash::Sha256),
        (Alg::PS384, Hash::Sha384),
        (Alg::PS512, Hash::Sha512),
    ] {
        let draft = Draft::usual(alg, claims);
        let input = draft.input();
        let h_len = hash.digest(b"").len();
        // Deterministic salts: the signing input's hash, repeated as needed.
        let salt = |len: usize| -> Vec<u8> {
            hash.digest(input.as_bytes())
                .into_iter()
                .cycle()
                .take(len)
                .collect()
        };
        let max = max_pss_salt(hash, bits);
        for (name, title, what, mgf, salt) in [
            (
                "salt-length-zero",
                "an empty salt",
                "an empty salt (sLen = 0) instead of one as long as the hash".to_string(),
                hash,
                salt(0),
            ),
            (
                "salt-length-maximum",
                "the longest salt",
                format!(
                    "a {max}-octet salt, the longest a {bits}-bit modulus allows (emLen - hLen - \
                     2), instead of {h_len}"
                ),
                hash,
                salt(max),
            ),
            (
                "mgf1-sha1",
                "MGF1 with SHA-1",
                format!(
                    "MGF1 with SHA-1 instead of {}, salt of {h_len} octets",
                    &alg.as_str()[2..]
                ),
                Hash::Sha1,
                salt(h_len),
            ),
        ] {
            let em = emsa_pss_encode(hash, mgf, &salt, bits, input.as_bytes());
            out.push(
                case(
                    ctx,
                    alg,
                    name,
                    format!("{alg}: an RSA-PSS signature with {title} is rejected"),
                )
                .severity(Severity::Medium)
                .refs(["RFC7515#section-5.2", "RFC8017#section-9.1.2"])
                .sends(format!(
                    "an {alg} token whose signature is the trusted key's RSASSA-PSS signature of \
                     the signing input with SHA-{} but {what}",
                    &alg.as_str()[2..]
                ))
                .requirement(PSS_RULE)
                .rfc("RFC7518#section-3.5")
                .token(draft.with_signature(&raw.sign_raw(&em)))
                .control(draft.signed(alg, key))
                .build(),
            );
        }
    }
    out
}

/// Big-endian `a + b`.
fn add_be(a: &[u8], b: &[u8]) -> Vec<u8> {
    let sum = num_bigint::BigUint::from_bytes_be(a) + num_bigint::BigUint::from_bytes_be(b);
    sum.to_bytes_be()
}

/// Ed25519's S plus the group order L: the same signature to a verifier that reduces S,
/// which RFC 8032 forbids (it makes signatures malleable).
fn eddsa_unreduced_s(ctx: &Context, claims: &Value) -> Case {
    // L = 2^252 + 27742317777372353535851937790883648493 (RFC 8032 section 5.1), little-endian.
    const L: [u8; 32] = [
        0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde,
        0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
    ];
    let draft = Draft::usual(Alg::EdDSA, claims);
    let valid = draft.signature(Alg::EdDSA, keys::default_key_name(Alg::EdDSA));
    let mut forged = valid.clone();
    let mut carry = 0u16;
    for (byte, l) in forged[32..].iter_mut().zip(L) {
        let sum = u16::from(*byte) + u16::from(l) + carry;
        *byte = sum as u8;
        carry = sum >> 8;
    }
    case(
        ctx,
        Alg::EdDSA,
        "s-plus-group-order",
        "EdDSA: a signature whose S is not reduced modulo L is rejected".into(),
    )
    .severity(Severity::Medium)
    .sends(
        "an EdDSA token whose signature is R || (S + L): the valid signature with the group \
         order added to S, still 64 octets",
    )
    .requirement(format!(
        "{STEP_8} RFC 8037 3.1.2: verification applies RFC 8032's algorithm, and \"If the \
         algorithm accepts, the signature is valid; otherwise, the signature is invalid.\" RFC \
         8032 5.1.7 step 1 decodes the second half as an integer S \"in the range 0 <= s < L\"; \
         \"If any of the decodings fail (including S being out of range), the signature is \
         invalid.\""
    ))
    .rfc("RFC8037#section-3.1.2")
    .token(draft.with_signature(&forged))
    .control(draft.with_signature(&valid))
    .build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forge::check::{
        assert_controls_valid, assert_only_signature_differs, input_of, named, signature_of,
        signature_pair,
    };

    fn all() -> Vec<Case> {
        cases(&Context::listing())
    }

    #[test]
    fn only_the_signature_differs_from_a_valid_control() {
        let all = all();
        assert_controls_valid(&all);
        assert_only_signature_differs(&all);
    }

    #[test]
    fn integer_encodings_hold_the_same_integer_modulo_n() {
        let all = all();
        let raw = RawRsa::from_jwk(&keys::public("rsa-2048-a")).unwrap();
        for id in [
            "signature/rs256-leading-zero-stripped",
            "signature/rs256-leading-zero-added",
            "signature/ps256-leading-zero-added",
            "signature/rs256-signature-plus-modulus",
        ] {
            let (sig, valid) = signature_pair(named(&all, id));
            assert_ne!(sig, valid, "{id}");
            assert_eq!(raw.open(&sig), raw.open(&valid), "{id}");
        }
    }

    #[test]
    fn pss_cases_carry_the_encoding_they_name() {
        let all = all();
        let raw = RawRsa::from_jwk(&keys::public("rsa-2048-a")).unwrap();
        for (alg, hash) in [(Alg::PS256, Hash::Sha256), (Alg::PS512, Hash::Sha512)] {
            let case = named(&all, &format!("signature/{}-salt-length-zero", alg.slug()));
            let em = raw.open(&signature_of(&case.token));
            let input = input_of(&case.token).as_bytes();
            assert_eq!(em, emsa_pss_encode(hash, hash, &[], 2048, input), "{alg}");
            let mgf = named(&all, &format!("signature/{}-mgf1-sha1", alg.slug()));
            let em = raw.open(&signature_of(&mgf.token));
            assert_eq!(em.last(), Some(&0xbc), "{alg}");
        }
        assert_eq!(
            all.iter().filter(|c| c.id.contains("salt-length")).count(),
            6
        );
    }

    #[test]
    fn the_sha1_signature_is_a_genuine_pkcs1_sha1_signature() {
        let all = all();
        let case = named(&all, "signature/rs256-pkcs1-sha1-digest-info");
        let raw = RawRsa::from_jwk(&keys::public("rsa-2048-a")).unwrap();
        let em = raw.open(&signature_of(&case.token));
        let input = input_of(&case.token).as_bytes();
        assert_eq!(em, emsa_pkcs1_v15(256, &digest_info(Hash::Sha1, input)));
    }

    #[test]
    fn the_unreduced_ed25519_signature_is_the_valid_one_plus_l() {
        let (forged, valid) = signature_pair(named(&all(), "signature/eddsa-s-plus-group-order"));
        assert_eq!(forged[..32], valid[..32], "R unchanged");
        let le = |b: &[u8]| num_bigint::BigUint::from_bytes_le(b);
        let l = (num_bigint::BigUint::from(1u8) << 252u32)
            + "27742317777372353535851937790883648493"
                .parse::<num_bigint::BigUint>()
                .unwrap();
        assert_eq!(le(&forged[32..]), le(&valid[32..]) + l);
    }
}

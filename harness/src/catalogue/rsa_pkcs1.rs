//! `rsa-pkcs1/*`: Bleichenbacher's 2006 low-exponent forgery of RSASSA-PKCS1-v1_5
//! signatures, made without the private key, against a trusted RSA-2048 key with e = 3.
//!
//! A verifier that parses the recovered encoding instead of rebuilding it and comparing
//! (RFC 8017 8.2.2 steps 3-4) skips octets an attacker does not control; with e = 3 an
//! integer cube root then yields a signature whose cube begins (and, modulo a power of
//! two, ends) with whatever the attacker wants. Each token carries valid claims, alg
//! RS256 and the trusted `kid`; only the signature is forged, so each case expects a
//! `signature` rejection, and an acceptance is a forgery anyone can make.

use crate::alg::Alg;
use crate::case::{Case, Severity};
use crate::catalogue::common::{policy, timeless_claims};
use crate::context::Context;
use crate::forge::draft::{claims_with_jti, Draft};
use crate::forge::ecdsa_sig::der_length;
use crate::forge::rsa_raw::{digest_info, Hash, RawRsa};
use crate::forge::{header_for, keys};
use crate::verdict::RejectKind;
use serde_json::Value;

const KEY: &str = "rsa-2048-e3";

const REFS: [&str; 6] = [
    "Bleichenbacher 2006",
    "CVE-2006-4339",
    "CVE-2016-1494",
    "CVE-2022-24771",
    "RFC8017#section-8.2.2",
    "RFC7515#section-5.2",
];

/// `00 01 FF FF FF FF FF FF FF FF 00`: the shortest padding PKCS#1 allows (8 octets of
/// FF), which leaves the most room for garbage.
const SHORTEST_PADDING: [u8; 11] = [0, 1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0];

/// Where the forgery hides what the cube root cannot control.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Garbage {
    /// After a correct DigestInfo, at the end of EM (the 2006 original).
    AfterDigest,
    /// In the padding string, which is not checked to be FF (the hash sits at the end).
    InPadding,
    /// Inside the AlgorithmIdentifier SEQUENCE, after its NULL parameters.
    AfterAlgorithmNull,
    /// As the AlgorithmIdentifier's parameters: an OCTET STRING instead of NULL.
    AsAlgorithmParameters,
}

struct Variant {
    name: &'static str,
    alg: Alg,
    hash: Hash,
    garbage: Garbage,
    title: &'static str,
    shape: &'static str,
}

const VARIANTS: [Variant; 5] = [
    Variant {
        name: "rs256-garbage-after-digest",
        alg: Alg::RS256,
        hash: Hash::Sha256,
        garbage: Garbage::AfterDigest,
        title: "RS256: a cube-root forgery with garbage after the DigestInfo is rejected",
        shape: "00 01 FF×8 00 || DigestInfo(SHA-256, H) || garbage",
    },
    Variant {
        name: "rs384-garbage-after-digest",
        alg: Alg::RS384,
        hash: Hash::Sha384,
        garbage: Garbage::AfterDigest,
        title: "RS384: a cube-root forgery with garbage after the DigestInfo is rejected",
        shape: "00 01 FF×8 00 || DigestInfo(SHA-384, H) || garbage",
    },
    Variant {
        name: "rs256-garbage-in-padding",
        alg: Alg::RS256,
        hash: Hash::Sha256,
        garbage: Garbage::InPadding,
        title: "RS256: a cube-root forgery with garbage instead of FF padding is rejected",
        shape: "00 01 || non-zero garbage instead of FF…FF || 00 || DigestInfo(SHA-256, H)",
    },
    Variant {
        name: "rs256-garbage-after-algorithm-null",
        alg: Alg::RS256,
        hash: Hash::Sha256,
        garbage: Garbage::AfterAlgorithmNull,
        title: "RS256: a cube-root forgery with garbage inside the AlgorithmIdentifier is rejected",
        shape: "00 01 FF×8 00 || SEQUENCE { SEQUENCE { OID sha256, NULL, garbage }, OCTET \
                STRING H }",
    },
    Variant {
        name: "rs256-garbage-as-algorithm-parameters",
        alg: Alg::RS256,
        hash: Hash::Sha256,
        garbage: Garbage::AsAlgorithmParameters,
        title: "RS256: a cube-root forgery with garbage as the digest algorithm's parameters is \
                rejected",
        shape: "00 01 FF×8 00 || SEQUENCE { SEQUENCE { OID sha256, OCTET STRING garbage }, \
                OCTET STRING H }",
    },
];

/// The octets the forgery must put at the top and at the bottom of `s^3` for `input`.
fn prefix_and_suffix(v: &Variant, k: usize, input: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let digest = v.hash.digest(input);
    let digest_string = [&[0x04, digest.len() as u8][..], &digest].concat();
    match v.garbage {
        Garbage::AfterDigest => (
            [&SHORTEST_PADDING[..], &digest_info(v.hash, input)].concat(),
            Vec::new(),
        ),
        Garbage::InPadding => (
            vec![0, 1],
            [&[0u8][..], &digest_info(v.hash, input)].concat(),
        ),
        Garbage::AfterAlgorithmNull => {
            algorithm_with_garbage(k, v.hash, &digest_string, |_| vec![0x05, 0x00])
        }
        Garbage::AsAlgorithmParameters => {
            algorithm_with_garbage(k, v.hash, &digest_string, |len| {
                [&[0x04][..], &der_length(len)].concat()
            })
        }
    }
}

/// `00 01 FF×8 00 || 30 L1 { 30 L2 { OID, params_head(g), <g octets> }, digest }` as the
/// parts before and after the `g` garbage octets, with `g` chosen to fill `k` octets.
fn algorithm_with_garbage(
    k: usize,
    hash: Hash,
    digest_string: &[u8],
    params_head: impl Fn(usize) -> Vec<u8>,
) -> (Vec<u8>, Vec<u8>) {
    (0..k)
        .rev()
        .find_map(|g| {
            let head = params_head(g);
            let algorithm_len = hash.oid().len() + head.len() + g;
            let algorithm_header = [&[0x30][..], &der_length(algorithm_len)].concat();
            let info_len = algorithm_header.len() + algorithm_len + digest_string.len();
            let prefix = [
                &SHORTEST_PADDING[..],
                &[0x30],
                &der_length(info_len),
                &algorithm_header,
                hash.oid(),
                &head,
            ]
            .concat();
            (prefix.len() + g + digest_string.len() == k).then(|| (prefix, digest_string.to_vec()))
        })
        .expect("some garbage length fills the modulus")
}

/// The `rsa-pkcs1` cases.
pub fn cases(ctx: &Context) -> Vec<Case> {
    VARIANTS.iter().map(|v| build(ctx, v)).collect()
}

#[track_caller]
fn build(ctx: &Context, v: &Variant) -> Case {
    let raw = RawRsa::from_jwk(&keys::public(KEY)).expect("RSA fixture");
    let k = raw.modulus_len();
    let header = header_for(v.alg, keys::private(KEY));
    let forge = |claims: &Value| {
        let input = Draft::json(&header, claims).input();
        let (prefix, suffix) = prefix_and_suffix(v, k, input.as_bytes());
        // Garbage in the padding must hold no zero octet: the parser it fools looks
        // for the first zero to find the DigestInfo.
        let nonzero = v.garbage == Garbage::InPadding;
        raw.cube_root_forgery(&prefix, &suffix, |middle| !nonzero || !middle.contains(&0))
    };
    // The cube root modulo 2^m needs an odd suffix: choose a jti that makes it odd.
    let claims = claims_with_jti(&format!("rsa-pkcs1-{}", v.name), &timeless_claims(), |c| {
        forge(c).is_some()
    });
    let draft = Draft::json(&header, &claims);
    let signature = forge(&claims).expect("the search found a forgeable token");
    Case::builder(format!("rsa-pkcs1/{}", v.name), v.title)
        .severity(Severity::Critical)
        .refs(REFS)
        .sends(format!(
            "an {} token by {KEY} (e = 3) with valid claims whose signature s was made without \
             the private key: s^3 < n, and as a {k}-octet integer it reads {}",
            v.alg, v.shape
        ))
        .requirement(format!(
            "RFC 7518 3.3: the signature is validated by submitting \"the JWS Signing Input, the \
             JWS Signature, and the public key corresponding to the private key used by the \
             signer to the RSASSA-PKCS1-v1_5-VERIFY algorithm using SHA-256 as the hash \
             function\" (SHA-{} for {}). That algorithm (RFC 8017 8.2.2) encodes the expected EM' \
             itself (00 01, FF padding, 00, the exact DigestInfo) and, step 4: \"Compare the \
             encoded message EM and the second encoded message EM'. If they are the same, output \
             \"valid signature\"; otherwise, output \"invalid signature\".\" This EM is not \
             EM', so the signature does not validate and the JWT MUST be rejected (RFC 7515 5.2, \
             RFC 7519 7.2): `rfc`",
            &v.alg.as_str()[2..],
            v.alg
        ))
        .rfc("RFC7518#section-3.3")
        .token(draft.with_signature(&signature))
        .policy(policy(ctx, &[v.alg], &[KEY]))
        .expect_reject(RejectKind::Signature)
        .needs_algorithms(&[v.alg])
        .control(draft.signed(v.alg, KEY))
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forge::check::{assert_only_signature_differs, input_of, listed, signature_of};
    use crate::forge::rsa_raw::emsa_pkcs1_v15;

    fn variant(case: &Case) -> &'static Variant {
        VARIANTS
            .iter()
            .find(|v| case.id == format!("rsa-pkcs1/{}", v.name))
            .unwrap()
    }

    /// What `sig^3 mod n` is, as the verifier recovers it.
    fn recovered(case: &Case) -> Vec<u8> {
        RawRsa::from_jwk(&case.policy.keys.keys[0])
            .unwrap()
            .open(&signature_of(&case.token))
    }

    #[test]
    fn each_forgery_has_the_crafted_prefix_and_suffix_and_fails_a_strict_verifier() {
        let all = listed(cases, VARIANTS.len());
        assert_only_signature_differs(&all);
        for case in &all {
            let v = variant(case);
            let em = recovered(case);
            let (prefix, suffix) = prefix_and_suffix(v, 256, input_of(&case.token).as_bytes());
            assert!(em.starts_with(&prefix), "{}", case.id);
            assert!(em.ends_with(&suffix), "{}", case.id);
            let garbage = &em[prefix.len()..em.len() - suffix.len()];
            assert!(
                garbage.len() >= 150,
                "{}: the garbage fills the rest",
                case.id
            );
            let proper =
                emsa_pkcs1_v15(256, &digest_info(v.hash, input_of(&case.token).as_bytes()));
            assert_ne!(em, proper, "{}", case.id);
        }
    }

    #[test]
    fn the_e3_fixture_signs_and_its_signatures_verify() {
        let key = keys::private(KEY);
        assert_eq!(key.e.as_deref(), Some("Aw"), "e = 3");
        let token = crate::forge::jwt(Alg::RS256, KEY, &serde_json::json!({"sub": "x"}));
        let raw = RawRsa::from_jwk(&keys::public(KEY)).unwrap();
        let em = raw.open(&signature_of(&token));
        assert_eq!(
            em,
            emsa_pkcs1_v15(256, &digest_info(Hash::Sha256, input_of(&token).as_bytes()))
        );
    }

    /// A lenient parser of the recovered EM, of the kinds that shipped: it finds the
    /// DigestInfo after the padding and checks what it reads, never that EM is exactly
    /// the expected encoding. `skip_algorithm_tail` skips whatever follows the OID in
    /// the AlgorithmIdentifier; `any_padding` takes anything up to the first zero octet.
    fn lenient_accepts(em: &[u8], hash: Hash, input: &[u8], any_padding: bool) -> bool {
        let Some(rest) = em.strip_prefix(&[0, 1][..]) else {
            return false;
        };
        let Some(zero) = rest.iter().position(|&b| b == 0) else {
            return false;
        };
        if !any_padding && (zero < 8 || rest[..zero].iter().any(|&b| b != 0xff)) {
            return false;
        }
        let info = &rest[zero + 1..];
        let digest = hash.digest(input);
        // SEQUENCE { SEQUENCE { OID, … }, OCTET STRING digest }, lengths read, not checked.
        let read_len = |at: usize| -> (usize, usize) {
            match info[at] {
                n if n < 0x80 => (n as usize, 1),
                0x81 => (info[at + 1] as usize, 2),
                _ => (usize::MAX, 0),
            }
        };
        if info[0] != 0x30 {
            return false;
        }
        let (_, outer_len_size) = read_len(1);
        let algorithm_at = 1 + outer_len_size;
        if info[algorithm_at] != 0x30 {
            return false;
        }
        let (algorithm_len, algorithm_len_size) = read_len(algorithm_at + 1);
        let oid_at = algorithm_at + 1 + algorithm_len_size;
        if !info[oid_at..].starts_with(hash.oid()) {
            return false;
        }
        let digest_at = oid_at + algorithm_len;
        info.get(digest_at..digest_at + 2 + digest.len())
            .is_some_and(|d| d[..2] == [0x04, digest.len() as u8] && d[2..] == digest[..])
    }

    #[test]
    fn each_forgery_fools_the_lenient_parser_it_targets() {
        for case in cases(&Context::listing()) {
            let v = variant(&case);
            let em = recovered(&case);
            let input = input_of(&case.token).as_bytes();
            let any_padding = v.garbage == Garbage::InPadding;
            assert!(
                lenient_accepts(&em, v.hash, input, any_padding),
                "{}",
                case.id
            );
            // The control's honest encoding passes the lenient parser too, and a
            // garbled hash does not: the parser does check the digest.
            let control = case.control_token().unwrap();
            let honest = RawRsa::from_jwk(&case.policy.keys.keys[0])
                .unwrap()
                .open(&signature_of(control));
            assert!(lenient_accepts(
                &honest,
                v.hash,
                input_of(control).as_bytes(),
                false
            ));
            assert!(
                !lenient_accepts(&em, v.hash, b"another input", any_padding),
                "{}",
                case.id
            );
        }
    }
}

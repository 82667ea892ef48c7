//! `key-strength/*`: trusted keys that must not verify anything (RFC 7518 sections
//! 3.2, 3.3, 3.5; RFC 7517 sections 4.2, 4.3; RFC 8725 section 3.5).
//!
//! Here the policy itself is the attack: the verifier is configured with a key too
//! weak for the algorithm, or one declared for another use, and the token is genuinely
//! signed by that key. The verifier must refuse the key, when it is configured
//! (`prepare` refusing counts as a rejection) or when a token arrives.
//!
//! Levels: RFC 7518 binds the key a deployment uses ("A key of the same size as the
//! hash output ... or larger MUST be used with this algorithm"; "A key of size 2048 bits
//! or larger MUST be used with these algorithms"), and the deployment chose this one; the
//! token is genuinely signed with it, and no sentence asks the verifier to second-guess
//! its configuration (RFC 8725 section 3.5 points at entropy advice, which a 128-bit key
//! meets). Refusing a configured key below RFC 7518's sizes is hardening: `strict`. So
//! is honouring a `use` or `key_ops` that excludes verification, which binds only an
//! application that requires those members (RFC 7517 sections 4.2 and 4.3: "OPTIONAL,
//! unless the application requires its presence").
//!
//! RSA public exponents: RFC 8017 section 3.1 makes e "an integer between 3 and n - 1";
//! with e = 1 every value is its own signature, so a trusted `(n, 1)` key verifies
//! whatever anyone sends. No JOSE RFC tells a verifier to check e, but RFC 7517 section
//! 5 says implementations "SHOULD ignore JWKs ... for which values are out of the
//! supported ranges": `strict`. And e = 3 is a legal exponent (RFC 7518 asks only for
//! 2048 bits), so a token signed with such a key is valid and accepted; the same sentence
//! lets an implementation support only larger exponents, so that is `strict` too.
//!
//! Each case's positive control is the same token shape under its own policy: for a
//! weak key, the same algorithm and claims signed by a strong fixture key of the same
//! type, which that policy trusts; for `use` and `key_ops`, the very same token under
//! the same key without the offending member.

use crate::alg::Alg;
use crate::case::{Case, CaseBuilder, Severity};
use crate::catalogue::common::valid_claims;
use crate::context::Context;
use crate::forge::rsa_raw::{digest_info, emsa_pkcs1_v15, emsa_pss_encode, Hash};
use crate::forge::{self, keys};
use crate::jwk::{Jwk, JwkSet};
use crate::policy::Policy;
use crate::verdict::RejectKind;

const HMAC_SIZE_REQ: &str =
    "RFC 7518 3.2: \"A key of the same size as the hash output (for instance, 256 bits for \
        \"HS256\") or larger MUST be used with this algorithm.\"";
const RSA_SIZE_REQ: &str =
    "RFC 7518 3.3 and 3.5: \"A key of size 2048 bits or larger MUST be used with these \
        algorithms.\"";
const ENTROPY_REQ: &str = "RFC 7518 binds the deployment that chose the key, and the token is \
    genuinely signed with it; no sentence asks a verifier to refuse the keys it is configured \
    with, and RFC 8725 3.5 asks for the entropy advice of RFC 7515 10.1 (\"A minimum of 128 bits \
    of entropy should be used for all keys\"). Refusing a key below RFC 7518's size is hardening \
    (strict): the control is the same token shape under a policy trusting a strong key of the \
    same type";
const OPTIONAL_REQ: &str = "Honouring it is hardening (strict): RFC 7517 makes the member \
    \"OPTIONAL, unless the application requires its presence\", and a verifier may ignore it; the \
    control is the same token under the same key without the member";

/// The key-strength cases.
pub fn cases(ctx: &Context) -> Vec<Case> {
    let empty = Jwk {
        kty: "oct".to_string(),
        kid: Some("empty".to_string()),
        k: Some(String::new()),
        ..Jwk::default()
    };
    let mut out = vec![weak(
        ctx,
        "hmac-empty-key",
        "An HMAC key of zero bytes is refused",
        Alg::HS256,
        empty,
        "RFC7518#section-3.2",
    )
    .severity(Severity::Critical)
    .refs(["RFC7518#section-3.2", "RFC8725#section-3.5"])
    .sends(
        "an HS256 token MACed with the empty key, which the policy trusts as \
            {\"kty\":\"oct\",\"k\":\"\"}",
    )
    .requirement(format!(
        "{HMAC_SIZE_REQ} With an empty key anyone can compute the MAC. {ENTROPY_REQ}."
    ))
    .build()];
    for alg in [Alg::HS256, Alg::HS384, Alg::HS512] {
        let bits = match alg {
            Alg::HS256 => 256,
            Alg::HS384 => 384,
            _ => 512,
        };
        out.push(
            weak(
                ctx,
                &format!("hmac-short-key-{}", alg.slug()),
                &format!("A 128-bit HMAC key is refused for {alg}"),
                alg,
                keys::private("oct-short").clone(),
                "RFC7518#section-3.2",
            )
            .severity(Severity::Medium)
            .refs(["RFC7518#section-3.2", "RFC8725#section-3.5"])
            .sends(format!(
                "a token MACed with {alg} under oct-short, a 16-byte key, which the policy trusts"
            ))
            .requirement(format!(
                "{HMAC_SIZE_REQ} {alg} needs at least {bits} bits. {ENTROPY_REQ}."
            ))
            .build(),
        );
    }
    for alg in [Alg::RS256, Alg::PS256] {
        out.push(
            weak(
                ctx,
                &format!("rsa-1024-{}", alg.slug()),
                &format!("A 1024-bit RSA key is refused for {alg}"),
                alg,
                keys::private("rsa-1024").clone(),
                "RFC7518#section-3.3",
            )
            .severity(Severity::High)
            .refs([
                "RFC7518#section-3.3",
                "RFC7518#section-3.5",
                "RFC8725#section-3.5",
            ])
            .sends(format!(
                "a token signed with {alg} by rsa-1024, which the policy trusts"
            ))
            .requirement(format!("{RSA_SIZE_REQ} {ENTROPY_REQ}."))
            .build(),
        );
    }
    let rsa = || keys::private("rsa-2048-a").clone();
    let for_encryption = Jwk {
        use_: Some("enc".to_string()),
        ..rsa()
    };
    let encrypt_only = Jwk {
        key_ops: Some(vec!["encrypt".to_string(), "wrapKey".to_string()]),
        ..rsa()
    };
    let sign_only = Jwk {
        key_ops: Some(vec!["sign".to_string()]),
        ..keys::private("oct-a").clone()
    };
    for (name, title, alg, key, basis, sends, requirement) in [
        (
            "use-enc",
            "A key whose use is enc does not verify signatures",
            Alg::RS256,
            for_encryption,
            "RFC7517#section-4.2",
            "an RS256 token signed by rsa-2048-a, which the policy lists with \"use\": \"enc\"",
            "RFC 7517 4.2: \"use\" identifies \"the intended use of the public key\": \"sig\" \
                (signature) or \"enc\" (encryption); a key for encryption is not a key for \
                signatures.",
        ),
        (
            "key-ops-without-verify",
            "A key whose key_ops lack verify does not verify signatures",
            Alg::RS256,
            encrypt_only,
            "RFC7517#section-4.3",
            "an RS256 token signed by rsa-2048-a, which the policy lists with key_ops [\"encrypt\", \
                \"wrapKey\"]",
            "RFC 7517 4.3: \"key_ops\" identifies \"the operation(s) for which the key is intended \
                to be used\"; verifying a signature or MAC is \"verify\", which is not listed.",
        ),
        (
            "hmac-key-ops-sign-only",
            "An HMAC key whose key_ops lack verify does not verify MACs",
            Alg::HS256,
            sign_only,
            "RFC7517#section-4.3",
            "an HS256 token MACed with oct-a, which the policy lists with key_ops [\"sign\"]",
            "RFC 7517 4.3: \"verify\" means \"verify digital signature or MAC\"; a key listed only \
                for \"sign\" may compute MACs but not accept them.",
        ),
    ] {
        out.push(
            declared(ctx, name, title, alg, key)
                .severity(Severity::Medium)
                .refs([basis, "RFC8725#section-3.1"])
                .strict(basis)
                .sends(sends)
                .requirement(format!("{requirement} {OPTIONAL_REQ}."))
                .build(),
        );
    }
    out.extend(rsa_exponents(ctx));
    out
}

/// RFC 7517 5's SHOULD, quoted for the exponent cases.
const IGNORE_OUT_OF_RANGE: &str = "RFC 7517 5: \"Implementations SHOULD ignore JWKs within a JWK \
    Set that use \"kty\" (key type) values that are not understood by them, that are missing \
    required members, or for which values are out of the supported ranges.\"";

/// A trusted RSA key with e = 1 (refused, `strict`) and with e = 3 (a valid key, accepted,
/// `strict` too: an implementation may support only larger exponents), for RS256 and PS256.
fn rsa_exponents(ctx: &Context) -> Vec<Case> {
    let claims = valid_claims(ctx);
    let strong = keys::private(keys::default_key_name(Alg::RS256));
    let e1 = Jwk {
        e: Some(crate::b64::encode([1u8])),
        kid: Some("rsa-e1".to_string()),
        ..strong.to_public()
    };
    let e3 = keys::private("rsa-2048-e3");
    let mut out = Vec::new();
    for (alg, hash) in [(Alg::RS256, Hash::Sha256), (Alg::PS256, Hash::Sha256)] {
        let header = forge::header_for(alg, &e1);
        let input =
            forge::signing_input(header.to_string().as_bytes(), claims.to_string().as_bytes());
        let n_bits = e1.rsa_modulus().expect("RSA fixture").len() * 8;
        // With e = 1, RSAVP1 returns the signature itself: the encoded message is the
        // signature, and anyone can write it.
        let em = match alg {
            Alg::RS256 => emsa_pkcs1_v15(n_bits / 8, &digest_info(hash, input.as_bytes())),
            _ => emsa_pss_encode(
                hash,
                hash,
                &hash.digest(input.as_bytes()),
                n_bits,
                input.as_bytes(),
            ),
        };
        out.push(
            Case::builder(
                format!("key-strength/rsa-e1-{}", alg.slug()),
                format!("An RSA key with e = 1 is refused for {alg}"),
            )
            .policy(trusting(ctx, alg, &e1))
            .expect_reject(RejectKind::Key)
            .needs_algorithms(&[alg])
                .severity(Severity::Critical)
                .refs(["RFC8017#section-3.1", "RFC7518#section-6.3.1.2", "RFC7517#section-5"])
                .strict("RFC7517#section-5")
                .sends(format!(
                    "an {alg} token whose signature is its own encoded message ({}), made \
                     without any private key; the policy trusts kid rsa-e1, the modulus of \
                     rsa-2048-a with e = 1 (\"AQ\")",
                    if alg == Alg::RS256 { "00 01 FF…FF 00 || DigestInfo" } else { "an EMSA-PSS encoding" }
                ))
                .requirement(format!(
                    "RFC 8017 3.1: \"In a valid RSA public key, the RSA modulus n is a product of u \
                     distinct odd primes r_i, i = 1, 2, ..., u, where u >= 2, and the RSA public \
                     exponent e is an integer between 3 and n - 1 satisfying GCD(e, \\lambda(n)) = 1\"; \
                     with e = 1, s^e mod n = s and every token carries a valid signature. \
                     {IGNORE_OUT_OF_RANGE} A SHOULD: refusing the key is hardening (strict); the \
                     control is the same token shape under the real rsa-2048-a"
                ))
                .token(forge::assemble(header.to_string().as_bytes(), claims.to_string().as_bytes(), &em))
                .control_under(trusting(ctx, alg, strong), signed_by(ctx, "rsa-e1", alg, strong))
                .build(),
        );
        let section = if alg == Alg::RS256 {
            "RFC7518#section-3.3"
        } else {
            "RFC7518#section-3.5"
        };
        out.push(
            Case::builder(
                format!("key-strength/rsa-e3-{}", alg.slug()),
                format!("A 2048-bit RSA key with e = 3 verifies {alg}"),
            )
            .severity(Severity::Low)
            .refs([
                section,
                "RFC8017#section-3.1",
                "RFC7515#section-5.2",
                "RFC7517#section-5",
            ])
            .strict("RFC7517#section-5")
            .sends(format!(
                "an {alg} token signed by rsa-2048-e3, a 2048-bit RSA key with e = 3, which the \
                 policy trusts"
            ))
            .requirement(format!(
                "RFC 7518: \"A key of size 2048 bits or larger MUST be used with these \
                 algorithms\", and nothing more of the key; RFC 8017 3.1 allows any odd e \
                 \"between 3 and n - 1\". The signature validates, so every step of RFC 7515 5.2 \
                 and RFC 7519 7.2 succeeds and the JWT is valid. But {IGNORE_OUT_OF_RANGE} The \
                 ranges are the implementation's to support, and an implementation that supports \
                 only larger exponents may ignore the key: accepting is the convention here \
                 (strict)"
            ))
            .token(signed_by(ctx, "rsa-e3", alg, e3))
            .policy(trusting(ctx, alg, e3))
            .expect_accept(&claims)
            .needs_algorithms(&[alg])
            .build(),
        );
    }
    out
}

/// A valid `alg` token with the usual claims, signed by `key` (with its `kid`).
fn signed_by(ctx: &Context, name: &str, alg: Alg, key: &Jwk) -> String {
    let header = forge::header_for(alg, key);
    forge::sign_json(&header, &valid_claims(ctx), alg, key)
        .unwrap_or_else(|e| panic!("{name}: the key cannot sign {alg}: {e}"))
}

/// The policy trusting only `key`'s public part for `alg`.
fn trusting(ctx: &Context, alg: Alg, key: &Jwk) -> Policy {
    Policy::new(
        JwkSet::new(vec![key.to_public()]),
        vec![alg],
        ctx.policy_now(),
    )
}

/// A case whose policy trusts only `key` (its public part) for `alg`, and whose token
/// is a valid `alg` token signed by `key`: everything is right except the key.
#[track_caller]
fn case(ctx: &Context, name: &str, title: &str, alg: Alg, key: &Jwk) -> CaseBuilder {
    Case::builder(format!("key-strength/{name}"), title)
        .token(signed_by(ctx, name, alg, key))
        .policy(trusting(ctx, alg, key))
        .expect_reject(RejectKind::Key)
        .needs_algorithms(&[alg])
}

/// A key too weak for `alg` (`strict`, on the section of RFC 7518 that sizes it): the
/// control is the same algorithm and claims, signed by the default fixture key of the
/// same type under a policy trusting it.
#[track_caller]
fn weak(
    ctx: &Context,
    name: &str,
    title: &str,
    alg: Alg,
    key: Jwk,
    basis: &'static str,
) -> CaseBuilder {
    let strong = keys::private(keys::default_key_name(alg));
    case(ctx, name, title, alg, &key)
        .strict(basis)
        .control_under(
            trusting(ctx, alg, strong),
            signed_by(ctx, name, alg, strong),
        )
}

/// A key whose `use` or `key_ops` excludes verifying (`strict`): the control is the
/// same token under the same key without those members.
#[track_caller]
fn declared(ctx: &Context, name: &str, title: &str, alg: Alg, key: Jwk) -> CaseBuilder {
    let plain = Jwk {
        use_: None,
        key_ops: None,
        ..key.clone()
    };
    let token = signed_by(ctx, name, alg, &key);
    case(ctx, name, title, alg, &key).control_under(trusting(ctx, alg, &plain), token)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::common::testing::*;

    /// The cases other than the RSA exponent ones, which have tests of their own.
    fn others(all: Vec<Case>) -> Vec<Case> {
        all.into_iter()
            .filter(|c| !c.id.starts_with("key-strength/rsa-e"))
            .collect()
    }

    #[test]
    fn an_e1_signature_is_its_own_encoded_message_and_e3_tokens_verify() {
        use crate::forge::rsa_raw::RawRsa;
        let all = cases(&Context::listing());
        for alg in [Alg::RS256, Alg::PS256] {
            let e1 = case_by_id(&all, &format!("key-strength/rsa-e1-{}", alg.slug()));
            let key = &e1.policy.keys.keys[0];
            assert_eq!(key.e.as_deref(), Some("AQ"));
            let raw = RawRsa::from_jwk(key).unwrap();
            let sig = segment(&e1.token, 2);
            assert_eq!(raw.open(&sig), sig, "{alg}: s^1 mod n = s");
            let strong = keys::public("rsa-2048-a");
            let (input, _) = e1.token.rsplit_once('.').unwrap();
            let em_ok = match alg {
                Alg::RS256 => {
                    sig == crate::forge::rsa_raw::emsa_pkcs1_v15(
                        256,
                        &crate::forge::rsa_raw::digest_info(
                            crate::forge::rsa_raw::Hash::Sha256,
                            input.as_bytes(),
                        ),
                    )
                }
                _ => sig.last() == Some(&0xbc),
            };
            assert!(em_ok, "{alg}");
            assert!(!verifies(alg, &strong, &e1.token), "{alg}");
            let control = e1.control.as_ref().unwrap();
            assert!(verifies(alg, &control.policy.keys.keys[0], &control.token));

            let e3 = case_by_id(&all, &format!("key-strength/rsa-e3-{}", alg.slug()));
            let key = &e3.policy.keys.keys[0];
            assert_eq!(key.e.as_deref(), Some("Aw"));
            assert!(verifies(alg, key, &e3.token), "{alg}");
        }
    }

    #[test]
    fn each_token_verifies_under_the_one_key_its_policy_trusts() {
        for case in others(cases(&Context::listing())) {
            let alg = case.needs.algorithms[0];
            let key = &case.policy.keys.keys[0];
            assert!(verifies(alg, key, &case.token), "{}", case.id);
            assert!(
                key.d.is_none() || key.kty == "oct",
                "{}: only public parts",
                case.id
            );
        }
        let key_of =
            |id: &str| case_by_id(&cases(&Context::listing()), id).policy.keys.keys[0].clone();
        assert_eq!(
            key_of("key-strength/hmac-empty-key").hmac_secret().unwrap(),
            Vec::<u8>::new()
        );
        assert_eq!(
            key_of("key-strength/hmac-short-key-hs512")
                .hmac_secret()
                .unwrap()
                .len(),
            16
        );
        assert_eq!(
            key_of("key-strength/rsa-1024-ps256")
                .rsa_modulus()
                .unwrap()
                .len(),
            128
        );
        assert_eq!(key_of("key-strength/use-enc").use_.as_deref(), Some("enc"));
    }

    #[test]
    fn each_control_is_the_same_shape_under_a_strong_or_plain_key() {
        for case in others(cases(&Context::listing())) {
            let alg = case.needs.algorithms[0];
            let control = case.control.as_ref().expect("every case has a control");
            let key = &control.policy.keys.keys[0];
            assert_eq!(control.policy.algorithms, vec![alg], "{}", case.id);
            assert!(verifies(alg, key, &control.token), "{}", case.id);
            assert_eq!(
                segment(&control.token, 1),
                segment(&case.token, 1),
                "{}",
                case.id
            );
            assert!(
                crate::rules::keys::intended_use(key).is_ok()
                    && crate::rules::keys::permitted_operation(key).is_ok(),
                "{}: the control key may verify",
                case.id
            );
            match alg {
                Alg::RS256 | Alg::PS256 => {
                    assert_eq!(key.rsa_modulus().unwrap().len(), 256, "{}", case.id)
                }
                _ => assert!(
                    key.hmac_secret().unwrap().len() >= crate::rules::keys::hmac_key_min(alg),
                    "{}",
                    case.id
                ),
            }
            // use and key_ops cases send the very token under a plain key; weak-key cases
            // the same shape under a strong one.
            if case.id.contains("use") || case.id.contains("key-ops") {
                assert_eq!(control.token, case.token, "{}: same token", case.id);
            } else {
                assert_ne!(control.token, case.token, "{}", case.id);
            }
        }
    }
}

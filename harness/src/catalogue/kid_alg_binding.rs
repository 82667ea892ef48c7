//! `kid-alg-binding/*`: a token whose `alg` is allowed by the policy but is not the
//! algorithm of the key it names: a `kid` of another key type, a JWK whose `alg` member
//! binds it to a sibling algorithm, an EC key of the other curve, and, in a keyring that
//! mixes HMAC and public keys, an HMAC token naming the public key (CVE-2022-23541);
//! an RSA or EC JWK that declares `"alg": "HS256"`, and an HMAC token naming a public
//! key without `alg`, MACed with the zero-length key a confused library hands to HMAC
//! (CVE-2026-44699).
//!
//! RFC 8725 3.1: "each key MUST be used with exactly one algorithm, and this MUST be
//! checked when the cryptographic operation is performed." The key a token names must
//! fit its `alg` (type, curve, and the JWK's own `alg` when it has one; a JWK without
//! `alg` fits every algorithm of its type). Each token is otherwise valid, so each case
//! expects a `key` rejection. Where the token was made by a trusted key for a different
//! algorithm, acceptance is a binding failure (medium); where anyone could make it from
//! public key bytes, it is a forgery (critical).
//!
//! Levels: a signature that no trusted key makes under the token's `alg` (an ES384
//! label on a P-256 signature, an HS256 MAC keyed with a public key) does not verify:
//! `rfc` (RFC 7515 section 5.2). A JWK whose `alg` member names another algorithm the
//! policy allows is bound only by RFC 8725 section 3.1: `bcp`. A `kid` naming a key of
//! another type, while the trusted key of the right type verifies the token, breaks
//! only a hint ("The "kid" (key ID) Header Parameter is a hint indicating which key was
//! used to secure the JWS", RFC 7515 section 4.1.4): refusing it is `strict`.

use crate::alg::Alg;
use crate::case::{Case, CaseBuilder, Severity};
use crate::catalogue::common::valid_claims;
use crate::context::Context;
use crate::forge::draft::{header_with_alg, Draft};
use crate::forge::ecdsa_sig::sign_with_hash;
use crate::forge::key_encodings::{encode, KeyEncoding};
use crate::forge::rsa_raw::Hash;
use crate::forge::{self, hmac, keys};
use crate::jwk::{Jwk, JwkSet};
use crate::policy::Policy;
use crate::verdict::RejectKind;
use serde_json::{json, Value};

const REFS: [&str; 2] = ["RFC8725#section-3.1", "CVE-2022-23541"];

const ONE_ALGORITHM: &str = "RFC 8725 3.1: \"each key MUST be used with exactly one \
     algorithm, and this MUST be checked when the cryptographic operation is performed\"";
const NO_KEY_FOR_ALG: &str = "RFC 7515 4.1.1: \"The JWS Signature value is not valid if the \
     \"alg\" value does not represent a supported algorithm or if there is not a key for use \
     with that algorithm associated with the party that digitally signed or MACed the \
     content.\"";
const KID_HINT: &str = "RFC 7515 4.1.4: \"The \"kid\" (key ID) Header Parameter is a hint \
     indicating which key was used to secure the JWS.\"";
const ALG_REPRESENTED: &str = "RFC 7515 5.2 step 8: validate the signature \"in the manner \
     defined for the algorithm being used, which MUST be accurately represented by the value of \
     the \"alg\" (algorithm) Header Parameter\", and \"If any of the listed steps fails, then \
     the signature or MAC cannot be validated\"";

/// The fixture's public JWK, with an `alg` member when given.
fn jwk(name: &str, alg: Option<Alg>) -> Jwk {
    let mut jwk = keys::public(name);
    jwk.alg = alg.map(|a| a.as_str().to_string());
    jwk
}

/// A case trusting `keyring` for `algs`, expecting a `key` rejection.
#[track_caller]
fn case(
    ctx: &Context,
    name: &str,
    title: &str,
    severity: Severity,
    algs: &[Alg],
    keyring: Vec<Jwk>,
) -> CaseBuilder {
    Case::builder(format!("kid-alg-binding/{name}"), title)
        .severity(severity)
        .refs(REFS)
        .policy(Policy::new(
            JwkSet::new(keyring),
            algs.to_vec(),
            ctx.policy_now(),
        ))
        .expect_reject(RejectKind::Key)
        .needs_algorithms(algs)
}

/// A token labelled `alg` naming `kid`, carrying `signature(signing input)`.
fn token(alg: &str, kid: &str, claims: &Value, signature: impl Fn(&[u8]) -> Vec<u8>) -> String {
    let draft = Draft::json(&header_with_alg(Some(json!(alg)), kid), claims);
    draft.with_signature(&signature(draft.input().as_bytes()))
}

/// A token labelled `alg` naming `kid`, signed with `alg` by the fixture `signer`.
fn signed(alg: Alg, kid: &str, signer: &str, claims: &Value) -> String {
    token(alg.as_str(), kid, claims, |input| {
        forge::sign(alg, keys::private(signer), input).expect("fixture signs")
    })
}

/// The `kid-alg-binding` cases.
pub fn cases(ctx: &Context) -> Vec<Case> {
    let claims = valid_claims(ctx);
    let mut out = Vec::new();

    // A kid naming a key of another type, with a token the named type cannot verify.
    for (alg, signer, kid, kid_type, kid_slug) in [
        (Alg::ES256, "ec-p256-a", "rsa-2048-a", "RSA", "rsa"),
        (Alg::RS256, "rsa-2048-a", "ec-p256-a", "EC P-256", "ec"),
    ] {
        out.push(
            case(
                ctx,
                &format!("{}-token-with-{kid_slug}-kid", alg.slug()),
                &format!("an {alg} token naming the kid of the trusted {kid_type} key is rejected"),
                Severity::Medium,
                &[Alg::RS256, Alg::ES256],
                vec![jwk("rsa-2048-a", None), jwk("ec-p256-a", None)],
            )
            .sends(format!(
                "an {alg} token signed by the trusted {signer}, but whose header names kid {kid}, \
                 the trusted {kid_type} key; the policy trusts both keys for RS256 and ES256"
            ))
            .strict("RFC7515#section-4.1.4")
            .requirement(format!(
                "{KID_HINT} {ONE_ALGORITHM}: the {kid_type} key {kid} cannot be used for {alg}. \
                 The trusted {signer} verifies the token, so only the hint is wrong: refusing a \
                 kid that names a key unfit for the alg is hardening (strict), and a verifier \
                 that then tries its other trusted keys accepts the signed claims"
            ))
            .token(signed(alg, kid, signer, &claims))
            .control(signed(alg, signer, signer, &claims))
            .build(),
        );
    }

    // The same with an HMAC secret named: a verifier that hands the secret to the ECDSA
    // code may crash before any check (found by the robustness property in biscuit).
    out.push(
        case(
            ctx,
            "es256-token-with-hmac-kid",
            "an ES256 token naming the kid of the trusted HMAC key is rejected",
            Severity::Medium,
            &[Alg::HS256, Alg::ES256],
            vec![jwk("oct-a", None), jwk("ec-p256-a", None)],
        )
        .sends(
            "an ES256 token signed by the trusted ec-p256-a, but whose header names kid oct-a, \
             the trusted HMAC secret; the policy trusts both keys for HS256 and ES256",
        )
        .strict("RFC7515#section-4.1.4")
        .requirement(format!(
            "{KID_HINT} {ONE_ALGORITHM}: the HMAC secret oct-a cannot be used for ES256. The \
             trusted ec-p256-a verifies the token, so only the hint is wrong: refusing it is \
             hardening (strict); handing the secret to the ECDSA code is a crash, and a crash \
             on attacker input is a failure at any level"
        ))
        .token(signed(Alg::ES256, "oct-a", "ec-p256-a", &claims))
        .control(signed(Alg::ES256, "ec-p256-a", "ec-p256-a", &claims))
        .build(),
    );

    // A JWK whose `alg` member binds it to one algorithm, used for a sibling.
    for (bound, used, key) in [
        (Alg::RS256, Alg::PS256, "rsa-2048-a"),
        (Alg::PS256, Alg::RS256, "rsa-2048-a"),
        (Alg::HS512, Alg::HS256, "oct-a"),
    ] {
        out.push(
            case(
                ctx,
                &format!("{}-token-for-{}-jwk", used.slug(), bound.slug()),
                &format!("{used} token for a JWK bound to {bound} is rejected"),
                Severity::Medium,
                &[bound, used],
                vec![jwk(key, Some(bound))],
            )
            .sends(format!(
                "a token correctly signed with {used} by {key}, whose JWK in the policy carries \
                 \"alg\":\"{}\"; the policy allows both {bound} and {used}",
                bound.as_str()
            ))
            .bcp("RFC8725#section-3.1")
            .requirement(format!(
                "{ONE_ALGORITHM}; RFC 7517 4.4: the JWK alg member \"identifies the algorithm \
                 intended for use with the key\". The signature is a genuine {used} signature by \
                 the trusted key and the policy allows {used}: only RFC 8725 binds the key to \
                 {bound}, so this is bcp"
            ))
            .token(signed(used, key, key, &claims))
            .control(signed(bound, key, key, &claims))
            .build(),
        );
    }

    // An ECDSA key of one curve used with the other curve's algorithm (and hash).
    for (label, key, hash, own) in [
        (Alg::ES384, "ec-p256-a", Hash::Sha384, Alg::ES256),
        (Alg::ES256, "ec-p384-a", Hash::Sha256, Alg::ES384),
    ] {
        let curve = keys::public(key).crv.unwrap_or_default();
        out.push(
            case(
                ctx,
                &format!(
                    "{}-token-for-{}-key",
                    label.slug(),
                    curve.replace('-', "").to_lowercase()
                ),
                &format!("an {label} token signed with the trusted {curve} key is rejected"),
                Severity::Medium,
                &[Alg::ES256, Alg::ES384],
                vec![jwk(key, None)],
            )
            .sends(format!(
                "header alg {label}, kid {key}; the signature is a valid ECDSA signature by the \
                 trusted {curve} key over the {label} hash of the signing input; the policy \
                 allows ES256 and ES384"
            ))
            .rfc("RFC7515#section-5.2")
            .refs([
                "RFC7515#section-5.2",
                "RFC7518#section-3.4",
                "RFC8725#section-3.1",
                "CVE-2022-23541",
            ])
            .requirement(format!(
                "{ALG_REPRESENTED}. RFC 7518 3.4: {label} is \"ECDSA using {} and SHA-{}\", and \
                 the only trusted key is on {curve}: no trusted key makes an {label} signature, so \
                 the signature does not validate (rfc). {ONE_ALGORITHM}",
                if label == Alg::ES256 {
                    "P-256"
                } else {
                    "P-384"
                },
                &label.as_str()[2..],
            ))
            .token(token(label.as_str(), key, &claims, |input| {
                sign_with_hash(key, hash, input)
            }))
            .control(signed(own, key, key, &claims))
            .build(),
        );
    }

    // A keyring mixing an HMAC key with a public key, neither with an `alg`: an HMAC
    // token naming the public key and MACed with its PEM.
    for (public_key, public_alg, slug) in [
        ("rsa-2048-a", Alg::RS256, "rsa"),
        ("ec-p256-a", Alg::ES256, "ec"),
    ] {
        let pem = encode(public_key, KeyEncoding::PemSpki).expect("fixture PEM");
        out.push(
            case(
                ctx,
                &format!("hs256-with-{slug}-kid-in-mixed-keyring"),
                &format!(
                    "HS256 naming the {public_alg} key of a mixed keyring, MACed with its PEM, is \
                     rejected"
                ),
                Severity::Critical,
                &[Alg::HS256, public_alg],
                vec![jwk("oct-a", None), jwk(public_key, None)],
            )
            .sends(format!(
                "an HS256 token naming kid {public_key}, MACed with that public key's PEM; the \
                 policy trusts oct-a and {public_key}, neither JWK has alg, and allows HS256 and \
                 {public_alg}"
            ))
            .rfc("RFC7515#section-5.2")
            .refs([
                "RFC7515#section-5.2",
                "RFC7518#section-3.2",
                "RFC8725#section-3.1",
                "CVE-2022-23541",
            ])
            .requirement(format!(
                "{ALG_REPRESENTED}. HS256 is a MAC with a shared secret (RFC 7518 3.2); the only \
                 trusted secret is oct-a, which does not make this MAC, and the public key \
                 {public_key} is no secret: anyone can compute this token, so it does not \
                 validate (rfc). {ONE_ALGORITHM}; a JWK without alg may serve any algorithm of \
                 its own type only"
            ))
            .token(token("HS256", public_key, &claims, |input| {
                hmac(Alg::HS256, &pem, input)
            }))
            .control(signed(Alg::HS256, "oct-a", "oct-a", &claims))
            .build(),
        );
    }
    out.extend(public_keys_as_hmac_keys(ctx, &claims));
    out
}

/// HMAC tokens naming a trusted public key: one that declares `"alg": "HS256"`, MACed
/// with bytes of that key, and ones without `alg`, MACed with the empty key.
fn public_keys_as_hmac_keys(ctx: &Context, claims: &Value) -> Vec<Case> {
    let mut out = Vec::new();
    let declared = |name: &str| jwk(name, Some(Alg::HS256));
    let rsa = keys::public("rsa-2048-a");
    let n_text = rsa.n.clone().expect("RSA fixture has n").into_bytes();
    for (key, key_type, secret_slug, secret_what, secret) in [
        (
            "rsa-2048-a",
            "RSA",
            "pem",
            "its PEM SubjectPublicKeyInfo",
            encode("rsa-2048-a", KeyEncoding::PemSpki).expect("fixture PEM"),
        ),
        (
            "rsa-2048-a",
            "RSA",
            "modulus",
            "the raw octets of its modulus n",
            rsa.rsa_modulus().expect("RSA fixture"),
        ),
        (
            "rsa-2048-a",
            "RSA",
            "n-text",
            "the base64url text of its `n` member, as a JWK-to-secret shortcut reads `k`'s place",
            n_text,
        ),
        (
            "rsa-2048-a",
            "RSA",
            "empty-key",
            "the empty key: an RSA JWK has no `k`, which a reader of oct keys turns into nothing",
            Vec::new(),
        ),
        (
            "ec-p256-a",
            "EC",
            "pem",
            "its PEM SubjectPublicKeyInfo",
            encode("ec-p256-a", KeyEncoding::PemSpki).expect("fixture PEM"),
        ),
    ] {
        let slug = key_type.to_lowercase();
        out.push(
            case(
                ctx,
                &format!("hs256-{slug}-jwk-declaring-hs256-{secret_slug}"),
                &format!(
                    "HS256 naming an {key_type} JWK that declares alg HS256, MACed with \
                     {secret_slug}, is rejected"
                ),
                Severity::Critical,
                &[Alg::HS256],
                vec![jwk("oct-a", None), declared(key)],
            )
            .refs([
                "RFC7515#section-4.1.1",
                "RFC7517#section-4.4",
                "RFC7518#section-3.2",
                "RFC8725#section-3.1",
            ])
            .rfc("RFC7515#section-4.1.1")
            .sends(format!(
                "an HS256 token naming kid {key}, MACed with {secret_what}; the policy trusts \
                 oct-a and the {key_type} public key {key}, whose JWK carries \"alg\":\"HS256\", \
                 and allows HS256 only"
            ))
            .requirement(format!(
                "{NO_KEY_FOR_ALG} RFC 7517 4.4: the JWK alg \"identifies the algorithm intended \
                 for use with the key\", but an {key_type} key is no HMAC secret (RFC 7518 3.2 \
                 MACs with a shared key, kty oct): the declaration is wrong, not the key type, and \
                 the secret is public, so the token is a forgery anyone can make (rfc). \
                 {ONE_ALGORITHM}: the key type must fit the algorithm whatever alg the JWK claims"
            ))
            .token(token("HS256", key, claims, |input| {
                hmac(Alg::HS256, &secret, input)
            }))
            .control(signed(Alg::HS256, "oct-a", "oct-a", claims))
            .build(),
        );
    }
    for (hs, key, key_type) in [
        (Alg::HS256, "rsa-2048-a", "RSA"),
        (Alg::HS384, "rsa-2048-a", "RSA"),
        (Alg::HS512, "rsa-2048-a", "RSA"),
        (Alg::HS256, "ec-p256-a", "EC"),
    ] {
        let own = if key_type == "RSA" {
            Alg::RS256
        } else {
            Alg::ES256
        };
        out.push(
            case(
                ctx,
                &format!(
                    "{}-empty-key-{}-kid-no-alg",
                    hs.slug(),
                    key_type.to_lowercase()
                ),
                &format!(
                    "{hs} naming an {key_type} JWK without alg, MACed with the empty key, is \
                     rejected"
                ),
                Severity::Critical,
                &[hs, Alg::RS256, Alg::ES256],
                vec![jwk("rsa-2048-a", None), jwk("ec-p256-a", None)],
            )
            .refs([
                "RFC7515#section-4.1.1",
                "RFC7518#section-3.2",
                "RFC8725#section-3.1",
                "CVE-2026-44699",
            ])
            .rfc("RFC7515#section-4.1.1")
            .sends(format!(
                "an {hs} token naming kid {key}, MACed with the zero-length key; the policy \
                 trusts rsa-2048-a and ec-p256-a, neither JWK with alg, no HMAC key at all, and \
                 allows {hs}, RS256 and ES256 (the algorithm a kid lookup would take from the \
                 header)"
            ))
            .requirement(format!(
                "{NO_KEY_FOR_ALG} No trusted key is an HMAC secret, so there is no key for {hs} \
                 and the MAC is not valid (rfc); a library that hands an {key_type} JWK without \
                 `k` to HMAC computes it with the empty key, which anyone can. {ONE_ALGORITHM}; \
                 a JWK without alg may serve any algorithm of its own type only"
            ))
            .token(token(hs.as_str(), key, claims, |input| {
                hmac(hs, b"", input)
            }))
            .control(signed(own, key, key, claims))
            .build(),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forge::check::{assert_same_claims_as_control, header_of, listed, verifies_as};

    #[test]
    fn attack_tokens_fail_and_controls_pass_under_the_same_policy() {
        let all = listed(cases, 10 + 5 + 4);
        assert_same_claims_as_control(&all);
        for case in &all {
            let alg: Alg = header_of(&case.token)["alg"]
                .as_str()
                .unwrap()
                .parse()
                .unwrap();
            assert!(
                case.policy.algorithms.contains(&alg),
                "{}: alg allowed",
                case.id
            );
        }
    }

    #[test]
    fn public_key_macs_use_the_bytes_they_name() {
        let all = cases(&Context::listing());
        let mac_with = |id: &str, alg: Alg, secret: &[u8]| {
            let case = all.iter().find(|c| c.id == id).expect("case");
            let (input, sig) = case.token.rsplit_once('.').unwrap();
            hmac(alg, secret, input.as_bytes()) == crate::b64::decode(sig).unwrap()
        };
        let rsa = keys::public("rsa-2048-a");
        assert!(mac_with(
            "kid-alg-binding/hs256-rsa-jwk-declaring-hs256-n-text",
            Alg::HS256,
            rsa.n.as_deref().unwrap().as_bytes()
        ));
        assert!(mac_with(
            "kid-alg-binding/hs256-rsa-jwk-declaring-hs256-modulus",
            Alg::HS256,
            &rsa.rsa_modulus().unwrap()
        ));
        for (id, alg) in [
            (
                "kid-alg-binding/hs256-rsa-jwk-declaring-hs256-empty-key",
                Alg::HS256,
            ),
            ("kid-alg-binding/hs384-empty-key-rsa-kid-no-alg", Alg::HS384),
            ("kid-alg-binding/hs512-empty-key-rsa-kid-no-alg", Alg::HS512),
            ("kid-alg-binding/hs256-empty-key-ec-kid-no-alg", Alg::HS256),
        ] {
            assert!(mac_with(id, alg, b""), "{id}");
        }
        let declaring = all
            .iter()
            .find(|c| c.id == "kid-alg-binding/hs256-ec-jwk-declaring-hs256-pem")
            .unwrap();
        let ec = declaring.policy.keys.find("ec-p256-a").unwrap();
        assert_eq!((ec.kty.as_str(), ec.alg.as_deref()), ("EC", Some("HS256")));
    }

    #[test]
    fn each_token_was_made_by_a_trusted_key_or_from_public_bytes() {
        for case in cases(&Context::listing()) {
            let header = header_of(&case.token);
            let kid = header["kid"].as_str().unwrap();
            assert!(
                case.policy.keys.find(kid).is_some(),
                "{}: kid is trusted",
                case.id
            );
            if case.severity == Severity::Medium && case.id.contains("-jwk") {
                // Signed for real with the named key: only the JWK alg binding is broken.
                let used: Alg = header["alg"].as_str().unwrap().parse().unwrap();
                let mut unbound = case.policy.clone();
                unbound.keys.keys[0].alg = None;
                assert!(verifies_as(&case.token, used, &unbound), "{}", case.id);
            }
        }
    }
}

//! `eddsa/*`: Ed25519 signatures and keys that RFC 8032's verification equation lets
//! through or that are no Ed25519 keys at all (RFC 8037, RFC 8032 section 5.1.7).
//!
//! Signatures: R the identity point (a point of small order) satisfies the group
//! equation for `S = k·a`, so the trusted key can make such a signature although no
//! deterministic signer ever does; RFC 8032 does not exclude it, and refusing it (as
//! libsodium and ed25519-dalek's strict verification do) is hardening (`strict`). The
//! same R in a non-canonical encoding (y = p + 1) is no encoding at all: RFC 8032
//! section 5.1.3 "decoding fails", so the signature is invalid (`rfc`). S + L is in
//! `signature/eddsa-s-plus-group-order`.
//!
//! Keys: an X25519 key is for key agreement only and "MUST NOT be used for signing"
//! (RFC 8037 section 3.2); an Ed448 key selects Ed448 (section 3.1), under which a
//! 64-octet Ed25519 signature cannot verify: `rfc`. A key that is a point of small
//! order, or a JWK that is no valid OKP key (kty EC, no crv), is one RFC 7517 section 5
//! says implementations "SHOULD ignore": `strict`. Each key case carries a genuine
//! signature for the public key bytes the JWK holds, so a verifier that ignores `kty`
//! and `crv` accepts it; the control is the same token under the real Ed25519 JWK.

use crate::alg::Alg;
use crate::case::{Case, CaseBuilder, Severity};
use crate::catalogue::common::{policy_for, signed, valid_claims};
use crate::context::Context;
use crate::forge::draft::Draft;
use crate::forge::{eddsa, keys};
use crate::jwk::{Jwk, JwkSet};
use crate::policy::Policy;
use crate::verdict::RejectKind;

const ALG: Alg = Alg::EdDSA;

const VERIFY: &str = "RFC 8037 3.1.2: \"Verification is performed by applying the verification \
    algorithm defined in [RFC8032] to the public key (as public key), the JWS Signing Input (as \
    message), and the JWS Signature (as signature). All inputs are octet strings. If the \
    algorithm accepts, the signature is valid; otherwise, the signature is invalid.\"";
const GROUP_EQUATION: &str = "RFC 8032 5.1.7 step 3: \"Check the group equation [8][S]B = [8]R + \
    [8][k]A'. It's sufficient, but not required, to instead check [S]B = R + [k]A'.\"";
const IGNORE_OUT_OF_RANGE: &str = "RFC 7517 5: \"Implementations SHOULD ignore JWKs within a JWK \
    Set that use \"kty\" (key type) values that are not understood by them, that are missing \
    required members, or for which values are out of the supported ranges.\"";

/// The `eddsa` cases.
pub fn cases(ctx: &Context) -> Vec<Case> {
    let mut out = signatures(ctx);
    out.extend(keys_that_are_not_ed25519(ctx));
    out
}

/// A case on EdDSA, under the usual policy unless the case sets another.
#[track_caller]
fn case(ctx: &Context, name: &str, title: &str) -> CaseBuilder {
    Case::builder(format!("eddsa/{name}"), title)
        .policy(policy_for(ctx, ALG))
        .needs_algorithms(&[ALG])
}

/// Signatures whose R is the identity point, canonical or not.
fn signatures(ctx: &Context) -> Vec<Case> {
    let key = keys::default_key_name(ALG);
    let draft = Draft::usual(ALG, &valid_claims(ctx));
    let input = draft.input();
    let control = signed(ALG, &valid_claims(ctx));
    vec![
        case(
            ctx,
            "small-order-r",
            "EdDSA: a signature whose R is the identity point is rejected",
        )
        .severity(Severity::Low)
        .refs(["RFC8037#section-3.1.2", "RFC8032#section-5.1.7"])
        .strict("RFC8032#section-5.1.7")
        .sends(format!(
            "an EdDSA token whose signature, by the trusted {key}, has R = the identity point \
             (01 00…00, of order 1) and S = k·a mod L: it satisfies [S]B = R + [k]A, but no \
             RFC 8032 signer produces it"
        ))
        .requirement(format!(
            "{VERIFY} {GROUP_EQUATION} The equation holds, and RFC 8032 does not exclude an R of \
             small order, so a verifier following it accepts the signed claims; refusing small-order \
             points, as strict Ed25519 verifiers do to keep one signature per message, is hardening \
             (strict)"
        ))
        .token(draft.with_signature(&eddsa::sign_with_identity_r(
            key,
            eddsa::IDENTITY,
            input.as_bytes(),
        )))
        .expect_reject(RejectKind::Signature)
        .control(control.clone())
        .build(),
        case(
            ctx,
            "non-canonical-r",
            "EdDSA: a signature whose R is not canonically encoded is rejected",
        )
        .severity(Severity::Medium)
        .refs(["RFC8037#section-3.1.2", "RFC8032#section-5.1.3", "RFC8032#section-5.1.7"])
        .rfc("RFC8037#section-3.1.2")
        .sends(format!(
            "an EdDSA token whose signature, by the trusted {key}, has R = the identity point \
             written with y = p + 1 (EE FF…FF 7F) and S = k·a mod L, k hashed over R as written"
        ))
        .requirement(format!(
            "{VERIFY} RFC 8032 5.1.7 step 1: \"Decode the first half as a point R, and the second \
             half as an integer S, in the range 0 <= s < L. ... If any of the decodings fail \
             (including S being out of range), the signature is invalid.\" RFC 8032 5.1.3 step 1: \
             \"If the resulting value is >= p, decoding fails.\" y = p + 1 is no encoding, so the \
             algorithm does not accept and the JWT MUST be rejected (RFC 7519 7.2): `rfc`. A \
             decoder that reduces y reads the identity and the equation holds"
        ))
        .token(draft.with_signature(&eddsa::sign_with_identity_r(
            key,
            eddsa::NON_CANONICAL_IDENTITY,
            input.as_bytes(),
        )))
        .expect_reject(RejectKind::Signature)
        .control(control)
        .build(),
    ]
}

/// The trusted Ed25519 fixture's JWK with another `kty`, `crv` or `x`, under the kid
/// the token names.
fn variant(kty: &str, crv: Option<&str>, x: Option<String>) -> Jwk {
    let real = keys::public(keys::default_key_name(ALG));
    Jwk {
        kty: kty.to_string(),
        crv: crv.map(str::to_string),
        x: x.or(real.x.clone()),
        ..real
    }
}

/// A policy trusting only `jwk` for EdDSA.
fn trusting(ctx: &Context, jwk: Jwk) -> Policy {
    Policy::new(JwkSet::new(vec![jwk]), vec![ALG], ctx.policy_now())
}

fn keys_that_are_not_ed25519(ctx: &Context) -> Vec<Case> {
    let claims = valid_claims(ctx);
    let real_key = keys::default_key_name(ALG);
    // The usual token: signed by the fixture, naming its kid.
    let token = signed(ALG, &claims);
    let real_policy = policy_for(ctx, ALG);
    let mut out = Vec::new();
    for (name, title, jwk, level, sends, requirement) in [
        (
            "x25519-key",
            "An OKP key with crv X25519 does not verify EdDSA",
            variant("OKP", Some("X25519"), None),
            ("rfc", "RFC8037#section-3.2"),
            "crv \"X25519\"",
            "RFC 8037 3.2, of X25519 and X448: \"The key type used with these keys is \"OKP\". \
             These subtypes MUST NOT be used for signing.\" A key-agreement key is no \
             verification key, whatever its bytes (rfc); a verifier that reads x as an Ed25519 \
             key because kty is OKP accepts a signature the policy never vouched for"
                .to_string(),
        ),
        (
            "ed448-key-holding-ed25519-bytes",
            "An OKP key with crv Ed448 does not verify an Ed25519 signature",
            variant("OKP", Some("Ed448"), None),
            ("rfc", "RFC8037#section-3.1"),
            "crv \"Ed448\"",
            format!(
                "RFC 8037 3.1: \"The EdDSA variant used is determined by the subtype of the key \
                 (Ed25519 for \"Ed25519\" and Ed448 for \"Ed448\").\" The variant is Ed448, whose \
                 signatures are 114 octets and whose keys 57 (RFC 8032 5.2): {VERIFY} Ed448 does \
                 not accept this 64-octet signature, and a verifier without Ed448 has no key for \
                 it, so the JWT MUST be rejected (rfc). Only a verifier that ignores crv runs \
                 Ed25519"
            ),
        ),
        (
            "ec-kty-with-ed25519-crv",
            "A JWK with kty EC and crv Ed25519 is no Ed25519 key",
            variant("EC", Some("Ed25519"), None),
            ("strict", "RFC7517#section-5"),
            "kty \"EC\" (no y) with crv \"Ed25519\"",
            format!(
                "RFC 8037 2: \"The parameter \"kty\" MUST be \"OKP\".\" The JWK is neither an OKP \
                 key nor an EC key (RFC 7518 6.2.1 wants x and y on a NIST curve), and its writer \
                 broke the MUST. {IGNORE_OUT_OF_RANGE} A SHOULD: ignoring the key is hardening \
                 (strict); a verifier keyed on crv alone accepts the signed claims"
            ),
        ),
        (
            "okp-key-without-crv",
            "An OKP key without crv is no Ed25519 key",
            variant("OKP", None, None),
            ("strict", "RFC7517#section-5"),
            "kty \"OKP\" and no crv",
            format!(
                "RFC 8037 2: \"The parameter \"crv\" MUST be present and contain the subtype of \
                 the key (from the \"JSON Web Elliptic Curve\" registry).\" Without it the key \
                 has no variant (3.1: \"determined by the subtype of the key\"). \
                 {IGNORE_OUT_OF_RANGE} Ignoring the key is hardening (strict); a verifier that \
                 defaults to Ed25519 accepts the signed claims"
            ),
        ),
    ] {
        let builder = case(ctx, name, title).severity(Severity::Medium).refs([
            "RFC8037#section-2",
            "RFC8037#section-3.1",
            "RFC8037#section-3.2",
            "RFC7517#section-5",
        ]);
        let builder = match level {
            ("rfc", basis) => builder.rfc(basis),
            (_, basis) => builder.strict(basis),
        };
        out.push(
            builder
                .sends(format!(
                    "an EdDSA token signed by {real_key}; the policy trusts, under kid \
                     {real_key}, that key's public bytes as x in a JWK with {sends}"
                ))
                .requirement(requirement)
                .token(token.clone())
                .policy(trusting(ctx, jwk))
                .expect_reject(RejectKind::Key)
                .control_under(real_policy.clone(), token.clone())
                .build(),
        );
    }
    let identity = variant(
        "OKP",
        Some("Ed25519"),
        Some(crate::b64::encode(eddsa::IDENTITY)),
    );
    let draft = Draft::usual(ALG, &claims);
    out.push(
        case(
            ctx,
            "small-order-public-key",
            "An Ed25519 key that is the identity point verifies nothing",
        )
        .severity(Severity::Critical)
        .refs([
            "RFC8037#section-3.1.2",
            "RFC8032#section-5.1.7",
            "RFC7517#section-5",
        ])
        .strict("RFC7517#section-5")
        .sends(format!(
            "an EdDSA token whose signature is R = identity, S = 0, made without any private key; \
             the policy trusts, under kid {real_key}, an Ed25519 JWK whose x is the identity point \
             (AQAA…AA)"
        ))
        .requirement(format!(
            "{GROUP_EQUATION} With A the identity, [k]A is the identity for every k, so R = \
             identity and S = 0 satisfy it for every message: the key verifies anything anyone \
             sends. RFC 8032 does not exclude such a key. {IGNORE_OUT_OF_RANGE} A SHOULD: refusing \
             the key is hardening (strict), and so is refusing small-order points in \
             verification; the control is the same token shape under the real {real_key}"
        ))
        .token(draft.with_signature(&eddsa::forge_for_identity_key()))
        .policy(trusting(ctx, identity))
        .expect_reject(RejectKind::Key)
        .control_under(real_policy, token)
        .build(),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::common::testing::*;
    use crate::forge::check::{header_of, signature_of};

    #[test]
    fn signatures_satisfy_the_permissive_equation_and_fail_the_strict_one() {
        use ed25519_dalek::{Signature, Verifier, VerifyingKey};
        let all = cases(&Context::listing());
        let key =
            VerifyingKey::from_bytes(&keys::public("ed25519-a").ed25519_public_bytes().unwrap())
                .unwrap();
        let small = case_by_id(&all, "eddsa/small-order-r");
        let input = small.token.rsplit_once('.').unwrap().0;
        let sig = Signature::from_slice(&signature_of(&small.token)).unwrap();
        assert!(key.verify(input.as_bytes(), &sig).is_ok());
        assert!(key.verify_strict(input.as_bytes(), &sig).is_err());
        let odd = case_by_id(&all, "eddsa/non-canonical-r");
        assert_eq!(
            signature_of(&odd.token)[..32],
            eddsa::NON_CANONICAL_IDENTITY
        );
        for case in [small, odd] {
            assert_eq!(
                header_of(&case.token),
                header_of(case.control_token().unwrap())
            );
        }
    }

    #[test]
    fn key_cases_hold_the_real_public_bytes_or_the_identity() {
        let all = cases(&Context::listing());
        let real = keys::public("ed25519-a");
        for case in &all {
            let Some(control) = &case.control else {
                continue;
            };
            if control.policy == case.policy {
                continue;
            }
            let jwk = &case.policy.keys.keys[0];
            assert_eq!(jwk.kid, real.kid, "{}", case.id);
            if case.id.ends_with("small-order-public-key") {
                assert_eq!(jwk.x, Some(crate::b64::encode(eddsa::IDENTITY)));
            } else {
                assert_eq!(jwk.x, real.x, "{}", case.id);
                assert_eq!(case.token, control.token, "{}", case.id);
                assert_ne!(
                    (jwk.kty.as_str(), jwk.crv.as_deref()),
                    ("OKP", Some("Ed25519")),
                    "{}",
                    case.id
                );
            }
            assert!(verifies(ALG, &control.policy.keys.keys[0], &control.token));
        }
        assert_eq!(all.len(), 7);
    }
}

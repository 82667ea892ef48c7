//! `key-strength/*`: trusted keys that must not verify anything (RFC 7518 sections
//! 3.2, 3.3, 3.5; RFC 7517 sections 4.2, 4.3; RFC 8725 section 3.5).
//!
//! Here the policy itself is the attack: the verifier is configured with a key too
//! weak for the algorithm, or one declared for another use, and the token is genuinely
//! signed by that key. The verifier must refuse the key, when it is configured
//! (`prepare` refusing counts as a rejection) or when a token arrives. There is no
//! positive control: under these policies no token is valid, which is the point.

use crate::alg::Alg;
use crate::case::{Case, CaseBuilder, Severity};
use crate::catalogue::common::valid_claims;
use crate::context::Context;
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
    )
    .severity(Severity::Critical)
    .refs(["RFC7518#section-3.2", "RFC8725#section-3.5"])
    .sends(
        "an HS256 token MACed with the empty key, which the policy trusts as \
            {\"kty\":\"oct\",\"k\":\"\"}",
    )
    .requirement(format!(
        "{HMAC_SIZE_REQ} With an empty key anyone can compute the MAC."
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
            )
            .severity(Severity::Medium)
            .refs(["RFC7518#section-3.2", "RFC8725#section-3.5"])
            .sends(format!(
                "a token MACed with {alg} under oct-short, a 16-byte key, which the policy trusts"
            ))
            .requirement(format!("{HMAC_SIZE_REQ} {alg} needs at least {bits} bits."))
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
            .requirement(RSA_SIZE_REQ)
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
    for (name, title, alg, key, sends, requirement, refs) in [
        (
            "use-enc",
            "A key whose use is enc does not verify signatures",
            Alg::RS256,
            for_encryption,
            "an RS256 token signed by rsa-2048-a, which the policy lists with \"use\": \"enc\"",
            "RFC 7517 4.2: \"use\" identifies \"the intended use of the public key\": \"sig\" \
                (signature) or \"enc\" (encryption); a key for encryption is not a key for \
                signatures",
            ["RFC7517#section-4.2", "RFC8725#section-3.1"],
        ),
        (
            "key-ops-without-verify",
            "A key whose key_ops lack verify does not verify signatures",
            Alg::RS256,
            encrypt_only,
            "an RS256 token signed by rsa-2048-a, which the policy lists with key_ops [\"encrypt\", \
                \"wrapKey\"]",
            "RFC 7517 4.3: \"key_ops\" identifies \"the operation(s) for which the key is intended \
                to be used\"; verifying a signature or MAC is \"verify\", which is not listed",
            ["RFC7517#section-4.3", "RFC8725#section-3.1"],
        ),
        (
            "hmac-key-ops-sign-only",
            "An HMAC key whose key_ops lack verify does not verify MACs",
            Alg::HS256,
            sign_only,
            "an HS256 token MACed with oct-a, which the policy lists with key_ops [\"sign\"]",
            "RFC 7517 4.3: \"verify\" means \"verify digital signature or MAC\"; a key listed only \
                for \"sign\" may compute MACs but not accept them",
            ["RFC7517#section-4.3", "RFC8725#section-3.1"],
        ),
    ] {
        out.push(
            weak(ctx, name, title, alg, key)
                .severity(Severity::Medium)
                .refs(refs)
                .sends(sends)
                .requirement(requirement)
                .build(),
        );
    }
    out
}

/// A case whose policy trusts only `key` (its public part) for `alg`, and whose token
/// is a valid `alg` token signed by `key`: everything is right except the key.
fn weak(ctx: &Context, name: &str, title: &str, alg: Alg, key: Jwk) -> CaseBuilder {
    let header = forge::header_for(alg, &key);
    let token = forge::sign_json(&header, &valid_claims(ctx), alg, &key)
        .unwrap_or_else(|e| panic!("{name}: the key cannot sign {alg}: {e}"));
    Case::builder(format!("key-strength/{name}"), title)
        .token(token)
        .policy(Policy::new(
            JwkSet::new(vec![key.to_public()]),
            vec![alg],
            ctx.policy_now(),
        ))
        .expect_reject(RejectKind::Key)
        .needs_algorithms(&[alg])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::common::testing::*;

    #[test]
    fn each_token_verifies_under_the_one_key_its_policy_trusts() {
        for case in cases(&Context::listing()) {
            let alg = case.needs.algorithms[0];
            let key = &case.policy.keys.keys[0];
            assert!(verifies(alg, key, &case.token), "{}", case.id);
            assert!(
                key.d.is_none() || key.kty == "oct",
                "{}: only public parts",
                case.id
            );
            assert!(case.control.is_none(), "{}", case.id);
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
}

//! The catalogue: every case, one module per class, so that a case id's class names the
//! file that defines it (`time/exp-equals-now` lives in `time.rs`).
//!
//! ## Which reject reason a case expects
//! A token with several defects could be rejected for any of them, so every attack token
//! is valid in every respect but the one it attacks (its positive control, a token that
//! differs only in being valid, is accepted by the strict reference verifier). The
//! expected [`RejectKind`](crate::RejectKind) is the one that names that defect:
//!
//! | defect | kind |
//! |---|---|
//! | not three segments (a JWE has five), bad base64url, header/payload not a JSON object, duplicate members, claim of the wrong JSON type, `cty` JWT (a nested JWT, which the strict reference does not process) | `malformed` |
//! | `alg` missing, not a string, `none`, unknown, or not allowed by the policy | `algorithm` |
//! | `crit` malformed or naming an extension not understood | `critical` |
//! | `typ` differs from the required one | `type` |
//! | no trusted key fits (unknown `kid`, key type/`alg`/`use`/`key_ops` not for this alg, weak key) | `key` |
//! | signature does not verify | `signature` |
//! | a required claim is absent | `missing-claim` |
//! | `exp` passed / `nbf` in the future | `expired` / `not-yet-valid` |
//! | `iss` / `aud` mismatch | `issuer` / `audience` |
//!
//! A verifier that rejects for another reason still passes; the report notes the
//! difference as a warning.

pub mod alg_confusion;
pub mod alg_none;
pub mod audience;
pub mod claims_integrity;
pub mod common;
pub mod crit;
pub mod ecdsa_format;
pub mod format;
pub mod header_key_injection;
pub mod issuer;
pub mod json_ambiguity;
pub mod jwe_limits;
pub mod key_strength;
pub mod kid_alg_binding;
pub mod kid_injection;
pub mod nested_jwt;
pub mod positive;
pub mod psychic_signature;
pub mod resource_limits;
pub mod rfc7515;
pub mod rfc7519;
pub mod rfc8037;
pub mod rfc_vectors;
pub mod rsa_pkcs1;
pub mod sign_encrypt_confusion;
pub mod signature;
pub mod time;
pub mod typ;
pub mod unknown_alg;

use crate::case::Case;
use crate::context::Context;

/// Every case of the catalogue, built for `ctx`, in a stable order.
pub fn cases(ctx: &Context) -> Vec<Case> {
    let mut all = Vec::new();
    all.extend(rfc7515::cases(ctx));
    all.extend(rfc7519::cases(ctx));
    all.extend(rfc8037::cases(ctx));
    all.extend(positive::cases(ctx));
    all.extend(alg_none::cases(ctx));
    all.extend(signature::cases(ctx));
    all.extend(psychic_signature::cases(ctx));
    all.extend(ecdsa_format::cases(ctx));
    all.extend(rsa_pkcs1::cases(ctx));
    all.extend(alg_confusion::cases(ctx));
    all.extend(kid_alg_binding::cases(ctx));
    all.extend(unknown_alg::cases(ctx));
    all.extend(header_key_injection::cases(ctx));
    all.extend(kid_injection::cases(ctx));
    all.extend(key_strength::cases(ctx));
    all.extend(time::cases(ctx));
    all.extend(audience::cases(ctx));
    all.extend(issuer::cases(ctx));
    all.extend(typ::cases(ctx));
    all.extend(crit::cases(ctx));
    all.extend(format::cases(ctx));
    all.extend(json_ambiguity::cases(ctx));
    all.extend(claims_integrity::cases(ctx));
    all.extend(resource_limits::cases(ctx));
    all.extend(sign_encrypt_confusion::cases(ctx));
    all.extend(nested_jwt::cases(ctx));
    all.extend(jwe_limits::cases(ctx));
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_are_unique_lower_case_and_stable_across_contexts() {
        let listing = cases(&Context::listing());
        let mut seen = HashSet::new();
        for case in &listing {
            assert!(seen.insert(case.id.clone()), "duplicate id {}", case.id);
            assert_eq!(case.id, case.id.to_lowercase());
            assert!(!case.refs.is_empty(), "{} has no refs", case.id);
            assert!(
                !case.description.is_empty(),
                "{} has no description",
                case.id
            );
            assert!(
                !case.requirement.is_empty(),
                "{} has no requirement",
                case.id
            );
        }
        let system = Context {
            clock: crate::Clock::System,
            now: 1_800_000_000,
            algorithms: vec![],
            canary: "http://127.0.0.1:65535".to_string(),
        };
        let ids: Vec<String> = cases(&system).into_iter().map(|c| c.id).collect();
        let listed: Vec<String> = listing.into_iter().map(|c| c.id).collect();
        assert_eq!(ids, listed, "the case list must not depend on the adapter");
    }

    #[test]
    fn the_same_now_gives_byte_identical_tokens() {
        let ctx = Context::listing();
        let a: Vec<String> = cases(&ctx).into_iter().map(|c| c.token).collect();
        let b: Vec<String> = cases(&ctx).into_iter().map(|c| c.token).collect();
        assert_eq!(a, b);
    }
}

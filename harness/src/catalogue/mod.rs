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
//! | a profile's rule: `nonce` or `at_hash` that does not match, `sub` that is not the client | `other` (absent: `missing-claim`; `azp` and untrusted audiences: `audience`; another kind's `typ`: `type`) |
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
pub mod eddsa;
pub mod explicit_typing;
pub mod format;
pub mod header_key_injection;
pub mod issuer;
pub mod json_ambiguity;
pub mod json_grammar;
pub mod jwe_limits;
pub mod jwks;
pub mod key_strength;
pub mod kid_alg_binding;
pub mod kid_injection;
pub mod member_names;
pub mod nested_jwt;
pub mod oidc_id_token;
pub mod positive;
pub mod psychic_signature;
pub mod resource_limits;
pub mod rfc7515;
pub mod rfc7519;
pub mod rfc7523;
pub mod rfc8037;
pub mod rfc9068;
pub mod rfc_vectors;
pub mod rsa_pkcs1;
pub mod sign_encrypt_confusion;
pub mod signature;
pub mod time;
pub mod typ;
pub mod unknown_alg;

use crate::case::Case;
use crate::context::Context;

/// A class of the catalogue: the first part of its cases' ids, and what builds them.
#[derive(Clone, Copy, Debug)]
pub struct Class {
    /// The class name, `alg-none` for `alg-none/uppercase-none`; also its module's name
    /// with `_` for `-`.
    pub name: &'static str,
    /// Builds the class's cases for a context.
    pub build: fn(&Context) -> Vec<Case>,
}

/// Every class, in the catalogue's order.
pub const CLASSES: &[Class] = &[
    Class {
        name: "rfc7515",
        build: rfc7515::cases,
    },
    Class {
        name: "rfc7519",
        build: rfc7519::cases,
    },
    Class {
        name: "rfc8037",
        build: rfc8037::cases,
    },
    Class {
        name: "positive",
        build: positive::cases,
    },
    Class {
        name: "alg-none",
        build: alg_none::cases,
    },
    Class {
        name: "signature",
        build: signature::cases,
    },
    Class {
        name: "psychic-signature",
        build: psychic_signature::cases,
    },
    Class {
        name: "ecdsa-format",
        build: ecdsa_format::cases,
    },
    Class {
        name: "eddsa",
        build: eddsa::cases,
    },
    Class {
        name: "rsa-pkcs1",
        build: rsa_pkcs1::cases,
    },
    Class {
        name: "alg-confusion",
        build: alg_confusion::cases,
    },
    Class {
        name: "kid-alg-binding",
        build: kid_alg_binding::cases,
    },
    Class {
        name: "unknown-alg",
        build: unknown_alg::cases,
    },
    Class {
        name: "header-key-injection",
        build: header_key_injection::cases,
    },
    Class {
        name: "kid-injection",
        build: kid_injection::cases,
    },
    Class {
        name: "key-strength",
        build: key_strength::cases,
    },
    Class {
        name: "time",
        build: time::cases,
    },
    Class {
        name: "audience",
        build: audience::cases,
    },
    Class {
        name: "issuer",
        build: issuer::cases,
    },
    Class {
        name: "typ",
        build: typ::cases,
    },
    Class {
        name: "crit",
        build: crit::cases,
    },
    Class {
        name: "format",
        build: format::cases,
    },
    Class {
        name: "json-ambiguity",
        build: json_ambiguity::cases,
    },
    Class {
        name: "json-grammar",
        build: json_grammar::cases,
    },
    Class {
        name: "member-names",
        build: member_names::cases,
    },
    Class {
        name: "claims-integrity",
        build: claims_integrity::cases,
    },
    Class {
        name: "resource-limits",
        build: resource_limits::cases,
    },
    Class {
        name: "sign-encrypt-confusion",
        build: sign_encrypt_confusion::cases,
    },
    Class {
        name: "nested-jwt",
        build: nested_jwt::cases,
    },
    Class {
        name: "jwe-limits",
        build: jwe_limits::cases,
    },
    Class {
        name: "jwks",
        build: jwks::cases,
    },
    Class {
        name: "rfc9068",
        build: rfc9068::cases,
    },
    Class {
        name: "oidc-id-token",
        build: oidc_id_token::cases,
    },
    Class {
        name: "rfc7523",
        build: rfc7523::cases,
    },
    Class {
        name: "explicit-typing",
        build: explicit_typing::cases,
    },
];

/// Every case of the catalogue, built for `ctx`, in a stable order.
pub fn cases(ctx: &Context) -> Vec<Case> {
    build(ctx, &CLASSES.iter().collect::<Vec<_>>())
}

/// The cases of `classes`, in their order. Classes are built on every core: building
/// one signs, encrypts and compresses its tokens, and no class depends on another.
pub fn build(ctx: &Context, classes: &[&Class]) -> Vec<Case> {
    crate::parallel::in_order(classes.len(), crate::parallel::threads(), |i| {
        (classes[i].build)(ctx)
    })
    .into_iter()
    .flatten()
    .collect()
}

/// The cases whose id contains `pattern` (every case when `None`), building only the
/// classes that can hold such an id: a pattern with a `/` names the end of a class
/// before it. Building a class signs its tokens, so a narrow pattern is a quick run.
pub fn matching(ctx: &Context, pattern: Option<&str>) -> Vec<Case> {
    let classes: Vec<&Class> = CLASSES
        .iter()
        .filter(|class| class_may_match(class.name, pattern))
        .collect();
    build(ctx, &classes)
        .into_iter()
        .filter(|case| pattern.is_none_or(|p| case.id.contains(p)))
        .collect()
}

/// Whether a case of class `name` can have an id (or a reference) containing `pattern`.
/// Only a pattern whose part before a `/` could end a class name narrows the classes; a
/// reference such as a URL selects from every class.
pub fn class_may_match(name: &str, pattern: Option<&str>) -> bool {
    match pattern.and_then(|p| p.split_once('/')) {
        Some((before, _))
            if before
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') =>
        {
            name.ends_with(before)
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_signature_search_has_its_answer_in_the_table() {
        // The searched claims must not depend on the clock: a system clock's time too.
        let system = Context {
            now: crate::context::FIXED_NOW + 98_765_432,
            clock: crate::Clock::System,
            ..Context::listing()
        };
        for ctx in [Context::listing(), system] {
            cases(&ctx);
        }
        let missing: Vec<String> = crate::forge::draft::searched()
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .filter(|(what, _, _)| !what.starts_with("test-"))
            .map(|(what, digest, jti)| format!("    (\"{what}\", \"{digest}\", {jti}),"))
            .collect();
        assert!(
            missing.is_empty(),
            "searches ran: add their answers to KNOWN_SEARCHES in harness/src/forge/draft.rs:\n{}",
            missing.join("\n")
        );
    }

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
            issuer: "http://127.0.0.1:65534".to_string(),
        };
        let ids: Vec<String> = cases(&system).into_iter().map(|c| c.id).collect();
        let listed: Vec<String> = listing.into_iter().map(|c| c.id).collect();
        assert_eq!(ids, listed, "the case list must not depend on the adapter");
    }

    #[test]
    fn a_pattern_builds_only_the_classes_that_can_match_and_selects_the_same_cases() {
        let ctx = Context::listing();
        let all = cases(&ctx);
        for pattern in [
            "alg-none/",
            "none/upper",
            "/uppercase",
            "time/exp-",
            "exp",
            "zzz/",
        ] {
            let want: Vec<&str> = all
                .iter()
                .filter(|c| c.id.contains(pattern))
                .map(|c| c.id.as_str())
                .collect();
            let got: Vec<String> = matching(&ctx, Some(pattern))
                .into_iter()
                .map(|c| c.id)
                .collect();
            assert_eq!(got, want, "{pattern}");
        }
        assert!(!class_may_match("time", Some("alg-none/")));
        assert!(class_may_match("alg-none", Some("none/x")));
        assert!(class_may_match("alg-none", Some("uppercase")));
    }

    #[test]
    fn the_same_now_gives_byte_identical_tokens() {
        let ctx = Context::listing();
        let a: Vec<String> = cases(&ctx).into_iter().map(|c| c.token).collect();
        let b: Vec<String> = cases(&ctx).into_iter().map(|c| c.token).collect();
        assert_eq!(a, b);
    }
}

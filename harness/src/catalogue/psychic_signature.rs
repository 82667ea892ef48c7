//! `psychic-signature/*`: ECDSA signatures whose R or S is zero or the group order
//! (CVE-2022-21449, Java's "psychic signatures"). Without the range check, r = s = 0
//! verifies for every message under every key: a forgery that needs nothing.
//!
//! RFC 7518 3.4 validates ES256/ES384/ES512 with ECDSA as DSS defines it, whose
//! verification begins (FIPS 186-5 6.4.2 step 1): "If r and s are not both integers in
//! the interval [1, n − 1], output INVALID." Such a signature does not verify, so
//! accepting it is an `rfc` failure. Every token has valid claims, an allowed `alg` and
//! the trusted `kid`, so every case expects a `signature` rejection.

use crate::alg::Alg;
use crate::case::{Case, Severity};
use crate::catalogue::common::{policy_for, valid_claims};
use crate::context::Context;
use crate::forge::draft::Draft;
use crate::forge::ecdsa_sig::{self, Curve};
use crate::forge::keys;
use crate::verdict::RejectKind;

const REFS: [&str; 3] = [
    "CVE-2022-21449",
    "RFC7518#section-3.4",
    "RFC7515#section-5.2",
];

/// The `psychic-signature` cases, for each ECDSA algorithm.
pub fn cases(ctx: &Context) -> Vec<Case> {
    [Alg::ES256, Alg::ES384, Alg::ES512]
        .into_iter()
        .flat_map(|alg| curve_cases(ctx, Curve::of(alg)))
        .collect()
}

/// RFC 7518 3.4 hands R and S to the ECDSA validator, and ECDSA refuses them out of range.
const RANGE_RULE: &str = "RFC 7518 3.4: \"Submit the JWS Signing Input, R, S, and the public \
     key (x, y) to the ECDSA P-256 SHA-256 validator\" (the same for P-384 and P-521), ECDSA \
     as DSS defines it, whose verification begins (FIPS 186-5 6.4.2 step 1, SEC 1 4.1.4 step \
     1): \"If r and s are not both integers in the interval [1, n − 1], output INVALID.\" The \
     signature does not verify, so RFC 7515 5.2 (\"If any of the listed steps fails, then the \
     signature or MAC cannot be validated\") and RFC 7519 7.2 (\"the JWT MUST be rejected\") \
     apply: `rfc`.";

fn curve_cases(ctx: &Context, curve: Curve) -> Vec<Case> {
    let alg = curve.alg;
    let n = curve.order_bytes();
    let len = 2 * curve.scalar_len;
    let draft = Draft::usual(alg, &valid_claims(ctx));
    let psychic = Psychic {
        ctx,
        curve,
        control: draft.signed(alg, keys::default_key_name(alg)),
        draft,
    };
    vec![
        psychic.case(
            "r-and-s-zero",
            "R = S = 0",
            format!("{len} zero octets: R = S = 0 in the JWS R || S form"),
            curve.raw(&[0], &[0]),
        ),
        psychic.case(
            "der-encoded-zero",
            "DER-encoded r = s = 0",
            "the DER Ecdsa-Sig-Value with r = s = 0, 30 06 02 01 00 02 01 00 (MAYCAQACAQA)"
                .to_string(),
            ecdsa_sig::der(&[0], &[0]),
        ),
        psychic.case(
            "r-and-s-equal-order",
            "R = S = n",
            format!("R = S = n, the group order ({len} octets): zero modulo n"),
            curve.raw(&n, &n),
        ),
        psychic.case(
            "r-zero-s-one",
            "R = 0, S = 1",
            format!("R = 0, S = 1 ({len} octets)"),
            curve.raw(&[0], &[1]),
        ),
        psychic.case(
            "r-one-s-zero",
            "R = 1, S = 0",
            format!("R = 1, S = 0 ({len} octets)"),
            curve.raw(&[1], &[0]),
        ),
    ]
}

/// What every case on one curve shares: the valid token whose signature it replaces.
struct Psychic<'a> {
    ctx: &'a Context,
    curve: Curve,
    draft: Draft,
    /// The valid token itself.
    control: String,
}

impl Psychic<'_> {
    /// The case whose signature is `signature` (`what` in words, `scalars` for titles).
    #[track_caller]
    fn case(&self, name: &str, scalars: &str, what: String, signature: Vec<u8>) -> Case {
        let alg = self.curve.alg;
        let key = keys::default_key_name(alg);
        Case::builder(
            format!("psychic-signature/{}-{name}", alg.slug()),
            format!("{alg}: a signature with {scalars} is rejected"),
        )
        .severity(Severity::Critical)
        .refs(REFS)
        .sends(format!(
            "an {alg} token by {key} with valid claims whose signature is {what}"
        ))
        .requirement(RANGE_RULE)
        .rfc("RFC7518#section-3.4")
        .token(self.draft.with_signature(&signature))
        .policy(policy_for(self.ctx, alg))
        .expect_reject(RejectKind::Signature)
        .needs_algorithms(&[alg])
        .control(self.control.clone())
        .build()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forge::check::{assert_only_signature_differs, listed, named, signature_of};

    #[test]
    fn tokens_carry_the_named_scalars_and_nothing_else_differs() {
        let all = listed(cases, 15);
        assert_only_signature_differs(&all);
        let es256_der = named(&all, "psychic-signature/es256-der-encoded-zero");
        assert!(es256_der.token.ends_with(".MAYCAQACAQA"));
        let es384_zero = named(&all, "psychic-signature/es384-r-and-s-zero");
        assert_eq!(signature_of(&es384_zero.token), vec![0u8; 96]);
        let sig = signature_of(&named(&all, "psychic-signature/es512-r-and-s-equal-order").token);
        assert_eq!(sig[..66], ecdsa_sig::P521.order_bytes()[..]);
        assert_eq!(sig[..66], sig[66..]);
    }
}

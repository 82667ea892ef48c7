//! `ecdsa-format/*`: a valid ECDSA signature in an encoding JWS does not allow (DER,
//! BER, halves of the wrong length), the same signature with a scalar plus the group
//! order (congruent, but out of range), and the other valid signature of the same
//! message (high S).
//!
//! RFC 7518 3.4: R and S are each turned into an octet sequence of the curve's length,
//! "The octet sequence representations MUST NOT be shortened to omit any leading zero
//! octets contained in the values", and "The JWS Signature value MUST be a 64-octet
//! sequence. If it is not a 64-octet sequence, the validation has failed." (96 octets for
//! P-384, 132 for P-521). A signature in another encoding is not a JWS ECDSA signature:
//! accepting it is an `rfc` failure. It is not a forgery (the trusted key made the
//! signature), but it lets one token have several valid forms, which breaks replay caches
//! and token binding: medium. RFC 7518 validates with plain ECDSA and asks no signer for
//! low S, so the high-S twin is a valid signature and must be accepted.
//!
//! R + n and S + n: ECDSA verification starts by refusing scalars outside [1, n - 1]
//! (SEC 1 4.1.4 step 1), so a verifier that reads the halves as integers and reduces
//! them modulo n accepts a signature that does not verify (RUSTSEC-2021-0076). For
//! P-521 the 66-octet halves have room for R + n; for P-256 and P-384 n is so close to
//! 2^256 and 2^384 that R + n needs one more octet, so those halves are widened, and
//! the length rule refuses them too.

use crate::alg::Alg;
use crate::case::{Case, CaseBuilder, Severity};
use crate::catalogue::common::{policy_for, timeless_claims, valid_claims};
use crate::context::Context;
use crate::forge::draft::{claims_with_jti, Draft};
use crate::forge::ecdsa_sig::{self, Ber, Curve};
use crate::forge::keys;
use crate::verdict::RejectKind;

const REFS: [&str; 1] = ["RFC7518#section-3.4"];

const LENGTH_RULE: &str = "RFC 7518 3.4: \"The JWS Signature value MUST be a 64-octet \
     sequence. If it is not a 64-octet sequence, the validation has failed.\" (\"For ECDSA \
     P-384 SHA-384, R and S will be 384 bits each, resulting in a 96-octet sequence. For ECDSA \
     P-521 SHA-512, R and S will be 521 bits each, resulting in a 132-octet sequence.\"), and \
     \"The octet sequence representations MUST NOT be shortened to omit any leading zero \
     octets contained in the values.\" Any other encoding of the same integers is no JWS \
     ECDSA signature: the validation fails and the JWT MUST be rejected (RFC 7519 7.2), \
     `rfc`.";

const RANGE_RULE: &str = "RFC 7518 3.4: \"Submit the JWS Signing Input, R, S, and the public \
     key (x, y) to the ECDSA P-256 SHA-256 validator\" (the same for P-384 and P-521), ECDSA \
     as DSS defines it, whose verification begins (FIPS 186-5 6.4.2 step 1, SEC 1 4.1.4 step \
     1): \"If r and s are not both integers in the interval [1, n − 1], output INVALID.\" A \
     scalar plus n is congruent to the valid one but outside that interval: the signature does \
     not verify, so RFC 7515 5.2 (\"If any of the listed steps fails, then the signature or MAC \
     cannot be validated\") and RFC 7519 7.2 (\"the JWT MUST be rejected\") apply: `rfc`.";

/// BER encodings of a valid signature that DER, and JWS, forbid.
const BER: [(Ber, &str, &str); 3] = [
    (
        Ber::LongFormLength,
        "ber-long-form-length",
        "its SEQUENCE length in long form (30 81 LL) though it is below 128",
    ),
    (
        Ber::PaddedInteger,
        "ber-padded-integer",
        "INTEGER r with a superfluous leading zero octet",
    ),
    (
        Ber::TrailingZeros,
        "ber-trailing-zeros",
        "two zero octets after the SEQUENCE",
    ),
];

/// The `ecdsa-format` cases, for each ECDSA algorithm.
pub fn cases(ctx: &Context) -> Vec<Case> {
    [Alg::ES256, Alg::ES384, Alg::ES512]
        .into_iter()
        .flat_map(|alg| curve_cases(ctx, Curve::of(alg)))
        .collect()
}

/// A case on `curve`'s algorithm under its usual policy, at `rfc` level on RFC 7518 3.4.
#[track_caller]
fn case(ctx: &Context, curve: Curve, name: &str, title: String) -> CaseBuilder {
    Case::builder(format!("ecdsa-format/{}-{name}", curve.alg.slug()), title)
        .refs(REFS)
        .rfc("RFC7518#section-3.4")
        .policy(policy_for(ctx, curve.alg))
        .needs_algorithms(&[curve.alg])
}

fn curve_cases(ctx: &Context, curve: Curve) -> Vec<Case> {
    let alg = curve.alg;
    let key = keys::default_key_name(alg);
    let len = curve.scalar_len;
    let claims = valid_claims(ctx);
    let plain = Draft::usual(alg, &claims);
    let valid = plain.signature(alg, key);
    let control = plain.with_signature(&valid);
    let mut out = Vec::new();

    let der = ecdsa_sig::raw_to_der(curve, &valid);
    out.push(
        case(
            ctx,
            curve,
            "der-encoded",
            format!("{alg}: a valid signature in DER is rejected"),
        )
        .severity(Severity::Medium)
        .sends(format!(
            "an {alg} token whose valid signature is sent as the DER Ecdsa-Sig-Value \
                 SEQUENCE {{ r INTEGER, s INTEGER }} ({} octets) instead of R || S",
            der.len()
        ))
        .requirement(LENGTH_RULE)
        .token(plain.with_signature(&der))
        .expect_reject(RejectKind::Signature)
        .control(control.clone())
        .build(),
    );

    out.push(
        case(
            ctx,
            curve,
            "halves-zero-padded",
            format!("{alg}: R and S each padded with a zero octet are rejected"),
        )
        .severity(Severity::Medium)
        .sends(format!(
            "an {alg} token whose valid signature is sent as 00 || R || 00 || S, {} octets: \
             the same integers, each half one octet longer than {len}",
            2 * len + 2
        ))
        .requirement(LENGTH_RULE)
        .token(plain.with_signature(&ecdsa_sig::pad_halves(curve, &valid)))
        .expect_reject(RejectKind::Signature)
        .control(control.clone())
        .build(),
    );

    // Finding an R with a leading zero octet takes ~256 signatures for P-256 and ~2 for
    // P-521 (whose 66-octet R has 7 spare bits), but ~256 slow P-384 signatures, seconds
    // per build of the catalogue; P-256 and P-521 cover the length check.
    if alg != Alg::ES384 {
        out.push(leading_zero_stripped(ctx, curve));
    }

    out.extend(plus_order(ctx, curve, &plain, &valid, &control));
    if alg == Alg::ES256 {
        for (liberty, name, what) in BER {
            out.push(
                case(
                    ctx,
                    curve,
                    name,
                    format!("{alg}: a valid signature in BER ({name}) is rejected"),
                )
                .severity(Severity::Medium)
                .refs(["RFC7518#section-3.4", "CVE-2020-14966"])
                .sends(format!(
                    "an {alg} token whose valid signature is sent as an Ecdsa-Sig-Value with \
                     {what}: BER a lenient ASN.1 reader accepts, neither DER nor R || S"
                ))
                .requirement(LENGTH_RULE)
                .token(plain.with_signature(&ecdsa_sig::raw_to_ber(curve, &valid, liberty)))
                .expect_reject(RejectKind::Signature)
                .control(control.clone())
                .build(),
            );
        }
    }
    // Whichever of the two S values the signer produced, send the high one.
    let high = if curve.is_high_s(&valid) {
        valid
    } else {
        curve.negate_s(&valid)
    };
    out.push(
        case(
            ctx,
            curve,
            "high-s",
            format!("{alg}: the high-S form of a valid signature is accepted"),
        )
        .severity(Severity::Info)
        .sends(format!(
            "an {alg} token whose signature is R || S with S > n/2: the twin of the valid \
             low-S signature R || (n - S) of the same signing input, and itself a valid ECDSA \
             signature"
        ))
        .requirement(
            "RFC 7518 3.4: \"Submit the JWS Signing Input, R, S, and the public key (x, y) to \
             the ECDSA P-256 SHA-256 validator\" (likewise for P-384 and P-521). Plain ECDSA \
             verifies (r, s) and (r, n - s) alike, and RFC 7518 asks no signer for low S, so a \
             conforming issuer sends high-S signatures about half the time: the signature \
             validates, every step of RFC 7519 7.2 succeeds, and the JWT is valid (`rfc`). \
             Refusing high S is a rule of other protocols, not of JOSE",
        )
        .token(plain.with_signature(&high))
        .expect_accept(&claims)
        .build(),
    );
    out
}

/// The valid signature with R + n, then with S + n, in place of R or S: in the JWS
/// width where it fits (P-521), else in halves one octet wider.
fn plus_order(
    ctx: &Context,
    curve: Curve,
    plain: &Draft,
    valid: &[u8],
    control: &str,
) -> Vec<Case> {
    let alg = curve.alg;
    let (r, s) = curve.halves(valid);
    let fits = alg == Alg::ES512;
    let width = if fits {
        curve.scalar_len
    } else {
        curve.scalar_len + 1
    };
    let (suffix, shape) = if fits {
        ("", format!("in the usual {} octets", 2 * curve.scalar_len))
    } else {
        (
            "-widened",
            format!(
                "each half widened to {width} octets ({} in all), since the sum needs one octet \
                 more than {}",
                2 * width,
                curve.scalar_len
            ),
        )
    };
    [
        ("r", curve.plus_order(r), s.to_vec()),
        ("s", r.to_vec(), curve.plus_order(s)),
    ]
    .into_iter()
    .map(|(which, new_r, new_s)| {
        let upper = which.to_uppercase();
        case(
            ctx,
            curve,
            &format!("{which}-plus-order{suffix}"),
            format!("{alg}: a valid signature with {upper} + n in place of {upper} is rejected"),
        )
        .severity(Severity::Medium)
        .refs([
            "RFC7518#section-3.4",
            "RUSTSEC-2021-0076",
            "SEC1#section-4.1.4",
        ])
        .sends(format!(
            "an {alg} token whose signature is the valid one with {upper} replaced by {upper} + \
             n, the group order added: congruent modulo n, out of range, {shape}"
        ))
        .requirement(if fits {
            RANGE_RULE.to_string()
        } else {
            format!("{RANGE_RULE} {LENGTH_RULE}")
        })
        .token(plain.with_signature(&curve.raw_wide(&new_r, &new_s, width)))
        .expect_reject(RejectKind::Signature)
        .control(control.to_string())
        .build()
    })
    .collect()
}

/// A valid signature whose R starts with a zero octet (jti chosen to make it so), sent
/// without that octet.
fn leading_zero_stripped(ctx: &Context, curve: Curve) -> Case {
    let alg = curve.alg;
    let key = keys::default_key_name(alg);
    let len = curve.scalar_len;
    let search = format!("{}-r-with-leading-zero", alg.slug());
    let zero_claims = claims_with_jti(&search, &timeless_claims(), |c| {
        Draft::usual(alg, c).signature(alg, key)[0] == 0
    });
    let zero = Draft::usual(alg, &zero_claims);
    let zero_valid = zero.signature(alg, key);
    case(
        ctx,
        curve,
        "leading-zero-stripped",
        format!("{alg}: R with its leading zero octet removed is rejected"),
    )
    .severity(Severity::Medium)
    .sends(format!(
        "an {alg} token (jti chosen so that R starts with 0x00) whose signature is R without \
         that octet, then S: {} octets, the same integers if the halves are split by value",
        2 * len - 1
    ))
    .requirement(LENGTH_RULE)
    .token(zero.with_signature(&zero_valid[1..]))
    .expect_reject(RejectKind::Signature)
    .control(zero.with_signature(&zero_valid))
    .build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::Expected;
    use crate::forge::check::{
        assert_controls_valid, assert_only_signature_differs, payload_of, signature_of,
        signature_pair, verifies_as,
    };

    #[test]
    fn only_the_signature_encoding_differs_from_the_control() {
        let all = cases(&Context::listing());
        assert_eq!(all.len(), 11 + 6 + 3);
        let (accept, reject): (Vec<Case>, Vec<Case>) = all
            .into_iter()
            .partition(|c| matches!(c.expected, Expected::Accept { .. }));
        assert_controls_valid(&reject);
        assert_only_signature_differs(&reject);
        assert_eq!(accept.len(), 3);
        for case in accept {
            let curve = Curve::of(case.policy.algorithms[0]);
            let high = signature_of(&case.token);
            assert!(curve.is_high_s(&high), "{}", case.id);
            assert!(!curve.is_high_s(&curve.negate_s(&high)), "{}", case.id);
            assert!(
                verifies_as(&case.token, curve.alg, &case.policy),
                "{}",
                case.id
            );
            assert_eq!(
                Expected::accept(&payload_of(&case.token)),
                case.expected,
                "{}",
                case.id
            );
        }
    }

    #[test]
    fn scalars_plus_the_order_reduce_to_the_valid_ones() {
        for case in cases(&Context::listing())
            .iter()
            .filter(|c| c.id.contains("-plus-order"))
        {
            let curve = Curve::of(case.policy.algorithms[0]);
            let (sent, valid) = signature_pair(case);
            let half = sent.len() / 2;
            let n = curve.order();
            let read = |b: &[u8]| num_bigint::BigUint::from_bytes_be(b);
            let (r, s) = (read(&sent[..half]), read(&sent[half..]));
            assert!(r >= n || s >= n, "{}: one scalar out of range", case.id);
            assert_eq!(
                curve.raw(&(r % &n).to_bytes_be(), &(s % &n).to_bytes_be()),
                valid,
                "{}",
                case.id
            );
            assert_eq!(
                half == curve.scalar_len,
                curve.alg == Alg::ES512,
                "{}",
                case.id
            );
        }
    }

    #[test]
    fn ber_encodings_parse_leniently_to_the_valid_integers() {
        let all = cases(&Context::listing());
        for name in [
            "ber-long-form-length",
            "ber-padded-integer",
            "ber-trailing-zeros",
        ] {
            let case = all
                .iter()
                .find(|c| c.id == format!("ecdsa-format/es256-{name}"))
                .expect("case");
            let (ber, valid) = signature_pair(case);
            assert!(
                p256::ecdsa::Signature::from_der(&ber).is_err(),
                "{name}: not DER"
            );
            assert_eq!(ber[0], 0x30, "{name}");
            let der = ecdsa_sig::raw_to_der(ecdsa_sig::P256, &valid);
            assert_ne!(ber, der, "{name}");
        }
    }

    #[test]
    fn malformed_encodings_hold_the_valid_integers() {
        let all = cases(&Context::listing());
        for case in all
            .iter()
            .filter(|c| c.id.ends_with("leading-zero-stripped"))
        {
            let curve = Curve::of(case.policy.algorithms[0]);
            let (stripped, valid) = signature_pair(case);
            assert_eq!(
                (valid[0], valid.len()),
                (0, 2 * curve.scalar_len),
                "{}",
                case.id
            );
            assert_eq!(stripped, valid[1..], "{}", case.id);
        }
        for case in all.iter().filter(|c| c.id.ends_with("der-encoded")) {
            let (der, valid) = signature_pair(case);
            let parsed = match case.policy.algorithms[0] {
                Alg::ES256 => p256::ecdsa::Signature::from_der(&der).map(|s| s.to_vec()),
                Alg::ES384 => p384::ecdsa::Signature::from_der(&der).map(|s| s.to_vec()),
                _ => p521::ecdsa::Signature::from_der(&der).map(|s| s.to_vec()),
            };
            assert_eq!(parsed.expect("DER parses"), valid, "{}", case.id);
        }
    }
}

//! Which trusted keys may verify a token (RFC 7515 section 4.1.4; RFC 7517 sections 4
//! and 5; RFC 7518 sections 2, 3 and 6; RFC 8725 sections 3.1 and 3.5).
//!
//! Only the policy's keys are ever candidates: the header's `jwk`, `jku`, `x5u` and `x5c`
//! are never read (RFC 8725 section 3.10).
//!
//! Not a choice:
//! - `bcp`, RFC 8725 section 3.1: "The library MUST ensure that the "alg" or "enc"
//!   header specifies the same algorithm that is used for the cryptographic operation.
//!   Moreover, each key MUST be used with exactly one algorithm" — a key verifies only
//!   the algorithms of its type and curve, and only the one its JWK `alg` names;
//! - `bcp`, key strength: RFC 7518 section 3.2 ("A key of the same size as the hash
//!   output … or larger MUST be used with this algorithm") and sections 3.3 and 3.5 ("A
//!   key of size 2048 bits or larger MUST be used with these algorithms") bind the key
//!   a deployment uses; refusing to verify with a weaker one is RFC 8725 section 3.5
//!   practice.
//!
//! Refused by both references, though no JOSE RFC obliges a verifier to (`strict` in the
//! catalogue; RFC 7517 section 5: "Implementations SHOULD ignore JWKs within a JWK Set
//! that use "kty" (key type) values that are not understood by them, that are missing
//! required members, or for which values are out of the supported ranges"):
//! - an RSA public exponent outside RFC 8017 section 3.1's "the RSA public exponent e
//!   is an integer between 3 and n - 1 satisfying GCD(e, \lambda(n)) = 1" (so odd, since
//!   \lambda(n) is even): with e = 1 every value is its own signature, so a trusted
//!   `(n, 1)` key verifies whatever anyone sends;
//! - an Ed25519 public key of small order (RFC 8032 section 5.1.7 does not exclude it):
//!   with the identity as A, R the identity and S = 0 satisfy `[S]B = R + [k]A` for every
//!   message. The lenient reference's RSA and Ed25519 arithmetic cannot use such keys
//!   either, so both references take the same answer here.
//!
//! Permitted choices, taken the strict way by [`Choice::Strict`]:
//! - `kid` is a hint (RFC 7515 section 4.1.4: "The "kid" (key ID) Header Parameter is a
//!   hint indicating which key was used to secure the JWS"): the strict reference
//!   verifies only with the key it names and refuses a `kid` that is not a string; the
//!   lenient one tries every trusted key when the hint matches none or is no string, and
//!   tries the others when the keys it names cannot verify the token's `alg` (a key of
//!   another type, curve or JWK `alg`);
//! - `use` and `key_ops` (RFC 7517 sections 4.2 and 4.3: "Use of the "use" member is
//!   OPTIONAL, unless the application requires its presence"): the strict reference
//!   honours them, the lenient one ignores them;
//! - a Base64urlUInt with leading zero octets (RFC 7518 section 2: "The octet sequence
//!   MUST utilize the minimum number of octets needed to represent the value", a rule
//!   for whoever writes the JWK): the strict reference ignores such a key, the lenient
//!   one reads the value.

use super::json::type_name;
use super::{short, Checked, Choice, Rejection};
use crate::alg::{Alg, KeyFamily};
use crate::jwk::Jwk;
use crate::verdict::RejectKind;
use serde_json::{Map, Value};

/// How strong a parsed key is, for the algorithms whose keys come in sizes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyStrength {
    /// An HMAC secret of this many octets.
    HmacOctets(usize),
    /// An RSA modulus of this many bits.
    RsaBits(usize),
    /// A key whose size the curve fixes.
    Curve,
}

/// RFC 7515 section 4.1.4: "The "kid" value is a case-sensitive string." The lenient
/// reading takes a `kid` that is no string for no hint at all.
pub fn kid(header: &Map<String, Value>, choice: Choice) -> Checked<Option<&str>> {
    match (header.get("kid"), choice) {
        (None, _) => Ok(None),
        (Some(Value::String(kid)), _) => Ok(Some(kid)),
        (Some(_), Choice::Lenient) => Ok(None),
        (Some(other), Choice::Strict) => Err(Rejection::new(
            RejectKind::Malformed,
            format!(
                "`kid` is {}, not a string (RFC 7515 section 4.1.4)",
                type_name(other)
            ),
        )),
    }
}

/// RFC 7517 section 4.5: "When used with JWS or JWE, the "kid" value is used to match a
/// JWS or JWE "kid" Header Parameter value" — exactly, as an opaque case-sensitive
/// string, never as a path or query. Without a `kid`, every trusted key is a candidate;
/// with one that matches none, none is (strict) or every key is (lenient: a hint).
pub fn candidates<'k, K>(
    keys: &'k [K],
    jwk: impl Fn(&K) -> &Jwk,
    kid: Option<&str>,
    choice: Choice,
) -> Checked<Vec<&'k K>> {
    let Some(kid) = kid else {
        return Ok(keys.iter().collect());
    };
    let matching: Vec<&K> = keys
        .iter()
        .filter(|k| jwk(k).kid.as_deref() == Some(kid))
        .collect();
    match (matching.is_empty(), choice) {
        (false, _) => Ok(matching),
        (true, Choice::Lenient) => Ok(keys.iter().collect()),
        (true, Choice::Strict) => Err(Rejection::new(
            RejectKind::Key,
            format!("no trusted key has kid {}", short(kid)),
        )),
    }
}

/// Whether, once the keys a `kid` names all proved unable to verify the token's `alg`,
/// the other trusted keys are tried: the lenient reading of the hint (RFC 7515 section
/// 4.1.4). The strict reading verifies with the named keys only.
pub fn past_the_hint(kid: Option<&str>, choice: Choice) -> bool {
    kid.is_some() && choice == Choice::Lenient
}

/// Every condition a parsed key must meet to verify `alg`, in order; the error says
/// which failed.
pub fn usable(
    jwk: &Jwk,
    family: KeyFamily,
    strength: KeyStrength,
    alg: Alg,
    choice: Choice,
) -> Result<(), String> {
    fits_family(family, alg)?;
    intended_alg(jwk, alg)?;
    if choice == Choice::Strict {
        intended_use(jwk)?;
        permitted_operation(jwk)?;
    }
    strong_enough(strength, alg)
}

/// RFC 8725 section 3.1: the key's type (and curve) must be the one `alg` is defined
/// for (RFC 7518 section 6, RFC 8037 section 2).
pub fn fits_family(family: KeyFamily, alg: Alg) -> Result<(), String> {
    if family != alg.key_family() {
        return Err(format!(
            "{} key cannot verify {alg}, which needs {} key (RFC 8725 section 3.1)",
            describe(family),
            describe(alg.key_family())
        ));
    }
    Ok(())
}

/// A key family in words, for messages.
fn describe(family: KeyFamily) -> String {
    match family {
        KeyFamily::Hmac => "an HMAC (oct)".to_string(),
        KeyFamily::Rsa => "an RSA".to_string(),
        KeyFamily::Ec(crv) => format!("an EC {crv}"),
        KeyFamily::Ed25519 => "an Ed25519 (OKP)".to_string(),
    }
}

/// RFC 7517 section 4.4: "The "alg" (algorithm) parameter identifies the algorithm
/// intended for use with the key"; RFC 8725 section 3.1: "each key MUST be used with
/// exactly one algorithm". A key without `alg` is bound by its type only.
pub fn intended_alg(jwk: &Jwk, alg: Alg) -> Result<(), String> {
    match jwk.alg.as_deref() {
        Some(intended) if intended != alg.as_str() => Err(format!(
            "the key is for {}, not {alg} (RFC 7517 section 4.4, RFC 8725 section 3.1)",
            short(intended)
        )),
        _ => Ok(()),
    }
}

/// RFC 7517 section 4.2: when `use` is present, only "sig" (signature) allows verifying.
pub fn intended_use(jwk: &Jwk) -> Result<(), String> {
    match jwk.use_.as_deref() {
        Some(use_) if use_ != "sig" => Err(format!(
            "the key's use is {}, not \"sig\" (RFC 7517 section 4.2)",
            short(use_)
        )),
        _ => Ok(()),
    }
}

/// RFC 7517 section 4.3: "key_ops" lists the operations "for which the key is intended
/// to be used"; when present it must include "verify".
pub fn permitted_operation(jwk: &Jwk) -> Result<(), String> {
    match &jwk.key_ops {
        Some(ops) if !ops.iter().any(|op| op == "verify") => {
            Err("the key's key_ops does not include \"verify\" (RFC 7517 section 4.3)".to_string())
        }
        _ => Ok(()),
    }
}

/// RFC 7518 section 3.2: an HMAC key at least as long as the hash output; sections 3.3
/// and 3.5: an RSA key of 2048 bits or more.
pub fn strong_enough(strength: KeyStrength, alg: Alg) -> Result<(), String> {
    match strength {
        KeyStrength::HmacOctets(len) if len < hmac_key_min(alg) => Err(format!(
            "a {len}-octet HMAC key is shorter than the {}-octet {alg} hash (RFC 7518 section 3.2)",
            hmac_key_min(alg)
        )),
        KeyStrength::RsaBits(bits) if bits < 2048 => Err(format!(
            "a {bits}-bit RSA key is below 2048 bits (RFC 7518 sections 3.3 and 3.5)"
        )),
        _ => Ok(()),
    }
}

/// The hash output length of an HMAC algorithm, in octets.
pub fn hmac_key_min(alg: Alg) -> usize {
    match alg {
        Alg::HS384 => 48,
        Alg::HS512 => 64,
        _ => 32,
    }
}

/// RFC 7518 section 2, Base64urlUInt: no leading zero octets (refused when strict), and
/// zero is one octet, never the empty string (refused either way).
pub fn minimal_octets(value: &[u8], name: &str, choice: Choice) -> Result<(), String> {
    match (value, choice) {
        ([], _) => Err(format!("JWK member `{name}` is empty")),
        ([0, _, ..], Choice::Strict) => Err(format!(
            "JWK member `{name}` has a leading zero octet (RFC 7518 section 2, Base64urlUInt)"
        )),
        _ => Ok(()),
    }
}

/// RFC 8017 section 3.1: "the RSA public exponent e is an integer between 3 and n - 1
/// satisfying GCD(e, \lambda(n)) = 1"; \lambda(n) is even, so e is odd. `e` is the
/// big-endian exponent as the JWK carries it (the upper bound is the RSA
/// implementation's to check against n).
pub fn rsa_public_exponent(e: &[u8]) -> Result<(), String> {
    let start = e.iter().position(|&b| b != 0).unwrap_or(e.len());
    let e = &e[start..];
    let below_three = e.len() <= 1 && e.first().is_none_or(|&b| b < 3);
    if below_three || e.last().is_some_and(|b| b % 2 == 0) {
        return Err(format!(
            "the RSA public exponent {} is not an odd integer of at least 3, so the JWK is no \
             RSA public key (RFC 8017 section 3.1)",
            short_hex(e)
        ));
    }
    Ok(())
}

/// A big-endian integer for messages: decimal when small, else its length.
fn short_hex(value: &[u8]) -> String {
    match value.len() {
        0 => "0".to_string(),
        1..=8 => value
            .iter()
            .fold(0u64, |acc, &b| (acc << 8) | u64::from(b))
            .to_string(),
        n => format!("of {n} octets"),
    }
}

/// RFC 8032 section 5.1.7 verifies with "the public key A"; a point of small order
/// (`small_order`, as the Ed25519 implementation reports it) makes `[k]A` vanish up to
/// the cofactor, so R and S can be chosen without any private key.
pub fn ed25519_public_key(small_order: bool) -> Result<(), String> {
    if small_order {
        return Err(
            "the Ed25519 public key is a point of small order, which verifies signatures \
             anyone can make (RFC 8032 section 5.1.7)"
                .to_string(),
        );
    }
    Ok(())
}

/// The message of a `key` rejection: no candidate could verify, and why each could not.
pub fn none_usable(alg: Alg, refused: &[String]) -> Rejection {
    let why = if refused.is_empty() {
        "the policy trusts no key".to_string()
    } else {
        refused.join("; ")
    };
    Rejection::new(
        RejectKind::Key,
        format!("no trusted key can verify {alg}: {why}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forge::keys;
    use serde_json::json;

    fn header(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn a_kid_that_is_no_string_is_malformed_or_no_hint() {
        for kid in [json!(1), json!(null), json!(["oct-a"])] {
            let h = header(json!({ "kid": kid }));
            assert_eq!(
                super::kid(&h, Choice::Strict).unwrap_err().kind,
                RejectKind::Malformed
            );
            assert_eq!(super::kid(&h, Choice::Lenient), Ok(None));
        }
    }

    #[test]
    fn an_unmatched_kid_selects_nothing_or_everything() {
        let set = [keys::public("oct-a"), keys::public("oct-b")];
        let pick = |kid, choice| candidates(&set, |k| k, kid, choice).map(|v| v.len());
        assert_eq!(pick(Some("oct-b"), Choice::Strict), Ok(1));
        assert_eq!(pick(None, Choice::Strict), Ok(2));
        assert_eq!(
            pick(Some("OCT-B"), Choice::Strict).unwrap_err().kind,
            RejectKind::Key
        );
        assert_eq!(pick(Some("OCT-B"), Choice::Lenient), Ok(2));
        assert_eq!(pick(Some("oct-b"), Choice::Lenient), Ok(1));
    }

    #[test]
    fn use_and_key_ops_bind_only_when_strict_and_alg_and_strength_always() {
        let mut enc = keys::public("rsa-2048-a");
        enc.use_ = Some("enc".to_string());
        enc.key_ops = Some(vec!["encrypt".to_string()]);
        let ok = |jwk: &Jwk, choice| {
            usable(
                jwk,
                KeyFamily::Rsa,
                KeyStrength::RsaBits(2048),
                Alg::RS256,
                choice,
            )
        };
        assert!(ok(&enc, Choice::Strict)
            .unwrap_err()
            .contains("use is \"enc\""));
        assert_eq!(ok(&enc, Choice::Lenient), Ok(()));
        let mut bound = keys::public("rsa-2048-a");
        bound.alg = Some("PS256".to_string());
        for choice in [Choice::Strict, Choice::Lenient] {
            assert!(ok(&bound, choice).unwrap_err().contains("is for \"PS256\""));
            let weak = usable(
                &enc,
                KeyFamily::Rsa,
                KeyStrength::RsaBits(1024),
                Alg::RS256,
                Choice::Lenient,
            );
            assert!(weak.unwrap_err().contains("1024-bit"));
            let hmac = usable(
                &keys::public("oct-a"),
                KeyFamily::Hmac,
                KeyStrength::HmacOctets(16),
                Alg::HS256,
                choice,
            );
            assert!(hmac.unwrap_err().contains("16-octet"));
            let family = usable(
                &keys::public("oct-a"),
                KeyFamily::Rsa,
                KeyStrength::RsaBits(2048),
                Alg::ES256,
                choice,
            );
            assert!(family.unwrap_err().contains("cannot verify ES256"));
        }
    }

    #[test]
    fn rsa_exponents_are_odd_and_at_least_three() {
        for e in [&[][..], &[0], &[1], &[2], &[0, 1], &[1, 0, 0], &[0x10, 0]] {
            assert!(rsa_public_exponent(e).is_err(), "{e:?}");
        }
        for e in [
            &[3][..],
            &[1, 0, 1],
            &[0, 3],
            &[0xff, 0xff, 0xff, 0xff, 0xff],
        ] {
            assert_eq!(rsa_public_exponent(e), Ok(()), "{e:?}");
        }
        assert!(rsa_public_exponent(&[1])
            .unwrap_err()
            .contains("exponent 1 "));
        assert!(ed25519_public_key(true).is_err());
        assert_eq!(ed25519_public_key(false), Ok(()));
    }

    #[test]
    fn base64url_uints_are_minimal_when_strict() {
        assert!(minimal_octets(&[0, 1], "e", Choice::Strict)
            .unwrap_err()
            .contains("leading zero"));
        assert_eq!(minimal_octets(&[0, 1], "e", Choice::Lenient), Ok(()));
        assert_eq!(minimal_octets(&[0], "e", Choice::Strict), Ok(()));
        for choice in [Choice::Strict, Choice::Lenient] {
            assert!(minimal_octets(&[], "n", choice).is_err());
        }
    }
}

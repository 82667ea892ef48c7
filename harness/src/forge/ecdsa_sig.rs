//! ECDSA signature encodings and malleations: JWS carries `R || S`, each half exactly
//! the curve's octet length (RFC 7518 section 3.4); verifiers have been fooled by DER,
//! by zero or out-of-range scalars (CVE-2022-21449) and by halves of the wrong length.

use crate::alg::Alg;
use crate::forge::keys;
use crate::forge::rsa_raw::Hash;
use num_bigint::BigUint;
use signature::hazmat::PrehashSigner;

/// A curve as ECDSA JWS algorithms use it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Curve {
    /// The JWS algorithm that uses this curve.
    pub alg: Alg,
    /// Octets of each of R and S in the JWS encoding.
    pub scalar_len: usize,
    /// The group order n, big-endian hex (SEC 2 section 2.4 / FIPS 186-4 D.1.2).
    order_hex: &'static str,
}

/// P-256, the curve of ES256.
pub const P256: Curve = Curve {
    alg: Alg::ES256,
    scalar_len: 32,
    order_hex: "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551",
};

/// P-384, the curve of ES384.
pub const P384: Curve = Curve {
    alg: Alg::ES384,
    scalar_len: 48,
    order_hex: "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf\
                581a0db248b0a77aecec196accc52973",
};

/// P-521, the curve of ES512.
pub const P521: Curve = Curve {
    alg: Alg::ES512,
    scalar_len: 66,
    order_hex: "01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff\
                fa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409",
};

impl Curve {
    /// The curve of an ECDSA algorithm.
    pub fn of(alg: Alg) -> Curve {
        match alg {
            Alg::ES256 => P256,
            Alg::ES384 => P384,
            Alg::ES512 => P521,
            other => panic!("{other} is not an ECDSA algorithm"),
        }
    }

    /// The group order n.
    pub fn order(&self) -> BigUint {
        BigUint::parse_bytes(self.order_hex.as_bytes(), 16).expect("order constant is hex")
    }

    /// `n` as a scalar of exactly `scalar_len` octets.
    pub fn order_bytes(&self) -> Vec<u8> {
        fixed_be(&self.order(), self.scalar_len)
    }

    /// The JWS form `R || S` of two integers given as big-endian octets.
    pub fn raw(&self, r: &[u8], s: &[u8]) -> Vec<u8> {
        let mut out = fixed_be(&BigUint::from_bytes_be(r), self.scalar_len);
        out.extend(fixed_be(&BigUint::from_bytes_be(s), self.scalar_len));
        out
    }

    /// Splits a JWS `R || S` signature into its halves.
    pub fn halves<'a>(&self, rs: &'a [u8]) -> (&'a [u8], &'a [u8]) {
        assert_eq!(rs.len(), 2 * self.scalar_len, "not an {} R || S", self.alg);
        rs.split_at(self.scalar_len)
    }

    /// The same signature with S replaced by `n - S`: the other valid signature of the
    /// same message (ECDSA is malleable in S).
    pub fn negate_s(&self, rs: &[u8]) -> Vec<u8> {
        let (r, s) = self.halves(rs);
        let s = BigUint::from_bytes_be(s);
        self.raw(r, &(self.order() - s).to_bytes_be())
    }

    /// `value + n`, big-endian and minimal: congruent to `value` modulo n, but outside
    /// [1, n - 1], so a verifier that reduces the scalars it reads instead of
    /// range-checking them reads the same signature.
    pub fn plus_order(&self, value: &[u8]) -> Vec<u8> {
        (BigUint::from_bytes_be(value) + self.order()).to_bytes_be()
    }

    /// `R || S` with each integer written in `width` octets (left-padded with zeros):
    /// `scalar_len` for the JWS form, more for integers that do not fit it.
    pub fn raw_wide(&self, r: &[u8], s: &[u8], width: usize) -> Vec<u8> {
        let mut out = fixed_be(&BigUint::from_bytes_be(r), width);
        out.extend(fixed_be(&BigUint::from_bytes_be(s), width));
        out
    }

    /// `R || S` read as two equal halves of any width, each reduced modulo n, written
    /// in the JWS form: what a verifier that reduces instead of range-checking sees.
    pub fn reduce(&self, rs: &[u8]) -> Vec<u8> {
        let (r, s) = rs.split_at(rs.len() / 2);
        let n = self.order();
        let r = BigUint::from_bytes_be(r) % &n;
        let s = BigUint::from_bytes_be(s) % &n;
        let mut out = fixed_be(&r, self.scalar_len);
        out.extend(fixed_be(&s, self.scalar_len));
        out
    }

    /// Whether S is above n/2 (the "high-S" form that low-S rules forbid).
    pub fn is_high_s(&self, rs: &[u8]) -> bool {
        let (_, s) = self.halves(rs);
        BigUint::from_bytes_be(s) > self.order() >> 1
    }
}

/// `value` big-endian, left-padded with zeros to `len` octets.
fn fixed_be(value: &BigUint, len: usize) -> Vec<u8> {
    let bytes = value.to_bytes_be();
    let bytes = if bytes == [0] { Vec::new() } else { bytes };
    assert!(bytes.len() <= len, "integer wider than {len} octets");
    let mut out = vec![0u8; len - bytes.len()];
    out.extend(bytes);
    out
}

/// A DER `INTEGER` holding the non-negative big-endian integer `value`: minimal, with
/// a leading zero octet when the top bit is set.
fn der_integer(value: &[u8]) -> Vec<u8> {
    let start = value.iter().position(|&b| b != 0).unwrap_or(value.len());
    let mut content = value[start..].to_vec();
    if content.first().is_none_or(|&b| b & 0x80 != 0) {
        content.insert(0, 0);
    }
    let mut out = vec![0x02];
    out.extend(der_length(content.len()));
    out.extend(content);
    out
}

/// A DER length: short form below 128, long form above.
pub fn der_length(len: usize) -> Vec<u8> {
    if len < 0x80 {
        return vec![len as u8];
    }
    let bytes: Vec<u8> = len
        .to_be_bytes()
        .into_iter()
        .skip_while(|&b| b == 0)
        .collect();
    let mut out = vec![0x80 | bytes.len() as u8];
    out.extend(bytes);
    out
}

/// `Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }` (RFC 3279 section 2.2.3),
/// the encoding X.509 and many crypto libraries use instead of `R || S`.
pub fn der(r: &[u8], s: &[u8]) -> Vec<u8> {
    let mut body = der_integer(r);
    body.extend(der_integer(s));
    let mut out = vec![0x30];
    out.extend(der_length(body.len()));
    out.extend(body);
    out
}

/// A JWS `R || S` signature re-encoded as DER.
pub fn raw_to_der(curve: Curve, rs: &[u8]) -> Vec<u8> {
    let (r, s) = curve.halves(rs);
    der(r, s)
}

/// A BER liberty in the DER `Ecdsa-Sig-Value` of a valid signature: the same integers in
/// an encoding DER forbids (CVE-2020-14966).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ber {
    /// The SEQUENCE length in long form (`30 81 LL`) although it is below 128.
    LongFormLength,
    /// The INTEGER r with a superfluous leading zero octet.
    PaddedInteger,
    /// Two zero octets after the SEQUENCE.
    TrailingZeros,
}

/// The DER `Ecdsa-Sig-Value` of `rs` with one BER liberty.
pub fn raw_to_ber(curve: Curve, rs: &[u8], liberty: Ber) -> Vec<u8> {
    let (r, s) = curve.halves(rs);
    let r_integer = match liberty {
        Ber::PaddedInteger => {
            let minimal = der_integer(r);
            assert!(
                minimal[1] < 0x80,
                "a scalar's INTEGER has a short-form length"
            );
            let mut content = vec![0u8];
            content.extend(&minimal[2..]);
            let mut out = vec![0x02];
            out.extend(der_length(content.len()));
            out.extend(content);
            out
        }
        _ => der_integer(r),
    };
    let mut body = r_integer;
    body.extend(der_integer(s));
    let mut out = vec![0x30];
    match liberty {
        Ber::LongFormLength if body.len() < 0x80 => out.extend([0x81, body.len() as u8]),
        _ => out.extend(der_length(body.len())),
    }
    out.extend(body);
    if liberty == Ber::TrailingZeros {
        out.extend([0, 0]);
    }
    out
}

/// `0x00 || R || 0x00 || S`: each half one octet too long, the same integers.
pub fn pad_halves(curve: Curve, rs: &[u8]) -> Vec<u8> {
    let (r, s) = curve.halves(rs);
    [&[0u8][..], r, &[0u8], s].concat()
}

/// An ECDSA signature (`R || S`, RFC 6979 nonce) by the P-256 or P-384 fixture
/// `key_name` over `hash(input)`, whatever hash the curve's JWS algorithm uses: P-256
/// with SHA-384 or P-384 with SHA-256 are valid ECDSA (FIPS 186 pairs any approved hash
/// with any curve) but neither is a JWS algorithm (RFC 7518 3.4 fixes both).
pub fn sign_with_hash(key_name: &str, hash: Hash, input: &[u8]) -> Vec<u8> {
    let key = keys::private(key_name);
    let d = crate::b64::decode(key.d.as_deref().expect("EC fixture has d")).expect("base64url d");
    let digest = hash.digest(input);
    match key.crv.as_deref() {
        Some("P-256") => {
            let sk = p256::ecdsa::SigningKey::from_slice(&d).expect("P-256 scalar");
            let sig: p256::ecdsa::Signature = sk.sign_prehash(&digest).expect("prehash signs");
            sig.to_bytes().to_vec()
        }
        Some("P-384") => {
            let sk = p384::ecdsa::SigningKey::from_slice(&d).expect("P-384 scalar");
            let sig: p384::ecdsa::Signature = sk.sign_prehash(&digest).expect("prehash signs");
            sig.to_bytes().to_vec()
        }
        other => panic!("{key_name}: no prehash signing for curve {other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forge::{keys, sign, verify};

    fn valid(alg: Alg) -> (&'static str, Vec<u8>) {
        let input = "eyJhbGciOiJFUzI1NiJ9.e30";
        let sig = sign(
            alg,
            keys::private(keys::default_key_name(alg)),
            input.as_bytes(),
        )
        .expect("fixture signs");
        (input, sig)
    }

    #[test]
    fn negated_s_verifies_so_the_orders_are_right() {
        for curve in [P256, P384, P521] {
            let (input, sig) = valid(curve.alg);
            let key = keys::public(keys::default_key_name(curve.alg));
            let other = curve.negate_s(&sig);
            assert_ne!(other, sig);
            assert_ne!(curve.is_high_s(&other), curve.is_high_s(&sig));
            assert!(
                verify(curve.alg, &key, input.as_bytes(), &other),
                "{}",
                curve.alg
            );
            assert_eq!(curve.negate_s(&other), sig);
        }
    }

    #[test]
    fn cross_hash_signatures_verify_with_that_hash_only() {
        use signature::hazmat::PrehashVerifier;
        let input = b"eyJhbGciOiJFUzM4NCJ9.e30";
        let sig = sign_with_hash("ec-p256-a", Hash::Sha384, input);
        let vk =
            p256::ecdsa::VerifyingKey::from(keys::public("ec-p256-a").p256_public_key().unwrap());
        let parsed = p256::ecdsa::Signature::from_slice(&sig).unwrap();
        assert!(vk
            .verify_prehash(&Hash::Sha384.digest(input), &parsed)
            .is_ok());
        assert!(!verify(Alg::ES256, &keys::public("ec-p256-a"), input, &sig));

        let sig = sign_with_hash("ec-p384-a", Hash::Sha256, input);
        let vk =
            p384::ecdsa::VerifyingKey::from(keys::public("ec-p384-a").p384_public_key().unwrap());
        let parsed = p384::ecdsa::Signature::from_slice(&sig).unwrap();
        assert!(vk
            .verify_prehash(&Hash::Sha256.digest(input), &parsed)
            .is_ok());
        assert!(!verify(Alg::ES384, &keys::public("ec-p384-a"), input, &sig));
    }

    #[test]
    fn der_encoding_is_minimal() {
        assert_eq!(
            der(&[0], &[0]),
            [0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00]
        );
        assert_eq!(der(&[0, 0, 0x80], &[1]), [0x30, 7, 2, 2, 0, 0x80, 2, 1, 1]);
        assert_eq!(der_length(0x7f), [0x7f]);
        assert_eq!(der_length(0x80), [0x81, 0x80]);
        assert_eq!(der_length(0x1234), [0x82, 0x12, 0x34]);
        let (_, sig) = valid(Alg::ES384);
        let encoded = raw_to_der(P384, &sig);
        let parsed = p384::ecdsa::Signature::from_der(&encoded).expect("valid DER");
        assert_eq!(parsed.to_bytes().to_vec(), sig);
    }

    #[test]
    fn raw_pads_each_half_and_rejects_oversized_values() {
        assert_eq!(P256.raw(&[1], &[]), {
            let mut v = vec![0u8; 64];
            v[31] = 1;
            v
        });
        assert_eq!(P256.order_bytes().len(), 32);
        assert_eq!(P521.order_bytes()[0], 0x01);
        let (_, sig) = valid(Alg::ES256);
        let padded = pad_halves(P256, &sig);
        assert_eq!(padded.len(), 66);
        assert_eq!((padded[0], padded[33]), (0, 0));
        let wide = std::panic::catch_unwind(|| P256.raw(&[1; 33], &[]));
        assert!(wide.is_err());
    }
}

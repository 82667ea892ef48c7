//! Ed25519 signatures no RFC 8032 signer makes, built from a fixture's seed with
//! integer arithmetic: a signature whose R is the identity point (small order), in its
//! canonical or in a non-canonical encoding, and the universal forgery against a
//! trusted public key that is itself the identity.
//!
//! With R the identity, RFC 8032's group equation `[S]B = R + [k]A` holds for
//! `S = k·a mod L` (`a` the signer's secret scalar): the trusted key really made the
//! signature, but no deterministic signer ever picks that R.

use crate::forge::keys;
use num_bigint::BigUint;
use sha2::{Digest, Sha512};

/// The identity point `(0, 1)`, canonically encoded (RFC 8032 section 5.1.2): y = 1,
/// sign bit 0. It has order 1, so it is one of the eight small-order points.
pub const IDENTITY: [u8; 32] = {
    let mut e = [0u8; 32];
    e[0] = 1;
    e
};

/// The identity point with y written as `p + 1 = 2^255 - 18`: the same point to a
/// decoder that reduces y modulo p, and no encoding at all to RFC 8032 section 5.1.3
/// ("If the resulting value is >= p, decoding fails").
pub const NON_CANONICAL_IDENTITY: [u8; 32] = {
    let mut e = [0xffu8; 32];
    e[0] = 0xee;
    e[31] = 0x7f;
    e
};

/// The group order L = 2^252 + 27742317777372353535851937790883648493 (RFC 8032
/// section 5.1).
pub fn order() -> BigUint {
    (BigUint::from(1u8) << 252u32)
        + "27742317777372353535851937790883648493"
            .parse::<BigUint>()
            .expect("decimal constant")
}

/// The 32-octet seed of an Ed25519 fixture.
fn seed(key_name: &str) -> Vec<u8> {
    let d = keys::private(key_name)
        .d
        .as_deref()
        .unwrap_or_else(|| panic!("{key_name} has no private part"));
    crate::b64::decode(d).unwrap_or_else(|e| panic!("{key_name}: `d` is not base64url: {e}"))
}

/// The secret scalar `s` of RFC 8032 section 5.1.5 steps 1-3: the pruned first half of
/// SHA-512(seed), little-endian.
fn secret_scalar(key_name: &str) -> BigUint {
    let h = Sha512::digest(seed(key_name));
    let mut s = [0u8; 32];
    s.copy_from_slice(&h[..32]);
    s[0] &= 248;
    s[31] &= 127;
    s[31] |= 64;
    BigUint::from_bytes_le(&s)
}

/// `k = SHA-512(R || A || M)` read little-endian, modulo L (RFC 8032 section 5.1.6
/// step 4, 5.1.7 step 2).
fn challenge(r: &[u8; 32], a: &[u8], message: &[u8]) -> BigUint {
    let digest = Sha512::new()
        .chain_update(r)
        .chain_update(a)
        .chain_update(message)
        .finalize();
    BigUint::from_bytes_le(&digest) % order()
}

/// A 32-octet little-endian scalar.
fn le32(value: &BigUint) -> [u8; 32] {
    let bytes = value.to_bytes_le();
    assert!(bytes.len() <= 32, "scalar wider than 32 octets");
    let mut out = [0u8; 32];
    out[..bytes.len()].copy_from_slice(&bytes);
    out
}

/// The fixture's signature of `message` with R the identity point, written as
/// `r_encoding` (either [`IDENTITY`] or [`NON_CANONICAL_IDENTITY`]): `S = k·a mod L`,
/// where `k` hashes R exactly as written.
pub fn sign_with_identity_r(key_name: &str, r_encoding: [u8; 32], message: &[u8]) -> Vec<u8> {
    let public = keys::public(key_name)
        .ed25519_public_bytes()
        .unwrap_or_else(|e| panic!("{key_name}: {e}"));
    let k = challenge(&r_encoding, &public, message);
    let s = (k * secret_scalar(key_name)) % order();
    [r_encoding, le32(&s)].concat()
}

/// A signature of any message under the public key [`IDENTITY`]: R the identity and
/// S = 0, so `[S]B = R + [k]A` is `0 = 0 + 0` whatever k is.
pub fn forge_for_identity_key() -> Vec<u8> {
    [IDENTITY, [0u8; 32]].concat()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::{Signature, Verifier, VerifyingKey};

    fn key(bytes: &[u8; 32]) -> VerifyingKey {
        VerifyingKey::from_bytes(bytes).expect("a point")
    }

    #[test]
    fn the_secret_scalar_reproduces_a_real_signature() {
        // With R = [r]B from a real signature we cannot reproduce r, but the public key
        // is [a]B: check a through the challenge of an identity-R signature instead,
        // which the permissive (cofactorless) RFC 8032 check accepts.
        let public = keys::public("ed25519-a").ed25519_public_bytes().unwrap();
        let message = b"eyJhbGciOiJFZERTQSJ9.e30";
        let sig = sign_with_identity_r("ed25519-a", IDENTITY, message);
        let parsed = Signature::from_slice(&sig).unwrap();
        assert!(key(&public).verify(message, &parsed).is_ok());
        assert!(key(&public).verify_strict(message, &parsed).is_err());
        let other = sign_with_identity_r("ed25519-b", IDENTITY, message);
        assert!(key(&public)
            .verify(message, &Signature::from_slice(&other).unwrap())
            .is_err());
    }

    #[test]
    fn the_non_canonical_identity_is_p_plus_one() {
        let p = (BigUint::from(1u8) << 255u32) - 19u8;
        assert_eq!(BigUint::from_bytes_le(&NON_CANONICAL_IDENTITY), p + 1u8);
        let message = b"m";
        let sig = sign_with_identity_r("ed25519-a", NON_CANONICAL_IDENTITY, message);
        let public = keys::public("ed25519-a").ed25519_public_bytes().unwrap();
        let parsed = Signature::from_slice(&sig).unwrap();
        assert!(key(&public).verify_strict(message, &parsed).is_err());
    }

    #[test]
    fn the_identity_key_accepts_the_forgery_unless_small_order_is_refused() {
        let forged = Signature::from_slice(&forge_for_identity_key()).unwrap();
        let weak = key(&IDENTITY);
        assert!(weak.is_weak());
        assert!(weak.verify(b"anything", &forged).is_ok());
        assert!(weak.verify_strict(b"anything", &forged).is_err());
    }
}

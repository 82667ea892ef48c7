//! The trusted keys, parsed once when the verifier is prepared.
//!
//! RFC 7517 section 5: "Implementations SHOULD ignore JWKs within a JWK Set that use
//! "kty" (key type) values that are not understood by them, that are missing required
//! members, or for which values are out of the supported ranges." A key that does not
//! parse is therefore kept with the reason, never used, and named in the `key`
//! rejection of any token that selects it; the other keys of the set still work.

use jwt_conformance::alg::KeyFamily;
use jwt_conformance::rules::keys::{ed25519_public_key, minimal_octets, rsa_public_exponent};
use jwt_conformance::rules::Choice;
use jwt_conformance::{b64, Jwk};
use rsa::traits::PublicKeyParts;
use rsa::BoxedUint;

/// The largest RSA modulus the reference verifies with, in bits: verification cost grows
/// with the modulus, so a trusted set cannot make every token expensive.
pub const MAX_RSA_BITS: usize = 16384;

/// One key of the policy's JWK Set.
#[derive(Clone, Debug)]
pub struct TrustedKey {
    /// The JWK as given: its `kid`, `alg`, `use` and `key_ops` bind the key.
    pub jwk: Jwk,
    /// The parsed public key, or why the JWK is ignored.
    pub material: Result<Material, String>,
}

/// A public key, ready to verify.
#[derive(Clone, Debug)]
pub enum Material {
    /// An HMAC secret (`kty: oct`).
    Hmac(Vec<u8>),
    /// An RSA public key (`kty: RSA`).
    Rsa(RsaKey),
    /// An ECDSA key on P-256 (`kty: EC`, `crv: P-256`).
    P256(p256::ecdsa::VerifyingKey),
    /// An ECDSA key on P-384.
    P384(p384::ecdsa::VerifyingKey),
    /// An ECDSA key on P-521.
    P521(p521::ecdsa::VerifyingKey),
    /// An Ed25519 key (`kty: OKP`, `crv: Ed25519`).
    Ed25519(ed25519_dalek::VerifyingKey),
}

/// An RSA public key with its size.
#[derive(Clone, Debug)]
pub struct RsaKey {
    /// The key itself.
    pub public: rsa::PublicKey,
    /// The modulus length in octets: every signature has exactly this length.
    pub modulus_len: usize,
    /// The modulus length in bits.
    pub modulus_bits: usize,
}

impl Material {
    /// The family of algorithms this key can verify.
    pub fn family(&self) -> KeyFamily {
        match self {
            Material::Hmac(_) => KeyFamily::Hmac,
            Material::Rsa(_) => KeyFamily::Rsa,
            Material::P256(_) => KeyFamily::Ec("P-256"),
            Material::P384(_) => KeyFamily::Ec("P-384"),
            Material::P521(_) => KeyFamily::Ec("P-521"),
            Material::Ed25519(_) => KeyFamily::Ed25519,
        }
    }
}

impl TrustedKey {
    /// Parses one JWK of the policy, reading Base64urlUInt values `choice`'s way.
    pub fn parse(jwk: &Jwk, choice: Choice) -> TrustedKey {
        TrustedKey {
            jwk: jwk.clone(),
            material: material(jwk, choice),
        }
    }

    /// How messages name the key: its `kid`, or its type when it has none.
    pub fn name(&self) -> String {
        match &self.jwk.kid {
            Some(kid) => format!("key {}", jwt_conformance::rules::short(kid)),
            None => format!("{} key without kid", self.jwk.kty),
        }
    }
}

/// RFC 7517 section 4.1 and RFC 7518 section 6.1: the key type decides the members; RFC
/// 8037 section 2 adds `OKP` with `crv: Ed25519`.
fn material(jwk: &Jwk, choice: Choice) -> Result<Material, String> {
    let parsed = match (jwk.kty.as_str(), jwk.crv.as_deref()) {
        ("oct", _) => jwk.hmac_secret().map(Material::Hmac),
        ("RSA", _) => return rsa_key(jwk, choice).map(Material::Rsa),
        ("EC", Some("P-256")) => jwk.p256_public_key().map(|k| Material::P256(k.into())),
        ("EC", Some("P-384")) => jwk.p384_public_key().map(|k| Material::P384(k.into())),
        ("EC", Some("P-521")) => jwk.p521_public_key().map(|k| Material::P521(k.into())),
        ("OKP", Some("Ed25519")) => {
            let key = jwk.ed25519_public_key().map_err(|e| e.to_string())?;
            ed25519_public_key(key.is_weak())?;
            return Ok(Material::Ed25519(key));
        }
        (kty, crv) => {
            return Err(format!(
                "kty {kty:?} with crv {crv:?} is not a key type the reference supports"
            ))
        }
    };
    parsed.map_err(|e| e.to_string())
}

/// RFC 7518 section 6.3.1: `n` and `e` are Base64urlUInt values, and "The octet sequence
/// MUST utilize the minimum number of octets needed to represent the value" (section 2);
/// RFC 8017 section 3.1: `e` is odd and at least 3.
fn rsa_key(jwk: &Jwk, choice: Choice) -> Result<RsaKey, String> {
    let n = jwk.rsa_modulus().map_err(|e| e.to_string())?;
    let e = b64::decode(jwk.e.as_deref().ok_or("RSA JWK has no `e` member")?)
        .map_err(|e| format!("JWK member `e`: {e}"))?;
    minimal_octets(&n, "n", choice)?;
    minimal_octets(&e, "e", choice)?;
    rsa_public_exponent(&e)?;
    let public = rsa::PublicKey::new_with_size_limits(
        BoxedUint::from_be_slice_vartime(&n),
        BoxedUint::from_be_slice_vartime(&e),
        1..=MAX_RSA_BITS,
    )
    .map_err(|e| format!("not a usable RSA public key: {e}"))?;
    Ok(RsaKey {
        modulus_len: public.size(),
        modulus_bits: public.n().bit_width_vartime() as usize,
        public,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jwt_conformance::forge::keys;

    #[test]
    fn every_fixture_parses_to_its_family() {
        for (name, family) in [
            ("oct-a", KeyFamily::Hmac),
            ("rsa-2048-a", KeyFamily::Rsa),
            ("rsa-2048-e3", KeyFamily::Rsa),
            ("rsa-1024", KeyFamily::Rsa),
            ("ec-p256-a", KeyFamily::Ec("P-256")),
            ("ec-p384-a", KeyFamily::Ec("P-384")),
            ("ec-p521-a", KeyFamily::Ec("P-521")),
            ("ed25519-a", KeyFamily::Ed25519),
        ] {
            let key = TrustedKey::parse(&keys::public(name), Choice::Strict);
            assert_eq!(key.material.unwrap().family(), family, "{name}");
        }
    }

    #[test]
    fn rsa_sizes_are_measured() {
        let Ok(Material::Rsa(key)) =
            TrustedKey::parse(&keys::public("rsa-2048-a"), Choice::Strict).material
        else {
            panic!("rsa-2048-a must parse");
        };
        assert_eq!((key.modulus_len, key.modulus_bits), (256, 2048));
        let Ok(Material::Rsa(small)) =
            TrustedKey::parse(&keys::public("rsa-1024"), Choice::Strict).material
        else {
            panic!("rsa-1024 must parse");
        };
        assert_eq!(small.modulus_bits, 1024);
    }

    #[test]
    fn unsupported_or_broken_jwks_are_kept_with_a_reason() {
        let mut unknown = keys::public("ec-p256-a");
        unknown.crv = Some("secp256k1".to_string());
        assert!(TrustedKey::parse(&unknown, Choice::Strict)
            .material
            .unwrap_err()
            .contains("secp256k1"));

        let mut off_curve = keys::public("ec-p256-a");
        off_curve.y = keys::public("ec-p256-b").y;
        assert!(TrustedKey::parse(&off_curve, Choice::Strict)
            .material
            .is_err());

        let mut even = keys::public("rsa-2048-a");
        even.n = Some(b64::encode([0xc0; 256]));
        assert!(
            TrustedKey::parse(&even, Choice::Strict).material.is_err(),
            "an even modulus is no RSA key"
        );

        let mut padded = keys::public("rsa-2048-a");
        let n = padded.rsa_modulus().unwrap();
        padded.n = Some(b64::encode([&[0][..], &n].concat()));
        let why = TrustedKey::parse(&padded, Choice::Strict)
            .material
            .unwrap_err();
        assert!(why.contains("leading zero"), "{why}");
    }

    #[test]
    fn an_rsa_exponent_below_three_or_even_and_a_small_order_ed25519_key_are_ignored() {
        for e in [&[1u8][..], &[2], &[1, 0, 0]] {
            let mut key = keys::public("rsa-2048-a");
            key.e = Some(b64::encode(e));
            for choice in [Choice::Strict, Choice::Lenient] {
                let why = TrustedKey::parse(&key, choice).material.unwrap_err();
                assert!(why.contains("RFC 8017 section 3.1"), "{e:?}: {why}");
            }
        }
        let mut identity = keys::public("ed25519-a");
        identity.x = Some(b64::encode(jwt_conformance::forge::eddsa::IDENTITY));
        for choice in [Choice::Strict, Choice::Lenient] {
            let why = TrustedKey::parse(&identity, choice).material.unwrap_err();
            assert!(why.contains("small order"), "{why}");
        }
        assert!(
            TrustedKey::parse(&keys::public("rsa-2048-e3"), Choice::Strict)
                .material
                .is_ok(),
            "e = 3 is an RSA key"
        );
    }

    #[test]
    fn keys_are_named_by_kid() {
        assert_eq!(
            TrustedKey::parse(&keys::public("oct-a"), Choice::Strict).name(),
            "key \"oct-a\""
        );
        let mut anonymous = keys::public("oct-a");
        anonymous.kid = None;
        assert_eq!(
            TrustedKey::parse(&anonymous, Choice::Strict).name(),
            "oct key without kid"
        );
    }
}

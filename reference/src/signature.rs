//! Step 7: the JWS Signature, in its one exact encoding per algorithm.

use crate::keys::{Material, RsaKey};
use hmac::{Hmac, KeyInit, Mac};
use jwt_conformance::rules::{Checked, Rejection};
use jwt_conformance::{Alg, RejectKind};
use rsa::pkcs8::AssociatedOid;
use rsa::{Pkcs1v15Sign, Pss};
use sha2::digest::FixedOutputReset;
use sha2::{Digest, Sha256, Sha384, Sha512};
use signature::Verifier;

/// RFC 7515 section 5.2 step 8: "Validate the JWS Signature against the JWS Signing
/// Input"; the token is accepted if any usable candidate key verifies it.
pub fn check(alg: Alg, keys: &[&Material], signing_input: &[u8], signature: &[u8]) -> Checked {
    if keys
        .iter()
        .any(|key| verifies(alg, key, signing_input, signature))
    {
        return Ok(());
    }
    Err(Rejection::new(
        RejectKind::Signature,
        format!(
            "the {alg} signature does not verify with {} (RFC 7515 section 5.2)",
            match keys.len() {
                1 => "the trusted key".to_string(),
                n => format!("any of the {n} usable trusted keys"),
            }
        ),
    ))
}

/// Whether `signature` is a valid `alg` signature of `input` under `key`. A key of
/// another family never verifies (key selection has already excluded it).
pub fn verifies(alg: Alg, key: &Material, input: &[u8], signature: &[u8]) -> bool {
    match (alg, key) {
        (Alg::HS256, Material::Hmac(k)) => hmac::<Hmac<Sha256>>(k, input, signature),
        (Alg::HS384, Material::Hmac(k)) => hmac::<Hmac<Sha384>>(k, input, signature),
        (Alg::HS512, Material::Hmac(k)) => hmac::<Hmac<Sha512>>(k, input, signature),
        (Alg::RS256, Material::Rsa(k)) => rsa_pkcs1::<Sha256>(k, input, signature),
        (Alg::RS384, Material::Rsa(k)) => rsa_pkcs1::<Sha384>(k, input, signature),
        (Alg::RS512, Material::Rsa(k)) => rsa_pkcs1::<Sha512>(k, input, signature),
        (Alg::PS256, Material::Rsa(k)) => rsa_pss::<Sha256>(k, input, signature),
        (Alg::PS384, Material::Rsa(k)) => rsa_pss::<Sha384>(k, input, signature),
        (Alg::PS512, Material::Rsa(k)) => rsa_pss::<Sha512>(k, input, signature),
        (Alg::ES256, Material::P256(k)) => es256(k, input, signature),
        (Alg::ES384, Material::P384(k)) => es384(k, input, signature),
        (Alg::ES512, Material::P521(k)) => es512(k, input, signature),
        (Alg::EdDSA, Material::Ed25519(k)) => eddsa(k, input, signature),
        _ => false,
    }
}

/// RFC 7518 section 3.2: "The comparison of the computed HMAC value to the JWS Signature
/// value MUST be done in a constant-time manner"; the tag is the full hash output, never
/// truncated (`verify_slice` refuses any other length).
fn hmac<M: Mac + KeyInit>(secret: &[u8], input: &[u8], signature: &[u8]) -> bool {
    match <M as KeyInit>::new_from_slice(secret) {
        Ok(mut mac) => {
            mac.update(input);
            mac.verify_slice(signature).is_ok()
        }
        Err(_) => false,
    }
}

/// RFC 8017 section 8.2.2 step 1: "If the length of the signature S is not k octets,
/// output "invalid signature""; step 4 compares the whole encoded message, so the
/// DigestInfo must be exactly the one of the alg's hash (RFC 7518 section 3.3) and
/// nothing may follow it.
fn rsa_pkcs1<D: Digest + AssociatedOid>(key: &RsaKey, input: &[u8], signature: &[u8]) -> bool {
    signature.len() == key.modulus_len
        && key
            .public
            .verify(Pkcs1v15Sign::new::<D>(), &D::digest(input), signature)
            .is_ok()
}

/// RFC 7518 section 3.5: "The size of the salt value is the same size as the hash
/// function output", with MGF1 over the same hash; the signature is k octets (RFC 8017
/// section 8.1.2 step 1).
fn rsa_pss<D: Digest + FixedOutputReset>(key: &RsaKey, input: &[u8], signature: &[u8]) -> bool {
    signature.len() == key.modulus_len
        && key
            .public
            .verify(Pss::<D>::new(), &D::digest(input), signature)
            .is_ok()
}

/// RFC 7518 section 3.4: "The JWS Signature value MUST be a 64-octet sequence", R || S
/// of 32 octets each, with r and s in [1, n-1] (SEC 1 section 4.1.4 step 1, so r = s = 0
/// never verifies).
fn es256(key: &p256::ecdsa::VerifyingKey, input: &[u8], signature: &[u8]) -> bool {
    p256::ecdsa::Signature::from_slice(signature).is_ok_and(|s| key.verify(input, &s).is_ok())
}

/// RFC 7518 section 3.4: a 96-octet R || S on P-384, r and s in [1, n-1].
fn es384(key: &p384::ecdsa::VerifyingKey, input: &[u8], signature: &[u8]) -> bool {
    p384::ecdsa::Signature::from_slice(signature).is_ok_and(|s| key.verify(input, &s).is_ok())
}

/// RFC 7518 section 3.4: a 132-octet R || S on P-521, r and s in [1, n-1].
fn es512(key: &p521::ecdsa::VerifyingKey, input: &[u8], signature: &[u8]) -> bool {
    p521::ecdsa::Signature::from_slice(signature).is_ok_and(|s| key.verify(input, &s).is_ok())
}

/// RFC 8037 section 3.1: Ed25519 as in RFC 8032, whose section 5.1.7 rejects S >= L;
/// `verify_strict` also refuses small-order keys and R, so one signature has one
/// encoding.
fn eddsa(key: &ed25519_dalek::VerifyingKey, input: &[u8], signature: &[u8]) -> bool {
    ed25519_dalek::Signature::from_slice(signature)
        .is_ok_and(|s| key.verify_strict(input, &s).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::TrustedKey;
    use jwt_conformance::b64;
    use jwt_conformance::forge::{self, keys};

    fn material(name: &str) -> Material {
        TrustedKey::parse(&keys::public(name), jwt_conformance::rules::Choice::Strict)
            .material
            .unwrap()
    }

    /// The signing input and signature of a forge token.
    fn signed(alg: Alg, key: &str) -> (String, Vec<u8>) {
        let token = forge::jwt(alg, key, &serde_json::json!({"sub": "s"}));
        let (input, sig) = token.rsplit_once('.').unwrap();
        (input.to_string(), b64::decode(sig).unwrap())
    }

    #[test]
    fn every_alg_verifies_with_its_key_and_not_with_another() {
        for alg in Alg::ALL {
            let (input, sig) = signed(alg, keys::default_key_name(alg));
            let good = material(keys::default_key_name(alg));
            let other = material(keys::second_key_name(alg));
            assert!(verifies(alg, &good, input.as_bytes(), &sig), "{alg}");
            assert!(
                !verifies(alg, &other, input.as_bytes(), &sig),
                "{alg} other key"
            );
            assert_eq!(check(alg, &[&other, &good], input.as_bytes(), &sig), Ok(()));
            let r = check(alg, &[&other], input.as_bytes(), &sig).unwrap_err();
            assert_eq!(r.kind, RejectKind::Signature);
        }
    }

    #[test]
    fn any_change_to_the_input_or_the_signature_fails() {
        for alg in Alg::ALL {
            let key = material(keys::default_key_name(alg));
            let (input, sig) = signed(alg, keys::default_key_name(alg));
            let mut flipped = sig.clone();
            let last = flipped.len() - 1;
            flipped[last] ^= 1;
            assert!(
                !verifies(alg, &key, input.as_bytes(), &flipped),
                "{alg} flipped"
            );
            assert!(
                !verifies(alg, &key, input.as_bytes(), &sig[..last]),
                "{alg} truncated"
            );
            let longer = [&sig[..], &[0]].concat();
            assert!(
                !verifies(alg, &key, input.as_bytes(), &longer),
                "{alg} extended"
            );
            let padded = [&[0], &sig[..]].concat();
            assert!(
                !verifies(alg, &key, input.as_bytes(), &padded),
                "{alg} zero-prefixed"
            );
            assert!(
                !verifies(alg, &key, format!("{input}x").as_bytes(), &sig),
                "{alg} input"
            );
            assert!(!verifies(alg, &key, input.as_bytes(), &[]), "{alg} empty");
        }
    }

    #[test]
    fn a_signature_for_another_hash_of_the_family_fails() {
        let key = material("rsa-2048-a");
        let (input, rs384) = signed(Alg::RS384, "rsa-2048-a");
        assert!(verifies(Alg::RS384, &key, input.as_bytes(), &rs384));
        assert!(!verifies(Alg::RS256, &key, input.as_bytes(), &rs384));
        assert!(!verifies(Alg::PS384, &key, input.as_bytes(), &rs384));
    }

    #[test]
    fn zero_ecdsa_scalars_never_verify() {
        for (alg, len) in [(Alg::ES256, 64), (Alg::ES384, 96), (Alg::ES512, 132)] {
            let key = material(keys::default_key_name(alg));
            let (input, _) = signed(alg, keys::default_key_name(alg));
            assert!(
                !verifies(alg, &key, input.as_bytes(), &vec![0; len]),
                "{alg}"
            );
        }
    }

    #[test]
    fn a_key_of_another_family_never_verifies() {
        let (input, sig) = signed(Alg::HS256, "oct-a");
        assert!(!verifies(
            Alg::HS256,
            &material("rsa-2048-a"),
            input.as_bytes(),
            &sig
        ));
    }
}

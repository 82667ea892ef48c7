//! Signing and checking signatures with RustCrypto, for every algorithm in [`Alg`].

use crate::alg::Alg;
use crate::forge::rsa_raw::Hash;
use crate::forge::rsa_sign::RsaSigner;
use crate::jwk::{Jwk, KeyError};
use hmac::{KeyInit, Mac};
use rand_chacha::rand_core::SeedableRng;
use sha2::{Digest, Sha256, Sha384, Sha512};
use signature::{Signer, Verifier};
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock, PoisonError};

fn key_err(alg: Alg, e: impl std::fmt::Display) -> KeyError {
    KeyError(format!("{alg}: {e}"))
}

/// HMAC of `input` under an arbitrary secret (any length, even empty), for HS* only.
pub fn hmac(alg: Alg, secret: &[u8], input: &[u8]) -> Vec<u8> {
    fn mac<M: Mac + KeyInit>(secret: &[u8], input: &[u8]) -> Vec<u8> {
        let mut m = <M as KeyInit>::new_from_slice(secret).expect("HMAC takes keys of any length");
        m.update(input);
        m.finalize().into_bytes().to_vec()
    }
    match alg {
        Alg::HS256 => mac::<hmac::Hmac<Sha256>>(secret, input),
        Alg::HS384 => mac::<hmac::Hmac<Sha384>>(secret, input),
        Alg::HS512 => mac::<hmac::Hmac<Sha512>>(secret, input),
        other => panic!("hmac() called with non-HMAC alg {other}"),
    }
}

/// A PSS salt of `len` octets fixed per input: the first octets of a generator seeded
/// by the input's SHA-256.
fn pss_salt(input: &[u8], len: usize) -> Vec<u8> {
    use rand_chacha::rand_core::Rng;
    let mut salt = vec![0u8; len];
    rand_chacha::ChaCha20Rng::from_seed(Sha256::digest(input).into()).fill_bytes(&mut salt);
    salt
}

/// Signs `input` with `alg` using the private `key`. Asymmetric signatures are kept for
/// the life of the process: many cases share a token (a positive control, a valid token
/// made into an attack in several ways), and an RSA or ECDSA signature costs a hundred
/// times an HMAC. Every signature here is deterministic (PSS salts and ECDSA nonces
/// derive from the input), so a kept one is the one signing again would give.
pub fn sign(alg: Alg, key: &Jwk, input: &[u8]) -> Result<Vec<u8>, KeyError> {
    if matches!(alg, Alg::HS256 | Alg::HS384 | Alg::HS512) {
        return sign_uncached(alg, key, input);
    }
    type Signatures = HashMap<(Alg, String, [u8; 32]), Vec<u8>>;
    static SIGNATURES: OnceLock<Mutex<Signatures>> = OnceLock::new();
    // The whole JWK names the key: a case may alter any member of a fixture.
    let id = (alg, format!("{key:?}"), Sha256::digest(input).into());
    let signatures = SIGNATURES.get_or_init(Default::default);
    if let Some(sig) = signatures
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get(&id)
    {
        return Ok(sig.clone());
    }
    let sig = sign_uncached(alg, key, input)?;
    let mut kept = signatures.lock().unwrap_or_else(PoisonError::into_inner);
    // A fuzz target signs a new input on every iteration: keep the catalogue's share,
    // not an ever-growing history.
    if kept.len() >= KEPT_SIGNATURES {
        kept.clear();
    }
    kept.insert(id, sig.clone());
    Ok(sig)
}

/// At most this many signatures are kept: a few times what one catalogue build makes.
const KEPT_SIGNATURES: usize = 8192;

fn sign_uncached(alg: Alg, key: &Jwk, input: &[u8]) -> Result<Vec<u8>, KeyError> {
    let sig = match alg {
        Alg::HS256 | Alg::HS384 | Alg::HS512 => hmac(alg, &key.hmac_secret()?, input),
        Alg::RS256 | Alg::RS384 | Alg::RS512 | Alg::PS256 | Alg::PS384 | Alg::PS512 => {
            let signer = RsaSigner::cached(key).map_err(|e| key_err(alg, e))?;
            let signed = match alg {
                Alg::RS256 => signer.sign_pkcs1(Hash::Sha256, input),
                Alg::RS384 => signer.sign_pkcs1(Hash::Sha384, input),
                Alg::RS512 => signer.sign_pkcs1(Hash::Sha512, input),
                Alg::PS256 => signer.sign_pss(Hash::Sha256, input, &pss_salt(input, 32)),
                Alg::PS384 => signer.sign_pss(Hash::Sha384, input, &pss_salt(input, 48)),
                _ => signer.sign_pss(Hash::Sha512, input, &pss_salt(input, 64)),
            };
            signed.map_err(|e| key_err(alg, e))?
        }
        Alg::ES256 => {
            let d = ec_private(alg, key, "P-256")?;
            let sk = p256::ecdsa::SigningKey::from_slice(&d).map_err(|e| key_err(alg, e))?;
            let sig: p256::ecdsa::Signature = sk.sign(input);
            sig.to_bytes().to_vec()
        }
        Alg::ES384 => {
            let d = ec_private(alg, key, "P-384")?;
            let sk = p384::ecdsa::SigningKey::from_slice(&d).map_err(|e| key_err(alg, e))?;
            let sig: p384::ecdsa::Signature = sk.sign(input);
            sig.to_bytes().to_vec()
        }
        Alg::ES512 => {
            let d = ec_private(alg, key, "P-521")?;
            let sk = p521::ecdsa::SigningKey::from_slice(&d).map_err(|e| key_err(alg, e))?;
            let sig: p521::ecdsa::Signature = sk.sign(input);
            sig.to_bytes().to_vec()
        }
        Alg::EdDSA => {
            if key.kty != "OKP" || key.crv.as_deref() != Some("Ed25519") {
                return Err(key_err(alg, "needs an OKP Ed25519 key"));
            }
            let d = decode_member(alg, key.d.as_deref(), "d")?;
            let seed: [u8; 32] = d
                .try_into()
                .map_err(|_| key_err(alg, "d must be 32 octets"))?;
            ed25519_dalek::SigningKey::from_bytes(&seed)
                .sign(input)
                .to_bytes()
                .to_vec()
        }
    };
    Ok(sig)
}

fn decode_member(alg: Alg, value: Option<&str>, name: &str) -> Result<Vec<u8>, KeyError> {
    let text = value.ok_or_else(|| key_err(alg, format!("key has no `{name}`")))?;
    crate::b64::decode(text).map_err(|e| key_err(alg, format!("`{name}`: {e}")))
}

fn ec_private(alg: Alg, key: &Jwk, crv: &str) -> Result<Vec<u8>, KeyError> {
    if key.kty != "EC" || key.crv.as_deref() != Some(crv) {
        return Err(key_err(alg, format!("needs an EC {crv} key")));
    }
    decode_member(alg, key.d.as_deref(), "d")
}

/// Whether `sig` is a valid `alg` signature of `input` under the public `key`.
/// Exact encodings only: raw `R || S` for ECDSA, modulus-length RSA signatures.
pub fn verify(alg: Alg, key: &Jwk, input: &[u8], sig: &[u8]) -> bool {
    verify_inner(alg, key, input, sig).unwrap_or(false)
}

fn verify_inner(alg: Alg, key: &Jwk, input: &[u8], sig: &[u8]) -> Result<bool, KeyError> {
    let ok = match alg {
        Alg::HS256 | Alg::HS384 | Alg::HS512 => {
            let expected = hmac(alg, &key.hmac_secret()?, input);
            // Constant-time comparison is not needed here: the forge checks its own output.
            expected == sig
        }
        Alg::RS256 | Alg::RS384 | Alg::RS512 | Alg::PS256 | Alg::PS384 | Alg::PS512 => {
            let public = key.rsa_public_key()?;
            let modulus_len = key.rsa_modulus()?.len();
            if sig.len() != modulus_len {
                return Ok(false);
            }
            match alg {
                Alg::RS256 => rsa_pkcs1::<Sha256>(public, input, sig),
                Alg::RS384 => rsa_pkcs1::<Sha384>(public, input, sig),
                Alg::RS512 => rsa_pkcs1::<Sha512>(public, input, sig),
                Alg::PS256 => rsa_pss::<Sha256>(public, input, sig),
                Alg::PS384 => rsa_pss::<Sha384>(public, input, sig),
                _ => rsa_pss::<Sha512>(public, input, sig),
            }
        }
        Alg::ES256 => {
            let vk = p256::ecdsa::VerifyingKey::from(key.p256_public_key()?);
            p256::ecdsa::Signature::from_slice(sig).is_ok_and(|s| vk.verify(input, &s).is_ok())
        }
        Alg::ES384 => {
            let vk = p384::ecdsa::VerifyingKey::from(key.p384_public_key()?);
            p384::ecdsa::Signature::from_slice(sig).is_ok_and(|s| vk.verify(input, &s).is_ok())
        }
        Alg::ES512 => {
            let vk = p521::ecdsa::VerifyingKey::from(key.p521_public_key()?);
            p521::ecdsa::Signature::from_slice(sig).is_ok_and(|s| vk.verify(input, &s).is_ok())
        }
        Alg::EdDSA => {
            let vk = key.ed25519_public_key()?;
            ed25519_dalek::Signature::from_slice(sig)
                .is_ok_and(|s| vk.verify_strict(input, &s).is_ok())
        }
    };
    Ok(ok)
}

fn rsa_pkcs1<D>(key: rsa::PublicKey, input: &[u8], sig: &[u8]) -> bool
where
    D: Digest + rsa::pkcs8::AssociatedOid + sha2::digest::FixedOutputReset,
{
    let vk = rsa::pkcs1v15::VerifyingKey::<D>::new(key);
    rsa::pkcs1v15::Signature::try_from(sig).is_ok_and(|s| vk.verify(input, &s).is_ok())
}

fn rsa_pss<D>(key: rsa::PublicKey, input: &[u8], sig: &[u8]) -> bool
where
    D: Digest + sha2::digest::FixedOutputReset,
{
    let vk = rsa::pss::VerifyingKey::<D>::new(key);
    rsa::pss::Signature::try_from(sig).is_ok_and(|s| vk.verify(input, &s).is_ok())
}

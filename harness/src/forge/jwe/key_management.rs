//! Key management primitives (RFC 7518 section 4): AES Key Wrap, RSAES-OAEP, PBES2
//! key derivation and ECDH-ES key agreement with the Concat KDF.

use super::{JweError, KeyManagement};
use crate::b64;
use crate::jwk::Jwk;
use aes_kw::KeyInit;
use rand_chacha::rand_core::{CryptoRng, Rng};
use serde_json::{json, Value};
use sha2::{Digest, Sha256, Sha384, Sha512};

fn err(alg: KeyManagement, msg: impl std::fmt::Display) -> JweError {
    JweError(format!("{alg}: {msg}"))
}

/// The secret octets of an `oct` key: the key itself for `dir` and `A*KW`, the
/// password for `PBES2-*`.
pub(super) fn oct_secret(alg: KeyManagement, key: &Jwk) -> Result<Vec<u8>, JweError> {
    if key.kty != "oct" {
        return Err(err(alg, format!("needs an oct key, got kty {:?}", key.kty)));
    }
    key.hmac_secret().map_err(|e| err(alg, e))
}

/// Wraps `cek` with AES Key Wrap (RFC 3394) under `kek` (16, 24 or 32 octets). The CEK
/// must be a multiple of 8 octets, at least 16.
pub fn aes_key_wrap(kek: &[u8], cek: &[u8]) -> Result<Vec<u8>, JweError> {
    if cek.len() < 16 || cek.len() % 8 != 0 {
        return Err(JweError(format!(
            "AES Key Wrap needs a key of at least 16 octets in 8-octet blocks, got {}",
            cek.len()
        )));
    }
    let mut out = vec![0u8; cek.len() + aes_kw::IV_LEN];
    let wrapped = match kek.len() {
        16 => aes_kw::KwAes128::new_from_slice(kek).map(|kw| kw.wrap_key(cek, &mut out)),
        24 => aes_kw::KwAes192::new_from_slice(kek).map(|kw| kw.wrap_key(cek, &mut out)),
        32 => aes_kw::KwAes256::new_from_slice(kek).map(|kw| kw.wrap_key(cek, &mut out)),
        n => {
            return Err(JweError(format!(
                "AES Key Wrap needs a 16, 24 or 32 octet key, got {n}"
            )))
        }
    };
    wrapped
        .map_err(|e| JweError(format!("AES Key Wrap: {e}")))?
        .map_err(|e| JweError(format!("AES Key Wrap: {e}")))?;
    Ok(out)
}

/// Unwraps an AES Key Wrap output under `kek`; fails when the integrity check fails.
pub fn aes_key_unwrap(kek: &[u8], wrapped: &[u8]) -> Result<Vec<u8>, JweError> {
    if wrapped.len() < 24 || wrapped.len() % 8 != 0 {
        return Err(JweError(format!(
            "AES Key Unwrap needs at least 24 octets in 8-octet blocks, got {}",
            wrapped.len()
        )));
    }
    let mut out = vec![0u8; wrapped.len() - aes_kw::IV_LEN];
    let unwrapped =
        match kek.len() {
            16 => aes_kw::KwAes128::new_from_slice(kek)
                .map(|kw| kw.unwrap_key(wrapped, &mut out).is_ok()),
            24 => aes_kw::KwAes192::new_from_slice(kek)
                .map(|kw| kw.unwrap_key(wrapped, &mut out).is_ok()),
            32 => aes_kw::KwAes256::new_from_slice(kek)
                .map(|kw| kw.unwrap_key(wrapped, &mut out).is_ok()),
            n => {
                return Err(JweError(format!(
                    "AES Key Unwrap needs a 16, 24 or 32 octet key, got {n}"
                )))
            }
        };
    match unwrapped {
        Ok(true) => Ok(out),
        Ok(false) => Err(JweError("AES Key Unwrap: integrity check failed".into())),
        Err(e) => Err(JweError(format!("AES Key Unwrap: {e}"))),
    }
}

/// Encrypts `cek` to the RSA public key with RSAES-OAEP (`RSA-OAEP`: SHA-1,
/// `RSA-OAEP-256`: SHA-256), drawing the OAEP seed from `rng`.
pub(super) fn rsa_oaep_encrypt<R: CryptoRng>(
    alg: KeyManagement,
    key: &Jwk,
    cek: &[u8],
    rng: &mut R,
) -> Result<Vec<u8>, JweError> {
    let public = key.rsa_public_key().map_err(|e| err(alg, e))?;
    let sealed = match alg {
        KeyManagement::RsaOaep => public.oaep_encrypt_with_rng::<sha1::Sha1, _>(rng, cek),
        KeyManagement::RsaOaep256 => public.oaep_encrypt_with_rng::<Sha256, _>(rng, cek),
        other => return Err(err(other, "is not RSA-OAEP")),
    };
    sealed.map_err(|e| err(alg, e))
}

/// Decrypts an RSAES-OAEP encrypted key with the RSA private key; `rng` blinds the
/// private-key operation.
pub(super) fn rsa_oaep_decrypt<R: CryptoRng>(
    alg: KeyManagement,
    key: &Jwk,
    encrypted_key: &[u8],
    rng: &mut R,
) -> Result<Vec<u8>, JweError> {
    let private = key.rsa_private_key().map_err(|e| err(alg, e))?;
    let opened = match alg {
        KeyManagement::RsaOaep => {
            private.oaep_decrypt_with_rng::<sha1::Sha1, _>(rng, encrypted_key)
        }
        KeyManagement::RsaOaep256 => private.oaep_decrypt_with_rng::<Sha256, _>(rng, encrypted_key),
        other => return Err(err(other, "is not RSA-OAEP")),
    };
    opened.map_err(|e| err(alg, e))
}

/// The PBES2 key-wrapping key (RFC 7518 section 4.8.1.1): PBKDF2 with the HMAC of the
/// algorithm, salt `UTF8(alg) || 0x00 || salt_input`, `count` iterations.
pub fn pbes2_derive_key(
    alg: KeyManagement,
    password: &[u8],
    salt_input: &[u8],
    count: u32,
) -> Result<Vec<u8>, JweError> {
    let key_len = alg
        .wrap_key_len()
        .filter(|_| alg.is_pbes2())
        .ok_or_else(|| err(alg, "is not PBES2"))?;
    if count == 0 {
        return Err(err(alg, "the iteration count must be at least 1"));
    }
    let mut salt = alg.as_str().as_bytes().to_vec();
    salt.push(0);
    salt.extend_from_slice(salt_input);
    let mut out = vec![0u8; key_len];
    match alg {
        KeyManagement::Pbes2Hs256A128Kw => {
            pbkdf2::pbkdf2_hmac::<Sha256>(password, &salt, count, &mut out)
        }
        KeyManagement::Pbes2Hs384A192Kw => {
            pbkdf2::pbkdf2_hmac::<Sha384>(password, &salt, count, &mut out)
        }
        _ => pbkdf2::pbkdf2_hmac::<Sha512>(password, &salt, count, &mut out),
    }
    Ok(out)
}

/// The Concat KDF of NIST SP 800-56A with SHA-256 as RFC 7518 section 4.6.2 uses it:
/// `key_len` octets from the shared secret `z`, with `AlgorithmID` = `algorithm_id`
/// (the `enc` value for `ECDH-ES`, the `alg` value otherwise), `PartyUInfo` = `apu`,
/// `PartyVInfo` = `apv`, each length-prefixed, and `SuppPubInfo` = the key length in bits.
pub fn concat_kdf(z: &[u8], algorithm_id: &str, apu: &[u8], apv: &[u8], key_len: usize) -> Vec<u8> {
    let mut other_info = Vec::new();
    for part in [algorithm_id.as_bytes(), apu, apv] {
        other_info.extend_from_slice(&(part.len() as u32).to_be_bytes());
        other_info.extend_from_slice(part);
    }
    other_info.extend_from_slice(&((key_len * 8) as u32).to_be_bytes());
    let mut out = Vec::with_capacity(key_len + 32);
    let mut counter = 1u32;
    while out.len() < key_len {
        let mut hash = Sha256::new();
        hash.update(counter.to_be_bytes());
        hash.update(z);
        hash.update(&other_info);
        out.extend_from_slice(&hash.finalize());
        counter += 1;
    }
    out.truncate(key_len);
    out
}

/// The curve of an EC key that ECDH-ES can use here (P-256 or P-384).
pub(super) fn ecdh_curve(alg: KeyManagement, key: &Jwk) -> Result<&str, JweError> {
    if key.kty != "EC" {
        return Err(err(alg, format!("needs an EC key, got kty {:?}", key.kty)));
    }
    let crv = key.crv.as_deref();
    scalar_len(alg, crv)?;
    Ok(crv.unwrap_or_default())
}

/// The octet length of a private scalar on the curves ECDH-ES supports here.
pub(super) fn scalar_len(alg: KeyManagement, crv: Option<&str>) -> Result<usize, JweError> {
    match crv {
        Some("P-256") => Ok(32),
        Some("P-384") => Ok(48),
        other => Err(err(
            alg,
            format!("ECDH-ES is implemented for EC P-256 and P-384 keys, got crv {other:?}"),
        )),
    }
}

/// `(Z, own public point 04 || x || y)` from the private scalar `d` and the peer's
/// uncompressed SEC1 point, on the curve `crv`.
fn ecdh_raw(
    alg: KeyManagement,
    crv: &str,
    d: &[u8],
    peer: &[u8],
) -> Result<(Vec<u8>, Vec<u8>), JweError> {
    macro_rules! on_curve {
        ($curve:ident) => {{
            use $curve::elliptic_curve::sec1::ToSec1Point;
            let secret = $curve::SecretKey::from_slice(d)
                .map_err(|_| err(alg, format!("the {crv} private scalar is not valid")))?;
            let public = $curve::PublicKey::from_sec1_bytes(peer)
                .map_err(|_| err(alg, format!("the {crv} public point is not on the curve")))?;
            let z = $curve::ecdh::diffie_hellman(secret.to_nonzero_scalar(), public.as_affine());
            let own = secret.public_key().to_sec1_point(false);
            Ok((z.raw_secret_bytes().to_vec(), own.as_bytes().to_vec()))
        }};
    }
    match crv {
        "P-256" => on_curve!(p256),
        "P-384" => on_curve!(p384),
        other => Err(err(alg, format!("ECDH-ES is not implemented for {other}"))),
    }
}

/// Whether `d` is a valid private scalar on `crv` (non-zero, below the group order).
pub(super) fn valid_scalar(crv: &str, d: &[u8]) -> bool {
    match crv {
        "P-256" => p256::SecretKey::from_slice(d).is_ok(),
        "P-384" => p384::SecretKey::from_slice(d).is_ok(),
        _ => false,
    }
}

/// A valid private scalar for `crv` drawn from `rng` (retrying the rare out-of-range draw).
pub(super) fn random_scalar<R: Rng>(
    alg: KeyManagement,
    crv: &str,
    rng: &mut R,
) -> Result<Vec<u8>, JweError> {
    let mut d = vec![0u8; scalar_len(alg, Some(crv))?];
    for _ in 0..64 {
        rng.fill_bytes(&mut d);
        if valid_scalar(crv, &d) {
            return Ok(d);
        }
    }
    Err(err(alg, "could not draw a valid ephemeral scalar"))
}

/// The sender's side of ECDH-ES: the shared secret `Z` between the ephemeral scalar
/// `ephemeral_d` and the recipient's public key, and the ephemeral public key as the
/// `epk` JWK `{"kty","crv","x","y"}` (RFC 7518 section 4.6.1.1).
pub(super) fn ecdh_sender(
    alg: KeyManagement,
    recipient: &Jwk,
    ephemeral_d: &[u8],
) -> Result<(Vec<u8>, Value), JweError> {
    let crv = ecdh_curve(alg, recipient)?;
    let n = scalar_len(alg, Some(crv))?;
    let peer = recipient.ec_sec1_point().map_err(|e| err(alg, e))?;
    let (z, own) = ecdh_raw(alg, crv, ephemeral_d, &peer)?;
    let epk = json!({
        "kty": "EC",
        "crv": crv,
        "x": b64::encode(&own[1..1 + n]),
        "y": b64::encode(&own[1 + n..]),
    });
    Ok((z, epk))
}

/// The recipient's side of ECDH-ES: `Z` from the recipient's private key and the
/// header's `epk`.
pub(super) fn ecdh_recipient(
    alg: KeyManagement,
    recipient: &Jwk,
    epk: &Value,
) -> Result<Vec<u8>, JweError> {
    let epk: Jwk = serde_json::from_value(epk.clone())
        .map_err(|e| err(alg, format!("epk is not a JWK: {e}")))?;
    if recipient.kty != "EC" || epk.kty != "EC" || epk.crv != recipient.crv {
        return Err(err(
            alg,
            "the recipient key and epk must be EC keys on the same curve",
        ));
    }
    let crv = recipient.crv.as_deref().unwrap_or_default();
    scalar_len(alg, Some(crv))?;
    let d = b64::decode(
        recipient
            .d
            .as_deref()
            .ok_or_else(|| err(alg, "the recipient key has no d"))?,
    )
    .map_err(|e| err(alg, format!("d: {e}")))?;
    let peer = epk
        .ec_sec1_point()
        .map_err(|e| err(alg, format!("epk: {e}")))?;
    Ok(ecdh_raw(alg, crv, &d, &peer)?.0)
}

/// The key ECDH-ES derives from `Z`: the CEK itself for `ECDH-ES` (its length and
/// AlgorithmID from `enc`), the key-wrapping key for `ECDH-ES+A*KW`.
pub(super) fn ecdh_derived_key(
    alg: KeyManagement,
    enc: super::ContentEncryption,
    z: &[u8],
    apu: &[u8],
    apv: &[u8],
) -> Vec<u8> {
    match alg.wrap_key_len() {
        Some(len) => concat_kdf(z, alg.as_str(), apu, apv, len),
        None => concat_kdf(z, enc.as_str(), apu, apv, enc.cek_len()),
    }
}

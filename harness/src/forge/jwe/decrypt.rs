//! A verifier-independent JWE decryption (RFC 7516 section 5.2), for checking what the
//! forge made and what a verifier returned. It trusts nothing in the token: PBES2
//! iteration counts and inflated sizes are bounded by [`DecryptLimits`].

use super::key_management::{self as km, aes_key_unwrap, pbes2_derive_key};
use super::{decrypt_content, inflate, ContentEncryption, JweError, KeyManagement};
use crate::b64;
use crate::jwk::Jwk;
use rand_chacha::rand_core::SeedableRng;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// Bounds on the work a token can ask of [`decrypt_with_limits`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DecryptLimits {
    /// The largest PBES2 `p2c` honoured; a larger one is an error before any work.
    pub max_pbes2_count: u64,
    /// The largest plaintext a `zip: DEF` content may inflate to.
    pub max_inflated_len: usize,
}

impl Default for DecryptLimits {
    /// 1,000,000 PBES2 iterations (the forge's own maximum) and 1 MiB inflated.
    fn default() -> Self {
        DecryptLimits {
            max_pbes2_count: u64::from(super::MAX_FORGE_PBES2_COUNT),
            max_inflated_len: 1 << 20,
        }
    }
}

/// A decrypted JWE.
#[derive(Clone, Debug, PartialEq)]
pub struct Decrypted {
    /// The protected header, parsed.
    pub header: Value,
    /// The Content Encryption Key.
    pub cek: Vec<u8>,
    /// The plaintext, inflated when the header has `zip: DEF`.
    pub plaintext: Vec<u8>,
}

/// Decrypts a compact JWE with `key` (private parts needed for RSA and EC) under the
/// default [`DecryptLimits`].
pub fn decrypt(token: &str, key: &Jwk) -> Result<Decrypted, JweError> {
    decrypt_with_limits(token, key, &DecryptLimits::default())
}

fn segment(parts: &[&str], i: usize, name: &str) -> Result<Vec<u8>, JweError> {
    b64::decode(parts[i]).map_err(|e| JweError(format!("JWE {name} is not base64url: {e}")))
}

fn header_bytes(header: &Value, name: &str) -> Result<Vec<u8>, JweError> {
    match header.get(name) {
        None => Ok(Vec::new()),
        Some(Value::String(s)) => b64::decode(s).map_err(|e| JweError(format!("{name}: {e}"))),
        Some(_) => Err(JweError(format!("{name} must be a base64url string"))),
    }
}

/// Decrypts a compact JWE with `key`, taking `alg` and `enc` from its protected header.
pub fn decrypt_with_limits(
    token: &str,
    key: &Jwk,
    limits: &DecryptLimits,
) -> Result<Decrypted, JweError> {
    let parts: Vec<&str> = token.split('.').collect();
    if parts.len() != 5 {
        return Err(JweError(format!(
            "a compact JWE has 5 segments, this token has {}",
            parts.len()
        )));
    }
    let header_raw = segment(&parts, 0, "protected header")?;
    let encrypted_key = segment(&parts, 1, "encrypted key")?;
    let iv = segment(&parts, 2, "initialization vector")?;
    let ciphertext = segment(&parts, 3, "ciphertext")?;
    let tag = segment(&parts, 4, "authentication tag")?;
    let header: Value = serde_json::from_slice(&header_raw)
        .map_err(|e| JweError(format!("the protected header is not JSON: {e}")))?;
    let name = |member: &str| {
        header
            .get(member)
            .and_then(Value::as_str)
            .ok_or_else(|| JweError(format!("the protected header has no string {member:?}")))
    };
    let alg: KeyManagement = name("alg")?.parse()?;
    let enc: ContentEncryption = name("enc")?.parse()?;

    let cek = match alg {
        KeyManagement::Dir => km::oct_secret(alg, key)?,
        KeyManagement::RsaOaep | KeyManagement::RsaOaep256 => {
            // Blinding randomness for the private-key operation, fixed by the token.
            let seed: [u8; 32] = Sha256::digest(token.as_bytes()).into();
            let mut rng = rand_chacha::ChaCha20Rng::from_seed(seed);
            km::rsa_oaep_decrypt(alg, key, &encrypted_key, &mut rng)?
        }
        KeyManagement::A128Kw | KeyManagement::A192Kw | KeyManagement::A256Kw => {
            aes_key_unwrap(&km::oct_secret(alg, key)?, &encrypted_key)?
        }
        _ if alg.is_pbes2() => {
            let salt = match header.get("p2s") {
                Some(_) => header_bytes(&header, "p2s")?,
                None => return Err(JweError(format!("{alg}: the header has no p2s"))),
            };
            let count = header
                .get("p2c")
                .and_then(Value::as_u64)
                .ok_or_else(|| JweError(format!("{alg}: p2c must be a positive integer")))?;
            if count > limits.max_pbes2_count {
                return Err(JweError(format!(
                    "{alg}: p2c {count} is over the limit of {}",
                    limits.max_pbes2_count
                )));
            }
            let password = km::oct_secret(alg, key)?;
            let count =
                u32::try_from(count).map_err(|_| JweError(format!("{alg}: p2c is too large")))?;
            aes_key_unwrap(
                &pbes2_derive_key(alg, &password, &salt, count)?,
                &encrypted_key,
            )?
        }
        _ => {
            let epk = header
                .get("epk")
                .ok_or_else(|| JweError(format!("{alg}: the header has no epk")))?;
            let z = km::ecdh_recipient(alg, key, epk)?;
            let (apu, apv) = (header_bytes(&header, "apu")?, header_bytes(&header, "apv")?);
            let derived = km::ecdh_derived_key(alg, enc, &z, &apu, &apv);
            if alg == KeyManagement::EcdhEs {
                derived
            } else {
                aes_key_unwrap(&derived, &encrypted_key)?
            }
        }
    };
    if alg.determines_cek() && !encrypted_key.is_empty() {
        return Err(JweError(format!("{alg}: the encrypted key must be empty")));
    }
    let content = decrypt_content(enc, &cek, &iv, parts[0].as_bytes(), &ciphertext, &tag)?;
    let plaintext = match header.get("zip") {
        None => content,
        Some(zip) if zip == "DEF" => inflate(&content, limits.max_inflated_len)?,
        Some(other) => return Err(JweError(format!("unsupported zip {other}"))),
    };
    Ok(Decrypted {
        header,
        cek,
        plaintext,
    })
}

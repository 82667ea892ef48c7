//! Content encryption (RFC 7518 section 5): AES-CBC with HMAC-SHA-2 (section 5.2) and
//! AES-GCM (section 5.3), each over a plaintext with Additional Authenticated Data.
//!
//! In the compact serialization the AAD is `ASCII(BASE64URL(UTF8(protected header)))`
//! (RFC 7516 section 5.1, step 14).

use super::{ContentEncryption, JweError};
use aes_gcm::aead::consts::U12;
use aes_gcm::aead::{Aead, KeyInit, Payload};
use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyIvInit};
use hmac::Mac;
use sha2::{Sha256, Sha384, Sha512};

type Aes192Gcm = aes_gcm::AesGcm<aes::Aes192, U12>;

fn err(enc: ContentEncryption, msg: impl std::fmt::Display) -> JweError {
    JweError(format!("{enc}: {msg}"))
}

fn check_lengths(enc: ContentEncryption, cek: &[u8], iv: &[u8]) -> Result<(), JweError> {
    if cek.len() != enc.cek_len() {
        return Err(err(
            enc,
            format!(
                "the CEK must be {} octets, got {} (RFC 7518 section 5)",
                enc.cek_len(),
                cek.len()
            ),
        ));
    }
    if iv.len() != enc.iv_len() {
        return Err(err(
            enc,
            format!(
                "the IV must be {} octets, got {} (RFC 7518 section 5)",
                enc.iv_len(),
                iv.len()
            ),
        ));
    }
    Ok(())
}

/// Encrypts `plaintext` with `enc` under `cek` and `iv`, authenticating `aad`; returns
/// `(ciphertext, authentication tag)`. Fails when the CEK or IV has the wrong length.
pub fn encrypt_content(
    enc: ContentEncryption,
    cek: &[u8],
    iv: &[u8],
    aad: &[u8],
    plaintext: &[u8],
) -> Result<(Vec<u8>, Vec<u8>), JweError> {
    check_lengths(enc, cek, iv)?;
    match enc {
        ContentEncryption::A128Gcm => {
            gcm_encrypt::<aes_gcm::Aes128Gcm>(enc, cek, iv, aad, plaintext)
        }
        ContentEncryption::A192Gcm => gcm_encrypt::<Aes192Gcm>(enc, cek, iv, aad, plaintext),
        ContentEncryption::A256Gcm => {
            gcm_encrypt::<aes_gcm::Aes256Gcm>(enc, cek, iv, aad, plaintext)
        }
        ContentEncryption::A128CbcHs256 => {
            let (mac_key, enc_key) = cek.split_at(16);
            let ciphertext = cbc_encrypt::<aes::Aes128>(enc, enc_key, iv, plaintext)?;
            let tag = cbc_tag::<hmac::Hmac<Sha256>>(mac_key, aad, iv, &ciphertext, 16);
            Ok((ciphertext, tag))
        }
        ContentEncryption::A192CbcHs384 => {
            let (mac_key, enc_key) = cek.split_at(24);
            let ciphertext = cbc_encrypt::<aes::Aes192>(enc, enc_key, iv, plaintext)?;
            let tag = cbc_tag::<hmac::Hmac<Sha384>>(mac_key, aad, iv, &ciphertext, 24);
            Ok((ciphertext, tag))
        }
        ContentEncryption::A256CbcHs512 => {
            let (mac_key, enc_key) = cek.split_at(32);
            let ciphertext = cbc_encrypt::<aes::Aes256>(enc, enc_key, iv, plaintext)?;
            let tag = cbc_tag::<hmac::Hmac<Sha512>>(mac_key, aad, iv, &ciphertext, 32);
            Ok((ciphertext, tag))
        }
    }
}

/// Checks the tag and decrypts: the inverse of [`encrypt_content`]. Fails on a wrong
/// tag, wrong lengths or bad padding, without saying which (as a verifier should not).
pub fn decrypt_content(
    enc: ContentEncryption,
    cek: &[u8],
    iv: &[u8],
    aad: &[u8],
    ciphertext: &[u8],
    tag: &[u8],
) -> Result<Vec<u8>, JweError> {
    check_lengths(enc, cek, iv)?;
    let failed = || err(enc, "decryption failed (authentication tag or padding)");
    match enc {
        ContentEncryption::A128Gcm => {
            gcm_decrypt::<aes_gcm::Aes128Gcm>(cek, iv, aad, ciphertext, tag).ok_or_else(failed)
        }
        ContentEncryption::A192Gcm => {
            gcm_decrypt::<Aes192Gcm>(cek, iv, aad, ciphertext, tag).ok_or_else(failed)
        }
        ContentEncryption::A256Gcm => {
            gcm_decrypt::<aes_gcm::Aes256Gcm>(cek, iv, aad, ciphertext, tag).ok_or_else(failed)
        }
        ContentEncryption::A128CbcHs256 => {
            let (mac_key, enc_key) = cek.split_at(16);
            let expected = cbc_tag::<hmac::Hmac<Sha256>>(mac_key, aad, iv, ciphertext, 16);
            // The forge checks its own output, so a constant-time comparison is not needed.
            (expected == tag)
                .then(|| cbc_decrypt::<aes::Aes128>(enc_key, iv, ciphertext))
                .flatten()
                .ok_or_else(failed)
        }
        ContentEncryption::A192CbcHs384 => {
            let (mac_key, enc_key) = cek.split_at(24);
            let expected = cbc_tag::<hmac::Hmac<Sha384>>(mac_key, aad, iv, ciphertext, 24);
            (expected == tag)
                .then(|| cbc_decrypt::<aes::Aes192>(enc_key, iv, ciphertext))
                .flatten()
                .ok_or_else(failed)
        }
        ContentEncryption::A256CbcHs512 => {
            let (mac_key, enc_key) = cek.split_at(32);
            let expected = cbc_tag::<hmac::Hmac<Sha512>>(mac_key, aad, iv, ciphertext, 32);
            (expected == tag)
                .then(|| cbc_decrypt::<aes::Aes256>(enc_key, iv, ciphertext))
                .flatten()
                .ok_or_else(failed)
        }
    }
}

fn gcm_encrypt<C: Aead + KeyInit>(
    enc: ContentEncryption,
    cek: &[u8],
    iv: &[u8],
    aad: &[u8],
    plaintext: &[u8],
) -> Result<(Vec<u8>, Vec<u8>), JweError> {
    let cipher = C::new_from_slice(cek).map_err(|e| err(enc, e))?;
    let nonce = <&aes_gcm::aead::Nonce<C>>::try_from(iv).map_err(|e| err(enc, e))?;
    let mut sealed = cipher
        .encrypt(
            nonce,
            Payload {
                msg: plaintext,
                aad,
            },
        )
        .map_err(|e| err(enc, e))?;
    // aes-gcm appends the 16-octet tag to the ciphertext.
    let tag = sealed.split_off(sealed.len() - 16);
    Ok((sealed, tag))
}

fn gcm_decrypt<C: Aead + KeyInit>(
    cek: &[u8],
    iv: &[u8],
    aad: &[u8],
    ciphertext: &[u8],
    tag: &[u8],
) -> Option<Vec<u8>> {
    let cipher = C::new_from_slice(cek).ok()?;
    let nonce = <&aes_gcm::aead::Nonce<C>>::try_from(iv).ok()?;
    if tag.len() != 16 {
        return None;
    }
    let sealed = [ciphertext, tag].concat();
    cipher.decrypt(nonce, Payload { msg: &sealed, aad }).ok()
}

fn cbc_encrypt<C>(
    enc: ContentEncryption,
    key: &[u8],
    iv: &[u8],
    plaintext: &[u8],
) -> Result<Vec<u8>, JweError>
where
    C: cbc::cipher::BlockCipherEncrypt + cbc::cipher::KeyInit,
    cbc::Encryptor<C>: KeyIvInit + BlockModeEncrypt,
{
    let mut out = vec![0u8; (plaintext.len() / 16 + 1) * 16];
    let len = cbc::Encryptor::<C>::new_from_slices(key, iv)
        .map_err(|e| err(enc, e))?
        .encrypt_padded_b2b::<Pkcs7>(plaintext, &mut out)
        .map_err(|e| err(enc, e))?
        .len();
    out.truncate(len);
    Ok(out)
}

fn cbc_decrypt<C>(key: &[u8], iv: &[u8], ciphertext: &[u8]) -> Option<Vec<u8>>
where
    C: cbc::cipher::BlockCipherDecrypt + cbc::cipher::KeyInit,
    cbc::Decryptor<C>: KeyIvInit + BlockModeDecrypt,
{
    let mut out = vec![0u8; ciphertext.len()];
    let len = cbc::Decryptor::<C>::new_from_slices(key, iv)
        .ok()?
        .decrypt_padded_b2b::<Pkcs7>(ciphertext, &mut out)
        .ok()?
        .len();
    out.truncate(len);
    Some(out)
}

/// `M = MAC(MAC_KEY, A || IV || E || AL)` truncated to `T_LEN` octets, where `AL` is
/// the bit length of `A` as a 64-bit big-endian integer (RFC 7518 section 5.2.2.1).
fn cbc_tag<M: Mac + hmac::KeyInit>(
    mac_key: &[u8],
    aad: &[u8],
    iv: &[u8],
    ciphertext: &[u8],
    tag_len: usize,
) -> Vec<u8> {
    let mut mac =
        <M as hmac::KeyInit>::new_from_slice(mac_key).expect("HMAC takes keys of any length");
    mac.update(aad);
    mac.update(iv);
    mac.update(ciphertext);
    mac.update(&(aad.len() as u64 * 8).to_be_bytes());
    let mut tag = mac.finalize().into_bytes().to_vec();
    tag.truncate(tag_len);
    tag
}

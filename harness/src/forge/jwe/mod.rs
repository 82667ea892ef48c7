//! JWE encryption in the compact serialization (RFC 7516), independent of any verifier.
//!
//! What it is for: cases that hand a JWS verifier a JWE (sign/encrypt confusion: a
//! token that is encrypted to the verifier's key is not signed by anyone, RFC 8725bis),
//! nested JWTs (a JWS as the JWE plaintext, RFC 7519 section 5.2), and JWE resource
//! limits (a `PBES2` `p2c` large enough to stall a verifier that honours it, a `zip: DEF`
//! bomb).
//!
//! [`JweBuilder`] makes `BASE64URL(header).BASE64URL(encrypted key).BASE64URL(iv).
//! BASE64URL(ciphertext).BASE64URL(tag)` from a protected header (a JSON value, or exact
//! bytes so cases can send odd headers), a plaintext and a recipient key. The
//! algorithms actually used are the builder's, whatever the header says, so a header
//! can claim one thing while the cryptography does another.
//!
//! Deterministic: the CEK, IV, PBES2 salt, ECDH ephemeral key and RSA-OAEP seed are
//! either given explicitly or drawn from ChaCha20 generators seeded by a hash of all the
//! inputs (one generator per purpose, so giving one value explicitly leaves the others
//! unchanged). The same inputs always give the same token; nothing reads the OS RNG.
//!
//! [`decrypt`] is a verifier-independent decryption, for checking what the forge made
//! and what a verifier returned.

mod algorithms;
mod builder;
pub mod content;
mod decrypt;
pub mod key_management;
pub mod zip;

#[cfg(test)]
mod tests;

pub use algorithms::{ContentEncryption, KeyManagement};
pub use builder::JweBuilder;
pub use content::{decrypt_content, encrypt_content};
pub use decrypt::{decrypt, decrypt_with_limits, DecryptLimits, Decrypted};
pub use key_management::{aes_key_unwrap, aes_key_wrap, concat_kdf, pbes2_derive_key};
pub use zip::{deflate, deflate_bomb, inflate};

use crate::b64;
use crate::jwk::{Jwk, KeyError};
use serde_json::Value;
use std::fmt;

/// Why the forge could not build (or decrypt) a JWE: wrong key type or length for the
/// algorithm, a malformed explicit input, an unparseable token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JweError(pub String);

impl fmt::Display for JweError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for JweError {}

impl From<KeyError> for JweError {
    fn from(e: KeyError) -> JweError {
        JweError(e.0)
    }
}

/// The PBES2 iteration count used when none is given: the minimum RFC 7518 section
/// 4.8.1.2 recommends.
pub const DEFAULT_PBES2_COUNT: u32 = 1000;

/// The largest PBES2 iteration count the forge will compute. Larger counts can still be
/// *claimed* in the header with [`JweBuilder::header_p2c`].
pub const MAX_FORGE_PBES2_COUNT: u32 = 1_000_000;

/// Whether the plaintext is compressed before encryption.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ZipMode {
    /// Raw DEFLATE when the protected header is a JSON object whose `zip` is `"DEF"`.
    #[default]
    FollowHeader,
    /// Always raw DEFLATE, whatever the header says. With the usual header (no header
    /// given), the header also gets `"zip":"DEF"`.
    Deflate,
    /// The plaintext is encrypted as given (already compressed, say, or a header that
    /// claims `zip` over content that is not compressed).
    AsIs,
}

/// The usual JWE header for `alg`, `enc` and `key`: `{"alg":…,"enc":…,"kid":…}` (no
/// `kid` when the key has none).
pub fn usual_header(alg: KeyManagement, enc: ContentEncryption, key: &Jwk) -> Value {
    let mut header = serde_json::json!({"alg": alg.as_str(), "enc": enc.as_str()});
    if let Some(kid) = &key.kid {
        header["kid"] = Value::from(kid.as_str());
    }
    header
}

/// The JWE Compact Serialization of five exact parts (RFC 7516 section 7.1).
pub fn assemble_jwe(
    header: &[u8],
    encrypted_key: &[u8],
    iv: &[u8],
    ciphertext: &[u8],
    tag: &[u8],
) -> String {
    [header, encrypted_key, iv, ciphertext, tag]
        .iter()
        .map(b64::encode)
        .collect::<Vec<_>>()
        .join(".")
}

/// The parts of a JWE the forge made, and the CEK it used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JweParts {
    /// The exact protected header bytes (what the first segment encodes).
    pub protected_header: Vec<u8>,
    /// The JWE Encrypted Key (empty for `dir` and `ECDH-ES`).
    pub encrypted_key: Vec<u8>,
    /// The JWE Initialization Vector.
    pub iv: Vec<u8>,
    /// The JWE Ciphertext.
    pub ciphertext: Vec<u8>,
    /// The JWE Authentication Tag.
    pub tag: Vec<u8>,
    /// The Content Encryption Key the content was encrypted with.
    pub cek: Vec<u8>,
}

impl JweParts {
    /// The JWE Compact Serialization.
    pub fn compact(&self) -> String {
        assemble_jwe(
            &self.protected_header,
            &self.encrypted_key,
            &self.iv,
            &self.ciphertext,
            &self.tag,
        )
    }
}

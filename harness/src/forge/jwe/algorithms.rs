//! The JWE algorithm identifiers the forge implements (RFC 7518 sections 4.1 and 5.1).

use super::JweError;
use std::fmt;
use std::str::FromStr;

/// A key management algorithm: how the Content Encryption Key (CEK) reaches the
/// recipient (RFC 7518 section 4). `RSA1_5` and `A*GCMKW` are not implemented.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyManagement {
    /// `RSA-OAEP`: RSAES-OAEP with SHA-1 and MGF1-SHA-1 (section 4.3).
    RsaOaep,
    /// `RSA-OAEP-256`: RSAES-OAEP with SHA-256 and MGF1-SHA-256 (section 4.3).
    RsaOaep256,
    /// `dir`: the shared symmetric key is the CEK; the encrypted key is empty (section 4.5).
    Dir,
    /// `A128KW`: AES Key Wrap (RFC 3394) with a 128-bit key (section 4.4).
    A128Kw,
    /// `A192KW`: AES Key Wrap with a 192-bit key (section 4.4).
    A192Kw,
    /// `A256KW`: AES Key Wrap with a 256-bit key (section 4.4).
    A256Kw,
    /// `PBES2-HS256+A128KW`: PBKDF2-HMAC-SHA-256 from a password, then A128KW (section 4.8).
    Pbes2Hs256A128Kw,
    /// `PBES2-HS384+A192KW`: PBKDF2-HMAC-SHA-384, then A192KW (section 4.8).
    Pbes2Hs384A192Kw,
    /// `PBES2-HS512+A256KW`: PBKDF2-HMAC-SHA-512, then A256KW (section 4.8).
    Pbes2Hs512A256Kw,
    /// `ECDH-ES`: the CEK is agreed directly by ECDH with an ephemeral key and the
    /// Concat KDF; the encrypted key is empty (section 4.6).
    EcdhEs,
    /// `ECDH-ES+A128KW`: ECDH-ES agrees a 128-bit key that wraps the CEK (section 4.6).
    EcdhEsA128Kw,
    /// `ECDH-ES+A192KW`: ECDH-ES agrees a 192-bit key that wraps the CEK (section 4.6).
    EcdhEsA192Kw,
    /// `ECDH-ES+A256KW`: ECDH-ES agrees a 256-bit key that wraps the CEK (section 4.6).
    EcdhEsA256Kw,
}

impl KeyManagement {
    /// Every key management algorithm the forge implements, in RFC 7518 order.
    pub const ALL: [KeyManagement; 13] = [
        KeyManagement::RsaOaep,
        KeyManagement::RsaOaep256,
        KeyManagement::Dir,
        KeyManagement::A128Kw,
        KeyManagement::A192Kw,
        KeyManagement::A256Kw,
        KeyManagement::Pbes2Hs256A128Kw,
        KeyManagement::Pbes2Hs384A192Kw,
        KeyManagement::Pbes2Hs512A256Kw,
        KeyManagement::EcdhEs,
        KeyManagement::EcdhEsA128Kw,
        KeyManagement::EcdhEsA192Kw,
        KeyManagement::EcdhEsA256Kw,
    ];

    /// The `alg` header value, exactly as registered.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyManagement::RsaOaep => "RSA-OAEP",
            KeyManagement::RsaOaep256 => "RSA-OAEP-256",
            KeyManagement::Dir => "dir",
            KeyManagement::A128Kw => "A128KW",
            KeyManagement::A192Kw => "A192KW",
            KeyManagement::A256Kw => "A256KW",
            KeyManagement::Pbes2Hs256A128Kw => "PBES2-HS256+A128KW",
            KeyManagement::Pbes2Hs384A192Kw => "PBES2-HS384+A192KW",
            KeyManagement::Pbes2Hs512A256Kw => "PBES2-HS512+A256KW",
            KeyManagement::EcdhEs => "ECDH-ES",
            KeyManagement::EcdhEsA128Kw => "ECDH-ES+A128KW",
            KeyManagement::EcdhEsA192Kw => "ECDH-ES+A192KW",
            KeyManagement::EcdhEsA256Kw => "ECDH-ES+A256KW",
        }
    }

    /// The AES Key Wrap key length in octets, for the algorithms that end in a key
    /// wrap (`A*KW`, `PBES2-*`, `ECDH-ES+A*KW`); `None` for the others.
    pub fn wrap_key_len(self) -> Option<usize> {
        match self {
            KeyManagement::A128Kw
            | KeyManagement::Pbes2Hs256A128Kw
            | KeyManagement::EcdhEsA128Kw => Some(16),
            KeyManagement::A192Kw
            | KeyManagement::Pbes2Hs384A192Kw
            | KeyManagement::EcdhEsA192Kw => Some(24),
            KeyManagement::A256Kw
            | KeyManagement::Pbes2Hs512A256Kw
            | KeyManagement::EcdhEsA256Kw => Some(32),
            _ => None,
        }
    }

    /// Whether the algorithm is one of `PBES2-*`.
    pub fn is_pbes2(self) -> bool {
        matches!(
            self,
            KeyManagement::Pbes2Hs256A128Kw
                | KeyManagement::Pbes2Hs384A192Kw
                | KeyManagement::Pbes2Hs512A256Kw
        )
    }

    /// Whether the algorithm is one of `ECDH-ES*`.
    pub fn is_ecdh(self) -> bool {
        matches!(
            self,
            KeyManagement::EcdhEs
                | KeyManagement::EcdhEsA128Kw
                | KeyManagement::EcdhEsA192Kw
                | KeyManagement::EcdhEsA256Kw
        )
    }

    /// Whether the CEK is fixed by the key management rather than chosen (`dir`,
    /// `ECDH-ES`): the encrypted key is then empty.
    pub fn determines_cek(self) -> bool {
        matches!(self, KeyManagement::Dir | KeyManagement::EcdhEs)
    }
}

impl fmt::Display for KeyManagement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for KeyManagement {
    type Err = JweError;

    /// Parses a registered `alg` value (case-sensitive, RFC 7516 section 4.1.1).
    fn from_str(s: &str) -> Result<Self, JweError> {
        KeyManagement::ALL
            .into_iter()
            .find(|a| a.as_str() == s)
            .ok_or_else(|| JweError(format!("unsupported JWE key management alg {s:?}")))
    }
}

/// A content encryption algorithm (RFC 7518 section 5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ContentEncryption {
    /// `A128CBC-HS256`: AES-128-CBC with HMAC-SHA-256, 32-octet CEK (section 5.2.3).
    A128CbcHs256,
    /// `A192CBC-HS384`: AES-192-CBC with HMAC-SHA-384, 48-octet CEK (section 5.2.4).
    A192CbcHs384,
    /// `A256CBC-HS512`: AES-256-CBC with HMAC-SHA-512, 64-octet CEK (section 5.2.5).
    A256CbcHs512,
    /// `A128GCM`: AES-GCM with a 128-bit key (section 5.3).
    A128Gcm,
    /// `A192GCM`: AES-GCM with a 192-bit key (section 5.3).
    A192Gcm,
    /// `A256GCM`: AES-GCM with a 256-bit key (section 5.3).
    A256Gcm,
}

impl ContentEncryption {
    /// Every content encryption algorithm, in RFC 7518 order.
    pub const ALL: [ContentEncryption; 6] = [
        ContentEncryption::A128CbcHs256,
        ContentEncryption::A192CbcHs384,
        ContentEncryption::A256CbcHs512,
        ContentEncryption::A128Gcm,
        ContentEncryption::A192Gcm,
        ContentEncryption::A256Gcm,
    ];

    /// The `enc` header value, exactly as registered.
    pub fn as_str(self) -> &'static str {
        match self {
            ContentEncryption::A128CbcHs256 => "A128CBC-HS256",
            ContentEncryption::A192CbcHs384 => "A192CBC-HS384",
            ContentEncryption::A256CbcHs512 => "A256CBC-HS512",
            ContentEncryption::A128Gcm => "A128GCM",
            ContentEncryption::A192Gcm => "A192GCM",
            ContentEncryption::A256Gcm => "A256GCM",
        }
    }

    /// The CEK length in octets (for CBC-HS, the MAC key and the encryption key together).
    pub fn cek_len(self) -> usize {
        match self {
            ContentEncryption::A128Gcm => 16,
            ContentEncryption::A192Gcm => 24,
            ContentEncryption::A256Gcm | ContentEncryption::A128CbcHs256 => 32,
            ContentEncryption::A192CbcHs384 => 48,
            ContentEncryption::A256CbcHs512 => 64,
        }
    }

    /// The Initialization Vector length in octets: 96 bits for GCM, 128 bits for CBC.
    pub fn iv_len(self) -> usize {
        if self.is_gcm() {
            12
        } else {
            16
        }
    }

    /// The Authentication Tag length in octets.
    pub fn tag_len(self) -> usize {
        if self.is_gcm() {
            16
        } else {
            self.cek_len() / 2
        }
    }

    /// Whether this is one of `A*GCM`.
    pub fn is_gcm(self) -> bool {
        matches!(
            self,
            ContentEncryption::A128Gcm | ContentEncryption::A192Gcm | ContentEncryption::A256Gcm
        )
    }
}

impl fmt::Display for ContentEncryption {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ContentEncryption {
    type Err = JweError;

    /// Parses a registered `enc` value (case-sensitive, RFC 7516 section 4.1.2).
    fn from_str(s: &str) -> Result<Self, JweError> {
        ContentEncryption::ALL
            .into_iter()
            .find(|e| e.as_str() == s)
            .ok_or_else(|| JweError(format!("unsupported JWE content encryption enc {s:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_names_are_errors() {
        for alg in KeyManagement::ALL {
            assert_eq!(alg.as_str().parse::<KeyManagement>().unwrap(), alg);
        }
        for enc in ContentEncryption::ALL {
            assert_eq!(enc.as_str().parse::<ContentEncryption>().unwrap(), enc);
        }
        assert!("RSA1_5".parse::<KeyManagement>().is_err());
        assert!("a128gcm".parse::<ContentEncryption>().is_err());
    }
}

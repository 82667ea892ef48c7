//! Mints tokens independently of any verifier under test: arbitrary header and payload
//! bytes, any `alg` label, any signature bytes, signed with RustCrypto.
//!
//! Everything is deterministic: HMAC, RSA PKCS#1 v1.5 and Ed25519 are deterministic by
//! construction, ECDSA uses RFC 6979 nonces, and RSA-PSS salts come from a generator
//! seeded with the signing input, so the same inputs always give the same token.
//! [`jwe`] encrypts (RFC 7516 compact serialization) under the same rule: every CEK, IV,
//! salt and ephemeral key comes from explicit inputs or a generator seeded by them.

pub mod check;
pub mod draft;
pub mod ecdsa_sig;
pub mod eddsa;
pub mod jwe;
pub mod key_encodings;
pub mod keys;
pub mod rsa_raw;
pub mod rsa_sign;
pub mod sign;

use crate::alg::Alg;
use crate::b64;
use crate::jwk::{Jwk, KeyError};
use serde_json::Value;

pub use sign::{hmac, sign, verify};

/// `BASE64URL(header) || '.' || BASE64URL(payload)` (RFC 7515 section 5.1).
pub fn signing_input(header: &[u8], payload: &[u8]) -> String {
    format!("{}.{}", b64::encode(header), b64::encode(payload))
}

/// A compact JWS from exact header and payload bytes and exact signature bytes.
pub fn assemble(header: &[u8], payload: &[u8], signature: &[u8]) -> String {
    format!(
        "{}.{}",
        signing_input(header, payload),
        b64::encode(signature)
    )
}

/// A compact JWS over exact header and payload bytes, signed with `alg` and `key`.
pub fn sign_bytes(header: &[u8], payload: &[u8], alg: Alg, key: &Jwk) -> Result<String, KeyError> {
    let input = signing_input(header, payload);
    let signature = sign(alg, key, input.as_bytes())?;
    Ok(format!("{input}.{}", b64::encode(signature)))
}

/// A compact JWS over JSON header and claims (serialised compactly, members in the
/// order given), signed with `alg` and `key`.
pub fn sign_json(header: &Value, claims: &Value, alg: Alg, key: &Jwk) -> Result<String, KeyError> {
    sign_bytes(
        header.to_string().as_bytes(),
        claims.to_string().as_bytes(),
        alg,
        key,
    )
}

/// The usual header for `alg` and `key`: `{"alg":…,"typ":"JWT","kid":…}`.
pub fn header_for(alg: Alg, key: &Jwk) -> Value {
    let mut header = serde_json::json!({"alg": alg.as_str(), "typ": "JWT"});
    if let Some(kid) = &key.kid {
        header["kid"] = Value::from(kid.as_str());
    }
    header
}

/// A JWT with the usual header for `alg` and the fixture key `key_name`.
pub fn jwt(alg: Alg, key_name: &str, claims: &Value) -> String {
    let key = keys::private(key_name);
    sign_json(&header_for(alg, key), claims, alg, key)
        .unwrap_or_else(|e| panic!("fixture key {key_name} cannot sign {alg}: {e}"))
}

/// The three segments of a compact token, decoded where they decode.
#[derive(Clone, Debug, PartialEq)]
pub struct Decoded {
    /// The header bytes, or the base64url error.
    pub header: Result<Vec<u8>, String>,
    /// The payload bytes, or the base64url error.
    pub payload: Result<Vec<u8>, String>,
    /// The signature bytes, or the base64url error.
    pub signature: Result<Vec<u8>, String>,
    /// How many `.`-separated segments the token has.
    pub segments: usize,
}

/// Splits and decodes a compact token for display; never fails.
pub fn decode(token: &str) -> Decoded {
    let parts: Vec<&str> = token.split('.').collect();
    let seg = |i: usize| -> Result<Vec<u8>, String> {
        match parts.get(i) {
            Some(p) => b64::decode(p).map_err(|e| format!("not base64url: {e}")),
            None => Err("missing".to_string()),
        }
    };
    Decoded {
        header: seg(0),
        payload: seg(1),
        signature: seg(2),
        segments: parts.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn tokens_are_deterministic_for_every_alg() {
        for alg in Alg::ALL {
            let name = keys::default_key_name(alg);
            let claims = json!({"sub": "x", "exp": 1});
            assert_eq!(jwt(alg, name, &claims), jwt(alg, name, &claims), "{alg}");
        }
    }

    #[test]
    fn every_alg_verifies_with_its_key_and_not_another() {
        for alg in Alg::ALL {
            let token = jwt(alg, keys::default_key_name(alg), &json!({"n": 1}));
            let (input, sig) = token.rsplit_once('.').unwrap();
            let sig = b64::decode(sig).unwrap();
            let good = keys::public(keys::default_key_name(alg));
            let other = keys::public(keys::second_key_name(alg));
            assert!(verify(alg, &good, input.as_bytes(), &sig), "{alg}");
            assert!(
                !verify(alg, &other, input.as_bytes(), &sig),
                "{alg} other key"
            );
        }
    }

    #[test]
    fn a_key_too_small_for_the_algorithm_is_an_error_not_a_panic() {
        // PSS with SHA-512 needs 2 * 64 + 2 bytes of modulus; 1024 bits is 128 bytes.
        let err = sign(Alg::PS512, keys::private("rsa-1024"), b"input").unwrap_err();
        assert!(err.to_string().starts_with("PS512"), "{err}");
        assert!(sign(Alg::PS256, keys::private("rsa-1024"), b"input").is_ok());
    }

    #[test]
    fn decode_reports_each_segment() {
        let d = decode("eyJhIjoxfQ.e30.");
        assert_eq!(d.header.unwrap(), br#"{"a":1}"#);
        assert_eq!(d.payload.unwrap(), b"{}");
        assert_eq!(d.signature.unwrap(), b"");
        assert_eq!(d.segments, 3);
        assert!(decode("x").payload.is_err());
    }
}

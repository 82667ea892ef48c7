//! JSON Web Keys (RFC 7517) as the universal way keys reach an adapter, with helpers
//! that turn a JWK into the DER/PEM forms libraries often want.

use crate::b64;
use rsa::pkcs1::EncodeRsaPublicKey;
use rsa::pkcs8::{EncodePublicKey, LineEnding};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::fmt;

/// One JSON Web Key. Members this type does not name are kept in `other`, so a key
/// round-trips unchanged through an adapter or a process wrapper.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Jwk {
    /// Key type: `oct`, `RSA`, `EC` or `OKP` (RFC 7517 section 4.1).
    pub kty: String,
    /// Key id (RFC 7517 section 4.5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kid: Option<String>,
    /// The algorithm the key is intended for (RFC 7517 section 4.4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alg: Option<String>,
    /// Intended use, `sig` or `enc` (RFC 7517 section 4.2).
    #[serde(default, rename = "use", skip_serializing_if = "Option::is_none")]
    pub use_: Option<String>,
    /// Permitted operations (RFC 7517 section 4.3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_ops: Option<Vec<String>>,
    /// Curve: `P-256`, `P-384` or `P-521` (EC), `Ed25519` (OKP).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crv: Option<String>,
    /// X coordinate (EC) or public key (OKP), base64url.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x: Option<String>,
    /// Y coordinate (EC), base64url.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub y: Option<String>,
    /// Modulus (RSA), base64url.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n: Option<String>,
    /// Public exponent (RSA), base64url.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub e: Option<String>,
    /// Symmetric key value (`kty: oct`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub k: Option<String>,
    /// Private exponent (RSA) or private scalar/seed (EC, OKP).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub d: Option<String>,
    /// First prime factor (RSA).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub p: Option<String>,
    /// Second prime factor (RSA).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    /// First factor CRT exponent (RSA).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dp: Option<String>,
    /// Second factor CRT exponent (RSA).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dq: Option<String>,
    /// First CRT coefficient (RSA).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qi: Option<String>,
    /// Every other member, kept as it came.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// A JWK Set (RFC 7517 section 5): `{"keys": [...]}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct JwkSet {
    /// The keys.
    pub keys: Vec<Jwk>,
}

/// Why a JWK could not be turned into a usable key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyError(pub String);

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for KeyError {}

fn err(msg: impl Into<String>) -> KeyError {
    KeyError(msg.into())
}

impl Jwk {
    /// Parses one JWK from JSON text.
    pub fn from_json(text: &str) -> Result<Jwk, KeyError> {
        serde_json::from_str(text).map_err(|e| err(format!("invalid JWK: {e}")))
    }

    /// The same key without its private members: what a verifier is given.
    pub fn to_public(&self) -> Jwk {
        let mut public = self.clone();
        if public.kty != "oct" {
            public.d = None;
            public.p = None;
            public.q = None;
            public.dp = None;
            public.dq = None;
            public.qi = None;
            // The other primes of a multi-prime RSA key (RFC 7518 section 6.3.2.7).
            public.other.remove("oth");
        }
        public
    }

    /// The JSON text of this JWK.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a JWK always serialises")
    }

    fn member(&self, name: &str, value: &Option<String>) -> Result<Vec<u8>, KeyError> {
        let text = value
            .as_deref()
            .ok_or_else(|| err(format!("{} JWK has no `{name}` member", self.kty)))?;
        b64::decode(text).map_err(|e| err(format!("JWK member `{name}`: {e}")))
    }

    fn expect_kty(&self, kty: &str) -> Result<(), KeyError> {
        if self.kty == kty {
            Ok(())
        } else {
            Err(err(format!("expected a {kty} JWK, got kty {:?}", self.kty)))
        }
    }

    /// The raw HMAC secret of an `oct` key.
    pub fn hmac_secret(&self) -> Result<Vec<u8>, KeyError> {
        self.expect_kty("oct")?;
        self.member("k", &self.k)
    }

    /// The RSA modulus as big-endian bytes, exactly as the JWK carries it.
    pub fn rsa_modulus(&self) -> Result<Vec<u8>, KeyError> {
        self.expect_kty("RSA")?;
        self.member("n", &self.n)
    }

    /// The RSA public key.
    pub fn rsa_public_key(&self) -> Result<rsa::PublicKey, KeyError> {
        self.expect_kty("RSA")?;
        let n = self.member("n", &self.n)?;
        let e = self.member("e", &self.e)?;
        let n = rsa::BoxedUint::from_be_slice_vartime(&n);
        let e = rsa::BoxedUint::from_be_slice_vartime(&e);
        // Small exponents such as 3 are outside the rsa crate's default bounds but are
        // legitimate (if discouraged) public keys; attack cases rely on them.
        Ok(rsa::PublicKey::new(n.clone(), e.clone())
            .unwrap_or_else(|_| rsa::PublicKey::new_unchecked(n, e)))
    }

    /// The RSA private key (fixtures only).
    pub fn rsa_private_key(&self) -> Result<rsa::PrivateKey, KeyError> {
        self.expect_kty("RSA")?;
        let n = rsa::BoxedUint::from_be_slice_vartime(&self.member("n", &self.n)?);
        let e = rsa::BoxedUint::from_be_slice_vartime(&self.member("e", &self.e)?);
        let d = rsa::BoxedUint::from_be_slice_vartime(&self.member("d", &self.d)?);
        let p = rsa::BoxedUint::from_be_slice_vartime(&self.member("p", &self.p)?);
        let q = rsa::BoxedUint::from_be_slice_vartime(&self.member("q", &self.q)?);
        let mut primes = vec![p, q];
        // A multi-prime key's third and later primes (RFC 7518 section 6.3.2.7).
        for other in self
            .other
            .get("oth")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let r = other.get("r").and_then(Value::as_str).unwrap_or_default();
            let r = b64::decode(r).map_err(|e| err(format!("JWK member `oth.r`: {e}")))?;
            primes.push(rsa::BoxedUint::from_be_slice_vartime(&r));
        }
        rsa::PrivateKey::from_components(n.clone(), e.clone(), d.clone(), primes.clone())
            .or_else(|_| rsa::PrivateKey::from_components_with_large_exponent(n, e, d, primes))
            .map_err(|e| err(format!("invalid RSA private key: {e}")))
    }

    fn ec_point(&self, crv: &str, len: usize) -> Result<Vec<u8>, KeyError> {
        self.expect_kty("EC")?;
        if self.crv.as_deref() != Some(crv) {
            return Err(err(format!("expected curve {crv}, got {:?}", self.crv)));
        }
        let x = self.member("x", &self.x)?;
        let y = self.member("y", &self.y)?;
        if x.len() != len || y.len() != len {
            return Err(err(format!(
                "{crv} coordinates must be {len} octets (RFC 7518 section 6.2.1.2)"
            )));
        }
        let mut point = Vec::with_capacity(1 + 2 * len);
        point.push(0x04);
        point.extend_from_slice(&x);
        point.extend_from_slice(&y);
        Ok(point)
    }

    /// The uncompressed SEC1 point `04 || x || y` of an EC key.
    pub fn ec_sec1_point(&self) -> Result<Vec<u8>, KeyError> {
        match self.crv.as_deref() {
            Some("P-256") => self.ec_point("P-256", 32),
            Some("P-384") => self.ec_point("P-384", 48),
            Some("P-521") => self.ec_point("P-521", 66),
            other => Err(err(format!("unsupported EC curve {other:?}"))),
        }
    }

    /// The P-256 public key.
    pub fn p256_public_key(&self) -> Result<p256::PublicKey, KeyError> {
        p256::PublicKey::from_sec1_bytes(&self.ec_point("P-256", 32)?)
            .map_err(|_| err("P-256 point is not on the curve"))
    }

    /// The P-384 public key.
    pub fn p384_public_key(&self) -> Result<p384::PublicKey, KeyError> {
        p384::PublicKey::from_sec1_bytes(&self.ec_point("P-384", 48)?)
            .map_err(|_| err("P-384 point is not on the curve"))
    }

    /// The P-521 public key.
    pub fn p521_public_key(&self) -> Result<p521::PublicKey, KeyError> {
        p521::PublicKey::from_sec1_bytes(&self.ec_point("P-521", 66)?)
            .map_err(|_| err("P-521 point is not on the curve"))
    }

    /// The raw 32-byte Ed25519 public key.
    pub fn ed25519_public_bytes(&self) -> Result<[u8; 32], KeyError> {
        self.expect_kty("OKP")?;
        if self.crv.as_deref() != Some("Ed25519") {
            return Err(err(format!("expected crv Ed25519, got {:?}", self.crv)));
        }
        let x = self.member("x", &self.x)?;
        x.try_into()
            .map_err(|_| err("Ed25519 `x` must be 32 octets (RFC 8037 section 2)"))
    }

    /// The Ed25519 public key.
    pub fn ed25519_public_key(&self) -> Result<ed25519_dalek::VerifyingKey, KeyError> {
        ed25519_dalek::VerifyingKey::from_bytes(&self.ed25519_public_bytes()?)
            .map_err(|_| err("Ed25519 public key is not a valid point"))
    }

    /// The public key as DER SubjectPublicKeyInfo (RFC 5280), for RSA, EC and Ed25519.
    pub fn public_key_der(&self) -> Result<Vec<u8>, KeyError> {
        let der = match (self.kty.as_str(), self.crv.as_deref()) {
            ("RSA", _) => self.rsa_public_key()?.to_public_key_der(),
            ("EC", Some("P-256")) => self.p256_public_key()?.to_public_key_der(),
            ("EC", Some("P-384")) => self.p384_public_key()?.to_public_key_der(),
            ("EC", Some("P-521")) => self.p521_public_key()?.to_public_key_der(),
            ("OKP", Some("Ed25519")) => self.ed25519_public_key()?.to_public_key_der(),
            (kty, crv) => {
                return Err(err(format!(
                    "no public key form for kty {kty:?} crv {crv:?}"
                )))
            }
        };
        der.map(|d| d.into_vec())
            .map_err(|e| err(format!("cannot encode public key: {e}")))
    }

    /// The public key as PEM `PUBLIC KEY` (SubjectPublicKeyInfo), LF line endings and a
    /// trailing newline.
    pub fn public_key_pem(&self) -> Result<String, KeyError> {
        let der = self.public_key_der()?;
        Ok(pem_encode("PUBLIC KEY", &der))
    }

    /// An RSA public key as PEM `RSA PUBLIC KEY` (PKCS#1, RFC 8017 appendix A.1.1).
    pub fn rsa_public_key_pkcs1_pem(&self) -> Result<String, KeyError> {
        self.rsa_public_key()?
            .to_pkcs1_pem(LineEnding::LF)
            .map_err(|e| err(format!("cannot encode PKCS#1 key: {e}")))
    }

    /// An RSA public key as DER PKCS#1 `RSAPublicKey`.
    pub fn rsa_public_key_pkcs1_der(&self) -> Result<Vec<u8>, KeyError> {
        self.rsa_public_key()?
            .to_pkcs1_der()
            .map(|d| d.into_vec())
            .map_err(|e| err(format!("cannot encode PKCS#1 key: {e}")))
    }
}

/// PEM text (RFC 7468) with 64-column base64 lines, LF endings and a trailing newline.
pub fn pem_encode(label: &str, der: &[u8]) -> String {
    use base64::Engine;
    let body = base64::engine::general_purpose::STANDARD.encode(der);
    let mut pem = format!("-----BEGIN {label}-----\n");
    for line in body.as_bytes().chunks(64) {
        pem.push_str(std::str::from_utf8(line).expect("base64 is ASCII"));
        pem.push('\n');
    }
    pem.push_str(&format!("-----END {label}-----\n"));
    pem
}

impl JwkSet {
    /// A set of the given keys.
    pub fn new(keys: Vec<Jwk>) -> JwkSet {
        JwkSet { keys }
    }

    /// The first key with this `kid`.
    pub fn find(&self, kid: &str) -> Option<&Jwk> {
        self.keys.iter().find(|k| k.kid.as_deref() == Some(kid))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_members_round_trip() {
        let text = r#"{"kty":"oct","k":"AAEC","x5t":"abc","ext":true}"#;
        let jwk = Jwk::from_json(text).unwrap();
        assert_eq!(jwk.other.get("x5t"), Some(&Value::from("abc")));
        let again: Value = serde_json::from_str(&jwk.to_json()).unwrap();
        assert_eq!(again, serde_json::from_str::<Value>(text).unwrap());
        assert_eq!(jwk.hmac_secret().unwrap(), vec![0, 1, 2]);
    }

    #[test]
    fn wrong_kind_of_key_is_a_clear_error() {
        let jwk = Jwk::from_json(r#"{"kty":"oct","k":"AAEC"}"#).unwrap();
        assert!(jwk
            .rsa_public_key()
            .unwrap_err()
            .0
            .contains("expected a RSA JWK"));
        assert!(Jwk::from_json("[1]").is_err());
    }

    #[test]
    fn pem_wraps_at_64_columns() {
        let pem = pem_encode("PUBLIC KEY", &[0u8; 100]);
        let lines: Vec<&str> = pem.lines().collect();
        assert_eq!(lines[0], "-----BEGIN PUBLIC KEY-----");
        assert_eq!(lines[1].len(), 64);
        assert!(pem.ends_with("-----END PUBLIC KEY-----\n"));
    }
}

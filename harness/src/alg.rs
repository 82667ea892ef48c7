//! The JWS algorithms the suite knows (RFC 7518 section 3, RFC 8037 section 3.1).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A registered JWS `alg` value that the forge can sign with.
///
/// `none` is deliberately absent: no policy may allow it (RFC 8725 section 3.2), and
/// attack cases write the label into headers as plain text instead.
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Alg {
    /// HMAC using SHA-256.
    HS256,
    /// HMAC using SHA-384.
    HS384,
    /// HMAC using SHA-512.
    HS512,
    /// RSASSA-PKCS1-v1_5 using SHA-256.
    RS256,
    /// RSASSA-PKCS1-v1_5 using SHA-384.
    RS384,
    /// RSASSA-PKCS1-v1_5 using SHA-512.
    RS512,
    /// RSASSA-PSS using SHA-256 and MGF1 with SHA-256.
    PS256,
    /// RSASSA-PSS using SHA-384 and MGF1 with SHA-384.
    PS384,
    /// RSASSA-PSS using SHA-512 and MGF1 with SHA-512.
    PS512,
    /// ECDSA using P-256 and SHA-256.
    ES256,
    /// ECDSA using P-384 and SHA-384.
    ES384,
    /// ECDSA using P-521 and SHA-512.
    ES512,
    /// EdDSA; the suite signs with Ed25519 only.
    EdDSA,
}

/// The family of key an algorithm needs (RFC 7518 section 6, RFC 8037 section 2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyFamily {
    /// `kty: oct`, a shared HMAC secret.
    Hmac,
    /// `kty: RSA`.
    Rsa,
    /// `kty: EC` on the named curve.
    Ec(&'static str),
    /// `kty: OKP`, `crv: Ed25519`.
    Ed25519,
}

impl KeyFamily {
    /// The JWK `kty` of a key of this family (RFC 7518 section 6, RFC 8037 section 2).
    pub fn kty(self) -> &'static str {
        match self {
            KeyFamily::Hmac => "oct",
            KeyFamily::Rsa => "RSA",
            KeyFamily::Ec(_) => "EC",
            KeyFamily::Ed25519 => "OKP",
        }
    }

    /// Whether `jwk` is a key of this family: its `kty`, and its `crv` where the family
    /// names a curve.
    pub fn holds(self, jwk: &crate::Jwk) -> bool {
        let crv = match self {
            KeyFamily::Ec(crv) => Some(crv),
            KeyFamily::Ed25519 => Some("Ed25519"),
            KeyFamily::Hmac | KeyFamily::Rsa => None,
        };
        jwk.kty == self.kty() && crv.is_none_or(|crv| jwk.crv.as_deref() == Some(crv))
    }
}

impl Alg {
    /// Every algorithm, in registry order.
    pub const ALL: [Alg; 13] = [
        Alg::HS256,
        Alg::HS384,
        Alg::HS512,
        Alg::RS256,
        Alg::RS384,
        Alg::RS512,
        Alg::PS256,
        Alg::PS384,
        Alg::PS512,
        Alg::ES256,
        Alg::ES384,
        Alg::ES512,
        Alg::EdDSA,
    ];

    /// Every algorithm but `missing`, in registry order: what an adapter declares whose
    /// library lacks a few.
    pub fn all_but(missing: &[Alg]) -> Vec<Alg> {
        Alg::ALL
            .into_iter()
            .filter(|alg| !missing.contains(alg))
            .collect()
    }

    /// The `alg` header value, exactly as registered.
    pub fn as_str(self) -> &'static str {
        match self {
            Alg::HS256 => "HS256",
            Alg::HS384 => "HS384",
            Alg::HS512 => "HS512",
            Alg::RS256 => "RS256",
            Alg::RS384 => "RS384",
            Alg::RS512 => "RS512",
            Alg::PS256 => "PS256",
            Alg::PS384 => "PS384",
            Alg::PS512 => "PS512",
            Alg::ES256 => "ES256",
            Alg::ES384 => "ES384",
            Alg::ES512 => "ES512",
            Alg::EdDSA => "EdDSA",
        }
    }

    /// The kind of key that verifies this algorithm.
    pub fn key_family(self) -> KeyFamily {
        match self {
            Alg::HS256 | Alg::HS384 | Alg::HS512 => KeyFamily::Hmac,
            Alg::RS256 | Alg::RS384 | Alg::RS512 | Alg::PS256 | Alg::PS384 | Alg::PS512 => {
                KeyFamily::Rsa
            }
            Alg::ES256 => KeyFamily::Ec("P-256"),
            Alg::ES384 => KeyFamily::Ec("P-384"),
            Alg::ES512 => KeyFamily::Ec("P-521"),
            Alg::EdDSA => KeyFamily::Ed25519,
        }
    }

    /// Lower-case name used in case ids (`positive/es256`).
    pub fn slug(self) -> String {
        self.as_str().to_ascii_lowercase()
    }
}

impl fmt::Display for Alg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The label is not a registered signature algorithm (matching is case-sensitive).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownAlg(pub String);

impl fmt::Display for UnknownAlg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown JWS algorithm {:?}", self.0)
    }
}

impl std::error::Error for UnknownAlg {}

impl FromStr for Alg {
    type Err = UnknownAlg;

    /// Case-sensitive, as RFC 7515 section 4.1.1 requires.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Alg::ALL
            .into_iter()
            .find(|a| a.as_str() == s)
            .ok_or_else(|| UnknownAlg(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parsing_is_case_sensitive_and_round_trips() {
        for alg in Alg::ALL {
            assert_eq!(alg.as_str().parse::<Alg>(), Ok(alg));
        }
        assert!("hs256".parse::<Alg>().is_err());
        assert!("HS256 ".parse::<Alg>().is_err());
        assert!("none".parse::<Alg>().is_err());
    }
}

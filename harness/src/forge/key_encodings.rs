//! A verifier's public key in every form a library might hand to HMAC as the secret
//! when it trusts the token's `alg` (RFC 8725 section 2.1): each is public, so an
//! attacker who guesses the form the library holds can MAC a token with it.

use crate::forge::keys;
use crate::jwk::{Jwk, KeyError};

/// One way of writing down a public key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyEncoding {
    /// PEM `PUBLIC KEY` (SubjectPublicKeyInfo) with its trailing newline, as a file holds it.
    PemSpki,
    /// The same PEM with the final newline trimmed, as a configuration string often holds it.
    PemSpkiNoNewline,
    /// PEM `RSA PUBLIC KEY` (PKCS#1 `RSAPublicKey`); RSA only.
    PemPkcs1,
    /// DER SubjectPublicKeyInfo.
    DerSpki,
    /// DER PKCS#1 `RSAPublicKey`; RSA only.
    DerPkcs1,
    /// A self-signed X.509 certificate for the key, PEM.
    CertificatePem,
    /// The OpenSSH public key line (`ssh-rsa …`, `ecdsa-sha2-nistp256 …`, `ssh-ed25519 …`).
    OpenSsh,
    /// The public JWK as compact JSON, exactly as the verifier's policy carries it.
    JwkJson,
    /// The bare key material: RSA modulus, EC uncompressed point, Ed25519 public key.
    Raw,
}

impl KeyEncoding {
    /// Every encoding, in a stable order.
    pub const ALL: [KeyEncoding; 9] = [
        KeyEncoding::PemSpki,
        KeyEncoding::PemSpkiNoNewline,
        KeyEncoding::PemPkcs1,
        KeyEncoding::DerSpki,
        KeyEncoding::DerPkcs1,
        KeyEncoding::CertificatePem,
        KeyEncoding::OpenSsh,
        KeyEncoding::JwkJson,
        KeyEncoding::Raw,
    ];

    /// Lower-case name used in case ids.
    pub fn slug(self) -> &'static str {
        match self {
            KeyEncoding::PemSpki => "pem-spki",
            KeyEncoding::PemSpkiNoNewline => "pem-spki-no-newline",
            KeyEncoding::PemPkcs1 => "pem-pkcs1",
            KeyEncoding::DerSpki => "der-spki",
            KeyEncoding::DerPkcs1 => "der-pkcs1",
            KeyEncoding::CertificatePem => "x509-pem",
            KeyEncoding::OpenSsh => "openssh",
            KeyEncoding::JwkJson => "jwk-json",
            KeyEncoding::Raw => "raw",
        }
    }

    /// A short name, for case titles.
    pub fn label(self) -> &'static str {
        match self {
            KeyEncoding::PemSpki => "PEM SubjectPublicKeyInfo",
            KeyEncoding::PemSpkiNoNewline => "PEM SubjectPublicKeyInfo without final newline",
            KeyEncoding::PemPkcs1 => "PEM PKCS#1 RSAPublicKey",
            KeyEncoding::DerSpki => "DER SubjectPublicKeyInfo",
            KeyEncoding::DerPkcs1 => "DER PKCS#1 RSAPublicKey",
            KeyEncoding::CertificatePem => "X.509 certificate",
            KeyEncoding::OpenSsh => "OpenSSH public key line",
            KeyEncoding::JwkJson => "JWK JSON",
            KeyEncoding::Raw => "raw key bytes",
        }
    }

    /// What the secret is, for case descriptions.
    pub fn describe(self, key: &Jwk) -> &'static str {
        match (self, key.kty.as_str()) {
            (KeyEncoding::PemSpki, _) => "the PEM `PUBLIC KEY` text, trailing newline included",
            (KeyEncoding::PemSpkiNoNewline, _) => {
                "the PEM `PUBLIC KEY` text without its trailing newline"
            }
            (KeyEncoding::PemPkcs1, _) => "the PEM `RSA PUBLIC KEY` (PKCS#1) text",
            (KeyEncoding::DerSpki, _) => "the DER SubjectPublicKeyInfo bytes",
            (KeyEncoding::DerPkcs1, _) => "the DER PKCS#1 RSAPublicKey bytes",
            (KeyEncoding::CertificatePem, _) => "a PEM X.509 certificate for the key",
            (KeyEncoding::OpenSsh, _) => "the OpenSSH public key line",
            (KeyEncoding::JwkJson, _) => "the public JWK as compact JSON",
            (KeyEncoding::Raw, "RSA") => "the raw modulus bytes",
            (KeyEncoding::Raw, "EC") => "the raw uncompressed point 04 || x || y",
            (KeyEncoding::Raw, _) => "the raw 32-byte public key",
        }
    }

    /// Whether the encoding exists for this kind of key (PKCS#1 is RSA's alone).
    pub fn applies_to(self, key: &Jwk) -> bool {
        !matches!(self, KeyEncoding::PemPkcs1 | KeyEncoding::DerPkcs1) || key.kty == "RSA"
    }
}

/// A derived fixture file (`<key_name>.cert.pem`, `<key_name>.ssh.pub`).
fn derived(file: &str) -> Result<&'static str, KeyError> {
    jwt_conformance_vectors::DERIVED
        .iter()
        .find(|(name, _)| *name == file)
        .map(|(_, text)| *text)
        .ok_or_else(|| KeyError(format!("no derived fixture {file}")))
}

/// The public key of the fixture `key_name` written as `encoding`.
pub fn encode(key_name: &str, encoding: KeyEncoding) -> Result<Vec<u8>, KeyError> {
    let key = keys::public(key_name);
    let bytes = match encoding {
        KeyEncoding::PemSpki => key.public_key_pem()?.into_bytes(),
        KeyEncoding::PemSpkiNoNewline => key.public_key_pem()?.trim_end().as_bytes().to_vec(),
        KeyEncoding::PemPkcs1 => key.rsa_public_key_pkcs1_pem()?.into_bytes(),
        KeyEncoding::DerSpki => key.public_key_der()?,
        KeyEncoding::DerPkcs1 => key.rsa_public_key_pkcs1_der()?,
        KeyEncoding::CertificatePem => derived(&format!("{key_name}.cert.pem"))?
            .as_bytes()
            .to_vec(),
        KeyEncoding::OpenSsh => derived(&format!("{key_name}.ssh.pub"))?.as_bytes().to_vec(),
        KeyEncoding::JwkJson => key.to_json().into_bytes(),
        KeyEncoding::Raw => match key.kty.as_str() {
            "RSA" => key.rsa_modulus()?,
            "EC" => key.ec_sec1_point()?,
            _ => key.ed25519_public_bytes()?.to_vec(),
        },
    };
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jwk::pem_encode;

    /// `pem_encode`'s inverse for one block, for tests of the derived fixtures.
    fn pem_decode(label: &str, text: &str) -> Vec<u8> {
        use base64::Engine;
        let body: String = text
            .lines()
            .skip_while(|l| *l != format!("-----BEGIN {label}-----"))
            .skip(1)
            .take_while(|l| *l != format!("-----END {label}-----"))
            .collect();
        base64::engine::general_purpose::STANDARD
            .decode(body)
            .expect("PEM body is base64")
    }

    const KEYS: [&str; 4] = ["rsa-2048-a", "ec-p256-a", "ec-p384-a", "ed25519-a"];

    #[test]
    fn certificates_carry_the_fixture_public_key() {
        for name in KEYS {
            let pem =
                String::from_utf8(encode(name, KeyEncoding::CertificatePem).unwrap()).unwrap();
            let cert = pem_decode("CERTIFICATE", &pem);
            let spki = keys::public(name).public_key_der().unwrap();
            assert!(
                cert.windows(spki.len()).any(|w| w == spki),
                "{name}: certificate does not hold the fixture's SubjectPublicKeyInfo"
            );
            // Round trip through our own PEM writer: same bytes, same line layout.
            assert_eq!(pem_encode("CERTIFICATE", &cert), pem, "{name}");
        }
    }

    /// The `string`/`mpint` fields of an OpenSSH public key blob (RFC 4253 section 6.6).
    fn ssh_fields(line: &str) -> (String, Vec<Vec<u8>>) {
        use base64::Engine;
        let mut parts = line.trim_end().split(' ');
        let kind = parts.next().unwrap().to_string();
        let blob = base64::engine::general_purpose::STANDARD
            .decode(parts.next().unwrap())
            .unwrap();
        assert_eq!(parts.next(), None, "no comment expected");
        let mut fields = Vec::new();
        let mut rest = &blob[..];
        while !rest.is_empty() {
            let len = u32::from_be_bytes(rest[..4].try_into().unwrap()) as usize;
            fields.push(rest[4..4 + len].to_vec());
            rest = &rest[4 + len..];
        }
        assert_eq!(fields[0], kind.as_bytes());
        (kind, fields)
    }

    fn unsigned(mpint: &[u8]) -> &[u8] {
        mpint.strip_prefix(&[0u8][..]).unwrap_or(mpint)
    }

    #[test]
    fn openssh_lines_carry_the_fixture_public_key() {
        let line = |name| String::from_utf8(encode(name, KeyEncoding::OpenSsh).unwrap()).unwrap();

        let rsa = keys::public("rsa-2048-a");
        let (kind, f) = ssh_fields(&line("rsa-2048-a"));
        assert_eq!((kind.as_str(), f.len()), ("ssh-rsa", 3));
        assert_eq!(
            unsigned(&f[1]),
            crate::b64::decode(rsa.e.as_deref().unwrap()).unwrap()
        );
        assert_eq!(unsigned(&f[2]), rsa.rsa_modulus().unwrap());

        for (name, kind_want, curve) in [
            ("ec-p256-a", "ecdsa-sha2-nistp256", "nistp256"),
            ("ec-p384-a", "ecdsa-sha2-nistp384", "nistp384"),
        ] {
            let (kind, f) = ssh_fields(&line(name));
            assert_eq!(kind, kind_want);
            assert_eq!(f[1], curve.as_bytes());
            assert_eq!(f[2], keys::public(name).ec_sec1_point().unwrap(), "{name}");
        }

        let (kind, f) = ssh_fields(&line("ed25519-a"));
        assert_eq!(kind, "ssh-ed25519");
        assert_eq!(
            f[1],
            keys::public("ed25519-a").ed25519_public_bytes().unwrap()
        );
    }

    #[test]
    fn every_applicable_encoding_exists_and_they_differ() {
        for name in KEYS {
            let key = keys::public(name);
            let forms: Vec<Vec<u8>> = KeyEncoding::ALL
                .into_iter()
                .filter(|e| e.applies_to(&key))
                .map(|e| encode(name, e).unwrap_or_else(|err| panic!("{name} {e:?}: {err}")))
                .collect();
            for (i, a) in forms.iter().enumerate() {
                assert!(!a.is_empty());
                assert!(
                    forms[i + 1..].iter().all(|b| a != b),
                    "{name}: two encodings agree"
                );
            }
        }
        assert!(encode("ec-p256-a", KeyEncoding::PemPkcs1).is_err());
        let pem = encode("rsa-2048-a", KeyEncoding::PemSpki).unwrap();
        let trimmed = encode("rsa-2048-a", KeyEncoding::PemSpkiNoNewline).unwrap();
        assert_eq!([&trimmed[..], b"\n"].concat(), pem);
    }
}

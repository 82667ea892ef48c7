//! [`JweBuilder`]: the protected header, the key management and the content
//! encryption of one JWE, with every random input derived from the inputs.

use super::key_management;
use super::{
    aes_key_wrap, deflate, encrypt_content, pbes2_derive_key, usual_header, ContentEncryption,
    JweError, JweParts, KeyManagement, ZipMode, DEFAULT_PBES2_COUNT, MAX_FORGE_PBES2_COUNT,
};
use crate::b64;
use crate::jwk::Jwk;
use rand_chacha::rand_core::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// Where the protected header comes from.
#[derive(Clone, Debug)]
enum HeaderSource {
    /// [`usual_header`], with `zip` when compressing and key-management members.
    Usual,
    /// A caller's JSON value, with key-management members it lacks.
    Json(Value),
    /// A caller's exact bytes.
    Bytes(Vec<u8>),
}

/// Builds a JWE: the algorithms, the header and every value that would otherwise be
/// random. Start with [`JweBuilder::new`], then [`JweBuilder::encrypt`].
#[derive(Clone, Debug)]
pub struct JweBuilder {
    alg: KeyManagement,
    enc: ContentEncryption,
    header: HeaderSource,
    zip: ZipMode,
    cek: Option<Vec<u8>>,
    iv: Option<Vec<u8>>,
    pbes2_salt: Option<Vec<u8>>,
    pbes2_count: u32,
    header_p2c: Option<Value>,
    ephemeral_secret: Option<Vec<u8>>,
    apu: Vec<u8>,
    apv: Vec<u8>,
    seed: Vec<u8>,
}

/// What goes into the header before any expensive work: used by both
/// [`JweBuilder::protected_header`] and [`JweBuilder::encrypt`].
struct Prepared {
    header: Vec<u8>,
    seed: [u8; 32],
    pbes2_salt: Vec<u8>,
    ecdh_z: Vec<u8>,
}

impl JweBuilder {
    /// Encrypt with `alg` and `enc`, the usual header, and everything else derived from
    /// the inputs.
    pub fn new(alg: KeyManagement, enc: ContentEncryption) -> JweBuilder {
        JweBuilder {
            alg,
            enc,
            header: HeaderSource::Usual,
            zip: ZipMode::FollowHeader,
            cek: None,
            iv: None,
            pbes2_salt: None,
            pbes2_count: DEFAULT_PBES2_COUNT,
            header_p2c: None,
            ephemeral_secret: None,
            apu: Vec::new(),
            apv: Vec::new(),
            seed: Vec::new(),
        }
    }

    /// The protected header as a JSON value, serialised compactly in the order given.
    /// When it is an object, the forge adds the key-management members it made and that
    /// the header lacks: `p2s` and `p2c` for PBES2, `epk` (and `apu`/`apv` when given)
    /// for ECDH-ES. Members already present are kept as they are.
    pub fn header_json(mut self, header: Value) -> JweBuilder {
        self.header = HeaderSource::Json(header);
        self
    }

    /// The protected header as exact bytes (any bytes: not JSON, duplicate members, odd
    /// whitespace). Nothing is added: key-management members must already be there.
    pub fn header_bytes(mut self, header: impl Into<Vec<u8>>) -> JweBuilder {
        self.header = HeaderSource::Bytes(header.into());
        self
    }

    /// Whether to compress the plaintext (default [`ZipMode::FollowHeader`]).
    pub fn zip(mut self, zip: ZipMode) -> JweBuilder {
        self.zip = zip;
        self
    }

    /// An explicit Content Encryption Key. Not allowed with `dir` (the key is the CEK)
    /// or `ECDH-ES` (the CEK is agreed).
    pub fn cek(mut self, cek: impl Into<Vec<u8>>) -> JweBuilder {
        self.cek = Some(cek.into());
        self
    }

    /// An explicit Initialization Vector.
    pub fn iv(mut self, iv: impl Into<Vec<u8>>) -> JweBuilder {
        self.iv = Some(iv.into());
        self
    }

    /// An explicit PBES2 salt input (`p2s`, RFC 7518 section 4.8.1.1).
    pub fn pbes2_salt(mut self, salt: impl Into<Vec<u8>>) -> JweBuilder {
        self.pbes2_salt = Some(salt.into());
        self
    }

    /// The PBES2 iteration count actually used for the key wrap (default
    /// [`DEFAULT_PBES2_COUNT`], at most [`MAX_FORGE_PBES2_COUNT`]).
    pub fn pbes2_count(mut self, count: u32) -> JweBuilder {
        self.pbes2_count = count;
        self
    }

    /// The `p2c` the header claims, when it differs from the count actually used: a
    /// header can claim 2^31-1 iterations while the key was wrapped with 1000, so a
    /// verifier that honours the claim spends the work and one that bounds it refuses
    /// quickly. Any JSON value (a huge number, a string, a negative) is accepted.
    pub fn header_p2c(mut self, p2c: impl Into<Value>) -> JweBuilder {
        self.header_p2c = Some(p2c.into());
        self
    }

    /// An explicit ECDH-ES ephemeral private scalar (big-endian, the curve's length).
    pub fn ephemeral_secret(mut self, d: impl Into<Vec<u8>>) -> JweBuilder {
        self.ephemeral_secret = Some(d.into());
        self
    }

    /// ECDH-ES `PartyUInfo` and `PartyVInfo` (raw octets; written to the header as
    /// `apu`/`apv` when non-empty, RFC 7518 section 4.6.1.2-3).
    pub fn party_info(mut self, apu: impl Into<Vec<u8>>, apv: impl Into<Vec<u8>>) -> JweBuilder {
        self.apu = apu.into();
        self.apv = apv.into();
        self
    }

    /// Extra seed material: two builders that differ only here give different (still
    /// deterministic) CEKs, IVs, salts and ephemeral keys.
    pub fn seed(mut self, seed: impl Into<Vec<u8>>) -> JweBuilder {
        self.seed = seed.into();
        self
    }

    /// The exact protected header [`JweBuilder::encrypt`] would use, without deriving a
    /// PBES2 key or encrypting anything.
    pub fn protected_header(&self, plaintext: &[u8], key: &Jwk) -> Result<Vec<u8>, JweError> {
        self.prepare(plaintext, key).map(|p| p.header)
    }

    /// Encrypts `plaintext` to `key` and returns the parts.
    pub fn encrypt(&self, plaintext: &[u8], key: &Jwk) -> Result<JweParts, JweError> {
        let prepared = self.prepare(plaintext, key)?;
        let (alg, enc) = (self.alg, self.enc);
        let cek = match alg {
            KeyManagement::Dir => key_management::oct_secret(alg, key)?,
            KeyManagement::EcdhEs => {
                key_management::ecdh_derived_key(alg, enc, &prepared.ecdh_z, &self.apu, &self.apv)
            }
            _ => match &self.cek {
                Some(cek) => cek.clone(),
                None => random_bytes(&prepared.seed, "cek", enc.cek_len()),
            },
        };
        if alg.determines_cek() {
            if self.cek.is_some() {
                return Err(JweError(format!(
                    "{alg}: the CEK is fixed by the key management; do not give one"
                )));
            }
            if cek.len() != enc.cek_len() {
                return Err(JweError(format!(
                    "{alg}: {enc} needs a {}-octet key, the key has {}",
                    enc.cek_len(),
                    cek.len()
                )));
            }
        }
        let encrypted_key = match alg {
            KeyManagement::Dir | KeyManagement::EcdhEs => Vec::new(),
            KeyManagement::RsaOaep | KeyManagement::RsaOaep256 => {
                let mut rng = purpose_rng(&prepared.seed, "rsa-oaep");
                key_management::rsa_oaep_encrypt(alg, key, &cek, &mut rng)?
            }
            KeyManagement::A128Kw | KeyManagement::A192Kw | KeyManagement::A256Kw => {
                let kek = key_management::oct_secret(alg, key)?;
                let wanted = alg.wrap_key_len().unwrap_or_default();
                if kek.len() != wanted {
                    return Err(JweError(format!(
                        "{alg}: needs a {wanted}-octet key, the key has {}",
                        kek.len()
                    )));
                }
                aes_key_wrap(&kek, &cek)?
            }
            _ if alg.is_pbes2() => {
                let password = key_management::oct_secret(alg, key)?;
                let kek = pbes2_derive_key(alg, &password, &prepared.pbes2_salt, self.pbes2_count)?;
                aes_key_wrap(&kek, &cek)?
            }
            _ => {
                let kek = key_management::ecdh_derived_key(
                    alg,
                    enc,
                    &prepared.ecdh_z,
                    &self.apu,
                    &self.apv,
                );
                aes_key_wrap(&kek, &cek)?
            }
        };
        let iv = match &self.iv {
            Some(iv) => iv.clone(),
            None => random_bytes(&prepared.seed, "iv", enc.iv_len()),
        };
        let compress = match self.zip {
            ZipMode::Deflate => true,
            ZipMode::AsIs => false,
            ZipMode::FollowHeader => serde_json::from_slice::<Value>(&prepared.header)
                .is_ok_and(|h| h.get("zip").and_then(Value::as_str) == Some("DEF")),
        };
        let content = if compress {
            deflate(plaintext)
        } else {
            plaintext.to_vec()
        };
        let aad = b64::encode(&prepared.header);
        let (ciphertext, tag) = encrypt_content(enc, &cek, &iv, aad.as_bytes(), &content)?;
        Ok(JweParts {
            protected_header: prepared.header,
            encrypted_key,
            iv,
            ciphertext,
            tag,
            cek,
        })
    }

    /// Encrypts `plaintext` to `key` and returns the compact serialization.
    pub fn encrypt_compact(&self, plaintext: &[u8], key: &Jwk) -> Result<String, JweError> {
        self.encrypt(plaintext, key).map(|parts| parts.compact())
    }

    fn prepare(&self, plaintext: &[u8], key: &Jwk) -> Result<Prepared, JweError> {
        let (alg, enc) = (self.alg, self.enc);
        let header_input = match &self.header {
            HeaderSource::Usual => Vec::new(),
            HeaderSource::Json(v) => v.to_string().into_bytes(),
            HeaderSource::Bytes(b) => b.clone(),
        };
        let seed = base_seed(&[
            alg.as_str().as_bytes(),
            enc.as_str().as_bytes(),
            &header_input,
            plaintext,
            key.to_json().as_bytes(),
            &self.seed,
        ]);
        let mut extra = Map::new();
        let mut pbes2_salt = Vec::new();
        if alg.is_pbes2() {
            if self.pbes2_count > MAX_FORGE_PBES2_COUNT {
                return Err(JweError(format!(
                    "{alg}: the forge computes at most {MAX_FORGE_PBES2_COUNT} iterations; \
                     claim a larger p2c with header_p2c"
                )));
            }
            pbes2_salt = self
                .pbes2_salt
                .clone()
                .unwrap_or_else(|| random_bytes(&seed, "p2s", 16));
            extra.insert("p2s".into(), Value::from(b64::encode(&pbes2_salt)));
            let p2c = self
                .header_p2c
                .clone()
                .unwrap_or(Value::from(self.pbes2_count));
            extra.insert("p2c".into(), p2c);
        }
        let mut ecdh_z = Vec::new();
        if alg.is_ecdh() {
            let d = match &self.ephemeral_secret {
                Some(d) => d.clone(),
                None => {
                    let crv = key_management::ecdh_curve(alg, key)?;
                    key_management::random_scalar(alg, crv, &mut purpose_rng(&seed, "epk"))?
                }
            };
            let (z, epk) = key_management::ecdh_sender(alg, key, &d)?;
            ecdh_z = z;
            extra.insert("epk".into(), epk);
            if !self.apu.is_empty() {
                extra.insert("apu".into(), Value::from(b64::encode(&self.apu)));
            }
            if !self.apv.is_empty() {
                extra.insert("apv".into(), Value::from(b64::encode(&self.apv)));
            }
        }
        let header = match &self.header {
            HeaderSource::Bytes(bytes) => bytes.clone(),
            HeaderSource::Usual => {
                let mut usual = usual_header(alg, enc, key);
                if self.zip == ZipMode::Deflate {
                    usual["zip"] = Value::from("DEF");
                }
                with_members(usual, extra)?.to_string().into_bytes()
            }
            HeaderSource::Json(value) => {
                with_members(value.clone(), extra)?.to_string().into_bytes()
            }
        };
        Ok(Prepared {
            header,
            seed,
            pbes2_salt,
            ecdh_z,
        })
    }
}

/// `header` with the members of `extra` it lacks appended.
fn with_members(mut header: Value, extra: Map<String, Value>) -> Result<Value, JweError> {
    if extra.is_empty() {
        return Ok(header);
    }
    let object = header.as_object_mut().ok_or_else(|| {
        JweError("the header is not a JSON object, so key-management members cannot be added; give exact header bytes".into())
    })?;
    for (name, value) in extra {
        object.entry(name).or_insert(value);
    }
    Ok(header)
}

/// SHA-256 over length-prefixed parts, under a fixed label.
fn base_seed(parts: &[&[u8]]) -> [u8; 32] {
    let mut hash = Sha256::new();
    hash.update(b"jwt-conformance forge JWE v1");
    for part in parts {
        hash.update((part.len() as u64).to_be_bytes());
        hash.update(part);
    }
    hash.finalize().into()
}

/// A generator for one purpose (`cek`, `iv`, `p2s`, `epk`, `rsa-oaep`), seeded from the
/// base seed and the purpose.
fn purpose_rng(seed: &[u8; 32], purpose: &str) -> ChaCha20Rng {
    let mut hash = Sha256::new();
    hash.update(seed);
    hash.update(purpose.as_bytes());
    ChaCha20Rng::from_seed(hash.finalize().into())
}

fn random_bytes(seed: &[u8; 32], purpose: &str, len: usize) -> Vec<u8> {
    let mut out = vec![0u8; len];
    purpose_rng(seed, purpose).fill_bytes(&mut out);
    out
}

//! RSA signing for the forge: RSASSA-PKCS1-v1_5 and RSASSA-PSS (RFC 8017 sections 8.1
//! and 8.2) with the Chinese Remainder Theorem, over two primes or more (a JWK's `oth`
//! members, RFC 7518 section 6.3.2.7), and without blinding.
//!
//! A verifier's implementation must blind its private-key operation against timing
//! attacks; the forge signs only fixture keys whose private parts are public, so it
//! takes the fastest correct path instead (a tenth of the cost of a blinded, constant
//! time signature). The output is exactly what any conforming signer produces: PKCS#1
//! v1.5 signatures are deterministic, and PSS salts come from the caller. Parsed keys are
//! kept for the life of the process.

use super::rsa_raw::{digest_info, emsa_pkcs1_v15, Hash};
use crate::b64;
use crate::jwk::{Jwk, KeyError};
use num_bigint::BigUint;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

/// An RSA private key with its CRT parameters.
#[derive(Debug)]
pub struct RsaSigner {
    /// The modulus length in octets.
    k: usize,
    /// The modulus length in bits.
    bits: u64,
    p: BigUint,
    q: BigUint,
    dp: BigUint,
    dq: BigUint,
    qinv: BigUint,
    /// The third and later primes, in order (RFC 8017 section 3.2).
    others: Vec<OtherPrime>,
}

/// A prime beyond the first two, with its CRT exponent and coefficient.
#[derive(Debug)]
struct OtherPrime {
    /// The prime `r_i`.
    r: BigUint,
    /// `d mod (r_i - 1)`.
    d: BigUint,
    /// The inverse of the product of the earlier primes, mod `r_i`.
    t: BigUint,
}

fn member(jwk: &Jwk, name: &str, value: &Option<String>) -> Result<BigUint, KeyError> {
    let text = value
        .as_deref()
        .ok_or_else(|| KeyError(format!("RSA JWK has no `{name}` member")))?;
    let _ = jwk;
    integer(name, text)
}

fn integer(name: &str, text: &str) -> Result<BigUint, KeyError> {
    let bytes = b64::decode(text).map_err(|e| KeyError(format!("JWK member `{name}`: {e}")))?;
    Ok(BigUint::from_bytes_be(&bytes))
}

/// The `oth` member: `{"r", "d", "t"}` for each prime beyond the second.
fn other_primes(jwk: &Jwk) -> Result<Vec<OtherPrime>, KeyError> {
    let Some(oth) = jwk.other.get("oth") else {
        return Ok(Vec::new());
    };
    let entries = oth
        .as_array()
        .ok_or_else(|| KeyError("JWK member `oth` is not an array".to_string()))?;
    entries
        .iter()
        .map(|entry| {
            let field = |name: &str| {
                let text = entry.get(name).and_then(|v| v.as_str()).ok_or_else(|| {
                    KeyError(format!("an `oth` entry has no string member `{name}`"))
                })?;
                integer(&format!("oth.{name}"), text)
            };
            Ok(OtherPrime {
                r: field("r")?,
                d: field("d")?,
                t: field("t")?,
            })
        })
        .collect()
}

impl RsaSigner {
    /// The signer of an RSA JWK with its private members (`d`, `p`, `q`; `dp`, `dq` and
    /// `qi` computed when absent).
    pub fn from_jwk(jwk: &Jwk) -> Result<RsaSigner, KeyError> {
        if jwk.kty != "RSA" {
            return Err(KeyError(format!(
                "expected an RSA key, got kty {:?}",
                jwk.kty
            )));
        }
        let n = member(jwk, "n", &jwk.n)?;
        let d = member(jwk, "d", &jwk.d)?;
        let p = member(jwk, "p", &jwk.p)?;
        let q = member(jwk, "q", &jwk.q)?;
        let others = other_primes(jwk)?;
        let one = BigUint::from(1u8);
        let product = others.iter().fold(&p * &q, |product, o| product * &o.r);
        if product != n || p <= one || q <= one || others.iter().any(|o| o.r <= one) {
            return Err(KeyError(
                "invalid RSA private key: the primes' product is not n".to_string(),
            ));
        }
        let dp = match &jwk.dp {
            Some(_) => member(jwk, "dp", &jwk.dp)?,
            None => &d % (&p - &one),
        };
        let dq = match &jwk.dq {
            Some(_) => member(jwk, "dq", &jwk.dq)?,
            None => &d % (&q - &one),
        };
        let qinv = match &jwk.qi {
            Some(_) => member(jwk, "qi", &jwk.qi)?,
            // q^(p-2) mod p: p is prime.
            None => q.modpow(&(&p - BigUint::from(2u8)), &p),
        };
        let bits = n.bits();
        Ok(RsaSigner {
            k: bits.div_ceil(8) as usize,
            bits,
            p,
            q,
            dp,
            dq,
            qinv,
            others,
        })
    }

    /// The signer of `jwk`, parsed once per process.
    pub fn cached(jwk: &Jwk) -> Result<Arc<RsaSigner>, KeyError> {
        static SIGNERS: OnceLock<Mutex<HashMap<String, Arc<RsaSigner>>>> = OnceLock::new();
        let key = format!("{:?}|{:?}", jwk.n, jwk.d);
        let signers = SIGNERS.get_or_init(Default::default);
        if let Some(signer) = signers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&key)
        {
            return Ok(Arc::clone(signer));
        }
        let signer = Arc::new(RsaSigner::from_jwk(jwk)?);
        signers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(key, Arc::clone(&signer));
        Ok(signer)
    }

    /// RSASP1 with the CRT (RFC 8017 section 5.2.1, case 2.b): `em` as an integer to the
    /// power `d`, as `k` octets.
    fn rsasp1(&self, em: &[u8]) -> Vec<u8> {
        let m = BigUint::from_bytes_be(em);
        let m1 = (&m % &self.p).modpow(&self.dp, &self.p);
        let m2 = (&m % &self.q).modpow(&self.dq, &self.q);
        // h = (m1 - m2) * qInv mod p, computed without going negative.
        let h = (sub_mod(&m1, &m2, &self.p) * &self.qinv) % &self.p;
        let mut s = m2 + h * &self.q;
        // Step 2.b.v: each further prime lifts s from mod R to mod R * r_i.
        let mut r_product = &self.p * &self.q;
        for other in &self.others {
            let mi = (&m % &other.r).modpow(&other.d, &other.r);
            let h = (sub_mod(&mi, &s, &other.r) * &other.t) % &other.r;
            s += &r_product * h;
            r_product *= &other.r;
        }
        let bytes = s.to_bytes_be();
        let mut out = vec![0u8; self.k.saturating_sub(bytes.len())];
        out.extend(bytes);
        out
    }

    /// RSASSA-PKCS1-v1_5 (RFC 8017 section 8.2.1) of `input` with `hash`.
    pub fn sign_pkcs1(&self, hash: Hash, input: &[u8]) -> Result<Vec<u8>, KeyError> {
        let t = digest_info(hash, input);
        if t.len() + 11 > self.k {
            return Err(KeyError(format!(
                "a {}-bit key is too small for this digest",
                self.bits
            )));
        }
        Ok(self.rsasp1(&emsa_pkcs1_v15(self.k, &t)))
    }

    /// RSASSA-PSS (RFC 8017 section 8.1.1) of `input` with `hash`, MGF1 over the same
    /// hash, and `salt` (RFC 7518 section 3.5: as long as the hash output).
    pub fn sign_pss(&self, hash: Hash, input: &[u8], salt: &[u8]) -> Result<Vec<u8>, KeyError> {
        let em_bits = self.bits - 1;
        let em_len = em_bits.div_ceil(8) as usize;
        let m_hash = hash.digest(input);
        let h_len = m_hash.len();
        if em_len < h_len + salt.len() + 2 {
            return Err(KeyError(format!(
                "a {}-bit key is too small for PSS with a {h_len}-octet hash and salt",
                self.bits
            )));
        }
        // EMSA-PSS-ENCODE (RFC 8017 section 9.1.1).
        let mut m_prime = vec![0u8; 8];
        m_prime.extend_from_slice(&m_hash);
        m_prime.extend_from_slice(salt);
        let h = hash.digest(&m_prime);
        let mut db = vec![0u8; em_len - salt.len() - h_len - 2];
        db.push(0x01);
        db.extend_from_slice(salt);
        let mask = mgf1(hash, &h, em_len - h_len - 1);
        for (byte, m) in db.iter_mut().zip(mask) {
            *byte ^= m;
        }
        let unused = 8 * em_len as u64 - em_bits;
        db[0] &= 0xff >> unused;
        let mut em = db;
        em.extend_from_slice(&h);
        em.push(0xbc);
        // EM is emLen octets; RSASP1 takes it as an integer below n.
        Ok(self.rsasp1(&em))
    }
}

/// `(a - b) mod m` for `a < m`, without going negative.
fn sub_mod(a: &BigUint, b: &BigUint, m: &BigUint) -> BigUint {
    (a + m - (b % m)) % m
}

/// MGF1 (RFC 8017 appendix B.2.1): `len` octets from `seed`.
fn mgf1(hash: Hash, seed: &[u8], len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(len);
    let mut counter: u32 = 0;
    while out.len() < len {
        let mut block = seed.to_vec();
        block.extend_from_slice(&counter.to_be_bytes());
        out.extend(hash.digest(&block));
        counter += 1;
    }
    out.truncate(len);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forge::keys;
    use rand_chacha::rand_core::{Rng, SeedableRng};
    use rsa::{pkcs1v15, pss};
    use sha2::{Digest, Sha256, Sha384, Sha512};
    use signature::{RandomizedSigner, SignatureEncoding, Signer};

    /// The fast path signs exactly as the rsa crate does, PSS salts drawn the same way,
    /// with two primes and with eight.
    #[test]
    fn signatures_are_the_rsa_crates_byte_for_byte() {
        for name in [
            "rsa-2048-a",
            "rsa-2048-b",
            "rsa-2048-e3",
            "rsa-1024",
            "rsa-2048-8p-a",
            "rsa-2048-8p-b",
        ] {
            let jwk = keys::private(name);
            let fast = RsaSigner::from_jwk(jwk).unwrap();
            let slow = jwk.rsa_private_key().unwrap();
            for input in [b"".as_slice(), b"eyJhbGciOiJSUzI1NiJ9.e30", &[7u8; 1000]] {
                let seed: [u8; 32] = Sha256::digest(input).into();
                let pkcs1 = pkcs1v15::SigningKey::<Sha256>::new(slow.clone()).sign(input);
                assert_eq!(
                    fast.sign_pkcs1(Hash::Sha256, input).unwrap(),
                    pkcs1.to_vec(),
                    "{name}"
                );
                let pkcs1 = pkcs1v15::SigningKey::<Sha512>::new(slow.clone()).sign(input);
                assert_eq!(
                    fast.sign_pkcs1(Hash::Sha512, input).unwrap(),
                    pkcs1.to_vec(),
                    "{name}"
                );
                let mut rng = rand_chacha::ChaCha20Rng::from_seed(seed);
                let mut salt = [0u8; 32];
                rand_chacha::ChaCha20Rng::from_seed(seed).fill_bytes(&mut salt);
                let pss =
                    pss::SigningKey::<Sha256>::new(slow.clone()).sign_with_rng(&mut rng, input);
                assert_eq!(
                    fast.sign_pss(Hash::Sha256, input, &salt).unwrap(),
                    pss.to_vec(),
                    "{name}"
                );
                if name != "rsa-1024" {
                    let mut salt = [0u8; 48];
                    rand_chacha::ChaCha20Rng::from_seed(seed).fill_bytes(&mut salt);
                    let mut rng = rand_chacha::ChaCha20Rng::from_seed(seed);
                    let pss =
                        pss::SigningKey::<Sha384>::new(slow.clone()).sign_with_rng(&mut rng, input);
                    assert_eq!(
                        fast.sign_pss(Hash::Sha384, input, &salt).unwrap(),
                        pss.to_vec(),
                        "{name}"
                    );
                }
            }
        }
    }

    /// An eight-prime signature verifies under the public key alone, and a key whose
    /// primes do not multiply to its modulus is refused.
    #[test]
    fn eight_prime_keys_sign_for_their_public_key() {
        let jwk = keys::private("rsa-2048-8p-a");
        let signer = RsaSigner::from_jwk(jwk).unwrap();
        assert_eq!(signer.others.len(), 6);
        let input = b"eyJhbGciOiJSUzI1NiJ9.e30";
        let signature = signer.sign_pkcs1(Hash::Sha256, input).unwrap();
        let public = rsa::pkcs1v15::VerifyingKey::<Sha256>::new(
            keys::public("rsa-2048-8p-a").rsa_public_key().unwrap(),
        );
        use signature::Verifier;
        let signature = pkcs1v15::Signature::try_from(signature.as_slice()).unwrap();
        assert!(public.verify(input, &signature).is_ok());
        let mut broken = jwk.clone();
        broken.other["oth"][0]["r"] = "Aw".into();
        assert!(RsaSigner::from_jwk(&broken).is_err());
        broken.other["oth"] = "not an array".into();
        assert!(RsaSigner::from_jwk(&broken).is_err());
    }

    #[test]
    fn a_key_too_small_is_an_error() {
        let small = RsaSigner::from_jwk(keys::private("rsa-1024")).unwrap();
        assert!(small.sign_pss(Hash::Sha512, b"x", &[0u8; 64]).is_err());
        assert!(RsaSigner::from_jwk(keys::private("oct-a")).is_err());
    }
}

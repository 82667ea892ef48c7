//! Raw RSA (RFC 8017 sections 5.2 and 9.2) for signatures no conforming signer makes:
//! an EMSA-PKCS1-v1_5 encoding of our choosing under a fixture's private key, and
//! Bleichenbacher's 2006 low-exponent forgery, which needs no private key at all.

use crate::b64;
use crate::jwk::{Jwk, KeyError};
use num_bigint::BigUint;
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha384, Sha512};

/// A hash as EMSA-PKCS1-v1_5 names it in the DigestInfo.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hash {
    /// SHA-1.
    Sha1,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl Hash {
    /// The hash of `input`.
    pub fn digest(self, input: &[u8]) -> Vec<u8> {
        match self {
            Hash::Sha1 => Sha1::digest(input).to_vec(),
            Hash::Sha256 => Sha256::digest(input).to_vec(),
            Hash::Sha384 => Sha384::digest(input).to_vec(),
            Hash::Sha512 => Sha512::digest(input).to_vec(),
        }
    }

    /// The DER `AlgorithmIdentifier` of the hash, parameters NULL (RFC 8017 appendix
    /// A.2.4).
    pub fn algorithm_identifier(self) -> &'static [u8] {
        match self {
            Hash::Sha1 => &[
                0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00,
            ],
            Hash::Sha256 => &[
                0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
                0x00,
            ],
            Hash::Sha384 => &[
                0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05,
                0x00,
            ],
            Hash::Sha512 => &[
                0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05,
                0x00,
            ],
        }
    }

    /// The DER object identifier `06 len oid` inside the AlgorithmIdentifier.
    pub fn oid(self) -> &'static [u8] {
        let id = self.algorithm_identifier();
        &id[2..id.len() - 2]
    }
}

/// `DigestInfo ::= SEQUENCE { digestAlgorithm, digest OCTET STRING }` of `input`, DER
/// (RFC 8017 section 9.2 step 2).
pub fn digest_info(hash: Hash, input: &[u8]) -> Vec<u8> {
    let digest = hash.digest(input);
    let id = hash.algorithm_identifier();
    let mut body = id.to_vec();
    body.extend([0x04, digest.len() as u8]);
    body.extend(digest);
    let mut out = vec![0x30, body.len() as u8];
    out.extend(body);
    out
}

/// `EM = 0x00 || 0x01 || PS || 0x00 || T` with PS all `0xff`, `k` octets in all
/// (RFC 8017 section 9.2 step 5).
pub fn emsa_pkcs1_v15(k: usize, t: &[u8]) -> Vec<u8> {
    assert!(
        t.len() + 11 <= k,
        "DigestInfo too long for a {k}-octet modulus"
    );
    let mut em = vec![0x00, 0x01];
    em.resize(k - t.len() - 1, 0xff);
    em.push(0x00);
    em.extend_from_slice(t);
    em
}

/// MGF1 (RFC 8017 appendix B.2.1) with `hash`: `len` octets of mask from `seed`.
pub fn mgf1(hash: Hash, seed: &[u8], len: usize) -> Vec<u8> {
    let mut mask = Vec::with_capacity(len);
    let mut counter = 0u32;
    while mask.len() < len {
        mask.extend(hash.digest(&[seed, &counter.to_be_bytes()].concat()));
        counter += 1;
    }
    mask.truncate(len);
    mask
}

/// EMSA-PSS-ENCODE (RFC 8017 section 9.1.1) of `input` with `hash` for the message,
/// `mgf_hash` for MGF1 and exactly `salt`, for a modulus of `mod_bits` bits (`emBits`
/// is `mod_bits - 1`). RFC 7518 section 3.5 fixes `mgf_hash` to `hash` and the salt to
/// the hash's length; any other choice is a PSS signature, but not a PS256/384/512 one.
pub fn emsa_pss_encode(
    hash: Hash,
    mgf_hash: Hash,
    salt: &[u8],
    mod_bits: usize,
    input: &[u8],
) -> Vec<u8> {
    let em_bits = mod_bits - 1;
    let em_len = em_bits.div_ceil(8);
    let m_hash = hash.digest(input);
    let h_len = m_hash.len();
    assert!(
        em_len >= h_len + salt.len() + 2,
        "salt too long for a {mod_bits}-bit modulus"
    );
    let h = hash.digest(&[&[0u8; 8][..], &m_hash, salt].concat());
    let mut db = vec![0u8; em_len - salt.len() - h_len - 2];
    db.push(0x01);
    db.extend_from_slice(salt);
    let mask = mgf1(mgf_hash, &h, em_len - h_len - 1);
    for (byte, m) in db.iter_mut().zip(mask) {
        *byte ^= m;
    }
    db[0] &= 0xff >> (8 * em_len - em_bits);
    let mut em = db;
    em.extend(h);
    em.push(0xbc);
    em
}

/// The largest salt EMSA-PSS allows with `hash` for a modulus of `mod_bits` bits:
/// `emLen - hLen - 2` octets.
pub fn max_pss_salt(hash: Hash, mod_bits: usize) -> usize {
    (mod_bits - 1).div_ceil(8) - hash.digest(b"").len() - 2
}

/// An RSA key as integers.
#[derive(Clone, Debug)]
pub struct RawRsa {
    n: BigUint,
    e: BigUint,
    d: Option<BigUint>,
    k: usize,
    bits: usize,
}

fn integer(name: &str, text: &str) -> Result<BigUint, KeyError> {
    let bytes = b64::decode(text).map_err(|e| KeyError(format!("JWK member `{name}`: {e}")))?;
    Ok(BigUint::from_bytes_be(&bytes))
}

impl RawRsa {
    /// The key of an RSA JWK; the private exponent when the JWK has one.
    pub fn from_jwk(jwk: &Jwk) -> Result<RawRsa, KeyError> {
        let n = BigUint::from_bytes_be(&jwk.rsa_modulus()?);
        let e = jwk
            .e
            .as_deref()
            .ok_or_else(|| KeyError("RSA JWK has no `e` member".into()))?;
        let e = integer("e", e)?;
        let d = jwk.d.as_deref().map(|d| integer("d", d)).transpose()?;
        let bits = n.bits() as usize;
        let k = bits.div_ceil(8);
        Ok(RawRsa { n, e, d, k, bits })
    }

    /// The modulus length in octets, `k` of RFC 8017.
    pub fn modulus_len(&self) -> usize {
        self.k
    }

    /// The modulus length in bits, `modBits` of RFC 8017.
    pub fn modulus_bits(&self) -> usize {
        self.bits
    }

    /// RSASP1: `em^d mod n` as `k` octets, whatever `em` encodes.
    pub fn sign_raw(&self, em: &[u8]) -> Vec<u8> {
        let d = self.d.as_ref().expect("sign_raw needs a private key");
        let m = BigUint::from_bytes_be(em);
        assert!(m < self.n, "message representative out of range");
        self.octets(&m.modpow(d, &self.n))
    }

    /// RSAVP1: `sig^e mod n` as `k` octets: what a verifier recovers from `sig`.
    pub fn open(&self, sig: &[u8]) -> Vec<u8> {
        self.octets(&BigUint::from_bytes_be(sig).modpow(&self.e, &self.n))
    }

    /// I2OSP to `k` octets.
    fn octets(&self, value: &BigUint) -> Vec<u8> {
        let bytes = value.to_bytes_be();
        let mut out = vec![0u8; self.k.saturating_sub(bytes.len())];
        out.extend(bytes);
        out
    }

    /// Bleichenbacher's forgery for `e = 3`: a signature `s < n` whose cube (smaller
    /// than `n`, so `s^3 mod n = s^3`) as a `k`-octet integer starts with `prefix`, ends
    /// with `suffix` and has middle octets accepted by `middle_ok`. The prefix comes from
    /// the real cube root of the target, the suffix from the cube root modulo
    /// `2^(8·|suffix|)` (which exists when the suffix is odd); what lies between is
    /// whatever the arithmetic gives, the "garbage" a lenient parser skips. `None` when
    /// there is not enough room or the suffix is even.
    pub fn cube_root_forgery(
        &self,
        prefix: &[u8],
        suffix: &[u8],
        middle_ok: impl Fn(&[u8]) -> bool,
    ) -> Option<Vec<u8>> {
        assert_eq!(
            self.e,
            BigUint::from(3u8),
            "the cube-root forgery needs e = 3"
        );
        if prefix.len() + suffix.len() > self.k || suffix.last().is_some_and(|b| b % 2 == 0) {
            return None;
        }
        let step = BigUint::from(1u8) << (8 * suffix.len());
        let low = cube_root_mod_power_of_two(&BigUint::from_bytes_be(suffix), 8 * suffix.len());
        // Aim just above `prefix || 01 01 …`: the octets right after the prefix are then
        // not zero (a cube just above `prefix || 00 00 …` would start its garbage with a
        // run of zeros, which some lenient parsers stop at).
        let mut target = prefix.to_vec();
        target.resize(self.k, 0x01);
        let floor = BigUint::from_bytes_be(&target);
        let mut s = floor.cbrt();
        if &s * &s * &s < floor {
            s += 1u8;
        }
        // The smallest s >= cbrt(floor) with s ≡ low (mod 2^(8·|suffix|)).
        s += (&low + &step - (&s % &step)) % &step;
        for _ in 0..10_000 {
            let cube = &s * &s * &s;
            if cube >= self.n {
                return None;
            }
            let em = self.octets(&cube);
            if !em.starts_with(prefix) {
                return None;
            }
            if em.ends_with(suffix) && middle_ok(&em[prefix.len()..self.k - suffix.len()]) {
                return Some(self.octets(&s));
            }
            s += &step;
        }
        None
    }
}

/// The odd `x < 2^bits` with `x^3 ≡ target (mod 2^bits)`, for odd `target` (zero when
/// `bits` is zero). Built bit by bit: flipping bit `i` of `x` flips bit `i` of `x^3`
/// and nothing below it, because `3x^2` is odd.
fn cube_root_mod_power_of_two(target: &BigUint, bits: usize) -> BigUint {
    if bits == 0 {
        return BigUint::from(0u8);
    }
    let mut x = BigUint::from(1u8);
    for i in 1..bits as u64 {
        let mask = (BigUint::from(1u8) << (i + 1)) - 1u8;
        if (&x * &x * &x) & &mask != target & &mask {
            x.set_bit(i, true);
        }
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alg::Alg;
    use crate::forge::{keys, sign};

    #[test]
    fn raw_signing_reproduces_rs256_and_opens_to_its_encoding() {
        let key = keys::private("rsa-2048-a");
        let raw = RawRsa::from_jwk(key).unwrap();
        let input = b"eyJhbGciOiJSUzI1NiJ9.e30";
        let em = emsa_pkcs1_v15(raw.modulus_len(), &digest_info(Hash::Sha256, input));
        let sig = raw.sign_raw(&em);
        assert_eq!(sig, sign(Alg::RS256, key, input).unwrap());
        assert_eq!(raw.open(&sig), em);
        let public = RawRsa::from_jwk(&keys::public("rsa-2048-a")).unwrap();
        assert_eq!(public.open(&sig), em);
    }

    #[test]
    fn pss_encoding_with_the_jws_parameters_verifies_and_others_do_not() {
        let key = keys::private("rsa-2048-a");
        let raw = RawRsa::from_jwk(key).unwrap();
        let public = keys::public("rsa-2048-a");
        let input = b"eyJhbGciOiJQUzI1NiJ9.e30";
        let pss = |hash, mgf, salt: &[u8]| {
            raw.sign_raw(&emsa_pss_encode(hash, mgf, salt, raw.modulus_bits(), input))
        };
        for (alg, hash) in [
            (Alg::PS256, Hash::Sha256),
            (Alg::PS384, Hash::Sha384),
            (Alg::PS512, Hash::Sha512),
        ] {
            let h_len = hash.digest(b"").len();
            let good = pss(hash, hash, &vec![7u8; h_len]);
            assert!(crate::forge::verify(alg, &public, input, &good), "{alg}");
            for bad in [
                pss(hash, hash, &[]),
                pss(hash, hash, &vec![7u8; max_pss_salt(hash, 2048)]),
                pss(hash, Hash::Sha1, &vec![7u8; h_len]),
            ] {
                assert!(!crate::forge::verify(alg, &public, input, &bad), "{alg}");
            }
        }
        assert_eq!(max_pss_salt(Hash::Sha256, 2048), 222);
        assert_eq!(mgf1(Hash::Sha1, b"", 30).len(), 30);
    }

    #[test]
    fn digest_info_prefixes_match_rfc_8017() {
        // RFC 8017 section 9.2 note 1 lists `DigestInfo` prefixes per hash.
        let sha256 = digest_info(Hash::Sha256, b"");
        assert_eq!(sha256[..19], hex("3031300d060960864801650304020105000420"));
        assert_eq!(
            digest_info(Hash::Sha1, b"")[..15],
            hex("3021300906052b0e03021a05000414")
        );
        assert_eq!(
            digest_info(Hash::Sha384, b"")[..19],
            hex("3041300d060960864801650304020205000430")
        );
        assert_eq!(
            digest_info(Hash::Sha512, b"")[..19],
            hex("3051300d060960864801650304020305000440")
        );
        assert_eq!(Hash::Sha256.oid(), hex("0609608648016503040201"));
    }

    fn hex(text: &str) -> Vec<u8> {
        (0..text.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
            .collect()
    }

    #[test]
    fn cube_roots_modulo_powers_of_two() {
        for target in [1u32, 3, 0x01_00_00_01, 0xffff_ffff] {
            let t = BigUint::from(target);
            let x = cube_root_mod_power_of_two(&t, 32);
            assert_eq!((&x * &x * &x) % (BigUint::from(1u8) << 32), t);
        }
    }

    #[test]
    fn cube_root_forgery_meets_both_ends_without_the_private_key() {
        let raw = RawRsa::from_jwk(&keys::public("rsa-2048-e3")).unwrap();
        let prefix = [0x00, 0x01, 0xff, 0xff, 0x00];
        let suffix = [0x12, 0x35];
        let sig = raw
            .cube_root_forgery(&prefix, &suffix, |middle| !middle.contains(&0))
            .expect("room for the forgery");
        let em = raw.open(&sig);
        assert!(em.starts_with(&prefix) && em.ends_with(&suffix));
        assert!(!em[prefix.len()..em.len() - 2].contains(&0));
        assert!(
            raw.cube_root_forgery(&prefix, &[0x02], |_| true).is_none(),
            "even suffix"
        );
        assert!(
            raw.cube_root_forgery(&[0x00, 0x01], &[0x01; 200], |_| true)
                .is_none(),
            "no room"
        );
    }
}

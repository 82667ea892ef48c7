//! jwt-conformance adapter for [`jwt`](https://docs.rs/jwt) (mikkyang/rust-jwt), with its
//! `openssl` feature: HMAC (HS256/384/512) through RustCrypto's `hmac`, RSA PKCS#1 v1.5
//! (RS256/384/512) and ECDSA (ES256/384/512) through OpenSSL's `PKeyWithDigest`. It has
//! no RSA-PSS and no EdDSA.
//!
//! What it maps. jwt verifies the JWS layer and nothing else: `verify_with_key` parses
//! the token into the library's `Header` and the claims type the caller names (here a JSON
//! object, `serde_json::Map`), refuses a header `alg` other than the key's
//! (`AlgorithmMismatch`), and checks the signature. It has no JWK support, so at
//! `prepare` each trusted JWK becomes a key the way the crate's documentation builds
//! them: an `Hmac<Sha256|384|512>` from the secret's bytes, or an OpenSSL public key
//! (imported by OpenSSL from the JWK's `n`/`e` or `x`/`y`, so OpenSSL alone decides
//! what it accepts) in a `PKeyWithDigest` with the digest of the algorithm. A key in jwt
//! has exactly one algorithm, so a JWK becomes one key per allowed algorithm of its
//! type (ECDSA keys: the one algorithm of their curve). At `verify` the adapter parses
//! the token with `Token::parse_unverified`, takes the key the header's `kid` names (or
//! the only trusted key: what `VerifyWithStore` does, but for a token without `kid`),
//! and among that key's algorithms the header's `alg`, else the first one, so that jwt
//! itself refuses an `alg` the policy does not allow; then `verify_with_key`. The JWK's
//! `alg`, `use` and `key_ops` never reach jwt, which has no notion of them.
//!
//! What it cannot express, and why. jwt checks no claim and reads no clock: there is no
//! issuer, audience, `typ` or required-claim check to configure and no expiry check at
//! all. A policy with an issuer, audiences, a `typ` or a required claim other than
//! `exp` is unsupported; the required `exp`, which every policy has, is left to the
//! library as the process wrappers of JWS-only libraries leave it, so the time and
//! claim cases show what code that uses jwt as its JWT verifier gets (expired tokens
//! accepted). The leeway has nothing to apply to. The clock is declared `system`, since
//! no "now" can be handed to jwt. The adapter never checks a claim itself.

use hmac::{Hmac, Mac};
use jwt::{AlgorithmType, Error, Header, PKeyWithDigest, Token, VerifyWithKey, VerifyingAlgorithm};
use jwt_conformance::{
    b64, Adapter, AdapterInfo, Alg, Checks, Clock, Jwk, Policy, RejectKind, Verdict, Verifier,
};
use openssl::bn::BigNum;
use openssl::ec::{EcGroup, EcKey};
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::{PKey, Public};
use openssl::rsa::Rsa;
use serde_json::{Map, Value};
use sha2::{Sha256, Sha384, Sha512};

/// The version of jwt this adapter is built against (checked against Cargo.lock by a
/// test; the crate exposes no version of its own).
pub const LIBRARY_VERSION: &str = "0.16.0";

/// The expected-failures manifest: jwt's known deviations from the RFCs.
pub const MANIFEST: &str = include_str!("../expected-failures.toml");

jwt_conformance::adapter_crate_test!("jwt", LIBRARY_VERSION, MANIFEST);

/// The claims type handed to jwt: a JSON object of any members, as the crate's own
/// examples take a `BTreeMap` (its `Claims` struct types `aud` as one string and the
/// times as unsigned integers, which would refuse valid tokens).
type Claims = Map<String, Value>;

/// The jwt adapter.
#[derive(Clone, Copy, Debug, Default)]
pub struct JwtAdapter;

/// The algorithms jwt cannot verify with its `openssl` feature.
const MISSING: [Alg; 4] = [Alg::PS256, Alg::PS384, Alg::PS512, Alg::EdDSA];

/// A jwt verifying key, usable from several threads. jwt implements
/// `VerifyingAlgorithm` for whatever hands out a `dyn VerifyingAlgorithm`.
struct Key(Box<dyn VerifyingAlgorithm + Send + Sync>);

impl AsRef<dyn VerifyingAlgorithm> for Key {
    fn as_ref(&self) -> &(dyn VerifyingAlgorithm + 'static) {
        &*self.0
    }
}

/// A key, or why it could not be built from the JWK.
type Loaded = Result<Key, String>;

/// The bytes of a base64url JWK member.
fn member(jwk: &Jwk, name: &str, value: &Option<String>) -> Result<Vec<u8>, String> {
    let text = value
        .as_deref()
        .ok_or_else(|| format!("{} JWK has no `{name}`", jwk.kty))?;
    b64::decode(text).map_err(|e| format!("JWK member `{name}`: {e}"))
}

/// The OpenSSL public key of an RSA or EC JWK, imported by OpenSSL from its components.
fn public_key(jwk: &Jwk) -> Result<PKey<Public>, String> {
    let openssl = |e: openssl::error::ErrorStack| format!("OpenSSL refuses the key: {e}");
    let bn = |bytes: Vec<u8>| BigNum::from_slice(&bytes).map_err(openssl);
    match jwk.kty.as_str() {
        "RSA" => {
            let n = bn(member(jwk, "n", &jwk.n)?)?;
            let e = bn(member(jwk, "e", &jwk.e)?)?;
            let rsa = Rsa::from_public_components(n, e).map_err(openssl)?;
            PKey::from_rsa(rsa).map_err(openssl)
        }
        "EC" => {
            let group = EcGroup::from_curve_name(curve_nid(jwk)?).map_err(openssl)?;
            let x = bn(member(jwk, "x", &jwk.x)?)?;
            let y = bn(member(jwk, "y", &jwk.y)?)?;
            let ec = EcKey::from_public_key_affine_coordinates(&group, &x, &y).map_err(openssl)?;
            PKey::from_ec_key(ec).map_err(openssl)
        }
        kty => Err(format!("jwt has no key of type {kty:?}")),
    }
}

fn curve_nid(jwk: &Jwk) -> Result<Nid, String> {
    match jwk.crv.as_deref() {
        Some("P-256") => Ok(Nid::X9_62_PRIME256V1),
        Some("P-384") => Ok(Nid::SECP384R1),
        Some("P-521") => Ok(Nid::SECP521R1),
        other => Err(format!("no OpenSSL curve for crv {other:?}")),
    }
}

/// The jwt key for `alg` made from `jwk`.
fn key_for(alg: Alg, jwk: &Jwk) -> Loaded {
    fn hmac<K: VerifyingAlgorithm + Send + Sync + 'static>(
        key: Result<K, hmac::digest::InvalidLength>,
    ) -> Loaded {
        key.map(|key| Key(Box::new(key)))
            .map_err(|e| format!("Hmac refuses the secret: {e}"))
    }
    let secret = || member(jwk, "k", &jwk.k);
    let with_digest = |digest: MessageDigest| -> Loaded {
        Ok(Key(Box::new(PKeyWithDigest {
            digest,
            key: public_key(jwk)?,
        })))
    };
    match alg {
        Alg::HS256 => hmac(Hmac::<Sha256>::new_from_slice(&secret()?)),
        Alg::HS384 => hmac(Hmac::<Sha384>::new_from_slice(&secret()?)),
        Alg::HS512 => hmac(Hmac::<Sha512>::new_from_slice(&secret()?)),
        Alg::RS256 | Alg::ES256 => with_digest(MessageDigest::sha256()),
        Alg::RS384 | Alg::ES384 => with_digest(MessageDigest::sha384()),
        Alg::RS512 | Alg::ES512 => with_digest(MessageDigest::sha512()),
        other => Err(format!("jwt has no {other}")),
    }
}

impl Adapter for JwtAdapter {
    fn info(&self) -> AdapterInfo {
        AdapterInfo::new(
            "jwt",
            LIBRARY_VERSION,
            Alg::all_but(&MISSING),
            Clock::System,
        )
    }

    fn prepare(&self, policy: &Policy) -> Result<Box<dyn Verifier>, Verdict> {
        // No time check at all: the leeway and an injected time have nothing to apply
        // to, and the required `exp` is left to the library (see above).
        let checks = Checks {
            leeway: true,
            clock: true,
            required: &["exp"],
            ..Checks::NONE
        };
        policy.within("jwt", checks)?;
        let keys = policy
            .keys
            .keys
            .iter()
            .map(|jwk| {
                let keys = policy
                    .algorithms
                    .iter()
                    .filter(|alg| !MISSING.contains(alg) && alg.key_family().holds(jwk))
                    .map(|alg| (*alg, key_for(*alg, jwk)))
                    .collect();
                (jwk.kid.clone(), keys)
            })
            .collect();
        Ok(Box::new(JwtVerifier { keys }))
    }
}

/// A trusted JWK's `kid` and its jwt keys, one per algorithm.
type TrustedKey = (Option<String>, Vec<(Alg, Loaded)>);

/// A prepared verifier: jwt keys by `kid`.
pub struct JwtVerifier {
    keys: Vec<TrustedKey>,
}

impl Verifier for JwtVerifier {
    fn verify(&self, token: &str) -> Verdict {
        let unverified: Token<Header, Claims, _> = match Token::parse_unverified(token) {
            Ok(t) => t,
            Err(e) => return rejection(&e),
        };
        let kid = unverified.header().key_id.as_deref();
        let found = match kid {
            Some(kid) => self.keys.iter().find(|(k, _)| k.as_deref() == Some(kid)),
            None if self.keys.len() == 1 => self.keys.first(),
            None => None,
        };
        let Some((_, keys)) = found else {
            return Verdict::rejected(RejectKind::Key, format!("no trusted key for kid {kid:?}"));
        };
        let header_alg = unverified.header().algorithm;
        let chosen = keys
            .iter()
            .find(|(alg, _)| algorithm_type(*alg) == Some(header_alg))
            .or_else(|| keys.first());
        let key = match chosen {
            Some((_, Ok(key))) => key,
            Some((_, Err(e))) => return Verdict::rejected(RejectKind::Key, e.clone()),
            None => {
                return Verdict::rejected(
                    RejectKind::Key,
                    format!("the key for kid {kid:?} fits none of the allowed algorithms"),
                )
            }
        };
        match unverified.verify_with_key(key) {
            Ok(verified) => {
                let (_, claims): (Header, Claims) = verified.into();
                Verdict::accepted(Value::Object(claims))
            }
            Err(e) => rejection(&e),
        }
    }
}

/// jwt's name for an algorithm.
fn algorithm_type(alg: Alg) -> Option<AlgorithmType> {
    Some(match alg {
        Alg::HS256 => AlgorithmType::Hs256,
        Alg::HS384 => AlgorithmType::Hs384,
        Alg::HS512 => AlgorithmType::Hs512,
        Alg::RS256 => AlgorithmType::Rs256,
        Alg::RS384 => AlgorithmType::Rs384,
        Alg::RS512 => AlgorithmType::Rs512,
        Alg::ES256 => AlgorithmType::Es256,
        Alg::ES384 => AlgorithmType::Es384,
        Alg::ES512 => AlgorithmType::Es512,
        _ => return None,
    })
}

fn rejection(e: &Error) -> Verdict {
    let kind = match e {
        Error::AlgorithmMismatch(..) => RejectKind::Algorithm,
        Error::Base64(_)
        | Error::Format
        | Error::Json(_)
        | Error::Utf8(_)
        | Error::NoHeaderComponent
        | Error::NoClaimsComponent
        | Error::NoSignatureComponent
        | Error::TooManyComponents => RejectKind::Malformed,
        Error::InvalidSignature | Error::RustCryptoMac(_) => RejectKind::Signature,
        Error::NoKeyId | Error::NoKeyWithKeyId(_) | Error::RustCryptoMacKeyLength(_) => {
            RejectKind::Key
        }
        _ => RejectKind::Other,
    };
    Verdict::rejected(kind, e.to_string())
}

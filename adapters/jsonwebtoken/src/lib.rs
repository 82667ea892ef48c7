//! jwt-conformance adapter for [`jsonwebtoken`](https://docs.rs/jsonwebtoken).
//!
//! The adapter uses jsonwebtoken the way its documentation shows: the trusted keys as a
//! `JwkSet`, the key picked by the header's `kid` (`decode_header` + `JwkSet::find`),
//! `DecodingKey::from_jwk`, and `decode` with a `Validation` built from the policy. It
//! never re-checks a claim itself: what the library decides is what gets scored.
//!
//! So that the header is parsed once on the common path, `decode` runs first with the
//! key a quick read of the `kid` names, and the header the library returns confirms the
//! choice; anything else goes the documented way. The verdicts are the same (a unit test
//! holds the two paths to that), and the harness costs no extra header parse.
//!
//! Backend: [`JsonwebtokenAdapter`] installs the pure-Rust `rust_crypto` provider. It
//! needs no C toolchain and shares the RustCrypto crates the suite's forge already
//! builds. The library's other backend (`aws_lc_rs`) differs in places; the
//! `jwt-conformance-jsonwebtoken-aws-lc` crate runs this same adapter through
//! [`BackendAdapter`] with that provider. jsonwebtoken's provider is process-wide and
//! set once, and when both backend features are compiled in (as they are when cargo
//! unifies a workspace's features) none is picked automatically, so `prepare` installs
//! the adapter's own provider and declines to run if another one was installed first.
//!
//! Clock: jsonwebtoken reads `SystemTime::now()` and offers no way to inject a time,
//! so the adapter declares a system clock and exact time-boundary cases are skipped.

use jsonwebtoken::crypto::{rust_crypto, CryptoProvider};
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{decode, decode_header, Algorithm, DecodingKey, Validation};
use jwt_conformance::{Adapter, AdapterInfo, Alg, Clock, Policy, RejectKind, Verdict, Verifier};
use serde_json::Value;

/// The version of jsonwebtoken this adapter is built against (checked against
/// Cargo.lock by a test).
pub const LIBRARY_VERSION: &str = "12.0.0";

/// The expected-failures manifest: jsonwebtoken's known deviations from the RFCs.
pub const MANIFEST: &str = include_str!("../expected-failures.toml");

jwt_conformance::adapter_crate_test!("jsonwebtoken", LIBRARY_VERSION, MANIFEST);

/// The jsonwebtoken adapter on the pure-Rust `rust_crypto` backend.
#[derive(Clone, Copy, Debug, Default)]
pub struct JsonwebtokenAdapter;

/// [`JsonwebtokenAdapter`] as a [`BackendAdapter`].
pub const RUST_CRYPTO: BackendAdapter =
    BackendAdapter::new("jsonwebtoken", &rust_crypto::DEFAULT_PROVIDER);

impl Adapter for JsonwebtokenAdapter {
    fn info(&self) -> AdapterInfo {
        RUST_CRYPTO.info()
    }

    fn prepare(&self, policy: &Policy) -> Result<Box<dyn Verifier>, Verdict> {
        RUST_CRYPTO.prepare(policy)
    }
}

/// The jsonwebtoken adapter on a given crypto backend.
#[derive(Clone, Copy, Debug)]
pub struct BackendAdapter {
    name: &'static str,
    provider: &'static CryptoProvider,
}

impl BackendAdapter {
    /// An adapter reporting itself as `name` that verifies with `provider`.
    pub const fn new(name: &'static str, provider: &'static CryptoProvider) -> BackendAdapter {
        BackendAdapter { name, provider }
    }

    /// Installs this adapter's provider as the process default, or reports that another
    /// backend got there first (the default can only be set once per process).
    fn install_provider(&self) -> Result<(), Verdict> {
        // On failure `install_default` hands back the provider it was given, not the one
        // installed, so the installed one is read back.
        let _ = self.provider.install_default();
        let installed = CryptoProvider::try_get_default();
        if installed.is_some_and(|p| std::ptr::eq(p, self.provider)) {
            Ok(())
        } else {
            Err(Verdict::unsupported(
                "another jsonwebtoken backend is already installed in this process".to_string(),
            ))
        }
    }
}

fn to_library_alg(alg: Alg) -> Option<Algorithm> {
    Some(match alg {
        Alg::HS256 => Algorithm::HS256,
        Alg::HS384 => Algorithm::HS384,
        Alg::HS512 => Algorithm::HS512,
        Alg::RS256 => Algorithm::RS256,
        Alg::RS384 => Algorithm::RS384,
        Alg::RS512 => Algorithm::RS512,
        Alg::PS256 => Algorithm::PS256,
        Alg::PS384 => Algorithm::PS384,
        Alg::PS512 => Algorithm::PS512,
        Alg::ES256 => Algorithm::ES256,
        Alg::ES384 => Algorithm::ES384,
        Alg::EdDSA => Algorithm::EdDSA,
        // jsonwebtoken has no ES512.
        Alg::ES512 => return None,
    })
}

/// The claims `Validation::required_spec_claims` understands.
const SPEC_CLAIMS: [&str; 5] = ["exp", "nbf", "aud", "iss", "sub"];

impl Adapter for BackendAdapter {
    fn info(&self) -> AdapterInfo {
        AdapterInfo::new(
            self.name,
            LIBRARY_VERSION,
            Alg::ALL
                .into_iter()
                .filter(|a| to_library_alg(*a).is_some())
                .collect(),
            Clock::System,
        )
    }

    fn prepare(&self, policy: &Policy) -> Result<Box<dyn Verifier>, Verdict> {
        policy.without_profile("jsonwebtoken")?;
        Ok(Box::new(self.verifier(policy)?))
    }
}

impl BackendAdapter {
    /// The prepared verifier, unboxed.
    fn verifier(&self, policy: &Policy) -> Result<JsonwebtokenVerifier, Verdict> {
        self.install_provider()?;
        if policy.typ.is_some() {
            return Err(Verdict::unsupported(
                "jsonwebtoken's Validation has no `typ` check".to_string(),
            ));
        }
        if let Some(claim) = policy
            .required_claims
            .iter()
            .find(|c| !SPEC_CLAIMS.contains(&c.as_str()))
        {
            return Err(Verdict::unsupported(format!(
                "jsonwebtoken can only require exp, nbf, aud, iss and sub, not {claim:?}"
            )));
        }
        let algorithms: Vec<Algorithm> = policy
            .algorithms
            .iter()
            .filter_map(|a| to_library_alg(*a))
            .collect();
        if algorithms.is_empty() {
            return Err(Verdict::unsupported(
                "none of the policy's algorithms is supported by jsonwebtoken".to_string(),
            ));
        }
        let mut validation = Validation::new(algorithms[0]);
        validation.algorithms = algorithms;
        validation.leeway = policy.leeway;
        validation.validate_exp = true;
        validation.validate_nbf = true;
        validation.required_spec_claims = policy.required_claims.iter().cloned().collect();
        if !policy.audience.is_empty() {
            validation.set_audience(&policy.audience);
        }
        if let Some(issuer) = &policy.issuer {
            validation.set_issuer(&[issuer]);
        }
        let jwks: JwkSet = serde_json::to_value(&policy.keys)
            .and_then(serde_json::from_value)
            .map_err(|e| Verdict::Rejected {
                kind: RejectKind::Key,
                message: format!("jsonwebtoken cannot read the JWK Set: {e}"),
            })?;
        // Build every decoding key once; a key the library refuses stays an error that
        // surfaces only when a token selects it. `decode` refuses a Validation listing an
        // algorithm of another family than the key's, so each key gets the policy's
        // algorithms of its own family, as a service with keys of several types keeps one
        // Validation per type.
        let keys = jwks
            .keys
            .iter()
            .map(|jwk| {
                let key = DecodingKey::from_jwk(jwk).map(|key| {
                    let mut own = validation.clone();
                    own.algorithms.retain(|a| a.family() == key.family());
                    (key, own)
                });
                (jwk.common.key_id.clone(), key.map_err(|e| e.to_string()))
            })
            .collect();
        Ok(JsonwebtokenVerifier { keys })
    }
}

/// A decoding key with the validation rules for its family, or why the library refused
/// the JWK.
type Loaded = Result<(DecodingKey, Validation), String>;

/// A prepared verifier: decoding keys by `kid`, each with its validation rules.
pub struct JsonwebtokenVerifier {
    keys: Vec<(Option<String>, Loaded)>,
}

impl JsonwebtokenVerifier {
    /// The key the token's `kid` names or, without a `kid`, the only trusted key.
    fn select_key(&self, kid: Option<&str>) -> Result<&(DecodingKey, Validation), Verdict> {
        let found = match kid {
            Some(kid) => self.keys.iter().find(|(k, _)| k.as_deref() == Some(kid)),
            None if self.keys.len() == 1 => self.keys.first(),
            None => None,
        };
        match found {
            Some((_, Ok(key))) => Ok(key),
            Some((_, Err(e))) => Err(Verdict::rejected(RejectKind::Key, e.clone())),
            None => Err(Verdict::rejected(
                RejectKind::Key,
                format!("no trusted key for kid {kid:?}"),
            )),
        }
    }
}

impl Verifier for JsonwebtokenVerifier {
    fn verify(&self, token: &str) -> Verdict {
        let guessed = match self.keys.as_slice() {
            [(_, Ok(only))] => Some(only),
            _ => guess_kid(token).and_then(|kid| self.select_key(kid.as_deref()).ok()),
        };
        match guessed {
            Some(key) => self.verify_with_guess(token, key),
            None => self.verify_by_header(token),
        }
    }
}

impl JsonwebtokenVerifier {
    /// The documented way: `decode_header`, the key its `kid` names, `decode`.
    fn verify_by_header(&self, token: &str) -> Verdict {
        let header = match decode_header(token) {
            Ok(h) => h,
            Err(e) => return rejection(e),
        };
        let (key, validation) = match self.select_key(header.kid.as_deref()) {
            Ok(selected) => selected,
            Err(verdict) => return verdict,
        };
        match decode::<Value>(token, key, validation) {
            Ok(data) => Verdict::accepted(data.claims),
            Err(e) => rejection(e),
        }
    }

    /// The same verdicts as [`verify_by_header`](Self::verify_by_header), with the header
    /// parsed once on the common path: `decode` with the key `guessed` (the only one, or
    /// the one a quick read of the `kid` names), then the `kid` rule applied to the
    /// header `decode` returns. Where the library's header names another key, or the
    /// decode fails, the documented path settles the verdict.
    fn verify_with_guess(&self, token: &str, guessed: &(DecodingKey, Validation)) -> Verdict {
        let is_guessed = |selected: &(DecodingKey, Validation)| std::ptr::eq(selected, guessed);
        match decode::<Value>(token, &guessed.0, &guessed.1) {
            Ok(data) => match self.select_key(data.header.kid.as_deref()) {
                Ok(selected) if is_guessed(selected) => Verdict::accepted(data.claims),
                Ok(_) => self.verify_by_header(token),
                Err(verdict) => verdict,
            },
            Err(e) => match decode_header(token) {
                Err(header_error) => rejection(header_error),
                Ok(header) => match self.select_key(header.kid.as_deref()) {
                    Ok(selected) if is_guessed(selected) => rejection(e),
                    Ok(_) => self.verify_by_header(token),
                    Err(verdict) => verdict,
                },
            },
        }
    }
}

/// The `kid` of the token's first segment, read without the library: only a guess at
/// which key to try, which the library's own parse of the header then confirms.
fn guess_kid(token: &str) -> Option<Option<String>> {
    #[derive(serde::Deserialize)]
    struct Kid {
        kid: Option<String>,
    }
    let header = jwt_conformance::b64::decode(token.split('.').next()?).ok()?;
    serde_json::from_slice::<Kid>(&header).ok().map(|h| h.kid)
}

fn rejection(e: jsonwebtoken::errors::Error) -> Verdict {
    let kind = match e.kind() {
        ErrorKind::InvalidToken
        | ErrorKind::Base64(_)
        | ErrorKind::Json(_)
        | ErrorKind::Utf8(_)
        | ErrorKind::InvalidClaimFormat(_) => RejectKind::Malformed,
        ErrorKind::InvalidSignature => RejectKind::Signature,
        ErrorKind::InvalidEcdsaKey
        | ErrorKind::InvalidEddsaKey
        | ErrorKind::InvalidRsaKey(_)
        | ErrorKind::InvalidKeyFormat => RejectKind::Key,
        ErrorKind::InvalidAlgorithmName
        | ErrorKind::UnsupportedAlgorithm
        | ErrorKind::InvalidAlgorithm
        | ErrorKind::MissingAlgorithm => RejectKind::Algorithm,
        ErrorKind::MissingRequiredClaim(_) => RejectKind::MissingClaim,
        ErrorKind::ExpiredSignature => RejectKind::Expired,
        ErrorKind::ImmatureSignature => RejectKind::NotYetValid,
        ErrorKind::InvalidIssuer => RejectKind::Issuer,
        ErrorKind::InvalidAudience => RejectKind::Audience,
        _ => RejectKind::Other,
    };
    Verdict::rejected(kind, e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_backend_in_the_same_process_declines_to_run() {
        let policy = Policy::new(Default::default(), vec![Alg::HS256], None);
        assert!(JsonwebtokenAdapter.prepare(&policy).is_ok());
        assert!(
            JsonwebtokenAdapter.prepare(&policy).is_ok(),
            "reinstalling is fine"
        );
        let copy: &'static CryptoProvider =
            Box::leak(Box::new(rust_crypto::DEFAULT_PROVIDER.clone()));
        let other = BackendAdapter::new("other", copy);
        match other.prepare(&policy) {
            Err(Verdict::Unsupported { why }) => assert!(why.contains("already installed")),
            Err(e) => panic!("unexpected error {e}"),
            Ok(_) => panic!("a second backend must not run"),
        }
    }

    #[test]
    fn the_guessing_path_gives_the_verdicts_of_the_key_lookup() {
        use jwt_conformance::forge::{self, keys};
        use jwt_conformance::jwk::JwkSet;
        use serde_json::json;
        let claims = json!({"exp": 4_102_444_800u64});
        let sign = |header: Value, key: &str| {
            forge::sign_json(&header, &claims, Alg::HS256, keys::private(key)).unwrap()
        };
        let valid = sign(json!({"alg": "HS256", "kid": "oct-a"}), "oct-a");
        let tokens = [
            valid.clone(),
            sign(json!({"alg": "HS256", "kid": "oct-b"}), "oct-b"),
            sign(json!({"alg": "HS256", "kid": "oct-a"}), "oct-b"),
            sign(json!({"alg": "HS256"}), "oct-a"),
            sign(json!({"alg": "HS256", "kid": "oct-c"}), "oct-a"),
            sign(json!({"alg": "HS256", "kid": 7}), "oct-a"),
            forge::sign_bytes(
                br#"{"alg":"HS256","kid":"oct-b","kid":"oct-a"}"#,
                claims.to_string().as_bytes(),
                Alg::HS256,
                keys::private("oct-a"),
            )
            .unwrap(),
            forge::sign_json(
                &json!({"alg": "HS256", "kid": "oct-a"}),
                &json!({"exp": 1}),
                Alg::HS256,
                keys::private("oct-a"),
            )
            .unwrap(),
            format!("{}x", &valid[..valid.len() - 1]),
            "not.a.token".to_string(),
            String::new(),
        ];
        let one_key = keys::public_set(&["oct-a"]);
        let two_keys = keys::public_set(&["oct-a", "oct-b"]);
        for (set, accepted) in [(one_key, 2), (two_keys, 2)] {
            let set: JwkSet = set;
            let policy = Policy::new(set, vec![Alg::HS256], None);
            let verifier = RUST_CRYPTO.verifier(&policy).unwrap();
            for token in &tokens {
                assert_eq!(
                    verifier.verify(token),
                    verifier.verify_by_header(token),
                    "{token}"
                );
            }
            let accepting = tokens
                .iter()
                .filter(|t| matches!(verifier.verify(t), Verdict::Accepted { .. }))
                .count();
            assert_eq!(accepting, accepted, "{} keys", policy.keys.keys.len());
        }
    }
}

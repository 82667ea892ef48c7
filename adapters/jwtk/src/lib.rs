//! jwt-conformance adapter for [`jwtk`](https://docs.rs/jwtk)'s remote JWK Set verifier,
//! `RemoteJwksVerifier`: a key set fetched from a URL, cached, and fetched again for an
//! unknown `kid` after a cooldown. It is the in-process client the `jwks` class runs
//! against; a policy without a remote key set is answered unsupported (jwtk's own
//! static-key verification is not what this adapter tests).
//!
//! jwtk is used as its documentation shows:
//! `RemoteJwksVerifier::builder(url).with_client(client).with_cache_duration(max_age)
//! .with_cooldown(cooldown).build()`, then `verify::<Map<String, Value>>(token)`, which
//! picks the key by the header's `kid` and checks the signature, `exp` and `nbf`.
//!
//! The policy's settings:
//! - `max_age_ms` is `with_cache_duration`, `cooldown_ms` is `with_cooldown`;
//! - `timeout_ms` is the timeout of the `reqwest::Client` handed to `with_client` (the
//!   whole request, body included). That client keeps reqwest's other defaults, among
//!   them following redirects; only the environment's proxy settings are switched off,
//!   so a loopback URL is fetched directly.
//!
//! What jwtk cannot be told, so policies that need it are unsupported: an expected issuer
//! or audience, a required `typ`, claims other than `exp` to require, leeway, an
//! injected clock (it reads `SystemTime::now()`). It checks `exp` when present and
//! cannot require it. It has no allow-list of algorithms either: the key's own type
//! decides which algorithm verifies, so the policy's list is not enforced.
//!
//! jwtk's verifier is async: each prepared verifier owns a small tokio runtime and
//! drives it with `block_on` from the harness's threads.

use jwt_conformance::policy::RemoteJwks;
use jwt_conformance::{
    Adapter, AdapterInfo, Alg, Checks, Clock, Policy, RejectKind, Verdict, Verifier,
};
use serde_json::{Map, Value};
use std::time::Duration;

/// The version of jwtk this adapter is built against.
pub const LIBRARY_VERSION: &str = "0.5.0";

/// The expected-failures manifest: jwtk's known deviations from the RFCs.
pub const MANIFEST: &str = include_str!("../expected-failures.toml");

jwt_conformance::adapter_crate_test!("jwtk", LIBRARY_VERSION, MANIFEST);

/// The jwtk adapter.
#[derive(Clone, Copy, Debug, Default)]
pub struct JwtkAdapter;

impl Adapter for JwtkAdapter {
    fn info(&self) -> AdapterInfo {
        AdapterInfo {
            name: "jwtk".to_string(),
            version: LIBRARY_VERSION.to_string(),
            // With the openssl feature: RSA (PKCS#1 and PSS), ECDSA on P-256 and P-384,
            // Ed25519. No HMAC keys in a JWK Set, no P-521.
            algorithms: Alg::all_but(&[Alg::HS256, Alg::HS384, Alg::HS512, Alg::ES512]),
            clock: Clock::System,
            remote_jwks: true,
        }
    }

    fn prepare(&self, policy: &Policy) -> Result<Box<dyn Verifier>, Verdict> {
        let Some(remote) = &policy.jwks else {
            return Err(Verdict::unsupported(
                "this adapter runs jwtk's RemoteJwksVerifier, so only policies with a remote key set",
            ));
        };
        let checks = Checks {
            required: &["exp"],
            ..Checks::NONE
        };
        policy.within("jwtk", checks)?;
        JwtkVerifier::new(remote).map(|v| Box::new(v) as Box<dyn Verifier>)
    }
}

/// A prepared remote key set verifier and the runtime that drives it.
struct JwtkVerifier {
    runtime: tokio::runtime::Runtime,
    remote: jwtk::jwk::RemoteJwksVerifier,
}

impl JwtkVerifier {
    fn new(remote: &RemoteJwks) -> Result<JwtkVerifier, Verdict> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .map_err(|e| Verdict::rejected(RejectKind::Other, format!("no tokio runtime: {e}")))?;
        let client = reqwest::Client::builder()
            .timeout(Duration::from_millis(remote.timeout_ms))
            .no_proxy()
            .build()
            .map_err(|e| Verdict::rejected(RejectKind::Other, format!("no HTTP client: {e}")))?;
        let remote = jwtk::jwk::RemoteJwksVerifier::builder(remote.uri.clone())
            .with_client(client)
            .with_cache_duration(Duration::from_millis(remote.max_age_ms))
            .with_cooldown(Duration::from_millis(remote.cooldown_ms))
            .build();
        Ok(JwtkVerifier { runtime, remote })
    }
}

impl Verifier for JwtkVerifier {
    fn verify(&self, token: &str) -> Verdict {
        let verified = self
            .runtime
            .block_on(self.remote.verify::<Map<String, Value>>(token));
        match verified {
            Ok(decoded) => match serde_json::to_value(decoded.claims()) {
                Ok(claims) => Verdict::accepted(claims),
                Err(e) => Verdict::rejected(RejectKind::Other, format!("claims: {e}")),
            },
            Err(e) => Verdict::rejected(kind_of(&e), e.to_string()),
        }
    }
}

/// The reject kind of a jwtk error.
fn kind_of(e: &jwtk::Error) -> RejectKind {
    match e {
        jwtk::Error::VerificationError => RejectKind::Signature,
        jwtk::Error::AlgMismatch => RejectKind::Algorithm,
        jwtk::Error::Expired => RejectKind::Expired,
        jwtk::Error::Before => RejectKind::NotYetValid,
        jwtk::Error::NoKid | jwtk::Error::NoKey | jwtk::Error::UnsupportedOrInvalidKey => {
            RejectKind::Key
        }
        jwtk::Error::InvalidToken
        | jwtk::Error::Utf8(_)
        | jwtk::Error::SerdeJson(_)
        | jwtk::Error::Decode(_) => RejectKind::Malformed,
        _ => RejectKind::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policies_without_a_remote_key_set_are_unsupported() {
        let policy = Policy::new(Default::default(), vec![Alg::ES256], None);
        let refused = JwtkAdapter.prepare(&policy).err();
        assert!(
            matches!(refused, Some(Verdict::Unsupported { .. })),
            "{refused:?}"
        );
    }
}

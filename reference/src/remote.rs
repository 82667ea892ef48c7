//! The references' remote key set: a JWK Set fetched from the policy's
//! [`RemoteJwks::uri`], cached, refreshed and rotated the way a careful relying party
//! does (RFC 7517 section 5; OpenID Connect Core section 10.1.1 on rotation).
//!
//! - The set is fetched when first needed and again once it is older than `max_age_ms`;
//!   a fetch replaces the set, it never merges into it (keys removed upstream stop
//!   verifying, CVE-2025-22149).
//! - A token naming a `kid` the set lacks triggers one fetch, at most once per
//!   `cooldown_ms` (a flood of unknown `kid`s is not a flood of requests).
//! - One fetch at a time: concurrent verifications wait for it (no stampede).
//! - A fetch is a plain GET of the configured URI and nothing else: no `kid`, `jku`,
//!   `x5u` or claim ever shapes a URL; redirects are not followed; the body is read up
//!   to [`MAX_BODY`] and the whole fetch is bounded by `timeout_ms`; a status other than
//!   200 or a body that is not a JWK Set is a failed fetch.
//! - A failed fetch keeps the set it had (a wiped cache turns one outage into a total
//!   one). Once the set is past `max_age_ms` and cannot be refreshed, the strict
//!   reference fails closed (it verifies nothing with a stale set); the lenient one keeps
//!   using the last set it fetched. Both are permitted: which one a deployment wants is
//!   its own choice.
//! - Symmetric (`oct`) keys in a published set are never trusted: whatever is served
//!   from an unauthenticated endpoint is public, and a public HMAC key lets anyone MAC.
//!   Each key is otherwise read as a policy key is (a key that does not parse is ignored,
//!   RFC 7517 section 5).

use crate::keys::TrustedKey;
use jwt_conformance::policy::RemoteJwks;
use jwt_conformance::rules::Choice;
use jwt_conformance::Jwk;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// The largest key set body read, in bytes; a longer one is a failed fetch.
pub const MAX_BODY: u64 = 1024 * 1024;

/// A remote key set and its cache.
#[derive(Debug)]
pub struct RemoteKeys {
    config: RemoteJwks,
    choice: Choice,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    /// The last set fetched, and when.
    set: Option<(Arc<Vec<TrustedKey>>, Instant)>,
    /// When a fetch was last made because of an unknown `kid`.
    last_unknown_kid_fetch: Option<Instant>,
    /// Why the last fetch failed, for messages.
    last_failure: Option<String>,
}

impl RemoteKeys {
    /// A key set fetched from `config.uri`, nothing fetched yet.
    pub fn new(config: &RemoteJwks, choice: Choice) -> RemoteKeys {
        RemoteKeys {
            config: config.clone(),
            choice,
            state: Mutex::new(State::default()),
        }
    }

    /// The keys to verify a token naming `kid` with, fetching first when the cache
    /// demands it; `Err` says why there are none.
    pub fn keys_for(&self, kid: Option<&str>) -> Result<Arc<Vec<TrustedKey>>, String> {
        // Held across the fetch: a concurrent verification waits for it and then uses
        // what it fetched.
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let max_age = Duration::from_millis(self.config.max_age_ms);
        let fresh = state
            .set
            .as_ref()
            .is_some_and(|(_, at)| at.elapsed() < max_age);
        if !fresh {
            self.refresh(&mut state);
        }
        let known = |set: &[TrustedKey]| {
            kid.is_none_or(|kid| set.iter().any(|k| k.jwk.kid.as_deref() == Some(kid)))
        };
        let cooldown = Duration::from_millis(self.config.cooldown_ms);
        let may_refetch = state
            .last_unknown_kid_fetch
            .is_none_or(|at| at.elapsed() >= cooldown);
        if let Some((set, _)) = &state.set {
            if !known(set) && may_refetch {
                state.last_unknown_kid_fetch = Some(Instant::now());
                self.refresh(&mut state);
            }
        }
        match &state.set {
            Some((set, at)) if at.elapsed() < max_age || self.choice == Choice::Lenient => {
                Ok(Arc::clone(set))
            }
            Some(_) => Err(format!(
                "the remote key set is older than its {} ms max age and could not be refreshed ({})",
                self.config.max_age_ms,
                state.last_failure.as_deref().unwrap_or("no reason given")
            )),
            None => Err(format!(
                "the remote key set could not be fetched ({})",
                state.last_failure.as_deref().unwrap_or("no reason given")
            )),
        }
    }

    /// Fetches the set; on success it replaces the cached one, on failure the cached one
    /// stays and the failure is remembered.
    fn refresh(&self, state: &mut State) {
        match self.fetch() {
            Ok(set) => {
                state.set = Some((Arc::new(set), Instant::now()));
                state.last_failure = None;
            }
            Err(why) => state.last_failure = Some(why),
        }
    }

    /// One GET of the configured URI, read as a JWK Set.
    fn fetch(&self) -> Result<Vec<TrustedKey>, String> {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_millis(self.config.timeout_ms)))
            .max_redirects(0)
            .http_status_as_error(false)
            .build()
            .into();
        let mut response = agent
            .get(&self.config.uri)
            .call()
            .map_err(|e| format!("GET {}: {e}", self.config.uri))?;
        let status = response.status();
        if status != 200 {
            return Err(format!("GET {} answered {status}", self.config.uri));
        }
        let body = response
            .body_mut()
            .with_config()
            .limit(MAX_BODY)
            .read_to_vec()
            .map_err(|e| format!("reading the key set from {}: {e}", self.config.uri))?;
        let set: serde_json::Value = serde_json::from_slice(&body)
            .map_err(|e| format!("the body of {} is not JSON: {e}", self.config.uri))?;
        let keys = set
            .get("keys")
            .and_then(serde_json::Value::as_array)
            .ok_or_else(|| format!("the body of {} is not a JWK Set", self.config.uri))?;
        // Each key on its own: one that does not parse is ignored, the others still
        // count (RFC 7517 section 5).
        Ok(keys
            .iter()
            .filter_map(|key| serde_json::from_value::<Jwk>(key.clone()).ok())
            .filter(|jwk| jwk.kty != "oct")
            .map(|jwk| TrustedKey::parse(&jwk, self.choice))
            .collect())
    }
}

//! The references' remote key set: a JWK Set fetched from the policy's
//! [`RemoteJwks::uri`], cached, refreshed and rotated the way a careful relying party
//! does. No RFC bounds any of this (RFC 7517 section 5 defines the set and nothing about
//! fetching it); each rule below says where it comes from.
//!
//! - **Fetch when needed, keep for the max age.** The set is fetched when first needed
//!   and again once it is older than `max_age_ms` (the deployment's setting).
//! - **A fetch replaces the set.** It never merges into the cached one: the set is the
//!   document the issuer serves now, and a key removed upstream must stop verifying
//!   (CVE-2025-22149: a client that appended fetched keys to its cache kept trusting
//!   removed ones, "a security issue for use cases ... where key removal from a JWK Set
//!   is equivalent to revocation").
//! - **An unknown `kid` triggers one fetch, at most once per cooldown.** OpenID Connect
//!   Core section 10.1.1: "The verifier knows to go back to the jwks_uri location to
//!   re-retrieve the keys when it sees an unfamiliar kid value." The cooldown runs from
//!   the last fetch of any kind, failed ones included, so neither a flood of unknown
//!   `kid`s nor a failing endpoint becomes a flood of requests, and a set fetched a
//!   moment ago is not fetched again for a `kid` it lacks.
//! - **One fetch at a time.** Verifications that need a fetch wait for the one in flight
//!   and use what it brought (no stampede on a cold start); a verification that the
//!   cached set can serve never waits for a fetch.
//! - **A fetch is a plain GET of the configured URI and nothing else.** No `kid`, `jku`,
//!   `x5u` or claim ever shapes a URL (RFC 8725 section 3.10: "blindly following a "jku"
//!   (JWK set URL) or "x5u" (X.509 URL) header ... could result in server-side request
//!   forgery (SSRF) attacks"). Redirects are not followed: the verifier was given one URL
//!   for its keys (RFC 7517 section 9.1: "One should place no more trust in the data
//!   cryptographically secured by a key than in the method by which it was obtained").
//!   A status other than 200 is a failed fetch whatever its body holds: an error page is
//!   not the key set. The body is read up to [`MAX_BODY`], and the whole fetch, body
//!   included, is bounded by `timeout_ms`, so a huge or trickling body fails the fetch
//!   instead of stalling verification.
//! - **A failed fetch keeps the set it had.** Wiping it turns one failed request into an
//!   outage of every verification. Once the set is past `max_age_ms` and cannot be
//!   refreshed, the strict reference fails closed (it verifies nothing with a stale
//!   set); the lenient one keeps using the last set it fetched. No RFC decides between
//!   them: which one a deployment wants is its own choice.
//! - **Symmetric (`oct`) keys in a published set are never trusted.** RFC 7517 section
//!   9.2: "Private and symmetric keys MUST be protected from disclosure to unintended
//!   parties." Whatever an unauthenticated endpoint serves is public, and a public HMAC
//!   key lets anyone MAC. Each other key is read as a policy key is: one that does not
//!   parse is ignored and the others still count (RFC 7517 section 5: "Implementations
//!   SHOULD ignore JWKs within a JWK Set that use "kty" (key type) values that are not
//!   understood by them, that are missing required members, or for which values are out
//!   of the supported ranges").
//!
//! [`RemoteFlaw`] breaks one of these rules on purpose, for the flawed verifiers that
//! prove the `jwks` cases can fail; [`RemoteFlaw::None`] leaves every rule in force.

use crate::keys::TrustedKey;
use jwt_conformance::policy::RemoteJwks;
use jwt_conformance::rules::Choice;
use jwt_conformance::Jwk;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// The largest key set body read, in bytes; a longer one is a failed fetch.
pub const MAX_BODY: u64 = 1024 * 1024;

/// One rule of the remote key set broken on purpose (see [`crate::flawed`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RemoteFlaw {
    /// Every rule in force.
    #[default]
    None,
    /// A fetched set is merged into the cached one (a key of the same `kid` replaced,
    /// every other cached key kept), as CVE-2025-22149 did.
    MergesSets,
    /// Every token with an unknown `kid` fetches the set again: no cooldown.
    NoCooldown,
    /// Redirects are followed, and whatever they lead to is taken as the key set.
    FollowsRedirects,
    /// A fetch has no time limit.
    NoTimeout,
    /// A failed fetch empties the cache.
    WipesOnFailure,
}

/// A remote key set and its cache.
#[derive(Debug)]
pub struct RemoteKeys {
    config: RemoteJwks,
    choice: Choice,
    flaw: RemoteFlaw,
    state: Mutex<State>,
    /// Held for the whole of a fetch: one at a time.
    fetching: Mutex<()>,
}

#[derive(Debug, Default)]
struct State {
    /// The last set fetched, and when.
    set: Option<(Arc<Vec<TrustedKey>>, Instant)>,
    /// When the last fetch (successful or not) ended, and whether it failed.
    last_fetch: Option<(Instant, bool)>,
    /// How many fetches have ended: a verification that waited for the fetch lock
    /// sees whether another fetched in the meantime.
    fetches: u64,
    /// Why the last fetch failed, for messages.
    last_failure: Option<String>,
}

/// What a verification needs from the cache.
enum Need {
    /// The cached set serves it.
    Nothing,
    /// The set is missing or past its max age.
    Refresh,
    /// The token's `kid` is not in a set fresh enough to keep.
    Refetch,
}

impl RemoteKeys {
    /// A key set fetched from `config.uri`, nothing fetched yet.
    pub fn new(config: &RemoteJwks, choice: Choice) -> RemoteKeys {
        RemoteKeys::with_flaw(config, choice, RemoteFlaw::None)
    }

    /// A key set fetched from `config.uri` with one rule broken.
    pub fn with_flaw(config: &RemoteJwks, choice: Choice, flaw: RemoteFlaw) -> RemoteKeys {
        RemoteKeys {
            config: config.clone(),
            choice,
            flaw,
            state: Mutex::new(State::default()),
            fetching: Mutex::new(()),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The keys to verify a token naming `kid` with, fetching first when the cache
    /// demands it; `Err` says why there are none.
    pub fn keys_for(&self, kid: Option<&str>) -> Result<Arc<Vec<TrustedKey>>, String> {
        let (need, seen) = {
            let state = self.state();
            (self.need(&state, kid), state.fetches)
        };
        if !matches!(need, Need::Nothing) {
            let _one_at_a_time = self.fetching.lock().unwrap_or_else(PoisonError::into_inner);
            let due = {
                let state = self.state();
                !matches!(self.need(&state, kid), Need::Nothing) && self.may_fetch(&state, seen)
            };
            if due {
                let fetched = self.fetch();
                self.store(fetched);
            }
        }
        let state = self.state();
        let max_age = Duration::from_millis(self.config.max_age_ms);
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

    /// What a token naming `kid` needs from the cache as it is.
    fn need(&self, state: &State, kid: Option<&str>) -> Need {
        let max_age = Duration::from_millis(self.config.max_age_ms);
        match &state.set {
            None => Need::Refresh,
            Some((_, at)) if at.elapsed() >= max_age => Need::Refresh,
            Some((set, _)) => {
                let known =
                    kid.is_none_or(|kid| set.iter().any(|k| k.jwk.kid.as_deref() == Some(kid)));
                if known {
                    Need::Nothing
                } else {
                    Need::Refetch
                }
            }
        }
    }

    /// Whether a fetch may start now: not within the cooldown of the last one, unless
    /// the set ran out of time after a successful fetch (a refresh that is simply due).
    /// A verification that waited while another fetched (`seen` is behind) uses what
    /// that fetch brought instead of fetching again.
    fn may_fetch(&self, state: &State, seen: u64) -> bool {
        if state.fetches != seen {
            return false;
        }
        let cooldown = Duration::from_millis(self.config.cooldown_ms);
        let stale = match &state.set {
            None => true,
            Some((_, at)) => at.elapsed() >= Duration::from_millis(self.config.max_age_ms),
        };
        match state.last_fetch {
            None => true,
            _ if self.flaw == RemoteFlaw::NoCooldown => true,
            Some((at, failed)) => at.elapsed() >= cooldown || (stale && !failed),
        }
    }

    /// Records a fetch: on success its set replaces the cached one, on failure the
    /// cached one stays and the failure is remembered.
    fn store(&self, fetched: Result<Vec<TrustedKey>, String>) {
        let mut state = self.state();
        state.fetches += 1;
        state.last_fetch = Some((Instant::now(), fetched.is_err()));
        match fetched {
            Ok(set) => {
                let set = match (&state.set, self.flaw) {
                    (Some((old, _)), RemoteFlaw::MergesSets) => merged(old, set),
                    _ => set,
                };
                state.set = Some((Arc::new(set), Instant::now()));
                state.last_failure = None;
            }
            Err(why) => {
                if self.flaw == RemoteFlaw::WipesOnFailure {
                    state.set = None;
                }
                state.last_failure = Some(why);
            }
        }
    }

    /// One GET of the configured URI, read as a JWK Set.
    fn fetch(&self) -> Result<Vec<TrustedKey>, String> {
        let timeout = match self.flaw {
            RemoteFlaw::NoTimeout => None,
            _ => Some(Duration::from_millis(self.config.timeout_ms)),
        };
        let redirects = match self.flaw {
            RemoteFlaw::FollowsRedirects => 5,
            _ => 0,
        };
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(timeout)
            .max_redirects(redirects)
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

/// The flawed merge: the fetched keys, then every cached key whose `kid` they lack.
fn merged(old: &[TrustedKey], fetched: Vec<TrustedKey>) -> Vec<TrustedKey> {
    let mut out = fetched;
    for key in old {
        if !out.iter().any(|k| k.jwk.kid == key.jwk.kid) {
            out.push(key.clone());
        }
    }
    out
}

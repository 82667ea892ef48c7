//! The moment and the capabilities a suite is built for.

use crate::adapter::{AdapterInfo, Clock};
use crate::alg::Alg;
use std::time::{SystemTime, UNIX_EPOCH};

/// The fixed "now" used for adapters with an injectable clock, so their tokens are
/// byte-identical run to run (2023-11-14T22:13:20Z).
pub const FIXED_NOW: i64 = 1_700_000_000;

/// Time margin used for "clearly past" and "clearly future" claims: far wider than any
/// default leeway (jsonwebtoken uses 60 s, jwt-simple 15 min), so no case can flake on a
/// system clock.
pub const MARGIN: i64 = 3 * 3600;

/// The canary base URL cases are listed and explained with, so ids and listings never
/// depend on the port a run's canary happens to get (port 9 is "discard": nothing there).
pub const NOMINAL_CANARY: &str = "http://127.0.0.1:9";

/// What the catalogue needs to know to build its cases.
#[derive(Clone, Debug, PartialEq)]
pub struct Context {
    /// The current time the tokens are built around.
    pub now: i64,
    /// Whether the verifier's clock is set to `now` or reads the system clock.
    pub clock: Clock,
    /// Algorithms the adapter supports.
    pub algorithms: Vec<Alg>,
    /// Base URL of the loopback canary that `jku`/`x5u` cases point at, without a
    /// trailing slash (see [`crate::canary`]).
    pub canary: String,
    /// Base URL of the loopback issuer that scenario cases serve their remote key sets
    /// from, without a trailing slash (see [`crate::scenario`]).
    pub issuer: String,
}

impl Context {
    /// For an adapter: the fixed time when its clock can be injected, else the real time.
    pub fn for_adapter(info: &AdapterInfo) -> Context {
        let now = match info.clock {
            Clock::Injectable => FIXED_NOW,
            Clock::System => system_now(),
        };
        Context {
            now,
            clock: info.clock,
            algorithms: info.algorithms.clone(),
            canary: NOMINAL_CANARY.to_string(),
            issuer: NOMINAL_CANARY.to_string(),
        }
    }

    /// The same context with the running canary's base URL.
    pub fn with_canary(mut self, base_url: impl Into<String>) -> Context {
        self.canary = base_url.into();
        self
    }

    /// The same context with the running issuer's base URL.
    pub fn with_issuer(mut self, base_url: impl Into<String>) -> Context {
        self.issuer = base_url.into();
        self
    }

    /// The remote key set URL of scenario case `id`.
    pub fn jwks_uri(&self, id: &str) -> String {
        format!(
            "{}{}",
            self.issuer,
            crate::scenario::path(id, crate::scenario::JWKS_FILE)
        )
    }

    /// A context for listing and explaining cases: injectable clock, every algorithm.
    pub fn listing() -> Context {
        Context {
            now: FIXED_NOW,
            clock: Clock::Injectable,
            algorithms: Alg::ALL.to_vec(),
            canary: NOMINAL_CANARY.to_string(),
            issuer: NOMINAL_CANARY.to_string(),
        }
    }

    /// The `now` to put in a policy: set for injectable clocks, `None` otherwise.
    pub fn policy_now(&self) -> Option<i64> {
        match self.clock {
            Clock::Injectable => Some(self.now),
            Clock::System => None,
        }
    }

    /// Whether the clock is injectable.
    pub fn injectable(&self) -> bool {
        self.clock == Clock::Injectable
    }
}

/// Seconds since the Unix epoch.
pub fn system_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

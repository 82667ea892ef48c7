//! The trait a library author implements to put a verifier under test.

use crate::alg::Alg;
use crate::memory::MemoryUse;
use crate::policy::Policy;
use crate::verdict::{RejectKind, Verdict};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Whether the verifier's notion of "now" can be set by the harness.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Clock {
    /// `Policy::now` is honoured: exact time boundaries can be tested.
    Injectable,
    /// The verifier reads the system clock; time cases keep wide margins.
    System,
}

impl Clock {
    /// `injectable` or `system`.
    pub fn as_str(self) -> &'static str {
        match self {
            Clock::Injectable => "injectable",
            Clock::System => "system",
        }
    }
}

/// What an adapter says about itself.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdapterInfo {
    /// Short name, e.g. `jsonwebtoken`.
    pub name: String,
    /// Version of the library under test.
    pub version: String,
    /// Algorithms the library can verify.
    pub algorithms: Vec<Alg>,
    /// Whether `Policy::now` is honoured.
    pub clock: Clock,
}

/// Why `prepare` did not produce a verifier.
#[derive(Clone, Debug, PartialEq)]
pub enum PrepareError {
    /// The policy cannot be expressed with this library (the case is skipped).
    Unsupported(String),
    /// The library refused the policy, typically a key it will not use. Scored as a
    /// rejection of the token: refusing a weak key up front is a legitimate defence.
    Refused { kind: RejectKind, message: String },
}

impl fmt::Display for PrepareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PrepareError::Unsupported(why) => write!(f, "unsupported: {why}"),
            PrepareError::Refused { kind, message } => write!(f, "refused ({kind}): {message}"),
        }
    }
}

/// A verifier library under test.
///
/// `prepare` runs once per policy, the way a service builds its verifier at start-up;
/// the returned [`Verifier`] is then asked about each token. Adapters must never
/// re-check claims themselves: what the library decides is what gets scored.
pub trait Adapter: Send + Sync {
    /// Name, version, algorithms and clock.
    fn info(&self) -> AdapterInfo;

    /// Builds the library's verifier for this policy.
    fn prepare(&self, policy: &Policy) -> Result<Box<dyn Verifier>, PrepareError>;
}

/// A verifier built for one policy.
pub trait Verifier: Send + Sync {
    /// Verifies one compact JWS/JWT.
    fn verify(&self, token: &str) -> Verdict;

    /// Verifies one token on behalf of the request `id`: the case id, `control/CASE_ID`
    /// for a case's positive control, `property/NAME#N` for a property's tokens. The
    /// runner always calls this; the default ignores the id. A verifier that forwards
    /// requests (the process adapter) passes it on so the verifier's own logs name the
    /// case.
    fn verify_request(&self, id: &str, token: &str) -> Verdict {
        let _ = id;
        self.verify(token)
    }

    /// What the verifier's own process used to answer the last request, for verifiers
    /// that run in a process of their own (the process adapter reads the child's peak
    /// resident set around each request). The default, right for every verifier built
    /// into the harness's process, is `None`: such a verifier shares the harness's
    /// resident set, so there is nothing of its own to measure, and the memory bounds of
    /// cases do not apply to it.
    fn memory(&self) -> Option<MemoryUse> {
        None
    }
}

impl<A: Adapter + ?Sized> Adapter for Box<A> {
    fn info(&self) -> AdapterInfo {
        (**self).info()
    }
    fn prepare(&self, policy: &Policy) -> Result<Box<dyn Verifier>, PrepareError> {
        (**self).prepare(policy)
    }
}

impl<A: Adapter + ?Sized> Adapter for std::sync::Arc<A> {
    fn info(&self) -> AdapterInfo {
        (**self).info()
    }
    fn prepare(&self, policy: &Policy) -> Result<Box<dyn Verifier>, PrepareError> {
        (**self).prepare(policy)
    }
}

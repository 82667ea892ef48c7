//! The trait a library author implements to put a verifier under test.

use crate::alg::Alg;
use crate::memory::MemoryUse;
use crate::policy::Policy;
use crate::verdict::Verdict;
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
    /// Whether the verifier can fetch its keys from a remote JWK Set
    /// ([`Policy::jwks`](crate::Policy::jwks)); cases that need it are skipped otherwise.
    #[serde(default)]
    pub remote_jwks: bool,
}

impl AdapterInfo {
    /// A library without remote key sets: `name`, its `version`, the `algorithms` it
    /// verifies and its `clock`.
    pub fn new(name: &str, version: &str, algorithms: Vec<Alg>, clock: Clock) -> AdapterInfo {
        AdapterInfo {
            name: name.to_string(),
            version: version.to_string(),
            algorithms,
            clock,
            remote_jwks: false,
        }
    }
}

/// A verifier that gave no usable answer: it crashed, hung, or replied with something
/// that is not a verdict. Only verifiers that forward requests elsewhere (the process
/// adapter) produce it, from [`Verifier::verify_request`]; it is scored like a panic, a
/// failure whatever was expected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoAnswer(pub String);

impl fmt::Display for NoAnswer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no usable answer: {}", self.0)
    }
}

/// A verifier library under test.
///
/// `prepare` runs once per policy, the way a service builds its verifier at start-up;
/// the returned [`Verifier`] is then asked about each token. Adapters must never
/// re-check claims themselves: what the library decides is what gets scored.
///
/// The whole vocabulary is [`Verdict`]: a verifier answers each token with one, and
/// `prepare` answers with one for every token when it cannot build a verifier —
/// [`Verdict::Unsupported`] when the library cannot express the policy (the case is
/// skipped), [`Verdict::Rejected`] when the library refuses the policy itself (a key it
/// will not use, which counts as rejecting the token: refusing a weak key up front is a
/// legitimate defence).
pub trait Adapter: Send + Sync {
    /// Name, version, algorithms and clock.
    fn info(&self) -> AdapterInfo;

    /// Builds the library's verifier for this policy, or says what it answers to every
    /// token under it.
    fn prepare(&self, policy: &Policy) -> Result<Box<dyn Verifier>, Verdict>;

    /// Whether verifiers may be prepared and asked from several threads at once (the
    /// default). A verifier behind one process answering one request at a time says
    /// no, so that no case's time limit runs while it waits its turn.
    fn concurrent(&self) -> bool {
        true
    }
}

/// A verifier built for one policy.
pub trait Verifier: Send + Sync {
    /// Verifies one compact JWS/JWT.
    fn verify(&self, token: &str) -> Verdict;

    /// Verifies one token on behalf of the request `id`: the case id, `control/CASE_ID`
    /// for a case's positive control, `property/NAME#N` for a property's tokens. The
    /// runner always calls this; the default ignores the id and calls [`verify`]. Only a
    /// verifier that forwards requests elsewhere (the process adapter) overrides it: it
    /// passes the id on, so the verifier's own logs name the case, and reports a
    /// verifier that gave no usable answer as [`NoAnswer`].
    ///
    /// [`verify`]: Verifier::verify
    fn verify_request(&self, id: &str, token: &str) -> Result<Verdict, NoAnswer> {
        let _ = id;
        Ok(self.verify(token))
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
    fn prepare(&self, policy: &Policy) -> Result<Box<dyn Verifier>, Verdict> {
        (**self).prepare(policy)
    }
    fn concurrent(&self) -> bool {
        (**self).concurrent()
    }
}

impl<A: Adapter + ?Sized> Adapter for std::sync::Arc<A> {
    fn info(&self) -> AdapterInfo {
        (**self).info()
    }
    fn prepare(&self, policy: &Policy) -> Result<Box<dyn Verifier>, Verdict> {
        (**self).prepare(policy)
    }
    fn concurrent(&self) -> bool {
        (**self).concurrent()
    }
}

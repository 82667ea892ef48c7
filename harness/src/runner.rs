//! Runs cases against an adapter, isolating panics and hangs so that one bad verdict
//! never stops the run.

use crate::adapter::{Adapter, NoAnswer};
use crate::case::Case;
use crate::memory::MemoryUse;
use crate::policy::Policy;
use crate::verdict::{RejectKind, Verdict};
use crate::workers::POOL;
use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::Duration;

/// The default per-case time limit.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

/// What happened when the case's token met the verifier.
#[derive(Clone, Debug, PartialEq)]
pub enum Observation {
    /// The verifier answered.
    Verdict(Verdict),
    /// `prepare` refused the policy (counts as a rejection).
    Refused {
        /// The rejection the refusal counts as.
        kind: RejectKind,
        /// The adapter's message.
        message: String,
    },
    /// `prepare` said the policy cannot be expressed.
    Unsupported(String),
    /// `prepare` or `verify` panicked, with the panic message.
    Panicked(String),
    /// The verifier gave no usable answer (a verifier process that crashed or replied
    /// garbage), with why.
    NoAnswer(String),
    /// `prepare` plus `verify` ran past the time limit.
    TimedOut(Duration),
    /// The case was not run, and why.
    Skipped(String),
}

/// A verifier's answer as an observation.
pub fn answered(answer: Result<Verdict, NoAnswer>) -> Observation {
    match answer {
        Ok(verdict) => Observation::Verdict(verdict),
        Err(NoAnswer(why)) => Observation::NoAnswer(why),
    }
}

/// What `prepare` answered for every token when it built no verifier.
pub fn prepared_as(verdict: Verdict) -> Observation {
    match verdict {
        Verdict::Rejected { kind, message } => Observation::Refused { kind, message },
        Verdict::Unsupported { why } => Observation::Unsupported(why),
        Verdict::Accepted { .. } => Observation::NoAnswer(
            "prepare built no verifier, yet answered `accepted` for every token".to_string(),
        ),
    }
}

/// The message carried by a panic payload.
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic with a non-string payload".to_string()
    }
}

/// Prepares a verifier for the case's policy and verifies its token, on a worker thread
/// that is abandoned if it overruns `timeout` (and reused for later cases if not).
pub fn observe(adapter: &Arc<dyn Adapter>, case: &Case, timeout: Duration) -> Observation {
    observe_token(adapter, &case.id, &case.policy, &case.token, timeout)
}

/// Prepares a verifier for `policy` and verifies `token` as request `id`, on a worker
/// thread that is abandoned if it overruns `timeout`.
pub fn observe_token(
    adapter: &Arc<dyn Adapter>,
    id: &str,
    policy: &Policy,
    token: &str,
    timeout: Duration,
) -> Observation {
    observe_token_measured(adapter, id, policy, token, timeout).0
}

/// [`observe_token`], with what the verifier's process used to answer
/// ([`Verifier::memory`](crate::Verifier::memory)): `None` for verifiers built into the
/// harness's process, and whenever there was no answer.
pub fn observe_token_measured(
    adapter: &Arc<dyn Adapter>,
    id: &str,
    policy: &Policy,
    token: &str,
    timeout: Duration,
) -> (Observation, Option<MemoryUse>) {
    let (tx, rx) = mpsc::channel();
    let adapter = Arc::clone(adapter);
    let policy = policy.clone();
    let token = token.to_string();
    let id = id.to_string();
    let started = POOL.start(move || {
        let result = catch_unwind(AssertUnwindSafe(|| match adapter.prepare(&policy) {
            Ok(verifier) => {
                let observation = answered(verifier.verify_request(&id, &token));
                (observation, verifier.memory())
            }
            Err(verdict) => (prepared_as(verdict), None),
        }));
        let observed = result.unwrap_or_else(|p| (Observation::Panicked(panic_message(&*p)), None));
        // The receiver is gone if the case already timed out; nothing to do then.
        let _ = tx.send(observed);
    });
    let worker = match started {
        Ok(worker) => worker,
        Err(e) => {
            return (
                Observation::Panicked(format!("could not start a worker thread: {e}")),
                None,
            )
        }
    };
    match rx.recv_timeout(timeout) {
        Ok(observed) => {
            worker.release();
            observed
        }
        // The worker is stuck in the verifier: it is abandoned, never reused.
        Err(mpsc::RecvTimeoutError::Timeout) => (Observation::TimedOut(timeout), None),
        Err(mpsc::RecvTimeoutError::Disconnected) => (
            Observation::Panicked("worker thread died without an answer".to_string()),
            None,
        ),
    }
}

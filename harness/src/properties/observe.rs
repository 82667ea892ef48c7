//! Prepares one verifier per generated policy and sends it every token of the case,
//! isolating panics and hangs the way the case runner does.

use crate::adapter::Adapter;
use crate::policy::Policy;
use crate::runner::{answered, panic_message, prepared_as, Observation};
use crate::workers::POOL;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::Duration;

enum Step {
    /// `prepare` failed (refused, unsupported or panicked): every token gets this.
    NotPrepared(Observation),
    Prepared,
    Verified(Observation),
}

/// Prepares a verifier for `policy` and verifies each token in order on a worker
/// thread (reused afterwards if every answer came in time). `timeout` bounds `prepare` and each `verify`; after a hang the remaining
/// tokens are marked skipped, since the worker is stuck and is abandoned.
pub(crate) fn observe_all(
    adapter: &Arc<dyn Adapter>,
    policy: &Policy,
    tokens: &[(String, String)],
    timeout: Duration,
) -> Vec<Observation> {
    let (tx, rx) = mpsc::channel();
    let adapter = Arc::clone(adapter);
    let policy = policy.clone();
    let owned = tokens.to_vec();
    let started = POOL.start(move || {
        let prepared = catch_unwind(AssertUnwindSafe(|| adapter.prepare(&policy)));
        let verifier = match prepared {
            Ok(Ok(verifier)) => verifier,
            Ok(Err(verdict)) => {
                let _ = tx.send(Step::NotPrepared(prepared_as(verdict)));
                return;
            }
            Err(p) => {
                let _ = tx.send(Step::NotPrepared(Observation::Panicked(panic_message(&*p))));
                return;
            }
        };
        if tx.send(Step::Prepared).is_err() {
            return;
        }
        for (id, token) in &owned {
            let observation = catch_unwind(AssertUnwindSafe(|| verifier.verify_request(id, token)))
                .map(answered)
                .unwrap_or_else(|p| Observation::Panicked(panic_message(&*p)));
            // The receiver is gone once a token timed out; nothing left to do.
            if tx.send(Step::Verified(observation)).is_err() {
                return;
            }
        }
    });
    let worker = match started {
        Ok(worker) => worker,
        Err(e) => {
            let why = format!("could not start a worker thread: {e}");
            return vec![Observation::Panicked(why); tokens.len()];
        }
    };
    match rx.recv_timeout(timeout) {
        Ok(Step::Prepared) => {}
        Ok(Step::NotPrepared(o)) => {
            worker.release();
            return vec![o; tokens.len()];
        }
        Ok(Step::Verified(_)) | Err(mpsc::RecvTimeoutError::Disconnected) => {
            let why = "worker thread died without an answer".to_string();
            return vec![Observation::Panicked(why); tokens.len()];
        }
        Err(mpsc::RecvTimeoutError::Timeout) => {
            return vec![Observation::TimedOut(timeout); tokens.len()]
        }
    }
    let mut out = Vec::with_capacity(tokens.len());
    let mut answered_all = true;
    for _ in tokens {
        match rx.recv_timeout(timeout) {
            Ok(Step::Verified(o)) => out.push(o),
            Ok(_) | Err(mpsc::RecvTimeoutError::Disconnected) => {
                answered_all = false;
                out.push(Observation::Panicked(
                    "worker thread died without an answer".into(),
                ))
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                answered_all = false;
                out.push(Observation::TimedOut(timeout));
                break;
            }
        }
    }
    // A worker that hung or died is abandoned, never reused.
    if answered_all {
        worker.release();
    }
    while out.len() < tokens.len() {
        out.push(Observation::Skipped(
            "an earlier token hung the verifier".into(),
        ));
    }
    out
}

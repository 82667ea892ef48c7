//! Scenario cases: steps run in order against one prepared verifier, while the loopback
//! [`Issuer`] serves (and changes) the remote key set the verifier fetches.
//!
//! An ordinary case sends one token to a freshly prepared verifier. What a verifier that
//! fetches its keys does over time — how often it fetches, whether a rotation is picked
//! up, whether a removed key stops verifying, whether a flood of unknown `kid`s becomes
//! a flood of requests, whether a stalled endpoint stalls verification — shows only
//! across several tokens sent to the same verifier while the key set changes. A
//! scenario case says that as steps: serve this, wait, verify that with this expected
//! verdict, and check the issuer's request log.
//!
//! Each scenario case owns the issuer's paths under `/<case id>/`; its policy's
//! [`RemoteJwks::uri`](crate::policy::RemoteJwks::uri) is `/<case id>/jwks.json` there.

use crate::adapter::{Adapter, Verifier};
use crate::case::Expected;
use crate::issuer::{Issuer, Reply, Script};
use crate::runner::{answered, panic_message, prepared_as, Observation};
use std::fmt;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

/// The file name of a scenario case's key set under its directory.
pub const JWKS_FILE: &str = "jwks.json";

/// The steps of a scenario case.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    /// Run in order; the first that fails decides the case.
    pub steps: Vec<Step>,
}

/// One step of a scenario.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    /// From now on the issuer answers requests for `file` (under the case's directory)
    /// with `queue`, one reply per request in order, then `then` for every later one.
    Serve {
        /// The file served, under the case's directory.
        file: String,
        /// Replies to the next requests, in order.
        queue: Vec<Reply>,
        /// The reply to every later request.
        then: Reply,
    },
    /// Let time pass (cache ages, cooldowns).
    Wait(Duration),
    /// Verify `token`; the verdict must meet `expect`, and come within `within` when set
    /// (a stalled endpoint must not stall verification past its timeout).
    Verify {
        /// The token verified.
        token: String,
        /// What the verdict must meet.
        expect: Expected,
        /// The time limit, when set.
        within: Option<Duration>,
        /// What this step shows, for reports.
        why: String,
    },
    /// Verify every token of `tokens` from `threads` threads at once; each verdict must
    /// meet `expect`.
    Flood {
        /// The tokens verified.
        tokens: Vec<String>,
        /// How many threads verify at once.
        threads: usize,
        /// What every verdict must meet.
        expect: Expected,
        /// What this step shows, for reports.
        why: String,
    },
    /// Verify every token of `tokens` from `threads` threads at once, each against its own
    /// expectation: known keys verifying while unknown ones flood in.
    Concurrent {
        /// The tokens, each with what its verdict must meet.
        tokens: Vec<(String, Expected)>,
        /// How many threads verify at once.
        threads: usize,
        /// What this step shows, for reports.
        why: String,
    },
    /// The issuer has seen between `min` and `max` requests for `file` since the
    /// scenario began.
    Requests {
        /// The file whose requests are counted.
        file: String,
        /// The fewest requests allowed.
        min: usize,
        /// The most requests allowed.
        max: usize,
        /// What this step shows, for reports.
        why: String,
    },
    /// No request the issuer saw (to any path) contains `needle` in its target: the
    /// verifier did not build a URL from what a token says.
    NoRequestContaining {
        /// The text no request target may contain.
        needle: String,
        /// What this step shows, for reports.
        why: String,
    },
}

impl Step {
    /// The key set at the case's `jwks.json`, for every request from now on.
    pub fn serve(reply: Reply) -> Step {
        Step::Serve {
            file: JWKS_FILE.to_string(),
            queue: Vec::new(),
            then: reply,
        }
    }

    /// A verification that must meet `expect`.
    pub fn verify(token: impl Into<String>, expect: Expected, why: impl Into<String>) -> Step {
        Step::Verify {
            token: token.into(),
            expect,
            within: None,
            why: why.into(),
        }
    }

    /// Between `min` and `max` fetches of the case's `jwks.json` so far.
    pub fn fetches(min: usize, max: usize, why: impl Into<String>) -> Step {
        Step::Requests {
            file: JWKS_FILE.to_string(),
            min,
            max,
            why: why.into(),
        }
    }

    /// A short label for reports: `verify`, `wait 300 ms`, …
    pub fn label(&self) -> String {
        match self {
            Step::Serve { file, queue, .. } if queue.is_empty() => format!("serve {file}"),
            Step::Serve { file, queue, .. } => {
                format!("serve {file} ({} queued replies first)", queue.len())
            }
            Step::Wait(d) => format!("wait {} ms", d.as_millis()),
            Step::Verify { why, .. } => format!("verify: {why}"),
            Step::Flood {
                tokens,
                threads,
                why,
                ..
            } => format!(
                "flood of {} tokens on {threads} threads: {why}",
                tokens.len()
            ),
            Step::Concurrent {
                tokens,
                threads,
                why,
            } => format!("{} mixed tokens on {threads} threads: {why}", tokens.len()),
            Step::Requests {
                file,
                min,
                max,
                why,
            } => {
                format!("{min}..={max} requests for {file}: {why}")
            }
            Step::NoRequestContaining { needle, why } => {
                format!("no request containing {needle:?}: {why}")
            }
        }
    }
}

/// What happened at one step.
#[derive(Clone, Debug, PartialEq)]
pub enum StepResult {
    /// A step with nothing to observe (serve, wait) ran.
    Done,
    /// A verification's observation and how long it took.
    Verified {
        /// What the verifier did.
        observation: Observation,
        /// How long it took.
        elapsed: Duration,
    },
    /// Every observation of a flood.
    Flooded(Vec<Observation>),
    /// A check of the request log: the requests counted (for `Requests`) and whether it
    /// held, with what was seen.
    Checked {
        /// Whether the check held.
        held: bool,
        /// What was seen, for reports.
        seen: String,
    },
}

/// A scenario as it ran: one result per step reached, and why it stopped early, if it
/// did (a verifier that could not be prepared, a hang).
#[derive(Clone, Debug, PartialEq)]
pub struct ScenarioRun {
    /// The results of the steps that ran, in order.
    pub results: Vec<StepResult>,
    /// Why the scenario stopped before its last step: the observation every remaining
    /// step gets (a prepare that refused or was unsupported, a panic, a time-out).
    pub stopped: Option<Observation>,
}

impl fmt::Display for ScenarioRun {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} steps run", self.results.len())?;
        if let Some(stop) = &self.stopped {
            write!(f, ", then stopped: {stop:?}")?;
        }
        Ok(())
    }
}

/// The issuer path of `file` in the directory of case `id`.
pub fn path(id: &str, file: &str) -> String {
    format!("/{id}/{file}")
}

enum Message {
    Prepared,
    NotPrepared(Observation),
    Step(StepResult),
}

/// Prepares a verifier for `policy` and runs `scenario`'s steps on a worker thread.
/// `timeout` bounds `prepare` and each step beyond its own waits; a verify step's
/// `within` bounds it more tightly. After a hang the worker is abandoned and the
/// remaining steps are not run.
pub fn run(
    adapter: &Arc<dyn Adapter>,
    id: &str,
    policy: &crate::Policy,
    scenario: &Scenario,
    issuer: &Arc<Issuer>,
    timeout: Duration,
) -> ScenarioRun {
    let (tx, rx) = mpsc::channel();
    let worker = {
        let adapter = Arc::clone(adapter);
        let policy = policy.clone();
        let steps = scenario.steps.clone();
        let issuer = Arc::clone(issuer);
        let id = id.to_string();
        thread::Builder::new()
            .name(format!("scenario {id}"))
            .spawn(move || {
                let prepared = catch_unwind(AssertUnwindSafe(|| adapter.prepare(&policy)));
                let verifier: Arc<dyn Verifier> = match prepared {
                    Ok(Ok(verifier)) => Arc::from(verifier),
                    Ok(Err(verdict)) => {
                        let _ = tx.send(Message::NotPrepared(prepared_as(verdict)));
                        return;
                    }
                    Err(p) => {
                        let _ = tx.send(Message::NotPrepared(Observation::Panicked(
                            panic_message(&*p),
                        )));
                        return;
                    }
                };
                if tx.send(Message::Prepared).is_err() {
                    return;
                }
                // Requests kept before this scenario began: the checks look only after.
                let started = issuer.log().requests().len();
                for (n, step) in steps.iter().enumerate() {
                    let result = execute(step, &id, n, &verifier, &issuer, started);
                    if tx.send(Message::Step(result)).is_err() {
                        return;
                    }
                }
            })
    };
    let mut run = ScenarioRun {
        results: Vec::new(),
        stopped: None,
    };
    if let Err(e) = worker {
        run.stopped = Some(Observation::Panicked(format!(
            "could not start a worker thread: {e}"
        )));
        return run;
    }
    match rx.recv_timeout(timeout) {
        Ok(Message::Prepared) => {}
        Ok(Message::NotPrepared(o)) => {
            run.stopped = Some(o);
            return run;
        }
        Ok(Message::Step(_)) | Err(mpsc::RecvTimeoutError::Disconnected) => {
            run.stopped = Some(Observation::Panicked(
                "worker thread died without an answer".to_string(),
            ));
            return run;
        }
        Err(mpsc::RecvTimeoutError::Timeout) => {
            run.stopped = Some(Observation::TimedOut(timeout));
            return run;
        }
    }
    for step in &scenario.steps {
        let bound = match step {
            Step::Wait(d) => *d + timeout,
            Step::Verify {
                within: Some(w), ..
            } => (*w).min(timeout),
            _ => timeout,
        };
        let started = Instant::now();
        match rx.recv_timeout(bound) {
            Ok(Message::Step(result)) => run.results.push(result),
            Ok(_) | Err(mpsc::RecvTimeoutError::Disconnected) => {
                run.stopped = Some(Observation::Panicked(
                    "a step panicked, or the worker thread died without an answer".to_string(),
                ));
                return run;
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                run.stopped = Some(Observation::TimedOut(started.elapsed()));
                return run;
            }
        }
    }
    run
}

/// Runs one step on the worker thread.
fn execute(
    step: &Step,
    id: &str,
    n: usize,
    verifier: &Arc<dyn Verifier>,
    issuer: &Issuer,
    log_start: usize,
) -> StepResult {
    match step {
        Step::Serve { file, queue, then } => {
            issuer.serve(
                &path(id, file),
                Script::queue(queue.iter().cloned(), then.clone()),
            );
            StepResult::Done
        }
        Step::Wait(d) => {
            thread::sleep(*d);
            StepResult::Done
        }
        Step::Verify { token, .. } => {
            let started = Instant::now();
            let observation = observe_one(verifier.as_ref(), &format!("{id}#{n}"), token);
            StepResult::Verified {
                observation,
                elapsed: started.elapsed(),
            }
        }
        Step::Flood {
            tokens, threads, ..
        } => StepResult::Flooded(flood(tokens, *threads, id, n, verifier)),
        Step::Concurrent {
            tokens, threads, ..
        } => {
            let tokens: Vec<String> = tokens.iter().map(|(t, _)| t.clone()).collect();
            StepResult::Flooded(flood(&tokens, *threads, id, n, verifier))
        }
        Step::Requests { file, min, max, .. } => {
            let log = issuer.log();
            let wanted = path(id, file);
            let count = log.requests()[log_start.min(log.requests().len())..]
                .iter()
                .filter(|r| r.path == wanted)
                .count();
            StepResult::Checked {
                held: (*min..=*max).contains(&count),
                seen: format!("{count} requests for {wanted}"),
            }
        }
        Step::NoRequestContaining { needle, .. } => {
            let log = issuer.log();
            let offending: Vec<String> = log.requests()[log_start.min(log.requests().len())..]
                .iter()
                .filter(|r| r.target.contains(needle.as_str()))
                .map(|r| r.target.clone())
                .collect();
            StepResult::Checked {
                held: offending.is_empty(),
                seen: match offending.first() {
                    None => "no such request".to_string(),
                    Some(first) => format!("{} such requests, e.g. {first}", offending.len()),
                },
            }
        }
    }
}

/// Every token verified from `threads` threads (1 to 64) at once; the observations in
/// the order of the tokens.
fn flood(
    tokens: &[String],
    threads: usize,
    id: &str,
    n: usize,
    verifier: &Arc<dyn Verifier>,
) -> Vec<Observation> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let observations = std::sync::Mutex::new(vec![None; tokens.len()]);
    thread::scope(|s| {
        for _ in 0..threads.clamp(1, 64) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(token) = tokens.get(i) else { break };
                let o = observe_one(verifier.as_ref(), &format!("{id}#{n}.{i}"), token);
                if let Ok(mut all) = observations.lock() {
                    all[i] = Some(o);
                }
            });
        }
    });
    observations
        .into_inner()
        .unwrap_or_default()
        .into_iter()
        .map(|o| o.unwrap_or_else(|| Observation::Panicked("a flood thread died".into())))
        .collect()
}

/// One verification, a panic caught.
fn observe_one(verifier: &dyn Verifier, id: &str, token: &str) -> Observation {
    catch_unwind(AssertUnwindSafe(|| verifier.verify_request(id, token)))
        .map(answered)
        .unwrap_or_else(|p| Observation::Panicked(panic_message(&*p)))
}

//! # jwt-conformance-process
//!
//! Puts a JWT verifier written in any language under test: the verifier runs as a child
//! process speaking **process protocol v1**, JSON Lines on stdin/stdout, and
//! [`ProcessAdapter`] makes it a [`jwt_conformance::Adapter`] like any in-process one.
//! The command line reaches it as `jwt-conformance run --exec 'CMD ARGS'`.
//!
//! ```no_run
//! use jwt_conformance::{runner::DEFAULT_TIMEOUT, Suite};
//! use jwt_conformance_process::{reply_timeout_for, ProcessAdapter};
//! use std::sync::Arc;
//!
//! fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let adapter = ProcessAdapter::spawn(
//!         "python3 -B adapters/process/tests/fixtures/stdlib_hs256.py",
//!         reply_timeout_for(DEFAULT_TIMEOUT),
//!     )?;
//!     let report = Suite::new(Arc::new(adapter)).timeout(DEFAULT_TIMEOUT).run()?;
//!     println!("{} passed, {} failed", report.summary.passed, report.summary.failed);
//!     Ok(())
//! }
//! ```
//!
//! ## Protocol v1
//! One JSON object a line, UTF-8, both ways; whatever the verifier writes to stderr is
//! kept (the last 64 KiB) and quoted when something goes wrong.
//!
//! 1. The harness sends `{"type":"hello","protocol":1}`; the verifier answers
//!    `{"type":"hello","protocol":1,"name":"…","version":"…","algorithms":["HS256",…],"clock":"injectable"}`
//!    (`clock` is `injectable` if it honours `policy.now`, else `system`). Algorithm
//!    names the suite does not know are ignored, with a note in
//!    [`ProcessAdapter::notes`].
//! 2. For each case the harness sends
//!    `{"type":"verify","id":"CASE_ID","token":"…","policy":{…}}`, the policy being
//!    [`jwt_conformance::Policy`] as JSON (keys as a JWK Set, algorithms, issuer,
//!    audience, required_claims, leeway, typ, now), and the verifier answers with one of
//!    `{"type":"result","id":"CASE_ID","accepted":true,"claims":{…}}`,
//!    `{"type":"result","id":"CASE_ID","accepted":false,"error":"…","kind":"expired"}`
//!    (`kind` optional, kebab- or snake-case, see [`jwt_conformance::RejectKind`]), or
//!    `{"type":"result","id":"CASE_ID","unsupported":"why"}` (the case is skipped).
//! 3. The harness closes stdin to end the run, then gives the verifier half a second to
//!    exit before killing it.
//!
//! The id is the request's ([`Verifier::verify_request`]): the case id, `control/CASE_ID`
//! for a case's positive control, `property/NAME#N` for a property's tokens, and
//! `request-N` for a plain [`Verifier::verify`].
//!
//! ## Memory
//! Around each request the adapter reads the child's resident set from `/proc` (Linux):
//! it resets the child's peak resident set size (`/proc/<pid>/clear_refs`), and after the
//! answer reads the peak (`VmHWM`). [`Verifier::memory`] then reports the peak and how far
//! it rose above the resident set before the request; the report carries both
//! (`peak_rss_kib`, `rss_growth_kib`), and a case with a memory bound (the `jwe-limits`
//! class: 64 MiB) fails when the growth exceeds it. Only the child started is measured.
//!
//! ## Failures
//! A whole run uses one process. A verifier that answers garbage (not JSON, another id,
//! a missing or mistyped field, a line over 64 MiB), crashes, or does not answer within
//! the reply timeout fails that case with [`NoAnswer`], the answer or stderr
//! quoted; the process is killed and a fresh one (with a fresh hello) serves the next
//! case. If the fresh one does not complete the hello, every remaining case fails with
//! that reason without another try. A verifier that does not complete the first hello
//! is a [`ProtocolError`] from [`ProcessAdapter::spawn`]: a usage error, not a test
//! result.

mod child;
mod memory;
mod protocol;

pub use protocol::PROTOCOL_VERSION;
/// The parsers of a verifier's answers, public so fuzz targets can feed them any bytes.
pub use protocol::{parse_hello, parse_result, Hello};

use child::{Child, Reply, MAX_LINE};
use jwt_conformance::memory::MemoryUse;
use jwt_conformance::{Adapter, AdapterInfo, NoAnswer, Policy, RejectKind, Verdict, Verifier};
use std::fmt;
use std::process::ExitStatus;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// How much of the verifier's stderr goes into a failed case's message.
const STDERR_IN_MESSAGE: usize = 1000;

/// A verifier process that cannot be used: it did not start, or did not complete the
/// hello. The message is one line naming the command and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProtocolError {
    message: String,
}

impl ProtocolError {
    fn new(message: impl Into<String>) -> ProtocolError {
        ProtocolError {
            message: message.into(),
        }
    }

    /// The one-line message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ProtocolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ProtocolError {}

/// The reply timeout to give [`ProcessAdapter::spawn`] when the runner allows each case
/// `runner_timeout`: a tenth less (at most half a second less), so that the adapter, not
/// the runner, notices a hung verifier, reports it and restarts it. A case the runner
/// gives up on instead leaves the process busy with it while the next case waits.
pub fn reply_timeout_for(runner_timeout: Duration) -> Duration {
    runner_timeout.saturating_sub((runner_timeout / 10).min(Duration::from_millis(500)))
}

#[doc(hidden)]
pub use jwt_conformance as __harness;

/// The `main` of a `tests/conformance.rs` (with `harness = false`) that runs the
/// catalogue and the properties against a verifier process: `command` is started as
/// `jwt-conformance run --exec` starts it, from the crate's directory (where `cargo test`
/// runs tests), and each case may take `seconds` (a verifier in an interpreted language
/// may need more than the default five for a 16 MiB token). As with
/// [`jwt_conformance::main!`], the crate's `expected-failures.toml` and
/// `proptest-regressions/` are found next to its Cargo.toml.
///
/// ```ignore
/// jwt_conformance_process::main!("python3 -B verifier.py", timeout = 60);
/// ```
#[macro_export]
macro_rules! main {
    ($command:expr, timeout = $seconds:expr) => {
        fn main() {
            let runner = ::std::time::Duration::from_secs($seconds);
            let adapter =
                $crate::ProcessAdapter::spawn($command, $crate::reply_timeout_for(runner))
                    .unwrap_or_else(|e| panic!("{e}"));
            $crate::__harness::Harness::new(adapter)
                .manifest_file(concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/expected-failures.toml"
                ))
                .regressions_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/proptest-regressions"))
                .timeout(runner)
                .run()
        }
    };
}

/// A verifier running as a child process, speaking process protocol v1.
pub struct ProcessAdapter {
    shared: Arc<Shared>,
    info: AdapterInfo,
    notes: Vec<String>,
}

/// What the adapter and every verifier it prepared share: the one live process.
struct Shared {
    command_line: String,
    argv: Vec<String>,
    timeout: Duration,
    process: Mutex<Process>,
    requests: AtomicU64,
}

/// The state of the verifier process between cases.
enum Process {
    /// Serving cases.
    Live(Child),
    /// Killed after a failed case; the next case starts a fresh one.
    Retired,
    /// A fresh one did not complete the hello. Trying again for every remaining case
    /// could cost a reply timeout each, so they all fail at once with this reason.
    Unusable(String),
}

impl ProcessAdapter {
    /// Starts the verifier and completes the hello. `command_line` is split like a POSIX
    /// shell would split it (quotes and backslashes, no expansion); `timeout` bounds the
    /// hello and, later, each case's answer (see [`reply_timeout_for`]).
    pub fn spawn(command_line: &str, timeout: Duration) -> Result<ProcessAdapter, ProtocolError> {
        let argv = shell_words::split(command_line).map_err(|e| {
            ProtocolError::new(format!(
                "cannot split the verifier command line {command_line:?}: {e}"
            ))
        })?;
        if argv.is_empty() {
            return Err(ProtocolError::new("the verifier command line is empty"));
        }
        let shared = Shared {
            command_line: command_line.to_string(),
            argv,
            timeout,
            process: Mutex::new(Process::Retired),
            requests: AtomicU64::new(0),
        };
        let (child, hello) = shared.start(deadline_after(timeout))?;
        *shared.lock() = Process::Live(child);
        Ok(ProcessAdapter {
            shared: Arc::new(shared),
            info: hello.info,
            notes: hello.notes,
        })
    }

    /// Remarks on the hello that did not stop the run, e.g. unknown algorithm names.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// The command line the verifier was started with.
    pub fn command_line(&self) -> &str {
        &self.shared.command_line
    }

    /// The last 64 KiB the live verifier process wrote to stderr (empty between a
    /// failure and the restart; a failed case's message quotes the dead one's).
    pub fn stderr_tail(&self) -> String {
        match &mut *self.shared.lock() {
            Process::Live(child) => child.stderr_tail(),
            Process::Retired | Process::Unusable(_) => String::new(),
        }
    }
}

impl fmt::Debug for ProcessAdapter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProcessAdapter")
            .field("command_line", &self.shared.command_line)
            .field("timeout", &self.shared.timeout)
            .field("info", &self.info)
            .finish_non_exhaustive()
    }
}

impl Adapter for ProcessAdapter {
    fn info(&self) -> AdapterInfo {
        self.info.clone()
    }

    /// Nothing to build: the policy travels with each verify request.
    /// One process answers one request at a time.
    fn concurrent(&self) -> bool {
        false
    }

    fn prepare(&self, policy: &Policy) -> Result<Box<dyn Verifier>, Verdict> {
        Ok(Box::new(ProcessVerifier {
            shared: Arc::clone(&self.shared),
            policy: policy.clone(),
            memory: Mutex::new(None),
        }))
    }
}

/// One policy, verified by the shared process.
struct ProcessVerifier {
    shared: Arc<Shared>,
    policy: Policy,
    /// What the process used to answer this verifier's last request.
    memory: Mutex<Option<MemoryUse>>,
}

impl ProcessVerifier {
    fn ask(&self, id: &str, token: &str) -> Result<Verdict, NoAnswer> {
        let (verdict, memory) = self.shared.verify(id, token, &self.policy);
        *self.memory.lock().unwrap_or_else(PoisonError::into_inner) = memory;
        verdict
    }
}

impl Verifier for ProcessVerifier {
    /// A request outside the runner, numbered `request-N`. A verifier that gives no
    /// usable answer is reported as a rejection of kind `other` naming why; the runner
    /// calls [`Verifier::verify_request`], which reports it as no answer.
    fn verify(&self, token: &str) -> Verdict {
        let n = self.shared.requests.fetch_add(1, Ordering::Relaxed) + 1;
        self.ask(&format!("request-{n}"), token)
            .unwrap_or_else(|e| Verdict::rejected(RejectKind::Other, e.to_string()))
    }

    /// The request's id (the case id, `control/CASE_ID`, `property/NAME#N`) is the
    /// protocol message's `id`, so the verifier's own logs name the case.
    fn verify_request(&self, id: &str, token: &str) -> Result<Verdict, NoAnswer> {
        self.ask(id, token)
    }

    /// The child's peak resident set while it answered the last request, and how far it
    /// rose (`memory` module): `None` when the process did not answer (a crash or a hang
    /// is already a failure) or `/proc` cannot be read.
    fn memory(&self) -> Option<MemoryUse> {
        *self.memory.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Process> {
        // A panic elsewhere while holding the lock leaves a process that is at worst out
        // of step, which the next answer reveals; the lock stays usable.
        self.process.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Starts a process and completes the hello by `deadline`.
    fn start(&self, deadline: Instant) -> Result<(Child, Hello), ProtocolError> {
        let mut child = Child::spawn(&self.argv).map_err(|e| {
            ProtocolError::new(format!(
                "cannot start the verifier `{}`: {e}",
                self.command_line
            ))
        })?;
        child.send(&protocol::hello_request());
        let line = match child.recv(deadline) {
            Reply::Line(line) => line,
            Reply::TooLong { len, .. } => {
                return Err(
                    self.unusable(child, &format!("answered hello with a line of {len} bytes"))
                )
            }
            Reply::TimedOut => {
                return Err(self.unusable(
                    child,
                    &format!("did not answer hello within {:?}", self.timeout),
                ))
            }
            Reply::Closed { status } => {
                return Err(
                    self.unusable(child, &format!("{} before answering hello", ended(status)))
                )
            }
        };
        match protocol::parse_hello(&line) {
            Ok(hello) => Ok((child, hello)),
            Err(e) => Err(self.unusable(child, &format!("did not say hello: {e}"))),
        }
    }

    /// The error for a process that failed the hello, which is then killed.
    fn unusable(&self, mut child: Child, what: &str) -> ProtocolError {
        let stderr = child.stderr_tail();
        child.kill();
        let last = stderr.lines().rev().map(str::trim).find(|l| !l.is_empty());
        let hint = match last {
            Some(line) => format!(
                "; its last stderr line: {}",
                protocol::quote(line.as_bytes())
            ),
            None => String::new(),
        };
        ProtocolError::new(format!("the verifier `{}` {what}{hint}", self.command_line))
    }

    /// One case: (re)start the process if needed, ask, and read the answer, measuring
    /// the process's memory around it. Anything but a well-formed answer in time fails
    /// the case and retires the process.
    fn verify(
        &self,
        id: &str,
        token: &str,
        policy: &Policy,
    ) -> (Result<Verdict, NoAnswer>, Option<MemoryUse>) {
        let mut process = self.lock();
        let deadline = deadline_after(self.timeout);
        let mut child = match std::mem::replace(&mut *process, Process::Retired) {
            Process::Live(child) => child,
            Process::Retired => match self.start(deadline) {
                Ok((child, _)) => child,
                Err(e) => {
                    let why = format!("the verifier process could not be restarted: {e}");
                    *process = Process::Unusable(why.clone());
                    return (Err(NoAnswer(why)), None);
                }
            },
            Process::Unusable(why) => {
                *process = Process::Unusable(why.clone());
                return (Err(NoAnswer(why)), None);
            }
        };
        let before = memory::before(child.id());
        match self.exchange(&mut child, id, token, policy, deadline) {
            Ok(verdict) => {
                let used = before.and_then(memory::after);
                *process = Process::Live(child);
                (Ok(verdict), used)
            }
            Err(why) => {
                child.kill();
                (Err(NoAnswer(why)), None)
            }
        }
    }

    fn exchange(
        &self,
        child: &mut Child,
        id: &str,
        token: &str,
        policy: &Policy,
        deadline: Instant,
    ) -> Result<Verdict, String> {
        child.send(&protocol::verify_request(id, token, policy));
        match child.recv(deadline) {
            Reply::Line(line) => protocol::parse_result(&line, id),
            Reply::TooLong { head, len } => Err(format!(
                "garbage reply (a line of {len} bytes, over the {} MiB limit): {}",
                MAX_LINE >> 20,
                protocol::quote(&head)
            )),
            Reply::TimedOut => {
                let stderr = child.stderr_tail();
                let stderr = match stderr.trim() {
                    "" => String::new(),
                    _ => format!(", stderr: {}", stderr_excerpt(&stderr)),
                };
                Err(format!(
                    "no reply within {:?}; the process was killed and a fresh one takes the next case{stderr}",
                    self.timeout
                ))
            }
            Reply::Closed { status } => Err(format!(
                "verifier process {} without answering, stderr: {}",
                ended(status),
                stderr_excerpt(&child.stderr_tail())
            )),
        }
    }
}

/// `timeout` from now; an absurdly long timeout means a year rather than a panic.
fn deadline_after(timeout: Duration) -> Instant {
    let now = Instant::now();
    now.checked_add(timeout)
        .or_else(|| now.checked_add(Duration::from_secs(365 * 24 * 3600)))
        .unwrap_or(now)
}

/// "crashed (exit status: 3)", or how else the process ended.
fn ended(status: Option<ExitStatus>) -> String {
    match status {
        Some(status) if status.success() => format!("exited ({status})"),
        Some(status) => format!("crashed ({status})"),
        None => "closed its stdout and was killed".to_string(),
    }
}

/// The end of stderr on one line: its last lines joined by ` | `, at most
/// [`STDERR_IN_MESSAGE`] characters, since the end is where the cause usually is.
fn stderr_excerpt(stderr: &str) -> String {
    let lines: Vec<&str> = stderr
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.is_empty())
        .collect();
    if lines.is_empty() {
        return "(empty)".to_string();
    }
    let joined = lines[lines.len().saturating_sub(10)..].join(" | ");
    let chars = joined.chars().count();
    let kept: String = joined
        .chars()
        .skip(chars.saturating_sub(STDERR_IN_MESSAGE))
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if chars > STDERR_IN_MESSAGE {
        format!("…{kept}")
    } else {
        kept
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reply_timeout_stays_inside_the_runner_limit() {
        assert_eq!(
            reply_timeout_for(Duration::from_secs(5)),
            Duration::from_millis(4500)
        );
        assert_eq!(
            reply_timeout_for(Duration::from_secs(1)),
            Duration::from_millis(900)
        );
        assert_eq!(
            reply_timeout_for(Duration::from_secs(60)),
            Duration::from_millis(59_500)
        );
        assert_eq!(reply_timeout_for(Duration::ZERO), Duration::ZERO);
        assert!(deadline_after(Duration::MAX) > Instant::now());
    }

    #[test]
    fn stderr_excerpts_are_one_line_and_keep_the_end() {
        assert_eq!(stderr_excerpt(""), "(empty)");
        assert_eq!(
            stderr_excerpt("Traceback:\n  line 3\n\nValueError: boom\n"),
            "Traceback: |   line 3 | ValueError: boom"
        );
        let long = format!("{}\nthe cause", "x".repeat(5000));
        let excerpt = stderr_excerpt(&long);
        assert!(excerpt.starts_with('…') && excerpt.ends_with("x | the cause"));
        assert_eq!(excerpt.chars().count(), STDERR_IN_MESSAGE + 1);
    }

    #[test]
    fn bad_command_lines_are_protocol_errors() {
        let empty = ProcessAdapter::spawn("  ", Duration::from_secs(1)).unwrap_err();
        assert_eq!(empty.message(), "the verifier command line is empty");
        let quote = ProcessAdapter::spawn("python3 'unclosed", Duration::from_secs(1)).unwrap_err();
        assert!(quote.message().contains("cannot split"), "{quote}");
        let missing = ProcessAdapter::spawn("/nonexistent/verifier --flag", Duration::from_secs(1))
            .unwrap_err();
        assert!(
            missing
                .message()
                .starts_with("cannot start the verifier `/nonexistent/verifier --flag`: "),
            "{missing}"
        );
    }
}

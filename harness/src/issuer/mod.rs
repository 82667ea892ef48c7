//! The loopback issuer: a scripted HTTP server that plays a key server (a JWKS
//! endpoint, a `jku`/`x5u` target) for scenario cases against remote-JWKS clients.
//!
//! A scenario case prepares a verifier that fetches its keys from a URL, then changes
//! what that URL serves step by step: a JWK Set with `Cache-Control`, a rotation, a
//! `500` or `503`, a body that stalls, trickles or never ends, a redirect, a closed
//! connection. The issuer's request log is the oracle for caching and flooding: how many
//! fetches, when, with which headers.
//!
//! **Loopback only.** The issuer binds `127.0.0.1` on a port the system picks, never any
//! other address: the documents it serves are attacker-shaped and must not be reachable
//! from another machine.
//!
//! It runs on [`tiny_http`]: tiny_http reads and parses requests (one thread per open
//! connection), one accepting thread logs each request and picks its reply, and each
//! reply is written by a handler thread of its own, so a stalled or trickling reply
//! never holds up another request. At most [`Limits::handlers`] handlers run at once;
//! a request beyond that is logged and answered `503` at once. Dropping the issuer stops
//! it: stalls and trickles watch a stop flag and end within a few milliseconds.
//!
//! What tiny_http 0.12 does not allow, and so neither does the issuer: closing a
//! persistent connection on the server's initiative (see [`Reply::close`]); bounding
//! its per-connection threads, so a client holding many idle connections holds as many
//! threads; a limit on the size of a request head. Nor does dropping the issuer close
//! the connections clients keep open: a request sent on one afterwards is never
//! answered, and its connection's thread ends when the client closes it.
//!
//! ```
//! use jwt_conformance::issuer::{Issuer, Reply, Script};
//! use serde_json::json;
//!
//! let issuer = Issuer::start().unwrap();
//! // First fetch fails, every later one gets the key set.
//! issuer.serve(
//!     "/jwks.json",
//!     Script::queue([Reply::status(503)], Reply::json(&json!({"keys": []}))),
//! );
//! let url = issuer.url("/jwks.json"); // http://127.0.0.1:PORT/jwks.json
//! # let _ = url;
//! assert_eq!(issuer.requests_to("/jwks.json").len(), 0);
//! ```

mod body;
mod log;
mod reply;
#[cfg(test)]
mod tests;

pub use log::{Log, LoggedRequest};
pub use reply::{Compute, Reply, Script};

use body::{sleep_unless_stopped, FlushEach, Trickle};
use reply::Planned;
use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};
use tiny_http::{Header, Method, Request, Response, Server, StatusCode};

/// How long dropping the issuer waits for its handlers and its listener to end.
const STOP_WAIT: Duration = Duration::from_secs(1);

/// Bounds on what one issuer holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Replies being written at once; a request beyond is answered `503` at once.
    pub handlers: usize,
    /// Requests kept in the log; later ones are only counted.
    pub logged: usize,
}

impl Default for Limits {
    /// 64 handlers, 10,000 logged requests.
    fn default() -> Limits {
        Limits {
            handlers: 64,
            logged: 10_000,
        }
    }
}

/// A running loopback issuer. Dropping it stops it.
pub struct Issuer {
    addr: SocketAddr,
    base_url: String,
    shared: Arc<Shared>,
    server: Option<Arc<Server>>,
    accept: Option<JoinHandle<()>>,
}

/// What the accepting thread, the handlers and the test share.
struct Shared {
    started: Instant,
    limits: Limits,
    stop: Arc<AtomicBool>,
    scripts: Mutex<Scripts>,
    log: Mutex<Log>,
    /// Notified whenever a request is logged.
    logged: Condvar,
    /// Handlers running now.
    active: Mutex<usize>,
    /// Notified whenever a handler ends.
    idle: Condvar,
}

struct Scripts {
    by_path: HashMap<String, Script>,
    default: Script,
}

/// Locks `mutex`, carrying on with the data when a panicking thread poisoned it (every
/// update here leaves the data consistent).
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Issuer {
    /// Binds an ephemeral port on `127.0.0.1` and starts serving, with the default
    /// [`Limits`]. Every path answers `404` until scripted.
    pub fn start() -> io::Result<Issuer> {
        Issuer::start_with(Limits::default())
    }

    /// [`Issuer::start`] with other limits.
    pub fn start_with(limits: Limits) -> io::Result<Issuer> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
        let addr = listener.local_addr()?;
        let server = Server::from_listener(listener, None).map_err(io::Error::other)?;
        let server = Arc::new(server);
        let shared = Arc::new(Shared {
            started: Instant::now(),
            limits,
            stop: Arc::new(AtomicBool::new(false)),
            scripts: Mutex::new(Scripts {
                by_path: HashMap::new(),
                default: Script::always(Reply::body(404, "text/plain", "not found\n")),
            }),
            log: Mutex::new(Log::default()),
            logged: Condvar::new(),
            active: Mutex::new(0),
            idle: Condvar::new(),
        });
        let accept = {
            let server = Arc::clone(&server);
            let shared = Arc::clone(&shared);
            thread::Builder::new()
                .name("jwt-conformance issuer".to_string())
                .spawn(move || accept_loop(&server, &shared))?
        };
        Ok(Issuer {
            addr,
            base_url: format!("http://{addr}"),
            shared,
            server: Some(server),
            accept: Some(accept),
        })
    }

    /// The address it listens on: `127.0.0.1` and an ephemeral port.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The URL of `path` (which starts with `/`) on this issuer.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// From now on, requests whose path is exactly `path` (query aside) follow `script`,
    /// from its start.
    pub fn serve(&self, path: &str, script: impl Into<Script>) {
        lock(&self.shared.scripts)
            .by_path
            .insert(path.to_string(), script.into());
    }

    /// From now on, requests to every path without a script of its own follow `script`.
    pub fn serve_default(&self, script: impl Into<Script>) {
        lock(&self.shared.scripts).default = script.into();
    }

    /// Removes `path`'s own script: it follows the default again.
    pub fn unserve(&self, path: &str) {
        lock(&self.shared.scripts).by_path.remove(path);
    }

    /// A snapshot of the request log.
    pub fn log(&self) -> Log {
        lock(&self.shared.log).clone()
    }

    /// How many requests arrived, logged or not.
    pub fn count(&self) -> usize {
        lock(&self.shared.log).count()
    }

    /// The logged requests whose path is exactly `path`.
    pub fn requests_to(&self, path: &str) -> Vec<LoggedRequest> {
        lock(&self.shared.log).requests_to(path).cloned().collect()
    }

    /// Waits until `n` requests in all have arrived or `timeout` has passed; says whether
    /// they arrived.
    pub fn wait_for_count(&self, n: usize, timeout: Duration) -> bool {
        self.wait_until(timeout, |log| log.count() >= n)
    }

    /// Waits until `done` holds for the log or `timeout` has passed; says whether it held.
    /// `done` is called with the log locked: keep it quick.
    pub fn wait_until(&self, timeout: Duration, mut done: impl FnMut(&Log) -> bool) -> bool {
        let log = lock(&self.shared.log);
        let (log, _) = self
            .shared
            .logged
            .wait_timeout_while(log, timeout, |log| !done(log))
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        done(&log)
    }

    /// How many replies are being written right now (stalled, trickling or streaming).
    pub fn active_handlers(&self) -> usize {
        *lock(&self.shared.active)
    }
}

impl Drop for Issuer {
    fn drop(&mut self) {
        let deadline = Instant::now() + STOP_WAIT;
        self.shared.stop.store(true, Ordering::SeqCst);
        if let Some(server) = self.server.take() {
            server.unblock();
            if let Some(accept) = self.accept.take() {
                let _ = accept.join();
            }
            // Requests tiny_http read but nobody took: answer them rather than leave
            // their connections waiting.
            loop {
                match server.try_recv() {
                    Ok(Some(request)) => {
                        let _ = request.respond(Response::empty(503));
                    }
                    Ok(None) => break,
                    Err(_) => continue,
                }
            }
            // The last reference: tiny_http's drop wakes its accepting thread, which then
            // closes the listener.
            drop(server);
        }
        wait_until_refused(self.addr, deadline);
        // Stalls and trickles see the stop flag within a slice. A handler blocked writing
        // to a client that does not read cannot be interrupted: it is left to end when
        // that client goes away.
        let active = lock(&self.shared.active);
        let left = deadline.saturating_duration_since(Instant::now());
        let _ = self
            .shared
            .idle
            .wait_timeout_while(active, left, |n| *n > 0);
    }
}

/// Waits until nothing accepts connections at `addr` any more, or `deadline`.
fn wait_until_refused(addr: SocketAddr, deadline: Instant) {
    while Instant::now() < deadline {
        match TcpStream::connect_timeout(&addr, Duration::from_millis(100)) {
            Ok(probe) => drop(probe),
            Err(_) => return,
        }
        thread::sleep(Duration::from_millis(2));
    }
}

/// Takes each request tiny_http has read, logs it, picks its reply and hands it to a
/// handler thread, until the issuer stops.
fn accept_loop(server: &Server, shared: &Arc<Shared>) {
    loop {
        let request = match server.recv() {
            Ok(request) => request,
            // Unblocked by `Drop`, or tiny_http reporting that accepting failed (its
            // accepting thread has then ended; requests on open connections still come).
            Err(_) if shared.stop.load(Ordering::SeqCst) => return,
            Err(_) => continue,
        };
        if shared.stop.load(Ordering::SeqCst) {
            let _ = request.respond(Response::empty(503));
            return;
        }
        dispatch(request, shared);
    }
}

/// Logs `request` and starts its handler, or answers `503` when every handler is busy.
fn dispatch(request: Request, shared: &Arc<Shared>) {
    let overloaded = {
        let mut active = lock(&shared.active);
        let full = *active >= shared.limits.handlers;
        if !full {
            *active += 1;
        }
        full
    };
    let logged = describe(&request, shared.started.elapsed(), overloaded);
    let planned = (!overloaded).then(|| {
        let mut scripts = lock(&shared.scripts);
        let Scripts { by_path, default } = &mut *scripts;
        by_path.get_mut(&logged.path).unwrap_or(default).next()
    });
    record(shared, logged.clone());
    let Some(planned) = planned else {
        // Written here, on the accepting thread: a few hundred bytes, which fit in the
        // connection's send buffer unless its client has stopped reading for a long time.
        let _ = request.respond(Response::from_string("busy\n").with_status_code(503));
        return;
    };
    let handler = {
        let shared = Arc::clone(shared);
        move || {
            let _slot = Slot(&shared);
            let reply = match planned {
                Planned::Reply(reply) => reply,
                Planned::Compute(compute) => catch_unwind(AssertUnwindSafe(|| compute(&logged)))
                    .unwrap_or_else(|_| Reply::body(500, "text/plain", "the script panicked\n")),
            };
            answer(request, reply, &shared.stop);
        }
    };
    let spawned = thread::Builder::new()
        .name("jwt-conformance issuer reply".to_string())
        .spawn(handler);
    if spawned.is_err() {
        // The handler (and the request in it, which tiny_http then answers `500`) was
        // dropped without running: give its slot back.
        drop(Slot(shared));
    }
}

/// A handler's place among the running ones, given back when dropped (even by a panic).
struct Slot<'a>(&'a Shared);

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        let mut active = lock(&self.0.active);
        *active = active.saturating_sub(1);
        self.0.idle.notify_all();
    }
}

fn record(shared: &Shared, logged: LoggedRequest) {
    lock(&shared.log).push(logged, shared.limits.logged);
    shared.logged.notify_all();
}

/// The log entry for `request`.
fn describe(request: &Request, at: Duration, overloaded: bool) -> LoggedRequest {
    let target = request.url().to_string();
    let (path, query) = log::split_target(&target);
    LoggedRequest {
        at,
        method: request.method().as_str().to_string(),
        target,
        path,
        query,
        headers: request
            .headers()
            .iter()
            .map(|h| (h.field.as_str().to_string(), h.value.as_str().to_string()))
            .collect(),
        remote: request.remote_addr().copied(),
        overloaded,
    }
}

/// Writes `reply` to `request`'s connection. Errors are ignored: they mean the client
/// went away, which is its business.
fn answer(request: Request, reply: Reply, stop: &Arc<AtomicBool>) {
    if !sleep_unless_stopped(reply.delay, stop) {
        return abandon(request);
    }
    let Some(body) = reply.body else {
        return abandon(request);
    };
    let headers: Vec<Header> = reply
        .headers
        .iter()
        .filter_map(|(name, value)| Header::from_bytes(name.as_bytes(), value.as_bytes()).ok())
        .collect();
    let length = usize::try_from(body.len()).unwrap_or(usize::MAX);
    let reader = body.reader(Arc::clone(stop));
    let make = |reader: Box<dyn Read + Send>| {
        // A known length is always sent as `Content-Length`, never chunked, so a client's
        // size limit can act on it before the body arrives.
        Response::new(
            StatusCode(reply.status),
            headers,
            reader,
            Some(length),
            None,
        )
        .with_chunked_threshold(usize::MAX)
    };
    match reply.pace {
        None => {
            let _ = request.respond(make(Box::new(reader)));
        }
        Some((bytes, every)) => {
            let response = make(Box::new(Trickle::new(
                reader,
                bytes,
                every,
                Arc::clone(stop),
            )));
            let version = request.http_version().clone();
            let request_headers = request.headers().to_vec();
            let head_only = *request.method() == Method::Head;
            // tiny_http buffers what a response writes; each paced step is flushed.
            let mut writer = request.into_writer();
            let _ = response.raw_print(
                FlushEach(&mut writer),
                version,
                &request_headers,
                head_only,
                None,
            );
            let _ = writer.flush();
        }
    }
}

/// Drops `request` without writing anything (a plain drop would answer `500`).
fn abandon(request: Request) {
    drop(request.into_writer());
}

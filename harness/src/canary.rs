//! The loopback canary: a tiny HTTP/1.1 server that `jku` and `x5u` cases point at.
//!
//! A verifier must never dereference a URL taken from the token it is verifying
//! (RFC 8725 section 3.10): the attacker chooses the URL, so fetching it is a server-side
//! request forgery even when the token is then rejected. The canary serves the
//! attacker's documents (so a fetching verifier is also fooled visibly) and records
//! every request, so the suite can fail the case that caused it.
//!
//! It binds `127.0.0.1` only, handles one connection at a time on one thread, reads at
//! most [`MAX_REQUEST`] bytes with a timeout, answers and closes.

use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::Duration;

/// The largest request head the canary reads; the rest is ignored.
pub const MAX_REQUEST: usize = 8 * 1024;
/// How long one connection may take to send its request head.
const IO_TIMEOUT: Duration = Duration::from_secs(2);
/// Requests kept; later ones are dropped so a flooding verifier cannot exhaust memory.
const MAX_RECORDED: usize = 10_000;

/// The document for a request path: content type and body, or `None` for 404.
pub type Responder = fn(&str) -> Option<(&'static str, Vec<u8>)>;

/// A running canary. Dropping it stops the server thread.
pub struct Canary {
    addr: SocketAddr,
    base_url: String,
    requests: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Canary {
    /// Binds an ephemeral port on 127.0.0.1 and starts serving `respond`.
    pub fn start(respond: Responder) -> io::Result<Canary> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
        let addr = listener.local_addr()?;
        let requests = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let requests = Arc::clone(&requests);
            let stop = Arc::clone(&stop);
            thread::Builder::new()
                .name("jwt-conformance canary".to_string())
                .spawn(move || serve(&listener, respond, &requests, &stop))?
        };
        Ok(Canary {
            addr,
            base_url: format!("http://{addr}"),
            requests,
            stop,
            thread: Some(thread),
        })
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Every request target received so far, in order.
    pub fn requests(&self) -> Vec<String> {
        self.requests
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// The full URLs of the requests whose path starts with `prefix`.
    pub fn fetched_under(&self, prefix: &str) -> Vec<String> {
        self.requests()
            .into_iter()
            .filter(|path| path.starts_with(prefix))
            .map(|path| format!("{}{path}", self.base_url))
            .collect()
    }
}

impl Drop for Canary {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the blocking accept so the thread sees the flag; if the connection
        // fails the listener is already gone and the thread is ending anyway.
        let _ = TcpStream::connect_timeout(&self.addr, IO_TIMEOUT);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn serve(
    listener: &TcpListener,
    respond: Responder,
    requests: &Mutex<Vec<String>>,
    stop: &AtomicBool,
) {
    for stream in listener.incoming() {
        if stop.load(Ordering::SeqCst) {
            return;
        }
        // A failed accept or a misbehaving client only loses that one connection.
        if let Ok(stream) = stream {
            let _ = handle(stream, respond, requests);
        }
    }
}

fn handle(
    mut stream: TcpStream,
    respond: Responder,
    requests: &Mutex<Vec<String>>,
) -> io::Result<()> {
    stream.set_read_timeout(Some(IO_TIMEOUT))?;
    stream.set_write_timeout(Some(IO_TIMEOUT))?;
    let head = read_head(&mut stream)?;
    let Some((method, path)) = request_line(&head) else {
        return write_response(
            &mut stream,
            "400 Bad Request",
            "text/plain",
            b"bad request\n",
        );
    };
    // Recorded before answering, so a client that waits for the answer has always been
    // recorded by the time its verifier returns.
    {
        let mut seen = requests.lock().unwrap_or_else(|p| p.into_inner());
        if seen.len() < MAX_RECORDED {
            seen.push(path.clone());
        }
    }
    match (method.as_str(), respond(&path)) {
        ("GET", Some((content_type, body))) => {
            write_response(&mut stream, "200 OK", content_type, &body)
        }
        _ => write_response(&mut stream, "404 Not Found", "text/plain", b"not found\n"),
    }
}

/// Reads until the end of the request head, the size limit, EOF or the timeout.
fn read_head(stream: &mut TcpStream) -> io::Result<Vec<u8>> {
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while head.len() < MAX_REQUEST && !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => head.extend_from_slice(&buf[..n]),
            Err(e) if head.is_empty() => return Err(e),
            Err(_) => break,
        }
    }
    head.truncate(MAX_REQUEST);
    Ok(head)
}

/// The method and the path of the request line; an absolute-form target
/// (`http://host/path`) is reduced to its path.
fn request_line(head: &[u8]) -> Option<(String, String)> {
    let line = head.split(|b| *b == b'\n').next()?;
    let line = String::from_utf8_lossy(line);
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let target = parts.next()?;
    let path = match target.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => target,
    };
    Some((method, path.to_string()))
}

fn write_response(
    stream: &mut TcpStream,
    status: &str,
    content_type: &str,
    body: &[u8],
) -> io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    stream.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn respond(path: &str) -> Option<(&'static str, Vec<u8>)> {
        (path == "/doc.json").then(|| ("application/json", b"{\"keys\":[]}".to_vec()))
    }

    fn get(canary: &Canary, request: &str) -> String {
        let mut stream = TcpStream::connect(canary.addr).unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        answer
    }

    #[test]
    fn serves_known_paths_records_every_request_and_binds_loopback_only() {
        let canary = Canary::start(respond).unwrap();
        assert!(canary.addr.ip().is_loopback());
        assert!(canary.base_url().starts_with("http://127.0.0.1:"));

        let ok = get(&canary, "GET /doc.json HTTP/1.1\r\nHost: x\r\n\r\n");
        assert!(ok.starts_with("HTTP/1.1 200 OK\r\n"), "{ok}");
        assert!(ok.ends_with("{\"keys\":[]}"));
        let missing = get(&canary, "GET /case/a/jwks.json HTTP/1.1\r\n\r\n");
        assert!(missing.starts_with("HTTP/1.1 404"), "{missing}");
        let absolute = get(&canary, "POST http://127.0.0.1/case/b HTTP/1.1\r\n\r\n");
        assert!(absolute.starts_with("HTTP/1.1 404"), "{absolute}");

        assert_eq!(
            canary.requests(),
            vec!["/doc.json", "/case/a/jwks.json", "/case/b"]
        );
        assert_eq!(
            canary.fetched_under("/case/a/"),
            vec![format!("{}/case/a/jwks.json", canary.base_url())]
        );
        assert!(canary.fetched_under("/case/c/").is_empty());
    }

    #[test]
    fn a_silent_client_does_not_block_the_next_one_forever() {
        let canary = Canary::start(respond).unwrap();
        let _silent = TcpStream::connect(canary.addr).unwrap();
        let ok = get(&canary, "GET /doc.json HTTP/1.1\r\n\r\n");
        assert!(ok.starts_with("HTTP/1.1 200 OK"));
    }

    #[test]
    fn dropping_stops_the_server() {
        let canary = Canary::start(respond).unwrap();
        let addr = canary.addr;
        drop(canary);
        assert!(TcpStream::connect_timeout(&addr, Duration::from_millis(500)).is_err());
    }
}

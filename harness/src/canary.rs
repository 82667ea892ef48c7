//! The loopback canary: the [`crate::issuer`] that `jku` and `x5u` cases point at.
//!
//! A verifier must never dereference a URL taken from the token it is verifying
//! (RFC 8725 section 3.10): the attacker chooses the URL, so fetching it is a server-side
//! request forgery even when the token is then rejected. The canary serves the
//! attacker's documents (so a fetching verifier is also fooled visibly) and records
//! every request, so the suite can fail the case that caused it.
//!
//! It is an [`Issuer`] (loopback only, an ephemeral port) whose every path is computed
//! by a [`Responder`]: a `GET` of a path it knows gets the document, anything else
//! `404`. A request is recorded before it is answered, so a verifier that has its
//! answer has always been recorded. Connections stay open between requests (HTTP/1.1
//! persistence): a client that reads to the end of the connection must send
//! `Connection: close`.

use crate::issuer::{Issuer, LoggedRequest, Reply, Script};
use std::io;

/// The document for a request target (`/path?query`): content type and body, or `None`
/// for 404.
pub type Responder = fn(&str) -> Option<(&'static str, Vec<u8>)>;

/// A running canary. Dropping it stops the server.
pub struct Canary {
    issuer: Issuer,
}

impl Canary {
    /// Binds an ephemeral port on 127.0.0.1 and starts serving `respond`.
    pub fn start(respond: Responder) -> io::Result<Canary> {
        let issuer = Issuer::start()?;
        issuer.serve_default(Script::compute(move |request: &LoggedRequest| {
            match (request.method.as_str(), respond(&request.path_and_query())) {
                ("GET", Some((content_type, body))) => Reply::body(200, content_type, body),
                _ => Reply::body(404, "text/plain", "not found\n"),
            }
        }));
        Ok(Canary { issuer })
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> &str {
        self.issuer.base_url()
    }

    /// Every request target received so far, in order, in origin form (`/path?query`;
    /// an absolute-form target is reduced to it).
    pub fn requests(&self) -> Vec<String> {
        self.issuer
            .log()
            .requests()
            .iter()
            .map(LoggedRequest::path_and_query)
            .collect()
    }

    /// The full URLs of the requests whose target starts with `prefix`.
    pub fn fetched_under(&self, prefix: &str) -> Vec<String> {
        self.requests()
            .into_iter()
            .filter(|path| path.starts_with(prefix))
            .map(|path| format!("{}{path}", self.base_url()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::net::TcpStream;
    use std::time::Duration;

    fn respond(path: &str) -> Option<(&'static str, Vec<u8>)> {
        (path == "/doc.json").then(|| ("application/json", b"{\"keys\":[]}".to_vec()))
    }

    fn get(canary: &Canary, request: &str) -> String {
        let mut stream = TcpStream::connect(canary.issuer.addr()).unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        answer
    }

    #[test]
    fn serves_known_paths_records_every_request_and_binds_loopback_only() {
        let canary = Canary::start(respond).unwrap();
        assert!(canary.issuer.addr().ip().is_loopback());
        assert!(canary.base_url().starts_with("http://127.0.0.1:"));

        let ok = get(
            &canary,
            "GET /doc.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        );
        assert!(ok.starts_with("HTTP/1.1 200 OK\r\n"), "{ok}");
        assert!(ok.ends_with("{\"keys\":[]}"));
        let missing = get(
            &canary,
            "GET /case/a/jwks.json HTTP/1.1\r\nConnection: close\r\n\r\n",
        );
        assert!(missing.starts_with("HTTP/1.1 404"), "{missing}");
        let absolute = get(
            &canary,
            "POST http://127.0.0.1/case/b HTTP/1.1\r\nConnection: close\r\n\r\n",
        );
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
        let _silent = TcpStream::connect(canary.issuer.addr()).unwrap();
        let ok = get(
            &canary,
            "GET /doc.json HTTP/1.1\r\nConnection: close\r\n\r\n",
        );
        assert!(ok.starts_with("HTTP/1.1 200 OK"));
    }

    #[test]
    fn dropping_stops_the_server() {
        let canary = Canary::start(respond).unwrap();
        let addr = canary.issuer.addr();
        drop(canary);
        assert!(TcpStream::connect_timeout(&addr, Duration::from_millis(500)).is_err());
    }
}

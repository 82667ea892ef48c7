//! The issuer's request log: what arrived, when, from where.

use std::net::SocketAddr;
use std::time::Duration;

/// One request as the issuer received it, recorded before it was answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoggedRequest {
    /// When the issuer took it, just after its head was read, measured from the
    /// issuer's start.
    pub at: Duration,
    /// The method, as sent (`GET`, `HEAD`, …).
    pub method: String,
    /// The request target exactly as sent: usually `/path?query`, but a client talking
    /// to a proxy sends the absolute form `http://host/path`.
    pub target: String,
    /// The target's path (the absolute form reduced to its path), without the query.
    pub path: String,
    /// The target's query, without the `?`; `None` when the target has no `?`.
    pub query: Option<String>,
    /// Every header, in the order sent, names as sent.
    pub headers: Vec<(String, String)>,
    /// The client's address, when the connection has one.
    pub remote: Option<SocketAddr>,
    /// Whether the request was answered `503` at once because every handler was busy
    /// (see [`super::Limits::handlers`]); such a request does not consume its script.
    pub overloaded: bool,
}

impl LoggedRequest {
    /// The path followed by `?query` when there is one: the target in origin form.
    pub fn path_and_query(&self) -> String {
        match &self.query {
            Some(query) => format!("{}?{query}", self.path),
            None => self.path.clone(),
        }
    }

    /// The value of the first header called `name` (compared ignoring ASCII case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Splits a request target into its path and query. The absolute form
/// (`http://host/path?q`) is reduced to its path, `/` when it has none.
pub(crate) fn split_target(target: &str) -> (String, Option<String>) {
    let origin = match target.split_once("://") {
        Some((_, rest)) => rest.find(['/', '?']).map_or("/", |i| &rest[i..]),
        None => target,
    };
    let (path, query) = match origin.split_once('?') {
        Some((path, query)) => (path, Some(query.to_string())),
        None => (origin, None),
    };
    let path = if path.is_empty() { "/" } else { path };
    (path.to_string(), query)
}

/// The requests an issuer received: the first [`super::Limits::logged`] of them, and a
/// count of those not kept.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Log {
    pub(crate) requests: Vec<LoggedRequest>,
    pub(crate) dropped: usize,
}

impl Log {
    /// The kept requests, in the order they arrived.
    pub fn requests(&self) -> &[LoggedRequest] {
        &self.requests
    }

    /// How many requests arrived, kept or not.
    pub fn count(&self) -> usize {
        self.requests.len() + self.dropped
    }

    /// How many requests arrived after the log was full and were not kept.
    pub fn dropped(&self) -> usize {
        self.dropped
    }

    /// The kept requests whose path is exactly `path` (the query is not compared).
    pub fn requests_to<'a>(&'a self, path: &'a str) -> impl Iterator<Item = &'a LoggedRequest> {
        self.requests.iter().filter(move |r| r.path == path)
    }

    /// Records `request`, or counts it as dropped when `limit` requests are kept already.
    pub(crate) fn push(&mut self, request: LoggedRequest, limit: usize) {
        if self.requests.len() < limit {
            self.requests.push(request);
        } else {
            self.dropped += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(path: &str) -> LoggedRequest {
        LoggedRequest {
            at: Duration::ZERO,
            method: "GET".into(),
            target: path.into(),
            path: path.into(),
            query: None,
            headers: vec![("Accept".into(), "application/json".into())],
            remote: None,
            overloaded: false,
        }
    }

    #[test]
    fn targets_split_into_path_and_query() {
        let split = |t| split_target(t);
        assert_eq!(split("/jwks"), ("/jwks".into(), None));
        assert_eq!(split("/jwks?v=2&x"), ("/jwks".into(), Some("v=2&x".into())));
        assert_eq!(split("/jwks?"), ("/jwks".into(), Some(String::new())));
        assert_eq!(split("http://127.0.0.1/case/b"), ("/case/b".into(), None));
        assert_eq!(split("http://h:1?q=1"), ("/".into(), Some("q=1".into())));
        assert_eq!(split("http://h"), ("/".into(), None));
        assert_eq!(split(""), ("/".into(), None));
        assert_eq!(split("*"), ("*".into(), None));
    }

    #[test]
    fn the_log_keeps_the_first_requests_and_counts_the_rest() {
        let mut log = Log::default();
        for path in ["/a", "/b", "/a"] {
            log.push(request(path), 2);
        }
        assert_eq!(log.count(), 3);
        assert_eq!(log.dropped(), 1);
        assert_eq!(log.requests().len(), 2);
        assert_eq!(log.requests_to("/a").count(), 1);
        assert_eq!(log.requests()[0].header("accept"), Some("application/json"));
        assert_eq!(log.requests()[0].header("host"), None);
    }
}

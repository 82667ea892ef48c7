//! What the issuer answers: one [`Reply`] per request, chosen by a path's [`Script`].

use super::body::Body;
use super::log::LoggedRequest;
use std::collections::VecDeque;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// How one request is answered: a status, headers and a body, optionally after a delay
/// and optionally paced; or no answer at all.
///
/// Build one with a constructor, then adjust it:
/// `Reply::json(&jwks).with_header("Cache-Control", "max-age=60")`,
/// `Reply::json(&jwks).with_status(500)`, `Reply::status(503).after(Duration::from_secs(2))`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    /// `None`: the connection gets no answer (see [`Reply::close`]).
    pub(crate) body: Option<Body>,
    pub(crate) delay: Duration,
    pub(crate) pace: Option<(usize, Duration)>,
}

impl Reply {
    /// `200` with `value` as an `application/json` body (e.g. a JWK Set).
    pub fn json(value: &serde_json::Value) -> Reply {
        Reply::body(200, "application/json", value.to_string())
    }

    /// `status` with `body` as a `content_type` document.
    pub fn body(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status,
            headers: vec![("Content-Type".to_string(), content_type.to_string())],
            body: Some(Body::Bytes(body.into().into())),
            delay: Duration::ZERO,
            pace: None,
        }
    }

    /// `status` with an empty body (`404`, `503`, `304`, …).
    pub fn status(status: u16) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: Some(Body::Bytes(Arc::from([]))),
            delay: Duration::ZERO,
            pace: None,
        }
    }

    /// A redirect: `status` (a `3xx`) with `Location: location` and an empty body. The
    /// issuer itself follows nothing; whether the client does is what a case observes.
    pub fn redirect(status: u16, location: &str) -> Reply {
        Reply::status(status).with_header("Location", location)
    }

    /// `200` with a body of `len` bytes of `pattern` repeated (a space when `pattern` is
    /// empty), generated while it is sent: the issuer holds one block of the pattern
    /// (about 8 KiB), never the body. Sent with its `Content-Length` and
    /// `application/octet-stream` (change it with [`Reply::with_header`]). A length beyond
    /// the platform's `usize` is cut to `usize::MAX`.
    pub fn huge(len: u64, pattern: &[u8]) -> Reply {
        let len = len.min(usize::MAX as u64);
        Reply {
            status: 200,
            headers: vec![(
                "Content-Type".to_string(),
                "application/octet-stream".to_string(),
            )],
            body: Some(Body::repeat(pattern, len)),
            delay: Duration::ZERO,
            pace: None,
        }
    }

    /// No answer: the issuer drops the request without writing a byte.
    ///
    /// When the request ends its connection (`Connection: close`, or HTTP/1.0 without
    /// keep-alive) the client sees the connection closed with no response. On a
    /// persistent connection tiny_http (0.12) keeps the socket open and waits for the
    /// next request, so the client sees no response until its own timeout: the issuer
    /// cannot close such a connection on its own.
    pub fn close() -> Reply {
        Reply {
            status: 0,
            headers: Vec::new(),
            body: None,
            delay: Duration::ZERO,
            pace: None,
        }
    }

    /// No answer for as long as the issuer runs: a request that hangs. When the issuer
    /// stops, it is dropped as by [`Reply::close`].
    pub fn never() -> Reply {
        Reply::close().after(Duration::MAX)
    }

    /// The same reply with another status.
    pub fn with_status(mut self, status: u16) -> Reply {
        self.status = status;
        self
    }

    /// The same reply with one more header. A `Content-Type` replaces the current one;
    /// `Content-Length` is computed from the body and `Connection`, `Transfer-Encoding`,
    /// `Trailer` and `Upgrade` are managed by tiny_http: those set here are ignored, as are
    /// names or values that are not ASCII.
    pub fn with_header(mut self, name: &str, value: &str) -> Reply {
        if name.eq_ignore_ascii_case("Content-Type") {
            self.headers
                .retain(|(n, _)| !n.eq_ignore_ascii_case("Content-Type"));
        }
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// The same reply, sent only after `delay` (a stall). The wait ends early when the
    /// issuer stops, and the request is then dropped unanswered. `Duration::MAX` waits
    /// for as long as the issuer runs.
    pub fn after(mut self, delay: Duration) -> Reply {
        self.delay = delay;
        self
    }

    /// The same reply with its body sent `bytes` bytes (at least one) at a time, waiting
    /// `every` between steps: a trickle, or with large steps a bounded rate (a step
    /// leaves as fast as the client reads it). The head is sent at once, with the full
    /// `Content-Length`.
    pub fn trickle(mut self, bytes: usize, every: Duration) -> Reply {
        self.pace = Some((bytes.max(1), every));
        self
    }
}

/// A reply computed from the request, for documents that depend on the path or query.
pub type Compute = Arc<dyn Fn(&LoggedRequest) -> Reply + Send + Sync>;

/// What a path answers, request after request: queued replies, each used once in
/// order, then a fallback used for every later request.
///
/// A test changes a path's script at any moment (from any thread) with
/// [`super::Issuer::serve`]; the change applies to the requests that arrive after it.
#[derive(Clone)]
pub struct Script {
    queue: VecDeque<Reply>,
    then: Fallback,
}

#[derive(Clone)]
enum Fallback {
    Reply(Reply),
    Compute(Compute),
}

impl Script {
    /// `reply` for every request.
    pub fn always(reply: Reply) -> Script {
        Script {
            queue: VecDeque::new(),
            then: Fallback::Reply(reply),
        }
    }

    /// The `first` replies, one per request in order, then `then` for every request after
    /// them: "the first request gets A, later ones B" is `Script::queue([a], b)`.
    pub fn queue(first: impl IntoIterator<Item = Reply>, then: Reply) -> Script {
        Script {
            queue: first.into_iter().collect(),
            then: Fallback::Reply(then),
        }
    }

    /// A reply computed for each request by `compute`. It runs on the request's own
    /// handler thread; a panic in it is answered `500`.
    pub fn compute(compute: impl Fn(&LoggedRequest) -> Reply + Send + Sync + 'static) -> Script {
        Script {
            queue: VecDeque::new(),
            then: Fallback::Compute(Arc::new(compute)),
        }
    }

    /// How many queued replies are left before the fallback.
    pub fn queued(&self) -> usize {
        self.queue.len()
    }

    /// Takes the answer for the next request: the next queued reply, else the fallback.
    pub(crate) fn next(&mut self) -> Planned {
        match self.queue.pop_front() {
            Some(reply) => Planned::Reply(reply),
            None => match &self.then {
                Fallback::Reply(reply) => Planned::Reply(reply.clone()),
                Fallback::Compute(compute) => Planned::Compute(Arc::clone(compute)),
            },
        }
    }
}

impl From<Reply> for Script {
    fn from(reply: Reply) -> Script {
        Script::always(reply)
    }
}

impl fmt::Debug for Script {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let then: &dyn fmt::Debug = match &self.then {
            Fallback::Reply(reply) => reply,
            Fallback::Compute(_) => &"<computed>",
        };
        f.debug_struct("Script")
            .field("queue", &self.queue)
            .field("then", then)
            .finish()
    }
}

/// The answer chosen for one request, before its handler runs.
pub(crate) enum Planned {
    Reply(Reply),
    Compute(Compute),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status_of(planned: Planned) -> u16 {
        match planned {
            Planned::Reply(reply) => reply.status,
            Planned::Compute(_) => 0,
        }
    }

    #[test]
    fn a_queue_is_used_once_then_the_fallback_for_ever() {
        let mut script =
            Script::queue([Reply::status(500), Reply::status(503)], Reply::status(200));
        assert_eq!(script.queued(), 2);
        let statuses: Vec<u16> = (0..4).map(|_| status_of(script.next())).collect();
        assert_eq!(statuses, [500, 503, 200, 200]);
        assert_eq!(script.queued(), 0);
    }

    #[test]
    fn headers_accumulate_and_content_type_is_replaced() {
        let reply = Reply::json(&serde_json::json!({"keys": []}))
            .with_header("Cache-Control", "max-age=60")
            .with_header("content-type", "application/jwk-set+json");
        assert_eq!(
            reply.headers,
            [
                ("Cache-Control".to_string(), "max-age=60".to_string()),
                (
                    "content-type".to_string(),
                    "application/jwk-set+json".to_string()
                ),
            ]
        );
        let redirect = Reply::redirect(302, "http://127.0.0.1:1/next");
        assert_eq!(redirect.status, 302);
        assert_eq!(redirect.headers[0].0, "Location");
    }
}

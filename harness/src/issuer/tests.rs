//! The issuer over real loopback connections, with a minimal client written for these
//! tests. Timing assertions are lower bounds with slack, never tight upper bounds.

use super::*;
use serde_json::json;
use std::io::{BufRead, BufReader};

/// Every read in these tests gives up after this, so a bug fails a test instead of
/// hanging it.
const PATIENCE: Duration = Duration::from_secs(2);

/// A response as the test client read it.
#[derive(Debug)]
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn connect(issuer: &Issuer) -> TcpStream {
    let stream = TcpStream::connect(issuer.addr()).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    stream
}

/// Sends a `GET` of `target` that asks for the connection to close after the answer.
fn send_get(issuer: &Issuer, target: &str, headers: &[(&str, &str)]) -> TcpStream {
    let mut stream = connect(issuer);
    let mut request = format!("GET {target} HTTP/1.1\r\nHost: issuer\r\nConnection: close\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).unwrap();
    stream
}

/// Reads a response head (status and headers) one byte at a time, so that nothing of
/// the body is consumed.
fn read_head(stream: &mut TcpStream) -> (u16, Vec<(String, String)>) {
    let mut head = Vec::new();
    while !head.ends_with(b"\r\n\r\n") {
        let mut byte = [0u8; 1];
        stream.read_exact(&mut byte).expect("a response head");
        head.push(byte[0]);
    }
    let head = String::from_utf8(head).unwrap();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|line| line.split_once(": "))
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
    (status, headers)
}

/// A whole `GET`: the head, then the body up to the end of the connection.
fn get(issuer: &Issuer, target: &str) -> Answer {
    let mut stream = send_get(issuer, target, &[]);
    let (status, headers) = read_head(&mut stream);
    let mut body = Vec::new();
    stream.read_to_end(&mut body).unwrap();
    Answer {
        status,
        headers,
        body,
    }
}

#[test]
fn it_binds_an_ephemeral_loopback_port_only() {
    let issuer = Issuer::start().unwrap();
    assert_eq!(issuer.addr().ip(), Ipv4Addr::LOCALHOST);
    assert_ne!(issuer.addr().port(), 0);
    assert_eq!(
        issuer.base_url(),
        format!("http://127.0.0.1:{}", issuer.addr().port())
    );
    assert_eq!(issuer.url("/k"), format!("{}/k", issuer.base_url()));
}

#[test]
fn it_serves_json_and_bodies_with_their_status_and_headers() {
    let issuer = Issuer::start().unwrap();
    let jwks = json!({"keys": [{"kty": "oct", "k": "AAAA"}]});
    issuer.serve(
        "/jwks.json",
        Reply::json(&jwks).with_header("Cache-Control", "max-age=60"),
    );
    issuer.serve("/broken", Reply::json(&jwks).with_status(500));
    issuer.serve("/busy", Reply::status(503).with_header("Retry-After", "1"));

    let ok = get(&issuer, "/jwks.json?x=1");
    assert_eq!(ok.status, 200);
    assert_eq!(ok.header("Content-Type"), Some("application/json"));
    assert_eq!(ok.header("Cache-Control"), Some("max-age=60"));
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&ok.body).unwrap(),
        jwks
    );

    let broken = get(&issuer, "/broken");
    assert_eq!(broken.status, 500);
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&broken.body).unwrap(),
        jwks
    );

    let busy = get(&issuer, "/busy");
    assert_eq!((busy.status, busy.header("Retry-After")), (503, Some("1")));
    assert!(busy.body.is_empty());

    let missing = get(&issuer, "/elsewhere");
    assert_eq!(missing.status, 404);
    issuer.serve_default(Reply::status(410));
    assert_eq!(get(&issuer, "/elsewhere").status, 410);
    issuer.unserve("/busy");
    assert_eq!(get(&issuer, "/busy").status, 410);
}

#[test]
fn a_queue_answers_in_order_then_falls_back_and_scripts_change_from_any_thread() {
    let issuer = Issuer::start().unwrap();
    issuer.serve(
        "/jwks.json",
        Script::queue([Reply::status(500), Reply::status(503)], Reply::status(200)),
    );
    let statuses: Vec<u16> = (0..4).map(|_| get(&issuer, "/jwks.json").status).collect();
    assert_eq!(statuses, [500, 503, 200, 200]);

    thread::scope(|s| {
        s.spawn(|| issuer.serve("/jwks.json", Reply::status(204)));
    });
    assert_eq!(get(&issuer, "/jwks.json").status, 204);
}

#[test]
fn a_redirect_carries_its_location_and_is_not_followed() {
    let issuer = Issuer::start().unwrap();
    let next = issuer.url("/next.json");
    issuer.serve("/old.json", Reply::redirect(302, &next));
    issuer.serve("/next.json", Reply::json(&json!({"keys": []})));

    let answer = get(&issuer, "/old.json");
    assert_eq!(answer.status, 302);
    assert_eq!(answer.header("Location"), Some(next.as_str()));
    assert!(answer.body.is_empty());
    assert_eq!(issuer.count(), 1);
    assert!(issuer.requests_to("/next.json").is_empty());
}

#[test]
fn a_huge_body_is_streamed_from_a_pattern_and_ends_when_the_client_leaves() {
    const LEN: u64 = 100 * 1024 * 1024;
    let issuer = Issuer::start().unwrap();
    let reply = Reply::huge(LEN, b"{\"keys\":[").with_header("Content-Type", "application/json");
    // The reply holds one block of the pattern, not the body.
    assert!(reply.body.as_ref().unwrap().resident() < 64 * 1024);
    issuer.serve("/huge.json", reply);

    let mut stream = send_get(&issuer, "/huge.json", &[]);
    let (status, headers) = read_head(&mut stream);
    assert_eq!(status, 200);
    let length = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("Content-Length"))
        .map(|(_, v)| v.as_str());
    assert_eq!(length, Some(LEN.to_string().as_str()));
    let mut first = vec![0u8; 1024];
    stream.read_exact(&mut first).unwrap();
    let expected: Vec<u8> = b"{\"keys\":[".iter().copied().cycle().take(1024).collect();
    assert_eq!(first, expected);
    drop(stream);

    // The handler's writes fail once the client is gone, and it ends.
    let deadline = Instant::now() + PATIENCE;
    while issuer.active_handlers() > 0 && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(issuer.active_handlers(), 0);
}

#[test]
fn a_trickle_sends_its_body_a_few_bytes_per_interval() {
    const EVERY: Duration = Duration::from_millis(50);
    let issuer = Issuer::start().unwrap();
    issuer.serve(
        "/slow.json",
        Reply::body(200, "application/json", "{\"keys\":[]}").trickle(1, EVERY),
    );
    let mut stream = send_get(&issuer, "/slow.json", &[]);
    let (status, headers) = read_head(&mut stream);
    assert_eq!(status, 200);
    assert!(headers.contains(&("Content-Length".to_string(), "11".to_string())));
    let mut times = Vec::new();
    let mut bytes = Vec::new();
    for _ in 0..3 {
        let mut byte = [0u8; 1];
        stream.read_exact(&mut byte).unwrap();
        times.push(Instant::now());
        bytes.push(byte[0]);
    }
    assert_eq!(bytes, b"{\"k");
    for pair in times.windows(2) {
        assert!(pair[1] - pair[0] >= EVERY / 2, "{:?}", pair[1] - pair[0]);
    }
}

#[test]
fn a_stalled_reply_does_not_hold_up_another_path() {
    let issuer = Issuer::start().unwrap();
    issuer.serve("/stalled.json", Reply::never());
    issuer.serve("/fast.json", Reply::json(&json!({"keys": []})));
    let _stalled = send_get(&issuer, "/stalled.json", &[]);
    assert!(issuer.wait_for_count(1, PATIENCE));
    // The stalled request never gets an answer; this one does, at once.
    assert_eq!(get(&issuer, "/fast.json").status, 200);
    assert!(issuer.active_handlers() >= 1);
}

#[test]
fn a_delay_holds_the_answer_back_at_least_that_long() {
    let issuer = Issuer::start().unwrap();
    issuer.serve(
        "/late",
        Reply::status(200).after(Duration::from_millis(100)),
    );
    let sent = Instant::now();
    assert_eq!(get(&issuer, "/late").status, 200);
    assert!(sent.elapsed() >= Duration::from_millis(100));
}

#[test]
fn close_drops_the_connection_without_a_byte() {
    let issuer = Issuer::start().unwrap();
    issuer.serve("/gone", Script::queue([Reply::close()], Reply::status(200)));
    let mut stream = send_get(&issuer, "/gone", &[]);
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).unwrap();
    assert!(answer.is_empty(), "{}", String::from_utf8_lossy(&answer));
    assert_eq!(get(&issuer, "/gone").status, 200);
}

#[test]
fn the_log_records_method_path_query_headers_and_remote() {
    let issuer = Issuer::start().unwrap();
    let before = issuer.shared.started.elapsed();
    let mut stream = send_get(
        &issuer,
        "/jwks.json?kid=k1&x=%20",
        &[("If-None-Match", "\"v1\""), ("User-Agent", "test")],
    );
    let local = stream.local_addr().unwrap();
    let _ = read_head(&mut stream);

    let log = issuer.log();
    assert_eq!((log.count(), log.dropped()), (1, 0));
    let request = &log.requests()[0];
    assert!(request.at >= before);
    assert_eq!(request.method, "GET");
    assert_eq!(request.target, "/jwks.json?kid=k1&x=%20");
    assert_eq!(request.path, "/jwks.json");
    assert_eq!(request.query.as_deref(), Some("kid=k1&x=%20"));
    assert_eq!(request.path_and_query(), "/jwks.json?kid=k1&x=%20");
    assert_eq!(request.header("if-none-match"), Some("\"v1\""));
    assert_eq!(request.header("User-Agent"), Some("test"));
    assert_eq!(request.header("Host"), Some("issuer"));
    assert_eq!(request.remote, Some(local));
    assert!(!request.overloaded);
    assert_eq!(issuer.requests_to("/jwks.json").len(), 1);
    assert!(issuer.requests_to("/jwks").is_empty());
}

#[test]
fn the_log_keeps_its_limit_and_counts_the_rest() {
    let issuer = Issuer::start_with(Limits {
        logged: 2,
        ..Limits::default()
    })
    .unwrap();
    for _ in 0..3 {
        get(&issuer, "/a");
    }
    let log = issuer.log();
    assert_eq!(
        (log.requests().len(), log.dropped(), log.count()),
        (2, 1, 3)
    );
}

#[test]
fn waiting_for_requests_returns_when_they_arrive_or_at_the_deadline() {
    let issuer = Issuer::start().unwrap();
    assert!(!issuer.wait_for_count(1, Duration::from_millis(20)));
    thread::scope(|s| {
        s.spawn(|| get(&issuer, "/a"));
        assert!(issuer.wait_for_count(1, PATIENCE));
    });
    assert!(issuer.wait_until(PATIENCE, |log| log.requests_to("/a").count() == 1));
}

#[test]
fn requests_beyond_the_handler_limit_are_answered_503_and_logged() {
    let issuer = Issuer::start_with(Limits {
        handlers: 1,
        ..Limits::default()
    })
    .unwrap();
    issuer.serve("/stalled", Reply::never());
    let _stalled = send_get(&issuer, "/stalled", &[]);
    assert!(issuer.wait_for_count(1, PATIENCE));

    let turned_away = get(&issuer, "/stalled");
    assert_eq!(turned_away.status, 503);
    let log = issuer.log();
    assert_eq!(
        log.requests()
            .iter()
            .map(|r| r.overloaded)
            .collect::<Vec<_>>(),
        [false, true]
    );
}

#[test]
fn a_computed_reply_sees_the_request_and_a_panic_in_it_answers_500() {
    let issuer = Issuer::start().unwrap();
    issuer.serve_default(Script::compute(|request| {
        assert!(request.path != "/panic", "a script that panics");
        Reply::body(200, "text/plain", request.path_and_query())
    }));
    assert_eq!(get(&issuer, "/echo?q=1").body, b"/echo?q=1");
    assert_eq!(get(&issuer, "/panic").status, 500);
    assert_eq!(get(&issuer, "/again").status, 200);
}

#[test]
fn malformed_requests_do_not_stop_it() {
    let issuer = Issuer::start().unwrap();
    for garbage in [
        &b"\x00\xff\r\n\r\n"[..],
        b"GET\r\n\r\n",
        b"GET / HTTP/9.9\r\n\r\n",
        b"G",
    ] {
        let mut stream = connect(&issuer);
        let _ = stream.write_all(garbage);
        let _ = stream.shutdown(std::net::Shutdown::Write);
        let mut ignored = Vec::new();
        let _ = stream.read_to_end(&mut ignored);
    }
    issuer.serve("/ok", Reply::status(200));
    assert_eq!(get(&issuer, "/ok").status, 200);
    // An absolute-form target is logged by its path.
    let mut stream = connect(&issuer);
    stream
        .write_all(b"GET http://127.0.0.1/ok?a HTTP/1.1\r\nConnection: close\r\n\r\n")
        .unwrap();
    assert_eq!(read_head(&mut stream).0, 200);
    let last = issuer.log().requests().last().cloned().unwrap();
    assert_eq!(
        (last.path.as_str(), last.query.as_deref()),
        ("/ok", Some("a"))
    );
}

#[test]
fn a_persistent_connection_gets_one_answer_per_request() {
    let issuer = Issuer::start().unwrap();
    issuer.serve(
        "/k",
        Script::queue([Reply::status(500)], Reply::status(200)),
    );
    let stream = connect(&issuer);
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut writer = stream;
    let mut statuses = Vec::new();
    for _ in 0..2 {
        writer
            .write_all(b"GET /k HTTP/1.1\r\nHost: i\r\n\r\n")
            .unwrap();
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        statuses.push(line.split(' ').nth(1).unwrap().to_string());
        // Skip the rest of the head (the bodies are empty).
        while line != "\r\n" {
            line.clear();
            reader.read_line(&mut line).unwrap();
        }
    }
    assert_eq!(statuses, ["500", "200"]);
}

#[test]
fn dropping_stops_it_within_a_second_even_during_a_trickle() {
    let issuer = Issuer::start().unwrap();
    let addr = issuer.addr();
    issuer.serve(
        "/slow",
        Reply::body(200, "text/plain", vec![b'x'; 1000]).trickle(1, Duration::from_millis(50)),
    );
    let mut stream = send_get(&issuer, "/slow", &[]);
    let _ = read_head(&mut stream);
    stream.read_exact(&mut [0u8; 1]).unwrap();
    assert_eq!(issuer.active_handlers(), 1);

    let dropping = Instant::now();
    drop(issuer);
    let took = dropping.elapsed();
    assert!(took < Duration::from_secs(1), "{took:?}");
    // The trickle ended: the connection closes well before its 1000 bytes were sent.
    let mut rest = Vec::new();
    let _ = stream.read_to_end(&mut rest);
    assert!(rest.len() < 999, "{}", rest.len());
    assert!(TcpStream::connect_timeout(&addr, Duration::from_millis(500)).is_err());
}

#[test]
fn on_a_persistent_connection_close_can_only_withhold_the_answer() {
    // tiny_http 0.12 keeps a persistent connection open for the next request: the
    // client gets nothing, and no end of the connection either (see `Reply::close`).
    let issuer = Issuer::start().unwrap();
    issuer.serve("/gone", Reply::close());
    let mut stream = connect(&issuer);
    stream
        .set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    stream
        .write_all(b"GET /gone HTTP/1.1\r\nHost: i\r\n\r\n")
        .unwrap();
    let mut byte = [0u8; 1];
    let read = stream.read(&mut byte);
    assert!(
        matches!(&read, Err(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut)),
        "{read:?}"
    );
    assert_eq!(issuer.count(), 1);
}

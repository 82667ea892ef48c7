//! A verifier process that misbehaves fails the case where it does, and the run goes on
//! with a fresh process; one that never completes the hello is refused at start.

mod common;

use common::{fixture_command, python_command, run_cases, spawn_fixture};
use jwt_conformance::{Adapter, Alg, Outcome};
use jwt_conformance_process::ProcessAdapter;
use std::time::{Duration, Instant};

/// Accept, reject, accept, accept, reject: every second verify of a process lands on a
/// different kind of case.
const SEQUENCE: [&str; 5] = [
    "positive/hs256",
    "rfc7515/a.5-unsecured",
    "rfc7515/a.1-hs256",
    "rfc7519/3.1-hs256",
    "time/exp-past",
];

const RUNNER: Duration = Duration::from_secs(5);
/// Long enough for a cold Python start, even behind a version-manager shim, on a busy
/// machine; short enough that the hang test stays quick.
const REPLY: Duration = Duration::from_secs(2);

fn outcomes(seen: &[common::Seen]) -> Vec<(&str, Outcome, &str)> {
    seen.iter()
        .map(|s| (s.id.as_str(), s.outcome, s.verdict))
        .collect()
}

#[test]
fn a_crash_fails_its_case_and_a_fresh_process_serves_the_next() {
    let seen = run_cases(
        spawn_fixture("crash_on_second.py", REPLY),
        &SEQUENCE,
        RUNNER,
    );
    assert_eq!(
        outcomes(&seen),
        vec![
            ("positive/hs256", Outcome::Pass, "accepted"),
            // A rejection was expected, but a crash is no rejection.
            ("rfc7515/a.5-unsecured", Outcome::Fail, "panicked"),
            ("rfc7515/a.1-hs256", Outcome::Pass, "accepted"),
            ("rfc7519/3.1-hs256", Outcome::Fail, "panicked"),
            // Rejected by a fresh process, whose second verify, the case's positive
            // control, crashes: the rejection is not confirmed.
            ("time/exp-past", Outcome::Unconfirmed, "rejected"),
        ]
    );
    assert!(
        seen[4].detail.contains("positive control") && seen[4].detail.contains("crashed"),
        "{}",
        seen[4].detail
    );
    let detail = &seen[1].detail;
    assert!(
        detail.contains("verifier process crashed (exit status: 3)"),
        "{detail}"
    );
    assert!(
        detail.contains("stderr: simulated crash on the second verify"),
        "{detail}"
    );
}

#[test]
fn a_hang_fails_its_case_within_the_reply_timeout() {
    let seen = run_cases(
        spawn_fixture("hang_on_second.py", REPLY),
        &SEQUENCE[..3],
        RUNNER,
    );
    assert_eq!(
        outcomes(&seen),
        vec![
            ("positive/hs256", Outcome::Pass, "accepted"),
            // `panicked`, not `timed_out`: the adapter cut the hang before the runner's
            // limit, and restarted the process.
            ("rfc7515/a.5-unsecured", Outcome::Fail, "panicked"),
            ("rfc7515/a.1-hs256", Outcome::Pass, "accepted"),
        ]
    );
    assert!(
        seen[1].detail.contains("no reply within 2s"),
        "{}",
        seen[1].detail
    );
}

#[test]
fn garbage_fails_its_case_with_the_reply_quoted() {
    let seen = run_cases(
        spawn_fixture("garbage_on_second.py", REPLY),
        &SEQUENCE[..3],
        RUNNER,
    );
    assert_eq!(
        outcomes(&seen),
        vec![
            ("positive/hs256", Outcome::Pass, "accepted"),
            ("rfc7515/a.5-unsecured", Outcome::Fail, "panicked"),
            ("rfc7515/a.1-hs256", Outcome::Pass, "accepted"),
        ]
    );
    let detail = &seen[1].detail;
    assert!(detail.contains("garbage reply (not JSON"), "{detail}");
    assert!(detail.contains("`token looks fine to me`"), "{detail}");
}

#[test]
fn an_answer_for_another_id_fails_the_case() {
    let seen = run_cases(spawn_fixture("wrong_id.py", REPLY), &SEQUENCE[..2], RUNNER);
    assert_eq!(
        outcomes(&seen),
        vec![
            ("positive/hs256", Outcome::Fail, "panicked"),
            ("rfc7515/a.5-unsecured", Outcome::Fail, "panicked"),
        ]
    );
    // The request carried the case id, taken from the runner's worker thread.
    let detail = &seen[0].detail;
    assert!(
        detail.contains(r#"`id` is "not-the-case-id", expected "positive/hs256""#),
        "{detail}"
    );
}

#[test]
fn a_verifier_that_never_says_hello_is_refused() {
    let err = ProcessAdapter::spawn(&fixture_command("no_hello.py"), REPLY).unwrap_err();
    let message = err.message();
    assert!(
        message.starts_with("the verifier `python3 -B "),
        "{message}"
    );
    assert!(message.contains("no_hello.py"), "{message}");
    assert!(
        message.ends_with("did not answer hello within 2s"),
        "{message}"
    );
    assert!(!message.contains('\n'));
}

#[test]
fn a_verifier_that_exits_at_once_is_refused_with_its_last_words() {
    let command =
        python_command("import sys; sys.stderr.write('no key configured\\n'); sys.exit(4)");
    let err = ProcessAdapter::spawn(&command, REPLY).unwrap_err();
    let message = err.message();
    assert!(
        message.starts_with("the verifier `python3 -B -c "),
        "{message}"
    );
    assert!(
        message.ends_with(
            "` crashed (exit status: 4) before answering hello; \
             its last stderr line: `no key configured`"
        ),
        "{message}"
    );
}

#[test]
fn a_wrong_hello_is_refused_naming_the_problem() {
    let hello = |fields: &str| {
        python_command(&format!(
            "import sys; sys.stdin.readline(); print('{{\"type\":\"hello\",{fields}}}', flush=True); sys.stdin.read()"
        ))
    };
    let cases = [
        (hello(r#""protocol":2"#), "speaks protocol 2"),
        (
            hello(r#""protocol":1,"name":"v","version":"1","algorithms":["HS256"]"#),
            "has no `clock`",
        ),
        (
            python_command("print('ready', flush=True); import sys; sys.stdin.read()"),
            "did not say hello: the answer is not JSON",
        ),
    ];
    for (command, wanted) in cases {
        let err = ProcessAdapter::spawn(&command, REPLY).unwrap_err();
        assert!(err.message().contains(wanted), "{command}: {err}");
    }
}

#[test]
fn unknown_algorithms_in_the_hello_are_noted_not_fatal() {
    let command = python_command(concat!(
        "import sys; sys.stdin.readline(); ",
        r#"print('{"type":"hello","protocol":1,"name":"v","version":"1","algorithms":["HS256","XS999"],"clock":"system"}', flush=True); "#,
        "sys.stdin.read()"
    ));
    let adapter = ProcessAdapter::spawn(&command, REPLY).unwrap();
    assert_eq!(adapter.info().algorithms, vec![Alg::HS256]);
    assert_eq!(adapter.notes().len(), 1);
    assert!(adapter.notes()[0].contains("\"XS999\""));
}

#[test]
fn a_flood_on_stderr_neither_blocks_the_verifier_nor_fills_memory() {
    // Far more than a pipe buffer: without a drain the child would block before its hello.
    let command = python_command(concat!(
        "import sys; sys.stdin.readline(); ",
        "sys.stderr.write('noise ' * 400000 + 'last words'); sys.stderr.flush(); ",
        r#"print('{"type":"hello","protocol":1,"name":"v","version":"1","algorithms":[],"clock":"system"}', flush=True); "#,
        "sys.stdin.read()"
    ));
    let adapter = ProcessAdapter::spawn(&command, Duration::from_secs(3)).unwrap();
    // The drain runs on its own; give it a moment to reach the end of the flood.
    let until = Instant::now() + Duration::from_secs(2);
    let mut tail = adapter.stderr_tail();
    while !tail.ends_with("last words") && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(10));
        tail = adapter.stderr_tail();
    }
    assert!(
        tail.ends_with("noise last words"),
        "{}",
        &tail[tail.len().saturating_sub(40)..]
    );
    assert_eq!(tail.len(), 64 << 10);
}

#[test]
fn dropping_the_adapter_closes_stdin_and_the_verifier_exits() {
    let marker = std::env::temp_dir().join(format!(
        "jwt-conformance-process-eof-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_file(&marker);
    let script = format!(
        concat!(
            "import sys; sys.stdin.readline(); ",
            r#"print('{{"type":"hello","protocol":1,"name":"v","version":"1","algorithms":[],"clock":"system"}}', flush=True); "#,
            "sys.stdin.read(); open({:?}, 'w').write('saw end of input')"
        ),
        marker.to_str().unwrap()
    );
    let adapter = ProcessAdapter::spawn(&python_command(&script), REPLY).unwrap();
    drop(adapter);
    let written = std::fs::read_to_string(&marker);
    let _ = std::fs::remove_file(&marker);
    assert_eq!(written.unwrap(), "saw end of input");
}

#[test]
fn a_verifier_that_cannot_be_restarted_fails_the_remaining_cases_at_once() {
    let log = std::env::temp_dir().join(format!(
        "jwt-conformance-process-starts-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_file(&log);
    // Starts once, dies on its first verify, and refuses to start again.
    let script = concat!(
        "import os, sys; log = sys.argv[1]; ",
        "again = os.path.exists(log); open(log, 'a').write('start\\n'); ",
        "again and (sys.stderr.write('cannot start twice\\n'), sys.exit(5)); ",
        "sys.stdin.readline(); ",
        r#"print('{"type":"hello","protocol":1,"name":"v","version":"1","algorithms":["HS256"],"clock":"injectable"}', flush=True); "#,
        "sys.stdin.readline(); sys.exit(3)"
    );
    let command = shell_words::join(["python3", "-B", "-c", script, log.to_str().unwrap()]);
    let adapter = ProcessAdapter::spawn(&command, REPLY).unwrap();
    let seen = run_cases(adapter, &SEQUENCE[..3], RUNNER);
    let starts = std::fs::read_to_string(&log);
    let _ = std::fs::remove_file(&log);

    assert!(seen.iter().all(|s| s.outcome == Outcome::Fail));
    assert!(
        seen[0]
            .detail
            .contains("verifier process crashed (exit status: 3)"),
        "{}",
        seen[0].detail
    );
    for later in &seen[1..] {
        assert!(
            later.detail.contains(
                "the verifier process could not be restarted: the verifier `python3 -B -c "
            ),
            "{}",
            later.detail
        );
        assert!(
            later.detail.ends_with(
                "` crashed (exit status: 5) before answering hello; \
                 its last stderr line: `cannot start twice`"
            ),
            "{}",
            later.detail
        );
    }
    // The third case did not try again.
    assert_eq!(starts.unwrap(), "start\nstart\n");
}

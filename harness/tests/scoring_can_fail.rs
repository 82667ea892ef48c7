//! Proves the scoring can fail: verifiers that accept everything, reject everything,
//! panic or hang each fail the run, and the run always completes.

use jwt_conformance::outcome::VerdictLabel;
use jwt_conformance::{
    Adapter, AdapterInfo, Alg, Clock, Manifest, Outcome, Policy, RejectKind, Report, Suite,
    Verdict, Verifier,
};
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;

/// A fake adapter whose verifier answers with `answer`.
struct Fake {
    answer: fn(&str) -> Verdict,
}

impl Adapter for Fake {
    fn info(&self) -> AdapterInfo {
        AdapterInfo {
            name: "fake".into(),
            version: "0".into(),
            algorithms: Alg::ALL.to_vec(),
            clock: Clock::Injectable,
            remote_jwks: false,
        }
    }
    fn prepare(&self, _: &Policy) -> Result<Box<dyn Verifier>, Verdict> {
        Ok(Box::new(FakeVerifier(self.answer)))
    }
}

struct FakeVerifier(fn(&str) -> Verdict);

impl Verifier for FakeVerifier {
    fn verify(&self, token: &str) -> Verdict {
        (self.0)(token)
    }
}

fn run(answer: fn(&str) -> Verdict, filter: Option<&str>, timeout: Duration) -> Report {
    Suite::new(Arc::new(Fake { answer }))
        .timeout(timeout)
        .filter(filter.map(String::from))
        .run()
        .expect("empty manifest is valid")
}

fn outcome(report: &Report, id: &str) -> Outcome {
    report
        .results
        .iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("no result for {id}"))
        .outcome
}

#[test]
fn a_verifier_that_accepts_everything_fails_the_run() {
    let report = run(
        |_| Verdict::accepted(json!({"sub": "anyone"})),
        None,
        Duration::from_secs(5),
    );
    assert!(report.failed());
    assert_eq!(outcome(&report, "rfc7515/a.5-unsecured"), Outcome::Fail);
    assert_eq!(outcome(&report, "time/exp-past"), Outcome::Fail);
    // Accepting a valid token with made-up claims is a failure too.
    assert_eq!(outcome(&report, "positive/hs256"), Outcome::Fail);
}

#[test]
fn a_verifier_that_rejects_everything_fails_the_run() {
    let report = run(
        |_| Verdict::rejected(RejectKind::Other, "no"),
        None,
        Duration::from_secs(5),
    );
    assert!(report.failed());
    assert_eq!(outcome(&report, "positive/rs256"), Outcome::Fail);
    // Rejected, but so is its valid control: the rejection shows nothing.
    assert_eq!(
        outcome(&report, "rfc7515/a.5-unsecured"),
        Outcome::Unconfirmed
    );
    let warned = report
        .results
        .iter()
        .find(|r| r.id == "rfc7515/a.5-unsecured")
        .unwrap();
    assert!(
        warned.warning.is_some(),
        "rejected as `other` where `algorithm` was expected"
    );
}

#[test]
fn a_panicking_verifier_fails_each_case_and_the_run_completes() {
    let report = run(
        |_| panic!("verifier exploded"),
        None,
        Duration::from_secs(5),
    );
    assert!(report.failed());
    let total = report.summary.total;
    assert!(total > 10);
    let r = report
        .results
        .iter()
        .find(|r| r.id == "time/exp-past")
        .unwrap();
    assert_eq!(
        r.outcome,
        Outcome::Fail,
        "a panic on attacker input fails even a reject case"
    );
    assert_eq!(r.verdict, VerdictLabel::Panicked);
    assert!(r.reason.contains("verifier exploded"));
}

#[test]
fn a_hanging_verifier_is_cut_off_and_the_run_completes() {
    let report = run(
        |_| loop {
            std::thread::sleep(Duration::from_secs(3600));
        },
        Some("positive/hs"),
        Duration::from_millis(200),
    );
    assert_eq!(report.summary.total, 3);
    assert!(report
        .results
        .iter()
        .all(|r| r.verdict == VerdictLabel::TimedOut && r.outcome == Outcome::Fail));
}

#[test]
fn a_correct_answer_passes_and_a_listed_failure_is_expected() {
    // Answers every case correctly by looking up what the catalogue expects.
    fn oracle(token: &str) -> Verdict {
        // Building the catalogue takes a while in debug builds: once is enough.
        static CASES: std::sync::OnceLock<Vec<jwt_conformance::Case>> = std::sync::OnceLock::new();
        let cases = CASES.get_or_init(|| {
            jwt_conformance::catalogue::cases(&jwt_conformance::Context::listing())
        });
        let case = cases
            .iter()
            .find(|c| c.token == token)
            .expect("token from the catalogue");
        match &case.expected {
            jwt_conformance::Expected::Accept { claims } => Verdict::Accepted {
                claims: claims.clone(),
            },
            jwt_conformance::Expected::Reject { kind } => Verdict::rejected(*kind, "expected"),
            jwt_conformance::Expected::Either { .. } => {
                Verdict::rejected(RejectKind::Other, "either")
            }
        }
    }
    let suite = || Suite::new(Arc::new(Fake { answer: oracle })).filter(Some("time/".into()));
    let report = suite().run().unwrap();
    assert!(!report.failed(), "{:#?}", report.results);

    // Listing a passing case makes it an unexpected pass, which fails the run.
    let manifest = Manifest::parse("m.toml", "\"time/exp-past\" = \"pretend\"").unwrap();
    let report = suite().manifest(manifest).run().unwrap();
    assert_eq!(outcome(&report, "time/exp-past"), Outcome::UnexpectedPass);
    assert!(report.failed());

    // An id that names no case is an error, not a silent pass.
    let manifest = Manifest::parse("m.toml", "\"time/no-such-case\" = \"typo\"").unwrap();
    let err = suite().manifest(manifest).run().unwrap_err();
    assert!(err.to_string().contains("time/no-such-case"));
}

#[test]
fn a_listed_failure_is_an_expected_failure() {
    let manifest = Manifest::parse("m.toml", "\"time/exp-past\" = \"accepts everything\"").unwrap();
    let report = Suite::new(Arc::new(Fake {
        answer: |_| Verdict::accepted(json!({})),
    }))
    .manifest(manifest)
    .filter(Some("time/exp-past".into()))
    .run()
    .unwrap();
    assert_eq!(outcome(&report, "time/exp-past"), Outcome::ExpectedFailure);
    assert!(!report.failed());
}

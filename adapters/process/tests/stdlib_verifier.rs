//! The whole catalogue against the standard-library Python verifier, end to end through
//! process protocol v1.

mod common;

use common::spawn_fixture;
use jwt_conformance::case::{Level, Scoring};
use jwt_conformance::{Adapter, Alg, Clock, Outcome, Suite};
use jwt_conformance_process::reply_timeout_for;
use std::sync::Arc;
use std::time::Duration;

/// Generous: this test is about verdicts, not time limits, and the 16 MiB case of
/// `resource-limits` takes seconds in a debug build on a busy machine.
const RUNNER: Duration = Duration::from_secs(60);

#[test]
fn the_catalogue_runs_through_one_python_process() {
    let adapter = spawn_fixture("stdlib_hs256.py", reply_timeout_for(RUNNER));
    let info = adapter.info();
    assert_eq!(info.name, "stdlib-hs256");
    assert_eq!(info.algorithms, vec![Alg::HS256]);
    assert_eq!(info.clock, Clock::Injectable);
    assert!(adapter.notes().is_empty());

    let report = Suite::new(Arc::new(adapter)).timeout(RUNNER).run().unwrap();
    let result = |id: &str| {
        let r = report
            .results
            .iter()
            .find(|r| r.id == id)
            .unwrap_or_else(|| panic!("no result for {id}"));
        (r.outcome, r.verdict.as_str())
    };
    let cases = [
        ("rfc7515/a.1-hs256", Outcome::Pass, "accepted"),
        ("rfc7519/3.1-hs256", Outcome::Pass, "accepted"),
        ("positive/hs256", Outcome::Pass, "accepted"),
        ("rfc7515/a.5-unsecured", Outcome::Pass, "rejected"),
        ("rfc7519/6.1-unsecured", Outcome::Pass, "rejected"),
        ("time/exp-past", Outcome::Pass, "rejected"),
        ("time/exp-equals-now", Outcome::Pass, "rejected"),
        ("time/nbf-equals-now", Outcome::Pass, "accepted"),
        ("positive/rs256", Outcome::Skipped, "unsupported"),
        ("positive/hs384", Outcome::Skipped, "unsupported"),
        ("rfc7515/a.2-rs256", Outcome::Skipped, "unsupported"),
        ("rfc8037/a.4-eddsa", Outcome::Skipped, "unsupported"),
    ];
    for (id, outcome, verdict) in cases {
        assert_eq!(result(id), (outcome, verdict), "{id}");
    }

    // Every case got a usable answer: nothing crashed, hung or spoke garbage.
    let broken: Vec<_> = report
        .results
        .iter()
        .filter(|r| matches!(r.verdict.as_str(), "panicked" | "timed_out"))
        .map(|r| format!("{}: {}", r.id, r.detail))
        .collect();
    assert!(broken.is_empty(), "{broken:#?}");
    assert_eq!(report.summary.total, report.results.len());
    assert!(report.summary.passed >= 8);
}

/// A second verifier written apart from the references, taking every choice the RFCs
/// leave open the permissive way (see the fixture's header): no failure in a default
/// run, and under `--strict` no case failure outside the `strict` level.
#[test]
fn a_lenient_conformant_verifier_fails_nothing_by_default() {
    for scoring in [Scoring::Default, Scoring::Strict] {
        let adapter = spawn_fixture("lenient_hs256.py", reply_timeout_for(RUNNER));
        let report = Suite::new(Arc::new(adapter))
            .timeout(RUNNER)
            .scoring(scoring)
            .run()
            .unwrap();
        let failed: Vec<String> = report
            .results
            .iter()
            .filter(|r| r.outcome == Outcome::Fail)
            // Under --strict a property judges every level at once; the cases name theirs.
            .filter(|r| {
                scoring == Scoring::Default
                    || (r.level != Level::Strict && !r.id.starts_with("property/"))
            })
            .map(|r| format!("{} [{}]: {}", r.id, r.level.as_str(), r.detail))
            .collect();
        assert!(failed.is_empty(), "{scoring:?}: {failed:#?}");
        let strict_failures = report
            .results
            .iter()
            .filter(|r| r.outcome == Outcome::Fail)
            .count();
        if scoring == Scoring::Strict {
            assert!(
                strict_failures > 0,
                "the lenient choices are visible under --strict"
            );
        }
    }
}

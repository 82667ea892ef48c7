//! Helpers shared by the integration tests: fixture commands and case lookup.
// Each test binary compiles this module and uses only some of it.
#![allow(dead_code)]

use jwt_conformance::{catalogue, Adapter, Case, Context, Outcome, Suite};
use jwt_conformance_process::ProcessAdapter;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// The command line that runs a Python fixture (`-B`: no bytecode files in the tree).
pub(crate) fn fixture_command(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let path = path.to_str().expect("the checkout path is UTF-8");
    shell_words::join(["python3", "-B", path])
}

/// The command line that runs a Python one-liner.
pub(crate) fn python_command(script: &str) -> String {
    shell_words::join(["python3", "-B", "-c", script])
}

/// Starts a fixture, which must complete the hello.
pub(crate) fn spawn_fixture(name: &str, timeout: Duration) -> ProcessAdapter {
    ProcessAdapter::spawn(&fixture_command(name), timeout)
        .unwrap_or_else(|e| panic!("{name} did not start: {e}"))
}

/// What one case came to: outcome, report verdict label, and detail.
pub(crate) struct Seen {
    pub id: String,
    pub outcome: Outcome,
    pub verdict: &'static str,
    pub detail: String,
}

/// Runs the named cases in this order through a suite for `adapter`.
pub(crate) fn run_cases(
    adapter: ProcessAdapter,
    ids: &[&str],
    runner_timeout: Duration,
) -> Vec<Seen> {
    let adapter: Arc<dyn Adapter> = Arc::new(adapter);
    let info = adapter.info();
    // Only the classes these tests draw from: building the whole catalogue for every
    // test would cost more than the tests themselves.
    let ctx = Context::for_adapter(&info);
    let all: Vec<Case> = [
        catalogue::rfc7515::cases(&ctx),
        catalogue::rfc7519::cases(&ctx),
        catalogue::positive::cases(&ctx),
        catalogue::time::cases(&ctx),
    ]
    .concat();
    let suite = Suite::new(adapter).timeout(runner_timeout);
    ids.iter()
        .map(|id| {
            let case: &Case = all
                .iter()
                .find(|c| c.id == *id)
                .unwrap_or_else(|| panic!("no case {id} in the catalogue"));
            let scored = suite.run_case(&info, case);
            Seen {
                id: case.id.clone(),
                outcome: scored.outcome,
                verdict: scored.verdict.as_str(),
                detail: scored.detail,
            }
        })
        .collect()
}

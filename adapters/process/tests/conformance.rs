//! Runs the whole jwt-conformance catalogue against the example Python verifier through
//! process protocol v1, one test per case, the way any library's adapter runs it.

use jwt_conformance_process::{reply_timeout_for, ProcessAdapter};
use std::path::Path;
use std::time::Duration;

/// Generous: the 16 MiB case of `resource-limits` takes seconds in a debug build on a
/// busy machine, and a slow answer is not what this run is about.
const RUNNER: Duration = Duration::from_secs(60);

fn main() {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/stdlib_hs256.py");
    let script = script.to_str().expect("the checkout path is UTF-8");
    let command = shell_words::join(["python3", "-B", script]);
    let adapter = ProcessAdapter::spawn(&command, reply_timeout_for(RUNNER))
        .unwrap_or_else(|e| panic!("{e}"));
    jwt_conformance::Harness::new(adapter)
        .manifest_file(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/expected-failures.toml"
        ))
        .timeout(RUNNER)
        .run()
}

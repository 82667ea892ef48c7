//! Locks jsonwebtoken (RustCrypto backend)'s verdict on every case of the catalogue, so that a library upgrade
//! that changes behaviour shows up as a snapshot diff to review. The properties are
//! random searches and stay out of the snapshot; the conformance test runs them.

use jwt_conformance::outcome::VerdictLabel;
use jwt_conformance::{Manifest, Suite};
use jwt_conformance_jsonwebtoken::{JsonwebtokenAdapter, MANIFEST};
use std::sync::Arc;

#[test]
fn verdicts() {
    let manifest = Manifest::parse("expected-failures.toml", MANIFEST).unwrap();
    let suite = Suite::new(Arc::new(JsonwebtokenAdapter)).manifest(manifest);
    suite.check_manifest().unwrap();
    let (info, _ctx, cases) = suite.cases();
    let mut lines: Vec<String> = cases
        .iter()
        .map(|case| {
            let scored = suite.run_case(&info, case);
            let verdict = match scored.verdict {
                VerdictLabel::Rejected => format!("rejected ({})", scored.reason),
                other => other.as_str().to_string(),
            };
            format!("{} {} {verdict}", case.id, scored.outcome.as_str())
        })
        .collect();
    lines.sort();
    insta::assert_snapshot!(lines.join("\n"));
}

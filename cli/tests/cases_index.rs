//! docs/cases.md is the case index `jwt-conformance list --format markdown` writes, so
//! every case id is found by grep, beside the line that defines it.

mod common;

use common::{jwt_conformance, repo, show};

#[test]
fn the_committed_case_index_is_what_list_writes() {
    let output = jwt_conformance(&["list", "--format", "markdown"]);
    assert!(output.status.success(), "{}", show(&output));
    let written = String::from_utf8(output.stdout).unwrap();
    let committed = std::fs::read_to_string(repo().join("docs/cases.md")).unwrap();
    assert!(
        written == committed,
        "docs/cases.md is stale; regenerate it:\n  \
         cargo run --release -- list --format markdown > docs/cases.md"
    );
    assert!(written.contains("| `alg-none/none-empty-signature` |"));
}

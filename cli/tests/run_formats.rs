//! `jwt-conformance run --format markdown|junit`: the reports CI systems and people read.

mod common;

use common::{fixture, jwt_conformance, show};

#[test]
fn junit_has_a_suite_per_class_and_a_testcase_per_case() {
    let output = jwt_conformance(&[
        "run",
        "--exec",
        &fixture("garbage_on_second.py"),
        "--filter",
        "signature/hs256-bit-flip-",
        "--format",
        "junit",
    ]);
    // The fixture answers its second case with garbage: one failure, so exit status 1.
    assert_eq!(output.status.code(), Some(1), "{}", show(&output));
    let xml = String::from_utf8(output.stdout).unwrap();
    assert!(xml.starts_with("<?xml"), "{xml}");
    assert_eq!(xml.matches("<testsuite ").count(), 1, "{xml}");
    assert!(
        xml.contains("<testsuite name=\"signature\" tests=\"3\""),
        "{xml}"
    );
    assert_eq!(xml.matches("<testcase ").count(), 3, "{xml}");
    assert_eq!(xml.matches("<failure ").count(), 1, "{xml}");
    assert!(xml.contains("expected reject, got panicked"), "{xml}");
    assert!(xml.contains("garbage reply"), "{xml}");
}

#[test]
fn markdown_summarises_and_lists_failures() {
    let output = jwt_conformance(&[
        "run",
        "--exec",
        &fixture("stdlib_hs256.py"),
        "--filter",
        "signature/hs256-",
        "--format",
        "markdown",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", show(&output));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.starts_with("# jwt-conformance "), "{text}");
    assert!(text.contains("**ok**: "), "{text}");
    assert!(text.contains("| `signature` |"), "{text}");
    assert!(!text.contains("## Unexpected outcomes"), "{text}");
}

#[test]
fn two_runs_of_one_build_write_the_same_json_report() {
    // The reference's clock is injectable, so every token and claim is fixed; property
    // seeds derive from the property ids and the tool version.
    let run = || {
        let out = jwt_conformance(&[
            "run",
            "--adapter",
            "reference",
            "--format",
            "json",
            "--proptest-cases",
            "16",
        ]);
        assert!(out.status.success(), "{}", show(&out));
        out.stdout
    };
    assert!(run() == run(), "the JSON reports of two runs differ");
}

#[test]
fn the_json_report_carries_levels_and_the_new_counts() {
    let out = jwt_conformance(&[
        "run",
        "--adapter",
        "reference-lenient",
        "--format",
        "json",
        "--proptest-cases",
        "0",
    ]);
    assert!(out.status.success(), "{}", show(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["levels"], serde_json::json!(["rfc", "bcp"]));
    assert!(
        report["summary"]["informational"].as_u64().unwrap() > 0,
        "{}",
        report["summary"]
    );
    assert!(report["summary"]["unconfirmed"].is_u64());
    for r in report["results"].as_array().unwrap() {
        let level = r["level"].as_str().unwrap();
        assert!(["rfc", "bcp", "strict"].contains(&level), "{r}");
        assert!(!r["basis"].as_str().unwrap().is_empty(), "{r}");
    }
    let strict = jwt_conformance(&[
        "run",
        "--adapter",
        "reference-lenient",
        "--strict",
        "--format",
        "json",
        "--proptest-cases",
        "0",
    ]);
    assert_eq!(
        strict.status.code(),
        Some(1),
        "the lenient reference fails strict cases"
    );
}

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

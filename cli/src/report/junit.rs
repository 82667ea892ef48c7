//! The JUnit XML report, so CI systems show each case natively: one `testsuite` per
//! class, one `testcase` per case. A failure (or a stale manifest entry) carries what
//! was expected, what the verifier did and the references; an expected failure is
//! reported as skipped with the manifest's reason, as test runners report an xfail, and
//! so is an unconfirmed rejection (the verifier rejected the valid control too).

use jwt_conformance::outcome::Outcome;
use jwt_conformance::report::{CaseResult, Report};
use quick_junit::{NonSuccessKind, TestCase, TestCaseStatus, TestSuite};

fn status(r: &CaseResult) -> TestCaseStatus {
    match r.outcome {
        Outcome::Pass => TestCaseStatus::success(),
        Outcome::Fail | Outcome::UnexpectedPass => {
            let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
            let what = if r.outcome == Outcome::Fail {
                format!("expected {}, got {}", r.expected, r.verdict.as_str())
            } else {
                "stale manifest entry: the verifier now passes this case".to_string()
            };
            s.set_message(format!("[{}] {what}", r.severity))
                .set_type(r.outcome.as_str())
                .set_description(format!(
                    "{}\nexpected: {}\ngot:      {} — {}\nrefs:     {}\n",
                    r.title,
                    r.expected,
                    r.verdict.as_str(),
                    r.detail,
                    r.refs.join(", ")
                ));
            s
        }
        Outcome::ExpectedFailure | Outcome::Skipped | Outcome::Unconfirmed => {
            let mut s = TestCaseStatus::skipped();
            s.set_type(r.outcome.as_str())
                .set_message(if r.outcome == Outcome::Skipped {
                    r.reason.clone()
                } else {
                    r.detail.clone()
                });
            s
        }
        // A permitted deviation at a level the run does not score: a pass, its note
        // kept in the case's `note` property.
        Outcome::Informational => TestCaseStatus::success(),
    }
}

/// The report as JUnit XML, suites in the order their classes first appear.
pub(crate) fn render(report: &Report) -> String {
    let mut junit = quick_junit::Report::new(format!(
        "jwt-conformance {} {}",
        report.adapter.name, report.adapter.version
    ));
    let mut suites: Vec<TestSuite> = Vec::new();
    for r in &report.results {
        if suites.last().is_none_or(|s| s.name.as_str() != r.class) {
            match suites.iter().position(|s| s.name.as_str() == r.class) {
                Some(i) => {
                    let suite = suites.remove(i);
                    suites.push(suite);
                }
                None => suites.push(TestSuite::new(r.class.as_str())),
            }
        }
        let mut case = TestCase::new(r.id.as_str(), status(r));
        case.set_classname(format!("{}.{}", report.adapter.name, r.class))
            .add_property(("severity", r.severity.as_str()))
            .add_property(("expected", r.expected.as_str()))
            .add_property(("refs", r.refs.join(", ").as_str()))
            .add_property(("level", r.level.as_str()));
        if r.outcome == Outcome::Informational {
            case.add_property(("note", r.detail.as_str()));
        }
        if let Some(w) = &r.warning {
            case.add_property(("warning", w.as_str()));
        }
        if let Some(suite) = suites.last_mut() {
            suite.add_test_case(case);
        }
    }
    junit.add_test_suites(suites);
    junit
        .to_string()
        .expect("serialising XML into memory cannot fail")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::matrix::tests::{report, result};
    use jwt_conformance::case::Severity;
    use jwt_conformance::outcome::VerdictLabel;

    #[test]
    fn one_suite_per_class_one_case_per_case_failures_carry_expected_got_and_refs() {
        use Outcome::*;
        use VerdictLabel::*;
        let mut skipped = result("time/c", Severity::Low, Skipped, Unsupported);
        skipped.reason = "needs an injectable clock".to_string();
        let r = report(
            "lib",
            vec![
                result("alg-none/a", Severity::Critical, Pass, Rejected),
                result("alg-none/b", Severity::Critical, Fail, Accepted),
                skipped,
                result("time/d", Severity::High, ExpectedFailure, Accepted),
                result("time/e", Severity::High, UnexpectedPass, Rejected),
            ],
        );
        let xml = render(&r);
        assert_eq!(xml.matches("<testsuite ").count(), 2, "{xml}");
        assert_eq!(xml.matches("<testcase ").count(), 5, "{xml}");
        assert!(
            xml.contains("<testsuite name=\"alg-none\" tests=\"2\""),
            "{xml}"
        );
        assert!(
            xml.contains("<testsuite name=\"time\" tests=\"3\""),
            "{xml}"
        );
        assert!(
            xml.contains("message=\"[critical] expected reject, got accepted\""),
            "{xml}"
        );
        assert!(
            xml.contains("got:      accepted — accepted for alg-none/b"),
            "{xml}"
        );
        assert!(xml.contains("refs:     RFC7515#section-4.1.1"), "{xml}");
        assert!(xml.contains("stale manifest entry"), "{xml}");
        assert!(
            xml.contains("message=\"needs an injectable clock\""),
            "{xml}"
        );
        // Two failures: the unexpected failure and the stale entry.
        assert_eq!(xml.matches("<failure ").count(), 2, "{xml}");
        assert_eq!(xml.matches("<skipped ").count(), 2, "{xml}");
    }

    #[test]
    fn text_is_escaped() {
        let mut r = result("x/y", Severity::Low, Outcome::Fail, VerdictLabel::Accepted);
        r.detail = "<tag> & \"q\" \u{1}".to_string();
        let xml = render(&report("lib", vec![r]));
        assert!(xml.contains("&lt;tag&gt; &amp;"), "{xml}");
        assert!(!xml.contains("<tag>"));
        assert!(!xml.contains('\u{1}'));
    }
}

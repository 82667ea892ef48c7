//! The JSON report (contract: fields may be added, none removed or renamed).

use jwt_conformance::report::Report;

/// Pretty-printed JSON.
pub(crate) fn render(report: &Report) -> String {
    let mut text = serde_json::to_string_pretty(report).expect("a report always serialises");
    text.push('\n');
    text
}

/// Reads a JSON report back, e.g. one written by `jwt-conformance run --format json`.
pub(crate) fn parse(text: &str) -> Result<Report, serde_json::Error> {
    serde_json::from_str(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::matrix::tests::{report, result};
    use jwt_conformance::case::Severity;
    use jwt_conformance::outcome::{Outcome, VerdictLabel};

    #[test]
    fn a_report_reads_back_as_it_was_written() {
        let mut failed = result(
            "alg-none/b",
            Severity::Critical,
            Outcome::Fail,
            VerdictLabel::Accepted,
        );
        failed.warning = Some("rejected for another reason".to_string());
        let original = report(
            "lib",
            vec![
                result(
                    "alg-none/a",
                    Severity::Critical,
                    Outcome::Pass,
                    VerdictLabel::Rejected,
                ),
                failed,
            ],
        );
        assert_eq!(parse(&render(&original)).unwrap(), original);
        assert!(parse("{\"tool\": 1}").is_err());
    }
}

//! The text report: a summary line, results grouped by class, and every failure with
//! what was expected, what happened and the references; critical failures first.

use super::{CaseResult, Report};
use crate::case::Severity;
use crate::outcome::Outcome;
use std::fmt::Write;

/// Renders the report for a terminal.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let a = &report.adapter;
    let _ = writeln!(
        out,
        "jwt-conformance {} against {} {} ({} clock)",
        report.tool.version, a.name, a.version, a.clock
    );
    let _ = writeln!(out);
    for (class, s) in &report.by_class {
        let _ = writeln!(
            out,
            "{class:<22} {:>4} passed {:>3} failed {:>3} expected {:>3} stale {:>3} skipped",
            s.passed, s.failed, s.expected_failures, s.unexpected_passes, s.skipped
        );
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "by severity:");
    for severity in Severity::ALL {
        if let Some(s) = report.by_severity.get(severity.as_str()) {
            let _ = writeln!(
                out,
                "  {:<9} {:>4} passed {:>3} failed {:>3} expected {:>3} stale {:>3} skipped",
                severity.as_str(),
                s.passed,
                s.failed,
                s.expected_failures,
                s.unexpected_passes,
                s.skipped
            );
        }
    }
    let mut problems: Vec<&CaseResult> = report
        .results
        .iter()
        .filter(|r| r.outcome.is_unexpected())
        .collect();
    problems.sort_by_key(|r| crate::suite::severity_rank(r.severity));
    if !problems.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "unexpected outcomes (most severe first):");
        for r in problems {
            write_problem(&mut out, r);
        }
    }
    let expected: Vec<&CaseResult> = report
        .results
        .iter()
        .filter(|r| r.outcome == Outcome::ExpectedFailure)
        .collect();
    if !expected.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "expected failures (listed in the manifest):");
        for r in expected {
            let _ = writeln!(out, "  {} [{}] {}", r.id, r.severity, r.title);
        }
    }
    let s = &report.summary;
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{}: {} cases, {} passed, {} failed, {} expected failures, {} unexpected passes, {} skipped",
        if report.failed() { "FAILED" } else { "ok" },
        s.total,
        s.passed,
        s.failed,
        s.expected_failures,
        s.unexpected_passes,
        s.skipped
    );
    out
}

fn write_problem(out: &mut String, r: &CaseResult) {
    let label = match r.outcome {
        Outcome::UnexpectedPass => "STALE",
        _ => "FAIL",
    };
    let _ = writeln!(out, "  {label} {} [{}] {}", r.id, r.severity, r.title);
    let _ = writeln!(out, "       expected: {}", r.expected);
    let _ = writeln!(
        out,
        "       got:      {} — {}",
        r.verdict.as_str(),
        r.detail
    );
    let _ = writeln!(out, "       refs:     {}", r.refs.join(", "));
}

//! The text report: a summary line, results grouped by class, and every failure with
//! what was expected, what happened and the references; critical failures first.

use jwt_conformance::case::Severity;
use jwt_conformance::memory::{kib, NOTABLE_GROWTH_KIB};
use jwt_conformance::outcome::Outcome;
use jwt_conformance::report::{CaseResult, Report};
use std::fmt::Write;

/// Renders the report for a terminal.
pub(crate) fn render(report: &Report) -> String {
    let mut out = String::new();
    let a = &report.adapter;
    let _ = writeln!(
        out,
        "jwt-conformance {} against {} {} ({} clock), scoring {}",
        report.tool.version,
        a.name,
        a.version,
        a.clock,
        levels(report)
    );
    let _ = writeln!(out);
    for (class, s) in &report.by_class {
        let _ = writeln!(out, "{class:<22} {}", counts(s));
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "by severity:");
    for severity in Severity::ALL {
        if let Some(s) = report.by_severity.get(severity.as_str()) {
            let _ = writeln!(out, "  {:<19} {}", severity.as_str(), counts(s));
        }
    }
    let mut problems: Vec<&CaseResult> = report
        .results
        .iter()
        .filter(|r| r.outcome.is_unexpected())
        .collect();
    problems.sort_by_key(|r| r.severity.rank());
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
            let _ = writeln!(
                out,
                "  {} [{}] {}{}",
                r.id,
                r.severity,
                r.title,
                advisories_suffix(r)
            );
        }
    }
    let unconfirmed: Vec<&CaseResult> = report
        .results
        .iter()
        .filter(|r| r.outcome == Outcome::Unconfirmed)
        .collect();
    if !unconfirmed.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "unconfirmed (rejected, but the valid control was rejected too):"
        );
        for r in unconfirmed {
            let _ = writeln!(out, "  {} [{}] {}", r.id, r.severity, r.title);
        }
    }
    let informational: Vec<&CaseResult> = report
        .results
        .iter()
        .filter(|r| r.outcome == Outcome::Informational)
        .collect();
    if !informational.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "information (deviations the RFCs permit, at levels this run does not score):"
        );
        for r in informational {
            let how = r.detail.split(':').next().unwrap_or_default();
            let _ = writeln!(out, "  {} [{}] {how}: {}", r.id, r.level, r.title);
        }
    }
    let heavy: Vec<&CaseResult> = report
        .results
        .iter()
        .filter(|r| r.rss_growth_kib.is_some_and(|g| g >= NOTABLE_GROWTH_KIB))
        .collect();
    if !heavy.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "memory (the verifier process grew by {} or more while answering):",
            kib(NOTABLE_GROWTH_KIB)
        );
        for r in heavy {
            let _ = writeln!(out, "  {} {}", r.id, memory(r));
        }
    }
    let s = &report.summary;
    let _ = writeln!(out);
    let by_level: Vec<String> = s
        .failed_by_level
        .iter()
        .map(|(level, n)| format!("{n} {level}"))
        .collect();
    let by_level = match by_level.is_empty() {
        true => String::new(),
        false => format!(" (failures by level: {})", by_level.join(", ")),
    };
    let _ = writeln!(
        out,
        "{}: {} cases, {} passed, {} failed, {} expected failures, {} unexpected passes, {} unconfirmed, {} informational, {} skipped{by_level}",
        if report.failed() { "FAILED" } else { "ok" },
        s.total,
        s.passed,
        s.failed,
        s.expected_failures,
        s.unexpected_passes,
        s.unconfirmed,
        s.informational,
        s.skipped
    );
    out
}

/// "grew by 150.0 MiB (peak 180.2 MiB)".
fn memory(r: &CaseResult) -> String {
    format!(
        "grew by {} (peak resident set {})",
        kib(r.rss_growth_kib.unwrap_or_default()),
        kib(r.peak_rss_kib.unwrap_or_default())
    )
}

/// `rfc + bcp`, or `rfc + bcp + strict`.
fn levels(report: &Report) -> String {
    let names: Vec<&str> = report.levels.iter().map(|l| l.as_str()).collect();
    names.join(" + ")
}

/// One row of counts.
fn counts(s: &jwt_conformance::report::Summary) -> String {
    format!(
        "{:>4} passed {:>3} failed {:>3} expected {:>3} stale {:>3} unconfirmed {:>3} info {:>3} skipped",
        s.passed,
        s.failed,
        s.expected_failures,
        s.unexpected_passes,
        s.unconfirmed,
        s.informational,
        s.skipped
    )
}

fn write_problem(out: &mut String, r: &CaseResult) {
    let label = match r.outcome {
        Outcome::UnexpectedPass => "STALE",
        _ => "FAIL",
    };
    let _ = writeln!(out, "  {label} {} [{}] {}", r.id, r.severity, r.title);
    let _ = writeln!(
        out,
        "       expected: {} (level {}, {})",
        r.expected, r.level, r.basis
    );
    let _ = writeln!(
        out,
        "       got:      {} — {}",
        r.verdict.as_str(),
        r.detail
    );
    if r.rss_growth_kib.is_some() {
        let _ = writeln!(out, "       memory:   {}", memory(r));
    }
    let _ = writeln!(out, "       refs:     {}", r.refs.join(", "));
    if !r.cves.is_empty() {
        let _ = writeln!(out, "       cves:     {}", r.cves.join(", "));
    }
    if !r.defined_at.is_empty() {
        let _ = writeln!(out, "       defined:  {}", r.defined_at);
    }
}

/// ` (CVE-…, …)` naming the advisories behind a case, or nothing.
fn advisories_suffix(r: &CaseResult) -> String {
    if r.cves.is_empty() {
        String::new()
    } else {
        format!(" ({})", r.cves.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::matrix::tests::{report, result};
    use jwt_conformance::outcome::VerdictLabel;

    #[test]
    fn failures_and_expected_failures_name_their_advisories() {
        let mut failed = result(
            "alg-none/b",
            Severity::Critical,
            Outcome::Fail,
            VerdictLabel::Accepted,
        );
        failed.cves = vec!["CVE-2015-9235".to_string(), "CVE-2022-23540".to_string()];
        let mut listed = result(
            "alg-none/c",
            Severity::Critical,
            Outcome::ExpectedFailure,
            VerdictLabel::Accepted,
        );
        listed.cves = vec!["CVE-2018-1000531".to_string()];
        let text = render(&report("lib", vec![failed, listed]));
        assert!(
            text.contains("       cves:     CVE-2015-9235, CVE-2022-23540\n"),
            "{text}"
        );
        assert!(
            text.contains("  alg-none/c [critical] title of alg-none/c (CVE-2018-1000531)\n"),
            "{text}"
        );
    }
}

//! Markdown renderings: a run report, and a comparison matrix. GitHub-flavoured tables;
//! free text (titles, library messages) is escaped so it cannot break a table or
//! inject HTML.

use super::matrix::{Cell, Matrix, Row};
use jwt_conformance::case::{Level, Severity};
use jwt_conformance::outcome::Outcome;
use jwt_conformance::report::{CaseResult, Report};
use std::fmt::Write;

/// Longest free text put in a table cell or detail line; library messages can quote
/// whole tokens.
const MAX_TEXT: usize = 400;

/// Text safe inside a Markdown table cell: one line, `|` escaped, HTML neutralised,
/// cut at [`MAX_TEXT`] characters.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == MAX_TEXT {
            out.push('…');
            break;
        }
        match c {
            '|' => out.push_str("\\|"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The run report of one verifier.
pub(crate) fn render(report: &Report) -> String {
    let mut out = String::new();
    let a = &report.adapter;
    let s = &report.summary;
    let _ = writeln!(
        out,
        "# jwt-conformance {}: {} {}\n",
        report.tool.version,
        escape(&a.name),
        escape(&a.version)
    );
    let levels: Vec<&str> = report.levels.iter().map(|l| l.as_str()).collect();
    let _ = writeln!(
        out,
        "**{}**: {} cases, {} passed, {} failed, {} expected failures, {} unexpected passes, {} unconfirmed, {} informational, {} skipped ({} clock; levels scored: {}).\n",
        if report.failed() { "FAILED" } else { "ok" },
        s.total,
        s.passed,
        s.failed,
        s.expected_failures,
        s.unexpected_passes,
        s.unconfirmed,
        s.informational,
        s.skipped,
        a.clock,
        levels.join(" + ")
    );
    if !s.failed_by_level.is_empty() {
        let by_level: Vec<String> = s
            .failed_by_level
            .iter()
            .map(|(level, n)| format!("{n} {level}"))
            .collect();
        let _ = writeln!(
            out,
            "Failures (expected ones included) by level: {}.\n",
            by_level.join(", ")
        );
    }
    let _ = writeln!(out, "## By severity\n");
    counts_header(&mut out, "severity");
    for severity in Severity::ALL {
        if let Some(c) = report.by_severity.get(severity.as_str()) {
            counts_row(&mut out, severity.as_str(), c);
        }
    }
    let _ = writeln!(out, "\n## By class\n");
    counts_header(&mut out, "class");
    for (class, c) in &report.by_class {
        counts_row(&mut out, &format!("`{class}`"), c);
    }
    let mut problems: Vec<&CaseResult> = report
        .results
        .iter()
        .filter(|r| r.outcome.is_unexpected())
        .collect();
    problems.sort_by_key(|r| r.severity.rank());
    if !problems.is_empty() {
        let _ = writeln!(out, "\n## Unexpected outcomes (most severe first)\n");
        for r in problems {
            let label = if r.outcome == Outcome::UnexpectedPass {
                "STALE"
            } else {
                "FAIL"
            };
            let _ = writeln!(
                out,
                "- **{label}** `{}` ({}, level {}): {}\n  - expected: {}\n  - got: {}: {}\n  - refs: {}",
                r.id,
                r.severity,
                r.level,
                escape(&r.title),
                r.expected,
                r.verdict.as_str(),
                escape(&r.detail),
                escape(&r.refs.join(", "))
            );
            if !r.cves.is_empty() {
                let _ = writeln!(out, "  - cves: {}", escape(&r.cves.join(", ")));
            }
        }
    }
    let expected: Vec<&CaseResult> = report
        .results
        .iter()
        .filter(|r| r.outcome == Outcome::ExpectedFailure)
        .collect();
    if !expected.is_empty() {
        let _ = writeln!(out, "\n## Expected failures (listed in the manifest)\n");
        for r in expected {
            let cves = match r.cves.is_empty() {
                true => String::new(),
                false => format!(" ({})", escape(&r.cves.join(", "))),
            };
            let _ = writeln!(
                out,
                "- `{}` ({}){cves}: {}",
                r.id,
                r.severity,
                escape(&r.detail)
            );
        }
    }
    for (outcome, heading) in [
        (
            Outcome::Unconfirmed,
            "Unconfirmed (rejected, but the valid control was rejected too)",
        ),
        (
            Outcome::Informational,
            "Information (deviations the RFCs permit, at levels this run does not score)",
        ),
    ] {
        let listed: Vec<&CaseResult> = report
            .results
            .iter()
            .filter(|r| r.outcome == outcome)
            .collect();
        if !listed.is_empty() {
            let _ = writeln!(out, "\n## {heading}\n");
            for r in listed {
                let _ = writeln!(
                    out,
                    "- `{}` ({}, level {}): {}",
                    r.id,
                    r.severity,
                    r.level,
                    escape(&r.detail)
                );
            }
        }
    }
    out
}

fn counts_header(out: &mut String, first: &str) {
    let _ = writeln!(
        out,
        "| {first} | passed | failed | expected | stale | unconfirmed | info | skipped |\n|---|---:|---:|---:|---:|---:|---:|---:|"
    );
}

fn counts_row(out: &mut String, name: &str, c: &jwt_conformance::report::Summary) {
    let _ = writeln!(
        out,
        "| {name} | {} | {} | {} | {} | {} | {} | {} |",
        c.passed,
        c.failed,
        c.expected_failures,
        c.unexpected_passes,
        c.unconfirmed,
        c.informational,
        c.skipped
    );
}

/// A matrix cell: the outcome, then the verdict when the case ran.
fn cell_text(cell: &Cell) -> String {
    let label = match cell.outcome {
        Some(Outcome::Fail) => "**FAIL**".to_string(),
        _ => cell.label().to_string(),
    };
    match (cell.ran(), cell.verdict) {
        (true, Some(v)) => format!("{label} · {}", v.as_str()),
        _ => label,
    }
}

/// Rows grouped by class, in row order.
fn group<'a>(rows: &[&'a Row]) -> Vec<(&'a str, Vec<&'a Row>)> {
    let mut groups: Vec<(&str, Vec<&Row>)> = Vec::new();
    for row in rows {
        match groups.last_mut() {
            Some((class, members)) if *class == row.class => members.push(row),
            _ => groups.push((row.class.as_str(), vec![row])),
        }
    }
    groups
}

/// One table: a header naming the verifiers, then a bold row per class and a row per case.
fn write_table(out: &mut String, matrix: &Matrix, groups: &[(&str, Vec<&Row>)]) {
    if groups.is_empty() {
        let _ = writeln!(out, "No case to show.");
        return;
    }
    let _ = write!(out, "| case | severity | level | expected |");
    for v in &matrix.verifiers {
        let _ = write!(out, " {} |", escape(&v.adapter.name));
    }
    let _ = write!(out, "\n|---|---|---|---|");
    for _ in &matrix.verifiers {
        let _ = write!(out, "---|");
    }
    let _ = writeln!(out);
    for (class, rows) in groups {
        let _ = write!(out, "| **{}** | | | |", escape(class));
        for _ in &matrix.verifiers {
            let _ = write!(out, " |");
        }
        let _ = writeln!(out);
        for row in rows {
            let _ = write!(
                out,
                "| `{}` | {} | {} | {} |",
                row.id, row.severity, row.level, row.expected
            );
            for cell in &row.cells {
                let _ = write!(out, " {} |", cell_text(cell));
            }
            let _ = writeln!(out);
        }
    }
}

/// The comparison: a summary per verifier (failures by severity, critical first), the
/// cases where the verifiers disagree, all cases (unless the matrix keeps only the
/// disagreements), then the details of every shown cell that did not pass.
pub(crate) fn render_matrix(matrix: &Matrix) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# JWT verifier comparison\n\njwt-conformance {}: {} cases, {} verifiers; they disagree on {} cases.",
        matrix.tool.version,
        matrix.total_cases,
        matrix.verifiers.len(),
        matrix.discriminating_cases
    );
    if let Some(command) = &matrix.invocation {
        // A fence closes only at the start of a line.
        let _ = writeln!(
            out,
            "Made (and remade) with:\n\n```sh\n{}\n```",
            command.replace("\n`", "\n `")
        );
    }
    let _ = writeln!(out, "\n## Verifiers\n");
    let _ = write!(
        out,
        "| verifier | version | clock | passed | failed | expected | stale | unconfirmed | info | skipped |"
    );
    for level in Level::ALL {
        let _ = write!(out, " {level} failures |");
    }
    for s in Severity::ALL {
        let _ = write!(out, " {s} failures |");
    }
    let _ = write!(out, "\n|---|---|---|---:|---:|---:|---:|---:|---:|---:|");
    for _ in 0..Level::ALL.len() + Severity::ALL.len() {
        let _ = write!(out, "---:|");
    }
    let _ = writeln!(out);
    for v in &matrix.verifiers {
        let s = &v.summary;
        let _ = write!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            escape(&v.adapter.name),
            escape(&v.adapter.version),
            v.adapter.clock,
            s.passed,
            s.failed,
            s.expected_failures,
            s.unexpected_passes,
            s.unconfirmed,
            s.informational,
            s.skipped
        );
        for level in Level::ALL {
            let _ = write!(
                out,
                " {} |",
                s.failed_by_level.get(&level).copied().unwrap_or(0)
            );
        }
        for severity in Severity::ALL {
            let _ = write!(out, " {} |", v.failed(severity));
        }
        let _ = writeln!(out);
    }
    let _ = writeln!(
        out,
        "\n\"failed\" counts unexpected failures; \"expected\" counts failures listed in the \
         adapter's manifest; the level and severity columns count both. \"unconfirmed\" counts \
         rejections whose valid control was rejected too; \"info\" counts deviations the RFCs \
         permit, at levels the run does not score.\n"
    );
    let processes: Vec<String> = matrix
        .verifiers
        .iter()
        .filter_map(|v| {
            let command = v.command.as_ref()?;
            Some(format!(
                "- {}: `{}`",
                escape(&v.adapter.name),
                command.replace('`', "'")
            ))
        })
        .collect();
    if !processes.is_empty() {
        let _ = writeln!(out, "Verifier processes:\n\n{}\n", processes.join("\n"));
    }
    let disagreements: Vec<&Row> = matrix.rows.iter().filter(|r| r.discriminating).collect();
    let _ = writeln!(out, "## Cases where the verifiers disagree\n");
    write_table(&mut out, matrix, &group(&disagreements));
    if !matrix.discriminating_only {
        let _ = writeln!(out, "\n## All cases\n");
        let all: Vec<&Row> = matrix.rows.iter().collect();
        write_table(&mut out, matrix, &group(&all));
    }
    let mut details = String::new();
    for row in &matrix.rows {
        for (v, cell) in matrix.verifiers.iter().zip(&row.cells) {
            if matches!(
                cell.outcome,
                Some(
                    Outcome::Fail
                        | Outcome::ExpectedFailure
                        | Outcome::UnexpectedPass
                        | Outcome::Unconfirmed
                )
            ) {
                let _ = writeln!(
                    details,
                    "- `{}` × {} ({}): {}",
                    row.id,
                    escape(&v.adapter.name),
                    cell.label(),
                    escape(&cell.detail)
                );
            }
        }
    }
    if !details.is_empty() {
        let _ = writeln!(out, "\n### Details of what did not pass\n\n{details}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::matrix::tests::{report, result, sample};
    use jwt_conformance::outcome::VerdictLabel;

    /// The table lines of a rendering: those starting with `|`.
    fn table_lines(text: &str, after: &str) -> Vec<String> {
        text.split(after)
            .nth(1)
            .unwrap()
            .lines()
            .skip_while(|l| !l.starts_with('|'))
            .take_while(|l| l.starts_with('|'))
            .map(str::to_string)
            .collect()
    }

    /// Cells of a table line, honouring `\|` escapes.
    fn cells(line: &str) -> usize {
        line.replace("\\|", "").matches('|').count() - 1
    }

    #[test]
    fn the_matrix_table_has_one_column_per_verifier_and_a_row_per_case_and_class() {
        let text = render_matrix(&sample());
        let lines = table_lines(&text, "## All cases");
        // header, separator, 2 class rows, 4 case rows
        assert_eq!(lines.len(), 8, "{text}");
        for line in &lines {
            assert_eq!(cells(line), 6, "{line}");
        }
        assert_eq!(
            lines[0],
            "| case | severity | level | expected | alpha | beta |"
        );
        assert!(lines[2].starts_with("| **alg-none** |"));
        assert_eq!(
            lines[4],
            "| `alg-none/b` | critical | rfc | reject | **FAIL** · accepted | pass · rejected |"
        );
        assert!(text.contains("- `alg-none/b` × alpha (FAIL): accepted for alg-none/b"));
    }

    #[test]
    fn the_discriminating_view_keeps_only_disagreements() {
        let text = render_matrix(&sample().discriminating());
        let lines = table_lines(&text, "## Cases where the verifiers disagree");
        let ids: Vec<&str> = lines.iter().filter_map(|l| l.split('`').nth(1)).collect();
        assert_eq!(ids, ["alg-none/b", "time/d"]);
        assert!(text.contains(": 4 cases, 2 verifiers; they disagree on 2 cases."));
        assert!(!text.contains("## All cases"));
        // The full view leads with the same disagreements, then every case.
        let full = render_matrix(&sample());
        let lines = table_lines(&full, "## Cases where the verifiers disagree");
        assert_eq!(lines.len(), 2 + 2 + 2, "{full}");
        assert_eq!(table_lines(&full, "## All cases").len(), 8);
    }

    #[test]
    fn the_command_that_made_the_matrix_is_shown_for_rerunning() {
        let mut m = sample();
        assert!(!render_matrix(&m).contains("Made (and remade) with"));
        m.invocation = Some("jwt-conformance compare --adapter a --exec 'node v.mjs'".into());
        let text = render_matrix(&m);
        assert!(
            text.contains("```sh\njwt-conformance compare --adapter a --exec 'node v.mjs'\n```"),
            "{text}"
        );
    }

    #[test]
    fn the_summary_has_failures_by_severity_critical_first() {
        let text = render_matrix(&sample());
        let lines = table_lines(&text, "## Verifiers");
        assert!(
            lines[0].contains("| critical failures | high failures |"),
            "{}",
            lines[0]
        );
        assert!(lines[0].contains("| rfc failures | bcp failures | strict failures |"));
        assert_eq!(cells(&lines[0]), 18);
        assert!(
            lines[2].starts_with(
                "| alpha | 1.0 | injectable | 2 | 1 | 0 | 0 | 0 | 0 | 1 | 1 | 0 | 0 | 1 | 0 |"
            ),
            "{}",
            lines[2]
        );
        assert!(
            lines[3].starts_with(
                "| beta | 1.0 | injectable | 3 | 1 | 0 | 0 | 0 | 0 | 0 | 1 | 0 | 0 | 0 | 1 |"
            ),
            "{}",
            lines[3]
        );
    }

    #[test]
    fn free_text_cannot_break_the_table_or_inject_html() {
        let mut r = result("x/y", Severity::Low, Outcome::Fail, VerdictLabel::Accepted);
        r.detail = "a|b <script>&\nnext".to_string();
        let text = render_matrix(&Matrix::new(&[report("a|b", vec![r])]));
        assert!(text.contains("a\\|b &lt;script&gt;&amp; next"), "{text}");
        assert!(!text.contains("<script>"));
        for line in table_lines(&text, "## All cases") {
            assert_eq!(cells(&line), 5, "{line}");
        }
        assert_eq!(escape(&"x".repeat(1000)).chars().count(), MAX_TEXT + 1);
    }

    #[test]
    fn the_run_report_lists_failures_with_expected_got_and_refs() {
        let mut failed = result(
            "alg-none/b",
            Severity::Critical,
            Outcome::Fail,
            VerdictLabel::Accepted,
        );
        failed.title = "alg none *accepted*".to_string();
        failed.cves = vec!["CVE-2015-9235".to_string()];
        let r = report(
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
        let text = render(&r);
        assert!(text.starts_with("# jwt-conformance "), "{text}");
        assert!(
            text.contains("**FAILED**: 2 cases, 1 passed, 1 failed"),
            "{text}"
        );
        assert!(
            text.contains("| critical | 1 | 1 | 0 | 0 | 0 | 0 | 0 |"),
            "{text}"
        );
        assert!(
            text.contains("| `alg-none` | 1 | 1 | 0 | 0 | 0 | 0 | 0 |"),
            "{text}"
        );
        assert!(
            text.contains("Failures (expected ones included) by level: 1 rfc."),
            "{text}"
        );
        assert!(text.contains(
            "- **FAIL** `alg-none/b` (critical, level rfc): alg none \\*accepted\\*\n  - expected: reject\n  - got: accepted: accepted for alg-none/b\n  - refs: RFC7515#section-4.1.1\n  - cves: CVE-2015-9235"
        ), "{text}");
    }
}

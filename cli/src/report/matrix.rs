//! The comparison of several verifiers over the same catalogue: cases in rows (sorted by
//! id, so grouped by class), verifiers in columns, one cell per case and verifier.
//!
//! A row is *discriminating* when the verifiers that ran the case behaved differently:
//! their verdicts differ (one accepted, another rejected or hung), or one passed where
//! another failed. Whether a failure is listed in an adapter's manifest does not count:
//! that is a note about the adapter, not a difference in behaviour.

use jwt_conformance::case::{Level, Severity};
use jwt_conformance::outcome::{Outcome, VerdictLabel};
use jwt_conformance::report::{AdapterSummary, Report, Summary, ToolInfo};
use serde::Serialize;
use std::collections::BTreeMap;

/// One verifier's answer to one case.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Cell {
    /// `None` when the verifier's report has no such case (e.g. a different filter).
    pub outcome: Option<Outcome>,
    pub verdict: Option<VerdictLabel>,
    /// Short reason: the reject kind, the skip reason, the panic message.
    pub reason: String,
    /// Expected against got, with the verifier's own message.
    pub detail: String,
    pub warning: Option<String>,
}

impl Serialize for Cell {
    /// The detail is left out for passing and skipped cells: it repeats the expectation
    /// and, with a system clock, carries run-dependent timestamps that would make
    /// nightly results differ for no reason.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let quiet = matches!(self.outcome, Some(Outcome::Pass | Outcome::Skipped) | None);
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("outcome", &self.outcome)?;
        map.serialize_entry("verdict", &self.verdict)?;
        if !self.reason.is_empty() {
            map.serialize_entry("reason", &self.reason)?;
        }
        if !quiet {
            map.serialize_entry("detail", &self.detail)?;
        }
        if let Some(w) = &self.warning {
            map.serialize_entry("warning", w)?;
        }
        map.end()
    }
}

impl Cell {
    fn absent() -> Cell {
        Cell {
            outcome: None,
            verdict: None,
            reason: String::new(),
            detail: String::new(),
            warning: None,
        }
    }

    /// Whether the case ran: it has an outcome other than skipped.
    pub(crate) fn ran(&self) -> bool {
        matches!(self.outcome, Some(o) if o != Outcome::Skipped)
    }

    /// Whether the verifier did what the scored levels demand (stale manifest entries
    /// and permitted deviations at unscored levels included).
    pub(crate) fn passed(&self) -> bool {
        matches!(
            self.outcome,
            Some(Outcome::Pass | Outcome::UnexpectedPass | Outcome::Informational)
        )
    }

    /// A short label: `pass`, `FAIL`, `expected`, `stale`, `unconfirmed`, `info`,
    /// `skipped`, or `-` when absent.
    pub(crate) fn label(&self) -> &'static str {
        match self.outcome {
            Some(Outcome::Pass) => "pass",
            Some(Outcome::Fail) => "FAIL",
            Some(Outcome::ExpectedFailure) => "expected",
            Some(Outcome::UnexpectedPass) => "stale",
            Some(Outcome::Unconfirmed) => "unconfirmed",
            Some(Outcome::Informational) => "info",
            Some(Outcome::Skipped) => "skipped",
            None => "-",
        }
    }

    /// The CSS class and filter key of the cell.
    pub(crate) fn key(&self) -> &'static str {
        match self.outcome {
            Some(o) => o.as_str(),
            None => "absent",
        }
    }
}

/// One case across every verifier.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub(crate) struct Row {
    pub id: String,
    pub class: String,
    pub severity: Severity,
    pub title: String,
    pub refs: Vec<String>,
    /// `accept`, `reject` or `either`.
    pub expected: String,
    /// How binding the expectation is.
    pub level: Level,
    /// The reference whose sentence sets the level.
    pub basis: String,
    /// The public advisories behind the case (its references and the advisory register).
    pub cves: Vec<String>,
    /// Whether the verifiers that ran the case behaved differently.
    pub discriminating: bool,
    /// One cell per verifier, in the matrix's column order.
    pub cells: Vec<Cell>,
}

/// Outcome counts of one severity.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub(crate) struct SeverityCounts {
    pub severity: Severity,
    #[serde(flatten)]
    pub counts: Summary,
}

/// A verifier's column header and totals.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub(crate) struct Column {
    #[serde(flatten)]
    pub adapter: AdapterSummary,
    pub summary: Summary,
    /// Counts per severity, most severe first; severities without cases are left out.
    pub by_severity: Vec<SeverityCounts>,
    /// Ids of the cases the verifier failed (listed or not), most severe first.
    pub failures: Vec<String>,
    /// The command line of a verifier run as a process, so a reader can rerun it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
}

impl Column {
    /// Failed cases (unexpected or listed) of this severity.
    pub(crate) fn failed(&self, severity: Severity) -> usize {
        self.by_severity
            .iter()
            .find(|s| s.severity == severity)
            .map_or(0, |s| s.counts.failed + s.counts.expected_failures)
    }
}

/// Several verifiers compared case by case.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub(crate) struct Matrix {
    pub tool: ToolInfo,
    /// Whether only discriminating rows are kept.
    pub discriminating_only: bool,
    /// Cases in the whole comparison, and how many of them are discriminating.
    pub total_cases: usize,
    pub discriminating_cases: usize,
    /// Verifiers in the order they were given.
    pub verifiers: Vec<Column>,
    /// Cases sorted by id.
    pub rows: Vec<Row>,
    /// The command that made the comparison, shown in the Markdown and HTML renderings
    /// so a reader can regenerate it (not in JSON, which stays a pure result).
    #[serde(skip)]
    pub invocation: Option<String>,
}

impl Matrix {
    /// Builds the comparison of `reports`, one per verifier, in column order.
    pub(crate) fn new(reports: &[Report]) -> Matrix {
        let mut rows: BTreeMap<&str, Row> = BTreeMap::new();
        for (column, report) in reports.iter().enumerate() {
            for r in &report.results {
                let row = rows.entry(r.id.as_str()).or_insert_with(|| Row {
                    id: r.id.clone(),
                    class: r.class.clone(),
                    severity: r.severity,
                    title: r.title.clone(),
                    refs: r.refs.clone(),
                    expected: r.expected.clone(),
                    level: r.level,
                    basis: r.basis.clone(),
                    cves: r.cves.clone(),
                    discriminating: false,
                    cells: vec![Cell::absent(); reports.len()],
                });
                row.cells[column] = Cell {
                    outcome: Some(r.outcome),
                    verdict: Some(r.verdict),
                    reason: r.reason.clone(),
                    detail: r.detail.clone(),
                    warning: r.warning.clone(),
                };
            }
        }
        let mut rows: Vec<Row> = rows.into_values().collect();
        for row in &mut rows {
            row.discriminating = disagree(&row.cells);
        }
        let verifiers = reports.iter().map(column).collect();
        let discriminating_cases = rows.iter().filter(|r| r.discriminating).count();
        Matrix {
            tool: ToolInfo::default(),
            discriminating_only: false,
            total_cases: rows.len(),
            discriminating_cases,
            verifiers,
            rows,
            invocation: None,
        }
    }

    /// The same comparison keeping only the rows where verifiers disagree; the column
    /// totals still count every case.
    pub(crate) fn discriminating(mut self) -> Matrix {
        self.rows.retain(|r| r.discriminating);
        self.discriminating_only = true;
        self
    }

    /// The same comparison keeping only the rows of `levels`; the column totals still
    /// count every case.
    pub(crate) fn levels(mut self, levels: &[Level]) -> Matrix {
        self.rows.retain(|r| levels.contains(&r.level));
        self
    }

    /// Rows grouped by class, classes in id order.
    pub(crate) fn by_class(&self) -> Vec<(&str, Vec<&Row>)> {
        let mut groups: Vec<(&str, Vec<&Row>)> = Vec::new();
        for row in &self.rows {
            match groups.last_mut() {
                Some((class, rows)) if *class == row.class => rows.push(row),
                _ => groups.push((row.class.as_str(), vec![row])),
            }
        }
        groups
    }
}

/// Whether the cells of the verifiers that ran the case show different behaviour.
fn disagree(cells: &[Cell]) -> bool {
    let mut seen: Option<(Option<VerdictLabel>, bool)> = None;
    for cell in cells.iter().filter(|c| c.ran()) {
        let behaviour = (cell.verdict, cell.passed());
        match seen {
            None => seen = Some(behaviour),
            Some(first) if first != behaviour => return true,
            Some(_) => {}
        }
    }
    false
}

fn column(report: &Report) -> Column {
    let by_severity = Severity::ALL
        .into_iter()
        .filter_map(|severity| {
            let counts = report.by_severity.get(severity.as_str())?.clone();
            Some(SeverityCounts { severity, counts })
        })
        .collect();
    let mut failures: Vec<(Severity, &str)> = report
        .results
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Fail | Outcome::ExpectedFailure))
        .map(|r| (r.severity, r.id.as_str()))
        .collect();
    failures.sort_by_key(|(s, id)| (s.rank(), *id));
    Column {
        adapter: report.adapter.clone(),
        summary: report.summary.clone(),
        by_severity,
        failures: failures.into_iter().map(|(_, id)| id.to_string()).collect(),
        command: None,
    }
}

/// Pretty-printed JSON: rows sorted by id, verifiers in the order given.
pub(crate) fn render_json(matrix: &Matrix) -> String {
    let mut text = serde_json::to_string_pretty(matrix).expect("a matrix always serialises");
    text.push('\n');
    text
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use jwt_conformance::adapter::{AdapterInfo, Clock};
    use jwt_conformance::report::CaseResult;

    /// A result as a report would hold it.
    pub(crate) fn result(
        id: &str,
        severity: Severity,
        outcome: Outcome,
        verdict: VerdictLabel,
    ) -> CaseResult {
        CaseResult {
            id: id.to_string(),
            class: id.split('/').next().unwrap().to_string(),
            severity,
            refs: vec!["RFC7515#section-4.1.1".to_string()],
            expected: "reject".to_string(),
            outcome,
            verdict,
            reason: String::new(),
            detail: format!("{} for {id}", verdict.as_str()),
            title: format!("title of {id}"),
            warning: None,
            level: jwt_conformance::case::Level::Rfc,
            basis: "RFC7515#section-4.1.1".to_string(),
            failed_at: matches!(outcome, Outcome::Fail | Outcome::ExpectedFailure)
                .then_some(jwt_conformance::case::Level::Rfc),
            defined_at: String::new(),
            peak_rss_kib: None,
            rss_growth_kib: None,
            cves: Vec::new(),
        }
    }

    pub(crate) fn report(name: &str, results: Vec<CaseResult>) -> Report {
        let info = AdapterInfo {
            name: name.to_string(),
            version: "1.0".to_string(),
            algorithms: vec![],
            clock: Clock::Injectable,
            remote_jwks: false,
        };
        Report::new(&info, jwt_conformance::case::Scoring::Default, results)
    }

    /// Two verifiers: they agree on `alg-none/a` and `time/c`, disagree on `alg-none/b`
    /// (accepted against rejected) and on `time/d` (a pass against a timeout).
    pub(crate) fn sample() -> Matrix {
        use Outcome::*;
        use VerdictLabel::*;
        let a = report(
            "alpha",
            vec![
                result("time/d", Severity::High, Pass, Rejected),
                result("alg-none/b", Severity::Critical, Fail, Accepted),
                result("alg-none/a", Severity::Critical, Pass, Rejected),
                result("time/c", Severity::Low, Skipped, Unsupported),
            ],
        );
        let b = report(
            "beta",
            vec![
                result("alg-none/a", Severity::Critical, Pass, Rejected),
                result("alg-none/b", Severity::Critical, Pass, Rejected),
                result("time/c", Severity::Low, Pass, Rejected),
                result("time/d", Severity::High, Fail, TimedOut),
            ],
        );
        Matrix::new(&[a, b])
    }

    #[test]
    fn rows_are_sorted_by_id_and_columns_keep_the_given_order() {
        let m = sample();
        let ids: Vec<&str> = m.rows.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["alg-none/a", "alg-none/b", "time/c", "time/d"]);
        let names: Vec<&str> = m
            .verifiers
            .iter()
            .map(|v| v.adapter.name.as_str())
            .collect();
        assert_eq!(names, ["alpha", "beta"]);
        let groups: Vec<(&str, usize)> = m.by_class().iter().map(|(c, r)| (*c, r.len())).collect();
        assert_eq!(groups, [("alg-none", 2), ("time", 2)]);
    }

    #[test]
    fn discriminating_rows_are_those_where_ran_verifiers_behave_differently() {
        let m = sample();
        let flags: Vec<bool> = m.rows.iter().map(|r| r.discriminating).collect();
        // time/c: alpha skipped it, so only beta ran it: nothing to disagree with.
        assert_eq!(flags, [false, true, false, true]);
        assert_eq!(m.discriminating_cases, 2);
        let d = m.discriminating();
        assert!(d.discriminating_only);
        assert_eq!(d.rows.len(), 2);
        assert_eq!(d.total_cases, 4);
        assert_eq!(d.verifiers[0].summary.total, 4);
    }

    #[test]
    fn a_manifest_listing_is_not_a_difference_in_behaviour() {
        use Outcome::*;
        use VerdictLabel::*;
        let a = report("a", vec![result("x/y", Severity::Low, Fail, Accepted)]);
        let b = report(
            "b",
            vec![result("x/y", Severity::Low, ExpectedFailure, Accepted)],
        );
        assert!(!Matrix::new(&[a.clone(), b]).rows[0].discriminating);
        let c = report("c", vec![result("x/y", Severity::Low, Pass, Accepted)]);
        assert!(Matrix::new(&[a, c]).rows[0].discriminating);
    }

    #[test]
    fn columns_list_failures_most_severe_first() {
        use Outcome::*;
        use VerdictLabel::*;
        let a = report(
            "a",
            vec![
                result("low/z", Severity::Low, Fail, Accepted),
                result("crit/z", Severity::Critical, ExpectedFailure, Accepted),
                result("high/a", Severity::High, Fail, Accepted),
                result("crit/y", Severity::Critical, Pass, Rejected),
            ],
        );
        let m = Matrix::new(&[a]);
        assert_eq!(m.verifiers[0].failures, ["crit/z", "high/a", "low/z"]);
        assert_eq!(m.verifiers[0].failed(Severity::Critical), 1);
        let order: Vec<Severity> = m.verifiers[0]
            .by_severity
            .iter()
            .map(|s| s.severity)
            .collect();
        assert_eq!(order, [Severity::Critical, Severity::High, Severity::Low]);
    }

    #[test]
    fn json_is_stable_whatever_order_the_reports_list_cases_in() {
        let json = render_json(&sample());
        let again = render_json(&sample());
        assert_eq!(json, again);
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        let ids: Vec<&str> = value["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["alg-none/a", "alg-none/b", "time/c", "time/d"]);
        assert_eq!(value["verifiers"][0]["name"], "alpha");
        assert_eq!(
            value["verifiers"][0]["by_severity"][0]["severity"],
            "critical"
        );
        // Passing cells carry no detail; failing ones do.
        assert!(value["rows"][0]["cells"][0].get("detail").is_none());
        assert_eq!(
            value["rows"][1]["cells"][0]["detail"],
            "accepted for alg-none/b"
        );
    }
}

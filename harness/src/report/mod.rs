//! The report of a run: every case's outcome, and counts by class, severity and
//! level. The command line renders it (text, JSON, Markdown, JUnit, HTML).

use crate::adapter::AdapterInfo;
use crate::case::{Case, Level, Scoring, Severity};
use crate::outcome::{Outcome, Scored, VerdictLabel};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The tool that wrote the report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ToolInfo {
    /// The tool's name.
    pub name: String,
    /// The tool's version.
    pub version: String,
}

impl Default for ToolInfo {
    fn default() -> Self {
        ToolInfo {
            name: "jwt-conformance".to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
        }
    }
}

/// The adapter as the report names it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdapterSummary {
    /// Short name, e.g. `jsonwebtoken`.
    pub name: String,
    /// Version of the library under test.
    pub version: String,
    /// `injectable` or `system`: where the verifier reads the time.
    pub clock: String,
}

/// Counts of outcomes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Cases counted.
    pub total: usize,
    /// Cases passed.
    pub passed: usize,
    /// Cases failed.
    pub failed: usize,
    /// Failures the manifest lists, with a reason.
    pub expected_failures: usize,
    /// Passes of cases the manifest lists: stale entries.
    pub unexpected_passes: usize,
    /// Cases skipped.
    pub skipped: usize,
    /// Rejections whose positive control the verifier rejected too.
    #[serde(default)]
    pub unconfirmed: usize,
    /// Deviations at levels the run does not score.
    #[serde(default)]
    pub informational: usize,
    /// Failures and expected failures by the level of the requirement broken.
    #[serde(default)]
    pub failed_by_level: BTreeMap<Level, usize>,
}

impl Summary {
    fn add(&mut self, result: &CaseResult) {
        self.total += 1;
        match result.outcome {
            Outcome::Pass => self.passed += 1,
            Outcome::Fail => self.failed += 1,
            Outcome::ExpectedFailure => self.expected_failures += 1,
            Outcome::UnexpectedPass => self.unexpected_passes += 1,
            Outcome::Unconfirmed => self.unconfirmed += 1,
            Outcome::Informational => self.informational += 1,
            Outcome::Skipped => self.skipped += 1,
        }
        if let Some(level) = result.failed_at {
            *self.failed_by_level.entry(level).or_default() += 1;
        }
    }

    /// Counts the outcomes of `results`.
    pub fn of<'a>(results: impl IntoIterator<Item = &'a CaseResult>) -> Summary {
        let mut s = Summary::default();
        for r in results {
            s.add(r);
        }
        s
    }
}

/// One case's line in the report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseResult {
    /// The case id.
    pub id: String,
    /// The case's class, the id before the `/`.
    pub class: String,
    /// How bad a wrong answer is.
    pub severity: Severity,
    /// The case's sources.
    pub refs: Vec<String>,
    /// `accept`, `reject` or `either`.
    pub expected: String,
    /// How the case scored.
    pub outcome: Outcome,
    /// What the verifier did.
    pub verdict: VerdictLabel,
    /// Short reason: the reject kind, the skip reason, the panic message.
    pub reason: String,
    /// What was expected against what happened, for people.
    pub detail: String,
    /// The case's one-line title.
    pub title: String,
    /// A non-fatal remark, e.g. rejected for another reason than expected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
    /// How binding the expectation is.
    pub level: Level,
    /// The reference whose sentence sets the level.
    #[serde(default)]
    pub basis: String,
    /// For a failure, the level of the requirement broken.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failed_at: Option<Level>,
    /// Where the case is defined (`file:line`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub defined_at: String,
    /// The verifier process's peak resident set size while it answered the case's token,
    /// in KiB; only where memory is measured (process adapters, see [`crate::memory`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peak_rss_kib: Option<u64>,
    /// How far that peak rose above the process's resident set before the request, in
    /// KiB: what answering took. Cases with a memory bound fail when it exceeds the bound.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rss_growth_kib: Option<u64>,
    /// The public advisories behind the case: those its references cite and those the
    /// advisory register maps to it ([`crate::cves`]).
    #[serde(default)]
    pub cves: Vec<String>,
}

impl CaseResult {
    /// Combines a case and its score.
    pub fn new(case: &Case, scored: Scored) -> CaseResult {
        CaseResult {
            id: case.id.clone(),
            class: case.class().to_string(),
            severity: case.severity,
            refs: case.refs.clone(),
            expected: case.expected.label().to_string(),
            outcome: scored.outcome,
            verdict: scored.verdict,
            reason: scored.reason,
            detail: scored.detail,
            title: case.title.clone(),
            warning: scored.warning,
            level: case.level,
            basis: case.basis.clone(),
            failed_at: scored.failed_at,
            defined_at: case.defined_at.to_string(),
            peak_rss_kib: scored.memory.map(|m| m.peak_rss_kib),
            rss_growth_kib: scored.memory.map(|m| m.growth_kib),
            cves: crate::cves::advisories_for(&case.id, &case.refs),
        }
    }
}

/// A whole run against one adapter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The tool that wrote the report.
    pub tool: ToolInfo,
    /// The adapter run against.
    pub adapter: AdapterSummary,
    /// The levels this run scored.
    #[serde(default)]
    pub levels: Vec<Level>,
    /// Outcome counts over all cases.
    pub summary: Summary,
    /// Outcome counts per class.
    pub by_class: BTreeMap<String, Summary>,
    /// Outcome counts per severity.
    pub by_severity: BTreeMap<String, Summary>,
    /// Every case's line.
    pub results: Vec<CaseResult>,
}

impl Report {
    /// Builds the report and its summaries.
    pub fn new(info: &AdapterInfo, scoring: Scoring, results: Vec<CaseResult>) -> Report {
        let mut by_class: BTreeMap<String, Vec<&CaseResult>> = BTreeMap::new();
        let mut by_severity: BTreeMap<String, Vec<&CaseResult>> = BTreeMap::new();
        for r in &results {
            by_class.entry(r.class.clone()).or_default().push(r);
            by_severity
                .entry(r.severity.as_str().to_string())
                .or_default()
                .push(r);
        }
        let by_class = by_class
            .into_iter()
            .map(|(k, v)| (k, Summary::of(v)))
            .collect();
        let by_severity = by_severity
            .into_iter()
            .map(|(k, v)| (k, Summary::of(v)))
            .collect();
        Report {
            tool: ToolInfo::default(),
            adapter: AdapterSummary {
                name: info.name.clone(),
                version: info.version.clone(),
                clock: info.clock.as_str().to_string(),
            },
            levels: scoring.levels(),
            summary: Summary::of(&results),
            by_class,
            by_severity,
            results,
        }
    }

    /// Whether the run failed: a case failed or a manifest entry is stale.
    pub fn failed(&self) -> bool {
        self.results.iter().any(|r| r.outcome.is_unexpected())
    }
}

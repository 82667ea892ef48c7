//! A property run scored like a case, against the adapter's manifest.

use super::run::{Finding, PropertyRun};
use crate::outcome::{Outcome, Scored, VerdictLabel};
use crate::report::CaseResult;

/// The outcome of a run; `listed` is the manifest's reason if the property is listed.
///
/// A listed property that held is stale only when a saved counterexample replayed and
/// no longer fails; without one, not finding a counterexample in a few random cases
/// proves nothing, so it passes with a warning instead of failing the run.
pub fn score(run: &PropertyRun, listed: Option<&str>) -> Scored {
    let detail = run.describe();
    match (&run.finding, listed) {
        (Finding::Skipped(why), _) => Scored {
            outcome: Outcome::Skipped,
            verdict: VerdictLabel::Unsupported,
            reason: why.clone(),
            detail,
            warning: None,
            failed_at: None,
            memory: None,
        },
        (Finding::Held, None) => Scored {
            outcome: Outcome::Pass,
            verdict: run.tally.usual_verdict(),
            reason: String::new(),
            detail,
            warning: None,
            failed_at: None,
            memory: None,
        },
        (Finding::Held, Some(why)) if run.replayed > 0 => Scored {
            outcome: Outcome::UnexpectedPass,
            verdict: run.tally.usual_verdict(),
            reason: "saved counterexamples no longer fail".into(),
            detail: format!(
                "the manifest lists this property ({why}) but its saved counterexamples no longer fail and {detail}: remove the entry and the regression file"
            ),
            warning: None,
            failed_at: None,
            memory: None,
        },
        (Finding::Held, Some(why)) => Scored {
            outcome: Outcome::Pass,
            verdict: run.tally.usual_verdict(),
            reason: String::new(),
            detail,
            warning: Some(format!(
                "listed in the manifest ({why}) but no counterexample was found in {} cases; keep a regression file so the known one replays",
                run.cases
            )),
            failed_at: None,
            memory: None,
        },
        (Finding::Falsified(c), None) => Scored {
            outcome: Outcome::Fail,
            verdict: c.verdict(),
            reason: c.summary().to_string(),
            detail,
            warning: None,
            failed_at: None,
            memory: None,
        },
        (Finding::Falsified(c), Some(why)) => Scored {
            outcome: Outcome::ExpectedFailure,
            verdict: c.verdict(),
            reason: c.summary().to_string(),
            detail: format!("{detail}listed in the manifest: {why}"),
            warning: None,
            failed_at: Some(run.property.level().0),
            memory: None,
        },
    }
}

/// The report line of a scored run.
pub fn case_result(run: &PropertyRun, scored: Scored) -> CaseResult {
    let p = run.property;
    let refs: Vec<String> = p.refs().iter().map(|r| r.to_string()).collect();
    CaseResult {
        id: p.id().to_string(),
        class: "property".to_string(),
        severity: p.severity(),
        refs: refs.clone(),
        expected: p.expected_label().to_string(),
        outcome: scored.outcome,
        verdict: scored.verdict,
        reason: scored.reason,
        detail: scored.detail,
        title: p.title().to_string(),
        warning: scored.warning,
        level: p.level().0,
        basis: p.level().1.to_string(),
        failed_at: scored.failed_at,
        defined_at: String::new(),
        peak_rss_kib: None,
        rss_growth_kib: None,
        cves: crate::cves::advisories_for(p.id(), &refs),
    }
}

//! A whole run: build the cases for an adapter, observe and score each, and collect a
//! report.

use crate::adapter::{Adapter, AdapterInfo};
use crate::case::{Case, Severity};
use crate::catalogue;
use crate::context::Context;
use crate::manifest::{Manifest, ManifestError};
use crate::outcome::{score, Outcome, Scored};
use crate::report::{CaseResult, Report};
use crate::runner::{observe, Observation, DEFAULT_TIMEOUT};
use std::sync::Arc;
use std::time::Duration;

/// Runs the catalogue against one adapter.
pub struct Suite {
    adapter: Arc<dyn Adapter>,
    manifest: Manifest,
    timeout: Duration,
    filter: Option<String>,
}

impl Suite {
    /// A suite for `adapter` with an empty manifest and the default time limit.
    pub fn new(adapter: Arc<dyn Adapter>) -> Suite {
        Suite {
            adapter,
            manifest: Manifest::empty(),
            timeout: DEFAULT_TIMEOUT,
            filter: None,
        }
    }

    /// The deviations the adapter's authors accept.
    pub fn manifest(mut self, manifest: Manifest) -> Suite {
        self.manifest = manifest;
        self
    }

    /// The per-case time limit for `prepare` plus `verify`.
    pub fn timeout(mut self, timeout: Duration) -> Suite {
        self.timeout = timeout;
        self
    }

    /// Runs only cases whose id contains `pattern`.
    pub fn filter(mut self, pattern: Option<String>) -> Suite {
        self.filter = pattern;
        self
    }

    /// The cases for this adapter, after the filter, with the context they were built in.
    pub fn cases(&self) -> (AdapterInfo, Context, Vec<Case>) {
        let info = self.adapter.info();
        let ctx = Context::for_adapter(&info);
        let cases = catalogue::cases(&ctx)
            .into_iter()
            .filter(|c| self.filter.as_deref().is_none_or(|p| c.id.contains(p)))
            .collect();
        (info, ctx, cases)
    }

    /// Checks that every manifest entry names a known case.
    pub fn check_manifest(&self) -> Result<(), ManifestError> {
        let ids: Vec<String> = catalogue::cases(&Context::listing())
            .into_iter()
            .map(|c| c.id)
            .collect();
        self.manifest.check_ids(ids.iter().map(String::as_str))
    }

    /// Observes and scores one case.
    pub fn run_case(&self, info: &AdapterInfo, case: &Case) -> Scored {
        let observation = match case.skip_reason(&info.algorithms, info.clock) {
            Some(why) => Observation::Skipped(why),
            None => observe(&self.adapter, case, self.timeout),
        };
        score(case, &observation, self.manifest.reason(&case.id))
    }

    /// Runs every case; fails only on an unusable manifest.
    pub fn run(&self) -> Result<Report, ManifestError> {
        self.check_manifest()?;
        let (info, _ctx, cases) = self.cases();
        let results = cases
            .iter()
            .map(|case| CaseResult::new(case, self.run_case(&info, case)))
            .collect();
        Ok(Report::new(&info, results))
    }
}

/// Whether any result makes the run fail.
pub fn has_unexpected(results: &[CaseResult]) -> bool {
    results.iter().any(|r| r.outcome.is_unexpected())
}

/// Critical first, then by class order of appearance.
pub fn severity_rank(s: Severity) -> usize {
    Severity::ALL
        .iter()
        .position(|x| *x == s)
        .unwrap_or(usize::MAX)
}

impl Outcome {
    /// All outcomes in report order.
    pub const ALL: [Outcome; 5] = [
        Outcome::Pass,
        Outcome::Fail,
        Outcome::ExpectedFailure,
        Outcome::UnexpectedPass,
        Outcome::Skipped,
    ];
}

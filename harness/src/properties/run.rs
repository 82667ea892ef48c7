//! Runs one property against an adapter under proptest: case counts, the seed,
//! regression files, shrinking limits, and what the run found.

use super::counterexample::{verdict_label, Failure};
use super::observe::observe_all;
use super::{
    audience_issuer, completeness, mutation_closure, no_forgery, robustness, time_window, Property,
};
use crate::adapter::{Adapter, AdapterInfo};
use crate::case::Scoring;
use crate::oracles::claims::is_breakdown;
use crate::outcome::VerdictLabel;
use crate::policy::Policy;
use crate::runner::{Observation, DEFAULT_TIMEOUT};
use crate::verdict::Verdict;
use proptest::strategy::Strategy;
use proptest::test_runner::{
    Config, FailurePersistence, FileFailurePersistence, PersistedSeed, RngSeed, TestCaseError,
    TestCaseResult, TestError, TestRunner,
};
use std::any::Any;
use std::cell::RefCell;
use std::fmt;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Generated cases per property when neither the caller nor `PROPTEST_CASES` says.
/// Each case sends one to a dozen tokens; at this count the six properties take a few
/// seconds of CPU in a debug build. Nightly runs use 100 times as many
/// (`PROPTEST_CASES=12800`).
pub const DEFAULT_CASES: u32 = 128;

/// Shrinking stops after this many steps or milliseconds unless `PROPTEST_MAX_SHRINK_ITERS`
/// / `PROPTEST_MAX_SHRINK_TIME` say otherwise: enough to reach a small counterexample,
/// bounded so a verifier that is slow to fail cannot stall the run.
const SHRINK_ITERS: u32 = 4096;
const SHRINK_MILLIS: u32 = 10_000;

/// How a property is run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PropertyConfig {
    /// Generated cases; `None` means `PROPTEST_CASES`, else [`DEFAULT_CASES`].
    pub cases: Option<u32>,
    /// The run's seed: `Derived` (the default) takes `PROPTEST_RNG_SEED` if set, else a
    /// seed derived from the property id and the tool version, so that the same build
    /// finds the same counterexamples every run; `Random` explores.
    pub seed: SeedChoice,
    /// Where regression files live (`<dir>/<property name>.txt`); their saved cases
    /// replay before any new one. `None` keeps nothing.
    pub regressions_dir: Option<PathBuf>,
    /// Time limit for `prepare` and for each `verify`.
    pub timeout: Duration,
    /// Which levels the oracles hold a verifier to: outside them a rule's permitted
    /// other answer is accepted.
    pub scoring: Scoring,
}

impl Default for PropertyConfig {
    fn default() -> Self {
        PropertyConfig {
            cases: None,
            seed: SeedChoice::Derived,
            regressions_dir: None,
            timeout: DEFAULT_TIMEOUT,
            scoring: Scoring::Default,
        }
    }
}

fn env<T: std::str::FromStr>(name: &str) -> Option<T> {
    std::env::var(name).ok()?.trim().parse().ok()
}

impl PropertyConfig {
    /// The number of cases this configuration runs.
    pub fn cases(&self) -> u32 {
        self.cases
            .or_else(|| env("PROPTEST_CASES"))
            .unwrap_or(DEFAULT_CASES)
    }

    /// The seed `property` runs with.
    pub fn seed_for(&self, property: Property) -> u64 {
        match self.seed {
            SeedChoice::Fixed(seed) => seed,
            SeedChoice::Derived => {
                env("PROPTEST_RNG_SEED").unwrap_or_else(|| derived_seed(property.id()))
            }
            SeedChoice::Random => {
                use std::hash::BuildHasher;
                std::collections::hash_map::RandomState::new()
                    .hash_one(std::time::SystemTime::now())
            }
        }
    }
}

/// Where a property run's seed comes from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SeedChoice {
    /// `PROPTEST_RNG_SEED` if set, else derived from the property id and the tool
    /// version: reproducible run to run.
    #[default]
    Derived,
    /// This seed.
    Fixed(u64),
    /// A fresh random seed each run (printed with any failure), for exploration.
    Random,
}

impl std::str::FromStr for SeedChoice {
    type Err = String;

    /// `random`, or a number.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "random" => Ok(SeedChoice::Random),
            n => n
                .parse()
                .map(SeedChoice::Fixed)
                .map_err(|_| format!("{s:?} is neither a number nor `random`")),
        }
    }
}

/// The first eight bytes of SHA-256 over `jwt-conformance VERSION ID`: stable across
/// runs, platforms and Rust versions (unlike std's hashers).
pub fn derived_seed(id: &str) -> u64 {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(format!(
        "jwt-conformance {} {id}",
        env!("CARGO_PKG_VERSION")
    ));
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&digest[..8]);
    u64::from_be_bytes(bytes)
}

/// Verdicts seen while a property ran (shrinking included).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Generated cases whose policy the adapter could express.
    pub exercised: u64,
    /// Generated cases whose policy the adapter could not express.
    pub unsupported: u64,
    /// Tokens accepted.
    pub accepted: u64,
    /// Tokens rejected, policies refused included.
    pub rejected: u64,
    /// Panics, hangs and unusable answers.
    pub broken: u64,
    /// The adapter's last reason for not expressing a policy.
    pub unsupported_why: Option<String>,
}

impl Tally {
    /// The most frequent verdict, for the report's `verdict` field.
    pub fn usual_verdict(&self) -> VerdictLabel {
        let counts = [
            (self.rejected, VerdictLabel::Rejected),
            (self.accepted, VerdictLabel::Accepted),
            (self.broken, VerdictLabel::Panicked),
        ];
        counts
            .iter()
            .filter(|(n, _)| *n > 0)
            .max_by_key(|(n, _)| *n)
            .map_or(VerdictLabel::Unsupported, |(_, label)| *label)
    }
}

/// The shrunk counterexample of a falsified property.
#[derive(Clone, Debug, PartialEq)]
pub struct Counterexample {
    /// The minimal failure, decoded (absent only if proptest gave up before a test failed).
    pub failure: Option<Failure>,
    /// proptest's reason: the failure rendered, or why it aborted.
    pub reason: String,
    /// The case came from a regression file rather than from this run's seed.
    pub replayed: bool,
}

impl Counterexample {
    /// One line.
    pub fn summary(&self) -> &str {
        self.failure
            .as_ref()
            .map_or(self.reason.lines().next().unwrap_or_default(), |f| {
                &f.summary
            })
    }

    /// What the verifier did with the minimal failure; `unsupported` without one.
    pub fn verdict(&self) -> VerdictLabel {
        self.failure
            .as_ref()
            .map_or(VerdictLabel::Unsupported, |f| verdict_label(&f.observation))
    }
}

/// What running a property found.
#[derive(Clone, Debug, PartialEq)]
pub enum Finding {
    /// No counterexample in the cases run.
    Held,
    /// A counterexample was found.
    Falsified(Box<Counterexample>),
    /// Nothing could run, and why.
    Skipped(String),
}

/// One property's run against one adapter.
#[derive(Clone, Debug, PartialEq)]
pub struct PropertyRun {
    /// The property run.
    pub property: Property,
    /// Cases requested.
    pub cases: u32,
    /// The seed that reproduces this run (`PROPTEST_RNG_SEED`).
    pub seed: u64,
    /// The regression file, when regressions are kept.
    pub regressions: Option<PathBuf>,
    /// Saved cases replayed before the new ones.
    pub replayed: usize,
    /// The verdicts seen.
    pub tally: Tally,
    /// What the run found.
    pub finding: Finding,
}

impl PropertyRun {
    /// How to get this run again.
    pub fn reproduce(&self) -> String {
        format!(
            "PROPTEST_RNG_SEED={} PROPTEST_CASES={} (cargo test: `-- {}`; jwt-conformance run: `--filter {} --proptest-cases {}`)",
            self.seed,
            self.cases,
            self.property.id(),
            self.property.id(),
            self.cases
        )
    }

    /// The full text of a falsified run: the decoded counterexample, then where it
    /// came from and how to reproduce it.
    pub fn describe(&self) -> String {
        match &self.finding {
            Finding::Held => format!(
                "held for {} generated cases (seed {}): {} tokens accepted, {} rejected",
                self.cases, self.seed, self.tally.accepted, self.tally.rejected
            ),
            Finding::Skipped(why) => format!("not run: {why}"),
            Finding::Falsified(c) => {
                let mut text = match &c.failure {
                    Some(f) => f.render(),
                    None => format!("{}\n", c.reason),
                };
                let file = self.regressions.as_ref().map(|p| p.display().to_string());
                let origin = match (c.replayed, file) {
                    (true, Some(file)) => format!(
                        "replayed from {file}, saved by an earlier run; delete its line once fixed"
                    ),
                    (false, Some(file)) => format!(
                        "found with seed {}; saved to {file}, which replays it first next time",
                        self.seed
                    ),
                    (_, None) => format!("found with seed {}", self.seed),
                };
                text.push_str(&format!(
                    "  origin:    {origin}\n  reproduce: {}\n",
                    self.reproduce()
                ));
                text
            }
        }
    }
}

/// Why a property stopped.
pub(crate) enum Stop {
    Fail(String),
    Abort(String),
}

/// What the property code needs while it runs.
pub(crate) struct Ctx {
    /// The property, whose id names each request.
    pub property: Property,
    /// Requests sent so far, numbering the next one.
    requests: std::cell::Cell<u64>,
    pub adapter: Arc<dyn Adapter>,
    pub info: AdapterInfo,
    pub timeout: Duration,
    /// The levels the oracles hold the verifier to.
    pub scoring: Scoring,
    tally: RefCell<Tally>,
    last: RefCell<Option<Failure>>,
}

impl Ctx {
    /// Verifies `tokens` under `policy`; `None` (and counted) when the adapter cannot
    /// express the policy, so the case passes vacuously.
    pub(crate) fn observe(&self, policy: &Policy, tokens: &[String]) -> Option<Vec<Observation>> {
        let first = self.requests.get();
        self.requests.set(first + tokens.len() as u64);
        let requests: Vec<(String, String)> = tokens
            .iter()
            .zip(first..)
            .map(|(token, n)| (format!("{}#{n}", self.property.id()), token.clone()))
            .collect();
        let observations = observe_all(&self.adapter, policy, &requests, self.timeout);
        let mut tally = self.tally.borrow_mut();
        if let Some(Observation::Unsupported(why)) = observations.first() {
            tally.unsupported += 1;
            tally.unsupported_why = Some(why.clone());
            return None;
        }
        tally.exercised += 1;
        for o in &observations {
            match o {
                Observation::Verdict(Verdict::Accepted { .. }) => tally.accepted += 1,
                Observation::Verdict(Verdict::Rejected { .. }) | Observation::Refused { .. } => {
                    tally.rejected += 1
                }
                o if is_breakdown(o) => tally.broken += 1,
                _ => {}
            }
        }
        Some(observations)
    }

    /// Records `failure` as the latest (shrinking ends on the minimal one) and turns it
    /// into proptest's failure.
    pub(crate) fn fail(&self, failure: Failure) -> TestCaseError {
        let text = failure.render();
        *self.last.borrow_mut() = Some(failure);
        TestCaseError::fail(text)
    }
}

/// Runs `test` on values of `strategy`.
pub(crate) fn drive<S: Strategy>(
    runner: &mut TestRunner,
    strategy: S,
    test: impl Fn(S::Value) -> TestCaseResult,
) -> Result<(), Stop> {
    runner.run(&strategy, test).map_err(|e| match e {
        TestError::Fail(reason, _) => Stop::Fail(reason.to_string()),
        TestError::Abort(reason) => Stop::Abort(reason.to_string()),
    })
}

/// A regression file that remembers whether this run saved a new case (otherwise a
/// failure came from a saved one).
#[derive(Clone)]
struct Regressions {
    file: FileFailurePersistence,
    saved: Arc<AtomicBool>,
}

impl fmt::Debug for Regressions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.file.fmt(f)
    }
}

impl FailurePersistence for Regressions {
    fn load_persisted_failures2(&self, source_file: Option<&'static str>) -> Vec<PersistedSeed> {
        self.file.load_persisted_failures2(source_file)
    }

    fn save_persisted_failure2(
        &mut self,
        source_file: Option<&'static str>,
        seed: PersistedSeed,
        shrunken_value: &dyn fmt::Debug,
    ) {
        self.saved.store(true, Ordering::SeqCst);
        self.file
            .save_persisted_failure2(source_file, seed, shrunken_value);
    }

    fn box_clone(&self) -> Box<dyn FailurePersistence> {
        Box::new(self.clone())
    }

    fn eq(&self, other: &dyn FailurePersistence) -> bool {
        other
            .as_any()
            .downcast_ref::<Regressions>()
            .is_some_and(|o| o.file == self.file)
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// Runs `property` against `adapter`: saved regressions first, then `config.cases()`
/// new cases from the seed; a failure is shrunk and returned decoded.
pub fn check(
    adapter: &Arc<dyn Adapter>,
    property: Property,
    config: &PropertyConfig,
) -> PropertyRun {
    let info = adapter.info();
    let cases = config.cases();
    let seed = config.seed_for(property);
    let keep = config
        .regressions_dir
        .as_ref()
        .filter(|_| std::env::var_os("PROPTEST_DISABLE_FAILURE_PERSISTENCE").is_none())
        .map(|dir| dir.join(format!("{}.txt", property.name())));
    let saved = Arc::new(AtomicBool::new(false));
    let persistence = keep.as_ref().map(|path| {
        // proptest names regression files with a `&'static str`; one small string per
        // property run is leaked for it.
        let path: &'static str = Box::leak(path.display().to_string().into_boxed_str());
        Regressions {
            file: FileFailurePersistence::Direct(path),
            saved: Arc::clone(&saved),
        }
    });
    let replayed = persistence
        .as_ref()
        .map_or(0, |p| p.load_persisted_failures2(None).len());
    let mut run = PropertyRun {
        property,
        cases,
        seed,
        regressions: keep,
        replayed,
        tally: Tally::default(),
        finding: Finding::Held,
    };
    if info.algorithms.is_empty() {
        run.finding = Finding::Skipped("the adapter supports no algorithm".into());
        return run;
    }
    if cases == 0 {
        run.finding = Finding::Skipped("0 generated cases requested".into());
        return run;
    }
    let mut proptest = Config {
        cases,
        rng_seed: RngSeed::Fixed(seed),
        failure_persistence: persistence.map(|p| Box::new(p) as Box<dyn FailurePersistence>),
        source_file: None,
        ..Config::default()
    };
    if std::env::var_os("PROPTEST_MAX_SHRINK_ITERS").is_none() {
        proptest.max_shrink_iters = SHRINK_ITERS;
    }
    if std::env::var_os("PROPTEST_MAX_SHRINK_TIME").is_none() {
        proptest.max_shrink_time = SHRINK_MILLIS;
    }
    let ctx = Ctx {
        property,
        requests: std::cell::Cell::new(0),
        adapter: Arc::clone(adapter),
        info,
        timeout: config.timeout,
        scoring: config.scoring,
        tally: RefCell::new(Tally::default()),
        last: RefCell::new(None),
    };
    let mut runner = TestRunner::new(proptest);
    let result = match property {
        Property::NoForgery => no_forgery::run(&ctx, &mut runner),
        Property::Completeness => completeness::run(&ctx, &mut runner),
        Property::TimeWindow => time_window::run(&ctx, &mut runner),
        Property::AudienceIssuer => audience_issuer::run(&ctx, &mut runner),
        Property::Robustness => robustness::run(&ctx, &mut runner),
        Property::MutationClosure => mutation_closure::run(&ctx, &mut runner),
    };
    run.tally = ctx.tally.borrow().clone();
    run.finding = match result {
        Ok(()) if run.tally.exercised == 0 => Finding::Skipped(format!(
            "the adapter could express none of the generated policies: {}",
            run.tally
                .unsupported_why
                .as_deref()
                .unwrap_or("no reason given")
        )),
        Ok(()) => Finding::Held,
        Err(Stop::Fail(reason)) | Err(Stop::Abort(reason)) => {
            Finding::Falsified(Box::new(Counterexample {
                failure: ctx.last.borrow_mut().take(),
                reason,
                replayed: run.regressions.is_some() && !saved.load(Ordering::SeqCst),
            }))
        }
    };
    run
}

//! The `cargo test` entry: one libtest trial per case, filterable by id.
//!
//! The whole of an adapter crate's `tests/conformance.rs` (with `harness = false` for
//! that test in Cargo.toml): the crate's `expected-failures.toml` and
//! `proptest-regressions/` are found next to its Cargo.toml.
//!
//! ```no_run
//! # use jwt_conformance::{Adapter, AdapterInfo, Policy, Verdict, Verifier};
//! # struct MyAdapter;
//! # impl Adapter for MyAdapter {
//! #     fn info(&self) -> AdapterInfo { unimplemented!() }
//! #     fn prepare(&self, _: &Policy) -> Result<Box<dyn Verifier>, Verdict> { unimplemented!() }
//! # }
//! jwt_conformance::main!(MyAdapter);
//! ```
//!
//! The same, spelled out, for a harness with other settings (`.strict()`, a timeout):
//!
//! ```no_run
//! # use jwt_conformance::{Adapter, AdapterInfo, Policy, Verdict, Verifier};
//! # struct MyAdapter;
//! # impl Adapter for MyAdapter {
//! #     fn info(&self) -> AdapterInfo { unimplemented!() }
//! #     fn prepare(&self, _: &Policy) -> Result<Box<dyn Verifier>, Verdict> { unimplemented!() }
//! # }
//! // tests/conformance.rs, with `harness = false` for this test in Cargo.toml
//! fn main() {
//!     jwt_conformance::Harness::new(MyAdapter)
//!         .manifest_file(concat!(env!("CARGO_MANIFEST_DIR"), "/expected-failures.toml"))
//!         .regressions_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/proptest-regressions"))
//!         .run()
//! }
//! ```

use crate::adapter::Adapter;
use crate::case::{Case, Scoring};
use crate::manifest::{Manifest, ManifestError};
use crate::outcome::describe_expected;
use crate::policy::Profile;
use crate::properties::PropertyConfig;
use crate::runner::DEFAULT_TIMEOUT;
use crate::suite::Suite;
use libtest_mimic::{Arguments, Failed, Trial};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// Builds the trials for one adapter and runs them under libtest's command line.
pub struct Harness {
    adapter: Arc<dyn Adapter>,
    manifest: Result<Manifest, ManifestError>,
    timeout: Duration,
    properties: PropertyConfig,
    scoring: Scoring,
    profile: Option<Profile>,
}

impl Harness {
    /// A harness for `adapter`, with an empty manifest.
    pub fn new(adapter: impl Adapter + 'static) -> Harness {
        Harness {
            adapter: Arc::new(adapter),
            manifest: Ok(Manifest::empty()),
            timeout: DEFAULT_TIMEOUT,
            properties: PropertyConfig::default(),
            scoring: Scoring::Default,
            profile: None,
        }
    }

    /// Runs only the cases of `profile`'s preset (its class and the `explicit-typing`
    /// cases offered to it), without the properties: for a verifier configured as a
    /// resource server, a Relying Party or an authorization server, whose adapter answers
    /// `unsupported` to bare policies.
    pub fn profile(mut self, profile: Profile) -> Harness {
        self.profile = Some(profile);
        self
    }

    /// Scores the `strict` level too: SHOULDs, MAY-rejects and hardening become failures
    /// (they are information otherwise).
    pub fn strict(mut self) -> Harness {
        self.scoring = Scoring::Strict;
        self
    }

    /// The properties' seed (default: derived from each property's id and the tool
    /// version, or `PROPTEST_RNG_SEED`).
    pub fn seed(mut self, seed: crate::properties::SeedChoice) -> Harness {
        self.properties.seed = seed;
        self
    }

    /// Keeps proptest regression files in `dir` (one per property); their saved
    /// counterexamples replay before any new case.
    pub fn regressions_dir(mut self, dir: impl Into<PathBuf>) -> Harness {
        self.properties.regressions_dir = Some(dir.into());
        self
    }

    /// Generated cases per property (default: `PROPTEST_CASES`, else
    /// [`DEFAULT_CASES`](crate::properties::DEFAULT_CASES)).
    pub fn proptest_cases(mut self, cases: u32) -> Harness {
        self.properties.cases = Some(cases);
        self
    }

    /// Reads the expected-failures manifest; a missing file means no expected failures.
    pub fn manifest_file(mut self, path: impl AsRef<Path>) -> Harness {
        let path = path.as_ref();
        self.manifest = if path.exists() {
            Manifest::load(path)
        } else {
            Ok(Manifest::empty())
        };
        self
    }

    /// Uses manifest text directly; `source` names it in errors.
    pub fn manifest_text(mut self, source: &str, text: &str) -> Harness {
        self.manifest = Manifest::parse(source, text);
        self
    }

    /// The per-case time limit.
    pub fn timeout(mut self, timeout: Duration) -> Harness {
        self.timeout = timeout;
        self
    }

    /// One trial per case and per property, plus one that checks the manifest.
    pub fn trials(self) -> Vec<Trial> {
        let (manifest, manifest_error) = match self.manifest {
            Ok(m) => (m, None),
            Err(e) => (Manifest::empty(), Some(e)),
        };
        let suite = Arc::new(
            Suite::new(self.adapter)
                .manifest(manifest)
                .timeout(self.timeout)
                .scoring(self.scoring)
                .profile(self.profile)
                .properties(self.properties),
        );
        let manifest_check = suite.check_manifest().err();
        let problem = manifest_error.or(manifest_check);
        let mut trials = vec![Trial::test(
            "manifest/expected-failures",
            move || match &problem {
                Some(e) => Err(Failed::from(e.to_string())),
                None => Ok(()),
            },
        )];
        let (info, _ctx, cases) = suite.cases();
        let info = Arc::new(info);
        for case in cases {
            let skip = case.skip_reason(&info);
            let suite = Arc::clone(&suite);
            let info = Arc::clone(&info);
            let name = case.id.clone();
            let class = case.class().to_string();
            let trial = Trial::test(name, move || {
                let scored = suite.run_case(&info, &case);
                if scored.outcome.is_unexpected() {
                    Err(Failed::from(explain_failure(&case, &scored.detail)))
                } else {
                    Ok(())
                }
            })
            .with_kind(class)
            .with_ignored_flag(skip.is_some());
            trials.push(trial);
        }
        for property in suite.selected_properties() {
            let suite = Arc::clone(&suite);
            let trial = Trial::test(property.id(), move || {
                let result = suite.run_property(property);
                if result.outcome.is_unexpected() {
                    Err(Failed::from(format!(
                        "{}\n  requirement: {}\n  {}",
                        result.title,
                        property.requirement(),
                        result.detail.trim_end()
                    )))
                } else {
                    Ok(())
                }
            })
            .with_kind("property");
            trials.push(trial);
        }
        trials
    }

    /// Runs the trials under libtest's command line and exits.
    pub fn run(self) -> ! {
        let args = Arguments::from_args();
        libtest_mimic::run(&args, self.trials()).exit()
    }
}

/// The failure message: expected, got, why it matters, references, where the case is
/// defined.
pub fn explain_failure(case: &Case, detail: &str) -> String {
    format!(
        "{}\n  expected: {}\n  got:      {}\n  sent:     {}\n  why:      {}\n  level:    {} ({})\n  severity: {}\n  refs:     {}\n  defined:  {}\n  explain:  jwt-conformance explain {}",
        case.title,
        describe_expected(&case.expected),
        detail,
        case.description,
        case.requirement,
        case.level,
        case.basis,
        case.severity,
        case.refs.join(", "),
        case.defined_at,
        case.id
    )
}

/// The `main` of an adapter crate's `tests/conformance.rs`: runs the catalogue and the
/// properties against the adapter, one libtest trial each, with the crate's
/// `expected-failures.toml` and `proptest-regressions/` (both optional) found next to
/// its Cargo.toml.
#[macro_export]
macro_rules! main {
    ($adapter:expr) => {
        fn main() {
            $crate::Harness::new($adapter)
                .manifest_file(concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/expected-failures.toml"
                ))
                .regressions_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/proptest-regressions"))
                .run()
        }
    };
}

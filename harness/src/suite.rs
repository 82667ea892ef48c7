//! A whole run: build the cases for an adapter, observe and score each, and collect a
//! report.

use crate::adapter::{Adapter, AdapterInfo};
use crate::canary::Canary;
use crate::case::{Case, Control, Scoring};
use crate::catalogue;
use crate::context::{Context, NOMINAL_CANARY};
use crate::cves;
use crate::forge;
use crate::issuer::{Issuer, Limits};
use crate::manifest::{Manifest, ManifestError};
use crate::outcome::{score, score_scenario, Observed, Scored, VerdictLabel};
use crate::parallel;
use crate::policy::Profile;
use crate::profiles;
use crate::properties::{self, Property, PropertyConfig};
use crate::report::{CaseResult, Report};
use crate::runner::{observe_token, observe_token_measured, Observation, DEFAULT_TIMEOUT};
use crate::scenario::{self, Scenario, ScenarioRun};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::Duration;

/// Runs the catalogue against one adapter.
pub struct Suite {
    adapter: Arc<dyn Adapter>,
    manifest: Manifest,
    timeout: Duration,
    filter: Option<String>,
    /// Only the cases of this profile's preset, when set.
    profile: Option<Profile>,
    /// Started on first use, once per suite; the error says why it could not start.
    canary: OnceLock<Result<Canary, String>>,
    /// How the properties run (their timeout is the suite's).
    properties: PropertyConfig,
    /// Which levels are scored.
    scoring: Scoring,
    /// Started on first use, once per suite: the issuer of the scenario cases' key sets.
    issuer: OnceLock<Result<Arc<Issuer>, String>>,
    /// The catalogue, built once per suite.
    built: OnceLock<Built>,
    /// What the adapter did with each distinct positive control, observed once each
    /// however many cases share it.
    controls: Mutex<HashMap<ControlKey, Arc<OnceLock<Observation>>>>,
}

/// The catalogue as built for one adapter.
struct Built {
    info: AdapterInfo,
    ctx: Context,
    /// The classes built: those the filter can select.
    classes: Vec<&'static str>,
    /// Every case of those classes, in catalogue order, before the filter.
    cases: Vec<Case>,
}

/// A control's identity: its policy (as protocol JSON) and its token.
type ControlKey = (String, String);

impl Suite {
    /// A suite for `adapter` with an empty manifest and the default time limit.
    pub fn new(adapter: Arc<dyn Adapter>) -> Suite {
        Suite {
            adapter,
            manifest: Manifest::empty(),
            timeout: DEFAULT_TIMEOUT,
            filter: None,
            profile: None,
            canary: OnceLock::new(),
            properties: PropertyConfig::default(),
            scoring: Scoring::Default,
            issuer: OnceLock::new(),
            built: OnceLock::new(),
            controls: Mutex::new(HashMap::new()),
        }
    }

    /// Which levels are scored: `rfc` and `bcp` by default, every level when strict.
    pub fn scoring(mut self, scoring: Scoring) -> Suite {
        self.scoring = scoring;
        self
    }

    /// The levels this suite scores.
    pub fn scored_levels(&self) -> Scoring {
        self.scoring
    }

    /// Case counts, seed and regression files for the properties.
    pub fn properties(mut self, config: PropertyConfig) -> Suite {
        self.properties = config;
        self
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

    /// Runs only the cases and properties `pattern` selects: those whose id contains it,
    /// those with a reference containing it (ASCII case ignored, so `CVE-2022-21449` or
    /// `RFC7515#section-4.1.11`), and, when it is exactly the id or an alias of an advisory
    /// of the register ([`crate::cves`]), the cases the register maps to that advisory.
    pub fn filter(mut self, pattern: Option<String>) -> Suite {
        self.filter = pattern;
        self
    }

    /// Runs only the cases of `profile`: those whose policy is the profile's preset (its
    /// own class and the `explicit-typing` cases offered to it), and no properties, which
    /// check bare JWTs. Combines with [`Suite::filter`]: a case must pass both.
    pub fn profile(mut self, profile: Option<Profile>) -> Suite {
        self.profile = profile;
        self
    }

    /// The loopback canary that `jku`/`x5u` cases point at.
    fn canary(&self) -> Result<&Canary, &str> {
        self.canary
            .get_or_init(|| {
                Canary::start(catalogue::header_key_injection::canary_document)
                    .map_err(|e| format!("cannot listen on 127.0.0.1: {e}"))
            })
            .as_ref()
            .map_err(String::as_str)
    }

    /// The loopback issuer that scenario cases serve their remote key sets from.
    fn issuer(&self) -> Result<&Arc<Issuer>, &str> {
        self.issuer
            .get_or_init(|| {
                // Floods from a verifier that refetches on every unknown kid are kept in
                // the log, so the request checks count them all.
                let limits = Limits {
                    logged: 100_000,
                    ..Limits::default()
                };
                Issuer::start_with(limits)
                    .map(Arc::new)
                    .map_err(|e| format!("cannot listen on 127.0.0.1: {e}"))
            })
            .as_ref()
            .map_err(String::as_str)
    }

    /// The catalogue for this adapter, built on first use: every case of the classes
    /// the filter can select (a filter naming a class builds only that class).
    fn built(&self) -> &Built {
        self.built.get_or_init(|| {
            let info = self.adapter.info();
            let canary = self.canary().map_or(NOMINAL_CANARY, Canary::base_url);
            let issuer = self.issuer().map_or(NOMINAL_CANARY, |i| i.base_url());
            let ctx = Context::for_adapter(&info)
                .with_canary(canary)
                .with_issuer(issuer);
            let classes: Vec<&'static str> = catalogue::CLASSES
                .iter()
                .filter(|c| catalogue::class_may_match(c.name, self.filter.as_deref()))
                .filter(|c| self.profile.is_none() || profiles::CLASSES.contains(&c.name))
                .map(|c| c.name)
                .collect();
            let selected: Vec<&catalogue::Class> = catalogue::CLASSES
                .iter()
                .filter(|c| classes.contains(&c.name))
                .collect();
            let cases = catalogue::build(&ctx, &selected);
            Built {
                info,
                ctx,
                classes,
                cases,
            }
        })
    }

    /// Whether the filter and the profile select `case`.
    fn selects(&self, case: &Case) -> bool {
        self.selects_id(&case.id, &case.refs)
            && self.profile.is_none_or(|p| case.policy.profile == Some(p))
    }

    /// Whether the filter selects the case or property `id` with these references.
    fn selects_id(&self, id: &str, refs: &[String]) -> bool {
        let Some(pattern) = self.filter.as_deref() else {
            return true;
        };
        if id.contains(pattern) {
            return true;
        }
        let lower = pattern.to_ascii_lowercase();
        if refs.iter().any(|r| r.to_ascii_lowercase().contains(&lower)) {
            return true;
        }
        // An advisory named by any of its ids: the cases the register maps to it, and
        // those citing it under another of its ids.
        cves::named_by_filter(pattern)
            .is_some_and(|a| a.cases.iter().any(|c| c == id) || refs.iter().any(|r| a.is_named(r)))
    }

    /// The cases for this adapter, after the filter, with the context they were built in.
    pub fn cases(&self) -> (AdapterInfo, Context, Vec<Case>) {
        let built = self.built();
        let cases = built
            .cases
            .iter()
            .filter(|c| self.selects(c))
            .cloned()
            .collect();
        (built.info.clone(), built.ctx.clone(), cases)
    }

    /// Checks that every manifest entry names a known case or property. Entries of
    /// classes a filter left unbuilt are not checked by this run (a full run checks
    /// them); an entry of no class at all always fails.
    pub fn check_manifest(&self) -> Result<(), ManifestError> {
        let built = self.built();
        let class_known = |id: &str| {
            let class = id.split('/').next().unwrap_or_default();
            class == "property" || catalogue::CLASSES.iter().any(|c| c.name == class)
        };
        let unbuilt = |id: &&str| {
            let class = id.split('/').next().unwrap_or_default();
            class_known(id) && class != "property" && !built.classes.contains(&class)
        };
        let mut ids: Vec<&str> = built.cases.iter().map(|c| c.id.as_str()).collect();
        for id in properties::ids() {
            ids.push(id);
        }
        ids.extend(self.manifest.ids().filter(unbuilt));
        self.manifest.check_ids(ids)
    }

    /// The properties whose id matches the filter; none in a profile's run.
    pub fn selected_properties(&self) -> Vec<Property> {
        if self.profile.is_some() {
            return Vec::new();
        }
        Property::ALL
            .into_iter()
            .filter(|p| {
                let refs: Vec<String> = p.refs().iter().map(|r| r.to_string()).collect();
                self.selects_id(p.id(), &refs)
            })
            .collect()
    }

    /// Runs and scores one property.
    pub fn run_property(&self, property: Property) -> CaseResult {
        let config = PropertyConfig {
            timeout: self.timeout,
            scoring: self.scoring,
            ..self.properties.clone()
        };
        let run = properties::check(&self.adapter, property, &config);
        let scored = properties::score(&run, self.manifest.reason(property.id()));
        properties::case_result(&run, scored)
    }

    /// What the adapter does with `case`'s positive control, observed on first use and
    /// shared by every case with the same control.
    fn control(&self, case: &Case, control: &Control) -> Observation {
        let key = (control.policy.to_json().to_string(), control.token.clone());
        let cell = {
            let mut controls = self.controls.lock().unwrap_or_else(PoisonError::into_inner);
            Arc::clone(controls.entry(key).or_default())
        };
        cell.get_or_init(|| {
            observe_token(
                &self.adapter,
                &format!("control/{}", case.id),
                &control.policy,
                &control.token,
                self.timeout,
            )
        })
        .clone()
    }

    /// Observes and scores one case. A case whose token points at the canary fails if
    /// the verifier fetched anything under the case's own path, `/<case id>/`. A
    /// rejection counts as a pass only if the adapter accepts the case's positive
    /// control.
    pub fn run_case(&self, info: &AdapterInfo, case: &Case) -> Scored {
        if let Some(scenario) = &case.scenario {
            return self.run_scenario(info, case, scenario);
        }
        let canary = self.canary();
        let skip = case.skip_reason(info).or_else(|| {
            let why = canary.err()?;
            points_at(case, NOMINAL_CANARY)
                .then(|| format!("needs the loopback canary, which did not start: {why}"))
        });
        let (observation, memory) = match skip {
            Some(why) => (Observation::Skipped(why), None),
            None => observe_token_measured(
                &self.adapter,
                &case.id,
                &case.policy,
                &case.token,
                self.timeout,
            ),
        };
        let fetched = canary
            .map(|c| c.fetched_under(&format!("/{}/", case.id)))
            .unwrap_or_default();
        let rejected = matches!(
            observation,
            Observation::Refused { .. } | Observation::Verdict(crate::Verdict::Rejected { .. })
        );
        let control = match &case.control {
            Some(control) if rejected => Some(self.control(case, control)),
            _ => None,
        };
        let observed = Observed {
            token: &observation,
            control: control.as_ref(),
            fetched: &fetched,
            memory,
        };
        score(case, observed, self.scoring, self.manifest.reason(&case.id))
    }

    /// Runs and scores a scenario case against one verifier prepared for its policy.
    fn run_scenario(&self, info: &AdapterInfo, case: &Case, scenario: &Scenario) -> Scored {
        let listed = self.manifest.reason(&case.id);
        let skip = case.skip_reason(info).or_else(|| {
            self.issuer()
                .err()
                .map(|why| format!("needs the loopback issuer, which did not start: {why}"))
        });
        let run = match (skip, self.issuer()) {
            (None, Ok(issuer)) => scenario::run(
                &self.adapter,
                &case.id,
                &case.policy,
                scenario,
                issuer,
                self.timeout,
            ),
            (why, _) => ScenarioRun {
                results: Vec::new(),
                stopped: Some(Observation::Skipped(why.unwrap_or_default())),
            },
        };
        let mut scored = score_scenario(case, scenario, &run, self.scoring, listed);
        // The issuer's port changes from run to run; reports of two runs stay the same.
        if let Ok(issuer) = self.issuer() {
            let texts = [&mut scored.reason, &mut scored.detail];
            for text in texts.into_iter().chain(scored.warning.as_mut()) {
                *text = text.replace(issuer.base_url(), "http://127.0.0.1:PORT");
            }
        }
        scored
    }

    /// One line per catalogue case, sorted: `id outcome verdict`, the verdict of a
    /// rejection with its reason. Adapter crates snapshot it (with `insta`) so that a
    /// library upgrade that changes behaviour shows up as a diff to review. Properties
    /// are random searches and stay out.
    pub fn verdict_summary(&self) -> Result<String, ManifestError> {
        self.check_manifest()?;
        let built = self.built();
        let info = &built.info;
        let mut lines: Vec<String> = built
            .cases
            .iter()
            .filter(|c| self.selects(c))
            .map(|case| {
                let scored = self.run_case(info, case);
                let verdict = match scored.verdict {
                    VerdictLabel::Rejected => format!("rejected ({})", scored.reason),
                    other => other.as_str().to_string(),
                };
                format!("{} {} {verdict}", case.id, scored.outcome.as_str())
            })
            .collect();
        lines.sort();
        Ok(lines.join("\n"))
    }

    /// Runs every case; fails only on an unusable manifest.
    ///
    /// Cases and properties run side by side on as many threads as there are cores
    /// when the adapter allows it ([`Adapter::concurrent`]); the properties, which need
    /// no catalogue, start while it is being built. The report keeps the catalogue's
    /// order either way.
    pub fn run(&self) -> Result<Report, ManifestError> {
        let properties = self.selected_properties();
        let property = |i: usize| self.run_property(properties[i]);
        if !self.adapter.concurrent() {
            // One request at a time: the manifest is checked before anything is sent.
            self.check_manifest()?;
            let (info, cases) = self.selected_cases();
            let mut results = parallel::in_order(cases.len(), 1, |i| {
                CaseResult::new(cases[i], self.run_case(info, cases[i]))
            });
            results.extend(parallel::in_order(properties.len(), 1, property));
            return Ok(Report::new(info, self.scoring, results));
        }
        let threads = parallel::threads();
        let (cases, property_results) = std::thread::scope(|s| {
            let running = s.spawn(|| parallel::in_order(properties.len(), threads, property));
            // On an unusable manifest the properties still finish before the error is
            // returned: they cannot be stopped half-way, and take under a second.
            let cases = self.check_manifest().map(|()| {
                let (info, cases) = self.selected_cases();
                parallel::in_order(cases.len(), threads, |i| {
                    CaseResult::new(cases[i], self.run_case(info, cases[i]))
                })
            });
            let property_results = running
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p));
            (cases, property_results)
        });
        let mut results = cases?;
        results.extend(property_results);
        Ok(Report::new(&self.built().info, self.scoring, results))
    }

    /// The adapter's description and the cases the filter and profile select, in
    /// catalogue order.
    fn selected_cases(&self) -> (&AdapterInfo, Vec<&Case>) {
        let built = self.built();
        let cases = built.cases.iter().filter(|c| self.selects(c)).collect();
        (&built.info, cases)
    }
}

/// Whether the case's header mentions a URL under `base`.
fn points_at(case: &Case, base: &str) -> bool {
    let needle = format!("{base}/");
    forge::decode(&case.token)
        .header
        .is_ok_and(|h| h.windows(needle.len()).any(|w| w == needle.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adapter::{Clock, Verifier};
    use crate::alg::Alg;
    use crate::outcome::Outcome;
    use crate::policy::Policy;
    use crate::verdict::{RejectKind, Verdict};
    use std::io::{Read, Write};
    use std::net::TcpStream;

    /// Fetches a token's `jku` or `x5u` when `fetch` is set, then accepts exactly the
    /// tokens one of the policy's keys signed with the header's `alg`.
    struct Fetcher {
        fetch: bool,
    }

    struct FetchingVerifier {
        fetch: bool,
        policy: Policy,
    }

    impl Adapter for Fetcher {
        fn info(&self) -> AdapterInfo {
            AdapterInfo {
                name: "fetcher".into(),
                version: "0".into(),
                algorithms: Alg::ALL.to_vec(),
                clock: Clock::Injectable,
                remote_jwks: false,
            }
        }
        fn prepare(&self, policy: &Policy) -> Result<Box<dyn Verifier>, Verdict> {
            Ok(Box::new(FetchingVerifier {
                fetch: self.fetch,
                policy: policy.clone(),
            }))
        }
    }

    impl Verifier for FetchingVerifier {
        fn verify(&self, token: &str) -> Verdict {
            let header: serde_json::Value = forge::decode(token)
                .header
                .ok()
                .and_then(|h| serde_json::from_slice(&h).ok())
                .unwrap_or_default();
            let url = header["jku"].as_str().or(header["x5u"].as_str());
            if let (true, Some(url)) = (self.fetch, url) {
                get(url);
            }
            let alg = header["alg"].as_str().and_then(|a| a.parse::<Alg>().ok());
            let (input, signature) = token.rsplit_once('.').unwrap_or_default();
            let signature = crate::b64::decode(signature).unwrap_or_default();
            let signed = alg.is_some_and(|alg| {
                self.policy
                    .keys
                    .keys
                    .iter()
                    .any(|key| forge::verify(alg, key, input.as_bytes(), &signature))
            });
            if signed {
                return Verdict::Accepted {
                    claims: crate::outcome::signed_claims(token).unwrap_or_default(),
                };
            }
            Verdict::rejected(RejectKind::Signature, "untrusted key")
        }
    }

    /// A plain blocking HTTP GET of an `http://host:port/path` URL.
    fn get(url: &str) {
        let rest = url.strip_prefix("http://").expect("http URL");
        let (host, path) = rest.split_at(rest.find('/').expect("URL has a path"));
        let mut stream = TcpStream::connect(host).expect("canary reachable");
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    }

    fn run(fetch: bool) -> Report {
        Suite::new(Arc::new(Fetcher { fetch }))
            .filter(Some("header-key-injection/".into()))
            .run()
            .unwrap()
    }

    /// The ids a filter selects, cases then properties.
    fn selected(filter: &str) -> Vec<String> {
        let suite = Suite::new(Arc::new(Fetcher { fetch: false })).filter(Some(filter.into()));
        let (_, _, cases) = suite.cases();
        cases
            .into_iter()
            .map(|c| c.id)
            .chain(
                suite
                    .selected_properties()
                    .iter()
                    .map(|p| p.id().to_string()),
            )
            .collect()
    }

    #[test]
    fn an_advisory_id_selects_the_cases_citing_it_and_those_the_register_maps() {
        let ids = selected("CVE-2024-53861");
        // Cited in the references of these...
        assert!(ids.contains(&"issuer/prefix".to_string()), "{ids:?}");
        assert!(ids.contains(&"issuer/array-with-expected".to_string()));
        // ...and mapped by the register only to this one.
        assert!(ids.contains(&"issuer/empty".to_string()), "{ids:?}");
        assert!(ids.iter().all(|id| id.starts_with("issuer/")), "{ids:?}");
        // Any case, and any of the advisory's ids, selects the same.
        assert_eq!(selected("cve-2024-53861"), ids);
        assert_eq!(selected("GHSA-75c5-xw7c-p5pm"), ids);
    }

    #[test]
    fn an_advisory_mapped_to_a_property_selects_it_and_references_match_too() {
        assert!(selected("CVE-2025-53864").contains(&"property/robustness".to_string()));
        let crit = selected("rfc7515#section-4.1.11");
        assert!(crit.iter().any(|id| id.starts_with("crit/")), "{crit:?}");
        // A pattern that names nothing selects nothing.
        assert!(selected("CVE-1999-0001").is_empty());
    }

    #[test]
    fn a_verifier_that_fetches_jku_fails_even_though_it_rejects() {
        let report = run(true);
        let jku = report
            .results
            .iter()
            .find(|r| r.id == "header-key-injection/jku-es256")
            .unwrap();
        assert_eq!(jku.outcome, Outcome::Fail);
        assert!(
            jku.detail.starts_with("fetched http://127.0.0.1:")
                && jku.detail.contains(
                    "/header-key-injection/jku-es256/jwks.json: the verifier dereferenced"
                ),
            "{}",
            jku.detail
        );
        // Every case carrying a URL string fails on its own fetch; the inline carriers,
        // and URLs in odd shapes this verifier never reads, still pass.
        for r in &report.results {
            let odd_shape = ["-in-array", "-in-object", "-number", "-boolean"]
                .iter()
                .any(|shape| r.id.contains(shape));
            let by_url = (r.id.contains("/jku-") || r.id.contains("/x5u-")) && !odd_shape;
            let expected = if by_url { Outcome::Fail } else { Outcome::Pass };
            assert_eq!(r.outcome, expected, "{}: {}", r.id, r.detail);
        }
    }

    #[test]
    fn a_verifier_that_does_not_fetch_passes_and_a_listed_fetch_is_expected() {
        assert!(run(false)
            .results
            .iter()
            .all(|r| r.outcome == Outcome::Pass));

        let manifest = Manifest::parse(
            "m.toml",
            "\"header-key-injection/x5u-es256\" = \"fetches x5u\"",
        )
        .unwrap();
        let report = Suite::new(Arc::new(Fetcher { fetch: true }))
            .manifest(manifest)
            .filter(Some("header-key-injection/x5u-es256".into()))
            .run()
            .unwrap();
        assert_eq!(report.results[0].outcome, Outcome::ExpectedFailure);
    }
}

//! The catalogue against its two oracles, the strict and the lenient reference
//! verifiers: the permanent guard against missed attacks and against false alarms.
//!
//! - Every case has a level and a basis among its refs, of the right kind for the level.
//! - Every reject and either case has a positive control, which both references accept.
//! - The strict reference passes every case at every level, rejecting each reject case
//!   for exactly the kind it expects (a warning is an offence here); with the injected
//!   clock, where every time is exact, it finds exactly one defect in each reject
//!   case's token (its checks run past the first failure wherever a later check does
//!   not depend on it). Together these prove that each attack token differs from a
//!   valid token in the one defect it names.
//! - The lenient reference, which takes every choice the RFCs leave open the other way,
//!   passes every case in a default run; in a strict run it may fail `strict` cases
//!   only. A case it fails by default expects more than the RFCs demand.

use jwt_conformance::case::{Case, Expected, Level, Scoring};
use jwt_conformance::outcome::{describe_expected, signed_claims, Outcome};
use jwt_conformance::runner::{observe_token, Observation, DEFAULT_TIMEOUT};
use jwt_conformance::{Adapter, AdapterInfo, Clock, Policy, Suite, Verdict, Verifier};
use jwt_conformance_reference::{Choice, ReferenceAdapter, ReferenceVerifier};
use std::sync::Arc;

/// A reference announced as reading the system clock: the suite then builds its cases
/// around the real time and leaves `Policy::now` unset, so the reference's fallback to
/// the system clock is what decides every time claim.
struct SystemClock(ReferenceAdapter);

impl Adapter for SystemClock {
    fn info(&self) -> AdapterInfo {
        AdapterInfo {
            clock: Clock::System,
            ..self.0.info()
        }
    }

    fn prepare(&self, policy: &Policy) -> Result<Box<dyn Verifier>, Verdict> {
        assert_eq!(
            policy.now, None,
            "a system-clock run must not inject a time"
        );
        self.0.prepare(policy)
    }
}

/// What happened across the catalogue.
#[derive(Default)]
struct Run {
    checked: usize,
    controls: usize,
    skipped: Vec<String>,
    offences: Vec<String>,
}

/// The documents whose MUSTs are `rfc` level: the JOSE/JWT RFCs (RFC 8259 for the JSON
/// itself) and, for the cases of a profile, the profile's own: RFC 9068 (access tokens),
/// OpenID Connect Core 1.0 (ID tokens, client authentication), RFC 7523 and its update
/// on audiences (client assertions, when the policy selects that rule).
const RFC_LEVEL: [&str; 12] = [
    "RFC7515",
    "RFC7516",
    "RFC7517",
    "RFC7518",
    "RFC7519",
    "RFC7797",
    "RFC8037",
    "RFC8259",
    "RFC9068",
    "RFC7523",
    "OIDC-Core",
    "draft-ietf-oauth-rfc7523bis",
];

/// An offence if the case's level, basis or control is missing or of the wrong kind.
fn shape_offences(case: &Case) -> Vec<String> {
    let mut out = Vec::new();
    let doc = case.basis.split('#').next().unwrap_or_default();
    let fits = match case.level {
        Level::Rfc => RFC_LEVEL.contains(&doc),
        Level::Bcp => doc == "RFC8725",
        Level::Strict => !case.basis.is_empty(),
    };
    if !fits {
        out.push(format!(
            "{}: level {} needs a basis among {}, not {:?}",
            case.id,
            case.level,
            match case.level {
                Level::Rfc => RFC_LEVEL.join(", "),
                Level::Bcp => "RFC8725".to_string(),
                Level::Strict => "any reference".to_string(),
            },
            case.basis
        ));
    }
    if !case.refs.contains(&case.basis) {
        out.push(format!(
            "{}: the basis {} is not among its refs",
            case.id, case.basis
        ));
    }
    // A scenario case carries its own positive steps.
    let needs_control =
        !matches!(case.expected, Expected::Accept { .. }) && case.scenario.is_none();
    if needs_control && case.control.is_none() {
        out.push(format!(
            "{}: a {} case needs a positive control",
            case.id,
            case.expected.label()
        ));
    }
    if case.level == Level::Strict && matches!(case.expected, Expected::Either { .. }) {
        out.push(format!(
            "{}: a strict case must say which answer hardening wants, not either",
            case.id
        ));
    }
    let acceptable =
        case.level == Level::Strict || matches!(case.expected, Expected::Either { .. });
    if acceptable {
        let unresolvable = signed_claims(&case.token)
            .err()
            .filter(|why| !jwt_conformance::rules::json::beyond_representable(why));
        if let Some(why) = unresolvable {
            out.push(format!(
                "{}: an acceptance is permitted, but the payload has no resolved claims to check it against: {why}",
                case.id
            ));
        }
    }
    out
}

fn run(adapter: Arc<dyn Adapter>, choice: Choice, scoring: Scoring, one_defect: bool) -> Run {
    let suite = Suite::new(Arc::clone(&adapter)).scoring(scoring);
    let (info, _ctx, cases) = suite.cases();
    let mut run = Run::default();
    for case in cases {
        if choice == Choice::Strict {
            run.offences.extend(shape_offences(&case));
        }
        let scored = suite.run_case(&info, &case);
        if scored.outcome == Outcome::Skipped {
            run.skipped.push(format!("{}: {}", case.id, scored.reason));
            continue;
        }
        run.checked += 1;
        let acceptable = match (choice, scoring) {
            (Choice::Strict, _) => scored.outcome == Outcome::Pass && scored.warning.is_none(),
            (Choice::Lenient, Scoring::Default) => {
                matches!(scored.outcome, Outcome::Pass | Outcome::Informational)
            }
            (Choice::Lenient, Scoring::Strict) => {
                scored.outcome == Outcome::Pass || case.level == Level::Strict
            }
        };
        if !acceptable {
            run.offences.push(format!(
                "{} [{} {}]: {:?}\n    expected: {}\n    got:      {}{}\n    defined:  {}",
                case.id,
                case.level,
                case.basis,
                scored.outcome,
                describe_expected(&case.expected),
                scored.detail,
                scored
                    .warning
                    .map(|w| format!("\n    warning:  {w}"))
                    .unwrap_or_default(),
                case.defined_at
            ));
        }
        if one_defect && case.scenario.is_none() {
            run.offences.extend(defect_offence(&case));
        }
        if let Some(control) = case.control.as_ref().filter(|_| case.scenario.is_none()) {
            run.controls += 1;
            let observed = observe_token(
                &adapter,
                &case.id,
                &control.policy,
                &control.token,
                DEFAULT_TIMEOUT,
            );
            if !matches!(observed, Observation::Verdict(Verdict::Accepted { .. })) {
                run.offences.push(format!(
                    "{}: positive control not accepted\n    got:      {observed:?}",
                    case.id
                ));
            }
        }
    }
    run
}

/// An offence if the case's token does not have exactly the one defect it expects, or if
/// the first defect found is not the rejection the verifier gives.
fn defect_offence(case: &Case) -> Option<String> {
    let verifier = ReferenceVerifier::new(&case.policy, Choice::Strict);
    let defects = verifier.defects(&case.token);
    let first = verifier.check(&case.token).err();
    if defects.first() != first.as_ref() {
        return Some(format!(
            "{}: the first defect {:?} is not the rejection {first:?}",
            case.id,
            defects.first()
        ));
    }
    match &case.expected {
        Expected::Reject { kind } if defects.len() != 1 => Some(format!(
            "{}: the token has {} defects, not just the one it attacks\n    expected: reject ({kind})\n    found:    {}",
            case.id,
            defects.len(),
            defects
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n              ")
        )),
        _ => None,
    }
}

fn assert_clean(name: &str, run: &Run) {
    eprintln!(
        "{name}: {} cases checked, {} positive controls, {} skipped",
        run.checked,
        run.controls,
        run.skipped.len()
    );
    for offence in &run.offences {
        eprintln!("{offence}");
    }
    assert!(
        run.offences.is_empty(),
        "{name}: {} offence(s) in {} cases checked (listed above)",
        run.offences.len(),
        run.checked
    );
}

#[test]
fn the_strict_reference_passes_every_case_for_its_own_reason_with_an_injected_clock() {
    let run = run(
        Arc::new(ReferenceAdapter::STRICT),
        Choice::Strict,
        Scoring::Strict,
        true,
    );
    assert!(run.checked > 0, "the catalogue has no cases");
    assert!(
        run.skipped.is_empty(),
        "the reference supports every algorithm and an injectable clock, yet skipped: {:#?}",
        run.skipped
    );
    assert_clean("strict reference, injected clock", &run);
}

#[test]
fn the_strict_reference_passes_every_case_with_the_system_clock() {
    // Not the one-defect check: under the system clock the RFC vectors' own expired
    // variants are the only cases of their kind, and time has moved on since 2011.
    let run = run(
        Arc::new(SystemClock(ReferenceAdapter::STRICT)),
        Choice::Strict,
        Scoring::Strict,
        false,
    );
    assert!(run.checked > 0, "the catalogue has no cases");
    for skipped in &run.skipped {
        assert!(
            skipped.contains("injectable clock"),
            "only exact time boundaries may be skipped: {skipped}"
        );
    }
    assert_clean("strict reference, system clock", &run);
}

#[test]
fn the_lenient_reference_passes_every_case_in_a_default_run() {
    let run = run(
        Arc::new(ReferenceAdapter::LENIENT),
        Choice::Lenient,
        Scoring::Default,
        false,
    );
    assert_clean("lenient reference, default run", &run);
    let system = run_system(Scoring::Default);
    assert_clean("lenient reference, default run, system clock", &system);
}

#[test]
fn the_lenient_reference_fails_only_strict_cases_in_a_strict_run() {
    let run = run(
        Arc::new(ReferenceAdapter::LENIENT),
        Choice::Lenient,
        Scoring::Strict,
        false,
    );
    assert_clean("lenient reference, strict run", &run);
}

fn run_system(scoring: Scoring) -> Run {
    run(
        Arc::new(SystemClock(ReferenceAdapter::LENIENT)),
        Choice::Lenient,
        scoring,
        false,
    )
}

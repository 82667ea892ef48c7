//! The reference verifier against every case of the catalogue.
//!
//! Stricter than the scoring of an ordinary adapter: every case must pass, every reject
//! case must be rejected for exactly the kind it expects (a warning is a failure here),
//! every positive control must be accepted under its case's policy, and (with the
//! injected clock, where every time is exact) the reference must find exactly one defect
//! in each reject case's token (its checks run past the
//! first failure wherever a later check does not depend on it). Together these prove
//! that each attack token differs from a valid token in the one defect it names.

use jwt_conformance::case::{Case, Expected};
use jwt_conformance::outcome::{describe_expected, Outcome};
use jwt_conformance::runner::{observe, Observation, DEFAULT_TIMEOUT};
use jwt_conformance::{
    Adapter, AdapterInfo, Clock, Policy, PrepareError, Suite, Verdict, Verifier,
};
use jwt_conformance_reference::{ReferenceAdapter, ReferenceVerifier};
use std::sync::Arc;

/// The reference, announced as reading the system clock: the suite then builds its
/// cases around the real time and leaves `Policy::now` unset, so the reference's
/// fallback to the system clock is what decides every time claim.
struct SystemClock;

impl Adapter for SystemClock {
    fn info(&self) -> AdapterInfo {
        AdapterInfo {
            clock: Clock::System,
            ..ReferenceAdapter.info()
        }
    }

    fn prepare(&self, policy: &Policy) -> Result<Box<dyn Verifier>, PrepareError> {
        assert_eq!(
            policy.now, None,
            "a system-clock run must not inject a time"
        );
        ReferenceAdapter.prepare(policy)
    }
}

/// What happened across the catalogue.
struct Run {
    checked: usize,
    controls: usize,
    skipped: Vec<String>,
    offences: Vec<String>,
}

fn run(adapter: Arc<dyn Adapter>, one_defect: bool) -> Run {
    let suite = Suite::new(Arc::clone(&adapter));
    let (info, _ctx, cases) = suite.cases();
    let mut run = Run {
        checked: 0,
        controls: 0,
        skipped: Vec::new(),
        offences: Vec::new(),
    };
    for case in cases {
        let scored = suite.run_case(&info, &case);
        if scored.outcome == Outcome::Skipped {
            run.skipped.push(format!("{}: {}", case.id, scored.reason));
            continue;
        }
        run.checked += 1;
        if scored.outcome != Outcome::Pass {
            run.offences.push(format!(
                "{}: {:?}\n    expected: {}\n    got:      {}",
                case.id,
                scored.outcome,
                describe_expected(&case.expected),
                scored.detail
            ));
        } else if let Some(warning) = scored.warning {
            run.offences.push(format!(
                "{}: wrong reject kind\n    expected: {}\n    got:      {}\n    ({warning})",
                case.id,
                describe_expected(&case.expected),
                scored.detail
            ));
        }
        if one_defect {
            run.offences.extend(defect_offence(&case));
        }
        if let Some(control) = &case.control {
            run.controls += 1;
            let mut as_control = case.clone();
            as_control.token = control.token.clone();
            as_control.policy = control.policy.clone();
            match observe(&adapter, &as_control, DEFAULT_TIMEOUT) {
                Observation::Verdict(Verdict::Accepted { .. }) => {}
                other => run.offences.push(format!(
                    "{}: positive control not accepted\n    expected: accept\n    got:      {other:?}",
                    case.id
                )),
            }
        }
    }
    run
}

/// An offence if the case's token does not have exactly the one defect it expects, or if
/// the first defect found is not the rejection the verifier gives.
fn defect_offence(case: &Case) -> Option<String> {
    let verifier = ReferenceVerifier::new(&case.policy);
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
fn every_case_passes_for_its_own_reason_with_an_injected_clock() {
    let run = run(Arc::new(ReferenceAdapter), true);
    assert!(run.checked > 0, "the catalogue has no cases");
    assert!(
        run.skipped.is_empty(),
        "the reference supports every algorithm and an injectable clock, yet skipped: {:#?}",
        run.skipped
    );
    assert_clean("injected clock", &run);
}

#[test]
fn every_case_passes_for_its_own_reason_with_the_system_clock() {
    // Not the one-defect check: on the real clock the RFC's verbatim unsecured examples
    // (rfc7515/a.5-unsecured, rfc7519/6.1-unsecured) have also expired since 2011.
    let run = run(Arc::new(SystemClock), false);
    assert!(run.checked > 0, "the catalogue has no cases");
    for skipped in &run.skipped {
        assert!(
            skipped.contains("injectable clock"),
            "only exact time boundaries may be skipped: {skipped}"
        );
    }
    assert_clean("system clock", &run);
}

//! Proves the suite detects real bugs and scores honest verifiers honestly: the
//! references with one deliberate flaw each ([`jwt_conformance_reference::flawed`]) fail
//! the run on the class that names the flaw, a verifier that rejects everything earns
//! no confirmed pass, and a verifier that makes only choices the RFCs permit passes.

use jwt_conformance::case::{Expected, Scoring};
use jwt_conformance::{Alg, Outcome, Report, Suite};
use jwt_conformance_reference::flawed::{Flaw, FlawedAdapter};
use std::sync::Arc;

fn run(adapter: FlawedAdapter) -> Report {
    Suite::new(Arc::new(adapter))
        .properties(jwt_conformance::properties::PropertyConfig {
            cases: Some(0),
            ..Default::default()
        })
        .run()
        .expect("empty manifest")
}

/// The classes with failures.
fn failing_classes(report: &Report) -> Vec<String> {
    let mut classes: Vec<String> = report
        .results
        .iter()
        .filter(|r| r.outcome == Outcome::Fail)
        .map(|r| r.class.clone())
        .collect();
    classes.dedup();
    classes
}

fn assert_fails_on(flaw: Flaw, class: &str) {
    let report = run(FlawedAdapter::strict(flaw));
    assert!(report.failed(), "{flaw:?} passed the run");
    assert!(
        failing_classes(&report).contains(&class.to_string()),
        "{flaw:?} did not fail {class}: {:?}",
        failing_classes(&report)
    );
}

#[test]
fn accepting_none_fails_the_alg_none_class() {
    assert_fails_on(Flaw::AcceptsNone, "alg-none");
}

#[test]
fn hmac_with_the_public_key_fails_the_alg_confusion_class() {
    assert_fails_on(Flaw::HmacWithPublicPem, "alg-confusion");
}

#[test]
fn trusting_the_header_jwk_fails_the_header_key_injection_class() {
    assert_fails_on(Flaw::TrustsHeaderJwk, "header-key-injection");
}

#[test]
fn ignoring_the_audience_fails_the_audience_class() {
    assert_fails_on(Flaw::IgnoresAudience, "audience");
}

#[test]
fn ignoring_exp_fails_the_time_class() {
    assert_fails_on(Flaw::IgnoresExp, "time");
}

#[test]
fn reducing_ecdsa_scalars_fails_the_ecdsa_format_class_on_the_scalars_plus_the_order() {
    assert_fails_on(Flaw::ReducesEcdsaScalars, "ecdsa-format");
    let report = run(FlawedAdapter::strict(Flaw::ReducesEcdsaScalars));
    let mut failed: Vec<&str> = report
        .results
        .iter()
        .filter(|r| r.outcome == Outcome::Fail && r.class != "property")
        .map(|r| r.id.as_str())
        .filter(|id| id.starts_with("ecdsa-format/") || id.starts_with("psychic-signature/"))
        .collect();
    failed.sort_unstable();
    assert_eq!(
        failed,
        [
            "ecdsa-format/es512-r-plus-order",
            "ecdsa-format/es512-s-plus-order"
        ]
    );
}

#[test]
fn decrypting_jwes_fails_the_sign_encrypt_confusion_class() {
    assert_fails_on(Flaw::DecryptsJwe, "sign-encrypt-confusion");
}

#[test]
fn trusting_the_inner_claims_of_a_nested_jwt_fails_the_nested_jwt_class() {
    let report = run(FlawedAdapter::strict(Flaw::TrustsNestedClaims));
    assert_eq!(failing_classes(&report), vec!["nested-jwt".to_string()]);
    let failed = report
        .results
        .iter()
        .filter(|r| r.outcome == Outcome::Fail)
        .count();
    assert_eq!(
        failed, report.by_class["nested-jwt"].total,
        "every nested case"
    );
}

#[test]
fn inflating_without_a_limit_fails_the_jwe_limits_class_on_memory() {
    let report = run(FlawedAdapter::strict(Flaw::InflatesWithoutLimit));
    assert_eq!(failing_classes(&report), vec!["jwe-limits".to_string()]);
    let bomb = report
        .results
        .iter()
        .find(|r| r.id == "jwe-limits/zip-bomb-128mib")
        .unwrap();
    assert_eq!(bomb.outcome, Outcome::Fail, "{}", bomb.detail);
    assert_eq!(bomb.reason, "memory bound exceeded");
    assert!(bomb.rss_growth_kib.unwrap() >= 128 * 1024, "{:?}", bomb);
    // The 1 MB bomb inflates within the bound: a rejection, confirmed by its control.
    let small = report
        .results
        .iter()
        .find(|r| r.id == "jwe-limits/zip-bomb-1mb")
        .unwrap();
    assert_eq!(small.outcome, Outcome::Pass, "{}", small.detail);
    assert!(small.rss_growth_kib.unwrap() < 2 * 1024);
}

#[test]
fn a_verifier_that_rejects_everything_earns_no_confirmed_pass_and_fails_the_run() {
    let report = run(FlawedAdapter::strict(Flaw::RejectsEverything));
    assert!(report.failed());
    let confirmed: Vec<&str> = report
        .results
        .iter()
        .filter(|r| r.outcome == Outcome::Pass && r.expected != "accept" && r.class != "property")
        .map(|r| r.id.as_str())
        .collect();
    assert!(
        confirmed.is_empty(),
        "passes without a control: {confirmed:?}"
    );
    assert!(report.summary.unconfirmed > 300, "{:?}", report.summary);
    assert!(failing_classes(&report).contains(&"positive".to_string()));
}

#[test]
fn a_verifier_that_rejects_every_es256_token_confirms_no_es256_attack() {
    let report = run(FlawedAdapter::strict(Flaw::RejectsAlg(Alg::ES256)));
    let suite = Suite::new(Arc::new(FlawedAdapter::strict(Flaw::None)));
    let (_, _, cases) = suite.cases();
    let es256_attacks: Vec<&str> = cases
        .iter()
        .filter(|c| !matches!(c.expected, Expected::Accept { .. }))
        .filter(|c| {
            c.control_token()
                .is_some_and(|t| t.starts_with("eyJhbGciOiJFUzI1NiI"))
        })
        .map(|c| c.id.as_str())
        .collect();
    assert!(es256_attacks.len() > 5, "{es256_attacks:?}");
    for id in es256_attacks {
        let r = report.results.iter().find(|r| r.id == id).unwrap();
        assert_eq!(r.outcome, Outcome::Unconfirmed, "{id}: {}", r.detail);
    }
    assert!(report.failed(), "the positive ES256 cases fail");
}

#[test]
fn keeping_the_first_duplicate_fails_the_duplicate_cases() {
    let report = run(FlawedAdapter::lenient(Flaw::FirstDuplicateWins));
    let failed: Vec<&str> = report
        .results
        .iter()
        .filter(|r| r.outcome == Outcome::Fail)
        .map(|r| r.id.as_str())
        .collect();
    assert!(
        failed
            .iter()
            .any(|id| id.starts_with("json-ambiguity/duplicate-")),
        "{failed:?}"
    );
    assert!(
        failed.iter().all(|id| id.contains("duplicate")),
        "{failed:?}"
    );
}

#[test]
fn numbers_as_doubles_and_big_integers_through_a_double_pass() {
    for flaw in [Flaw::NumbersAsFloats, Flaw::IntegersThroughDouble] {
        let report = run(FlawedAdapter::lenient(flaw));
        let failed: Vec<String> = report
            .results
            .iter()
            .filter(|r| r.outcome.is_unexpected())
            .map(|r| format!("{}: {}", r.id, r.detail))
            .collect();
        assert!(failed.is_empty(), "{flaw:?}: {failed:#?}");
    }
}

#[test]
fn the_lenient_reference_passes_by_default_and_fails_only_strict_cases_when_strict() {
    let report = run(FlawedAdapter::lenient(Flaw::None));
    assert!(!report.failed(), "{:?}", report.summary);
    assert!(report.summary.informational > 0);
    let strict = Suite::new(Arc::new(FlawedAdapter::lenient(Flaw::None)))
        .scoring(Scoring::Strict)
        .properties(jwt_conformance::properties::PropertyConfig {
            cases: Some(0),
            ..Default::default()
        })
        .run()
        .unwrap();
    assert!(strict.failed());
    for r in strict.results.iter().filter(|r| r.outcome == Outcome::Fail) {
        assert_eq!(r.level, jwt_conformance::case::Level::Strict, "{}", r.id);
    }
}

//! Proves the suite detects real bugs and scores honest verifiers honestly: the
//! references with one deliberate flaw each ([`jwt_conformance_reference::flawed`]) fail
//! the run on the class that names the flaw, a verifier that rejects everything earns
//! no confirmed pass, and a verifier that makes only choices the RFCs permit passes.

use jwt_conformance::case::{Expected, Scoring};
use jwt_conformance::{Alg, Outcome, Profile, Report, Suite};
use jwt_conformance_reference::flawed::{Flaw, FlawedAdapter};
use jwt_conformance_reference::remote::RemoteFlaw;
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

/// The run of the profile classes alone, scored as `scoring` says.
fn profile_run(adapter: FlawedAdapter, scoring: Scoring) -> Report {
    Suite::new(Arc::new(adapter))
        .scoring(scoring)
        .profile(Some(Profile::OidcIdToken))
        .run()
        .expect("empty manifest")
}

/// The ids of the failed cases.
fn failed(report: &Report) -> Vec<&str> {
    report
        .results
        .iter()
        .filter(|r| r.outcome == Outcome::Fail)
        .map(|r| r.id.as_str())
        .collect()
}

#[test]
fn validating_access_tokens_without_the_type_check_fails_the_id_token_confusion_case() {
    let report = Suite::new(Arc::new(FlawedAdapter::strict(Flaw::IgnoresType)))
        .profile(Some(Profile::Rfc9068))
        .run()
        .expect("empty manifest");
    let failed = failed(&report);
    for id in [
        "rfc9068/id-token-as-access-token",
        "rfc9068/typ-jwt",
        "rfc9068/typ-missing",
        "explicit-typing/logout-token-as-access-token",
    ] {
        assert!(failed.contains(&id), "{id} not failed: {failed:?}");
    }
    assert!(
        failed
            .iter()
            .all(|id| id.contains("typ") || id.contains("-as-")),
        "{failed:?}"
    );
}

#[test]
fn ignoring_the_nonce_fails_the_nonce_cases_and_the_untyped_logout_token() {
    let report = profile_run(FlawedAdapter::strict(Flaw::IgnoresNonce), Scoring::Default);
    assert_eq!(
        failed(&report),
        [
            "oidc-id-token/nonce-missing",
            "oidc-id-token/nonce-mismatch",
            "oidc-id-token/logout-token-untyped"
        ]
    );
}

#[test]
fn ignoring_azp_fails_the_azp_cases_in_a_strict_run_only() {
    let strict = profile_run(FlawedAdapter::strict(Flaw::IgnoresAzp), Scoring::Strict);
    assert_eq!(
        failed(&strict),
        [
            "oidc-id-token/several-audiences-without-azp",
            "oidc-id-token/azp-mismatch"
        ]
    );
    // OpenID Connect Core 1.0 makes the azp checks a SHOULD: by default they inform.
    let default = profile_run(FlawedAdapter::strict(Flaw::IgnoresAzp), Scoring::Default);
    assert!(!default.failed(), "{:?}", failed(&default));
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

/// The jwks cases run in a strict run (most of them are `strict`: no RFC bounds how a
/// key set is fetched), against a reference whose remote key set breaks one rule.
fn jwks_failures(flaw: RemoteFlaw) -> Vec<String> {
    let report = Suite::new(Arc::new(FlawedAdapter::strict(Flaw::Remote(flaw))))
        .scoring(Scoring::Strict)
        .filter(Some("jwks/".to_string()))
        .properties(jwt_conformance::properties::PropertyConfig {
            cases: Some(0),
            ..Default::default()
        })
        .run()
        .expect("empty manifest");
    report
        .results
        .iter()
        .filter(|r| r.outcome == Outcome::Fail)
        .map(|r| r.id.clone())
        .collect()
}

fn assert_jwks_fails_on(flaw: RemoteFlaw, ids: &[&str]) {
    let failed = jwks_failures(flaw);
    eprintln!("{flaw:?} fails {failed:?}");
    for id in ids {
        assert!(
            failed.iter().any(|f| f == id),
            "{flaw:?} did not fail {id}: {failed:?}"
        );
    }
}

#[test]
fn the_unflawed_remote_key_set_passes_every_jwks_case_when_strict() {
    assert_eq!(jwks_failures(RemoteFlaw::None), Vec::<String>::new());
}

#[test]
fn merging_fetched_sets_fails_the_replacement_and_removal_cases() {
    assert_jwks_fails_on(
        RemoteFlaw::MergesSets,
        &[
            "jwks/refresh-replaces-set",
            "jwks/removed-key-rejected-after-max-age",
        ],
    );
}

#[test]
fn refetching_on_every_unknown_kid_fails_the_flood_case() {
    assert_jwks_fails_on(RemoteFlaw::NoCooldown, &["jwks/unknown-kid-flood-bounded"]);
}

#[test]
fn following_redirects_fails_the_redirect_case() {
    assert_jwks_fails_on(RemoteFlaw::FollowsRedirects, &["jwks/redirect-not-trusted"]);
}

#[test]
fn fetching_without_a_timeout_fails_the_stall_and_trickle_cases() {
    assert_jwks_fails_on(
        RemoteFlaw::NoTimeout,
        &[
            "jwks/trickle-body-bounded",
            "jwks/outage-timeout-keeps-cache",
        ],
    );
}

#[test]
fn wiping_the_cache_on_a_failed_fetch_fails_the_outage_cases() {
    assert_jwks_fails_on(
        RemoteFlaw::WipesOnFailure,
        &[
            "jwks/outage-503-keeps-cache",
            "jwks/error-status-body-not-trusted",
        ],
    );
}

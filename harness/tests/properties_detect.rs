//! Proves the properties can fail: the strict reference holds every property, and each
//! deliberately broken variant of it ([`jwt_conformance_reference::flawed`]) is caught
//! by a property, with a shrunk counterexample small enough to read.

use jwt_conformance::properties::{check, Finding, Property, PropertyConfig, PropertyRun};
use jwt_conformance::{b64, Adapter, Clock, Manifest, Outcome, Suite};
use jwt_conformance_reference::flawed::{Flaw, FlawedAdapter};
use serde_json::Value;
use std::sync::Arc;

/// Fixed so that the tests are deterministic.
const SEED: u64 = 20_240_601;

fn run(flaw: Flaw, clock: Clock, property: Property, cases: u32) -> PropertyRun {
    let adapter: Arc<dyn Adapter> = Arc::new(FlawedAdapter::strict(flaw).with_clock(clock));
    let config = PropertyConfig {
        cases: Some(cases),
        seed: jwt_conformance::properties::SeedChoice::Fixed(SEED),
        ..PropertyConfig::default()
    };
    check(&adapter, property, &config)
}

/// The shrunk counterexample's token and full report, or a panic naming what held.
fn counterexample(run: &PropertyRun) -> (String, String) {
    match &run.finding {
        Finding::Falsified(c) => {
            let failure = c.failure.as_ref().expect("a failure was recorded");
            (failure.token.clone(), run.describe())
        }
        other => panic!("{} was not falsified: {other:?}", run.property.id()),
    }
}

fn payload(token: &str) -> String {
    let segment = token.split('.').nth(1).unwrap_or_default();
    String::from_utf8(b64::decode(segment).unwrap_or_default()).unwrap_or_default()
}

fn header(token: &str) -> Value {
    let segment = token.split('.').next().unwrap_or_default();
    serde_json::from_slice(&b64::decode(segment).unwrap_or_default()).unwrap_or_default()
}

#[test]
fn the_strict_verifier_holds_every_property_with_either_clock() {
    for clock in [Clock::Injectable, Clock::System] {
        for property in Property::ALL {
            let run = run(Flaw::None, clock, property, 64);
            assert_eq!(run.finding, Finding::Held, "{clock:?}: {}", run.describe());
            assert!(run.tally.accepted > 0 || property == Property::MutationClosure);
            assert!(run.tally.rejected > 0 || property == Property::Completeness);
        }
    }
}

#[test]
fn ignoring_exp_is_caught_by_the_time_window() {
    let run = run(
        Flaw::IgnoresExp,
        Clock::Injectable,
        Property::TimeWindow,
        256,
    );
    let (token, report) = counterexample(&run);
    let claims: Value = serde_json::from_str(&payload(&token)).unwrap();
    assert!(claims.get("exp").is_some_and(Value::is_number), "{report}");
    // Shrunk to the bare boundary case: one claim, an HS256 key.
    assert_eq!(claims.as_object().unwrap().len(), 1, "{report}");
    assert!(token.len() < 120, "{report}");
    assert!(report.contains("expected:  reject: exp"), "{report}");
    assert!(
        report.contains(&format!("PROPTEST_RNG_SEED={SEED}")),
        "{report}"
    );
}

#[test]
fn accepting_alg_none_is_caught_as_a_forgery() {
    for property in [Property::NoForgery, Property::MutationClosure] {
        let run = run(Flaw::AcceptsNone, Clock::Injectable, property, 256);
        let (token, report) = counterexample(&run);
        let alg = header(&token)["alg"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert!(alg.eq_ignore_ascii_case("none"), "{report}");
        // No custom claims left, only the registered ones the policy needs.
        assert!(payload(&token).len() <= 80, "{report}");
        assert!(token.len() < 250, "{report}");
    }
}

#[test]
fn comparing_an_hmac_prefix_is_caught_by_mutation_closure() {
    let run = run(
        Flaw::HmacPrefix,
        Clock::Injectable,
        Property::MutationClosure,
        256,
    );
    let (token, report) = counterexample(&run);
    assert!(
        header(&token)["alg"]
            .as_str()
            .is_some_and(|a| a.starts_with("HS")),
        "{report}"
    );
    assert!(report.contains("segment: Signature"), "{report}");
    assert!(token.len() < 150, "{report}");
}

#[test]
fn verifying_reserialised_json_is_caught_by_mutation_closure() {
    let run = run(
        Flaw::ReencodesSigningInput,
        Clock::Injectable,
        Property::MutationClosure,
        256,
    );
    let (token, report) = counterexample(&run);
    assert!(report.contains("mutation:  Reserialise"), "{report}");
    assert!(token.len() < 150, "{report}");
}

#[test]
fn panicking_on_bad_base64_is_caught_by_robustness() {
    let run = run(
        Flaw::PanicsOnBadBase64,
        Clock::Injectable,
        Property::Robustness,
        256,
    );
    let (input, report) = counterexample(&run);
    assert!(report.contains("panicked: bad base64"), "{report}");
    assert!(input.len() <= 16, "{report}");
}

#[test]
fn a_listed_property_is_an_expected_failure_and_regressions_replay_first() {
    let dir = std::env::temp_dir().join(format!("jwt-conformance-props-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let suite = |flaw: Flaw, manifest: &str| {
        Suite::new(Arc::new(FlawedAdapter::strict(flaw)))
            .manifest(Manifest::parse("m.toml", manifest).unwrap())
            .filter(Some("property/time-window".into()))
            .properties(PropertyConfig {
                cases: Some(128),
                regressions_dir: Some(dir.clone()),
                ..PropertyConfig::default()
            })
    };
    let listed = "\"property/time-window\" = \"ignores exp\"";

    let first = suite(Flaw::IgnoresExp, "").run().unwrap();
    assert_eq!(first.results.len(), 1);
    assert_eq!(first.results[0].outcome, Outcome::Fail);
    assert_eq!(first.results[0].class, "property");
    let file = dir.join("time-window.txt");
    assert!(file.is_file(), "the counterexample was saved");

    let again = suite(Flaw::IgnoresExp, listed).run().unwrap();
    assert_eq!(again.results[0].outcome, Outcome::ExpectedFailure);
    assert!(
        again.results[0].detail.contains("replayed from"),
        "{}",
        again.results[0].detail
    );

    // Fixed: the saved counterexample passes, so the manifest entry is stale.
    let fixed = suite(Flaw::None, listed).run().unwrap();
    assert_eq!(fixed.results[0].outcome, Outcome::UnexpectedPass);
    assert!(fixed.failed());
    let _ = std::fs::remove_dir_all(&dir);

    // Without a saved counterexample, not finding one proves nothing: a warning.
    let unsaved = Suite::new(Arc::new(FlawedAdapter::strict(Flaw::None)))
        .manifest(Manifest::parse("m.toml", listed).unwrap())
        .filter(Some("property/time-window".into()))
        .properties(PropertyConfig {
            cases: Some(8),
            ..PropertyConfig::default()
        })
        .run()
        .unwrap();
    assert_eq!(unsaved.results[0].outcome, Outcome::Pass);
    assert!(unsaved.results[0].warning.is_some());

    // Property ids are known to the manifest check; unknown ones are not.
    let typo = suite(Flaw::None, "\"property/time-windows\" = \"typo\"").run();
    assert!(typo
        .unwrap_err()
        .to_string()
        .contains("property/time-windows"));
}

//! Proves the catalogue detects real bugs: the strict reference verifier with one
//! deliberate flaw must fail the run, on the class that names that flaw.

use jwt_conformance::forge::{self, Decoded};
use jwt_conformance::{
    Adapter, AdapterInfo, Alg, Jwk, Outcome, Policy, PrepareError, Report, Suite, Verdict, Verifier,
};
use jwt_conformance_reference::{ReferenceAdapter, ReferenceVerifier};
use serde_json::Value;
use std::sync::Arc;

/// One deliberate flaw on top of the reference verifier.
#[derive(Clone, Copy, Debug)]
enum Flaw {
    /// Accepts any token whose `alg` is `none` in any spelling (CVE-2015-9235).
    AcceptsNone,
    /// Checks HS* tokens with the trusted public key's PEM as the HMAC secret.
    HmacWithPublicPem,
    /// Verifies with the key in the token's own `jwk` header (CVE-2018-0114).
    TrustsHeaderJwk,
    /// Drops the policy's audience, so any `aud` is accepted.
    IgnoresAudience,
}

struct Flawed(Flaw);

struct FlawedVerifier {
    flaw: Flaw,
    policy: Policy,
    strict: ReferenceVerifier,
}

impl Adapter for Flawed {
    fn info(&self) -> AdapterInfo {
        AdapterInfo {
            name: format!("reference with {:?}", self.0),
            ..ReferenceAdapter::STRICT.info()
        }
    }

    fn prepare(&self, policy: &Policy) -> Result<Box<dyn Verifier>, PrepareError> {
        let mut policy = policy.clone();
        if let Flaw::IgnoresAudience = self.0 {
            policy.audience.clear();
        }
        Ok(Box::new(FlawedVerifier {
            flaw: self.0,
            strict: ReferenceVerifier::new(&policy, jwt_conformance::rules::Choice::Strict),
            policy,
        }))
    }
}

fn payload_claims(decoded: &Decoded) -> Value {
    decoded
        .payload
        .as_ref()
        .ok()
        .and_then(|p| serde_json::from_slice(p).ok())
        .unwrap_or(Value::Null)
}

impl FlawedVerifier {
    /// The flaw's own acceptance path, if it applies to this token.
    fn flawed_accept(&self, token: &str) -> Option<Verdict> {
        let decoded = forge::decode(token);
        let header: Value = serde_json::from_slice(decoded.header.as_ref().ok()?).ok()?;
        let alg = header
            .get("alg")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let (input, _) = token.rsplit_once('.')?;
        let sig = decoded.signature.as_ref().ok()?.clone();
        let accepted = match self.flaw {
            Flaw::AcceptsNone => alg.eq_ignore_ascii_case("none"),
            Flaw::HmacWithPublicPem => {
                let alg: Alg = alg.parse().ok()?;
                matches!(alg, Alg::HS256 | Alg::HS384 | Alg::HS512)
                    && self.policy.keys.keys.iter().any(|k| {
                        k.public_key_pem().is_ok_and(|pem| {
                            forge::hmac(alg, pem.as_bytes(), input.as_bytes()) == sig
                        })
                    })
            }
            Flaw::TrustsHeaderJwk => {
                let jwk: Jwk = serde_json::from_value(header.get("jwk")?.clone()).ok()?;
                let alg: Alg = alg.parse().ok()?;
                forge::verify(alg, &jwk, input.as_bytes(), &sig)
            }
            Flaw::IgnoresAudience => false,
        };
        accepted.then(|| Verdict::accepted(payload_claims(&decoded)))
    }
}

impl Verifier for FlawedVerifier {
    fn verify(&self, token: &str) -> Verdict {
        self.flawed_accept(token)
            .unwrap_or_else(|| self.strict.verify(token))
    }
}

fn run(flaw: Flaw) -> Report {
    Suite::new(Arc::new(Flawed(flaw)))
        .run()
        .expect("empty manifest")
}

/// The classes with failures, and whether the run failed.
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

#[test]
fn accepting_none_fails_the_alg_none_class() {
    let report = run(Flaw::AcceptsNone);
    assert!(report.failed());
    assert!(
        failing_classes(&report).contains(&"alg-none".to_string()),
        "{:?}",
        failing_classes(&report)
    );
}

#[test]
fn hmac_with_the_public_key_fails_the_alg_confusion_class() {
    let report = run(Flaw::HmacWithPublicPem);
    assert!(report.failed());
    assert!(
        failing_classes(&report).contains(&"alg-confusion".to_string()),
        "{:?}",
        failing_classes(&report)
    );
}

#[test]
fn trusting_the_header_jwk_fails_the_header_key_injection_class() {
    let report = run(Flaw::TrustsHeaderJwk);
    assert!(report.failed());
    assert!(
        failing_classes(&report).contains(&"header-key-injection".to_string()),
        "{:?}",
        failing_classes(&report)
    );
}

#[test]
fn ignoring_the_audience_fails_the_audience_class() {
    let report = run(Flaw::IgnoresAudience);
    assert!(report.failed());
    assert!(
        failing_classes(&report).contains(&"audience".to_string()),
        "{:?}",
        failing_classes(&report)
    );
}

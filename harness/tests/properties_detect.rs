//! Proves the properties can fail: a small strict verifier holds every property, and
//! each deliberately broken variant of it is caught by a property, with a shrunk
//! counterexample small enough to read.

use jwt_conformance::properties::{check, Finding, Property, PropertyConfig, PropertyRun};
use jwt_conformance::{
    b64, forge, Adapter, AdapterInfo, Alg, Clock, Manifest, Outcome, Policy, PrepareError,
    RejectKind, Suite, Verdict, Verifier,
};
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::fmt;
use std::sync::Arc;

/// The one defect a variant has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Flaw {
    None,
    IgnoresExp,
    AcceptsAlgNone,
    /// Compares only the first 16 bytes of an HMAC.
    HmacPrefix,
    /// Verifies the signature over re-serialised JSON instead of the received bytes.
    ReencodesSigningInput,
    PanicsOnBadBase64,
}

struct Subject {
    flaw: Flaw,
    clock: Clock,
}

impl Adapter for Subject {
    fn info(&self) -> AdapterInfo {
        AdapterInfo {
            name: format!("strict-{:?}", self.flaw),
            version: "0".into(),
            algorithms: Alg::ALL.to_vec(),
            clock: self.clock,
        }
    }

    fn prepare(&self, policy: &Policy) -> Result<Box<dyn Verifier>, PrepareError> {
        Ok(Box::new(Strict {
            policy: policy.clone(),
            flaw: self.flaw,
        }))
    }
}

struct Strict {
    policy: Policy,
    flaw: Flaw,
}

fn reject(kind: RejectKind, message: impl Into<String>) -> Verdict {
    Verdict::rejected(kind, message)
}

/// A JSON value parsed with duplicate member names rejected at every depth.
struct NoDuplicates(Value);

impl<'de> Deserialize<'de> for NoDuplicates {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NoDuplicatesVisitor).map(NoDuplicates)
    }
}

struct NoDuplicatesVisitor;

impl<'de> Visitor<'de> for NoDuplicatesVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("JSON")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(NoDuplicates(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut members = Map::new();
        while let Some((name, NoDuplicates(value))) = map.next_entry::<String, NoDuplicates>()? {
            if members.insert(name.clone(), value).is_some() {
                return Err(serde::de::Error::custom(format!(
                    "duplicate member {name:?}"
                )));
            }
        }
        Ok(Value::Object(members))
    }
}

fn object(bytes: &[u8], what: &str) -> Result<Map<String, Value>, Verdict> {
    match serde_json::from_slice::<NoDuplicates>(bytes) {
        Ok(NoDuplicates(Value::Object(map))) => Ok(map),
        Ok(_) => Err(reject(
            RejectKind::Malformed,
            format!("{what} is not an object"),
        )),
        Err(e) => Err(reject(RejectKind::Malformed, format!("{what}: {e}"))),
    }
}

impl Strict {
    fn decode(&self, segment: &str) -> Result<Vec<u8>, Verdict> {
        b64::decode(segment).map_err(|e| {
            if self.flaw == Flaw::PanicsOnBadBase64 {
                panic!("bad base64: {e}");
            }
            reject(RejectKind::Malformed, format!("not base64url: {e}"))
        })
    }

    fn signature_ok(&self, alg: Alg, kid: Option<&str>, input: &str, sig: &[u8]) -> bool {
        self.policy
            .keys
            .keys
            .iter()
            .filter(|k| kid.is_none() || k.kid.as_deref() == kid)
            .any(|key| match (self.flaw, alg) {
                (Flaw::HmacPrefix, Alg::HS256 | Alg::HS384 | Alg::HS512) => {
                    key.hmac_secret().is_ok_and(|secret| {
                        let mac = forge::hmac(alg, &secret, input.as_bytes());
                        sig.len() >= 16 && mac[..16] == sig[..16]
                    })
                }
                _ => forge::verify(alg, key, input.as_bytes(), sig),
            })
    }

    fn check(&self, token: &str) -> Result<Map<String, Value>, Verdict> {
        let parts: Vec<&str> = token.split('.').collect();
        if parts.len() != 3 {
            return Err(reject(RejectKind::Malformed, "not three segments"));
        }
        let header = object(&self.decode(parts[0])?, "header")?;
        let claims = object(&self.decode(parts[1])?, "payload")?;
        let sig = self.decode(parts[2])?;
        let label = header
            .get("alg")
            .and_then(Value::as_str)
            .ok_or_else(|| reject(RejectKind::Algorithm, "no alg"))?;
        let unsigned = self.flaw == Flaw::AcceptsAlgNone && label.eq_ignore_ascii_case("none");
        if !unsigned {
            let alg: Alg = label
                .parse()
                .map_err(|_| reject(RejectKind::Algorithm, format!("unknown alg {label:?}")))?;
            if !self.policy.algorithms.contains(&alg) {
                return Err(reject(RejectKind::Algorithm, format!("{alg} not allowed")));
            }
            if header.contains_key("crit") {
                return Err(reject(RejectKind::Critical, "no extension is understood"));
            }
            let kid = match header.get("kid") {
                None => None,
                Some(Value::String(kid)) => Some(kid.as_str()),
                Some(_) => return Err(reject(RejectKind::Malformed, "kid is not a string")),
            };
            let input = if self.flaw == Flaw::ReencodesSigningInput {
                format!(
                    "{}.{}",
                    b64::encode(Value::Object(header.clone()).to_string()),
                    b64::encode(Value::Object(claims.clone()).to_string())
                )
            } else {
                format!("{}.{}", parts[0], parts[1])
            };
            if !self.signature_ok(alg, kid, &input, &sig) {
                return Err(reject(RejectKind::Signature, "signature does not verify"));
            }
        }
        self.check_claims(&claims)?;
        Ok(claims)
    }

    fn check_claims(&self, claims: &Map<String, Value>) -> Result<(), Verdict> {
        let p = &self.policy;
        let now = p.now.unwrap_or_else(jwt_conformance::context::system_now) as f64;
        let leeway = p.leeway as f64;
        for name in &p.required_claims {
            if !claims.contains_key(name) {
                return Err(reject(RejectKind::MissingClaim, format!("no {name}")));
            }
        }
        let number = |name: &str| match claims.get(name) {
            None => Ok(None),
            Some(Value::Number(n)) => Ok(n.as_f64()),
            Some(_) => Err(reject(
                RejectKind::Malformed,
                format!("{name} is not a number"),
            )),
        };
        if let Some(exp) = number("exp")? {
            if self.flaw != Flaw::IgnoresExp && now >= exp + leeway {
                return Err(reject(RejectKind::Expired, "expired"));
            }
        }
        if let Some(nbf) = number("nbf")? {
            if nbf - leeway > now {
                return Err(reject(RejectKind::NotYetValid, "not yet valid"));
            }
        }
        number("iat")?;
        for name in ["iss", "sub", "jti"] {
            if claims.get(name).is_some_and(|v| !v.is_string()) {
                return Err(reject(
                    RejectKind::Malformed,
                    format!("{name} is not a string"),
                ));
            }
        }
        if let Some(expected) = &p.issuer {
            if claims.get("iss").and_then(Value::as_str) != Some(expected.as_str()) {
                return Err(reject(RejectKind::Issuer, "iss differs"));
            }
        }
        let accepted = |s: &str| p.audience.iter().any(|a| a == s);
        match claims.get("aud") {
            None if p.audience.is_empty() => {}
            None => return Err(reject(RejectKind::Audience, "no aud")),
            Some(_) if p.audience.is_empty() => {
                return Err(reject(RejectKind::Audience, "no audience expected"))
            }
            Some(Value::String(s)) if accepted(s) => {}
            Some(Value::Array(items))
                if items.iter().all(Value::is_string)
                    && items.iter().any(|i| i.as_str().is_some_and(accepted)) => {}
            Some(_) => return Err(reject(RejectKind::Audience, "aud differs")),
        }
        Ok(())
    }
}

impl Verifier for Strict {
    fn verify(&self, token: &str) -> Verdict {
        match self.check(token) {
            Ok(claims) => Verdict::Accepted { claims },
            Err(verdict) => verdict,
        }
    }
}

/// Fixed so that the tests are deterministic.
const SEED: u64 = 20_240_601;

fn run(flaw: Flaw, clock: Clock, property: Property, cases: u32) -> PropertyRun {
    let adapter: Arc<dyn Adapter> = Arc::new(Subject { flaw, clock });
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
        let run = run(Flaw::AcceptsAlgNone, Clock::Injectable, property, 256);
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
        Suite::new(Arc::new(Subject {
            flaw,
            clock: Clock::Injectable,
        }))
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
    let unsaved = Suite::new(Arc::new(Subject {
        flaw: Flaw::None,
        clock: Clock::Injectable,
    }))
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

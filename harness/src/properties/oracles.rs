//! Oracles: what a verifier must do with a claim set under a policy, decided from the
//! payload bytes alone (never from how a generator meant them), and how to compare
//! what it hands back.

use crate::policy::Policy;
use crate::rules::json;
use crate::runner::Observation;
use crate::verdict::Verdict;
use serde_json::{Map, Value};

/// What the standards demand of a verifier for one token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expectation {
    /// The token must be accepted.
    Accept,
    /// The token must be rejected; the reason names the violated rule.
    Reject(String),
    /// The standards leave it open; the reason says where.
    Either(String),
}

/// NumericDates up to 2^53 are integers every JSON parser reads exactly; larger or
/// non-integer ones are legal (RFC 7519 section 2) but a verifier may refuse them.
const EXACT_INTEGER_LIMIT: u64 = 1 << 53;

/// How a `exp`/`nbf` value relates to the validity window.
enum Time {
    Absent,
    /// An ordinary integer NumericDate.
    Exact(i64),
    /// A legal but unusual NumericDate (fraction, exponent, negative, beyond 2^53).
    Unusual(f64),
    /// Present but not a number.
    NotANumber,
}

fn time(claims: &Map<String, Value>, name: &str) -> Time {
    match claims.get(name) {
        None => Time::Absent,
        Some(Value::Number(n)) => match n.as_u64() {
            Some(v) if v <= EXACT_INTEGER_LIMIT => Time::Exact(v as i64),
            _ => Time::Unusual(n.as_f64().unwrap_or(f64::NAN)),
        },
        Some(_) => Time::NotANumber,
    }
}

/// Collects verdict-forcing findings, most decisive first.
#[derive(Default)]
struct Findings {
    reject: Vec<String>,
    either: Vec<String>,
}

impl Findings {
    fn expectation(self) -> Expectation {
        if !self.reject.is_empty() {
            Expectation::Reject(self.reject.join("; "))
        } else if !self.either.is_empty() {
            Expectation::Either(self.either.join("; "))
        } else {
            Expectation::Accept
        }
    }
}

/// What a verifier configured with `policy`, at time `now`, must do with a token whose
/// signature is valid and whose payload is `payload`.
///
/// Rules: required claims must be present; `exp`/`nbf` bound the window
/// `nbf - leeway <= now < exp + leeway` (RFC 7519 4.1.4, 4.1.5); an expected `iss` must
/// be present and match exactly (4.1.1, RFC 8725 3.8); with accepted audiences `aud`
/// must be present and hold one exactly, and with none a present `aud` is rejected
/// (RFC 7519 4.1.3, RFC 8725 3.9); a registered claim of the wrong JSON type makes the
/// claims set invalid (RFC 7519 4.1). The fixed catalogue takes the same positions.
///
/// Left open: NumericDates that are legal but unusual (fractions, exponents, negative,
/// beyond 2^53) may be rejected even inside the window; the catalogue's `time/*` cases
/// pin those forms down one by one, and the property keeps to the window itself.
pub fn claims_expectation(policy: &Policy, now: i64, payload: &[u8]) -> Expectation {
    match serde_json::from_slice::<Value>(payload) {
        Ok(Value::Object(claims)) => claims_set_expectation(policy, now, &claims),
        Ok(_) => Expectation::Reject("the payload is not a JSON object".into()),
        Err(e) => Expectation::Reject(format!("the payload is not JSON: {e}")),
    }
}

/// [`claims_expectation`] of a payload already parsed as a JSON object.
pub fn claims_set_expectation(
    policy: &Policy,
    now: i64,
    claims: &Map<String, Value>,
) -> Expectation {
    let mut f = Findings::default();
    for name in &policy.required_claims {
        if !claims.contains_key(name) {
            f.reject.push(format!("required claim {name} is absent"));
        }
    }
    let leeway = policy.leeway as i64;
    // exp: valid while now < exp + leeway, i.e. exp > now - leeway.
    let exp_floor = now - leeway;
    match time(claims, "exp") {
        Time::Absent => {}
        Time::Exact(exp) if exp > exp_floor => {}
        Time::Exact(exp) => f.reject.push(format!(
            "exp {exp} is not after now {now} - leeway {leeway}: expired"
        )),
        Time::Unusual(exp) if exp > exp_floor as f64 => f.either.push(format!(
            "exp {exp} is an unusual NumericDate a verifier may refuse"
        )),
        Time::Unusual(exp) => f.reject.push(format!("exp {exp} has passed")),
        Time::NotANumber => f.reject.push("exp is not a number".into()),
    }
    // nbf: valid once nbf - leeway <= now, i.e. nbf <= now + leeway.
    let nbf_ceiling = now + leeway;
    match time(claims, "nbf") {
        Time::Absent => {}
        Time::Exact(nbf) if nbf <= nbf_ceiling => {}
        Time::Exact(nbf) => f.reject.push(format!(
            "nbf {nbf} is after now {now} + leeway {leeway}: not yet valid"
        )),
        Time::Unusual(nbf) if nbf <= nbf_ceiling as f64 => f.either.push(format!(
            "nbf {nbf} is an unusual NumericDate a verifier may refuse"
        )),
        Time::Unusual(nbf) => f.reject.push(format!("nbf {nbf} is in the future")),
        Time::NotANumber => f.reject.push("nbf is not a number".into()),
    }
    issuer(policy, claims, &mut f);
    audience(policy, claims, &mut f);
    // sub and jti are the application's to process (RFC 7519 4.1.2, 4.1.7): a verifier
    // may refuse a wrongly typed one or pass it on. iat is a NumericDate the catalogue
    // holds to its type (time/iat-string).
    for name in ["sub", "jti"] {
        if claims.get(name).is_some_and(|v| !v.is_string()) {
            f.either
                .push(format!("{name} is not a string (RFC 7519 4.1)"));
        }
    }
    if claims.get("iat").is_some_and(|v| !v.is_number()) {
        f.reject
            .push("iat is not a number (RFC 7519 4.1.6)".to_string());
    }
    f.expectation()
}

fn issuer(policy: &Policy, claims: &Map<String, Value>, f: &mut Findings) {
    match (&policy.issuer, claims.get("iss")) {
        (Some(_), Some(iss)) if !iss.is_string() => {
            f.reject.push(format!("iss {iss} is not a string"))
        }
        // With no issuer expected, iss is the application's to read (RFC 7519 4.1.1).
        (None, Some(iss)) if !iss.is_string() => f.either.push(format!(
            "iss {iss} is not a string, and no issuer is expected"
        )),
        (Some(expected), None) => f.reject.push(format!(
            "iss is absent but the verifier expects {expected:?}"
        )),
        (Some(expected), Some(iss)) if iss.as_str() != Some(expected.as_str()) => f.reject.push(
            format!("iss {iss} is not exactly {expected:?} (case-sensitive)"),
        ),
        _ => {}
    }
}

fn audience(policy: &Policy, claims: &Map<String, Value>, f: &mut Findings) {
    let accepted = &policy.audience;
    let Some(aud) = claims.get("aud") else {
        if !accepted.is_empty() {
            f.reject
                .push("aud is absent but the verifier expects an audience".into());
        }
        return;
    };
    if accepted.is_empty() {
        f.reject
            .push("the token has aud but the verifier expects no audience".into());
        return;
    }
    let matches = |s: &str| accepted.iter().any(|a| a == s);
    match aud {
        Value::String(s) if matches(s) => {}
        Value::String(s) => f
            .reject
            .push(format!("aud {s:?} is none of the accepted audiences")),
        Value::Array(items) if !items.iter().all(Value::is_string) => f
            .reject
            .push(format!("aud {aud} holds something other than strings")),
        Value::Array(items) if items.iter().any(|i| i.as_str().is_some_and(matches)) => {}
        Value::Array(_) => f
            .reject
            .push("no member of the aud array is an accepted audience".into()),
        other => f
            .reject
            .push(format!("aud {other} is neither a string nor an array")),
    }
}

/// Whether two observations of the same token under the same policy agree: the same
/// verdict, the same reject kind, the same claims (messages may differ).
pub fn same_verdict(a: &Observation, b: &Observation) -> bool {
    match (a, b) {
        (
            Observation::Verdict(Verdict::Accepted { claims: x }),
            Observation::Verdict(Verdict::Accepted { claims: y }),
        ) => json::same_members(x, y),
        (
            Observation::Verdict(Verdict::Rejected { kind: x, .. }),
            Observation::Verdict(Verdict::Rejected { kind: y, .. }),
        ) => x == y,
        (Observation::Refused { kind: x, .. }, Observation::Refused { kind: y, .. }) => x == y,
        (
            Observation::Verdict(Verdict::Unsupported { .. }),
            Observation::Verdict(Verdict::Unsupported { .. }),
        ) => true,
        _ => false,
    }
}

/// Whether the observation is a failure whatever was expected: a panic, a hang, or
/// an answer that is not a verdict.
pub fn is_breakdown(o: &Observation) -> bool {
    matches!(
        o,
        Observation::Panicked(_)
            | Observation::TimedOut(_)
            | Observation::Verdict(Verdict::Broken { .. })
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jwk::JwkSet;
    use serde_json::json;

    fn policy(leeway: u64) -> Policy {
        let mut p = Policy::new(JwkSet::default(), vec![], Some(1000));
        p.required_claims.clear();
        p.leeway = leeway;
        p
    }

    fn expect(p: &Policy, claims: Value) -> Expectation {
        claims_expectation(p, 1000, claims.to_string().as_bytes())
    }

    #[test]
    fn the_window_is_half_open_and_widened_by_the_leeway() {
        let p = policy(10);
        assert_eq!(expect(&p, json!({"exp": 991})), Expectation::Accept);
        assert!(matches!(
            expect(&p, json!({"exp": 990})),
            Expectation::Reject(_)
        ));
        assert_eq!(expect(&p, json!({"nbf": 1010})), Expectation::Accept);
        assert!(matches!(
            expect(&p, json!({"nbf": 1011})),
            Expectation::Reject(_)
        ));
        assert!(matches!(
            expect(&p, json!({"exp": 990.5})),
            Expectation::Either(_)
        ));
        assert!(matches!(
            expect(&p, json!({"exp": 989.5})),
            Expectation::Reject(_)
        ));
        assert!(matches!(
            expect(&p, json!({"exp": null})),
            Expectation::Reject(_)
        ));
        assert!(matches!(
            expect(&p, json!({"nbf": "5"})),
            Expectation::Reject(_)
        ));
        assert!(matches!(
            expect(&p, json!({"exp": 1e300})),
            Expectation::Either(_)
        ));
        assert!(matches!(
            expect(&p, json!({"nbf": 1e300})),
            Expectation::Reject(_)
        ));
    }

    #[test]
    fn issuer_and_audience_match_exactly() {
        let mut p = policy(0);
        p.issuer = Some("https://a".into());
        p.audience = vec!["x".into()];
        assert_eq!(
            expect(&p, json!({"iss": "https://a", "aud": "x"})),
            Expectation::Accept
        );
        assert_eq!(
            expect(&p, json!({"iss": "https://a", "aud": ["y", "x"]})),
            Expectation::Accept
        );
        assert!(matches!(
            expect(&p, json!({"iss": "https://A", "aud": "x"})),
            Expectation::Reject(_)
        ));
        assert!(matches!(
            expect(&p, json!({"iss": ["https://a"], "aud": "x"})),
            Expectation::Reject(_)
        ));
        assert!(matches!(
            expect(&p, json!({"iss": "https://a", "aud": "X"})),
            Expectation::Reject(_)
        ));
        assert!(matches!(
            expect(&p, json!({"iss": "https://a", "aud": []})),
            Expectation::Reject(_)
        ));
        assert!(matches!(
            expect(&p, json!({"aud": "x"})),
            Expectation::Reject(_)
        ));
        assert!(matches!(
            expect(&p, json!({"iss": "https://a"})),
            Expectation::Reject(_)
        ));
        assert!(matches!(
            expect(&p, json!({"iss": "https://a", "aud": ["x", 1]})),
            Expectation::Reject(_)
        ));
        p.audience.clear();
        assert!(matches!(
            expect(&p, json!({"iss": "https://a", "aud": "x"})),
            Expectation::Reject(_)
        ));
        assert!(matches!(
            expect(&p, json!({"iss": "https://a", "aud": null})),
            Expectation::Reject(_)
        ));
    }

    #[test]
    fn required_claims_must_be_present() {
        let mut p = policy(0);
        p.required_claims = vec!["sub".into()];
        assert!(matches!(expect(&p, json!({})), Expectation::Reject(_)));
        assert_eq!(expect(&p, json!({"sub": "s"})), Expectation::Accept);
        assert!(matches!(
            claims_expectation(&p, 0, b"[1]"),
            Expectation::Reject(_)
        ));
    }

    #[test]
    fn numbers_compare_by_value() {
        assert!(json::same_value(&json!({"a": [1]}), &json!({"a": [1.0]})));
        assert!(!json::same_value(&json!({"a": 1}), &json!({"a": "1"})));
        let signed = json!({"a": 1, "b": 2}).as_object().cloned().unwrap();
        let returned = json!({"a": 1, "c": 3}).as_object().cloned().unwrap();
        let diff = json::difference(&signed, &returned).unwrap();
        assert!(
            diff.contains("dropped \"b\"") && diff.contains("added \"c\""),
            "{diff}"
        );
        assert_eq!(json::difference(&signed, &signed), None);
    }
}

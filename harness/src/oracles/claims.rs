//! Oracles: what a verifier must do with a claim set under a policy, decided from the
//! payload bytes alone (never from how a generator meant them), and how to compare
//! what it hands back.

use crate::case::Scoring;
use crate::policy::Policy;
use crate::rules::{self, json, Choice};
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

/// What a verifier configured with `policy`, at time `now`, must do with a token whose
/// signature is valid and whose payload is `payload`, in a run scoring `scoring`.
///
/// Decided by the rule book taken both ways ([`rules::json`], [`rules::claims`],
/// [`rules::time`]): what both references accept must be accepted, what both reject
/// must be rejected, and what only the strict one rejects is either outside strict
/// runs. Exact time boundaries are a convention of the suite (RFC 7519 only says
/// "Implementers MAY provide for some small leeway"): within a second of the window's
/// edge either answer is right outside strict runs, except `exp == now` without leeway,
/// which RFC 7519 section 4.1.4 calls expired. The fixed catalogue takes the same
/// positions.
pub fn claims_expectation(
    policy: &Policy,
    now: i64,
    payload: &[u8],
    scoring: Scoring,
) -> Expectation {
    let judge = |choice| -> Result<Map<String, Value>, String> {
        let claims = json::parse_object(payload, choice).map_err(|e| format!("the payload {e}"))?;
        rules::claims::check(&claims, policy, now, choice).map_err(|r| r.message)?;
        Ok(claims)
    };
    let (strict, lenient) = (judge(Choice::Strict), judge(Choice::Lenient));
    // Both references refuse: a verifier mixing their choices may still accept, and the
    // lenient parse reads every payload the strict one does.
    let mixed = || {
        json::parse_object(payload, Choice::Lenient)
            .is_ok_and(|claims| rules::claims::some_reading_accepts(&claims, policy, now))
    };
    combine(strict, lenient, mixed, policy, now, scoring)
}

/// [`claims_expectation`] of a payload already parsed as a JSON object.
pub fn claims_set_expectation(
    policy: &Policy,
    now: i64,
    claims: &Map<String, Value>,
    scoring: Scoring,
) -> Expectation {
    let judge = |choice| {
        rules::claims::check(claims, policy, now, choice)
            .map(|()| claims.clone())
            .map_err(|r| r.message)
    };
    let mixed = || rules::claims::some_reading_accepts(claims, policy, now);
    combine(
        judge(Choice::Strict),
        judge(Choice::Lenient),
        mixed,
        policy,
        now,
        scoring,
    )
}

/// The expectation from the strict and the lenient reading; `mixed` says whether a
/// reading that mixes their choices accepts, asked only when both refuse.
fn combine(
    strict: Result<Map<String, Value>, String>,
    lenient: Result<Map<String, Value>, String>,
    mixed: impl FnOnce() -> bool,
    policy: &Policy,
    now: i64,
    scoring: Scoring,
) -> Expectation {
    let hardened = scoring == Scoring::Strict;
    match (strict, lenient) {
        (Err(why), Err(_)) if hardened => Expectation::Reject(why),
        (Err(strict), Err(lenient)) if mixed() => Expectation::Either(format!(
            "each reference refuses it for a choice the RFCs leave open ({strict}; {lenient}), and a verifier taking the other choices accepts"
        )),
        (Err(_), Err(why)) => Expectation::Reject(why),
        (Err(why), Ok(_)) if hardened => Expectation::Reject(why),
        (Err(why), Ok(_)) => Expectation::Either(format!(
            "only hardening refuses it ({why}); a strict run would"
        )),
        (Ok(_), Err(why)) => Expectation::Either(format!(
            "a verifier may refuse it ({why}) where the RFCs leave the choice open"
        )),
        (Ok(claims), Ok(_)) => {
            let mut either = Vec::new();
            if !hardened {
                either.extend(time_edge(&claims, policy.leeway, now));
            }
            // sub and jti are the application's to process (RFC 7519 4.1.2, 4.1.7): a
            // verifier may refuse a wrongly typed one or pass it on.
            for name in ["sub", "jti"] {
                if claims.get(name).is_some_and(|v| !v.is_string()) {
                    either.push(format!("{name} is not a string (RFC 7519 4.1)"));
                }
            }
            match either.is_empty() {
                true => Expectation::Accept,
                false => Expectation::Either(either.join("; ")),
            }
        }
    }
}

/// Why a valid claim set sits on an exact time boundary, if it does: `exp` one second
/// before `now + leeway`, or `nbf` within one second of `now + leeway`.
fn time_edge(claims: &Map<String, Value>, leeway: u64, now: i64) -> Option<String> {
    let seconds = |name: &str| claims.get(name).and_then(Value::as_f64);
    let (now, leeway) = (now as f64, leeway as f64);
    if let Some(exp) = seconds("exp") {
        if exp + leeway - now <= 1.0 {
            return Some(format!("exp {exp} is within a second of the window's edge"));
        }
    }
    if let Some(nbf) = seconds("nbf") {
        if now - (nbf - leeway) < 1.0 {
            return Some(format!("nbf {nbf} is within a second of the window's edge"));
        }
    }
    None
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
        Observation::Panicked(_) | Observation::TimedOut(_) | Observation::NoAnswer(_)
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
        claims_expectation(p, 1000, claims.to_string().as_bytes(), Scoring::Strict)
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
        assert_eq!(expect(&p, json!({"exp": 990.5})), Expectation::Accept);
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
    fn outside_strict_runs_edges_and_hardening_are_either() {
        let p = policy(10);
        let by_default = |claims: Value| {
            claims_expectation(&p, 1000, claims.to_string().as_bytes(), Scoring::Default)
        };
        for claims in [
            json!({"exp": 990.5}),
            json!({"exp": 991}),
            json!({"exp": 990}),
            json!({"nbf": 1010}),
            json!({"nbf": 1011}),
            json!({"iat": "x"}),
        ] {
            assert!(
                matches!(by_default(claims.clone()), Expectation::Either(_)),
                "{claims}"
            );
        }
        assert_eq!(
            by_default(json!({"exp": 992, "nbf": 1009})),
            Expectation::Accept
        );
        assert!(matches!(
            by_default(json!({"exp": 989})),
            Expectation::Reject(_)
        ));
        assert!(matches!(
            by_default(json!({"nbf": 1012})),
            Expectation::Reject(_)
        ));
        // Without leeway, exp == now is expired whatever the run.
        let p0 = policy(0);
        let at = |claims: Value| {
            claims_expectation(&p0, 1000, claims.to_string().as_bytes(), Scoring::Default)
        };
        assert!(matches!(at(json!({"exp": 1000})), Expectation::Reject(_)));
        assert!(matches!(at(json!({"exp": 1001})), Expectation::Either(_)));
        assert_eq!(at(json!({"exp": 1002})), Expectation::Accept);
    }

    #[test]
    fn choices_the_references_split_between_them_are_either() {
        // The strict reference refuses the future iat, the lenient one the exp beyond
        // 2^53; a verifier reading big numbers and ignoring iat accepts, rightly.
        let p = policy(0);
        let claims = json!({"iat": 5000, "exp": 9_223_372_036_854_775_808u64});
        let by_default =
            claims_expectation(&p, 1000, claims.to_string().as_bytes(), Scoring::Default);
        assert!(
            matches!(by_default, Expectation::Either(_)),
            "{by_default:?}"
        );
        assert!(matches!(expect(&p, claims), Expectation::Reject(_)));
        // Refused by every mix of choices: still a rejection.
        let expired = json!({"iat": 5000, "exp": 999});
        let by_default =
            claims_expectation(&p, 1000, expired.to_string().as_bytes(), Scoring::Default);
        assert!(
            matches!(by_default, Expectation::Reject(_)),
            "{by_default:?}"
        );
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
            claims_expectation(&p, 0, b"[1]", Scoring::Default),
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

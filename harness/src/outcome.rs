//! Scoring: what a case's observation means, given what was expected and what the
//! adapter's manifest says.

use crate::case::{Case, Expected};
use crate::runner::Observation;
use crate::verdict::Verdict;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The result of scoring one case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The verifier did what the standard demands.
    Pass,
    /// The verifier did not, and the manifest does not list the case.
    Fail,
    /// The verifier did not, and the manifest lists the case with a reason.
    ExpectedFailure,
    /// The manifest lists the case but the verifier now passes it: the manifest is stale.
    UnexpectedPass,
    /// The case did not run against this adapter (the reason says why).
    Skipped,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::ExpectedFailure => "expected_failure",
            Outcome::UnexpectedPass => "unexpected_pass",
            Outcome::Skipped => "skipped",
        }
    }

    /// Whether this outcome makes the run fail.
    pub fn is_unexpected(self) -> bool {
        matches!(self, Outcome::Fail | Outcome::UnexpectedPass)
    }
}

/// What the verifier did, as the report's `verdict` field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VerdictLabel {
    Accepted,
    Rejected,
    Panicked,
    TimedOut,
    Unsupported,
}

impl VerdictLabel {
    pub fn as_str(self) -> &'static str {
        match self {
            VerdictLabel::Accepted => "accepted",
            VerdictLabel::Rejected => "rejected",
            VerdictLabel::Panicked => "panicked",
            VerdictLabel::TimedOut => "timed_out",
            VerdictLabel::Unsupported => "unsupported",
        }
    }
}

/// A scored case.
#[derive(Clone, Debug, PartialEq)]
pub struct Scored {
    pub outcome: Outcome,
    pub verdict: VerdictLabel,
    /// Short reason: the reject kind, the skip reason, the panic message.
    pub reason: String,
    /// What was expected against what happened, for people.
    pub detail: String,
    /// A non-fatal remark, e.g. rejected for another reason than expected.
    pub warning: Option<String>,
}

/// Scores an observation; `listed` is the manifest's reason if the case is listed.
pub fn score(case: &Case, observation: &Observation, listed: Option<&str>) -> Scored {
    score_fetched(case, observation, &[], listed)
}

/// Scores an observation knowing which header-supplied URLs the verifier fetched from
/// the canary while verifying: any fetch fails the case, whatever the verdict, because
/// dereferencing an attacker's URL is itself the vulnerability (RFC 8725 section 3.10).
pub fn score_fetched(
    case: &Case,
    observation: &Observation,
    fetched: &[String],
    listed: Option<&str>,
) -> Scored {
    let (verdict, mut reason, mut passed, mut detail, warning) = judge(case, observation);
    if let Some(url) = fetched.first() {
        passed = false;
        reason = "fetched a header-supplied URL".to_string();
        detail = format!(
            "fetched {url}: the verifier dereferenced a header-supplied URL (SSRF, RFC 8725 3.10); {detail}"
        );
    }
    let outcome = match (verdict, passed, listed) {
        (VerdictLabel::Unsupported, _, _) if fetched.is_empty() => Outcome::Skipped,
        (_, true, None) => Outcome::Pass,
        (_, true, Some(_)) => Outcome::UnexpectedPass,
        (_, false, None) => Outcome::Fail,
        (_, false, Some(_)) => Outcome::ExpectedFailure,
    };
    let detail = match (outcome, listed) {
        (Outcome::ExpectedFailure, Some(why)) => format!("{detail}; listed in the manifest: {why}"),
        (Outcome::UnexpectedPass, Some(why)) => format!(
            "the manifest lists this case ({why}) but the verifier now passes it: remove the entry"
        ),
        _ => detail,
    };
    Scored {
        outcome,
        verdict,
        reason,
        detail,
        warning,
    }
}

type Judgement = (VerdictLabel, String, bool, String, Option<String>);

fn judge(case: &Case, observation: &Observation) -> Judgement {
    let expected = describe_expected(&case.expected);
    match observation {
        Observation::Skipped(why) | Observation::Unsupported(why) => (
            VerdictLabel::Unsupported,
            why.clone(),
            false,
            format!("not run: {why}"),
            None,
        ),
        Observation::Verdict(Verdict::Unsupported { why }) => (
            VerdictLabel::Unsupported,
            why.clone(),
            false,
            format!("not run: {why}"),
            None,
        ),
        Observation::Panicked(msg) => (
            VerdictLabel::Panicked,
            msg.clone(),
            false,
            format!("expected {expected}, but the verifier panicked: {msg}"),
            None,
        ),
        Observation::Verdict(Verdict::Broken { why }) => (
            VerdictLabel::Panicked,
            why.clone(),
            false,
            format!("expected {expected}, but the verifier gave no usable answer: {why}"),
            None,
        ),
        Observation::TimedOut(limit) => (
            VerdictLabel::TimedOut,
            format!("no answer within {limit:?}"),
            false,
            format!("expected {expected}, but the verifier gave no answer within {limit:?}"),
            None,
        ),
        Observation::Refused { kind, message } => {
            judge_rejection(case, *kind, &format!("at prepare: {message}"))
        }
        Observation::Verdict(Verdict::Rejected { kind, message }) => {
            judge_rejection(case, *kind, message)
        }
        Observation::Verdict(Verdict::Accepted { claims }) => judge_acceptance(case, claims),
    }
}

fn judge_rejection(case: &Case, kind: crate::RejectKind, message: &str) -> Judgement {
    let got = format!("rejected ({kind}): {message}");
    match &case.expected {
        Expected::Reject { kind: wanted } => {
            let warning = (*wanted != kind).then(|| {
                format!("rejected as {kind}, expected {wanted}: right verdict, possibly for the wrong reason")
            });
            (VerdictLabel::Rejected, kind.to_string(), true, got, warning)
        }
        Expected::Either { why } => (
            VerdictLabel::Rejected,
            kind.to_string(),
            true,
            format!("{got} (either is allowed: {why})"),
            None,
        ),
        Expected::Accept { .. } => (
            VerdictLabel::Rejected,
            kind.to_string(),
            false,
            format!("expected accept, got {got}"),
            None,
        ),
    }
}

fn judge_acceptance(case: &Case, claims: &Map<String, Value>) -> Judgement {
    let got = format!("accepted with claims {}", Value::Object(claims.clone()));
    match &case.expected {
        Expected::Accept { claims: wanted } if wanted == claims => {
            (VerdictLabel::Accepted, String::new(), true, got, None)
        }
        Expected::Accept { claims: wanted } => (
            VerdictLabel::Accepted,
            "claims differ".to_string(),
            false,
            format!(
                "expected accept with claims {}, but {got}",
                Value::Object(wanted.clone())
            ),
            None,
        ),
        Expected::Either { why } => (
            VerdictLabel::Accepted,
            String::new(),
            true,
            format!("{got} (either is allowed: {why})"),
            None,
        ),
        Expected::Reject { kind } => (
            VerdictLabel::Accepted,
            "accepted".to_string(),
            false,
            format!("expected reject ({kind}), but the token was {got}"),
            None,
        ),
    }
}

/// "reject (expired)", "accept with exactly the signed claims", "either".
pub fn describe_expected(expected: &Expected) -> String {
    match expected {
        Expected::Accept { .. } => "accept with exactly the signed claims".to_string(),
        Expected::Reject { kind } => format!("reject ({kind})"),
        Expected::Either { why } => format!("either accept or reject ({why})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verdict::RejectKind;

    #[test]
    fn a_broken_answer_fails_even_where_a_rejection_was_expected() {
        let case = Case::builder("format/example", "t")
            .refs(["RFC7515#section-7.1"])
            .token("a.b.c")
            .expect_reject(RejectKind::Malformed)
            .build();
        let broken = Observation::Verdict(Verdict::Broken {
            why: "garbage reply: `oops`".to_string(),
        });
        let scored = score(&case, &broken, None);
        assert_eq!(scored.outcome, Outcome::Fail);
        assert_eq!(scored.verdict, VerdictLabel::Panicked);
        assert!(scored.detail.contains("`oops`"), "{}", scored.detail);
        assert_eq!(
            score(&case, &broken, Some("known")).outcome,
            Outcome::ExpectedFailure
        );
    }
}

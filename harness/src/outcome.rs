//! Scoring: what a case's observation means, given what was expected and what the
//! adapter's manifest says.

use crate::case::{Case, Expected};
use crate::runner::Observation;
use crate::verdict::Verdict;
use serde::Serialize;
use serde_json::{Map, Value};

/// The result of scoring one case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
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
    let (verdict, reason, passed, detail, warning) = judge(case, observation);
    let outcome = match (verdict, passed, listed) {
        (VerdictLabel::Unsupported, _, _) => Outcome::Skipped,
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

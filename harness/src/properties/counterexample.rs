//! Failures for people: the counterexample token decoded (header, payload, signature
//! length), the policy it met, what was expected and what the verifier did.

use crate::b64;
use crate::generate::mutations::{elide, lenient_decode};
use crate::outcome::VerdictLabel;
use crate::policy::Policy;
use crate::runner::Observation;
use crate::verdict::Verdict;
use serde_json::Value;
use std::fmt::Write;

/// Longest decoded segment shown in full.
const SHOWN: usize = 400;

fn segment_text(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => elide(text, SHOWN),
        Err(_) => format!("{} bytes, not UTF-8", bytes.len()),
    }
}

fn decode_segment(text: &str) -> Result<(Vec<u8>, bool), String> {
    match b64::decode(text) {
        Ok(bytes) => Ok((bytes, true)),
        Err(e) => lenient_decode(text)
            .map(|bytes| (bytes, false))
            .ok_or_else(|| format!("not base64url ({e})")),
    }
}

/// The token and its segments decoded, one per line, indented by `indent`.
pub fn describe_token(token: &str, indent: &str) -> String {
    let parts: Vec<&str> = token.split('.').collect();
    let mut out = String::new();
    let _ = writeln!(out, "{indent}token:     {}", elide(token, SHOWN));
    if parts.len() != 3 {
        let _ = writeln!(
            out,
            "{indent}segments:  {} (a compact JWS has 3)",
            parts.len()
        );
    }
    for (i, label) in ["header:   ", "payload:  "].iter().enumerate() {
        let line = match parts.get(i).map(|p| decode_segment(p)) {
            None => "missing".to_string(),
            Some(Ok((bytes, strict))) => format!(
                "{}{}",
                segment_text(&bytes),
                if strict {
                    ""
                } else {
                    "  (only with lenient base64url)"
                }
            ),
            Some(Err(e)) => e,
        };
        let _ = writeln!(out, "{indent}{label} {line}");
    }
    let signature = match parts.get(2).map(|p| decode_segment(p)) {
        None => "missing".to_string(),
        Some(Ok((bytes, strict))) => format!(
            "{} bytes{}",
            bytes.len(),
            if strict {
                ""
            } else {
                "  (only with lenient base64url)"
            }
        ),
        Some(Err(e)) => e,
    };
    let _ = writeln!(out, "{indent}signature: {signature}");
    out
}

/// The policy on one line.
pub fn describe_policy(policy: &Policy, now: i64) -> String {
    let keys: Vec<String> = policy
        .keys
        .keys
        .iter()
        .map(|k| match &k.kid {
            Some(kid) => format!("{} kid={kid}", k.kty),
            None => format!("{} (no kid)", k.kty),
        })
        .collect();
    let algs: Vec<&str> = policy.algorithms.iter().map(|a| a.as_str()).collect();
    format!(
        "algorithms [{}], keys [{}], issuer {}, audience {:?}, required {:?}, leeway {} s, now {now} ({})",
        algs.join(", "),
        keys.join(", "),
        policy.issuer.as_deref().map_or("none".to_string(), |i| format!("{i:?}")),
        policy.audience,
        policy.required_claims,
        policy.leeway,
        if policy.now.is_some() { "injected" } else { "system clock" }
    )
}

/// What the verifier did, on one line.
pub fn describe_observation(o: &Observation) -> String {
    match o {
        Observation::Verdict(Verdict::Accepted { claims }) => {
            format!(
                "accepted with claims {}",
                elide(&Value::Object(claims.clone()).to_string(), SHOWN)
            )
        }
        Observation::Verdict(Verdict::Rejected { kind, message }) => {
            format!("rejected ({kind}): {message}")
        }
        Observation::Verdict(Verdict::Unsupported { why }) => format!("unsupported: {why}"),
        Observation::NoAnswer(why) => format!("no usable answer: {why}"),
        Observation::Refused { kind, message } => format!("refused the policy ({kind}): {message}"),
        Observation::Unsupported(why) => format!("cannot express the policy: {why}"),
        Observation::Panicked(msg) => format!("panicked: {msg}"),
        Observation::TimedOut(limit) => format!("no answer within {limit:?}"),
        Observation::Skipped(why) => format!("not run: {why}"),
    }
}

/// The report label of an observation.
pub fn verdict_label(o: &Observation) -> VerdictLabel {
    match o {
        Observation::Verdict(Verdict::Accepted { .. }) => VerdictLabel::Accepted,
        Observation::Verdict(Verdict::Rejected { .. }) | Observation::Refused { .. } => {
            VerdictLabel::Rejected
        }
        Observation::Panicked(_) | Observation::NoAnswer(_) => VerdictLabel::Panicked,
        Observation::TimedOut(_) => VerdictLabel::TimedOut,
        Observation::Verdict(Verdict::Unsupported { .. })
        | Observation::Unsupported(_)
        | Observation::Skipped(_) => VerdictLabel::Unsupported,
    }
}

/// One falsified instance of a property.
#[derive(Clone, Debug, PartialEq)]
pub struct Failure {
    /// One line: what went wrong.
    pub summary: String,
    /// The token the verifier got wrong.
    pub token: String,
    /// The policy it was verified under.
    pub policy: Policy,
    /// The current time of the check, in seconds since the epoch.
    pub now: i64,
    /// What the oracle demanded.
    pub expected: String,
    /// What the verifier did.
    pub observation: Observation,
    /// Further context: the mutation applied, the token it started from, …
    pub notes: Vec<(&'static str, String)>,
}

impl Failure {
    /// A failure without notes.
    pub fn new(
        summary: impl Into<String>,
        token: &str,
        policy: &Policy,
        now: i64,
        expected: impl Into<String>,
        observation: &Observation,
    ) -> Failure {
        Failure {
            summary: summary.into(),
            token: token.to_string(),
            policy: policy.clone(),
            now,
            expected: expected.into(),
            observation: observation.clone(),
            notes: Vec::new(),
        }
    }

    /// Adds a labelled note.
    pub fn note(mut self, label: &'static str, text: impl Into<String>) -> Failure {
        self.notes.push((label, text.into()));
        self
    }

    /// The multi-line description.
    pub fn render(&self) -> String {
        let mut out = format!("{}\n", self.summary);
        out.push_str(&describe_token(&self.token, "  "));
        let _ = writeln!(
            out,
            "  policy:    {}",
            describe_policy(&self.policy, self.now)
        );
        let _ = writeln!(out, "  expected:  {}", self.expected);
        let _ = writeln!(
            out,
            "  got:       {}",
            describe_observation(&self.observation)
        );
        for (label, text) in &self.notes {
            let _ = writeln!(out, "  {label:<10} {text}");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forge;
    use crate::Alg;
    use serde_json::json;

    #[test]
    fn tokens_are_shown_decoded() {
        let token = forge::jwt(Alg::HS256, "oct-a", &json!({"exp": 5}));
        let text = describe_token(&token, "");
        assert!(text.contains(r#"payload:   {"exp":5}"#), "{text}");
        assert!(text.contains("signature: 32 bytes"), "{text}");
        let odd = describe_token("e30=.!!.x", "");
        assert!(odd.contains("only with lenient base64url"), "{odd}");
        assert!(odd.contains("payload:   not base64url"), "{odd}");
        assert!(describe_token("a", "").contains("segments:  1"));
    }
}

//! One scored test case: a token, the policy it is checked under, and what the
//! standard says the verifier must do with it.

use crate::alg::Alg;
use crate::policy::Policy;
use crate::verdict::RejectKind;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::fmt;

/// How bad it is when a verifier gets the case wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// A forged or unsigned token is accepted.
    Critical,
    /// A claim policy (exp, nbf, aud, iss, typ, crit) is bypassed.
    High,
    /// Lax parsing that enables confusion between parties.
    Medium,
    /// Strictness or interoperability.
    Low,
    /// Behaviour worth knowing; never a vulnerability on its own.
    Info,
}

impl Severity {
    /// Most severe first.
    pub const ALL: [Severity; 5] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
            Severity::Info => "info",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the standard demands of the verifier.
#[derive(Clone, Debug, PartialEq)]
pub enum Expected {
    /// Accept, handing back exactly these claims.
    Accept { claims: Map<String, Value> },
    /// Reject; `kind` is the reason we expect (a different reason is only a warning).
    Reject { kind: RejectKind },
    /// The RFC leaves the choice open; `why` says where.
    Either { why: String },
}

impl Expected {
    /// `accept`, `reject` or `either`.
    pub fn label(&self) -> &'static str {
        match self {
            Expected::Accept { .. } => "accept",
            Expected::Reject { .. } => "reject",
            Expected::Either { .. } => "either",
        }
    }

    /// Accept with the claims of a JSON object value.
    pub fn accept(claims: &Value) -> Expected {
        Expected::Accept {
            claims: claims.as_object().cloned().unwrap_or_default(),
        }
    }
}

/// What the adapter must offer for the case to be meaningful.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Needs {
    /// Algorithms the adapter must support.
    pub algorithms: Vec<Alg>,
    /// The case tests an exact time boundary, so the clock must be injectable.
    pub injectable_clock: bool,
}

/// One case of the suite.
#[derive(Clone, Debug, PartialEq)]
pub struct Case {
    /// Stable id, `class/name`, lower-case; never changes meaning once published.
    pub id: String,
    /// One-line title.
    pub title: String,
    pub severity: Severity,
    /// Sources: `RFC7515#section-4.1.1`, `RFC8725#section-3.1`, `CVE-2015-9235`, …
    pub refs: Vec<String>,
    /// What is sent (the token's peculiarity).
    pub description: String,
    /// What the standard demands, quoted where possible.
    pub requirement: String,
    /// The compact token.
    pub token: String,
    /// The policy the verifier is prepared with.
    pub policy: Policy,
    pub expected: Expected,
    pub needs: Needs,
    /// A positive control for a reject case: a token that differs from `token` only in
    /// being valid, under the same policy. The strict reference verifier must accept it,
    /// which proves the case's token is rejected for the one thing it attacks.
    pub control: Option<String>,
}

impl Case {
    /// The class: the part of the id before the `/`.
    pub fn class(&self) -> &str {
        self.id.split('/').next().unwrap_or(&self.id)
    }

    /// Why this case cannot run against an adapter with these algorithms and clock.
    pub fn skip_reason(&self, algorithms: &[Alg], clock: crate::Clock) -> Option<String> {
        if self.needs.injectable_clock && clock == crate::Clock::System {
            return Some(
                "tests an exact time boundary, which needs an injectable clock; the adapter reads the system clock"
                    .to_string(),
            );
        }
        let missing: Vec<&str> = self
            .needs
            .algorithms
            .iter()
            .filter(|a| !algorithms.contains(a))
            .map(|a| a.as_str())
            .collect();
        if missing.is_empty() {
            None
        } else {
            Some(format!("adapter does not support {}", missing.join(", ")))
        }
    }
}

/// Builds a case so that its code reads like its description.
#[derive(Clone, Debug)]
pub struct CaseBuilder {
    case: Case,
}

impl Case {
    /// Starts a case; every field must then be given before [`CaseBuilder::build`].
    pub fn builder(id: impl Into<String>, title: impl Into<String>) -> CaseBuilder {
        CaseBuilder {
            case: Case {
                id: id.into(),
                title: title.into(),
                severity: Severity::Info,
                refs: Vec::new(),
                description: String::new(),
                requirement: String::new(),
                token: String::new(),
                policy: Policy::new(Default::default(), Vec::new(), None),
                expected: Expected::Either { why: String::new() },
                needs: Needs::default(),
                control: None,
            },
        }
    }
}

impl CaseBuilder {
    pub fn severity(mut self, severity: Severity) -> Self {
        self.case.severity = severity;
        self
    }
    pub fn refs<I: IntoIterator<Item = S>, S: Into<String>>(mut self, refs: I) -> Self {
        self.case.refs = refs.into_iter().map(Into::into).collect();
        self
    }
    /// What is sent.
    pub fn sends(mut self, description: impl Into<String>) -> Self {
        self.case.description = description.into();
        self
    }
    /// What the standard demands.
    pub fn requirement(mut self, requirement: impl Into<String>) -> Self {
        self.case.requirement = requirement.into();
        self
    }
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.case.token = token.into();
        self
    }
    pub fn policy(mut self, policy: Policy) -> Self {
        self.case.policy = policy;
        self
    }
    pub fn expect_accept(mut self, claims: &Value) -> Self {
        self.case.expected = Expected::accept(claims);
        self
    }
    pub fn expect_reject(mut self, kind: RejectKind) -> Self {
        self.case.expected = Expected::Reject { kind };
        self
    }
    pub fn expect_either(mut self, why: impl Into<String>) -> Self {
        self.case.expected = Expected::Either { why: why.into() };
        self
    }
    pub fn needs_algorithms(mut self, algs: &[Alg]) -> Self {
        self.case.needs.algorithms = algs.to_vec();
        self
    }
    pub fn needs_injectable_clock(mut self) -> Self {
        self.case.needs.injectable_clock = true;
        self
    }
    /// The positive control: the same kind of token, valid under the same policy.
    pub fn control(mut self, token: impl Into<String>) -> Self {
        self.case.control = Some(token.into());
        self
    }
    pub fn build(self) -> Case {
        let c = &self.case;
        debug_assert!(
            c.id.contains('/') && c.id == c.id.to_lowercase(),
            "case id {} must be lower-case class/name",
            c.id
        );
        debug_assert!(!c.refs.is_empty(), "case {} has no refs", c.id);
        debug_assert!(
            !c.token.is_empty() || c.id.starts_with("format/"),
            "case {} has no token",
            c.id
        );
        self.case
    }
}

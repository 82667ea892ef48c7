//! One scored test case: a token, the policy it is checked under, and what the
//! standard says the verifier must do with it.

use crate::alg::Alg;
use crate::policy::Policy;
use crate::scenario::{Scenario, Step};
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

    /// Sort rank, most severe first: `critical` is 0.
    pub fn rank(self) -> usize {
        self as usize
    }

    /// The lower-case name reports use: `critical`, `high`, `medium`, `low` or `info`.
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

/// How binding a case's expectation is, independent of its severity.
///
/// Default runs score [`Level::Rfc`] and [`Level::Bcp`]; a strict run adds
/// [`Level::Strict`]. Outside the selected levels a deviation is information, never a
/// failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// A MUST or MUST NOT of the JOSE/JWT RFCs (7515, 7516, 7517, 7518, 7519, 7797, 8037),
    /// or of RFC 8259 for the JSON itself.
    Rfc,
    /// A MUST of RFC 8725 (JWT Best Current Practices), its condition expressed in the
    /// case's policy.
    Bcp,
    /// A SHOULD, a "MAY reject", hardening beyond both, or a convention of this suite.
    /// Where a strict case's expectation is not met, the RFCs permit the other answer:
    /// outside strict runs the case accepts either (and still checks the claims of an
    /// acceptance).
    Strict,
}

impl Level {
    /// Every level, most binding first.
    pub const ALL: [Level; 3] = [Level::Rfc, Level::Bcp, Level::Strict];

    /// `rfc`, `bcp` or `strict`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Rfc => "rfc",
            Level::Bcp => "bcp",
            Level::Strict => "strict",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which levels a run scores.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scoring {
    /// `rfc` and `bcp`: what the standards and RFC 8725 demand.
    #[default]
    Default,
    /// Every level, `strict` included.
    Strict,
}

impl Scoring {
    /// Whether a case of this level is scored.
    pub fn includes(self, level: Level) -> bool {
        match self {
            Scoring::Default => level != Level::Strict,
            Scoring::Strict => true,
        }
    }

    /// The levels scored, for reports.
    pub fn levels(self) -> Vec<Level> {
        Level::ALL
            .into_iter()
            .filter(|l| self.includes(*l))
            .collect()
    }
}

/// What the standard demands of the verifier.
#[derive(Clone, Debug, PartialEq)]
pub enum Expected {
    /// Accept, handing back exactly these claims.
    Accept {
        /// The claims the verifier must hand back.
        claims: Map<String, Value>,
    },
    /// Reject; `kind` is the reason we expect (a different reason is only a warning).
    Reject {
        /// The rejection reason expected.
        kind: RejectKind,
    },
    /// The RFC leaves the choice open; `why` says where.
    Either {
        /// Where the RFC leaves the choice open.
        why: String,
    },
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

    /// Reject, for the reason `kind`.
    pub fn reject(kind: RejectKind) -> Expected {
        Expected::Reject { kind }
    }
}

/// What the adapter must offer for the case to be meaningful.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Needs {
    /// Algorithms the adapter must support.
    pub algorithms: Vec<Alg>,
    /// The case tests an exact time boundary, so the clock must be injectable.
    pub injectable_clock: bool,
    /// The verifier must fetch its keys from a remote key set
    /// ([`AdapterInfo::remote_jwks`](crate::AdapterInfo::remote_jwks)).
    pub remote_jwks: bool,
}

/// A positive control: a valid token under a policy, which differs from the case's
/// token and policy only in what the case attacks.
#[derive(Clone, Debug, PartialEq)]
pub struct Control {
    /// The valid token.
    pub token: String,
    /// The policy it is verified under: the case's own, unless the attack is the policy
    /// itself (a weak trusted key, say).
    pub policy: Policy,
}

/// One case of the suite.
#[derive(Clone, Debug, PartialEq)]
pub struct Case {
    /// Stable id, `class/name`, lower-case; never changes meaning once published.
    pub id: String,
    /// One-line title.
    pub title: String,
    /// How bad a wrong answer is.
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
    /// What the standard demands of the verifier.
    pub expected: Expected,
    /// How binding `expected` is.
    pub level: Level,
    /// The reference (one of `refs`) whose sentence sets the level: an RFC's MUST for
    /// `rfc`, RFC 8725 for `bcp`, the SHOULD, MAY or convention for `strict`.
    pub basis: String,
    /// What the adapter must offer for the case to be meaningful.
    pub needs: Needs,
    /// The positive control of a reject or either case: a token that differs from `token`
    /// only in being valid. Both references accept it, which proves the case's token is
    /// rejected for the one thing it attacks; the verifier under test must accept it too
    /// for its rejection of the case to count as a pass.
    pub control: Option<Control>,
    /// Where the case is built (`file:line`), for `explain` and failure messages.
    pub defined_at: &'static str,
    /// For a scenario case, its steps against one prepared verifier; `token`, `expected`
    /// and `control` then describe its decisive step, for listings, and are not run.
    pub scenario: Option<Scenario>,
    /// The most the verifier's process may grow while answering, in KiB: a verifier whose
    /// peak resident set rises further above where it was before the request fails the
    /// case, whatever its verdict. Checked only where memory is measured (process
    /// adapters, [`crate::memory`]); `None` for cases about verdicts alone.
    pub memory_bound_kib: Option<u64>,
}

impl Case {
    /// What a run scoring `scoring` demands: the case's expectation at a selected level,
    /// and otherwise either answer (the RFCs permit the other choice).
    pub fn expected_under(&self, scoring: Scoring) -> Expected {
        if scoring.includes(self.level) {
            return self.expected.clone();
        }
        Expected::Either {
            why: format!(
                "a {} expectation ({}), not scored in this run",
                self.level, self.basis
            ),
        }
    }

    /// The positive control's token, if the case has one.
    pub fn control_token(&self) -> Option<&str> {
        self.control.as_ref().map(|c| c.token.as_str())
    }

    /// The class: the part of the id before the `/`.
    pub fn class(&self) -> &str {
        self.id.split('/').next().unwrap_or(&self.id)
    }

    /// Why this case cannot run against an adapter with these algorithms and clock.
    pub fn skip_reason(&self, info: &crate::AdapterInfo) -> Option<String> {
        let (algorithms, clock) = (&info.algorithms, info.clock);
        if self.needs.remote_jwks && !info.remote_jwks {
            return Some(
                "needs a verifier that fetches its keys from a remote key set; the adapter does not"
                    .to_string(),
            );
        }
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
    /// The control's token and, when it differs from the case's, its policy; resolved
    /// against the case's final policy in [`CaseBuilder::build`].
    control: Option<(String, Option<Policy>)>,
}

impl Case {
    /// Starts a case; every field must then be given before [`CaseBuilder::build`].
    #[track_caller]
    pub fn builder(id: impl Into<String>, title: impl Into<String>) -> CaseBuilder {
        let at = std::panic::Location::caller();
        CaseBuilder {
            control: None,
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
                level: Level::Rfc,
                basis: String::new(),
                needs: Needs::default(),
                control: None,
                defined_at: location(at),
                scenario: None,
                memory_bound_kib: None,
            },
        }
    }
}

/// `harness/src/catalogue/time.rs:120`: a caller's location as a static string. Cases are
/// built once per run, and there are a few hundred distinct call sites, so the strings
/// are interned rather than leaked per case.
fn location(at: &'static std::panic::Location<'static>) -> &'static str {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static SEEN: OnceLock<Mutex<HashMap<(&'static str, u32), &'static str>>> = OnceLock::new();
    let mut seen = SEEN
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    seen.entry((at.file(), at.line()))
        .or_insert_with(|| Box::leak(format!("{}:{}", at.file(), at.line()).into_boxed_str()))
}

impl CaseBuilder {
    /// The level of the expectation and the reference whose sentence sets it (added to
    /// the refs if missing).
    pub fn level(mut self, level: Level, basis: impl Into<String>) -> Self {
        let basis = basis.into();
        if !self.case.refs.contains(&basis) {
            self.case.refs.push(basis.clone());
        }
        self.case.level = level;
        self.case.basis = basis;
        self
    }
    /// An RFC MUST, set by the sentence at `basis` (e.g. `RFC7519#section-4.1.4`).
    pub fn rfc(self, basis: impl Into<String>) -> Self {
        self.level(Level::Rfc, basis)
    }
    /// An RFC 8725 MUST, set by the sentence at `basis` (e.g. `RFC8725#section-3.1`).
    pub fn bcp(self, basis: impl Into<String>) -> Self {
        self.level(Level::Bcp, basis)
    }
    /// A SHOULD, MAY-reject, hardening or suite convention, set at `basis`.
    pub fn strict(self, basis: impl Into<String>) -> Self {
        self.level(Level::Strict, basis)
    }
    /// How bad a wrong answer is.
    pub fn severity(mut self, severity: Severity) -> Self {
        self.case.severity = severity;
        self
    }
    /// The sources; the level's basis, if already given, stays among them.
    pub fn refs<I: IntoIterator<Item = S>, S: Into<String>>(mut self, refs: I) -> Self {
        self.case.refs = refs.into_iter().map(Into::into).collect();
        if !self.case.basis.is_empty() && !self.case.refs.contains(&self.case.basis) {
            self.case.refs.push(self.case.basis.clone());
        }
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
    /// The compact token sent.
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.case.token = token.into();
        self
    }
    /// The policy the verifier is prepared with.
    pub fn policy(mut self, policy: Policy) -> Self {
        self.case.policy = policy;
        self
    }
    /// Expects acceptance, with exactly the claims of the JSON object `claims`.
    pub fn expect_accept(mut self, claims: &Value) -> Self {
        self.case.expected = Expected::accept(claims);
        self
    }
    /// Expects rejection, for the reason `kind`.
    pub fn expect_reject(mut self, kind: RejectKind) -> Self {
        self.case.expected = Expected::Reject { kind };
        self
    }
    /// Leaves the verdict open; `why` says where the RFC does.
    pub fn expect_either(mut self, why: impl Into<String>) -> Self {
        self.case.expected = Expected::Either { why: why.into() };
        self
    }
    /// The algorithms the adapter must support.
    pub fn needs_algorithms(mut self, algs: &[Alg]) -> Self {
        self.case.needs.algorithms = algs.to_vec();
        self
    }
    /// The case tests an exact time boundary, so the clock must be injectable.
    pub fn needs_injectable_clock(mut self) -> Self {
        self.case.needs.injectable_clock = true;
        self
    }
    /// Makes this a scenario case: `steps` run in order against one prepared verifier
    /// that fetches its keys from the policy's remote key set.
    pub fn scenario(mut self, steps: Vec<Step>) -> Self {
        self.case.needs.remote_jwks = true;
        self.case.scenario = Some(Scenario { steps });
        self
    }
    /// Bounds the growth of the verifier's resident set while it answers (see
    /// [`Case::memory_bound_kib`]).
    pub fn memory_bound_kib(mut self, kib: u64) -> Self {
        self.case.memory_bound_kib = Some(kib);
        self
    }
    /// The positive control: the same kind of token, valid under the case's policy.
    pub fn control(mut self, token: impl Into<String>) -> Self {
        self.control = Some((token.into(), None));
        self
    }
    /// The positive control under its own policy, for cases whose attack is the policy
    /// (a key too weak to trust): the same token shape, valid under `policy`.
    pub fn control_under(mut self, policy: Policy, token: impl Into<String>) -> Self {
        self.control = Some((token.into(), Some(policy)));
        self
    }
    /// The case, with its positive control under the case's policy unless one was given.
    pub fn build(mut self) -> Case {
        self.case.control = self.control.take().map(|(token, policy)| Control {
            token,
            policy: policy.unwrap_or_else(|| self.case.policy.clone()),
        });
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

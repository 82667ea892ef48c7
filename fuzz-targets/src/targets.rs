//! The fuzz targets' bodies: each takes the fuzzer's bytes and returns a [`Finding`]
//! when the oracle is unhappy. The cargo-fuzz targets panic with it; the replay test
//! asserts there is none.

use crate::adapters::Chosen;
use crate::deviations::Deviations;
use crate::known::{self, Divergence, Known};
use jwt_conformance::context::system_now;
use jwt_conformance::generate::fixed_setups::{self as setups, FixedSetup, CORPUS_NOW};
use jwt_conformance::generate::fuzzed;
use jwt_conformance::generate::mutations::lenient_decode;
use jwt_conformance::oracles::acceptance::{self, Moment, Rule, Signers, Violation};
use jwt_conformance::oracles::verified::VerifiedPairs;
use jwt_conformance::properties::counterexample::{describe_policy, describe_token};
use jwt_conformance::rules::json::difference as claims_difference;
use jwt_conformance::rules::Choice;
use jwt_conformance::{Clock, NoAnswer, Verdict, Verifier};
use jwt_conformance_reference::{ReferenceVerifier, Rejection};
use serde_json::{Map, Value};
use std::fmt::{self, Write};
use std::sync::OnceLock;

/// What a target found, decoded for people.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// The target that found it.
    pub target: &'static str,
    /// One line: what is wrong.
    pub summary: String,
    /// Labelled lines (a value may span several lines).
    pub details: Vec<(String, String)>,
}

impl Finding {
    fn new(target: &'static str, summary: impl Into<String>) -> Finding {
        Finding {
            target,
            summary: summary.into(),
            details: Vec::new(),
        }
    }

    fn with(mut self, label: impl Into<String>, text: impl Into<String>) -> Finding {
        self.details.push((label.into(), text.into()));
        self
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} finding: {}", self.target, self.summary)?;
        for (label, text) in &self.details {
            let mut lines = text.trim_end().lines();
            writeln!(
                f,
                "  {:<12} {}",
                format!("{label}:"),
                lines.next().unwrap_or_default().trim_start()
            )?;
            for line in lines {
                writeln!(f, "  {:<12} {}", "", line.trim_start())?;
            }
        }
        Ok(())
    }
}

/// A verifier's answer to a fuzzed token: a verdict, or none (a verifier process that
/// crashed or replied garbage), which is a finding.
type Answer = Result<Verdict, NoAnswer>;

/// Asks `verifier` about `token` the way the runner does.
fn ask(verifier: &dyn Verifier, token: &str) -> Answer {
    verifier.verify_request("fuzz", token)
}

fn verdict_text(answer: &Answer) -> String {
    match answer {
        Ok(Verdict::Accepted { claims }) => {
            format!("accepted, claims {}", Value::Object(claims.clone()))
        }
        Ok(Verdict::Rejected { kind, message }) => format!("rejected ({kind}): {message}"),
        Ok(Verdict::Unsupported { why }) => format!("unsupported: {why}"),
        Err(NoAnswer(why)) => format!("broken: {why}"),
    }
}

fn defects_text(defects: &[Rejection]) -> String {
    if defects.is_empty() {
        return "none: the strict reference verifier accepts this token".to_string();
    }
    defects.iter().map(|d| format!("{d}\n")).collect()
}

/// One adapter prepared for every fixed setup.
pub struct Prepared {
    /// The adapter, as the fuzz input or the environment chose it.
    pub chosen: Chosen,
    /// The clock the setups were built for.
    pub clock: Clock,
    /// The fixed setups (key, policy) the inputs are verified under.
    pub setups: Vec<FixedSetup>,
    /// One verifier per setup; `None` where the adapter cannot express the policy.
    verifiers: Vec<Option<Box<dyn Verifier>>>,
    /// Per setup, the signatures `verify_bytes`'s oracle has already checked.
    verified: Vec<VerifiedPairs>,
    deviations: OnceLock<Deviations>,
    /// The strict reference verifier per setup, made at the first finding.
    references: OnceLock<Vec<ReferenceVerifier>>,
    /// The lenient one, made at the first disagreement it settles.
    lenient: OnceLock<Vec<ReferenceVerifier>>,
    known: Vec<Known>,
}

impl Prepared {
    /// Prepares `chosen` for the fixed setups of `clock`.
    pub fn new(chosen: Chosen, clock: Clock) -> Prepared {
        let setups = setups::fixed(clock);
        let verifiers = setups
            .iter()
            .map(|s| chosen.adapter.prepare(&s.setup.policy).ok())
            .collect();
        Prepared {
            chosen,
            clock,
            verified: setups.iter().map(|_| VerifiedPairs::new()).collect(),
            setups,
            verifiers,
            deviations: OnceLock::new(),
            references: OnceLock::new(),
            lenient: OnceLock::new(),
            known: known::committed(),
        }
    }

    /// Prepares `chosen` for the fixed setups of its own clock.
    pub fn for_adapter(chosen: Chosen) -> Prepared {
        let clock = chosen.adapter.info().clock;
        Prepared::new(chosen, clock)
    }

    /// The manifest's deviations, worked out at the first finding.
    fn deviations(&self) -> &Deviations {
        self.deviations.get_or_init(|| Deviations::of(&self.chosen))
    }

    /// What the strict reference finds wrong with `token` under setup `index`.
    fn defects(&self, index: usize, token: &str) -> Vec<Rejection> {
        self.reference(&self.references, Choice::Strict, index)
            .defects(token)
    }

    /// Whether the lenient reference accepts `token` under setup `index`.
    fn lenient_accepts(&self, index: usize, token: &str) -> bool {
        self.reference(&self.lenient, Choice::Lenient, index)
            .defects(token)
            .is_empty()
    }

    /// The reference taking open choices `choice`'s way, made once per setup.
    fn reference<'r>(
        &self,
        made: &'r OnceLock<Vec<ReferenceVerifier>>,
        choice: Choice,
        index: usize,
    ) -> &'r ReferenceVerifier {
        &made.get_or_init(|| {
            self.setups
                .iter()
                .map(|s| ReferenceVerifier::new(&s.setup.policy, choice))
                .collect()
        })[index]
    }

    fn label(&self) -> String {
        format!(
            "{} {}",
            self.chosen.name,
            self.chosen.adapter.info().version
        )
    }

    /// The time claims are placed around, and the first reading of the verifier's clock.
    fn now(&self) -> i64 {
        match self.clock {
            Clock::Injectable => CORPUS_NOW,
            Clock::System => system_now(),
        }
    }

    /// The span of times the verifier may have read, given a reading taken before.
    fn moment(&self, before: i64) -> Moment {
        Moment::between(before, self.now())
    }

    /// `verify_bytes`: `data` as a token under every fixed setup.
    pub fn bytes(&self, data: &[u8]) -> Result<(), Finding> {
        let token = String::from_utf8_lossy(data);
        for (index, verifier) in self.verifiers.iter().enumerate() {
            let Some(verifier) = verifier else { continue };
            let before = self.now();
            let verdict = ask(&**verifier, &token);
            self.judge(
                "verify_bytes",
                index,
                &token,
                &verdict,
                before,
                Signers::PolicyRemembering(&self.verified[index]),
                None,
            )?;
        }
        Ok(())
    }

    /// [`bytes`](Self::bytes) without the oracle: the verdicts alone, for pricing the
    /// oracle. Returns how many setups accepted.
    pub fn bytes_unjudged(&self, data: &[u8]) -> usize {
        let token = String::from_utf8_lossy(data);
        self.verifiers
            .iter()
            .flatten()
            .filter(|v| matches!(ask(&***v, &token), Ok(Verdict::Accepted { .. })))
            .count()
    }

    /// [`structured`](Self::structured) without the oracle. Returns whether the token
    /// was accepted.
    pub fn structured_unjudged(&self, data: &[u8]) -> bool {
        let s = fuzzed::build(&self.setups, data, self.now());
        self.verifiers[s.index]
            .as_ref()
            .is_some_and(|v| matches!(ask(&**v, &s.token), Ok(Verdict::Accepted { .. })))
    }

    /// `verify_structured`: `data` as a scenario (see
    /// [`scenario`](jwt_conformance::generate::fuzzed)), judged against its ledger.
    pub fn structured(&self, data: &[u8]) -> Result<(), Finding> {
        let before = self.now();
        let s = fuzzed::build(&self.setups, data, before);
        let Some(verifier) = &self.verifiers[s.index] else {
            return Ok(());
        };
        let verdict = ask(&**verifier, &s.token);
        self.judge(
            "verify_structured",
            s.index,
            &s.token,
            &verdict,
            before,
            Signers::Ledger(&s.ledger),
            Some(&s.made),
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn judge(
        &self,
        target: &'static str,
        index: usize,
        token: &str,
        verdict: &Answer,
        before: i64,
        signers: Signers<'_>,
        made: Option<&str>,
    ) -> Result<(), Finding> {
        let setup = &self.setups[index].setup;
        let claims = match verdict {
            Ok(Verdict::Accepted { claims }) => claims,
            Err(NoAnswer(why)) => {
                return Err(self
                    .finding(
                        target,
                        "the verifier broke down on a token",
                        index,
                        token,
                        made,
                    )
                    .with("verdict", format!("broken: {why}")))
            }
            Ok(Verdict::Rejected { .. } | Verdict::Unsupported { .. }) => return Ok(()),
        };
        let moment = self.moment(before);
        let violations = acceptance::check(&setup.policy, token, claims, moment, signers);
        if violations.is_empty() {
            return Ok(());
        }
        let defects = self.defects(index, token);
        if self.documented(&violations, &defects, index, before) {
            return Ok(());
        }
        let summary = if violations.iter().any(|v| v.rule == Rule::Forgery) {
            "accepted a token no trusted key signed with an allowed algorithm"
        } else {
            "accepted a token the policy forbids"
        };
        let broke: String = violations.iter().map(|v| format!("{v}\n")).collect();
        Err(self
            .finding(target, summary, index, token, made)
            .with("verdict", verdict_text(verdict))
            .with("broke", broke)
            .with("defects", defects_text(&defects))
            .with(
                "manifest",
                format!(
                    "nothing in {} documents this; if it is a known deviation, list the catalogue case that shows it there",
                    self.manifest_source()
                ),
            ))
    }

    /// Whether every violation is documented: by the adapter's manifest, or, for an
    /// acceptance of a token the reference finds defects in, by an entry of the known
    /// divergences between this adapter and the reference (each defect by one or the
    /// other).
    fn documented(
        &self,
        violations: &[Violation],
        defects: &[Rejection],
        index: usize,
        now: i64,
    ) -> bool {
        let deviations = self.deviations();
        violations.iter().all(|v| match v.rule {
            Rule::ClaimsReturned => deviations.documents_claims(&v.why),
            _ => {
                deviations.documents_acceptance(defects)
                    || self.known_divergence(defects, index, now)
            }
        })
    }

    /// Whether the known divergences, with the manifest, document that this adapter
    /// accepts a token with `defects`, which the reference rejects.
    fn known_divergence(&self, defects: &[Rejection], index: usize, now: i64) -> bool {
        let Some(first) = defects.first() else {
            return false;
        };
        let fixed = &self.setups[index];
        let d = Divergence {
            accepted_by: self.chosen.name.clone(),
            rejected_by: "reference".to_string(),
            kind: first.kind,
            message: first.message.clone(),
            defects: defects.to_vec(),
            policy: format!(
                "setup {}: {}",
                fixed.name,
                describe_policy(&fixed.setup.policy, now)
            ),
        };
        let manifest = self.deviations();
        known::documents(&self.known, &d, |defect| manifest.documents_defect(defect))
    }

    fn manifest_source(&self) -> String {
        if self.chosen.manifest.source.is_empty() {
            format!("the manifest of {} (it has none)", self.chosen.name)
        } else {
            self.chosen.manifest.source.clone()
        }
    }

    fn finding(
        &self,
        target: &'static str,
        summary: &str,
        index: usize,
        token: &str,
        made: Option<&str>,
    ) -> Finding {
        let fixed = &self.setups[index];
        let now = self.now();
        let mut f = Finding::new(target, format!("{} {summary}", self.chosen.name))
            .with("adapter", self.label())
            .with("decoded", describe_token(token, ""))
            .with(
                "policy",
                format!(
                    "setup {}: {}",
                    fixed.name,
                    describe_policy(&fixed.setup.policy, now)
                ),
            );
        if let Some(made) = made {
            f = f.with("made as", made);
        }
        f
    }
}

/// `differential`: two adapters on the same scenarios.
pub struct Differential {
    /// The first adapter.
    pub a: Prepared,
    /// The second adapter.
    pub b: Prepared,
}

impl Differential {
    /// Both adapters on the setups of one clock: injected when both can be, else the
    /// system clock for both, so that they judge time alike.
    pub fn new(a: Chosen, b: Chosen) -> Differential {
        let injectable = |c: &Chosen| c.adapter.info().clock == Clock::Injectable;
        let clock = if injectable(&a) && injectable(&b) {
            Clock::Injectable
        } else {
            Clock::System
        };
        Differential {
            a: Prepared::new(a, clock),
            b: Prepared::new(b, clock),
        }
    }

    /// The scenario of `data` and both verdicts, or `None` when one adapter cannot
    /// express the scenario's policy.
    fn observe<'s>(&'s self, data: &[u8]) -> Option<(fuzzed::FuzzedToken<'s>, Answer, Answer)> {
        let s = fuzzed::build(&self.a.setups, data, self.a.now());
        let (Some(va), Some(vb)) = (&self.a.verifiers[s.index], &self.b.verifiers[s.index]) else {
            return None;
        };
        let x = ask(&**va, &s.token);
        let y = ask(&**vb, &s.token);
        Some((s, x, y))
    }

    /// The accept/reject disagreement on `data`, documented or not: for checking that
    /// each known divergence still has a reproducer.
    pub fn disagreement(&self, data: &[u8]) -> Option<Divergence> {
        let (s, x, y) = self.observe(data)?;
        self.split(&s, &x, &y).map(|(d, _, _)| d)
    }

    /// The disagreement between verdicts `x` (of a) and `y` (of b), with the accepting
    /// and the rejecting side.
    fn split(
        &self,
        s: &fuzzed::FuzzedToken<'_>,
        x: &Answer,
        y: &Answer,
    ) -> Option<(Divergence, &Prepared, &Prepared)> {
        let (accepting, rejecting, kind, message) = match (x, y) {
            (Ok(Verdict::Accepted { .. }), Ok(Verdict::Rejected { kind, message })) => {
                (&self.a, &self.b, *kind, message)
            }
            (Ok(Verdict::Rejected { kind, message }), Ok(Verdict::Accepted { .. })) => {
                (&self.b, &self.a, *kind, message)
            }
            _ => return None,
        };
        let d = Divergence {
            accepted_by: accepting.chosen.name.clone(),
            rejected_by: rejecting.chosen.name.clone(),
            kind,
            message: message.clone(),
            defects: self.a.defects(s.index, &s.token),
            policy: format!(
                "setup {}: {}",
                s.setup_name,
                describe_policy(&s.setup.policy, s.now)
            ),
        };
        Some((d, accepting, rejecting))
    }

    /// Runs one scenario through both adapters.
    pub fn run(&self, data: &[u8]) -> Result<(), Finding> {
        let Some((s, x, y)) = self.observe(data) else {
            return Ok(());
        };
        let (a, b) = (&self.a.chosen.name, &self.b.chosen.name);
        let finding = |summary: String| {
            self.a
                .finding("differential", &summary, s.index, &s.token, Some(&s.made))
                .with(a.clone(), verdict_text(&x))
                .with(b.clone(), verdict_text(&y))
        };
        if x.is_err() || y.is_err() {
            return Err(finding(format!("or {b} broke down on a token")));
        }
        if let (Ok(Verdict::Accepted { claims: ca }), Ok(Verdict::Accepted { claims: cb })) =
            (&x, &y)
        {
            let signed = signed_claims(&s.token);
            let documented = |p: &Prepared, got: &Map<String, Value>| {
                claims_difference(&signed, got).is_none_or(|d| p.deviations().documents_claims(&d))
            };
            if claims_difference(ca, cb).is_some()
                && !(documented(&self.a, ca) && documented(&self.b, cb))
            {
                return Err(finding(format!(
                    "and {b} accepted the same token with different claims"
                )));
            }
            return Ok(());
        }
        let Some((d, accepting, rejecting)) = self.split(&s, &x, &y) else {
            return Ok(());
        };
        // A token the strict reference finds defects in is the accepting side's deviation,
        // unless the acceptance breaks no rfc or bcp rule: then the rejecting side took a
        // choice the RFCs leave open the strict way. A token the strict reference accepts
        // is the rejecting side's deviation, unless the lenient reference, which takes
        // the open choices the other way, refuses it too.
        let sound = |claims: &Map<String, Value>| {
            let moment = Moment::between(s.now, self.a.now());
            let signers = Signers::Ledger(&s.ledger);
            acceptance::check(&s.setup.policy, &s.token, claims, moment, signers).is_empty()
        };
        let accepted = match (&x, &y) {
            (Ok(Verdict::Accepted { claims }), _) | (_, Ok(Verdict::Accepted { claims })) => {
                Some(claims)
            }
            _ => None,
        };
        let documented = if d.defects.is_empty() {
            !self.a.lenient_accepts(s.index, &s.token)
                || rejecting
                    .deviations()
                    .documents_rejection(d.kind, &d.message)
                || known::documents(&self.a.known, &d, |_| false)
        } else if accepted.is_some_and(sound) {
            true
        } else {
            let manifest = accepting.deviations();
            known::documents(&self.a.known, &d, |defect| {
                manifest.documents_defect(defect)
            })
        };
        if documented {
            return Ok(());
        }
        let summary = if std::ptr::eq(accepting, &self.a) {
            format!("accepted what {b} rejected")
        } else {
            format!("rejected what {b} accepted")
        };
        Err(annotate(finding(summary), &d))
    }
}

/// The divergence's details, and the entry that would document it.
fn annotate(f: Finding, d: &Divergence) -> Finding {
    let mut entry = format!(
        "[[divergence]]\naccepted-by = {:?}\nrejected-by = {:?}\nkind = {:?}\n",
        d.accepted_by,
        d.rejected_by,
        d.kind.as_str()
    );
    if let Some(first) = d.defects.first() {
        let _ = writeln!(entry, "defect = {:?}", first.message);
    }
    let _ = writeln!(
        entry,
        "# policy = a part of {:?}, when only some policies diverge",
        d.policy
    );
    entry.push_str("reason = \"…\"\n");
    f.with("defects", defects_text(&d.defects)).with(
        "known",
        format!(
            "not in {}; once understood (and pinned by a catalogue case), document it there:\n{entry}",
            known::KNOWN_DIVERGENCES_PATH
        ),
    )
}

/// The payload of a token as the issuer signed it, when it is a JSON object.
fn signed_claims(token: &str) -> Map<String, Value> {
    token
        .split('.')
        .nth(1)
        .and_then(lenient_decode)
        .and_then(|p| serde_json::from_slice(&p).ok())
        .unwrap_or_default()
}

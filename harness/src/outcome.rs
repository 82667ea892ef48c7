//! Scoring: what a case's observation means, given what was expected at the levels the
//! run scores, what the verifier did with the case's positive control, and what the
//! adapter's manifest says.

use crate::case::{Case, Expected, Level, Scoring};
use crate::memory::{self, MemoryUse};
use crate::rules::{base64url, json, Choice};
use crate::runner::Observation;
use crate::scenario::{Scenario, ScenarioRun, Step, StepResult};
use crate::verdict::{RejectKind, Verdict};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The result of scoring one case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The verifier did what the standard demands (and, for a rejection, accepted the
    /// case's positive control).
    Pass,
    /// The verifier did not, and the manifest does not list the case.
    Fail,
    /// The verifier did not, and the manifest lists the case with a reason.
    ExpectedFailure,
    /// The manifest lists the case but the verifier now passes it: the manifest is stale.
    UnexpectedPass,
    /// The verifier rejected the case's token but also its positive control, a valid
    /// token under the same policy: the rejection proves nothing about the attack. Not a
    /// failure by itself (the positive cases fail such a verifier), and not a pass.
    Unconfirmed,
    /// The verifier deviates from an expectation at a level this run does not score
    /// (`strict` in a default run) in a way the RFCs permit: stricter than required, or
    /// not hardened. Information, never a failure, and no manifest entry is needed.
    Informational,
    /// The case did not run against this adapter (the reason says why).
    Skipped,
}

impl Outcome {
    /// All outcomes in report order.
    pub const ALL: [Outcome; 7] = [
        Outcome::Pass,
        Outcome::Fail,
        Outcome::ExpectedFailure,
        Outcome::UnexpectedPass,
        Outcome::Unconfirmed,
        Outcome::Informational,
        Outcome::Skipped,
    ];

    /// The name reports use: `pass`, `fail`, `expected_failure`, …
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::ExpectedFailure => "expected_failure",
            Outcome::UnexpectedPass => "unexpected_pass",
            Outcome::Unconfirmed => "unconfirmed",
            Outcome::Informational => "informational",
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
    /// The token was accepted.
    Accepted,
    /// The token was rejected, or the policy refused.
    Rejected,
    /// The verifier panicked or gave no usable answer.
    Panicked,
    /// The verifier did not answer in time.
    TimedOut,
    /// The case could not be expressed or run.
    Unsupported,
}

impl VerdictLabel {
    /// The name reports use: `accepted`, `timed_out`, …
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
    /// How the case scored.
    pub outcome: Outcome,
    /// What the verifier did.
    pub verdict: VerdictLabel,
    /// Short reason: the reject kind, the skip reason, the panic message.
    pub reason: String,
    /// What was expected against what happened, for people.
    pub detail: String,
    /// A non-fatal remark, e.g. rejected for another reason than expected.
    pub warning: Option<String>,
    /// The level of the requirement the verifier failed: the case's own level, or `rfc`
    /// when a case outside the scored levels still broke a rule every level shares (a
    /// panic, claims handed back that were not signed).
    pub failed_at: Option<Level>,
    /// What the verifier's process used to answer the case's token, where measured.
    pub memory: Option<MemoryUse>,
}

/// Everything observed for one case.
#[derive(Clone, Copy, Debug)]
pub struct Observed<'a> {
    /// What the verifier did with the case's token.
    pub token: &'a Observation,
    /// What it did with the case's positive control, if the case has one.
    pub control: Option<&'a Observation>,
    /// Header-supplied URLs the verifier fetched while verifying: any fetch fails the
    /// case, whatever the verdict, because dereferencing an attacker's URL is itself the
    /// vulnerability (RFC 8725 section 3.10).
    pub fetched: &'a [String],
    /// What the verifier's process used to answer the token, where measured (process
    /// adapters): growth past the case's memory bound fails the case, whatever the
    /// verdict, as a hang does.
    pub memory: Option<MemoryUse>,
}

impl<'a> Observed<'a> {
    /// Just the token's observation: no control, nothing fetched.
    pub fn token(token: &'a Observation) -> Observed<'a> {
        Observed {
            token,
            control: None,
            fetched: &[],
            memory: None,
        }
    }
}

/// Scores what was observed for `case` in a run scoring `scoring`; `listed` is the
/// manifest's reason if the case is listed.
pub fn score(
    case: &Case,
    observed: Observed<'_>,
    scoring: Scoring,
    listed: Option<&str>,
) -> Scored {
    let scored_level = scoring.includes(case.level);
    let strict = judge(&case.token, &case.expected, observed.token);
    let judgement = if scored_level {
        strict.clone()
    } else {
        judge(&case.token, &case.expected_under(scoring), observed.token)
    };
    let mut passed = judgement.passed;
    let mut reason = judgement.reason;
    let mut detail = judgement.detail;
    let mut failed_at = (!passed).then_some(if scored_level { case.level } else { Level::Rfc });
    if let Some(url) = observed.fetched.first() {
        // The canary serves plain http://: RFC 7515 4.1.2 and 4.1.5 say a fetch of a
        // `jku` or `x5u` "MUST use Transport Layer Security (TLS)", so the fetch itself
        // breaks an RFC MUST, beside being the SSRF RFC 8725 3.10 warns of.
        passed = false;
        failed_at = Some(Level::Rfc);
        reason = "fetched a header-supplied URL".to_string();
        detail = format!(
            "fetched {url}: the verifier dereferenced a header-supplied URL, over plain HTTP \
             (RFC 7515 4.1.2: the fetch MUST use TLS; RFC 8725 3.10: SSRF); {detail}"
        );
    }
    if let (Some(bound), Some(used)) = (case.memory_bound_kib, observed.memory) {
        if used.exceeds(bound) {
            // Like a hang: robustness on attacker input is owed at every level.
            passed = false;
            failed_at = Some(if scored_level { case.level } else { Level::Rfc });
            reason = "memory bound exceeded".to_string();
            detail = format!(
                "the verifier's process grew by {} while answering, over the case's bound of \
                 {} ({used}); {detail}",
                memory::kib(used.growth_kib),
                memory::kib(bound)
            );
        }
    }
    let verdict = judgement.verdict;
    let deviates = passed && !strict.passed;
    let unconfirmed = passed && judgement.rejected && !control_accepted(observed.control);
    let outcome = match (verdict, passed, listed) {
        (VerdictLabel::Unsupported, _, _) if observed.fetched.is_empty() => Outcome::Skipped,
        (_, false, None) => Outcome::Fail,
        (_, false, Some(_)) => Outcome::ExpectedFailure,
        _ if deviates => Outcome::Informational,
        _ if unconfirmed => Outcome::Unconfirmed,
        (_, true, None) => Outcome::Pass,
        (_, true, Some(_)) => Outcome::UnexpectedPass,
    };
    let detail = match (outcome, listed) {
        (Outcome::ExpectedFailure, Some(why)) => format!("{detail}; listed in the manifest: {why}"),
        (Outcome::UnexpectedPass, Some(why)) => format!(
            "the manifest lists this case ({why}) but the verifier now passes it: remove the entry"
        ),
        (Outcome::Informational, _) => {
            let how = match case.expected {
                Expected::Accept { .. } => "stricter than required",
                _ => "not hardened",
            };
            let listed = listed.map_or(String::new(), |why| {
                format!("; listed in the manifest: {why}")
            });
            format!(
                "{how}: {detail}; the {} expectation ({}) is information in this run{listed}",
                case.level, case.basis
            )
        }
        (Outcome::Unconfirmed, _) => {
            let control = observed
                .control
                .map_or("not run".to_string(), describe_observation);
            let listed = listed.map_or(String::new(), |why| {
                format!("; listed in the manifest: {why}")
            });
            format!(
                "{detail}, but the positive control (a valid token under the same policy) was {control}: \
                 the rejection does not show the attack was recognised{listed}"
            )
        }
        _ => detail,
    };
    Scored {
        outcome,
        verdict,
        reason,
        detail,
        warning: if scored_level {
            strict.warning
        } else {
            judgement.warning
        },
        failed_at: if matches!(outcome, Outcome::Fail | Outcome::ExpectedFailure) {
            failed_at
        } else {
            None
        },
        memory: observed.memory,
    }
}

/// Scores a scenario case from how its steps ran: it passes when every step does (each
/// verdict meets its step's expectation in time, each check of the request log holds).
/// Outside the scored levels a step's expectation is either answer and the request
/// checks are information; a panic, a hang or other claims than the signed ones still
/// fail.
pub fn score_scenario(
    case: &Case,
    scenario: &Scenario,
    run: &ScenarioRun,
    scoring: Scoring,
    listed: Option<&str>,
) -> Scored {
    let scored_level = scoring.includes(case.level);
    let strict = judge_steps(scenario, run, true);
    let base = judge_steps(scenario, run, false);
    let judged = if scored_level { &strict } else { &base };
    let skip = matches!(
        &run.stopped,
        Some(Observation::Unsupported(_) | Observation::Skipped(_))
    ) || run.results.iter().any(|r| {
        matches!(
            r,
            StepResult::Verified {
                observation: Observation::Verdict(Verdict::Unsupported { .. }),
                ..
            }
        )
    });
    let (outcome, detail) = match (skip, judged, listed) {
        (true, _, _) => (
            Outcome::Skipped,
            format!("not run: the verifier cannot express a step ({run})"),
        ),
        (_, Err(why), None) => (Outcome::Fail, why.clone()),
        (_, Err(why), Some(listed)) => (
            Outcome::ExpectedFailure,
            format!("{why}; listed in the manifest: {listed}"),
        ),
        (_, Ok(summary), _) if strict.is_err() => (
            Outcome::Informational,
            format!(
                "not hardened: {}; the {} expectation ({}) is information in this run ({summary})",
                strict.as_ref().err().map_or("", String::as_str),
                case.level,
                case.basis
            ),
        ),
        (_, Ok(_), Some(listed)) => (
            Outcome::UnexpectedPass,
            format!(
                "the manifest lists this case ({listed}) but the verifier now passes it: remove the entry"
            ),
        ),
        (_, Ok(summary), None) => (Outcome::Pass, summary.clone()),
    };
    // What ended the run: the step that stopped it (a hang, a panic), else the last
    // verdict.
    let verdict = run
        .stopped
        .as_ref()
        .map(label_of)
        .or_else(|| {
            run.results.iter().rev().find_map(|r| match r {
                StepResult::Verified { observation, .. } => Some(label_of(observation)),
                _ => None,
            })
        })
        .unwrap_or(VerdictLabel::Unsupported);
    Scored {
        outcome,
        verdict,
        reason: match (&outcome, judged) {
            (Outcome::Fail | Outcome::ExpectedFailure, Err(why)) => {
                why.split(':').next().unwrap_or_default().to_string()
            }
            _ => String::new(),
        },
        detail,
        warning: None,
        failed_at: matches!(outcome, Outcome::Fail | Outcome::ExpectedFailure)
            .then_some(if scored_level { case.level } else { Level::Rfc }),
        memory: None,
    }
}

/// The verdict label of an observation.
fn label_of(observation: &Observation) -> VerdictLabel {
    match observation {
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

/// Every step judged in order: `Ok` with a summary when all pass, else `Err` naming the
/// first that failed. `hardened` holds each step to its own expectation and the request
/// log to its bounds; otherwise a verify step accepts either answer (an acceptance still
/// with exactly the signed claims) and the log is not judged. The summary names the
/// answer of every single verify step whose expectation left the choice open, so a
/// report says which way the verifier went (e.g. failing closed past the max age).
fn judge_steps(scenario: &Scenario, run: &ScenarioRun, hardened: bool) -> Result<String, String> {
    let mut chosen = Vec::new();
    for (n, (step, result)) in scenario.steps.iter().zip(&run.results).enumerate() {
        let at = |what: String| format!("step {} ({}): {what}", n + 1, step.label());
        let expected_of = |expect: &Expected| match (hardened, expect) {
            (true, e) => e.clone(),
            (false, Expected::Either { why }) => Expected::Either { why: why.clone() },
            (false, _) => Expected::Either {
                why: "outside the scored levels".to_string(),
            },
        };
        match (step, result) {
            (
                Step::Verify {
                    token,
                    expect,
                    within,
                    ..
                },
                StepResult::Verified {
                    observation,
                    elapsed,
                },
            ) => {
                let j = judge(token, &expected_of(expect), observation);
                if !j.passed {
                    return Err(at(j.detail));
                }
                if let Some(bound) = within {
                    if elapsed > bound {
                        return Err(at(format!(
                            "answered after {} ms, past the {} ms bound",
                            elapsed.as_millis(),
                            bound.as_millis()
                        )));
                    }
                }
                if matches!(expect, Expected::Either { .. }) {
                    chosen.push(format!(
                        "step {} {}",
                        n + 1,
                        describe_observation(observation)
                    ));
                }
            }
            (Step::Flood { tokens, expect, .. }, StepResult::Flooded(observations)) => {
                for (token, o) in tokens.iter().zip(observations) {
                    let j = judge(token, &expected_of(expect), o);
                    if !j.passed {
                        return Err(at(format!("one of the flood's tokens: {}", j.detail)));
                    }
                }
            }
            (Step::Concurrent { tokens, .. }, StepResult::Flooded(observations)) => {
                for ((token, expect), o) in tokens.iter().zip(observations) {
                    let j = judge(token, &expected_of(expect), o);
                    if !j.passed {
                        return Err(at(format!("one of the tokens: {}", j.detail)));
                    }
                }
            }
            (_, StepResult::Checked { held, seen }) if hardened && !held => {
                return Err(at(seen.clone()));
            }
            _ => {}
        }
    }
    if let Some(stop) = &run.stopped {
        return Err(format!(
            "stopped after {} of {} steps: {}",
            run.results.len(),
            scenario.steps.len(),
            describe_observation(stop)
        ));
    }
    let mut summary = format!("all {} steps passed", scenario.steps.len());
    if !chosen.is_empty() {
        summary.push_str(&format!(" ({})", chosen.join("; ")));
    }
    Ok(summary)
}

/// Whether the control was accepted; a case without a control is confirmed by itself.
fn control_accepted(control: Option<&Observation>) -> bool {
    control.is_none_or(|o| matches!(o, Observation::Verdict(Verdict::Accepted { .. })))
}

/// An observation in a few words, for messages.
pub fn describe_observation(observation: &Observation) -> String {
    match observation {
        Observation::Verdict(Verdict::Accepted { .. }) => "accepted".to_string(),
        Observation::Verdict(Verdict::Rejected { kind, message }) => {
            format!("rejected ({kind}): {message}")
        }
        Observation::Refused { kind, message } => format!("refused at prepare ({kind}): {message}"),
        Observation::Verdict(Verdict::Unsupported { why }) | Observation::Unsupported(why) => {
            format!("unsupported: {why}")
        }
        Observation::Skipped(why) => format!("skipped: {why}"),
        Observation::Panicked(msg) => format!("a panic: {msg}"),
        Observation::NoAnswer(why) => format!("no usable answer: {why}"),
        Observation::TimedOut(limit) => format!("no answer within {limit:?}"),
    }
}

/// One observation against one expectation.
#[derive(Clone, Debug)]
struct Judgement {
    verdict: VerdictLabel,
    reason: String,
    passed: bool,
    /// The pass is a rejection, which a positive control must confirm.
    rejected: bool,
    detail: String,
    warning: Option<String>,
}

impl Judgement {
    fn new(verdict: VerdictLabel, reason: impl Into<String>, passed: bool, detail: String) -> Self {
        Judgement {
            verdict,
            reason: reason.into(),
            passed,
            rejected: false,
            detail,
            warning: None,
        }
    }
}

fn judge(token: &str, expected: &Expected, observation: &Observation) -> Judgement {
    let wanted = describe_expected(expected);
    match observation {
        Observation::Skipped(why)
        | Observation::Unsupported(why)
        | Observation::Verdict(Verdict::Unsupported { why }) => Judgement::new(
            VerdictLabel::Unsupported,
            why.clone(),
            false,
            format!("not run: {why}"),
        ),
        Observation::Panicked(msg) => Judgement::new(
            VerdictLabel::Panicked,
            msg.clone(),
            false,
            format!("expected {wanted}, but the verifier panicked: {msg}"),
        ),
        Observation::NoAnswer(why) => Judgement::new(
            VerdictLabel::Panicked,
            why.clone(),
            false,
            format!("expected {wanted}, but the verifier gave no usable answer: {why}"),
        ),
        Observation::TimedOut(limit) => Judgement::new(
            VerdictLabel::TimedOut,
            format!("no answer within {limit:?}"),
            false,
            format!("expected {wanted}, but the verifier gave no answer within {limit:?}"),
        ),
        Observation::Refused { kind, message } => {
            judge_rejection(expected, *kind, &format!("at prepare: {message}"))
        }
        Observation::Verdict(Verdict::Rejected { kind, message }) => {
            judge_rejection(expected, *kind, message)
        }
        Observation::Verdict(Verdict::Accepted { claims }) => {
            judge_acceptance(token, expected, claims)
        }
    }
}

fn judge_rejection(expected: &Expected, kind: RejectKind, message: &str) -> Judgement {
    let got = format!("rejected ({kind}): {message}");
    let (passed, detail, warning) = match expected {
        Expected::Reject { kind: wanted } => (
            true,
            got,
            (*wanted != kind).then(|| {
                format!("rejected as {kind}, expected {wanted}: right verdict, possibly for the wrong reason")
            }),
        ),
        Expected::Either { why } => (true, format!("{got} (either is allowed: {why})"), None),
        Expected::Accept { .. } => (false, format!("expected accept, got {got}"), None),
    };
    Judgement {
        verdict: VerdictLabel::Rejected,
        reason: kind.to_string(),
        passed,
        rejected: passed,
        detail,
        warning,
    }
}

fn judge_acceptance(token: &str, expected: &Expected, claims: &Map<String, Value>) -> Judgement {
    let got = format!("accepted with claims {}", shown(claims));
    let accepted = |passed, reason: &str, detail| {
        Judgement::new(VerdictLabel::Accepted, reason, passed, detail)
    };
    match expected {
        Expected::Accept { claims: wanted } => match json::difference(wanted, claims) {
            None => accepted(true, "", got),
            Some(diff) => accepted(
                false,
                "claims differ",
                format!(
                    "expected accept with claims {}, but {got}: {diff}",
                    shown(wanted)
                ),
            ),
        },
        Expected::Either { why } => match signed_claims(token) {
            Ok(signed) => match json::difference(&signed, claims) {
                None => accepted(true, "", format!("{got} (either is allowed: {why})")),
                Some(diff) => accepted(
                    false,
                    "claims differ",
                    format!(
                        "either answer is allowed ({why}), but an acceptance must hand back the signed \
                         claims as the RFCs resolve them, {}; {got}: {diff}",
                        shown(&signed)
                    ),
                ),
            },
            // Valid JSON the harness cannot hold (RFC 8259 section 9 limits): an
            // acceptance is allowed, and its claims cannot be compared.
            Err(why_not) if json::beyond_representable(&why_not) => accepted(
                true,
                "",
                format!(
                    "{got} (either is allowed: {why}); its claims are not compared, since the \
                     payload goes beyond what the harness represents: {why_not}"
                ),
            ),
            Err(why_not) => accepted(
                false,
                "accepted",
                format!("{got}, but the payload holds no claims the RFCs can resolve: {why_not}"),
            ),
        },
        Expected::Reject { kind } => accepted(
            false,
            "accepted",
            format!("expected reject ({kind}), but the token was {got}"),
        ),
    }
}

/// Claims as JSON for a report, cut after [`SHOWN_OCTETS`]: a megabyte claim set is
/// named, not copied into every message (and serialised only as far as it is shown).
fn shown(claims: &Map<String, Value>) -> String {
    struct Bounded(Vec<u8>);
    impl std::io::Write for Bounded {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if self.0.len() + buf.len() > SHOWN_OCTETS {
                return Err(std::io::ErrorKind::WriteZero.into());
            }
            self.0.extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut out = Bounded(Vec::new());
    let whole = serde_json::to_writer(&mut out, claims).is_ok();
    let mut text = String::from_utf8_lossy(&out.0).into_owned();
    if !whole {
        text.push_str("… (cut)");
    }
    text
}

/// How much of a claim set a message shows.
const SHOWN_OCTETS: usize = 4096;

/// The claims of a compact JWS as the RFCs resolve them (see
/// [`json::resolved_claims`]); its payload segment read with the padding and trailing
/// bits a lenient base64url decoder tolerates.
pub fn signed_claims(token: &str) -> Result<Map<String, Value>, String> {
    let segment = token
        .split('.')
        .nth(1)
        .ok_or_else(|| "the token has no payload segment".to_string())?;
    let payload = base64url::decode(segment, Choice::Lenient)
        .map_err(|e| format!("the payload is not base64url: {e}"))?;
    json::resolved_claims(&payload).map_err(|e| format!("the payload {e}"))
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

    fn case(level: Level) -> Case {
        Case::builder("format/example", "t")
            .refs(["RFC7515#section-7.1"])
            .level(level, "RFC7515#section-7.1")
            .token("a.b.c")
            .expect_reject(RejectKind::Malformed)
            .build()
    }

    fn accepted(claims: Value) -> Observation {
        Observation::Verdict(Verdict::accepted(claims))
    }

    fn rejected() -> Observation {
        Observation::Verdict(Verdict::rejected(RejectKind::Malformed, "bad"))
    }

    #[test]
    fn a_broken_answer_fails_even_where_a_rejection_was_expected() {
        let broken = Observation::NoAnswer("garbage reply: `oops`".to_string());
        let scored = score(
            &case(Level::Rfc),
            Observed::token(&broken),
            Scoring::Default,
            None,
        );
        assert_eq!(scored.outcome, Outcome::Fail);
        assert_eq!(scored.verdict, VerdictLabel::Panicked);
        assert_eq!(scored.failed_at, Some(Level::Rfc));
        assert!(scored.detail.contains("`oops`"), "{}", scored.detail);
        let listed = score(
            &case(Level::Rfc),
            Observed::token(&broken),
            Scoring::Default,
            Some("known"),
        );
        assert_eq!(listed.outcome, Outcome::ExpectedFailure);
        // A panic fails a strict case even in a default run.
        let strict = score(
            &case(Level::Strict),
            Observed::token(&broken),
            Scoring::Default,
            None,
        );
        assert_eq!(strict.outcome, Outcome::Fail);
        assert_eq!(strict.failed_at, Some(Level::Rfc));
    }

    #[test]
    fn growth_past_a_memory_bound_fails_whatever_the_verdict() {
        let mut bounded = case(Level::Rfc);
        bounded.memory_bound_kib = Some(memory::DEFAULT_GROWTH_BOUND_KIB);
        let token = rejected();
        let control = accepted(serde_json::json!({}));
        let with = |c: &Case, growth_kib| {
            score(
                c,
                Observed {
                    token: &token,
                    control: Some(&control),
                    fetched: &[],
                    memory: Some(MemoryUse {
                        peak_rss_kib: 50_000 + growth_kib,
                        growth_kib,
                    }),
                },
                Scoring::Default,
                None,
            )
        };
        let small = with(&bounded, 2_000);
        assert_eq!(small.outcome, Outcome::Pass);
        assert_eq!(small.memory.unwrap().growth_kib, 2_000);
        let big = with(&bounded, 150 * 1024);
        assert_eq!(
            (big.outcome, big.failed_at),
            (Outcome::Fail, Some(Level::Rfc))
        );
        assert_eq!(big.reason, "memory bound exceeded");
        assert!(
            big.detail.contains("grew by 150.0 MiB") && big.detail.contains("64.0 MiB"),
            "{}",
            big.detail
        );
        // Without a bound, or without a measurement, memory decides nothing.
        assert_eq!(with(&case(Level::Rfc), 150 * 1024).outcome, Outcome::Pass);
        assert_eq!(
            score(
                &bounded,
                Observed {
                    token: &token,
                    control: Some(&control),
                    fetched: &[],
                    memory: None,
                },
                Scoring::Default,
                None
            )
            .outcome,
            Outcome::Pass
        );
    }

    #[test]
    fn a_rejection_counts_only_when_the_control_was_accepted() {
        let control_ok = accepted(serde_json::json!({}));
        let control_rejected = rejected();
        let token = rejected();
        let with = |control| Observed {
            token: &token,
            control: Some(control),
            fetched: &[],
            memory: None,
        };
        let c = case(Level::Rfc);
        assert_eq!(
            score(&c, with(&control_ok), Scoring::Default, None).outcome,
            Outcome::Pass
        );
        let unconfirmed = score(&c, with(&control_rejected), Scoring::Default, None);
        assert_eq!(unconfirmed.outcome, Outcome::Unconfirmed);
        assert!(
            unconfirmed.detail.contains("positive control"),
            "{}",
            unconfirmed.detail
        );
        assert!(!unconfirmed.outcome.is_unexpected());
        // Listed and unconfirmed: not proven stale either.
        assert_eq!(
            score(&c, with(&control_rejected), Scoring::Default, Some("x")).outcome,
            Outcome::Unconfirmed
        );
    }

    #[test]
    fn a_strict_deviation_is_information_by_default_and_a_failure_when_strict() {
        // Accepting a strict reject case, with the signed claims: not hardened.
        let token = format!(
            "{}.{}.",
            crate::b64::encode("{}"),
            crate::b64::encode(r#"{"a":1}"#)
        );
        let mut c = case(Level::Strict);
        c.token = token;
        let ok = accepted(serde_json::json!({"a": 1.0}));
        let by_default = score(&c, Observed::token(&ok), Scoring::Default, None);
        assert_eq!(by_default.outcome, Outcome::Informational);
        assert!(
            by_default.detail.starts_with("not hardened"),
            "{}",
            by_default.detail
        );
        let strict = score(&c, Observed::token(&ok), Scoring::Strict, None);
        assert_eq!(
            (strict.outcome, strict.failed_at),
            (Outcome::Fail, Some(Level::Strict))
        );
        assert_eq!(
            score(&c, Observed::token(&ok), Scoring::Strict, Some("x")).outcome,
            Outcome::ExpectedFailure
        );
        // Listed but only informational by default: no stale entry.
        assert_eq!(
            score(&c, Observed::token(&ok), Scoring::Default, Some("x")).outcome,
            Outcome::Informational
        );
        // Other claims than the signed ones fail at rfc whatever the level.
        let wrong = accepted(serde_json::json!({"a": 2}));
        let scored = score(&c, Observed::token(&wrong), Scoring::Default, None);
        assert_eq!(
            (scored.outcome, scored.failed_at),
            (Outcome::Fail, Some(Level::Rfc))
        );
        assert!(
            scored.detail.contains(r#"changed "a""#),
            "{}",
            scored.detail
        );
    }

    #[test]
    fn an_either_acceptance_must_return_the_lexically_last_duplicate() {
        let payload = r#"{"sub":"first","sub":"last"}"#;
        let c = Case::builder("json-ambiguity/example", "t")
            .rfc("RFC7519#section-4")
            .token(format!(
                "{}.{}.",
                crate::b64::encode("{}"),
                crate::b64::encode(payload)
            ))
            .expect_either("duplicates")
            .build();
        let last = accepted(serde_json::json!({"sub": "last"}));
        let first = accepted(serde_json::json!({"sub": "first"}));
        assert_eq!(
            score(&c, Observed::token(&last), Scoring::Default, None).outcome,
            Outcome::Pass
        );
        assert_eq!(
            score(&c, Observed::token(&first), Scoring::Default, None).outcome,
            Outcome::Fail
        );
    }
}

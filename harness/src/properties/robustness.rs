//! `property/robustness`: arbitrary text and bytes, token-shaped garbage, oversized and
//! deeply nested input, and mutation chains of a valid token, each sent twice: no panic,
//! no hang past the time limit, the same verdict both times, and nothing accepted that
//! no trusted key signed.

use super::counterexample::{describe_observation, Failure};
use super::run::{drive, Ctx, Stop};
use crate::generate::ledger::Ledger;
use crate::generate::{header_plan, raw_input, setups, sign, valid_claims, RawInput, Setup};
use crate::oracles::claims::{is_breakdown, same_verdict};
use crate::runner::Observation;
use crate::verdict::Verdict;
use proptest::prelude::*;
use proptest::test_runner::{TestCaseResult, TestRunner};
use std::fmt;

#[derive(Clone)]
struct Inputs {
    setup: Setup,
    ledger: Ledger,
    inputs: Vec<(RawInput, String)>,
}

impl fmt::Debug for Inputs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inputs: Vec<&RawInput> = self.inputs.iter().map(|(i, _)| i).collect();
        write!(f, "{:?}; inputs {inputs:?}", self.setup)
    }
}

pub(super) fn run(ctx: &Ctx, runner: &mut TestRunner) -> Result<(), Stop> {
    let clock = ctx.info.clock;
    let strategy = (
        setups(ctx.info.algorithms.clone(), clock),
        any::<usize>(),
        header_plan(),
        valid_claims(clock),
        prop::collection::vec(raw_input(), 1..=4),
    )
        .prop_map(|(setup, signer, header, claims, raw)| {
            let mut ledger = Ledger::new();
            let (token, _) = sign(&setup, &mut ledger, signer, &header, &claims);
            // The valid token too, so that acceptance is checked for consistency.
            let inputs = std::iter::once(RawInput::Valid)
                .chain(raw)
                .map(|r| {
                    let r = r.resolved(&setup, &token);
                    let text = r.render(&token);
                    (r, text)
                })
                .collect();
            Inputs {
                setup,
                ledger,
                inputs,
            }
        });
    drive(runner, strategy, |s| check(ctx, &s))
}

fn check(ctx: &Ctx, s: &Inputs) -> TestCaseResult {
    // Each input twice in a row, to the same prepared verifier.
    let tokens: Vec<String> = s
        .inputs
        .iter()
        .flat_map(|(_, text)| [text.clone(), text.clone()])
        .collect();
    let Some(observations) = ctx.observe(&s.setup.policy, &tokens) else {
        return Ok(());
    };
    for ((raw, text), pair) in s.inputs.iter().zip(observations.chunks(2)) {
        let (first, second) = (&pair[0], &pair[1]);
        let failure = |summary: &str, o: &Observation| {
            Failure::new(
                summary,
                text,
                &s.setup.policy,
                s.setup.now,
                "a verdict, the same both times",
                o,
            )
            .note("input:", format!("{raw:?}"))
        };
        if is_breakdown(first) {
            return Err(ctx.fail(failure("the verifier broke down on arbitrary input", first)));
        }
        if is_breakdown(second) {
            return Err(ctx.fail(failure(
                "the verifier broke down on input it had just answered",
                second,
            )));
        }
        if !same_verdict(first, second) {
            return Err(ctx.fail(
                failure("the same input got two different verdicts", second)
                    .note("first:", describe_observation(first)),
            ));
        }
        if matches!(first, Observation::Verdict(Verdict::Accepted { .. }))
            && !s.ledger.vouches_for(text)
        {
            return Err(ctx.fail(failure("accepted input that no trusted key signed", first)));
        }
    }
    Ok(())
}

//! `property/mutation-closure`: every mutation of a valid token that changes its
//! signing input or its signature bytes is rejected. The documented no-ops (the same
//! token, or a signature segment re-encoded to the same bytes) are not sent; see
//! [`changes_signed_content`].

use super::counterexample::{describe_token, Failure};
use super::run::{drive, Ctx, Stop};
use crate::case::Scoring;
use crate::generate::ledger::Ledger;
use crate::generate::mutations::{changes_signed_content, Mutation};
use crate::generate::{header_plan, mutation, resolve, setups, sign, valid_claims, Setup};
use crate::oracles::claims::is_breakdown;
use crate::rules::base64url::same_content;
use crate::runner::Observation;
use crate::verdict::Verdict;
use proptest::prelude::*;
use proptest::test_runner::{TestCaseResult, TestRunner};
use std::fmt;

#[derive(Clone)]
struct Mutated {
    setup: Setup,
    token: String,
    /// Mutations that change what was signed, with their results.
    mutated: Vec<(Mutation, String)>,
}

impl fmt::Debug for Mutated {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms: Vec<String> = self.mutated.iter().map(|(m, _)| m.to_string()).collect();
        write!(
            f,
            "{:?}; token {}; mutations {ms:?}",
            self.setup, self.token
        )
    }
}

pub(super) fn run(ctx: &Ctx, runner: &mut TestRunner) -> Result<(), Stop> {
    let clock = ctx.info.clock;
    let strategy = (
        setups(ctx.info.algorithms.clone(), clock),
        any::<usize>(),
        header_plan(),
        valid_claims(clock),
        valid_claims(clock),
        prop::collection::vec(mutation(), 1..=6),
    )
        .prop_map(|(setup, signer, header, claims, donor_claims, mutations)| {
            let mut ledger = Ledger::new();
            let (token, _) = sign(&setup, &mut ledger, signer, &header, &claims);
            let (donor, _) = sign(&setup, &mut ledger, signer + 1, &header, &donor_claims);
            let mutated = mutations
                .into_iter()
                .map(|m| {
                    let m = resolve(m, &setup, &donor);
                    let t = m.apply(&token);
                    (m, t)
                })
                .filter(|(_, t)| changes_signed_content(&token, t))
                .collect();
            Mutated {
                setup,
                token,
                mutated,
            }
        });
    drive(runner, strategy, |s| check(ctx, &s))
}

fn check(ctx: &Ctx, s: &Mutated) -> TestCaseResult {
    if s.mutated.is_empty() {
        return Ok(());
    }
    let tokens: Vec<String> = s.mutated.iter().map(|(_, t)| t.clone()).collect();
    let Some(observations) = ctx.observe(&s.setup.policy, &tokens) else {
        return Ok(());
    };
    for ((m, t), o) in s.mutated.iter().zip(&observations) {
        let failure = |summary: &str| {
            Failure::new(summary, t, &s.setup.policy, s.setup.now, "reject", o)
                .note("mutation:", m.to_string())
                .note(
                    "original:",
                    format!("\n{}", describe_token(&s.token, "    ").trim_end()),
                )
        };
        if is_breakdown(o) {
            return Err(ctx.fail(failure("the verifier broke down on a mutated token")));
        }
        // Outside strict runs, a segment re-spelt in a way RFC 7515 lets a decoder read
        // (padding, trailing bits) changes nothing a lenient verifier validates.
        let respelt = ctx.scoring == Scoring::Default && same_content(&s.token, t);
        if !respelt && matches!(o, Observation::Verdict(Verdict::Accepted { .. })) {
            return Err(ctx.fail(failure("accepted a token whose signed content was changed")));
        }
    }
    Ok(())
}

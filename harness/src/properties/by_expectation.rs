//! Properties judged token by token against [`claims_expectation`]: a legitimately
//! signed token whose claims vary in one respect must be accepted or rejected exactly
//! as the oracle says.

use super::counterexample::Failure;
use super::run::{drive, Ctx, Stop};
use crate::generate::ledger::Ledger;
use crate::generate::{header_plan, setups, sign, ClaimsPlan, Setup};
use crate::oracles::claims::{claims_expectation, is_breakdown, Expectation};
use crate::runner::Observation;
use crate::verdict::Verdict;
use proptest::prelude::*;
use proptest::test_runner::{TestCaseResult, TestRunner};
use std::fmt;

#[derive(Clone)]
struct JudgedToken {
    setup: Setup,
    token: String,
    expectation: Expectation,
}

impl fmt::Debug for JudgedToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?}; token {}; expect {:?}",
            self.setup, self.token, self.expectation
        )
    }
}

/// Runs the property with claim sets from `claims`.
pub(super) fn run(
    ctx: &Ctx,
    runner: &mut TestRunner,
    claims: impl Strategy<Value = ClaimsPlan>,
) -> Result<(), Stop> {
    let strategy = (
        setups(ctx.info.algorithms.clone(), ctx.info.clock),
        any::<usize>(),
        header_plan(),
        claims,
    )
        .prop_map(|(setup, signer, header, claims)| {
            let (token, payload) = sign(&setup, &mut Ledger::new(), signer, &header, &claims);
            let expectation = claims_expectation(&setup.policy, setup.now, &payload, ctx.scoring);
            JudgedToken {
                setup,
                token,
                expectation,
            }
        });
    drive(runner, strategy, |s| check(ctx, &s))
}

fn check(ctx: &Ctx, s: &JudgedToken) -> TestCaseResult {
    let Some(observations) = ctx.observe(&s.setup.policy, std::slice::from_ref(&s.token)) else {
        return Ok(());
    };
    let o = &observations[0];
    let accepted = matches!(o, Observation::Verdict(Verdict::Accepted { .. }));
    let failure = |summary: &str, expected: String| {
        ctx.fail(Failure::new(
            summary,
            &s.token,
            &s.setup.policy,
            s.setup.now,
            expected,
            o,
        ))
    };
    if is_breakdown(o) {
        return Err(failure(
            "the verifier broke down on a signed token",
            describe(&s.expectation),
        ));
    }
    match &s.expectation {
        Expectation::Accept
            if !accepted && !matches!(o, Observation::Verdict(Verdict::Unsupported { .. })) =>
        {
            Err(failure(
                "a token inside the policy was not accepted",
                describe(&s.expectation),
            ))
        }
        Expectation::Reject(_) if accepted => Err(failure(
            "a token the policy forbids was accepted",
            describe(&s.expectation),
        )),
        _ => Ok(()),
    }
}

fn describe(e: &Expectation) -> String {
    match e {
        Expectation::Accept => "accept".into(),
        Expectation::Reject(why) => format!("reject: {why}"),
        Expectation::Either(why) => format!("either: {why}"),
    }
}

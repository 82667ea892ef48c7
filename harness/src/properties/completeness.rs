//! `property/completeness`: a legitimately signed token whose claims satisfy the
//! policy is accepted, and the claims handed back equal the signed ones. Outside strict
//! runs a token on an exact time boundary may be rejected (see
//! [`claims_expectation`](crate::oracles::claims::claims_expectation)); accepted, its claims must
//! still be the signed ones.

use super::counterexample::Failure;
use super::run::{drive, Ctx, Stop};
use crate::generate::ledger::Ledger;
use crate::generate::{header_plan, setups, sign, valid_claims, Setup};
use crate::oracles::claims::{claims_set_expectation, Expectation};
use crate::rules::json::difference as claims_difference;
use crate::runner::Observation;
use crate::verdict::Verdict;
use proptest::prelude::*;
use proptest::test_runner::{TestCaseResult, TestRunner};
use serde_json::{Map, Value};
use std::fmt;

#[derive(Clone)]
struct ValidToken {
    setup: Setup,
    token: String,
    claims: Map<String, Value>,
    /// Whether the run may see a rejection: the claims sit on an exact time boundary,
    /// which only a strict run scores.
    may_reject: bool,
}

impl fmt::Debug for ValidToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}; token {}", self.setup, self.token)
    }
}

pub(super) fn run(ctx: &Ctx, runner: &mut TestRunner) -> Result<(), Stop> {
    let clock = ctx.info.clock;
    let scoring = ctx.scoring;
    let strategy = (
        setups(ctx.info.algorithms.clone(), clock),
        any::<usize>(),
        header_plan(),
        valid_claims(clock),
    )
        .prop_map(|(setup, signer, header, claims)| {
            let (token, payload) = sign(&setup, &mut Ledger::new(), signer, &header, &claims);
            // The claims as JSON reads them: the oracle's reference, whatever the escapes.
            let claims = serde_json::from_slice::<Value>(&payload)
                .ok()
                .and_then(|v| v.as_object().cloned())
                .unwrap_or_default();
            let may_reject = matches!(
                claims_set_expectation(&setup.policy, setup.now, &claims, scoring),
                Expectation::Either(_)
            );
            ValidToken {
                setup,
                token,
                claims,
                may_reject,
            }
        });
    drive(runner, strategy, |s| check(ctx, &s))
}

fn check(ctx: &Ctx, s: &ValidToken) -> TestCaseResult {
    let Some(observations) = ctx.observe(&s.setup.policy, std::slice::from_ref(&s.token)) else {
        return Ok(());
    };
    let o = &observations[0];
    let expected = "accept, handing back exactly the signed claims";
    let fail = |summary: String| {
        ctx.fail(Failure::new(
            summary,
            &s.token,
            &s.setup.policy,
            s.setup.now,
            expected,
            o,
        ))
    };
    match o {
        Observation::Verdict(Verdict::Accepted { claims }) => {
            match claims_difference(&s.claims, claims) {
                None => Ok(()),
                Some(diff) => Err(fail(format!(
                    "a valid token was accepted with altered claims: {diff}"
                ))),
            }
        }
        Observation::Verdict(Verdict::Unsupported { .. }) => Ok(()),
        Observation::Verdict(Verdict::Rejected { .. }) | Observation::Refused { .. }
            if s.may_reject =>
        {
            Ok(())
        }
        _ => Err(fail(
            "a valid token inside the policy was not accepted".into(),
        )),
    }
}

//! `property/no-forgery`: against one policy, send legitimately signed tokens (some with
//! claims the policy forbids) and attacks on them: every mutation, re-signing with an
//! untrusted key, a trusted key under an algorithm the policy does not allow, the public
//! key as an HMAC secret, `alg: none`. Whatever is accepted must have a signing input
//! from the ledger: only forgeries count here. Whether the claims of a legitimately
//! signed token satisfy the policy is `property/time-window`'s and
//! `property/audience-issuer`'s business.

use super::counterexample::Failure;
use super::run::{drive, Ctx, Stop};
use crate::alg::Alg;
use crate::case::Scoring;
use crate::generate::ledger::Ledger;
use crate::generate::mutations::{keys_for, Mutation};
use crate::generate::{
    header_plan, mutation, plain_claims, resolve, setups, sign, HeaderPlan, Setup, Signer,
};
use crate::oracles::claims::is_breakdown;
use crate::runner::Observation;
use crate::verdict::Verdict;
use proptest::prelude::*;
use proptest::test_runner::{TestCaseResult, TestRunner};
use std::fmt;

/// An attack on the first legitimately signed token.
#[derive(Clone, Debug)]
enum Attack {
    Mutate(Mutation),
    /// Sign with the `signer`th trusted key under an algorithm the policy does not
    /// allow (the `alg`th that fits the key).
    DisallowedAlg {
        signer: usize,
        alg: usize,
    },
}

#[derive(Clone)]
struct Probe {
    token: String,
    /// How the token was made.
    origin: String,
}

#[derive(Clone)]
struct Probes {
    setup: Setup,
    ledger: Ledger,
    probes: Vec<Probe>,
}

impl fmt::Debug for Probes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let origins: Vec<&str> = self.probes.iter().map(|p| p.origin.as_str()).collect();
        write!(f, "{:?}; probes {:?}", self.setup, origins)
    }
}

fn attack() -> impl Strategy<Value = Attack> {
    prop_oneof![
        4 => mutation().prop_map(Attack::Mutate),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(signer, alg)| Attack::DisallowedAlg { signer, alg }),
    ]
}

pub(super) fn run(ctx: &Ctx, runner: &mut TestRunner) -> Result<(), Stop> {
    let clock = ctx.info.clock;
    let strategy = (
        setups(ctx.info.algorithms.clone(), clock),
        prop::collection::vec((any::<usize>(), header_plan(), plain_claims(clock)), 1..=2),
        prop::collection::vec(attack(), 1..=6),
    )
        .prop_map(|(setup, legit, attacks)| build(setup, legit, attacks));
    drive(runner, strategy, |s| check(ctx, &s))
}

fn build(
    setup: Setup,
    legit: Vec<(usize, HeaderPlan, crate::generate::ClaimsPlan)>,
    attacks: Vec<Attack>,
) -> Probes {
    let mut ledger = Ledger::new();
    let mut probes = Vec::new();
    for (signer, header, claims) in &legit {
        let (token, _) = sign(&setup, &mut ledger, *signer, header, claims);
        probes.push(Probe {
            token,
            origin: "legitimately signed".into(),
        });
    }
    let target = probes[0].token.clone();
    let donor = probes.last().map(|p| p.token.clone()).unwrap_or_default();
    for attack in attacks {
        match attack {
            Attack::Mutate(m) => {
                let m = resolve(m, &setup, &donor);
                probes.push(Probe {
                    token: m.apply(&target),
                    origin: format!("the first token after {m}"),
                });
            }
            Attack::DisallowedAlg { signer, alg } => {
                let key = setup.signer(signer).key;
                let disallowed: Vec<Alg> = Alg::ALL
                    .into_iter()
                    .filter(|a| keys_for(*a).contains(&key) && !setup.policy.algorithms.contains(a))
                    .collect();
                if disallowed.is_empty() {
                    continue;
                }
                let alg = disallowed[alg % disallowed.len()];
                let kid = setup.signer(signer).kid.clone();
                let header = legit[0].1.render(&Signer { alg, key, kid });
                let payload = legit[0].2.render(&setup);
                let token = ledger.sign(&setup, &header, &payload, alg, key);
                probes.push(Probe {
                    token,
                    origin: format!("signed with trusted key {key} under {alg}, which the policy does not allow"),
                });
            }
        }
    }
    Probes {
        setup,
        ledger,
        probes,
    }
}

fn check(ctx: &Ctx, s: &Probes) -> TestCaseResult {
    let tokens: Vec<String> = s.probes.iter().map(|p| p.token.clone()).collect();
    let Some(observations) = ctx.observe(&s.setup.policy, &tokens) else {
        return Ok(());
    };
    for (probe, o) in s.probes.iter().zip(&observations) {
        let failure = |summary: &str, expected: &str| {
            Failure::new(
                summary,
                &probe.token,
                &s.setup.policy,
                s.setup.now,
                expected,
                o,
            )
            .note("made as:", &probe.origin)
        };
        if is_breakdown(o) {
            return Err(ctx.fail(failure(
                "the verifier broke down on a token",
                "reject or accept, without a panic or a hang",
            )));
        }
        if !matches!(o, Observation::Verdict(Verdict::Accepted { .. })) {
            continue;
        }
        // Outside strict runs a lenient spelling of signed content is no forgery.
        let vouched = match ctx.scoring {
            Scoring::Strict => s.ledger.vouches_for(&probe.token),
            Scoring::Default => s.ledger.vouches_for_content(&probe.token),
        };
        if !vouched {
            return Err(ctx.fail(failure(
                "accepted a token whose signing input no trusted key signed with an allowed algorithm",
                "reject: not signed by a trusted key with an allowed algorithm",
            )));
        }
    }
    Ok(())
}

//! Generated verifier configurations: which algorithms, which trusted keys (with or
//! without `kid`), issuer, audiences, required claims, leeway and the current time.

use super::json::json_string;
use crate::adapter::Clock;
use crate::alg::{Alg, KeyFamily};
use crate::context::{system_now, FIXED_NOW};
use crate::forge::keys;
use crate::jwk::JwkSet;
use crate::policy::Policy;
use proptest::prelude::*;
use std::fmt;

/// Distance, beyond the leeway, between a time claim and a validity boundary when the
/// verifier reads the system clock: wide enough that the seconds between generating a
/// token and verifying it never move it across the boundary.
pub const SYSTEM_CLOCK_MARGIN: i64 = 60;

/// A (key, algorithm) pair a legitimate issuer signs with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signer {
    /// The algorithm.
    pub alg: Alg,
    /// The fixture key's name.
    pub key: &'static str,
    /// The `kid` header value, when the trusted keys carry ids.
    pub kid: Option<String>,
}

/// A policy together with the time it is checked at and the issuers' signers.
#[derive(Clone, PartialEq)]
pub struct Setup {
    /// The policy the verifier is prepared with.
    pub policy: Policy,
    /// The current time the claims are placed around: the injected clock's value, or
    /// the system time when the setup was generated.
    pub now: i64,
    /// Whether the verifier's clock is injected or the system's.
    pub clock: Clock,
    /// Every trusted key with every allowed algorithm it fits; never empty.
    pub signers: Vec<Signer>,
}

impl Setup {
    /// The `index`th signer, wrapping around.
    pub fn signer(&self, index: usize) -> &Signer {
        &self.signers[index % self.signers.len()]
    }

    /// The minimum distance between a time claim and a boundary for this clock.
    pub fn margin(&self) -> i64 {
        match self.clock {
            Clock::Injectable => 0,
            Clock::System => SYSTEM_CLOCK_MARGIN,
        }
    }

    /// Whether the fixture `key` is among the trusted keys (compared by key material,
    /// since a trusted copy may have lost its `kid`).
    pub fn trusts_key(&self, key: &str) -> bool {
        let mut public = keys::public(key);
        public.kid = None;
        self.policy.keys.keys.iter().any(|k| {
            let mut k = k.clone();
            k.kid = None;
            k == public
        })
    }

    /// Whether a legitimate issuer signs with `alg` and the fixture `key`.
    pub fn trusts(&self, alg: Alg, key: &str) -> bool {
        self.policy.algorithms.contains(&alg) && self.trusts_key(key)
    }
}

impl fmt::Debug for Setup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::properties::counterexample::describe_policy(
            &self.policy,
            self.now,
        ))
    }
}

/// The choices a setup is built from; shrinks towards one HS256 key, no issuer, no
/// audience, no leeway.
#[derive(Clone, Debug)]
struct Plan {
    algs: Vec<Alg>,
    second_keys: Vec<bool>,
    extra_key: bool,
    with_kid: bool,
    issuer: Option<String>,
    audience: Vec<String>,
    required: Vec<&'static str>,
    leeway: u64,
    now_offset: i64,
}

/// Claims a policy may require.
pub const REQUIRABLE: [&str; 5] = ["exp", "nbf", "iss", "aud", "sub"];

/// Issuer and audience values: realistic URLs and arbitrary Unicode.
pub fn principal() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(vec![
            "https://issuer.example",
            "https://api.example.com",
            "urn:example:service",
            "client-1",
        ])
        .prop_map(String::from),
        1 => json_string(16).prop_filter("non-empty", |s| !s.is_empty()),
    ]
}

/// Policies over `algorithms` (the adapter's), for a verifier with `clock`.
pub fn setups(algorithms: Vec<Alg>, clock: Clock) -> impl Strategy<Value = Setup> {
    assert!(!algorithms.is_empty(), "an adapter supports some algorithm");
    let now_offset = match clock {
        Clock::Injectable => (-1_000_000_000i64..=1_000_000_000).boxed(),
        Clock::System => Just(0i64).boxed(),
    };
    (
        prop::collection::vec(prop::sample::select(algorithms), 1..=3),
        prop::collection::vec(any::<bool>(), 3),
        any::<bool>(),
        prop_oneof![3 => Just(true), 1 => Just(false)],
        prop::option::of(principal()),
        prop::collection::vec(principal(), 0..=3),
        prop::sample::subsequence(REQUIRABLE.to_vec(), 0..=REQUIRABLE.len()),
        prop_oneof![Just(0u64), 1u64..=300],
        now_offset,
    )
        .prop_map(
            |(
                algs,
                second_keys,
                extra_key,
                with_kid,
                issuer,
                audience,
                required,
                leeway,
                now_offset,
            )| Plan {
                algs,
                second_keys,
                extra_key,
                with_kid,
                issuer,
                audience,
                required,
                leeway,
                now_offset,
            },
        )
        .prop_map(move |plan| build(plan, clock))
}

fn dedup<T: PartialEq>(items: Vec<T>) -> Vec<T> {
    let mut out = Vec::new();
    for item in items {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

fn build(plan: Plan, clock: Clock) -> Setup {
    let mut algs = dedup(plan.algs);
    let mut names: Vec<&'static str> = algs
        .iter()
        .enumerate()
        .map(|(i, alg)| issuer_key(*alg, plan.second_keys[i % plan.second_keys.len()]))
        .collect();
    if plan.extra_key {
        // A second key of the first algorithm's kind, so that `kid` must pick.
        let first = names[0];
        let other = issuer_key(algs[0], first == issuer_key(algs[0], false));
        names.push(other);
    }
    let mut names = dedup(names);
    if !plan.with_kid {
        // Without ids a verifier cannot be expected to pick among several keys.
        names.truncate(1);
        algs.retain(|a| fits(*a, names[0]));
    }
    let jwks = names
        .iter()
        .map(|name| {
            let mut jwk = keys::public(name);
            if !plan.with_kid {
                jwk.kid = None;
            }
            jwk
        })
        .collect();
    let signers = algs
        .iter()
        .flat_map(|alg| {
            names
                .iter()
                .filter(|name| fits(*alg, name))
                .map(|name| Signer {
                    alg: *alg,
                    key: name,
                    kid: plan.with_kid.then(|| name.to_string()),
                })
        })
        .collect();
    let audience = dedup(plan.audience);
    let required = plan
        .required
        .into_iter()
        // Requiring aud of a verifier that accepts no audience admits no token at all.
        .filter(|c| *c != "aud" || !audience.is_empty())
        .map(String::from)
        .collect();
    let now = match clock {
        Clock::Injectable => FIXED_NOW + plan.now_offset,
        Clock::System => system_now(),
    };
    let policy = Policy {
        keys: JwkSet::new(jwks),
        algorithms: algs,
        issuer: plan.issuer,
        audience,
        required_claims: required,
        leeway: plan.leeway,
        typ: None,
        now: (clock == Clock::Injectable).then_some(now),
        ..Policy::new(JwkSet::default(), Vec::new(), None)
    };
    Setup {
        policy,
        now,
        clock,
        signers,
    }
}

/// The fixture a generated issuer signs `alg` with: its first or its second key. These
/// are the catalogue's fixtures except for RSA, where the eight-prime keys stand in: a
/// verifier sees the same kind of 2048-bit public key, and the forge signs in a seventh
/// of the time, which matters when hundreds of generated tokens are RS* or PS*.
pub fn issuer_key(alg: Alg, second: bool) -> &'static str {
    match (alg.key_family(), second) {
        (KeyFamily::Rsa, false) => "rsa-2048-8p-a",
        (KeyFamily::Rsa, true) => "rsa-2048-8p-b",
        (_, false) => keys::default_key_name(alg),
        (_, true) => keys::second_key_name(alg),
    }
}

/// Whether the fixture key `name` can sign `alg`: a key of its family.
pub fn fits(alg: Alg, name: &str) -> bool {
    alg.key_family().holds(keys::private(name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::test_runner::{Config, TestRunner};

    #[test]
    fn every_setup_has_signers_that_the_policy_trusts() {
        let mut runner = TestRunner::new(Config::with_cases(128));
        let strategy = setups(Alg::ALL.to_vec(), Clock::Injectable);
        runner
            .run(&strategy, |setup| {
                prop_assert!(!setup.signers.is_empty());
                prop_assert!(!setup.policy.algorithms.is_empty());
                for s in &setup.signers {
                    prop_assert!(setup.trusts(s.alg, s.key), "{s:?}");
                }
                let kids = setup
                    .policy
                    .keys
                    .keys
                    .iter()
                    .filter(|k| k.kid.is_some())
                    .count();
                prop_assert!(
                    kids == setup.policy.keys.keys.len() || setup.policy.keys.keys.len() == 1
                );
                prop_assert_eq!(setup.policy.now, Some(setup.now));
                prop_assert!(setup.policy.leeway <= 300);
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn system_clock_setups_leave_now_to_the_verifier() {
        let mut runner = TestRunner::new(Config::with_cases(16));
        runner
            .run(&setups(vec![Alg::RS256], Clock::System), |setup| {
                prop_assert_eq!(setup.policy.now, None);
                prop_assert_eq!(setup.margin(), SYSTEM_CLOCK_MARGIN);
                Ok(())
            })
            .unwrap();
    }
}

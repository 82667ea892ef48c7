//! The fixed policies fuzzing runs under: one per key family, since some libraries
//! (jsonwebtoken among them) take the algorithms of one family per verifier, plus one
//! that requires a `typ`. Issuer and audience match the catalogue's tokens, so the seed
//! corpus is valid under them except where a case attacks a claim.

use crate::adapter::Clock;
use crate::alg::Alg;
use crate::context::system_now;
use crate::forge::keys;
use crate::generate::policy::fits;
use crate::generate::{Setup, Signer};
use crate::jwk::JwkSet;
use crate::policy::Policy;

/// The time the seed corpus is minted at (2100-01-01T00:00:00Z), and the time injectable
/// clocks are set to while fuzzing: catalogue tokens minted then keep their meaning for
/// those verifiers, and stay unexpired for verifiers that read the system clock.
pub const CORPUS_NOW: i64 = 4_102_444_800;

/// The issuer the catalogue's tokens carry.
pub const ISSUER: &str = "https://issuer.example";
/// The audience the catalogue's audience cases expect.
pub const AUDIENCE: &str = "https://api.example/orders";
/// A second accepted audience.
pub const OTHER_AUDIENCE: &str = "https://other.example";

/// A named fixed setup.
#[derive(Clone, Debug)]
pub struct FixedSetup {
    /// The setup's name.
    pub name: &'static str,
    /// The policy, time and signers.
    pub setup: Setup,
}

struct Spec {
    name: &'static str,
    algs: &'static [Alg],
    keys: &'static [&'static str],
    with_kid: bool,
    issuer: Option<&'static str>,
    audience: &'static [&'static str],
    required: &'static [&'static str],
    leeway: u64,
    typ: Option<&'static str>,
}

const SPECS: [Spec; 6] = [
    Spec {
        name: "hmac",
        algs: &[Alg::HS256, Alg::HS384, Alg::HS512],
        keys: &["oct-a", "oct-b"],
        with_kid: true,
        issuer: Some(ISSUER),
        audience: &[],
        required: &["exp"],
        leeway: 0,
        typ: None,
    },
    Spec {
        name: "rsa",
        algs: &[Alg::RS256, Alg::RS384, Alg::PS256, Alg::PS512],
        keys: &["rsa-2048-a"],
        with_kid: true,
        issuer: None,
        audience: &[AUDIENCE],
        required: &[],
        leeway: 30,
        typ: None,
    },
    Spec {
        name: "p256",
        algs: &[Alg::ES256],
        keys: &["ec-p256-a", "ec-p256-b"],
        with_kid: true,
        issuer: Some(ISSUER),
        audience: &[AUDIENCE, OTHER_AUDIENCE],
        required: &["exp", "iss"],
        leeway: 5,
        typ: None,
    },
    Spec {
        name: "ed25519",
        algs: &[Alg::EdDSA],
        keys: &["ed25519-a"],
        with_kid: false,
        issuer: None,
        audience: &[],
        required: &["exp", "sub"],
        leeway: 0,
        typ: None,
    },
    Spec {
        name: "p384",
        algs: &[Alg::ES384],
        keys: &["ec-p384-a"],
        with_kid: true,
        issuer: None,
        audience: &[],
        required: &[],
        leeway: 0,
        typ: None,
    },
    Spec {
        name: "typed",
        algs: &[Alg::HS256],
        keys: &["oct-a"],
        with_kid: true,
        issuer: None,
        audience: &[],
        required: &["exp"],
        leeway: 0,
        typ: Some("at+jwt"),
    },
];

fn build(spec: &Spec, clock: Clock) -> Setup {
    let now = match clock {
        Clock::Injectable => CORPUS_NOW,
        Clock::System => system_now(),
    };
    let jwks = spec
        .keys
        .iter()
        .map(|name| {
            let mut jwk = keys::public(name);
            if !spec.with_kid {
                jwk.kid = None;
            }
            jwk
        })
        .collect();
    let signers = spec
        .algs
        .iter()
        .flat_map(|alg| {
            spec.keys
                .iter()
                .filter(|name| fits(*alg, name))
                .map(|name| Signer {
                    alg: *alg,
                    key: name,
                    kid: spec.with_kid.then(|| name.to_string()),
                })
        })
        .collect();
    let strings = |items: &[&str]| items.iter().map(|s| s.to_string()).collect();
    Setup {
        policy: Policy {
            keys: JwkSet::new(jwks),
            algorithms: spec.algs.to_vec(),
            issuer: spec.issuer.map(String::from),
            audience: strings(spec.audience),
            required_claims: strings(spec.required),
            leeway: spec.leeway,
            typ: spec.typ.map(String::from),
            now: (clock == Clock::Injectable).then_some(now),
            ..Policy::new(JwkSet::default(), Vec::new(), None)
        },
        now,
        clock,
        signers,
    }
}

/// The fixed setups for a verifier with `clock`: an injectable clock is set to
/// [`CORPUS_NOW`]; a system clock leaves `now` to the verifier.
pub fn fixed(clock: Clock) -> Vec<FixedSetup> {
    SPECS
        .iter()
        .map(|spec| FixedSetup {
            name: spec.name,
            setup: build(spec, clock),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_setup_is_one_family_with_trusted_signers() {
        for clock in [Clock::Injectable, Clock::System] {
            for FixedSetup { name, setup } in fixed(clock) {
                assert!(!setup.signers.is_empty(), "{name}");
                for s in &setup.signers {
                    assert!(setup.trusts(s.alg, s.key), "{name}: {s:?}");
                }
                let family = setup.policy.algorithms[0].key_family();
                assert!(
                    setup
                        .policy
                        .algorithms
                        .iter()
                        .all(|a| a.key_family() == family),
                    "{name}"
                );
                assert_eq!(setup.policy.now.is_some(), clock == Clock::Injectable);
            }
        }
        assert_eq!(
            fixed(Clock::Injectable)[0].setup.policy.now,
            Some(CORPUS_NOW)
        );
    }
}

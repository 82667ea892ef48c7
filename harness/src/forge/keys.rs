//! The fixed key fixtures of the data crate, parsed once.

use crate::alg::{Alg, KeyFamily};
use crate::jwk::{Jwk, JwkSet};
use std::collections::HashMap;
use std::sync::OnceLock;

fn all() -> &'static HashMap<&'static str, Jwk> {
    static KEYS: OnceLock<HashMap<&'static str, Jwk>> = OnceLock::new();
    KEYS.get_or_init(|| {
        jwt_conformance_vectors::KEYS
            .iter()
            .map(|(name, text)| {
                let jwk = Jwk::from_json(text)
                    .unwrap_or_else(|e| panic!("key fixture {name} is not a JWK: {e}"));
                (*name, jwk)
            })
            .collect()
    })
}

/// The fixture with its private parts. Fixture names are constants of this crate, so
/// an unknown name is a bug in the suite, not bad input.
pub fn private(name: &str) -> &'static Jwk {
    all()
        .get(name)
        .unwrap_or_else(|| panic!("no key fixture named {name}"))
}

/// The fixture's public key, as a verifier is given it.
pub fn public(name: &str) -> Jwk {
    private(name).to_public()
}

/// A JWK Set of the named fixtures' public keys.
pub fn public_set(names: &[&str]) -> JwkSet {
    JwkSet::new(names.iter().map(|n| public(n)).collect())
}

/// A JWK Set of the named fixtures with their private parts: the keys of a service that
/// issues and verifies with one key pair (an `oct` secret is the same either way).
/// Verifiers must verify with the public part only.
pub fn key_pair_set(names: &[&str]) -> JwkSet {
    JwkSet::new(names.iter().map(|n| private(n).clone()).collect())
}

/// The fixture normally used for `alg`.
pub fn default_key_name(alg: Alg) -> &'static str {
    match alg.key_family() {
        KeyFamily::Hmac => "oct-a",
        KeyFamily::Rsa => "rsa-2048-a",
        KeyFamily::Ec("P-256") => "ec-p256-a",
        KeyFamily::Ec("P-384") => "ec-p384-a",
        KeyFamily::Ec(_) => "ec-p521-a",
        KeyFamily::Ed25519 => "ed25519-a",
    }
}

/// A second fixture of the same kind, for wrong-key cases.
pub fn second_key_name(alg: Alg) -> &'static str {
    match alg.key_family() {
        KeyFamily::Hmac => "oct-b",
        KeyFamily::Rsa => "rsa-2048-b",
        KeyFamily::Ec("P-256") => "ec-p256-b",
        KeyFamily::Ec("P-384") => "ec-p384-b",
        KeyFamily::Ec(_) => "ec-p521-b",
        KeyFamily::Ed25519 => "ed25519-b",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fixture_parses_and_has_its_name_as_kid() {
        for (name, _) in jwt_conformance_vectors::KEYS {
            assert_eq!(private(name).kid.as_deref(), Some(*name));
        }
    }

    #[test]
    fn key_pair_sets_keep_the_private_members() {
        let set = key_pair_set(&["rsa-2048-a", "ec-p256-a", "oct-a"]);
        assert!(set.keys[0].d.is_some() && set.keys[0].p.is_some() && set.keys[0].qi.is_some());
        assert!(set.keys[1].d.is_some());
        assert_eq!(set.keys[2], public("oct-a"));
        assert_eq!(set.keys[0].to_public(), public("rsa-2048-a"));
    }

    #[test]
    fn public_keys_have_no_private_members() {
        let jwk = public("rsa-2048-a");
        assert!(jwk.d.is_none() && jwk.p.is_none() && jwk.qi.is_none());
        let eight_primes = public("rsa-2048-8p-a");
        assert!(private("rsa-2048-8p-a").other.contains_key("oth"));
        assert!(eight_primes.d.is_none() && eight_primes.other.is_empty());
        assert!(!eight_primes.to_json().contains("oth"));
        assert!(public("ec-p256-a").d.is_none());
    }
}

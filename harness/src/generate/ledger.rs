//! The no-forgery oracle's memory: every signing input a generator legitimately signed,
//! that is with a key the policy trusts and an algorithm it allows.
//!
//! The ledger is filled by the generator that signs, never by a global: a scenario
//! carries its own ledger, rebuilt whenever proptest rebuilds (or shrinks) the scenario.

use super::Setup;
use crate::alg::Alg;
use crate::forge::{self, keys};
use std::collections::BTreeMap;
use std::fmt;

/// Who signed an input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The algorithm it was signed with.
    pub alg: Alg,
    /// The fixture key's name.
    pub key: &'static str,
    /// The signature made. The forge signs deterministically, so a token carrying
    /// exactly these bytes needs no second signature check.
    pub signature: Vec<u8>,
}

/// Signing inputs legitimately signed for one policy.
#[derive(Clone, Default, PartialEq)]
pub struct Ledger {
    entries: BTreeMap<String, Vec<Entry>>,
}

impl Ledger {
    /// An empty ledger.
    pub fn new() -> Ledger {
        Ledger::default()
    }

    /// Signs `header` and `payload` bytes with `alg` and the fixture `key`; records the
    /// signing input only when `setup`'s policy trusts that key for that algorithm, so
    /// what counts as legitimate is decided by the policy, not by the caller's intent.
    pub fn sign(
        &mut self,
        setup: &Setup,
        header: &[u8],
        payload: &[u8],
        alg: Alg,
        key: &'static str,
    ) -> String {
        let input = forge::signing_input(header, payload);
        let signature = forge::sign(alg, keys::private(key), input.as_bytes())
            .unwrap_or_else(|e| panic!("fixture {key} cannot sign {alg}: {e}"));
        if setup.trusts(alg, key) {
            self.entries.entry(input.clone()).or_default().push(Entry {
                alg,
                key,
                signature: signature.clone(),
            });
        }
        format!("{input}.{}", crate::b64::encode(signature))
    }

    /// Who signed this signing input, if anyone legitimate did.
    pub fn signed(&self, signing_input: &str) -> Option<&[Entry]> {
        self.entries.get(signing_input).map(Vec::as_slice)
    }

    /// Whether an accepted `token` carries a signing input from this ledger: its first
    /// two segments exactly as received.
    pub fn vouches_for(&self, token: &str) -> bool {
        signing_input_of(token).is_some_and(|input| self.signed(input).is_some())
    }

    /// [`vouches_for`](Self::vouches_for), also when the two segments are written in
    /// spellings RFC 7515 leaves a decoder free to read (padding, non-zero trailing bits)
    /// and a ledger entry is their canonical encoding: a verifier that decodes leniently
    /// and validates over `BASE64URL(header) '.' BASE64URL(payload)` (RFC 7515 section
    /// 5.2 step 8) verifies that entry.
    pub fn vouches_for_content(&self, token: &str) -> bool {
        self.vouches_for(token) || {
            let mut segments = token.split('.');
            let canonical = |s: Option<&str>| s.and_then(crate::rules::base64url::canonical);
            match (canonical(segments.next()), canonical(segments.next())) {
                (Some(h), Some(p)) => self.signed(&format!("{h}.{p}")).is_some(),
                _ => false,
            }
        }
    }

    /// How many inputs were legitimately signed.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no input was legitimately signed.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// `header.payload` of a compact token: everything before the second dot (`None`
/// without one: a token with no signature segment carries no signed input).
pub fn signing_input_of(token: &str) -> Option<&str> {
    let first = token.find('.')?;
    let second = token[first + 1..].find('.')?;
    Some(&token[..first + 1 + second])
}

impl fmt::Debug for Ledger {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Ledger({} signed inputs)", self.entries.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adapter::Clock;
    use crate::generate::setups;
    use proptest::strategy::{Strategy, ValueTree};
    use proptest::test_runner::TestRunner;

    fn setup() -> Setup {
        let mut runner = TestRunner::deterministic();
        setups(vec![Alg::HS256], Clock::Injectable)
            .new_tree(&mut runner)
            .unwrap()
            .current()
    }

    #[test]
    fn only_trusted_keys_with_allowed_algorithms_are_recorded() {
        let setup = setup();
        let signer = setup.signer(0).clone();
        let mut ledger = Ledger::new();
        let good = ledger.sign(
            &setup,
            b"{\"alg\":\"HS256\"}",
            b"{}",
            signer.alg,
            signer.key,
        );
        assert!(ledger.vouches_for(&good));
        // Policies only ever trust the a/b fixtures.
        let trusted_before = ledger.len();
        let bad = ledger.sign(
            &setup,
            b"{\"alg\":\"HS256\"}",
            b"{\"x\":1}",
            Alg::HS256,
            "oct-short",
        );
        let disallowed = ledger.sign(
            &setup,
            b"{\"alg\":\"HS384\"}",
            b"{}",
            Alg::HS384,
            signer.key,
        );
        assert_eq!(ledger.len(), trusted_before);
        assert!(!ledger.vouches_for(&bad) && !ledger.vouches_for(&disallowed));
        assert!(!ledger.vouches_for("garbage"));
    }

    #[test]
    fn the_signing_input_is_the_first_two_segments() {
        assert_eq!(signing_input_of("a.b.c"), Some("a.b"));
        assert_eq!(signing_input_of("a.b.c.d"), Some("a.b"));
        assert_eq!(signing_input_of("a.b"), None);
        assert_eq!(signing_input_of("ab"), None);
    }
}

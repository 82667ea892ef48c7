//! Signatures the acceptance oracle has already verified under one policy.
//!
//! A fuzzer re-runs its corpus over and over, and the tokens a verifier accepts are
//! nearly always corpus entries: no fuzzer forges a signature. Remembering each pair the
//! oracle verified lets an acceptance seen before cost a lookup instead of a second
//! signature verification, which for ECDSA or RSA costs as much as the verifier's own.
//! Only pairs that verified are remembered, by their exact bytes, so a lookup never
//! vouches for anything that was not checked.

use std::collections::HashMap;
use std::sync::Mutex;

/// How many signing inputs are remembered; past that, pairs are verified every time.
pub const CAPACITY: usize = 1 << 14;

/// Signing inputs with the signatures that verified over them, for one policy.
#[derive(Debug, Default)]
pub struct VerifiedPairs {
    pairs: Mutex<HashMap<String, Vec<Vec<u8>>>>,
}

impl VerifiedPairs {
    /// An empty set.
    pub fn new() -> VerifiedPairs {
        VerifiedPairs::default()
    }

    /// Whether `signature` over `input` verified before.
    pub fn contains(&self, input: &str, signature: &[u8]) -> bool {
        let pairs = self.pairs.lock().unwrap_or_else(|e| e.into_inner());
        pairs
            .get(input)
            .is_some_and(|signatures| signatures.iter().any(|s| s == signature))
    }

    /// Remembers that `signature` over `input` verified, while there is room.
    pub fn insert(&self, input: &str, signature: &[u8]) {
        let mut pairs = self.pairs.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(signatures) = pairs.get_mut(input) {
            if !signatures.iter().any(|s| s == signature) {
                signatures.push(signature.to_vec());
            }
        } else if pairs.len() < CAPACITY {
            pairs.insert(input.to_string(), vec![signature.to_vec()]);
        }
    }

    /// How many signing inputs are remembered.
    pub fn len(&self) -> usize {
        self.pairs.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// Whether no signing input is remembered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_exact_pair_is_remembered() {
        let memo = VerifiedPairs::new();
        assert!(!memo.contains("h.p", b"sig"));
        memo.insert("h.p", b"sig");
        memo.insert("h.p", b"sig");
        memo.insert("h.p", b"other");
        assert!(memo.contains("h.p", b"sig"));
        assert!(memo.contains("h.p", b"other"));
        assert!(!memo.contains("h.p", b"si"));
        assert!(!memo.contains("h.q", b"sig"));
        assert_eq!(memo.len(), 1);
    }

    #[test]
    fn past_its_capacity_nothing_new_is_remembered() {
        let memo = VerifiedPairs::new();
        for i in 0..CAPACITY {
            memo.insert(&i.to_string(), b"s");
        }
        memo.insert("one more", b"s");
        assert!(!memo.contains("one more", b"s"));
        assert!(memo.contains("0", b"s"));
        assert_eq!(memo.len(), CAPACITY);
    }
}

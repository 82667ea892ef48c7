//! The rule book: every JWT rule the suite relies on, written once, with the level at
//! which the standards bind it and the sentence that says so.
//!
//! The catalogue's expectations, the property and fuzz oracles and the reference
//! verifiers all call these functions, so a rule cannot drift between them. Where the
//! RFCs leave a verifier a choice, the rule takes a [`Choice`] and documents both
//! answers: the strict reference takes each choice the strict way, the lenient reference
//! the other way, and a case that depends on the choice is `strict` (or `either`).

pub mod base64url;
pub mod json;

use serde::{Deserialize, Serialize};

/// How a verifier answers where the RFCs permit two answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Choice {
    /// The answer that refuses more: what hardening beyond the RFCs asks for.
    Strict,
    /// The other permitted answer.
    Lenient,
}

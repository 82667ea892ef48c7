//! Inputs for robustness: arbitrary text and bytes, dotted shapes that look like tokens,
//! oversized and deeply nested ones, and chains of mutations of a valid token.

use super::json::{json_value, JsonStyle};
use super::mutation::resolve;
use super::policy::Setup;
use crate::b64;
use crate::generate::mutations::Mutation;
use proptest::prelude::*;
use std::fmt;

/// One robustness input, rendered to text by [`RawInput::render`].
#[derive(Clone, PartialEq)]
pub enum RawInput {
    /// Any Unicode text.
    Text(String),
    /// Any bytes, made text the way a transport might (invalid UTF-8 replaced).
    Bytes(Vec<u8>),
    /// Dot-separated pieces of base64url alphabet and junk.
    Dotted(Vec<String>),
    /// Three segments that decode: arbitrary JSON header and payload, arbitrary bytes.
    Encoded {
        /// The header's JSON text.
        header: String,
        /// The payload's JSON text.
        payload: String,
        /// The signature bytes.
        signature: Vec<u8>,
    },
    /// One character repeated.
    Long {
        /// The character.
        ch: char,
        /// How many times it is repeated.
        len: usize,
    },
    /// A payload of `depth` nested arrays.
    Nested {
        /// How many arrays deep.
        depth: usize,
    },
    /// A valid token after a chain of mutations.
    Mutated(Vec<Mutation>),
    /// The valid token itself.
    Valid,
}

impl RawInput {
    /// The input text; `token` is the valid token mutations start from.
    pub fn render(&self, token: &str) -> String {
        match self {
            RawInput::Text(s) => s.clone(),
            RawInput::Bytes(bytes) => String::from_utf8_lossy(bytes).into_owned(),
            RawInput::Dotted(pieces) => pieces.join("."),
            RawInput::Encoded {
                header,
                payload,
                signature,
            } => crate::forge::assemble(header.as_bytes(), payload.as_bytes(), signature),
            RawInput::Long { ch, len } => std::iter::repeat_n(*ch, *len).collect(),
            RawInput::Nested { depth } => {
                let payload = format!("{}{}", "[".repeat(*depth), "]".repeat(*depth));
                format!(
                    "{}.{}.{}",
                    token.split('.').next().unwrap_or_default(),
                    b64::encode(payload),
                    token.rsplit('.').next().unwrap_or_default()
                )
            }
            RawInput::Mutated(chain) => chain.iter().fold(token.to_string(), |t, m| m.apply(&t)),
            RawInput::Valid => token.to_string(),
        }
    }

    /// The input with its mutations made attacks on `setup` (see [`resolve`]).
    pub fn resolved(self, setup: &Setup, donor: &str) -> RawInput {
        match self {
            RawInput::Mutated(chain) => RawInput::Mutated(
                chain
                    .into_iter()
                    .map(|m| resolve(m, setup, donor))
                    .collect(),
            ),
            other => other,
        }
    }
}

impl fmt::Debug for RawInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RawInput::Long { ch, len } => write!(f, "Long({ch:?} × {len})"),
            RawInput::Mutated(chain) => {
                let names: Vec<String> = chain.iter().map(|m| m.to_string()).collect();
                write!(f, "Mutated[{}]", names.join(", "))
            }
            RawInput::Text(s) => {
                write!(f, "Text({:?})", crate::generate::mutations::elide(s, 60))
            }
            RawInput::Bytes(b) => write!(f, "Bytes({} bytes)", b.len()),
            RawInput::Dotted(p) => write!(f, "Dotted({:?})", p.join(".")),
            RawInput::Encoded {
                header,
                payload,
                signature,
            } => write!(
                f,
                "Encoded({:?}, {:?}, {} signature bytes)",
                crate::generate::mutations::elide(header, 40),
                crate::generate::mutations::elide(payload, 40),
                signature.len()
            ),
            RawInput::Nested { depth } => write!(f, "Nested({depth})"),
            RawInput::Valid => f.write_str("Valid"),
        }
    }
}

/// Any robustness input.
pub fn raw_input() -> impl Strategy<Value = RawInput> {
    prop_oneof![
        2 => any::<String>().prop_map(RawInput::Text),
        1 => prop::collection::vec(any::<u8>(), 0..64).prop_map(RawInput::Bytes),
        2 => prop::collection::vec("[A-Za-z0-9_=+/ -]{0,12}|.{0,3}", 0..6).prop_map(RawInput::Dotted),
        2 => (json_value(), json_value(), prop::collection::vec(any::<u8>(), 0..80)).prop_map(
            |(h, p, signature)| RawInput::Encoded {
                header: h.render(JsonStyle::default()),
                payload: p.render(JsonStyle::default()),
                signature,
            }
        ),
        1 => (prop::sample::select(vec!['A', '.', '{', '=', 'é']), 1_000usize..100_000)
            .prop_map(|(ch, len)| RawInput::Long { ch, len }),
        1 => (1usize..2_000).prop_map(|depth| RawInput::Nested { depth }),
        3 => prop::collection::vec(super::mutation::mutation(), 1..4).prop_map(RawInput::Mutated),
    ]
}

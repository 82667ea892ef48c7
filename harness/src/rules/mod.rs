//! The rule book: every JWT rule the suite relies on, written once, with the level at
//! which the standards bind it and the sentence that says so.
//!
//! The catalogue's expectations, the property and fuzz oracles and the reference
//! verifiers all call these functions, so a rule cannot drift between them. Where the
//! RFCs leave a verifier a choice, the rule takes a [`Choice`] and documents both
//! answers: the strict reference takes each choice the strict way, the lenient reference
//! the other way, and a case whose expectation depends on the choice is `strict`.
//!
//! | rule | module | choices the RFCs leave open |
//! |---|---|---|
//! | compact serialization, size bound | [`segments`] | — |
//! | base64url | [`base64url`] | padding, non-zero trailing bits |
//! | JSON of header and claims | [`json`] | duplicate names, lone surrogates, byte order mark |
//! | `alg` | [`alg`] | — |
//! | `crit`, `b64` | [`crit`] | empty, duplicate, registered or absent names in `crit`; `b64` without `crit` |
//! | `typ`, `cty` | [`typ`] | — |
//! | `kid`, key type, JWK `alg`/`use`/`key_ops`, key strength | [`keys`] | `kid` as a hint; `use`, `key_ops` |
//! | NumericDate, `exp`, `nbf`, `iat` | [`time`] | range and precision of NumericDates, the leeway's edge, `iat` |
//! | `iss`, `aud`, required claims | [`claims`] | `iss`/`aud` absent or null when not required, odd types beside a match |
//! | what a profile adds (RFC 9068, OpenID Connect ID tokens, RFC 7523) | [`profiles`] | claims REQUIRED of the issuer alone, `azp`, an absent `at_hash` |

pub mod alg;
pub mod base64url;
pub mod claims;
pub mod crit;
pub mod json;
pub mod keys;
pub mod profiles;
pub mod segments;
pub mod time;
pub mod typ;

use crate::verdict::{RejectKind, Verdict};
use serde::{Deserialize, Serialize};
use std::fmt;

/// How a verifier answers where the RFCs permit two answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Choice {
    /// The answer that refuses more: what hardening beyond the RFCs asks for.
    Strict,
    /// The other permitted answer.
    Lenient,
}

/// Why a rule refuses a token: the reject kind that names the defect (the table in
/// [`crate::catalogue`]) and a message citing the rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejection {
    /// The kind that names the defect.
    pub kind: RejectKind,
    /// What was wrong, citing the rule it breaks.
    pub message: String,
}

/// The result of one check.
pub type Checked<T = ()> = Result<T, Rejection>;

impl Rejection {
    /// A rejection of `kind` with `message`.
    pub fn new(kind: RejectKind, message: impl Into<String>) -> Rejection {
        Rejection {
            kind,
            message: message.into(),
        }
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind, self.message)
    }
}

impl std::error::Error for Rejection {}

impl From<Rejection> for Verdict {
    fn from(r: Rejection) -> Verdict {
        Verdict::Rejected {
            kind: r.kind,
            message: r.message,
        }
    }
}

/// A value for messages: quoted, and cut to 64 characters so that a 64 KiB `kid` does not
/// become a 64 KiB message.
pub fn short(value: &str) -> String {
    const MAX: usize = 64;
    match value.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{:?}… ({} bytes)", &value[..cut], value.len()),
        None => format!("{value:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rejection_becomes_a_rejected_verdict_with_its_kind_and_message() {
        let verdict: Verdict = Rejection::new(RejectKind::Expired, "exp has passed").into();
        assert_eq!(
            verdict,
            Verdict::rejected(RejectKind::Expired, "exp has passed")
        );
    }

    #[test]
    fn short_quotes_and_cuts_long_values() {
        assert_eq!(short("kid-1"), "\"kid-1\"");
        let long = short(&"k".repeat(65_536));
        assert!(
            long.starts_with(&format!("\"{}\"…", "k".repeat(64))),
            "{long}"
        );
        assert!(long.ends_with("(65536 bytes)"), "{long}");
    }
}

//! What a verifier says about one token.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::fmt;
use std::str::FromStr;

/// Why a verifier rejected a token, as far as the adapter can tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RejectKind {
    /// The signature does not verify.
    Signature,
    /// The `alg` is not allowed, unknown, or does not fit the key.
    Algorithm,
    /// `exp` has passed.
    Expired,
    /// `nbf` is in the future.
    NotYetValid,
    /// `aud` does not match.
    Audience,
    /// `iss` does not match.
    Issuer,
    /// `typ` does not match.
    Type,
    /// A `crit` header parameter is not understood or is malformed.
    Critical,
    /// The token is not well-formed (segments, base64url, JSON, claim types).
    Malformed,
    /// No trusted key fits, or the key is unusable.
    Key,
    /// A required claim is absent.
    MissingClaim,
    /// Anything else.
    Other,
}

impl RejectKind {
    /// Every kind, for parsers and docs.
    pub const ALL: [RejectKind; 12] = [
        RejectKind::Signature,
        RejectKind::Algorithm,
        RejectKind::Expired,
        RejectKind::NotYetValid,
        RejectKind::Audience,
        RejectKind::Issuer,
        RejectKind::Type,
        RejectKind::Critical,
        RejectKind::Malformed,
        RejectKind::Key,
        RejectKind::MissingClaim,
        RejectKind::Other,
    ];

    /// The kebab-case name used in reports and the process protocol.
    pub fn as_str(self) -> &'static str {
        match self {
            RejectKind::Signature => "signature",
            RejectKind::Algorithm => "algorithm",
            RejectKind::Expired => "expired",
            RejectKind::NotYetValid => "not-yet-valid",
            RejectKind::Audience => "audience",
            RejectKind::Issuer => "issuer",
            RejectKind::Type => "type",
            RejectKind::Critical => "critical",
            RejectKind::Malformed => "malformed",
            RejectKind::Key => "key",
            RejectKind::MissingClaim => "missing-claim",
            RejectKind::Other => "other",
        }
    }
}

impl fmt::Display for RejectKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for RejectKind {
    type Err = String;

    /// Accepts the kebab-case names and their snake_case spellings.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.replace('_', "-");
        RejectKind::ALL
            .into_iter()
            .find(|k| k.as_str() == wanted)
            .ok_or_else(|| format!("unknown reject kind {s:?}"))
    }
}

/// A verifier's answer for one token.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    /// The token was accepted; these are the claims the library handed back.
    Accepted {
        /// The claims the library handed back.
        claims: Map<String, Value>,
    },
    /// The token was rejected.
    Rejected {
        /// Why, as the adapter classifies the library's error.
        kind: RejectKind,
        /// The library's own error message.
        message: String,
    },
    /// The verifier cannot express this case (e.g. a check it does not offer): the case
    /// is skipped.
    Unsupported {
        /// Why the case cannot be expressed.
        why: String,
    },
}

impl fmt::Display for Verdict {
    /// `accepted`, `rejected (kind): message` or `unsupported: why`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verdict::Accepted { .. } => f.write_str("accepted"),
            Verdict::Rejected { kind, message } => write!(f, "rejected ({kind}): {message}"),
            Verdict::Unsupported { why } => write!(f, "unsupported: {why}"),
        }
    }
}

impl Verdict {
    /// Shorthand for a rejection.
    pub fn rejected(kind: RejectKind, message: impl Into<String>) -> Verdict {
        Verdict::Rejected {
            kind,
            message: message.into(),
        }
    }

    /// Shorthand for "this policy or token cannot be expressed".
    pub fn unsupported(why: impl Into<String>) -> Verdict {
        Verdict::Unsupported { why: why.into() }
    }

    /// Shorthand for an acceptance with the claims as a JSON value; a non-object
    /// payload is kept under the key `""` so that the claims comparison fails visibly.
    pub fn accepted(claims: Value) -> Verdict {
        match claims {
            Value::Object(claims) => Verdict::Accepted { claims },
            other => {
                let mut claims = Map::new();
                claims.insert(String::new(), other);
                Verdict::Accepted { claims }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_parse_both_spellings() {
        for kind in RejectKind::ALL {
            assert_eq!(kind.as_str().parse::<RejectKind>(), Ok(kind));
        }
        assert_eq!(
            "not_yet_valid".parse::<RejectKind>(),
            Ok(RejectKind::NotYetValid)
        );
        assert!("bogus".parse::<RejectKind>().is_err());
    }
}

//! The outcome of a failed check: the reject kind that names the defect, and a message
//! that says which rule was broken.

use jwt_conformance::{RejectKind, Verdict};
use std::fmt;

/// Why the reference rejected a token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejection {
    /// The kind that names the defect (see the table in `jwt_conformance::catalogue`).
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn becomes_a_rejected_verdict_with_its_kind_and_message() {
        let verdict: Verdict = Rejection::new(RejectKind::Expired, "exp has passed").into();
        assert_eq!(
            verdict,
            Verdict::rejected(RejectKind::Expired, "exp has passed")
        );
        assert_ne!(
            verdict,
            Verdict::rejected(RejectKind::Signature, "exp has passed")
        );
    }
}

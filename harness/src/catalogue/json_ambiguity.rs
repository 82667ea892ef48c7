//! `json-ambiguity/*` cases.

use crate::case::Case;
use crate::context::Context;

/// The `json-ambiguity` cases.
pub fn cases(_ctx: &Context) -> Vec<Case> {
    Vec::new()
}

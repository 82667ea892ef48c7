//! `unknown-alg/*` cases.

use crate::case::Case;
use crate::context::Context;

/// The `unknown-alg` cases.
pub fn cases(_ctx: &Context) -> Vec<Case> {
    Vec::new()
}

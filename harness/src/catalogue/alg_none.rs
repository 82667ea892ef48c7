//! `alg-none/*` cases.

use crate::case::Case;
use crate::context::Context;

/// The `alg-none` cases.
pub fn cases(_ctx: &Context) -> Vec<Case> {
    Vec::new()
}

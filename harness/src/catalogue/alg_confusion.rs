//! `alg-confusion/*` cases.

use crate::case::Case;
use crate::context::Context;

/// The `alg-confusion` cases.
pub fn cases(_ctx: &Context) -> Vec<Case> {
    Vec::new()
}

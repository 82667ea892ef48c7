//! `format/*` cases.

use crate::case::Case;
use crate::context::Context;

/// The `format` cases.
pub fn cases(_ctx: &Context) -> Vec<Case> {
    Vec::new()
}

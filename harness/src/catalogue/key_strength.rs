//! `key-strength/*` cases.

use crate::case::Case;
use crate::context::Context;

/// The `key-strength` cases.
pub fn cases(_ctx: &Context) -> Vec<Case> {
    Vec::new()
}

//! `audience/*` cases.

use crate::case::Case;
use crate::context::Context;

/// The `audience` cases.
pub fn cases(_ctx: &Context) -> Vec<Case> {
    Vec::new()
}

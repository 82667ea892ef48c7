//! `resource-limits/*` cases.

use crate::case::Case;
use crate::context::Context;

/// The `resource-limits` cases.
pub fn cases(_ctx: &Context) -> Vec<Case> {
    Vec::new()
}

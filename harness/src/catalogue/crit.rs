//! `crit/*` cases.

use crate::case::Case;
use crate::context::Context;

/// The `crit` cases.
pub fn cases(_ctx: &Context) -> Vec<Case> {
    Vec::new()
}

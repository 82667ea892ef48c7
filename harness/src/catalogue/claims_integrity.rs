//! `claims-integrity/*` cases.

use crate::case::Case;
use crate::context::Context;

/// The `claims-integrity` cases.
pub fn cases(_ctx: &Context) -> Vec<Case> {
    Vec::new()
}

//! `issuer/*` cases.

use crate::case::Case;
use crate::context::Context;

/// The `issuer` cases.
pub fn cases(_ctx: &Context) -> Vec<Case> {
    Vec::new()
}

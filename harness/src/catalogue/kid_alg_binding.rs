//! `kid-alg-binding/*` cases.

use crate::case::Case;
use crate::context::Context;

/// The `kid-alg-binding` cases.
pub fn cases(_ctx: &Context) -> Vec<Case> {
    Vec::new()
}

//! `psychic-signature/*` cases.

use crate::case::Case;
use crate::context::Context;

/// The `psychic-signature` cases.
pub fn cases(_ctx: &Context) -> Vec<Case> {
    Vec::new()
}

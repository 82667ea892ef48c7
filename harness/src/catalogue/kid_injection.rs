//! `kid-injection/*` cases.

use crate::case::Case;
use crate::context::Context;

/// The `kid-injection` cases.
pub fn cases(_ctx: &Context) -> Vec<Case> {
    Vec::new()
}

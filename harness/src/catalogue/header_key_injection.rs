//! `header-key-injection/*` cases.

use crate::case::Case;
use crate::context::Context;

/// The `header-key-injection` cases.
pub fn cases(_ctx: &Context) -> Vec<Case> {
    Vec::new()
}

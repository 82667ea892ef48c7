//! `rsa-pkcs1/*` cases.

use crate::case::Case;
use crate::context::Context;

/// The `rsa-pkcs1` cases.
pub fn cases(_ctx: &Context) -> Vec<Case> {
    Vec::new()
}

//! `rfc7519/*`: the examples of RFC7519, verbatim from the RFC text (see the data crate).

use crate::case::Case;
use crate::catalogue::rfc_vectors;
use crate::context::Context;

/// The RFC7519 example cases.
pub fn cases(ctx: &Context) -> Vec<Case> {
    rfc_vectors::cases_with_prefix(ctx, "rfc7519/")
}

//! `rfc7515/*`: the examples of RFC7515, verbatim from the RFC text (see the data crate).

use crate::case::Case;
use crate::catalogue::rfc_vectors;
use crate::context::Context;

/// The RFC7515 example cases.
pub fn cases(ctx: &Context) -> Vec<Case> {
    rfc_vectors::cases_with_prefix(ctx, "rfc7515/")
}

//! `property/audience-issuer`: `iss` and `aud` exact, near misses (case, whitespace,
//! trailing slash, lookalikes), other types, and `aud` sent to a verifier that expects
//! none; time claims valid (RFC 7519 sections 4.1.1, 4.1.3).

use super::by_expectation;
use super::run::{Ctx, Stop};
use crate::generate::principal_claims;
use proptest::test_runner::TestRunner;

pub(super) fn run(ctx: &Ctx, runner: &mut TestRunner) -> Result<(), Stop> {
    by_expectation::run(ctx, runner, principal_claims(ctx.info.clock))
}

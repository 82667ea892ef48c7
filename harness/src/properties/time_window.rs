//! `property/time-window`: `exp` and `nbf` on and around both boundaries, in every
//! JSON type, everything else valid (RFC 7519 sections 4.1.4, 4.1.5).

use super::by_expectation;
use super::run::{Ctx, Stop};
use crate::generate::time_claims;
use proptest::test_runner::TestRunner;

pub(super) fn run(ctx: &Ctx, runner: &mut TestRunner) -> Result<(), Stop> {
    by_expectation::run(ctx, runner, time_claims(ctx.info.clock))
}

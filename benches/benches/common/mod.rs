//! What the bench binaries share: the adapters under test, the criterion settings, the
//! tokens, and the measurements made for every adapter.

pub(crate) mod fixtures;
pub(crate) mod per_adapter;

use criterion::Criterion;
use jwt_conformance::{Adapter, Alg};
use std::sync::Arc;
use std::time::Duration;

/// Builds one adapter under test. Each bench binary lists the adapters it measures;
/// adding one is a line in that list (plus its dev-dependency). An adapter that cannot
/// share a process with the others gets a bench binary of its own, like `verify_aws_lc`.
pub(crate) type MakeAdapter = fn() -> Arc<dyn Adapter>;

/// The algorithms measured, for every adapter that supports them.
pub(crate) const ALGS: [Alg; 8] = [
    Alg::HS256,
    Alg::HS384,
    Alg::HS512,
    Alg::RS256,
    Alg::PS256,
    Alg::ES256,
    Alg::ES384,
    Alg::EdDSA,
];

/// `JWT_BENCH_QUICK=1` (any value but empty or `0`) asks for the smoke-test settings.
pub(crate) fn quick() -> bool {
    std::env::var("JWT_BENCH_QUICK").is_ok_and(|v| !v.is_empty() && v != "0")
}

/// Criterion's settings: its defaults for a real run; for the quick mode, short
/// windows and the minimum sample count, so that the whole run stays under three
/// minutes on two cores (numbers are then rough).
pub(crate) fn criterion() -> Criterion {
    let c = Criterion::default();
    if quick() {
        c.warm_up_time(Duration::from_millis(100))
            .measurement_time(Duration::from_millis(300))
            .sample_size(10)
    } else {
        c
    }
}

/// Threads for the multi-thread measurements: one per available core.
pub(crate) fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

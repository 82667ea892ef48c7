//! # jwt-conformance-fuzz-targets
//!
//! What jwt-conformance's cargo-fuzz targets (in `fuzz/`) run, kept in the workspace so
//! the same oracles run under plain `cargo test`: `tests/replay.rs` replays the
//! committed seed corpus and every reproducer under `fuzz/regressions/` through them.
//!
//! | target | input | oracle |
//! |---|---|---|
//! | [`verify_bytes`] | bytes as a token, under each fixed setup | no panic; an acceptance must be signed by a trusted key with an allowed algorithm and satisfy the policy |
//! | [`verify_structured`] | a scenario: content signed by a trusted key, edited before and attacked after | the same, against the scenario's ledger of what was signed |
//! | [`differential`] | a scenario, through two adapters | accept/reject disagreements not documented by a manifest or `fuzz/known-divergences.toml` |
//! | [`harness_inputs`] | a parser selector and its input | no panic; errors name their source |
//! | [`bare_decode`] | bytes, to jsonwebtoken's `decode` alone | none: the cost baseline |
//!
//! Adapters: `JWT_FUZZ_ADAPTER` (default `jsonwebtoken`) for the verify targets,
//! `JWT_FUZZ_ADAPTERS=a,b` (default `jsonwebtoken,reference`) for the differential
//! one; see [`adapters::by_name`]. Findings that the adapter's expected-failures
//! manifest documents are not reported ([`deviations`]).

pub mod adapters;
pub mod bare;
pub mod deviations;
pub mod inputs;
pub mod known;
pub mod targets;

pub use bare::{bare_decode, bare_structured};
pub use inputs::harness_inputs;
pub use targets::{Differential, Finding, Prepared};

use std::sync::OnceLock;

/// The variable naming the adapter of the verify targets.
pub const ADAPTER_VAR: &str = "JWT_FUZZ_ADAPTER";
/// The variable naming the differential target's two adapters.
pub const ADAPTERS_VAR: &str = "JWT_FUZZ_ADAPTERS";

fn verify_target() -> &'static Prepared {
    static TARGET: OnceLock<Prepared> = OnceLock::new();
    TARGET.get_or_init(|| {
        let mut chosen = adapters::from_env(ADAPTER_VAR, adapters::DEFAULT_ADAPTER);
        assert!(
            chosen.len() == 1,
            "{ADAPTER_VAR} names one adapter (use {ADAPTERS_VAR} for the differential target)"
        );
        Prepared::for_adapter(chosen.remove(0))
    })
}

fn differential_target() -> &'static Differential {
    static TARGET: OnceLock<Differential> = OnceLock::new();
    TARGET.get_or_init(|| {
        let mut chosen = adapters::from_env(ADAPTERS_VAR, adapters::DEFAULT_PAIR);
        assert!(
            chosen.len() == 2,
            "{ADAPTERS_VAR} names two adapters, e.g. jsonwebtoken,reference"
        );
        let b = chosen.remove(1);
        Differential::new(chosen.remove(0), b)
    })
}

/// `verify_bytes` with the adapter from the environment.
pub fn verify_bytes(data: &[u8]) -> Result<(), Finding> {
    verify_target().bytes(data)
}

/// `verify_structured` with the adapter from the environment.
pub fn verify_structured(data: &[u8]) -> Result<(), Finding> {
    verify_target().structured(data)
}

/// The adapter of the verify targets, prepared for every fixed setup: for measuring
/// the targets' parts.
pub fn verify_target_prepared() -> &'static Prepared {
    verify_target()
}

/// `differential` with the adapters from the environment.
pub fn differential(data: &[u8]) -> Result<(), Finding> {
    differential_target().run(data)
}

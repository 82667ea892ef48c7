//! Oracles and inputs for fuzz targets, usable from any fuzzer (and from plain tests that
//! replay a corpus).
//!
//! A fuzz target that only looks for panics finds half the bugs; these pieces let one
//! also catch a verifier that **accepts** what it should not:
//!
//! - [`acceptance::check`] judges an accepted token: its signature was made by a trusted
//!   key with an allowed algorithm over exactly the bytes it carries (no forgery), its
//!   claims satisfy the policy ([`claims_expectation`](crate::properties::oracles::claims_expectation)),
//!   its header honours `crit` and the required `typ`, and the claims handed back are the
//!   signed ones. It runs only on acceptances, so rejections, the common case, cost
//!   nothing extra.
//! - [`setups`] are the fixed policies fuzzing runs under, one per key family.
//! - [`verified`] remembers the signatures the oracle has checked, so that a corpus
//!   entry accepted again is not verified twice.
//! - [`scenario`] (feature `arbitrary`) turns fuzzer bytes into a legitimately signed
//!   token, edited before signing and attacked after, with the ledger of what was signed.
//!
//! A library author can fuzz their own verifier with these: prepare it for each of
//! [`setups::fixed`], feed it tokens, and call [`acceptance::check`] on what it accepts.

pub mod acceptance;
#[cfg(feature = "arbitrary")]
pub mod scenario;
pub mod setups;
pub mod verified;

/// The time the seed corpus is minted at (2100-01-01T00:00:00Z), and the time injectable
/// clocks are set to while fuzzing: catalogue tokens minted then keep their meaning for
/// those verifiers, and stay unexpired for verifiers that read the system clock.
pub const CORPUS_NOW: i64 = 4_102_444_800;

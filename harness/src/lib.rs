//! # jwt-conformance
//!
//! A conformance, attack and property suite for JWT verifiers. Implement [`Adapter`] for
//! your verifier, then run the catalogue from a `harness = false` test with
//! [`libtest::Harness`], or from the `jwt-conformance` command line.
//!
//! The pieces: the [`forge`] mints tokens independently of any verifier; the
//! [`catalogue`] turns them into [`Case`]s with the outcome the standards demand; the
//! [`runner`] observes a verifier on each case, isolating panics and hangs; [`outcome`]
//! scores the observation against the adapter's [`Manifest`]; [`report`] renders it.

pub mod adapter;
pub mod alg;
pub mod b64;
pub mod canary;
pub mod case;
pub mod catalogue;
pub mod context;
pub mod cves;
pub mod forge;
pub mod generate;
pub mod issuer;
pub mod jwk;
pub mod libtest;
pub mod lockfile;
pub mod manifest;
pub mod memory;
pub mod oracles;
pub mod outcome;
mod parallel;
pub mod policy;
pub mod profiles;
pub mod properties;
pub mod report;
pub mod rules;
pub mod runner;
pub mod scenario;
pub mod suite;
pub mod verdict;
mod workers;

pub use adapter::{Adapter, AdapterInfo, Clock, NoAnswer, Verifier};
pub use alg::Alg;
pub use case::{Case, Expected, Severity};
pub use context::Context;
pub use jwk::{Jwk, JwkSet, KeyError};
pub use libtest::Harness;
pub use manifest::Manifest;
pub use outcome::Outcome;
pub use policy::{Checks, Policy, Profile};
pub use report::Report;
pub use suite::Suite;
pub use verdict::{RejectKind, Verdict};

// The README's Rust examples are compiled as doctests so they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;

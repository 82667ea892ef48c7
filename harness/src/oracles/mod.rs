//! Oracles: what a verifier must do with a token when no fixed expectation says, shared
//! by the properties and the fuzz targets.
//!
//! - [`claims`] decides from the payload bytes alone, by the rule book taken both ways,
//!   whether a legitimately signed token must be accepted, must be rejected, or may be
//!   either.
//! - [`acceptance::check`] judges an accepted token: its signature was made by a trusted
//!   key with an allowed algorithm over exactly the bytes it carries (no forgery), its
//!   claims satisfy the policy, its header honours `crit` and the required `typ`, and the
//!   claims handed back are the signed ones. It runs only on acceptances, so rejections,
//!   the common case, cost nothing extra.
//! - [`verified`] remembers the signatures the acceptance oracle has checked, so that a
//!   corpus entry accepted again is not verified twice.
//!
//! A library author can fuzz their own verifier with these: prepare it for each of
//! [`fixed_setups::fixed`](crate::generate::fixed_setups::fixed), feed it tokens, and call
//! [`acceptance::check`] on what it accepts.

pub mod acceptance;
pub mod claims;
pub mod verified;

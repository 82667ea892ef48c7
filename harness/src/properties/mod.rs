//! Properties: generated policies, tokens and mutations judged by oracles instead of
//! fixed expectations. Fixed cases find the bugs someone thought of; properties find
//! the rest.
//!
//! Each [`Property`] is a named test with a stable id (`property/no-forgery`, …) that
//! runs through the same entry points as the catalogue: one libtest trial per property
//! in [`libtest::Harness`](crate::libtest::Harness), and one result of class `property`
//! in [`Suite::run`](crate::Suite::run). A property can be listed in an adapter's
//! expected-failures manifest like a case.
//!
//! The strategies and mutation operators live in [`crate::generate`] and the oracles in
//! [`crate::oracles`], shared with the fuzz targets; [`check`] runs one property
//! against an adapter and returns the shrunk counterexample, decoded, with the seed
//! that reproduces it.

pub mod counterexample;

mod audience_issuer;
mod by_expectation;
mod completeness;
mod mutation_closure;
mod no_forgery;
mod observe;
mod robustness;
mod run;
mod score;
mod time_window;

pub use run::{
    check, derived_seed, Counterexample, Finding, PropertyConfig, PropertyRun, SeedChoice, Tally,
    DEFAULT_CASES,
};
pub use score::{case_result, score};

use crate::case::{Level, Severity};

/// One property of the suite.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Property {
    /// An accepted token's signing input was signed by a trusted key with an allowed
    /// algorithm.
    NoForgery,
    /// A well-formed token inside the policy is accepted with exactly its claims.
    Completeness,
    /// Accepted iff `nbf - leeway <= now < exp + leeway`; non-numeric exp/nbf rejected.
    TimeWindow,
    /// `iss` and `aud` accepted only on exact, case-sensitive matches.
    AudienceIssuer,
    /// Arbitrary input never panics, never hangs, and gets the same verdict twice.
    Robustness,
    /// Every mutation of a valid token that changes what was signed is rejected.
    MutationClosure,
}

impl Property {
    /// Every property, in report order.
    pub const ALL: [Property; 6] = [
        Property::NoForgery,
        Property::Completeness,
        Property::TimeWindow,
        Property::AudienceIssuer,
        Property::Robustness,
        Property::MutationClosure,
    ];

    /// The stable id, `property/<name>`.
    pub fn id(self) -> &'static str {
        match self {
            Property::NoForgery => "property/no-forgery",
            Property::Completeness => "property/completeness",
            Property::TimeWindow => "property/time-window",
            Property::AudienceIssuer => "property/audience-issuer",
            Property::Robustness => "property/robustness",
            Property::MutationClosure => "property/mutation-closure",
        }
    }

    /// The id without its class: also the regression file's stem.
    pub fn name(self) -> &'static str {
        self.id().trim_start_matches("property/")
    }

    /// The property with this id.
    pub fn from_id(id: &str) -> Option<Property> {
        Property::ALL.into_iter().find(|p| p.id() == id)
    }

    /// One-line title.
    pub fn title(self) -> &'static str {
        match self {
            Property::NoForgery => "Only tokens the trusted keys signed are accepted",
            Property::Completeness => "Valid tokens are accepted with exactly their claims",
            Property::TimeWindow => "exp and nbf bound the validity window exactly",
            Property::AudienceIssuer => "iss and aud match exactly and case-sensitively",
            Property::Robustness => "Arbitrary input never panics, hangs or flips its verdict",
            Property::MutationClosure => "Any change to what was signed is rejected",
        }
    }

    /// What the standards demand, for failure messages and the README.
    pub fn requirement(self) -> &'static str {
        match self {
            Property::NoForgery => {
                "an accepted token's signing input was signed by a trusted key with an allowed algorithm (RFC 7515 5.2, RFC 8725 3.1)"
            }
            Property::Completeness => {
                "a well-formed token that satisfies the policy is accepted, and the claims handed back equal the signed claims (RFC 7519 7.2)"
            }
            Property::TimeWindow => {
                "accept iff nbf - leeway <= now < exp + leeway; exp and nbf that are not numbers are rejected (RFC 7519 4.1.4, 4.1.5)"
            }
            Property::AudienceIssuer => {
                "iss and aud, when present, match what the policy expects exactly and case-sensitively, and are present where the policy requires them; strict runs also refuse them absent where expected, and any aud where none is expected (RFC 7519 4.1.1, 4.1.3, RFC 8725 3.8, 3.9)"
            }
            Property::Robustness => {
                "arbitrary input gets a verdict without a panic, within the time limit, the same one when sent twice, and is accepted only if a trusted key signed it (RFC 7515 5.2)"
            }
            Property::MutationClosure => {
                "a valid token changed in its signing input or its signature bytes is rejected (RFC 7515 5.2); only the documented no-ops may be accepted"
            }
        }
    }

    /// How bad a counterexample is.
    pub fn severity(self) -> Severity {
        match self {
            Property::NoForgery | Property::MutationClosure => Severity::Critical,
            Property::TimeWindow | Property::AudienceIssuer => Severity::High,
            Property::Completeness | Property::Robustness => Severity::Medium,
        }
    }

    /// How binding the property is, and the reference whose sentence sets it. Checks
    /// within a property that only hardening asks for (exact time boundaries, unusual
    /// NumericDates, duplicate names) accept either answer outside strict runs.
    pub fn level(self) -> (Level, &'static str) {
        match self {
            Property::NoForgery | Property::MutationClosure | Property::Robustness => {
                (Level::Rfc, "RFC7515#section-5.2")
            }
            Property::Completeness => (Level::Rfc, "RFC7519#section-7.2"),
            Property::TimeWindow => (Level::Rfc, "RFC7519#section-4.1.4"),
            Property::AudienceIssuer => (Level::Bcp, "RFC8725#section-3.9"),
        }
    }

    /// Sources.
    pub fn refs(self) -> &'static [&'static str] {
        match self {
            Property::NoForgery => &["RFC7515#section-5.2", "RFC8725#section-3.1"],
            Property::Completeness => &["RFC7515#section-5.2", "RFC7519#section-7.2"],
            Property::TimeWindow => &["RFC7519#section-4.1.4", "RFC7519#section-4.1.5"],
            Property::AudienceIssuer => &[
                "RFC7519#section-4.1.1",
                "RFC7519#section-4.1.3",
                "RFC8725#section-3.8",
                "RFC8725#section-3.9",
            ],
            Property::Robustness => &["RFC7515#section-5.2"],
            Property::MutationClosure => &[
                "RFC7515#section-5.2",
                "RFC7515#section-2",
                "RFC7518#section-3.4",
                "RFC8725#section-3.1",
            ],
        }
    }

    /// The report's `expected` label: what the property mostly demands of its tokens.
    pub fn expected_label(self) -> &'static str {
        match self {
            Property::NoForgery | Property::MutationClosure => "reject",
            Property::Completeness => "accept",
            Property::TimeWindow | Property::AudienceIssuer | Property::Robustness => "either",
        }
    }
}

/// Every property id, for manifest checks and listings.
pub fn ids() -> impl Iterator<Item = &'static str> {
    Property::ALL.into_iter().map(Property::id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_and_round_trip() {
        let ids: Vec<&str> = ids().collect();
        assert_eq!(
            ids,
            [
                "property/no-forgery",
                "property/completeness",
                "property/time-window",
                "property/audience-issuer",
                "property/robustness",
                "property/mutation-closure"
            ]
        );
        for p in Property::ALL {
            assert_eq!(Property::from_id(p.id()), Some(p));
            assert!(p.id().ends_with(p.name()));
        }
        assert_eq!(Property::from_id("property/nope"), None);
    }
}

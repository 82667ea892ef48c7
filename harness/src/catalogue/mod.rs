//! The catalogue: every case, one module per class, so that a case id's class names the
//! file that defines it (`time/exp-equals-now` lives in `time.rs`).

pub mod common;
pub mod positive;
pub mod rfc7515;
pub mod rfc7519;
pub mod rfc8037;
pub mod rfc_vectors;
pub mod time;

use crate::case::Case;
use crate::context::Context;

/// Every case of the catalogue, built for `ctx`, in a stable order.
pub fn cases(ctx: &Context) -> Vec<Case> {
    let mut all = Vec::new();
    all.extend(rfc7515::cases(ctx));
    all.extend(rfc7519::cases(ctx));
    all.extend(rfc8037::cases(ctx));
    all.extend(positive::cases(ctx));
    all.extend(time::cases(ctx));
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_are_unique_lower_case_and_stable_across_contexts() {
        let listing = cases(&Context::listing());
        let mut seen = HashSet::new();
        for case in &listing {
            assert!(seen.insert(case.id.clone()), "duplicate id {}", case.id);
            assert_eq!(case.id, case.id.to_lowercase());
            assert!(!case.refs.is_empty(), "{} has no refs", case.id);
            assert!(
                !case.description.is_empty(),
                "{} has no description",
                case.id
            );
            assert!(
                !case.requirement.is_empty(),
                "{} has no requirement",
                case.id
            );
        }
        let system = Context {
            clock: crate::Clock::System,
            now: 1_800_000_000,
            algorithms: vec![],
        };
        let ids: Vec<String> = cases(&system).into_iter().map(|c| c.id).collect();
        let listed: Vec<String> = listing.into_iter().map(|c| c.id).collect();
        assert_eq!(ids, listed, "the case list must not depend on the adapter");
    }

    #[test]
    fn the_same_now_gives_byte_identical_tokens() {
        let ctx = Context::listing();
        let a: Vec<String> = cases(&ctx).into_iter().map(|c| c.token).collect();
        let b: Vec<String> = cases(&ctx).into_iter().map(|c| c.token).collect();
        assert_eq!(a, b);
    }
}

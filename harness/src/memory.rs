//! Memory a verifier used to answer one request, where it can be measured.
//!
//! A verifier that runs as a process of its own (the process adapters) has a resident set
//! of its own: the adapter reads the child's peak resident set size around each request
//! and reports it through [`Verifier::memory`](crate::Verifier::memory). A verifier built
//! into the harness's process shares the harness's resident set, which says nothing about
//! one verifier; it reports nothing, and memory bounds do not apply to it (only its
//! verdicts are scored). Nothing here times anything: a bound is checked on observed
//! memory only.

use serde::{Deserialize, Serialize};
use std::fmt;

/// What a verifier's process used while answering one request.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemoryUse {
    /// The process's peak resident set size while answering, in KiB (Linux: `VmHWM`).
    pub peak_rss_kib: u64,
    /// How far that peak rose above the resident set the process had before the request,
    /// in KiB: what answering took.
    pub growth_kib: u64,
}

impl MemoryUse {
    /// Whether the growth exceeds `bound_kib`.
    pub fn exceeds(&self, bound_kib: u64) -> bool {
        self.growth_kib > bound_kib
    }
}

impl fmt::Display for MemoryUse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "peak resident set {}, {} above the resident set before the request",
            kib(self.peak_rss_kib),
            kib(self.growth_kib)
        )
    }
}

/// A size in KiB for people: `812 KiB`, `12.5 MiB`, `1.2 GiB`.
pub fn kib(n: u64) -> String {
    match n {
        n if n < 1024 => format!("{n} KiB"),
        n if n < 1024 * 1024 => format!("{:.1} MiB", n as f64 / 1024.0),
        n => format!("{:.1} GiB", n as f64 / (1024.0 * 1024.0)),
    }
}

/// The growth bound of the cases that set one: 64 MiB. A verifier that refuses or bounds
/// what a token asks for stays far below it (a compact JWT is a few KiB); one that
/// inflates a compression bomb or allocates what a header declares goes far above it.
pub const DEFAULT_GROWTH_BOUND_KIB: u64 = 64 * 1024;

/// Growth at or above this is shown in text reports even when within every bound.
pub const NOTABLE_GROWTH_KIB: u64 = 16 * 1024;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_well_and_bounds_are_strict() {
        assert_eq!(kib(812), "812 KiB");
        assert_eq!(kib(12 * 1024 + 512), "12.5 MiB");
        assert_eq!(kib(3 * 1024 * 1024 / 2), "1.5 GiB");
        let used = MemoryUse {
            peak_rss_kib: 200_000,
            growth_kib: DEFAULT_GROWTH_BOUND_KIB,
        };
        assert!(!used.exceeds(DEFAULT_GROWTH_BOUND_KIB));
        assert!(used.exceeds(DEFAULT_GROWTH_BOUND_KIB - 1));
        assert!(used.to_string().contains("64.0 MiB above"), "{used}");
    }
}

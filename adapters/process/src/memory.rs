//! The verifier process's resident set around one request, read from `/proc` (Linux).
//!
//! Before the request the child's peak resident set size ("high water mark") is reset to
//! its current resident set by writing `5` to `/proc/<pid>/clear_refs`, and that resident
//! set is the baseline; after the answer, `VmHWM` in `/proc/<pid>/status` is the peak
//! reached while answering, and the growth is the peak less the baseline. Where the reset
//! is refused, the growth is the rise of `VmHWM` across the request: never more than what
//! the request took (an earlier, higher peak hides it), so a bound can miss but never
//! falsely accuse. Only the child the adapter started is measured, not processes it
//! starts in turn. Where `/proc` is not there, nothing is measured.

use jwt_conformance::memory::MemoryUse;
use std::fs;

/// The state of the child's memory before a request.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Before {
    pid: u32,
    /// The resident set after the peak was reset, or the peak itself when it could not be.
    baseline_kib: u64,
}

/// Resets the child's peak and reads where it stands, before a request.
pub(crate) fn before(pid: u32) -> Option<Before> {
    let reset = fs::write(format!("/proc/{pid}/clear_refs"), "5").is_ok();
    let status = status(pid)?;
    let baseline_kib = if reset {
        field(&status, "VmRSS")?
    } else {
        field(&status, "VmHWM")?
    };
    Some(Before { pid, baseline_kib })
}

/// What the request took: the child's peak while answering and its rise over the
/// baseline.
pub(crate) fn after(before: Before) -> Option<MemoryUse> {
    let peak_rss_kib = field(&status(before.pid)?, "VmHWM")?;
    Some(MemoryUse {
        peak_rss_kib,
        growth_kib: peak_rss_kib.saturating_sub(before.baseline_kib),
    })
}

fn status(pid: u32) -> Option<String> {
    fs::read_to_string(format!("/proc/{pid}/status")).ok()
}

/// A `Name:   1234 kB` line of `/proc/<pid>/status`, in KiB.
fn field(status: &str, name: &str) -> Option<u64> {
    status.lines().find_map(|line| {
        let rest = line.strip_prefix(name)?.strip_prefix(':')?;
        rest.trim().strip_suffix("kB")?.trim().parse().ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_fields_are_read_in_kib() {
        let status =
            "Name:\tpython3\nVmPeak:\t  30000 kB\nVmHWM:\t   12345 kB\nVmRSS:\t    9876 kB\n";
        assert_eq!(field(status, "VmHWM"), Some(12_345));
        assert_eq!(field(status, "VmRSS"), Some(9_876));
        assert_eq!(field(status, "VmSwap"), None);
        assert_eq!(field("VmHWMX:\t1 kB\n", "VmHWM"), None);
    }

    #[test]
    fn this_process_measures_what_it_allocates() {
        if !std::path::Path::new("/proc/self/status").exists() {
            return;
        }
        let pid = std::process::id();
        let Some(start) = before(pid) else {
            panic!("/proc/{pid}/status is readable");
        };
        let block = vec![1u8; 48 << 20];
        std::hint::black_box(&block);
        let used = after(start).expect("status is readable");
        drop(block);
        assert!(used.peak_rss_kib >= used.growth_kib);
        // Other tests of this binary run at the same time, so only a lower bound holds.
        assert!(used.growth_kib >= 40 * 1024, "{used:?}");
    }
}

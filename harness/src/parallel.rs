//! Independent jobs on every core, results in order: the catalogue's classes are built,
//! and a concurrent adapter's cases run, this way, so a report never depends on which
//! thread finished first.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

/// The number of threads to use: the machine's parallelism.
pub(crate) fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// `job(0)`, …, `job(n - 1)` on `threads` threads, results in index order.
pub(crate) fn in_order<T: Send>(
    n: usize,
    threads: usize,
    job: impl Fn(usize) -> T + Sync,
) -> Vec<T> {
    if threads <= 1 || n <= 1 {
        return (0..n).map(job).collect();
    }
    let next = AtomicUsize::new(0);
    let slots: Mutex<Vec<Option<T>>> = Mutex::new((0..n).map(|_| None).collect());
    std::thread::scope(|s| {
        for _ in 0..threads.min(n) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= n {
                    break;
                }
                let result = job(i);
                slots.lock().unwrap_or_else(PoisonError::into_inner)[i] = Some(result);
            });
        }
    });
    slots
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner)
        .into_iter()
        .flatten()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_index_order_whatever_the_threads() {
        for threads in [1, 2, 7] {
            let got = in_order(50, threads, |i| {
                // Later jobs finish first.
                std::thread::sleep(std::time::Duration::from_micros((50 - i as u64) * 20));
                i * i
            });
            assert_eq!(got, (0..50).map(|i| i * i).collect::<Vec<_>>());
        }
    }
}

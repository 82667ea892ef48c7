//! Response bodies as readers: stored bytes, a generated repetition that is never
//! materialised, pacing, and the stop flag every reader observes.

use std::fmt;
use std::io::{self, Read, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

/// The longest a sleep goes without looking at the stop flag.
pub(crate) const SLICE: Duration = Duration::from_millis(10);

/// The smallest block a repeated pattern is expanded to, so that reads copy whole runs
/// instead of one pattern at a time.
const BLOCK: usize = 8 * 1024;

/// What a reply's body is made of.
#[derive(Clone, PartialEq, Eq)]
pub(crate) enum Body {
    /// Bytes held in memory (small documents).
    Bytes(Arc<[u8]>),
    /// `len` bytes of a pattern repeated, generated while sending. `block` holds whole
    /// copies of the pattern (at least [`BLOCK`] bytes unless the pattern is longer), so
    /// the memory held does not depend on `len`.
    Repeat {
        block: Arc<[u8]>,
        pattern_len: usize,
        len: u64,
    },
}

impl Body {
    /// A repetition of `pattern` (a space when empty) `len` bytes long.
    pub(crate) fn repeat(pattern: &[u8], len: u64) -> Body {
        let pattern: &[u8] = if pattern.is_empty() { b" " } else { pattern };
        let copies = BLOCK.div_ceil(pattern.len());
        Body::Repeat {
            block: pattern.repeat(copies).into(),
            pattern_len: pattern.len(),
            len,
        }
    }

    /// The body's length in bytes.
    pub(crate) fn len(&self) -> u64 {
        match self {
            Body::Bytes(bytes) => bytes.len() as u64,
            Body::Repeat { len, .. } => *len,
        }
    }

    /// The bytes this body keeps in memory, whatever its length.
    #[cfg(test)]
    pub(crate) fn resident(&self) -> usize {
        match self {
            Body::Bytes(bytes) => bytes.len(),
            Body::Repeat { block, .. } => block.len(),
        }
    }

    /// A reader of the body that fails once `stop` is set.
    pub(crate) fn reader(&self, stop: Arc<AtomicBool>) -> StopAware<Box<dyn Read + Send>> {
        let inner: Box<dyn Read + Send> = match self {
            Body::Bytes(bytes) => Box::new(io::Cursor::new(Arc::clone(bytes))),
            Body::Repeat {
                block,
                pattern_len,
                len,
            } => Box::new(Repeat {
                block: Arc::clone(block),
                pattern_len: *pattern_len,
                sent: 0,
                len: *len,
            }),
        };
        StopAware { inner, stop }
    }
}

impl fmt::Debug for Body {
    /// A summary: the length, never the bytes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Body::Bytes(bytes) => write!(f, "Bytes({} bytes)", bytes.len()),
            Body::Repeat {
                pattern_len, len, ..
            } => write!(f, "Repeat({len} bytes of a {pattern_len}-byte pattern)"),
        }
    }
}

/// Generates a repeated pattern from one block, never holding more than the block.
struct Repeat {
    block: Arc<[u8]>,
    pattern_len: usize,
    sent: u64,
    len: u64,
}

impl Read for Repeat {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let remaining = self.len - self.sent;
        let want = buf
            .len()
            .min(usize::try_from(remaining).unwrap_or(usize::MAX));
        let mut filled = 0;
        while filled < want {
            // Offsets inside the block that are a multiple of the pattern length start a
            // copy of the pattern, so the stream stays in phase across reads.
            let phase = usize::try_from(self.sent % self.pattern_len as u64).unwrap_or(0);
            let run = (self.block.len() - phase).min(want - filled);
            buf[filled..filled + run].copy_from_slice(&self.block[phase..phase + run]);
            filled += run;
            self.sent += run as u64;
        }
        Ok(filled)
    }
}

/// The error a body reader returns once the issuer stops.
fn stopped() -> io::Error {
    io::Error::other("the issuer stopped")
}

/// Fails every read once the stop flag is set, so a long body ends with the issuer.
pub(crate) struct StopAware<R> {
    inner: R,
    stop: Arc<AtomicBool>,
}

impl<R: Read> Read for StopAware<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.stop.load(Ordering::SeqCst) {
            return Err(stopped());
        }
        self.inner.read(buf)
    }
}

/// Sleeps `delay` in slices, returning `false` as soon as `stop` is set. A delay too long
/// to represent as a deadline sleeps until `stop`.
pub(crate) fn sleep_unless_stopped(delay: Duration, stop: &AtomicBool) -> bool {
    let deadline = Instant::now().checked_add(delay);
    loop {
        if stop.load(Ordering::SeqCst) {
            return false;
        }
        let left = match deadline {
            Some(deadline) => deadline.saturating_duration_since(Instant::now()),
            None => SLICE,
        };
        if left.is_zero() {
            return true;
        }
        thread::sleep(left.min(SLICE));
    }
}

/// Hands out `bytes` bytes per step and waits `every` before each step but the first: a
/// body sent a few bytes at a time, or a large one at a bounded rate. A step larger than
/// the writer's buffer spans several reads, so a step of a MiB leaves as fast as the
/// connection takes it.
pub(crate) struct Trickle<R> {
    inner: R,
    bytes: usize,
    every: Duration,
    stop: Arc<AtomicBool>,
    /// What the current step may still hand out; `None` before the first step.
    left: Option<usize>,
}

impl<R> Trickle<R> {
    /// Paces `inner` to `bytes` bytes (at least one) every `every`.
    pub(crate) fn new(inner: R, bytes: usize, every: Duration, stop: Arc<AtomicBool>) -> Self {
        Trickle {
            inner,
            bytes: bytes.max(1),
            every,
            stop,
            left: None,
        }
    }
}

impl<R: Read> Read for Trickle<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = match self.left {
            Some(0) => {
                if !sleep_unless_stopped(self.every, &self.stop) {
                    return Err(stopped());
                }
                self.bytes
            }
            Some(left) => left,
            None => self.bytes,
        };
        let n = buf.len().min(left);
        let read = self.inner.read(&mut buf[..n])?;
        self.left = Some(left - read);
        Ok(read)
    }
}

/// Flushes after every write, so that paced bytes leave at once instead of waiting in
/// the connection's buffer.
pub(crate) struct FlushEach<W>(pub(crate) W);

impl<W: Write> Write for FlushEach<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.0.write(buf)?;
        self.0.flush()?;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn running() -> Arc<AtomicBool> {
        Arc::new(AtomicBool::new(false))
    }

    #[test]
    fn a_repetition_holds_one_block_whatever_its_length() {
        let huge = Body::repeat(b"{\"keys\":[", 100 * 1024 * 1024);
        assert_eq!(huge.len(), 100 * 1024 * 1024);
        assert!(huge.resident() < 2 * BLOCK, "{}", huge.resident());
        let long_pattern = vec![7u8; 3 * BLOCK];
        assert_eq!(Body::repeat(&long_pattern, u64::MAX).resident(), 3 * BLOCK);
    }

    #[test]
    fn a_repetition_reads_as_the_pattern_over_and_over() {
        let len = 3 * BLOCK as u64 + 5;
        for pattern in [&b"abc"[..], b"", b"0123456789"] {
            let body = Body::repeat(pattern, len);
            let mut out = Vec::new();
            // Odd read sizes cross block and pattern boundaries.
            let mut reader = body.reader(running());
            let mut buf = [0u8; 1000];
            loop {
                let n = reader.read(&mut buf[..777]).unwrap();
                if n == 0 {
                    break;
                }
                out.extend_from_slice(&buf[..n]);
            }
            let pattern: &[u8] = if pattern.is_empty() { b" " } else { pattern };
            let expected: Vec<u8> = pattern.iter().copied().cycle().take(len as usize).collect();
            assert_eq!(out, expected);
        }
    }

    #[test]
    fn readers_fail_once_stopped() {
        let stop = running();
        let mut reader = Body::repeat(b"x", 10).reader(Arc::clone(&stop));
        assert_eq!(reader.read(&mut [0u8; 4]).unwrap(), 4);
        stop.store(true, Ordering::SeqCst);
        assert!(reader.read(&mut [0u8; 4]).is_err());
        assert!(!sleep_unless_stopped(Duration::MAX, &stop));
    }

    #[test]
    fn a_trickle_hands_out_its_bytes_per_step() {
        let mut trickle = Trickle::new(&b"abcde"[..], 2, Duration::ZERO, running());
        let mut buf = [0u8; 16];
        assert_eq!(trickle.read(&mut buf).unwrap(), 2);
        assert_eq!(trickle.read(&mut buf).unwrap(), 2);
        assert_eq!(trickle.read(&mut buf).unwrap(), 1);
        assert_eq!(trickle.read(&mut buf).unwrap(), 0);
    }

    #[test]
    fn a_step_larger_than_a_read_spans_several_reads_before_the_wait() {
        let stop = running();
        let every = Duration::from_millis(200);
        let mut trickle = Trickle::new(&[7u8; 64][..], 24, every, Arc::clone(&stop));
        let mut buf = [0u8; 10];
        let started = Instant::now();
        let sizes: Vec<usize> = (0..3).map(|_| trickle.read(&mut buf).unwrap()).collect();
        assert_eq!(sizes, [10, 10, 4]);
        assert!(started.elapsed() < every, "the first step waited");
        assert_eq!(trickle.read(&mut buf).unwrap(), 10);
        assert!(started.elapsed() >= every, "the second step did not wait");
        stop.store(true, Ordering::SeqCst);
        let rest: Vec<usize> = (0..2).map(|_| trickle.read(&mut buf).unwrap()).collect();
        assert_eq!(rest, [10, 4], "the step under way ends first");
        assert!(
            trickle.read(&mut buf).is_err(),
            "the next wait sees the stop"
        );
    }
}

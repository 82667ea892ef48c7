//! One verifier child process. Its stdin is fed by a writer thread, its stdout is split
//! into lines by a reader thread, its stderr is drained into a bounded tail: no pipe can
//! fill up and block either side, and every wait for the child has a deadline.

use std::collections::VecDeque;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::process::{ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender, SyncSender};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// The longest answer line accepted; a longer one is garbage, and only its start is kept.
pub(crate) const MAX_LINE: usize = 64 << 20;
/// How much of the child's stderr is kept for diagnostics.
pub(crate) const STDERR_KEEP: usize = 64 << 10;
/// How much of an over-long line is kept to quote it.
const HEAD: usize = 4096;
/// Lines read ahead of the one awaited; the bound makes a child that floods stdout wait
/// instead of filling our memory.
const READ_AHEAD: usize = 4;
/// How long a child whose stdin was closed, or which closed its stdout, gets to exit.
const EXIT_GRACE: Duration = Duration::from_millis(500);
/// How long to let the stderr drain catch up after the child exited, so that its last
/// words are in the tail.
const STDERR_CATCH_UP: Duration = Duration::from_millis(200);

/// What came back while waiting for an answer.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Reply {
    /// One line, without its newline.
    Line(Vec<u8>),
    /// A line longer than [`MAX_LINE`]: its first bytes and its full length.
    TooLong { head: Vec<u8>, len: usize },
    /// Nothing complete before the deadline.
    TimedOut,
    /// The child closed its stdout. `status` is its exit status, or `None` if it was
    /// still running and had to be killed.
    Closed { status: Option<ExitStatus> },
}

/// What the stdout reader thread passes on.
#[derive(Debug, PartialEq, Eq)]
enum Event {
    Line(Vec<u8>),
    TooLong { head: Vec<u8>, len: usize },
    Eof,
}

/// A running verifier process.
pub(crate) struct Child {
    process: std::process::Child,
    streams: Streams,
}

/// The threads' ends of the child's three standard streams.
struct Streams {
    /// Lines for the writer thread; dropping it closes the child's stdin.
    requests: Option<Sender<String>>,
    replies: Receiver<Event>,
    stderr: Arc<Mutex<Tail>>,
    stderr_drain: JoinHandle<()>,
}

impl Child {
    /// Starts `argv[0]` with `argv[1..]`, all three standard streams piped.
    pub(crate) fn spawn(argv: &[String]) -> io::Result<Child> {
        let (program, args) = argv
            .split_first()
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "empty command"))?;
        let mut process = Command::new(program)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        match Streams::attach(&mut process) {
            Ok(streams) => Ok(Child { process, streams }),
            Err(e) => {
                let _ = process.kill();
                let _ = process.wait();
                Err(e)
            }
        }
    }

    /// The child's process id.
    pub(crate) fn id(&self) -> u32 {
        self.process.id()
    }

    /// Queues one line for the child's stdin. A child that stopped reading is noticed
    /// by [`Child::recv`], not here, so this never blocks.
    pub(crate) fn send(&self, line: &str) {
        if let Some(requests) = &self.streams.requests {
            // The writer thread is gone only when the child's stdin is broken, which the
            // next `recv` reports as a closed or silent child.
            let _ = requests.send(format!("{line}\n"));
        }
    }

    /// Waits until `deadline` for the next line.
    pub(crate) fn recv(&mut self, deadline: Instant) -> Reply {
        let wait = deadline.saturating_duration_since(Instant::now());
        match self.streams.replies.recv_timeout(wait) {
            Ok(Event::Line(line)) => Reply::Line(line),
            Ok(Event::TooLong { head, len }) => Reply::TooLong { head, len },
            Err(RecvTimeoutError::Timeout) => Reply::TimedOut,
            Ok(Event::Eof) | Err(RecvTimeoutError::Disconnected) => Reply::Closed {
                status: self.wait_for_exit(EXIT_GRACE),
            },
        }
    }

    /// What the child wrote to stderr, its last [`STDERR_KEEP`] bytes, decoded lossily.
    pub(crate) fn stderr_tail(&mut self) -> String {
        if matches!(self.process.try_wait(), Ok(Some(_))) {
            let until = Instant::now() + STDERR_CATCH_UP;
            while !self.streams.stderr_drain.is_finished() && Instant::now() < until {
                thread::sleep(Duration::from_millis(5));
            }
        }
        self.streams
            .stderr
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .text()
    }

    /// Kills the child at once: it is hung or out of step with the protocol.
    pub(crate) fn kill(mut self) {
        self.stop(Duration::ZERO);
    }

    /// Closes stdin, gives the child `grace` to exit by itself, then kills it.
    fn stop(&mut self, grace: Duration) {
        self.streams.requests = None;
        self.wait_for_exit(grace);
    }

    /// The exit status if the child exits within `grace`; `None` once it has been
    /// killed for not doing so.
    fn wait_for_exit(&mut self, grace: Duration) -> Option<ExitStatus> {
        let until = Instant::now() + grace;
        loop {
            match self.process.try_wait() {
                Ok(Some(status)) => return Some(status),
                Ok(None) if Instant::now() < until => thread::sleep(Duration::from_millis(5)),
                Ok(None) | Err(_) => {
                    let _ = self.process.kill();
                    let _ = self.process.wait();
                    return None;
                }
            }
        }
    }
}

impl Drop for Child {
    /// Protocol v1 ends a verifier by closing its stdin.
    fn drop(&mut self) {
        self.stop(EXIT_GRACE);
    }
}

impl Streams {
    /// Takes the child's pipes and starts a thread on each.
    fn attach(process: &mut std::process::Child) -> io::Result<Streams> {
        let missing = |name: &str| io::Error::other(format!("the child's {name} is not piped"));
        let stdin = process.stdin.take().ok_or_else(|| missing("stdin"))?;
        let stdout = process.stdout.take().ok_or_else(|| missing("stdout"))?;
        let stderr = process.stderr.take().ok_or_else(|| missing("stderr"))?;

        let (requests, to_write) = mpsc::channel::<String>();
        thread::Builder::new()
            .name("verifier stdin".into())
            .spawn(move || feed(stdin, to_write))?;

        let (events, replies) = mpsc::sync_channel(READ_AHEAD);
        thread::Builder::new()
            .name("verifier stdout".into())
            .spawn(move || {
                pump_lines(BufReader::new(stdout), MAX_LINE, &events);
                let _ = events.send(Event::Eof);
            })?;

        let tail = Arc::new(Mutex::new(Tail::new(STDERR_KEEP)));
        let kept = Arc::clone(&tail);
        let stderr_drain = thread::Builder::new()
            .name("verifier stderr".into())
            .spawn(move || drain(stderr, &kept))?;
        Ok(Streams {
            requests: Some(requests),
            replies,
            stderr: tail,
            stderr_drain,
        })
    }
}

/// Writes queued lines to the child until the queue closes or the pipe breaks; returning
/// drops `stdin`, which is how the child learns that the run is over.
fn feed(mut stdin: ChildStdin, lines: Receiver<String>) {
    for line in lines {
        if stdin
            .write_all(line.as_bytes())
            .and_then(|()| stdin.flush())
            .is_err()
        {
            return;
        }
    }
}

/// Splits `input` into lines (without `\n`) and passes them on, each bounded by `max`
/// bytes: a longer line is reported as too long with its first bytes, never held whole.
/// A last line without a newline still counts. Returns at end of input, on a read
/// error, or when nobody listens any more.
fn pump_lines(mut input: impl BufRead, max: usize, events: &SyncSender<Event>) {
    let mut line = Vec::new();
    // The full length of the current line, which may exceed what is kept of it.
    let mut len = 0usize;
    loop {
        let (used, complete) = match input.fill_buf() {
            Ok([]) => break,
            Ok(buf) => {
                let end = buf.iter().position(|&b| b == b'\n');
                let chunk = &buf[..end.unwrap_or(buf.len())];
                len = len.saturating_add(chunk.len());
                if len <= max {
                    line.extend_from_slice(chunk);
                } else {
                    line.truncate(HEAD);
                    let room = HEAD - line.len();
                    line.extend_from_slice(&chunk[..room.min(chunk.len())]);
                }
                (end.map_or(buf.len(), |i| i + 1), end.is_some())
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(_) => break,
        };
        input.consume(used);
        if complete && events.send(finish(&mut line, &mut len, max)).is_err() {
            return;
        }
    }
    if len > 0 {
        let _ = events.send(finish(&mut line, &mut len, max));
    }
}

/// The event for the line gathered so far, resetting the gatherer.
fn finish(line: &mut Vec<u8>, len: &mut usize, max: usize) -> Event {
    let text = std::mem::take(line);
    let full = std::mem::take(len);
    if full > max {
        Event::TooLong {
            head: text,
            len: full,
        }
    } else {
        Event::Line(text)
    }
}

/// Reads the child's stderr into `tail` until it closes.
fn drain(mut stderr: impl Read, tail: &Mutex<Tail>) {
    let mut buf = [0u8; 8192];
    loop {
        match stderr.read(&mut buf) {
            Ok(0) => return,
            Ok(n) => tail
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(&buf[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return,
        }
    }
}

/// The last `cap` bytes written to a stream.
#[derive(Debug)]
struct Tail {
    bytes: VecDeque<u8>,
    cap: usize,
}

impl Tail {
    fn new(cap: usize) -> Tail {
        Tail {
            bytes: VecDeque::new(),
            cap,
        }
    }

    fn push(&mut self, data: &[u8]) {
        let data = &data[data.len().saturating_sub(self.cap)..];
        let excess = (self.bytes.len() + data.len()).saturating_sub(self.cap);
        self.bytes.drain(..excess);
        self.bytes.extend(data);
    }

    fn text(&self) -> String {
        let (a, b) = self.bytes.as_slices();
        String::from_utf8_lossy(&[a, b].concat()).into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8], max: usize) -> Vec<Event> {
        let (tx, rx) = mpsc::sync_channel(64);
        pump_lines(input, max, &tx);
        drop(tx);
        rx.into_iter().collect()
    }

    #[test]
    fn input_is_split_into_lines_with_a_last_partial_line() {
        assert_eq!(
            lines(b"one\n\ntwo\r\nthree", 100),
            vec![
                Event::Line(b"one".to_vec()),
                Event::Line(Vec::new()),
                Event::Line(b"two\r".to_vec()),
                Event::Line(b"three".to_vec()),
            ]
        );
        assert_eq!(lines(b"", 100), vec![]);
    }

    #[test]
    fn over_long_lines_keep_only_their_start_and_the_next_line_is_intact() {
        let long = vec![b'x'; 3 * HEAD];
        let mut input = long.clone();
        input.extend_from_slice(b"\nok\n");
        // A one-byte buffer makes the reader see the line in many pieces.
        let reader = BufReader::with_capacity(1, &input[..]);
        let (tx, rx) = mpsc::sync_channel(64);
        pump_lines(reader, 2 * HEAD, &tx);
        drop(tx);
        let got: Vec<Event> = rx.into_iter().collect();
        assert_eq!(
            got,
            vec![
                Event::TooLong {
                    head: long[..HEAD].to_vec(),
                    len: 3 * HEAD
                },
                Event::Line(b"ok".to_vec()),
            ]
        );
        assert_eq!(lines(b"12345", 5), vec![Event::Line(b"12345".to_vec())]);
        assert_eq!(
            lines(b"123456", 5),
            vec![Event::TooLong {
                head: b"123456".to_vec(),
                len: 6
            }]
        );
    }

    #[test]
    fn the_stderr_tail_keeps_the_last_bytes() {
        let mut tail = Tail::new(8);
        tail.push(b"abc");
        tail.push(b"defgh");
        assert_eq!(tail.text(), "abcdefgh");
        tail.push(b"ij");
        assert_eq!(tail.text(), "cdefghij");
        tail.push(b"0123456789");
        assert_eq!(tail.text(), "23456789");
    }
}

//! Reusable threads for calls into a verifier. A call may hang, so it runs on a worker
//! thread that the caller waits for with a time limit; a worker whose call overran is
//! abandoned (its thread ends if the call ever returns) and never given another job.
//! Workers whose calls answered in time are kept for the next call: a run makes a
//! thousand or more calls, and starting a thread for each cost more than many of the
//! verifications themselves.

use std::sync::mpsc::{self, SendError, Sender};
use std::sync::{Mutex, PoisonError};
use std::thread;

type Job = Box<dyn FnOnce() + Send + 'static>;

/// Idle workers, each the sending end of its thread's job queue.
pub(crate) struct Pool {
    idle: Mutex<Vec<Sender<Job>>>,
}

/// The pool every verifier call uses.
pub(crate) static POOL: Pool = Pool::new();

/// At most this many idle workers are kept: more than a run ever uses at once.
const KEPT: usize = 64;

/// A worker thread running one caller's job. [`Worker::release`] gives it back once the
/// job has answered; dropping it instead abandons the thread.
pub(crate) struct Worker {
    jobs: Sender<Job>,
    pool: &'static Pool,
}

impl Pool {
    /// A pool with no workers yet.
    pub(crate) const fn new() -> Pool {
        Pool {
            idle: Mutex::new(Vec::new()),
        }
    }

    fn take(&self) -> Option<Sender<Job>> {
        self.idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop()
    }

    /// Starts `job` on an idle worker, or on a new thread if none is idle. The job
    /// reports back through whatever channel it captured.
    pub(crate) fn start(
        &'static self,
        job: impl FnOnce() + Send + 'static,
    ) -> std::io::Result<Worker> {
        let mut job: Job = Box::new(job);
        while let Some(jobs) = self.take() {
            match jobs.send(job) {
                Ok(()) => return Ok(Worker { jobs, pool: self }),
                // Its thread is gone: try another.
                Err(SendError(back)) => job = back,
            }
        }
        let (jobs, queue) = mpsc::channel::<Job>();
        thread::Builder::new()
            .name("verifier worker".into())
            .spawn(move || {
                for job in queue {
                    job();
                }
            })?;
        jobs.send(job)
            .map_err(|_| std::io::Error::other("a new worker thread ended at once"))?;
        Ok(Worker { jobs, pool: self })
    }
}

impl Worker {
    /// Keeps the worker for a later call. Only for a worker whose job has sent its last
    /// answer (the next job waits in its queue until the current one returns), never
    /// for one that overran or died.
    pub(crate) fn release(self) {
        let mut idle = self
            .pool
            .idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if idle.len() < KEPT {
            idle.push(self.jobs);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    impl Pool {
        fn idle_count(&self) -> usize {
            self.idle.lock().unwrap().len()
        }
    }

    fn thread_of(pool: &'static Pool) -> (thread::ThreadId, Worker) {
        let (tx, rx) = mpsc::channel();
        let worker = pool
            .start(move || tx.send(thread::current().id()).unwrap())
            .unwrap();
        (rx.recv_timeout(Duration::from_secs(5)).unwrap(), worker)
    }

    #[test]
    fn a_released_worker_runs_the_next_job_on_the_same_thread() {
        static POOL: Pool = Pool::new();
        let (one, worker) = thread_of(&POOL);
        worker.release();
        assert_eq!(POOL.idle_count(), 1);
        let (two, worker) = thread_of(&POOL);
        assert_eq!(one, two);
        assert_eq!(POOL.idle_count(), 0);
        worker.release();
    }

    #[test]
    fn an_abandoned_worker_is_not_reused() {
        static POOL: Pool = Pool::new();
        let (stuck_tx, stuck_rx) = mpsc::channel::<()>();
        let (started_tx, started_rx) = mpsc::channel();
        let stuck = POOL
            .start(move || {
                started_tx.send(thread::current().id()).unwrap();
                // Hangs until the test lets it go.
                let _ = stuck_rx.recv();
            })
            .unwrap();
        let stuck_thread = started_rx.recv().unwrap();
        drop(stuck);
        let (other, worker) = thread_of(&POOL);
        assert_ne!(other, stuck_thread);
        worker.release();
        drop(stuck_tx);
    }

    #[test]
    fn an_idle_worker_whose_thread_is_gone_is_passed_over() {
        static POOL: Pool = Pool::new();
        let (gone, queue) = mpsc::channel::<Job>();
        drop(queue);
        POOL.idle.lock().unwrap().push(gone);
        let (_, worker) = thread_of(&POOL);
        assert_eq!(POOL.idle_count(), 0);
        worker.release();
        assert_eq!(POOL.idle_count(), 1);
    }
}

//! Runs untrusted parsing work on its own thread, with a large stack, a panic guard and a
//! deadline, so that a hostile or broken PDF cannot crash or hang the caller.
//!
//! When the deadline passes the caller gets [`ExtractError::Timeout`] at once and the worker
//! thread is left to finish on its own, detached: std threads cannot be killed, so its CPU time
//! is spent until the parser returns, and its result is dropped. A stack overflow still aborts
//! the process (Rust cannot catch it); the 64 MiB stack makes one from deep nesting unlikely.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use super::ExtractError;

/// Stack size of a parsing thread.
pub const STACK_BYTES: usize = 64 * 1024 * 1024;

/// Runs `work` on a fresh thread and waits at most `timeout` for its answer.
pub fn run_guarded<T, F>(timeout: Duration, work: F) -> Result<T, ExtractError>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T, ExtractError> + Send + 'static,
{
    let (tx, rx) = mpsc::sync_channel(1);
    let spawned = thread::Builder::new()
        .name("kiro-pdf-read".to_owned())
        .stack_size(STACK_BYTES)
        .spawn(move || {
            let outcome = catch_unwind(AssertUnwindSafe(work))
                .unwrap_or_else(|payload| Err(ExtractError::Malformed(panic_reason(&payload))));
            // The receiver is gone when the caller timed out: nothing left to tell.
            let _ = tx.send(outcome);
        });
    if let Err(e) = spawned {
        return Err(ExtractError::Malformed(format!(
            "could not start the reader thread: {e}"
        )));
    }
    match rx.recv_timeout(timeout) {
        Ok(outcome) => outcome,
        Err(mpsc::RecvTimeoutError::Timeout) => Err(ExtractError::Timeout(timeout)),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(ExtractError::Malformed(
            "the PDF reader stopped without an answer".to_owned(),
        )),
    }
}

/// The message of a caught panic, for `Malformed`.
pub fn panic_reason(payload: &Box<dyn Any + Send>) -> String {
    let message = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown cause".to_owned());
    format!("the PDF reader failed: {message}")
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_in_time_comes_back() {
        assert_eq!(run_guarded(Duration::from_secs(5), || Ok(7)), Ok(7));
    }

    #[test]
    fn a_panic_becomes_malformed() {
        let out: Result<(), _> = run_guarded(Duration::from_secs(5), || panic!("boom"));
        assert_eq!(
            out,
            Err(ExtractError::Malformed(
                "the PDF reader failed: boom".to_owned()
            ))
        );
    }

    #[test]
    fn slow_work_times_out() {
        let out: Result<(), _> = run_guarded(Duration::from_millis(10), || {
            thread::sleep(Duration::from_millis(500));
            Ok(())
        });
        assert_eq!(out, Err(ExtractError::Timeout(Duration::from_millis(10))));
    }
}

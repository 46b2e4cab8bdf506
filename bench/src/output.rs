//! The recent output of a child process, kept so a failure can be explained.
//!
//! Both of a server's streams are drained continuously (a server that logs
//! must never block on a full pipe) into one bounded buffer, of which the last
//! lines are quoted in error messages. Nothing is written to disk, however
//! much a server logs during a run.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::task::JoinHandle;

/// Bytes of output kept.
const KEPT_BYTES: usize = 16 * 1024;
/// Lines quoted in an error message.
const QUOTED_LINES: usize = 20;

/// A shared, bounded tail of a child's stdout and stderr, interleaved.
#[derive(Clone, Default)]
pub struct OutputTail(Arc<Mutex<VecDeque<u8>>>);

impl OutputTail {
    /// Appends output, forgetting the oldest bytes beyond the bound.
    pub fn push(&self, bytes: &[u8]) {
        let mut kept = self.lock();
        kept.extend(bytes);
        let excess = kept.len().saturating_sub(KEPT_BYTES);
        kept.drain(..excess);
    }

    /// The last lines of output, or `None` if there was none.
    pub fn last_lines(&self) -> Option<String> {
        let kept = self.lock();
        let bytes: Vec<u8> = kept.iter().copied().collect();
        drop(kept);
        let text = String::from_utf8_lossy(&bytes);
        let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
        if lines.is_empty() {
            return None;
        }
        Some(lines[lines.len().saturating_sub(QUOTED_LINES)..].join("\n"))
    }

    /// Reads `stream` to its end in the background, keeping its tail.
    pub fn drain(&self, mut stream: impl AsyncRead + Unpin + Send + 'static) -> JoinHandle<()> {
        let tail = self.clone();
        tokio::spawn(async move {
            let mut chunk = vec![0u8; 8192];
            while let Ok(read @ 1..) = stream.read(&mut chunk).await {
                tail.push(&chunk[..read]);
            }
        })
    }

    fn lock(&self) -> MutexGuard<'_, VecDeque<u8>> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_last_bytes_and_lines_are_kept() {
        let tail = OutputTail::default();
        assert_eq!(tail.last_lines(), None);
        for i in 0..5000 {
            tail.push(format!("line {i}\n").as_bytes());
        }
        let quoted = tail.last_lines().unwrap_or_default();
        assert_eq!(quoted.lines().count(), QUOTED_LINES);
        assert_eq!(quoted.lines().last(), Some("line 4999"));
        assert!(tail.lock().len() <= KEPT_BYTES);
    }
}

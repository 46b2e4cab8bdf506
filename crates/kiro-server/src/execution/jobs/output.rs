//! A running job's output on its way to the log and the event stream: the engine's sink
//! sends chunks over a channel (and answers whether the job is to stop); the [`Batcher`]
//! merges them per stream into lines of whole UTF-8 characters, flushed every
//! [`FLUSH_EVERY`] or [`FLUSH_BYTES`], so a flood of small writes becomes few events, and
//! keeps at most the configured number of bytes.

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Duration;

use chrono::{DateTime, Utc};
use kiro_sandbox::{OutputSink, Stream};
use kiro_types::execution::{JobLogLine, LogStream};
use tokio::sync::mpsc::UnboundedSender;

/// How long output may wait before it is written.
pub const FLUSH_EVERY: Duration = Duration::from_millis(100);
/// How much output is written at once, at the latest.
pub const FLUSH_BYTES: usize = 4096;

/// Why a job is being stopped (kept in a [`StopFlag`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// A caller cancelled it (or another process took it over): the store already says so.
    Cancelled,
    /// This server is shutting down.
    Shutdown,
}

/// Whether, and why, a running job should stop; shared by the worker, the sink and cancel.
#[derive(Debug, Default)]
pub struct StopFlag(AtomicU8);

impl StopFlag {
    pub fn set(&self, stop: Stop) {
        let value = match stop {
            Stop::Cancelled => 1,
            Stop::Shutdown => 2,
        };
        let _ = self
            .0
            .compare_exchange(0, value, Ordering::SeqCst, Ordering::SeqCst);
    }

    pub fn get(&self) -> Option<Stop> {
        match self.0.load(Ordering::SeqCst) {
            1 => Some(Stop::Cancelled),
            2 => Some(Stop::Shutdown),
            _ => None,
        }
    }
}

/// The engine's sink for one job.
pub struct JobSink {
    pub chunks: UnboundedSender<(Stream, Vec<u8>)>,
    pub stop: Arc<StopFlag>,
}

impl OutputSink for JobSink {
    fn output(&self, stream: Stream, chunk: &[u8]) {
        let _ = self.chunks.send((stream, chunk.to_vec()));
    }

    fn cancelled(&self) -> bool {
        self.stop.get().is_some()
    }
}

fn log_stream(stream: Stream) -> LogStream {
    match stream {
        Stream::Stdout => LogStream::Stdout,
        Stream::Stderr => LogStream::Stderr,
    }
}

/// Output received and not yet written, and what has been kept so far.
#[derive(Debug)]
pub struct Batcher {
    pending: Vec<(Stream, Vec<u8>)>,
    pending_bytes: usize,
    next_seq: u64,
    kept_bytes: u64,
    max_bytes: u64,
    /// Output beyond `max_bytes` was dropped.
    pub truncated: bool,
}

impl Batcher {
    pub fn new(max_bytes: u64) -> Batcher {
        Batcher {
            pending: Vec::new(),
            pending_bytes: 0,
            next_seq: 1,
            kept_bytes: 0,
            max_bytes,
            truncated: false,
        }
    }

    /// Adds a chunk; true when enough is pending to write now.
    pub fn push(&mut self, stream: Stream, chunk: Vec<u8>) -> bool {
        self.pending_bytes += chunk.len();
        match self.pending.last_mut() {
            Some((last, bytes)) if *last == stream => bytes.extend_from_slice(&chunk),
            _ => self.pending.push((stream, chunk)),
        }
        self.pending_bytes >= FLUSH_BYTES
    }

    /// The pending output as lines to write, within the byte cap. Unless `last`, a stream's
    /// incomplete trailing UTF-8 character waits for the rest of its bytes.
    pub fn take(&mut self, at: DateTime<Utc>, last: bool) -> Vec<JobLogLine> {
        let mut lines = Vec::new();
        let mut carry: Vec<(Stream, Vec<u8>)> = Vec::new();
        for (stream, mut bytes) in std::mem::take(&mut self.pending) {
            let keep = if last { 0 } else { incomplete_tail(&bytes) };
            let rest = bytes.split_off(bytes.len() - keep);
            if !rest.is_empty() {
                carry.push((stream, rest));
            }
            let room = usize::try_from(self.max_bytes.saturating_sub(self.kept_bytes))
                .unwrap_or(usize::MAX);
            if bytes.len() > room {
                bytes.truncate(room);
                self.truncated = true;
            }
            if bytes.is_empty() {
                continue;
            }
            self.kept_bytes += bytes.len() as u64;
            lines.push(JobLogLine {
                seq: self.next_seq,
                at,
                stream: log_stream(stream),
                message: String::from_utf8_lossy(&bytes).into_owned(),
            });
            self.next_seq += 1;
        }
        self.pending_bytes = carry.iter().map(|(_, b)| b.len()).sum();
        self.pending = carry;
        lines
    }
}

/// How many bytes at the end of `bytes` start a UTF-8 character that is not complete yet.
fn incomplete_tail(bytes: &[u8]) -> usize {
    match std::str::from_utf8(bytes) {
        Ok(_) => 0,
        Err(e) if e.error_len().is_none() => bytes.len() - e.valid_up_to(),
        Err(_) => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_merge_per_stream_and_split_characters_wait() {
        let mut batcher = Batcher::new(1024);
        let now = Utc::now();
        assert!(!batcher.push(Stream::Stdout, b"a".to_vec()));
        batcher.push(Stream::Stdout, vec![b'b', 0xc3]);
        batcher.push(Stream::Stderr, b"err".to_vec());
        let lines = batcher.take(now, false);
        let texts: Vec<(u64, &str)> = lines.iter().map(|l| (l.seq, l.message.as_str())).collect();
        assert_eq!(texts, [(1, "ab"), (2, "err")]);
        batcher.push(Stream::Stdout, vec![0xa9]);
        let lines = batcher.take(now, true);
        assert_eq!(lines.len(), 1);
        assert_eq!((lines[0].seq, lines[0].message.as_str()), (3, "\u{e9}"));
    }

    #[test]
    fn output_beyond_the_cap_is_dropped_and_marked() {
        let mut batcher = Batcher::new(5);
        assert!(batcher.push(Stream::Stdout, vec![b'x'; FLUSH_BYTES]));
        let lines = batcher.take(Utc::now(), false);
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].message, "xxxxx");
        assert!(batcher.truncated);
        batcher.push(Stream::Stderr, b"more".to_vec());
        assert!(batcher.take(Utc::now(), true).is_empty());
    }
}

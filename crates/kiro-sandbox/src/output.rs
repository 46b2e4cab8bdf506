//! Output of a run: where chunks go as they arrive (a sink the server forwards to its event
//! stream) and what is kept, capped at the run's output limit across stdout and stderr. The
//! sink is also how a caller cancels a run: the supervisor asks it between polls.

/// Which stream a chunk came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// Receives output as it arrives. Called from the supervising thread: keep it quick.
pub trait OutputSink: Sync {
    fn output(&self, stream: Stream, chunk: &[u8]);

    /// Whether the caller wants the run stopped: the supervisor kills the job (within its
    /// poll interval) and a submission runs no further case.
    fn cancelled(&self) -> bool {
        false
    }
}

/// Discards streamed output (the result still holds it).
impl OutputSink for () {
    fn output(&self, _: Stream, _: &[u8]) {}
}

impl<F: Fn(Stream, &[u8]) + Sync> OutputSink for F {
    fn output(&self, stream: Stream, chunk: &[u8]) {
        self(stream, chunk)
    }
}

/// The kept output of both streams, with one shared cap.
#[derive(Debug, Default)]
pub struct Capture {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    cap: u64,
    /// Set once more arrived than the cap allows.
    pub exceeded: bool,
}

impl Capture {
    pub fn new(cap: u64) -> Capture {
        Capture {
            cap,
            ..Capture::default()
        }
    }

    /// Keeps what fits of `chunk`, streams that part, and reports whether the cap was passed.
    pub fn push(&mut self, stream: Stream, chunk: &[u8], sink: &dyn OutputSink) -> bool {
        let used = (self.stdout.len() + self.stderr.len()) as u64;
        let room = usize::try_from(self.cap.saturating_sub(used)).unwrap_or(usize::MAX);
        let kept = &chunk[..chunk.len().min(room)];
        if !kept.is_empty() {
            match stream {
                Stream::Stdout => self.stdout.extend_from_slice(kept),
                Stream::Stderr => self.stderr.extend_from_slice(kept),
            }
            sink.output(stream, kept);
        }
        if kept.len() < chunk.len() {
            self.exceeded = true;
        }
        self.exceeded
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    #[test]
    fn the_cap_is_shared_and_only_kept_bytes_are_streamed() {
        let streamed = Mutex::new(Vec::new());
        let sink = |_: Stream, chunk: &[u8]| {
            streamed
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .extend_from_slice(chunk)
        };
        let mut capture = Capture::new(5);
        assert!(!capture.push(Stream::Stdout, b"abc", &sink));
        assert!(capture.push(Stream::Stderr, b"defg", &sink));
        assert_eq!(capture.stdout, b"abc");
        assert_eq!(capture.stderr, b"de");
        assert_eq!(
            *streamed.lock().unwrap_or_else(|p| p.into_inner()),
            b"abcde"
        );
    }
}

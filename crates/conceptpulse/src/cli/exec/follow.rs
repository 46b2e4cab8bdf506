//! Following a job as it runs: its `execution.job.output` events printed as they arrive
//! (stdout to stdout, stderr to stderr, each chunk once, in order) until one of its final
//! events, then the job as it ended. Ctrl-C may cancel it (best effort). Shared by
//! `exec run` and `exec logs --follow`.

use std::io::Write;

use futures::StreamExt;
use kiro_sdk::kiro_types::execution::{Job, JobLogLine, JobOutput, LogStream};
use kiro_sdk::{EventStream, KiroClient, KiroError};
use serde::Serialize;

/// The event types that end a job.
const FINAL_EVENTS: [&str; 3] = [
    "execution.job.completed",
    "execution.job.failed",
    "execution.job.cancelled",
];

/// Where a job's output goes: the terminal's streams, or kept for one JSON document.
#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Printer {
    /// The last chunk shown; later copies of it (a log page and an event) are skipped.
    #[serde(skip)]
    last_seq: u64,
    #[serde(skip)]
    collect: bool,
    /// What was kept, when collecting.
    pub lines: Vec<JobOutput>,
}

impl Printer {
    /// A printer to the terminal.
    pub fn terminal() -> Self {
        Self::default()
    }

    /// A printer that keeps the output instead (for `--output json`).
    pub fn collecting() -> Self {
        Self {
            collect: true,
            ..Self::default()
        }
    }

    /// Shows `chunk` unless it was shown already.
    pub fn chunk(&mut self, chunk: JobOutput) {
        if chunk.seq <= self.last_seq {
            return;
        }
        self.last_seq = chunk.seq;
        if self.collect {
            self.lines.push(chunk);
            return;
        }
        // A closed terminal is no reason to stop following the job.
        let _ = match chunk.stream {
            LogStream::Stderr | LogStream::System => {
                let mut err = std::io::stderr().lock();
                err.write_all(chunk.text.as_bytes())
                    .and_then(|()| err.flush())
            }
            LogStream::Stdout => {
                let mut out = std::io::stdout().lock();
                out.write_all(chunk.text.as_bytes())
                    .and_then(|()| out.flush())
            }
        };
    }

    /// Shows a stored log line.
    pub fn line(&mut self, line: JobLogLine) {
        self.chunk(JobOutput {
            stream: line.stream,
            text: line.message,
            seq: line.seq,
        });
    }
}

/// What Ctrl-C does while following.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnInterrupt {
    /// Cancel the job, then report it.
    Cancel,
    /// Nothing special: the process ends as usual.
    Leave,
}

/// How following ended.
#[derive(Debug)]
pub struct Followed {
    pub job: Job,
    /// Ctrl-C cancelled it.
    pub interrupted: bool,
}

/// Prints the output events of job `id` from `events` (a live subscription that covers the
/// job) until the job ends, and answers it as it ended.
pub async fn follow(
    client: &KiroClient,
    events: &mut EventStream,
    id: &str,
    printer: &mut Printer,
    on_interrupt: OnInterrupt,
) -> Result<Followed, KiroError> {
    let interrupt = async {
        match on_interrupt {
            OnInterrupt::Cancel => {
                if tokio::signal::ctrl_c().await.is_err() {
                    futures::future::pending::<()>().await;
                }
            }
            OnInterrupt::Leave => futures::future::pending::<()>().await,
        }
    };
    tokio::pin!(interrupt);
    // Ctrl-C is acted on once (the signal future is done after it).
    let mut asked = false;
    loop {
        tokio::select! {
            event = events.next() => {
                let Some(event) = event else {
                    return Err(KiroError::Connection("the event stream ended".into()));
                };
                if event.resource_id != id {
                    continue;
                }
                if event.event_type == "execution.job.output" {
                    if let Ok(chunk) = serde_json::from_value::<JobOutput>(event.data) {
                        printer.chunk(chunk);
                    }
                } else if FINAL_EVENTS.contains(&event.event_type.as_str()) {
                    let job = client.execution().job(id).await?;
                    if job.status.is_final() {
                        return Ok(Followed { job, interrupted: false });
                    }
                }
            }
            () = &mut interrupt, if !asked => {
                asked = true;
                eprintln!("conceptpulse: cancelling job {id}…");
                match client.execution().cancel_job(id).await {
                    Ok(job) => return Ok(Followed { job, interrupted: true }),
                    // It ended meanwhile: its final event is on its way.
                    Err(KiroError::Api(api)) if api.code == "execution.job.not_cancellable" => {}
                    Err(e) => return Err(e),
                }
            }
        }
    }
}

//! `conceptpulse exec jobs`, `exec job ID`, `exec cancel ID` and `exec logs ID [--follow]`:
//! the workspace's queued runs, newest first, one job's status, verdict, usage and output,
//! cancelling one, and its output as written (followed live until it ends).

use std::time::Duration;

use kiro_sdk::kiro_types::execution::{Job, JobLogLine, JobUsage};
use kiro_sdk::{JobFilters, KiroClient, KiroError};
use serde::Serialize;

use super::args::JobsArgs;
use super::follow::{OnInterrupt, Printer, follow};
use crate::cli::OutputFormat;
use crate::cli::exit;
use crate::cli::output::{Output, table};
use crate::verdicts;

/// How many log lines one request reads.
const LOG_PAGE: u32 = 500;
/// How long the event subscription of `logs --follow` may take to be confirmed.
const SUBSCRIBE_WAIT: Duration = Duration::from_secs(30);

/// `conceptpulse exec jobs`.
pub async fn jobs(client: &KiroClient, out: Output, args: JobsArgs) -> u8 {
    let filters = JobFilters {
        status: args.status,
        environment: args.env,
        limit: Some(args.limit),
    };
    match client
        .execution()
        .jobs(&filters, args.cursor.as_deref())
        .await
    {
        Ok(page) => {
            out.emit(&page, |page| {
                let mut text = job_table(&page.items);
                if let Some(cursor) = &page.next_cursor {
                    text.push_str(&format!("\nMore: --cursor {cursor}"));
                }
                text
            });
            exit::OK
        }
        Err(e) => out.fail(&e),
    }
}

fn job_table(jobs: &[Job]) -> String {
    if jobs.is_empty() {
        return "No jobs.".to_owned();
    }
    let rows = jobs.iter().map(|job| {
        vec![
            job.id.clone(),
            job.status.as_str().to_owned(),
            job.environment.clone(),
            job.verdict
                .as_ref()
                .map(verdicts::describe)
                .unwrap_or_default(),
            job.created_at.format("%Y-%m-%d %H:%M:%S").to_string(),
            took(job).unwrap_or_default(),
        ]
    });
    table(
        &[
            "ID",
            "Status",
            "Environment",
            "Verdict",
            "Submitted",
            "Took",
        ],
        rows,
    )
}

/// From start to end, once it ended: "412 ms".
fn took(job: &Job) -> Option<String> {
    let (start, end) = (job.started_at?, job.finished_at?);
    Some(format!("{} ms", (end - start).num_milliseconds()))
}

/// One job with what it used and its stored output (`--output json`).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct JobReport {
    job: Job,
    usage: JobUsage,
    logs: Vec<JobLogLine>,
    logs_truncated: bool,
}

/// `conceptpulse exec job ID`.
pub async fn job(client: &KiroClient, out: Output, id: &str) -> u8 {
    let execution = client.execution();
    let report = async {
        let job = execution.job(id).await?;
        let usage = execution.job_usage(id).await?;
        let (logs, logs_truncated) = all_logs(client, id).await?;
        Ok::<_, KiroError>(JobReport {
            job,
            usage,
            logs,
            logs_truncated,
        })
    };
    match report.await {
        Ok(report) => {
            out.emit(&report, describe);
            exit::OK
        }
        Err(e) => out.fail(&e),
    }
}

fn describe(report: &JobReport) -> String {
    let job = &report.job;
    let mut lines = vec![
        format!("Job {}", job.id),
        format!("Status       {}", job.status.as_str()),
        format!("Environment  {}", job.environment),
        format!("Submitted    {} by {}", job.created_at, job.submitted_by),
    ];
    if let Some(verdict) = &job.verdict {
        lines.push(format!("Verdict      {}", verdicts::describe(verdict)));
    }
    if let Some(usage) = &report.usage.usage {
        lines.push(format!("Usage        {}", verdicts::usage(usage)));
    }
    if let Some(took) = took(job) {
        lines.push(format!("Took         {took} (attempts: {})", job.attempts));
    }
    if let Some(error) = &job.error {
        lines.push(format!("Error        {error}"));
    }
    let (stdout, stderr) = split_streams(&report.logs);
    lines.push(format!("── stdout\n{}", stdout.trim_end_matches('\n')));
    if !stderr.is_empty() {
        lines.push(format!("── stderr\n{}", stderr.trim_end_matches('\n')));
    }
    if report.logs_truncated {
        lines.push("(the stored output was cut at the server's cap)".to_owned());
    }
    lines.join("\n")
}

/// The log's standard output and standard error, each in order.
fn split_streams(lines: &[JobLogLine]) -> (String, String) {
    use kiro_sdk::kiro_types::execution::LogStream;
    let mut out = (String::new(), String::new());
    for line in lines {
        match line.stream {
            LogStream::Stdout => out.0.push_str(&line.message),
            LogStream::Stderr | LogStream::System => out.1.push_str(&line.message),
        }
    }
    out
}

/// Every stored log line of job `id` (page after page), and whether the log was capped.
async fn all_logs(client: &KiroClient, id: &str) -> Result<(Vec<JobLogLine>, bool), KiroError> {
    let mut lines = Vec::new();
    let mut after = 0;
    loop {
        let page = client.execution().job_logs(id, after, LOG_PAGE).await?;
        let truncated = page.truncated;
        let last = page.items.last().map(|l| l.seq);
        lines.extend(page.items);
        match (page.next_after, last) {
            (Some(next), Some(_)) if next > after => after = next,
            _ => return Ok((lines, truncated)),
        }
    }
}

/// `conceptpulse exec cancel ID`.
pub async fn cancel(client: &KiroClient, out: Output, id: &str) -> u8 {
    match client.execution().cancel_job(id).await {
        Ok(job) => {
            out.emit(&job, |job| format!("Cancelled job {}.", job.id));
            exit::OK
        }
        Err(e) => out.fail(&e),
    }
}

/// `conceptpulse exec logs ID [--follow]`.
pub async fn logs(client: &KiroClient, out: Output, id: &str, follow_on: bool) -> u8 {
    let mut printer = match out.format {
        OutputFormat::Json => Printer::collecting(),
        OutputFormat::Human => Printer::terminal(),
    };
    match print_logs(client, id, follow_on, &mut printer).await {
        Ok(()) => {
            if out.format == OutputFormat::Json {
                out.emit(&printer, |_| String::new());
            }
            exit::OK
        }
        Err(e) => out.fail(&e),
    }
}

/// Prints the stored log; when following a job that has not ended, subscribes first and
/// prints its output events until it ends (a line in both is printed once).
async fn print_logs(
    client: &KiroClient,
    id: &str,
    follow_on: bool,
    printer: &mut Printer,
) -> Result<(), KiroError> {
    let mut events = None;
    if follow_on {
        let mut subscription = client.subscribe([format!("execution.job.{id}")])?;
        tokio::time::timeout(SUBSCRIBE_WAIT, subscription.ready())
            .await
            .map_err(|_| KiroError::Timeout)??;
        events = Some(subscription);
    }
    let job = client.execution().job(id).await?;
    for line in all_logs(client, id).await?.0 {
        printer.line(line);
    }
    match events {
        Some(mut events) if !job.status.is_final() => {
            follow(client, &mut events, id, printer, OnInterrupt::Leave).await?;
            Ok(())
        }
        _ => Ok(()),
    }
}

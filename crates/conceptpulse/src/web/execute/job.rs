//! One execution job: `GET /kiro/execution/jobs/{id}` shows its status, verdict, usage and
//! both output streams (the result once it completed, the stored log while it runs) with a
//! cancel button while it has not ended; `live.js` appends its `execution.job.output` events
//! and, on its end, reads `GET /kiro/execution/jobs/{id}/live?after=SEQ` (the state and the
//! lines after SEQ) to show the verdict. `POST …/cancel` cancels it and comes back.

use askama::Template;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use kiro_sdk::kiro_types::execution::{Job, JobLogLine, JobOutput, LogStream};
use kiro_sdk::{KiroClient, KiroError};
use serde::{Deserialize, Serialize};

use super::jobs::moment;
use crate::verdicts;
use crate::web::learn::problem::{Frame, Problem, explain, is_plain_id};
use crate::web::session::SignedIn;
use crate::web::{WebState, render};

/// How many log lines one read takes.
const LOG_PAGE: u32 = 500;

/// Where a job stands, as the page and `live.js` show it.
#[derive(Debug, Clone, Serialize)]
pub struct JobState {
    pub status: &'static str,
    #[serde(rename = "final")]
    pub ended: bool,
    pub verdict: String,
    pub tone: &'static str,
    pub usage: String,
    pub error: String,
    /// When it ended ("" until then).
    pub finished: String,
}

impl JobState {
    fn of(job: &Job) -> Self {
        let verdict = job.verdict.as_ref();
        Self {
            status: job.status.as_str(),
            ended: job.status.is_final(),
            verdict: verdict.map(verdicts::describe).unwrap_or_default(),
            tone: verdict.map(verdicts::tone).unwrap_or(""),
            usage: job
                .result
                .as_ref()
                .map(|r| {
                    format!(
                        "{} · exit {} · {} isolation",
                        verdicts::usage(&r.usage),
                        r.result.exit_code,
                        verdicts::isolation(r.isolation())
                    )
                })
                .unwrap_or_default(),
            error: job.error.clone().unwrap_or_default(),
            finished: job.finished_at.map(moment).unwrap_or_default(),
        }
    }
}

#[derive(Template)]
#[template(path = "execute/job.html")]
struct JobPage {
    active: &'static str,
    status: &'static str,
    user_name: String,
    id: String,
    environment: String,
    submitted: String,
    state: JobState,
    stdout: String,
    stderr: String,
    /// The last log line shown; live output after it is appended.
    last_seq: u64,
    truncated: bool,
}

pub async fn job(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
) -> Response {
    let session = &signed_in.session;
    let found = async {
        if !is_plain_id(&id) {
            return Err(None);
        }
        let job = session.client.execution().job(&id).await.map_err(Some)?;
        let (lines, truncated) = logs_after(&session.client, &id, 0).await.map_err(Some)?;
        Ok((job, lines, truncated))
    };
    let (job, lines, truncated) = match found.await {
        Ok(found) => found,
        Err(error) => {
            let problem = match error {
                Some(e) => Problem::from_kiro(&e),
                None => Problem::not_found("No such job", "There is no job with this id."),
            };
            return problem
                .with_link("/kiro/execution/jobs", "All jobs")
                .render(&state, session);
        }
    };
    let last_seq = lines.last().map_or(0, |l| l.seq);
    let (stdout, stderr) = match &job.result {
        Some(result) => (result.stdout.clone(), result.stderr.clone()),
        None => split(&lines),
    };
    let frame = Frame::of(&state, session);
    render::ok(&JobPage {
        active: "kiro",
        status: frame.status,
        user_name: frame.user_name,
        id: job.id.clone(),
        environment: job.environment.clone(),
        submitted: moment(job.created_at),
        state: JobState::of(&job),
        stdout,
        stderr,
        last_seq,
        truncated,
    })
}

fn split(lines: &[JobLogLine]) -> (String, String) {
    let mut streams = (String::new(), String::new());
    for line in lines {
        match line.stream {
            LogStream::Stdout => streams.0.push_str(&line.message),
            LogStream::Stderr | LogStream::System => streams.1.push_str(&line.message),
        }
    }
    streams
}

/// The stored log lines after `after`, page after page, and whether the log was capped.
async fn logs_after(
    client: &KiroClient,
    id: &str,
    after: u64,
) -> Result<(Vec<JobLogLine>, bool), KiroError> {
    let mut lines = Vec::new();
    let mut after = after;
    loop {
        let page = client.execution().job_logs(id, after, LOG_PAGE).await?;
        let truncated = page.truncated;
        let read_any = !page.items.is_empty();
        lines.extend(page.items);
        match page.next_after {
            Some(next) if read_any && next > after => after = next,
            _ => return Ok((lines, truncated)),
        }
    }
}

/// `?after=`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LiveQuery {
    after: u64,
}

/// What `GET …/live` answers.
#[derive(Debug, Serialize)]
struct LiveState {
    #[serde(flatten)]
    state: JobState,
    lines: Vec<JobOutput>,
}

/// `GET /kiro/execution/jobs/{id}/live?after=SEQ`: the job's state and its output after SEQ.
pub async fn live(
    signed_in: SignedIn,
    Path(id): Path<String>,
    Query(query): Query<LiveQuery>,
) -> Response {
    let client = &signed_in.session.client;
    let failed = |status: StatusCode, code: &str| {
        (status, Json(serde_json::json!({ "error": code }))).into_response()
    };
    if !is_plain_id(&id) {
        return failed(StatusCode::NOT_FOUND, "not_found");
    }
    let read = async {
        let job = client.execution().job(&id).await?;
        let (lines, _) = logs_after(client, &id, query.after).await?;
        Ok::<_, KiroError>((job, lines))
    };
    match read.await {
        Ok((job, lines)) => Json(LiveState {
            state: JobState::of(&job),
            lines: lines
                .into_iter()
                .map(|l| JobOutput {
                    stream: l.stream,
                    text: l.message,
                    seq: l.seq,
                })
                .collect(),
        })
        .into_response(),
        Err(e) => failed(explain(&e).0, e.code().unwrap_or("unavailable")),
    }
}

/// `POST /kiro/execution/jobs/{id}/cancel`.
pub async fn cancel(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
) -> Response {
    let session = &signed_in.session;
    if !is_plain_id(&id) {
        return Problem::not_found("No such job", "There is no job with this id.")
            .with_link("/kiro/execution/jobs", "All jobs")
            .render(&state, session);
    }
    match session.client.execution().cancel_job(&id).await {
        Ok(job) => Redirect::to(&format!("/kiro/execution/jobs/{}", job.id)).into_response(),
        Err(e) => Problem::from_kiro(&e)
            .with_link(format!("/kiro/execution/jobs/{id}"), "Back to the job")
            .render(&state, session),
    }
}

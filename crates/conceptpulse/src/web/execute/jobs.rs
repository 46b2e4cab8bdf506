//! `GET /kiro/execution/jobs`: the workspace's execution jobs, newest first, a page at a
//! time (`?cursor=` from the "Older jobs" link), filtered by status (`?status=`). Each row
//! links to the job's page. An unknown status is a 422 page naming the valid ones.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use kiro_sdk::JobFilters;
use kiro_sdk::kiro_types::execution::{Job, JobStatus};
use serde::Deserialize;

use crate::verdicts;
use crate::web::learn::problem::{Frame, Problem};
use crate::web::session::SignedIn;
use crate::web::{WebState, render};

/// Jobs per page.
const PAGE_SIZE: u32 = 20;

/// One row of the list.
pub struct JobRow {
    pub id: String,
    pub status: &'static str,
    pub environment: String,
    pub verdict: String,
    pub tone: &'static str,
    pub submitted: String,
}

impl JobRow {
    fn of(job: &Job) -> Self {
        Self {
            id: job.id.clone(),
            status: job.status.as_str(),
            environment: job.environment.clone(),
            verdict: job
                .verdict
                .as_ref()
                .map(verdicts::describe)
                .unwrap_or_default(),
            tone: job.verdict.as_ref().map(verdicts::tone).unwrap_or(""),
            submitted: moment(job.created_at),
        }
    }
}

/// A time as the pages show it.
pub fn moment(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

/// One choice of the status filter.
pub struct StatusOption {
    pub name: &'static str,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "execute/jobs.html")]
struct JobsPage {
    active: &'static str,
    status: &'static str,
    user_name: String,
    filter: String,
    statuses: Vec<StatusOption>,
    jobs: Vec<JobRow>,
    /// The link to the next (older) page.
    older: Option<String>,
    first_page: bool,
}

/// `?status=` and `?cursor=`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct JobsQuery {
    status: String,
    cursor: String,
}

pub async fn jobs(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Query(query): Query<JobsQuery>,
) -> Response {
    let session = &signed_in.session;
    let status = match query.status.trim() {
        "" => None,
        name => match JobStatus::parse(name) {
            Some(status) => Some(status),
            None => {
                let names: Vec<&str> = JobStatus::ALL.iter().map(|s| s.as_str()).collect();
                return Problem::unprocessable(
                    "No such status",
                    format!("Jobs are {}; \"{name}\" is none of them.", names.join(", ")),
                )
                .with_link("/kiro/execution/jobs", "All jobs")
                .render(&state, session);
            }
        },
    };
    let filters = JobFilters {
        status,
        environment: None,
        limit: Some(PAGE_SIZE),
    };
    let cursor = Some(query.cursor.as_str()).filter(|c| !c.is_empty());
    let page = match session.client.execution().jobs(&filters, cursor).await {
        Ok(page) => page,
        Err(e) => {
            return Problem::from_kiro(&e)
                .with_link("/kiro/execution/jobs", "All jobs")
                .render(&state, session);
        }
    };
    let filter = status.map(JobStatus::as_str).unwrap_or_default();
    let older = page.next_cursor.as_deref().map(|next| {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        if !filter.is_empty() {
            query.append_pair("status", filter);
        }
        query.append_pair("cursor", next);
        format!("/kiro/execution/jobs?{}", query.finish())
    });
    let frame = Frame::of(&state, session);
    render::ok(&JobsPage {
        active: "kiro",
        status: frame.status,
        user_name: frame.user_name,
        filter: filter.to_owned(),
        statuses: JobStatus::ALL
            .iter()
            .map(|s| StatusOption {
                name: s.as_str(),
                selected: Some(*s) == status,
            })
            .collect(),
        jobs: page.items.iter().map(JobRow::of).collect(),
        older,
        first_page: cursor.is_none(),
    })
}

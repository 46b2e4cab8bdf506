//! The execution pages of the Kiro dashboard: the code playground (`/kiro/execution`),
//! where a signed-in user runs code in one of the server's sandboxed environments, or
//! queues it as a job; the job list (`/kiro/execution/jobs`) and each job's page with its
//! live output.

mod job;
mod jobs;
mod playground;
mod samples;

use axum::Router;
use axum::routing::{get, post};

use super::WebState;

/// The execution pages' routes.
pub fn routes() -> Router<WebState> {
    Router::new()
        .route(
            "/kiro/execution",
            get(playground::playground).post(playground::run),
        )
        .route(
            "/kiro/execution/jobs",
            get(jobs::jobs).post(playground::run_as_job),
        )
        .route("/kiro/execution/jobs/{id}", get(job::job))
        .route("/kiro/execution/jobs/{id}/live", get(job::live))
        .route("/kiro/execution/jobs/{id}/cancel", post(job::cancel))
}

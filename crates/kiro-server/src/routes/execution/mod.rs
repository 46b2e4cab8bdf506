//! `/v1/execution/…`: the execution service's routes — what the host can do, the
//! environments, synchronous runs, and queued jobs. Handlers read the request and call
//! [`crate::execution::ExecutionService`].

mod jobs;
mod run;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

/// The execution routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(run::capabilities))
        .routes(routes!(run::list_environments))
        .routes(routes!(run::get_environment))
        .routes(routes!(run::run))
        .routes(routes!(jobs::submit_job, jobs::list_jobs))
        .routes(routes!(jobs::get_job))
        .routes(routes!(jobs::cancel_job))
        .routes(routes!(jobs::job_logs))
        .routes(routes!(jobs::job_usage))
}

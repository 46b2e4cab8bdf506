//! `/v1/execution/…`: the execution service's routes — what the host can do, the
//! environments, synchronous runs, queued jobs and containers. Handlers read the request
//! and call [`crate::execution::ExecutionService`].

mod containers;
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
        .routes(routes!(
            containers::create_container,
            containers::list_containers
        ))
        .routes(routes!(
            containers::get_container,
            containers::delete_container
        ))
        .routes(routes!(containers::start_container))
        .routes(routes!(containers::exec_in_container))
        .routes(routes!(containers::stop_container))
        .routes(routes!(jobs::submit_job, jobs::list_jobs))
        .routes(routes!(jobs::get_job))
        .routes(routes!(jobs::cancel_job))
        .routes(routes!(jobs::job_logs))
        .routes(routes!(jobs::job_usage))
}

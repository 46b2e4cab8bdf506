//! `/v1/execution/…`: the execution service's routes — what the host can do, the
//! environments (built-in and custom), scripts, synchronous runs, queued jobs and
//! containers. Handlers read the request
//! and call [`crate::execution::ExecutionService`].

mod containers;
mod environments;
mod jobs;
mod run;
mod scripts;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

/// The execution routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(run::capabilities))
        .routes(routes!(
            environments::list_environments,
            environments::create_environment
        ))
        .routes(routes!(
            environments::get_environment,
            environments::update_environment,
            environments::delete_environment
        ))
        .routes(routes!(scripts::create_script, scripts::list_scripts))
        .routes(routes!(
            scripts::get_script,
            scripts::update_script,
            scripts::delete_script
        ))
        .routes(routes!(scripts::execute_script))
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

//! `/v1/execution/…`: the execution service's routes — what the host can do, the
//! environments, synchronous runs and containers. Handlers read the request and call
//! [`crate::execution::ExecutionService`].

mod containers;
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
}

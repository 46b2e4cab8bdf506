//! `/v1/planning/…`: the planning service's routes — projects, their tasks and the
//! dependencies between tasks, milestones, resource allocations, and the schedule,
//! utilisation, metrics and reports computed from them. Handlers read the request and call
//! [`crate::planning::PlanningService`]; versioned resources answer with their `ETag` and
//! take `If-Match` on updates.

mod insights;
mod projects;
mod resources;
mod tasks;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use axum::http::StatusCode;

use crate::concurrency::Tagged;
use crate::state::AppState;

/// A 201 response of a new versioned resource, with its `ETag`.
fn created<T>(version: i64, body: T) -> Tagged<T> {
    Tagged {
        status: StatusCode::CREATED,
        version,
        body,
    }
}

/// The planning routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(projects::create_project, projects::list_projects))
        .routes(routes!(
            projects::get_project,
            projects::update_project,
            projects::delete_project
        ))
        .routes(routes!(tasks::create_task, tasks::list_tasks))
        .routes(routes!(
            tasks::get_task,
            tasks::update_task,
            tasks::delete_task
        ))
        .routes(routes!(tasks::add_dependency))
        .routes(routes!(tasks::remove_dependency))
        .routes(routes!(
            resources::create_milestone,
            resources::list_milestones
        ))
        .routes(routes!(
            resources::get_milestone,
            resources::update_milestone,
            resources::delete_milestone
        ))
        .routes(routes!(
            resources::allocate_resource,
            resources::list_allocations
        ))
        .routes(routes!(
            resources::get_allocation,
            resources::update_allocation,
            resources::delete_allocation
        ))
        .routes(routes!(insights::project_utilization))
        .routes(routes!(insights::workspace_utilization))
        .routes(routes!(insights::schedule))
        .routes(routes!(insights::metrics))
        .routes(routes!(insights::report))
}

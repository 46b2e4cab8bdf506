//! The planning pages under `/kiro/planning`: the project list, each project's board (drag a
//! card or use its form), a live Gantt chart, milestones, the resource heat map and reports
//! with Markdown/CSV downloads. Every form posts and redirects, so all of it works with
//! JavaScript off; everything is kept by Kiro's planning service, reached through kiro-sdk
//! in the session's workspace. The charts are pure renderers computed from the planning
//! wire types alone ([`gantt`], [`heatmap`], the day spans of [`timeline`] that the terminal
//! Gantt draws too). Must not import kiro-server types.

mod board;
mod context;
mod forms;
pub mod gantt;
mod gantt_page;
pub mod heatmap;
mod milestones;
mod projects;
mod reports;
mod resources;
mod table;
pub mod timeline;

use axum::Router;
use axum::routing::{get, post};

use super::WebState;

/// The `/kiro/planning` routes.
pub fn routes() -> Router<WebState> {
    let project = "/kiro/planning/projects/{id}";
    Router::new()
        .route(
            "/kiro/planning",
            get(projects::list_projects).post(projects::create_project),
        )
        .route(project, get(board::board))
        .route(&format!("{project}/tasks"), post(board::create_task))
        .route(
            &format!("{project}/tasks/{{task}}/status"),
            post(board::move_task),
        )
        .route(
            &format!("{project}/dependencies"),
            post(board::add_dependency),
        )
        .route(&format!("{project}/gantt"), get(gantt_page::gantt_page))
        .route(&format!("{project}/gantt.svg"), get(gantt_page::gantt_svg))
        .route(
            &format!("{project}/tasks/dates"),
            post(gantt_page::move_dates),
        )
        .route(
            &format!("{project}/milestones"),
            get(milestones::milestones).post(milestones::create_milestone),
        )
        .route(&format!("{project}/resources"), get(resources::resources))
        .route(&format!("{project}/allocations"), post(resources::allocate))
        .route(&format!("{project}/reports"), get(reports::reports))
        .route(&format!("{project}/reports/{{kind}}"), get(reports::report))
        .route(
            &format!("{project}/reports/{{kind}}/download"),
            get(reports::download),
        )
}

//! The execution pages of the Kiro dashboard: the code playground (`/kiro/execution`),
//! where a signed-in user runs code in one of the server's sandboxed environments.

mod playground;
mod samples;

use axum::Router;
use axum::routing::get;

use super::WebState;

/// The execution pages' routes.
pub fn routes() -> Router<WebState> {
    Router::new().route(
        "/kiro/execution",
        get(playground::playground).post(playground::run),
    )
}

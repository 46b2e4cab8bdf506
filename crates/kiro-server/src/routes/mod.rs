//! The `/v1` router: every route with its OpenAPI description (utoipa-axum), the fallback,
//! and the middleware stack (request context outermost, then body limit, timeout,
//! idempotency keys and panic catching).
//!
//! The stack is built twice: once without `/v1/batch`, the router batch requests run
//! through, and once with it, the router that serves.

pub mod assessment;
mod auth;
mod batch;
mod convert;
mod credentials;
pub mod execution;
mod health;
mod members;
pub mod planning;
mod workspaces;

use std::time::Duration;

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Extension, Router};
use kiro_types::ErrorCode;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::timeout::TimeoutLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use self::batch::BatchTarget;
use crate::error::ApiError;
use crate::openapi::{ApiDoc, document_idempotency_keys};
use crate::state::AppState;

/// Every documented route but the batch: what a batch's requests can reach.
fn api(upload_limit: usize) -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(auth::register))
        .routes(routes!(auth::token))
        .routes(routes!(auth::revoke))
        .routes(routes!(auth::me))
        .routes(routes!(
            credentials::create_api_key,
            credentials::list_api_keys
        ))
        .routes(routes!(credentials::revoke_api_key))
        .routes(routes!(
            credentials::create_client,
            credentials::list_clients
        ))
        .routes(routes!(credentials::revoke_client))
        .routes(routes!(
            workspaces::list_workspaces,
            workspaces::create_workspace
        ))
        .routes(routes!(
            workspaces::get_workspace,
            workspaces::update_workspace,
            workspaces::delete_workspace
        ))
        .routes(routes!(members::list_members, members::add_member))
        .routes(routes!(members::update_member, members::remove_member))
        .routes(routes!(health::list_services))
        .routes(routes!(health::health))
        .routes(routes!(health::live))
        .routes(routes!(health::ready))
        .routes(routes!(crate::events::routes::events))
        .merge(assessment::routes(upload_limit))
        .merge(execution::routes())
        .merge(planning::routes())
}

/// Every documented route.
fn documented(upload_limit: usize) -> OpenApiRouter<AppState> {
    api(upload_limit).routes(routes!(batch::batch))
}

/// The OpenAPI document, generated from the handlers.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let default = crate::config::ServerConfig::default().max_upload_bytes;
    let mut document = documented(usize::try_from(default).unwrap_or(usize::MAX)).into_openapi();
    document_idempotency_keys(&mut document);
    document
}

async fn not_found() -> ApiError {
    ApiError::new(
        ErrorCode::RouteNotFound,
        "no such route; GET /v1/openapi.json lists every route",
    )
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    let upload_limit = usize::try_from(state.config.server.max_upload_bytes).unwrap_or(usize::MAX);
    let (routes, mut document) = documented(upload_limit).split_for_parts();
    document_idempotency_keys(&mut document);
    let document = Arc::new(document);
    let (reachable, _) = api(upload_limit).split_for_parts();
    let target = BatchTarget(stack(reachable, &state, &document));
    stack(routes.layer(Extension(target)), &state, &document)
}

/// `routes` with the unrouted endpoints, the fallback, the state and the middleware stack.
fn stack(
    routes: Router<AppState>,
    state: &AppState,
    document: &Arc<utoipa::openapi::OpenApi>,
) -> Router {
    let document = document.clone();
    let max_body = usize::try_from(state.config.server.max_body_bytes).unwrap_or(usize::MAX);
    let timeout = Duration::from_secs(state.config.server.request_timeout_secs);
    routes
        .route(
            "/v1/openapi.json",
            get(move || {
                let document = document.clone();
                async move { axum::Json(document.as_ref().clone()) }
            }),
        )
        .route("/metrics", get(health::metrics))
        .fallback(not_found)
        .with_state(state.clone())
        .layer(CatchPanicLayer::new())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::idempotency::idempotency,
        ))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            timeout,
        ))
        .layer(DefaultBodyLimit::max(max_body))
        .layer(axum::middleware::from_fn(crate::context::request_context))
}

//! `GET /v1/execution/capabilities` and `POST /v1/execution/run` (synchronous, with a
//! capped wait).

use axum::Json;
use axum::extract::State;
use kiro_types::ErrorEnvelope;
use kiro_types::execution::{ExecutionCapabilities, RunRequest, RunResponse};

use crate::error::ApiError;
use crate::extract::{Authenticated, ValidJson, WorkspaceScope};
use crate::state::AppState;

/// What the host's probe found at start, the isolation every run gets, and the service's
/// limits. `available: false` with a `reason` when code cannot run here.
#[utoipa::path(get, path = "/v1/execution/capabilities", tag = "execution",
    security(("bearer" = []), ("apiKey" = [])),
    responses((status = 200, body = ExecutionCapabilities), (status = 401, body = ErrorEnvelope)))]
pub async fn capabilities(
    State(state): State<AppState>,
    _caller: Authenticated,
) -> Result<Json<ExecutionCapabilities>, ApiError> {
    Ok(Json(state.execution.capabilities()?))
}

/// Runs code now and answers its result: the verdict (Judge0's vocabulary), the isolation,
/// resource usage, stdout and stderr, and each test case's judgement. The whole run (every
/// case, and the compile step) must fit in the service's `maxWaitMs`; longer work goes to
/// `POST /v1/execution/jobs`. The environment is a built-in or one of the workspace's custom
/// ones (built-ins first). 422 for an unknown environment, limits above the environment's
/// maxima or an oversized source; 503 `execution.busy` (with `Retry-After`) when every
/// worker stays busy for the whole wait.
#[utoipa::path(post, path = "/v1/execution/run", tag = "execution",
    security(("bearer" = []), ("apiKey" = [])),
    request_body = RunRequest,
    responses((status = 200, body = RunResponse), (status = 422, body = ErrorEnvelope),
        (status = 503, body = ErrorEnvelope)))]
pub async fn run(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    ValidJson(request): ValidJson<RunRequest>,
) -> Result<Json<RunResponse>, ApiError> {
    Ok(Json(
        state.execution.run(tenant.workspace_id, &request).await?,
    ))
}

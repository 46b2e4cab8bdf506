//! Discovery and health: `/v1/services`, `/v1/health`, `/v1/health/live`, `/v1/health/ready`,
//! and the Prometheus `/metrics`.

use std::time::Instant;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use kiro_types::discovery::{
    CheckStatus, HealthCheck, HealthOut, LiveOut, ServiceHealth, ServiceStatus, ServicesOut,
};
use kiro_types::{API_VERSION, ErrorCode, ErrorEnvelope};

use crate::error::ApiError;
use crate::state::AppState;

/// The services this server offers and their status.
#[utoipa::path(get, path = "/v1/services", tag = "discovery",
    responses((status = 200, body = ServicesOut)))]
pub async fn list_services() -> Json<ServicesOut> {
    Json(ServicesOut {
        api_version: API_VERSION.to_owned(),
        server_version: env!("CARGO_PKG_VERSION").to_owned(),
        services: crate::services::list(),
    })
}

async fn health_report(state: &AppState) -> HealthOut {
    let started = Instant::now();
    let ping = state.store.ping().await;
    let database = HealthCheck {
        name: format!("database ({})", state.store.backend_name()),
        status: if ping.is_ok() {
            CheckStatus::Pass
        } else {
            CheckStatus::Fail
        },
        latency_ms: started.elapsed().as_secs_f64() * 1000.0,
        message: ping.err().map(|e| {
            tracing::warn!(error = %e, "database health check failed");
            "the database does not answer".to_owned()
        }),
    };
    let started = Instant::now();
    let applied = state.store.migrations_applied().await;
    let migrations = HealthCheck {
        name: "migrations".into(),
        status: if matches!(applied, Ok(true)) {
            CheckStatus::Pass
        } else {
            CheckStatus::Fail
        },
        latency_ms: started.elapsed().as_secs_f64() * 1000.0,
        message: match applied {
            Ok(true) => None,
            Ok(false) => Some("migrations are pending".into()),
            Err(_) => Some("cannot read the migration table".into()),
        },
    };
    let mut checks = vec![database, migrations];
    let healthy = checks.iter().all(|c| c.status == CheckStatus::Pass);
    // The LLM provider is optional: when it fails the local engine answers, so the server
    // stays available and the check says why questions come from the local engine.
    let mut assessment_degraded = false;
    if let Some(llm) = state.assessment.llm() {
        let started = Instant::now();
        let answered = llm.check().await;
        assessment_degraded = answered.is_err();
        checks.push(HealthCheck {
            name: format!("llm ({} {})", llm.provider(), llm.model()),
            status: if answered.is_ok() {
                CheckStatus::Pass
            } else {
                CheckStatus::Fail
            },
            latency_ms: started.elapsed().as_secs_f64() * 1000.0,
            message: answered.err().map(|e| {
                tracing::warn!(error = %e, "LLM provider health check failed");
                format!("{e}; questions come from the local engine")
            }),
        });
    }
    HealthOut {
        status: if healthy {
            ServiceStatus::Available
        } else {
            ServiceStatus::Unavailable
        },
        server_version: env!("CARGO_PKG_VERSION").to_owned(),
        uptime_seconds: state.started.elapsed().as_secs(),
        checks,
        services: crate::services::list()
            .into_iter()
            .map(|s| ServiceHealth {
                status: if s.name == crate::assessment::SERVICE && assessment_degraded {
                    ServiceStatus::Degraded
                } else {
                    s.status
                },
                name: s.name,
            })
            .collect(),
    }
}

/// Overall health with dependency checks and per-service status (always 200; read `status`).
#[utoipa::path(get, path = "/v1/health", tag = "discovery",
    responses((status = 200, body = HealthOut)))]
pub async fn health(State(state): State<AppState>) -> Json<HealthOut> {
    Json(health_report(&state).await)
}

/// Liveness: the process answers.
#[utoipa::path(get, path = "/v1/health/live", tag = "discovery",
    responses((status = 200, body = LiveOut)))]
pub async fn live() -> Json<LiveOut> {
    Json(LiveOut {
        status: "ok".into(),
    })
}

/// Readiness: the database answers and every migration is applied.
#[utoipa::path(get, path = "/v1/health/ready", tag = "discovery",
    responses((status = 200, body = HealthOut), (status = 503, body = ErrorEnvelope)))]
pub async fn ready(State(state): State<AppState>) -> Result<Json<HealthOut>, ApiError> {
    let report = health_report(&state).await;
    if report.status == ServiceStatus::Available {
        return Ok(Json(report));
    }
    let details = serde_json::to_value(&report).unwrap_or_default();
    Err(
        ApiError::new(ErrorCode::ServerUnavailable, "the server is not ready")
            .with_details(details)
            .with_retry_after(5),
    )
}

/// Prometheus metrics.
pub async fn metrics() -> Response {
    let mut response = crate::metrics::render().into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4"),
    );
    response
}

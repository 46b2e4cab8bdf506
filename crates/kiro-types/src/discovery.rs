//! Discovery and health DTOs: `/v1/services` and `/v1/health`.

use serde::{Deserialize, Serialize};

/// The six services of DESIGN.md §1, in the order discovery lists them.
pub const SERVICES: [&str; 6] = [
    "planning",
    "prototyping",
    "documentation",
    "workflow",
    "execution",
    "assessment",
];

/// A service's availability.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum ServiceStatus {
    Available,
    Degraded,
    Unavailable,
}

/// One service in discovery (the design's `ServiceInfo`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ServiceInfo {
    pub name: String,
    pub version: String,
    pub status: ServiceStatus,
    pub endpoints: Vec<String>,
    pub capabilities: Vec<String>,
}

/// `GET /v1/services`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ServicesOut {
    /// The API version served, for the client's compatibility check.
    pub api_version: String,
    /// The server build.
    pub server_version: String,
    pub services: Vec<ServiceInfo>,
}

/// The outcome of one dependency check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum CheckStatus {
    Pass,
    Fail,
}

/// One dependency check (database, migrations, …).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct HealthCheck {
    pub name: String,
    pub status: CheckStatus,
    pub latency_ms: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// A service's status within `/v1/health`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ServiceHealth {
    pub name: String,
    pub status: ServiceStatus,
}

/// `GET /v1/health` and `GET /v1/health/ready`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct HealthOut {
    /// `available` when every dependency check passes, `unavailable` otherwise.
    pub status: ServiceStatus,
    pub server_version: String,
    pub uptime_seconds: u64,
    pub checks: Vec<HealthCheck>,
    pub services: Vec<ServiceHealth>,
}

/// `GET /v1/health/live`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct LiveOut {
    pub status: String,
}

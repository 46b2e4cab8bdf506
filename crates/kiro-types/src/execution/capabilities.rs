//! `GET /v1/execution/capabilities`: what the host's probe found at start (namespaces,
//! cgroups, landlock, seccomp, bubblewrap, runc), the isolation runs get, and the service's
//! own limits (workers, queue, the longest synchronous wait).

use serde::{Deserialize, Serialize};

use super::Isolation;

/// One isolation level and whether this host can provide it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct IsolationSupport {
    pub isolation: Isolation,
    pub available: bool,
    pub reason: Option<String>,
}

/// Cgroup support: `v1` or `v2`, where job cgroups go, or why there are none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CgroupSupport {
    pub version: Option<String>,
    pub parents: Vec<String>,
    pub reason: Option<String>,
}

/// An external tool the engine found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Tool {
    pub path: String,
    pub version: String,
}

/// The host's sandboxing capabilities, as probed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct HostCapabilities {
    pub kernel: String,
    pub root: bool,
    pub namespaces: Vec<String>,
    pub user_namespaces: bool,
    pub cgroups: CgroupSupport,
    pub landlock_abi: Option<i32>,
    pub seccomp: bool,
    pub bubblewrap: Option<Tool>,
    pub runc: Option<Tool>,
    pub isolations: Vec<IsolationSupport>,
    pub selected: Option<Isolation>,
}

/// The answer of `GET /v1/execution/capabilities`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ExecutionCapabilities {
    /// Whether code can run here; when not, `reason` says why and how to fix it.
    pub available: bool,
    pub reason: Option<String>,
    /// The isolation every run gets.
    pub isolation: Option<Isolation>,
    /// The probe, when the engine started.
    pub host: Option<HostCapabilities>,
    pub workers: u32,
    pub queue_capacity: u32,
    /// The longest a synchronous run may take, milliseconds.
    pub max_wait_ms: u64,
    /// The largest source accepted, bytes.
    pub max_source_bytes: u64,
}

//! Execution DTOs: the results of sandboxed runs (ExecutionResult with its verdict,
//! ResourceUsage and ExecutionLog), execution environments and containers.
//!
//! Names and fields follow the `KiroExecutionService` data models of the original design
//! (`ExecutionResult`: id, status, output, error, exitCode, duration, resourceUsage, logs,
//! createdAt, completedAt); the verdict, the isolation and the source of each usage figure are
//! ours. kiro-sandbox produces the same shapes; the server maps them one to one.

mod capabilities;
mod catalog;
mod container;
mod jobs;
mod run;

pub use capabilities::{
    CgroupSupport, ExecutionCapabilities, HostCapabilities, IsolationSupport, Tool,
};
pub use catalog::{
    EnvironmentIn, EnvironmentPatch, ParameterType, Script, ScriptExecuteRequest, ScriptIn,
    ScriptLimits, ScriptParameter, ScriptPatch,
};
pub use container::{ContainerCreateRequest, ContainerExecRequest};
pub use jobs::{Job, JobLogLine, JobLogs, JobOutput, JobStatus, JobUsage};
pub use run::{Comparison, RunDetail, RunRequest, RunResponse, RunTestCase};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The design's coarse status of an execution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum ExecutionStatus {
    Success,
    Error,
    Timeout,
    Cancelled,
}

/// Which time limit a run exceeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum TimeLimit {
    Wall,
    Cpu,
}

/// A verdict in Judge0's vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(tag = "status", rename_all = "camelCase")]
pub enum Verdict {
    Accepted,
    WrongAnswer,
    TimeLimitExceeded {
        limit: TimeLimit,
    },
    MemoryLimitExceeded,
    OutputLimitExceeded,
    #[serde(rename_all = "camelCase")]
    RuntimeError {
        signal: String,
        signal_number: i32,
    },
    #[serde(rename_all = "camelCase")]
    NonZeroExit {
        exit_code: i32,
    },
    CompilationError,
    InternalError {
        message: String,
    },
}

impl Verdict {
    /// The design's coarse status for a verdict.
    pub fn status(&self) -> ExecutionStatus {
        match self {
            Verdict::Accepted => ExecutionStatus::Success,
            Verdict::TimeLimitExceeded { .. } => ExecutionStatus::Timeout,
            _ => ExecutionStatus::Error,
        }
    }
}

/// The isolation a run had.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum Isolation {
    Native,
    Bubblewrap,
    None,
    Runc,
}

/// Who measured a usage figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum UsageSource {
    Init,
    Cgroup,
    Supervisor,
    Rusage,
    Unavailable,
}

/// Where each figure of a [`ResourceUsage`] came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct UsageSources {
    pub wall_time: UsageSource,
    pub cpu_time: UsageSource,
    pub peak_memory: UsageSource,
}

/// What a run used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ResourceUsage {
    pub wall_time_us: u64,
    pub user_time_us: u64,
    pub system_time_us: u64,
    pub peak_memory_bytes: u64,
    pub sources: UsageSources,
}

/// Which stream a log line came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum LogStream {
    Stdout,
    Stderr,
    System,
}

/// One entry of an execution's log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ExecutionLog {
    pub at: DateTime<Utc>,
    pub stream: LogStream,
    pub message: String,
}

/// The result of one execution (the design's `ExecutionResult`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ExecutionResult {
    pub id: String,
    pub status: ExecutionStatus,
    /// Standard output.
    pub output: String,
    /// Standard error, when there was any.
    pub error: Option<String>,
    /// The exit status; -1 when the program did not exit by itself.
    pub exit_code: i32,
    /// Wall time, milliseconds.
    pub duration: u64,
    pub resource_usage: ResourceUsage,
    pub logs: Vec<ExecutionLog>,
    pub created_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
    pub verdict: Verdict,
    pub isolation: Isolation,
}

/// Network access of an environment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(tag = "mode", rename_all = "camelCase")]
pub enum Network {
    None,
    #[serde(rename_all = "camelCase")]
    Allowlist {
        tcp_ports: Vec<u16>,
    },
}

/// Limits of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Limits {
    pub wall_time_ms: u64,
    pub cpu_time_ms: u64,
    pub memory_bytes: u64,
    pub processes: u32,
    pub output_bytes: u64,
    pub work_bytes: u64,
    pub tmp_bytes: u64,
}

/// A named runtime (the design's `ExecutionEnvironment`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ExecutionEnvironment {
    pub name: String,
    pub language: String,
    pub version: String,
    pub runtime_paths: Vec<String>,
    pub source_file: String,
    pub compile: Option<Vec<String>>,
    pub run: Vec<String>,
    pub env: std::collections::BTreeMap<String, String>,
    pub default_limits: Limits,
    pub max_limits: Limits,
    pub compile_limits: Limits,
    pub network: Network,
    /// Found on the host at start rather than created through the API.
    pub builtin: bool,
    /// A custom environment's id (built-ins have none: they are named).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// A custom environment's version (its `ETag`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_version: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// Where a container stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum ContainerState {
    Created,
    Running,
    Stopped,
}

/// A long-lived sandbox with a persistent work directory (the design's `Container`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Container {
    pub id: String,
    pub environment: String,
    pub state: ContainerState,
    /// `native` or `runc`.
    pub backend: String,
    pub limits: Limits,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn verdicts_map_to_the_designs_status_and_serialise_tagged() {
        assert_eq!(Verdict::Accepted.status(), ExecutionStatus::Success);
        assert_eq!(
            Verdict::TimeLimitExceeded {
                limit: TimeLimit::Cpu
            }
            .status(),
            ExecutionStatus::Timeout
        );
        assert_eq!(
            Verdict::MemoryLimitExceeded.status(),
            ExecutionStatus::Error
        );
        let json = serde_json::to_value(Verdict::NonZeroExit { exit_code: 2 }).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"status": "nonZeroExit", "exitCode": 2})
        );
    }
}

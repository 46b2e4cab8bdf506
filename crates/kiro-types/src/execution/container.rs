//! The requests of the containers API: create a long-lived sandbox for an environment (the
//! design's `ContainerSpec`) and run a command in a running one. A command's answer is a
//! [`super::RunDetail`]: its verdict, exit status, both streams and usage.

use garde::Validate;
use serde::{Deserialize, Serialize};

/// `POST /v1/execution/containers`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ContainerCreateRequest {
    /// An environment name from `GET /v1/execution/environments`.
    #[garde(length(min = 1, max = 64))]
    pub environment: String,
    /// The default wall-time limit of each command, milliseconds.
    #[garde(skip)]
    pub time_limit_ms: Option<u64>,
    /// The memory all of the container's processes share, MiB.
    #[garde(skip)]
    pub memory_limit_mb: Option<u64>,
}

/// `POST /v1/execution/containers/{id}/exec`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ContainerExecRequest {
    /// The program (a path, or a name on the environment's `PATH`) and its arguments; it
    /// runs in `/work`, the container's persistent directory.
    #[garde(length(min = 1, max = 256), inner(length(min = 1, max = 4096)))]
    pub command: Vec<String>,
    #[serde(default)]
    #[garde(skip)]
    pub stdin: String,
    /// This command's wall-time limit (CPU time gets the same), milliseconds.
    #[garde(skip)]
    pub time_limit_ms: Option<u64>,
}

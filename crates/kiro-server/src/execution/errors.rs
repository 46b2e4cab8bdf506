//! The engine's errors in the DESIGN error model: invalid requests are 422 naming the request's
//! own fields (`timeLimitMs`, `memoryLimitMb`, `code`, `testCases[i]`), an unknown environment
//! is 422 listing the known ones, a container in the wrong state 409, an unavailable isolation
//! 503, engine failures 500.

use kiro_sandbox::{Problem, SandboxError};
use kiro_types::{ErrorCode, FieldError};
use serde_json::json;

use crate::error::ApiError;

/// A field error.
pub(crate) fn field(field: &str, message: impl Into<String>) -> FieldError {
    FieldError {
        field: field.to_owned(),
        message: message.into(),
    }
}

/// An engine problem under the request's field name.
pub(crate) fn field_error(problem: Problem) -> FieldError {
    let name = problem.field.as_str();
    let (renamed, hint) = match name {
        "limits.wallTimeMs" | "limits.cpuTimeMs" => ("timeLimitMs".to_owned(), " (milliseconds)"),
        "limits.memoryBytes" => ("memoryLimitMb".to_owned(), " (bytes; memoryLimitMb is MiB)"),
        "source" => ("code".to_owned(), ""),
        "cases" => ("testCases".to_owned(), ""),
        _ => match name.strip_prefix("cases") {
            Some(rest) => (format!("testCases{rest}"), ""),
            None => (name.to_owned(), ""),
        },
    };
    FieldError {
        field: renamed,
        message: format!("{}{hint}", problem.message),
    }
}

/// An engine error as an API error.
pub fn from_sandbox(error: SandboxError) -> ApiError {
    match error {
        SandboxError::Invalid(problems) => {
            let mut fields: Vec<FieldError> = problems.into_iter().map(field_error).collect();
            fields.dedup();
            ApiError::validation(fields)
        }
        SandboxError::UnknownEnvironment { name, known } => ApiError::new(
            ErrorCode::ExecutionUnknownEnvironment,
            format!(
                "there is no environment `{name}`; use one of: {} (GET /v1/execution/environments)",
                known.join(", ")
            ),
        )
        .with_details(json!({ "field": "environment", "known": known })),
        SandboxError::Unavailable(reason) => ApiError::new(ErrorCode::ExecutionUnavailable, reason),
        SandboxError::ContainerNotFound(id) => ApiError::new(
            ErrorCode::ExecutionContainerNotFound,
            format!("no container `{id}`; GET /v1/execution/containers lists them"),
        ),
        conflict @ SandboxError::Conflict { state, .. } => {
            ApiError::new(ErrorCode::ExecutionContainerState, conflict.to_string())
                .with_details(json!({ "state": state }))
        }
        other => ApiError::internal(other),
    }
}

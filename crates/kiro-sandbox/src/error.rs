//! The engine's errors: what the server maps to 422 (bad input), 404, 409 (a container in the
//! wrong state), 503 (an isolation the host cannot provide) and 500 (the engine itself failed).
//!
//! A payload that misbehaves is never an error: it is a result with a verdict.

use serde::{Deserialize, Serialize};

/// One thing wrong with a request: the field (a dotted camelCase path) and what to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub field: String,
    pub message: String,
}

impl Problem {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Why the engine could not run (or manage) something.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    /// The request is invalid: each problem names its field (HTTP 422).
    #[error("invalid request: {}", summary(.0))]
    Invalid(Vec<Problem>),
    /// No environment has this name (HTTP 422: the name is part of the request).
    #[error("unknown environment `{name}`; known: {}", .known.join(", "))]
    UnknownEnvironment { name: String, known: Vec<String> },
    /// No container has this id (HTTP 404).
    #[error("no container `{0}`")]
    ContainerNotFound(String),
    /// The container's state does not allow the action (HTTP 409).
    #[error("container `{id}` is {state}; `{action}` needs it {needs}")]
    Conflict {
        id: String,
        state: &'static str,
        action: &'static str,
        needs: &'static str,
    },
    /// The configured isolation (or backend) is not available on this host (HTTP 503).
    #[error("{0}")]
    Unavailable(String),
    /// The engine failed: setting up the sandbox, the helper, the filesystem (HTTP 500).
    #[error("{context}: {source}")]
    Internal {
        context: String,
        #[source]
        source: std::io::Error,
    },
}

impl SandboxError {
    /// An internal error from an I/O failure, with what the engine was doing.
    pub fn internal(context: impl Into<String>, source: std::io::Error) -> SandboxError {
        SandboxError::Internal {
            context: context.into(),
            source,
        }
    }

    /// An internal error with only a message.
    pub fn internal_msg(context: impl Into<String>) -> SandboxError {
        let context = context.into();
        SandboxError::Internal {
            source: std::io::Error::other(context.clone()),
            context,
        }
    }

    /// One validation problem.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> SandboxError {
        SandboxError::Invalid(vec![Problem::new(field, message)])
    }
}

fn summary(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| format!("{}: {}", p.field, p.message))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Maps an I/O error with context, for `?` chains.
pub trait Context<T> {
    fn context(self, what: impl FnOnce() -> String) -> Result<T, SandboxError>;
}

impl<T> Context<T> for std::io::Result<T> {
    fn context(self, what: impl FnOnce() -> String) -> Result<T, SandboxError> {
        self.map_err(|e| SandboxError::internal(what(), e))
    }
}

impl<T> Context<T> for nix::Result<T> {
    fn context(self, what: impl FnOnce() -> String) -> Result<T, SandboxError> {
        self.map_err(|e| SandboxError::internal(what(), std::io::Error::from(e)))
    }
}

//! Everything tenancy can refuse, each mapped to its stable wire code.

use kiro_types::ErrorCode;

use crate::store::StoreError;

/// A tenancy failure.
#[derive(Debug, thiserror::Error)]
pub enum TenancyError {
    #[error(
        "this account belongs to {count} workspaces; say which with the X-Kiro-Workspace header"
    )]
    WorkspaceRequired { count: usize },
    /// Also answered for workspaces that exist but the caller cannot see.
    #[error("no workspace with this id")]
    WorkspaceNotFound,
    #[error("{0}")]
    PermissionDenied(String),
    #[error("a workspace needs at least one owner; make someone else owner first")]
    LastOwner,
    #[error("a personal workspace cannot be deleted")]
    Personal,
    #[error("no member with this id in this workspace")]
    MemberNotFound,
    #[error("this user is already a member of the workspace")]
    MemberExists,
    #[error("no user with this email or id")]
    UserNotFound,
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl TenancyError {
    /// The stable code answered on the wire.
    pub fn code(&self) -> ErrorCode {
        match self {
            TenancyError::WorkspaceRequired { .. } => ErrorCode::WorkspaceRequired,
            TenancyError::WorkspaceNotFound => ErrorCode::WorkspaceNotFound,
            TenancyError::PermissionDenied(_) => ErrorCode::PermissionDenied,
            TenancyError::LastOwner => ErrorCode::WorkspaceLastOwner,
            TenancyError::Personal => ErrorCode::WorkspacePersonal,
            TenancyError::MemberNotFound => ErrorCode::MemberNotFound,
            TenancyError::MemberExists => ErrorCode::MemberExists,
            TenancyError::UserNotFound => ErrorCode::UserNotFound,
            TenancyError::Invalid(_) => ErrorCode::ValidationFailed,
            TenancyError::Store(_) => ErrorCode::ServerInternal,
        }
    }
}

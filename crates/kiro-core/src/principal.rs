//! Who is making a request: a signed-in user, a service account, or an API key. Produced by
//! [`crate::auth::AuthService::authenticate`], consumed by tenancy to decide what it may reach.

use kiro_types::auth::PrincipalKind;
use kiro_types::workspace::Role;
use kiro_types::{ApiKeyId, SessionId, UserId, WorkspaceId};

/// An authenticated caller.
#[derive(Debug, Clone, PartialEq)]
pub enum Principal {
    /// A user with an access token from the password or refresh grant.
    User {
        user_id: UserId,
        session_id: Option<SessionId>,
        /// The workspace the token names, used when a request names none.
        default_workspace: Option<WorkspaceId>,
    },
    /// A confidential client with a token from the client-credentials grant.
    ServiceAccount {
        client_id: String,
        workspace_id: WorkspaceId,
        role: Role,
    },
    /// An API key, acting for the user who created it, in one workspace, within its scopes.
    ApiKey {
        key_id: ApiKeyId,
        user_id: UserId,
        workspace_id: WorkspaceId,
        scopes: Vec<String>,
    },
}

impl Principal {
    /// The wire kind.
    pub fn kind(&self) -> PrincipalKind {
        match self {
            Principal::User { .. } => PrincipalKind::User,
            Principal::ServiceAccount { .. } => PrincipalKind::ServiceAccount,
            Principal::ApiKey { .. } => PrincipalKind::ApiKey,
        }
    }

    /// The user acting, directly or through a key.
    pub fn user_id(&self) -> Option<UserId> {
        match self {
            Principal::User { user_id, .. } | Principal::ApiKey { user_id, .. } => Some(*user_id),
            Principal::ServiceAccount { .. } => None,
        }
    }

    /// The workspace used when a request names none, if the principal has one.
    pub fn default_workspace(&self) -> Option<WorkspaceId> {
        match self {
            Principal::User {
                default_workspace, ..
            } => *default_workspace,
            Principal::ServiceAccount { workspace_id, .. }
            | Principal::ApiKey { workspace_id, .. } => Some(*workspace_id),
        }
    }

    /// The id results and revisions are kept under: the user's id, or the client's for a
    /// service account.
    pub fn student_id(&self) -> String {
        match self {
            Principal::User { user_id, .. } | Principal::ApiKey { user_id, .. } => {
                user_id.to_string()
            }
            Principal::ServiceAccount { client_id, .. } => format!("client:{client_id}"),
        }
    }

    /// A stable key for per-principal bookkeeping (idempotency, rate limits, logs).
    pub fn key(&self) -> String {
        match self {
            Principal::User { user_id, .. } => format!("user:{user_id}"),
            Principal::ServiceAccount { client_id, .. } => format!("client:{client_id}"),
            Principal::ApiKey { key_id, .. } => format!("key:{key_id}"),
        }
    }
}

//! Stored records of the auth and tenancy aggregates, as the services and the store trade
//! them. Wire DTOs live in kiro-types; these carry what must never go on the wire
//! (password hashes, secret digests).

use chrono::{DateTime, Utc};
use kiro_types::workspace::Role;
use kiro_types::{ApiKeyId, SessionId, UserId, WorkspaceId};
use uuid::Uuid;

use crate::page::SortKey;

/// A user account.
#[derive(Debug, Clone, PartialEq)]
pub struct User {
    pub id: UserId,
    /// Lower-cased.
    pub email: String,
    pub name: String,
    /// argon2id PHC string.
    pub password_hash: String,
    pub is_admin: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A workspace (tenant).
#[derive(Debug, Clone, PartialEq)]
pub struct Workspace {
    pub id: WorkspaceId,
    pub name: String,
    pub personal: bool,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A user's membership of a workspace.
#[derive(Debug, Clone, PartialEq)]
pub struct Membership {
    pub workspace_id: WorkspaceId,
    pub user_id: UserId,
    pub role: Role,
    pub created_at: DateTime<Utc>,
}

/// A membership joined with its user, for member lists.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub user_id: UserId,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub joined_at: DateTime<Utc>,
}

/// A login session: the family of refresh tokens born from one password grant.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    pub id: SessionId,
    pub user_id: UserId,
    pub client_id: String,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// One refresh token of a session. Only its digest is stored.
#[derive(Debug, Clone, PartialEq)]
pub struct RefreshToken {
    pub id: Uuid,
    pub session_id: SessionId,
    pub token_digest: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// Set when the token was exchanged for a new one; presenting it again is reuse.
    pub rotated_at: Option<DateTime<Utc>>,
}

/// An API key. Only its digest is stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiKey {
    pub id: ApiKeyId,
    pub workspace_id: WorkspaceId,
    pub created_by: UserId,
    pub name: String,
    pub prefix: String,
    pub secret_digest: String,
    pub scopes: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A registered OAuth client: a public app, or a confidential service account.
#[derive(Debug, Clone, PartialEq)]
pub struct OAuthClient {
    pub client_id: String,
    pub workspace_id: WorkspaceId,
    pub name: String,
    /// Present for confidential clients.
    pub secret_digest: Option<String>,
    pub role: Role,
    pub created_by: UserId,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

// Each record's place in its list (see `crate::page`): the store's `ORDER BY` for the list
// uses the same two columns.

impl Workspace {
    /// Creation time, then id.
    pub fn sort_key(&self) -> SortKey {
        SortKey {
            at_ms: self.created_at.timestamp_millis(),
            id: self.id.to_string(),
        }
    }
}

impl Member {
    /// Join time, then user id.
    pub fn sort_key(&self) -> SortKey {
        SortKey {
            at_ms: self.joined_at.timestamp_millis(),
            id: self.user_id.to_string(),
        }
    }
}

impl ApiKey {
    /// Creation time, then id.
    pub fn sort_key(&self) -> SortKey {
        SortKey {
            at_ms: self.created_at.timestamp_millis(),
            id: self.id.to_string(),
        }
    }
}

impl OAuthClient {
    /// Creation time, then client id.
    pub fn sort_key(&self) -> SortKey {
        SortKey {
            at_ms: self.created_at.timestamp_millis(),
            id: self.client_id.clone(),
        }
    }
}

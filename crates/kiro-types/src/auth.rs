//! Authentication DTOs: registration, the OAuth2 token endpoint (RFC 6749 field names),
//! revocation (RFC 7009), the caller's identity, API keys and OAuth clients (service accounts).

use chrono::{DateTime, Utc};
use garde::Validate;
use serde::{Deserialize, Serialize};

use crate::error::ErrorBody;
use crate::ids::{ApiKeyId, UserId, WorkspaceId};
use crate::workspace::{Role, WorkspaceOut};

/// The client id of the ConceptPulse app, a public client that is always registered.
pub const CONCEPTPULSE_CLIENT_ID: &str = "conceptpulse";

/// `POST /v1/auth/register`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RegisterIn {
    #[garde(email, length(max = 254))]
    pub email: String,
    #[garde(length(chars, min = 8, max = 1024))]
    pub password: String,
    #[garde(length(chars, min = 1, max = 200))]
    pub name: String,
}

/// The form body of `POST /v1/auth/token` (`application/x-www-form-urlencoded`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct TokenRequest {
    pub grant_type: Option<String>,
    pub username: Option<String>,
    pub password: Option<String>,
    pub refresh_token: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    pub scope: Option<String>,
}

/// A successful token response (RFC 6749 §5.1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct TokenResponse {
    pub access_token: String,
    pub token_type: String,
    pub expires_in: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
}

/// A token-endpoint error: RFC 6749 §5.2 fields, plus the Kiro error fields beside them so
/// that one decoder serves every endpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct OAuthErrorOut {
    pub error: String,
    pub error_description: String,
    #[serde(flatten)]
    pub kiro: ErrorBody,
}

/// The form body of `POST /v1/auth/revoke` (RFC 7009).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct RevokeRequest {
    pub token: Option<String>,
    pub token_type_hint: Option<String>,
    pub client_id: Option<String>,
}

/// A user as others see them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct UserOut {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub is_admin: bool,
    pub created_at: DateTime<Utc>,
}

/// What kind of principal made a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum PrincipalKind {
    User,
    ServiceAccount,
    ApiKey,
}

/// `GET /v1/auth/me`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct MeOut {
    pub kind: PrincipalKind,
    /// The user behind the principal (the key's creator for an API key); absent for a
    /// service account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<UserOut>,
    /// The service account's client id, for a service account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// The workspace used when a request names none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_workspace_id: Option<WorkspaceId>,
    /// Every workspace the principal can reach, with its role there.
    pub workspaces: Vec<WorkspaceOut>,
}

/// `POST /v1/auth/api-keys`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ApiKeyIn {
    #[garde(length(chars, min = 1, max = 100))]
    pub name: String,
    /// `read`, `write`, or either qualified by a service (`planning:read`). Default: both.
    #[serde(default = "default_scopes")]
    #[garde(length(min = 1, max = 20), inner(length(min = 1, max = 64)))]
    pub scopes: Vec<String>,
    /// Days until the key expires; none means it never does.
    #[serde(default)]
    #[garde(inner(range(min = 1, max = 3650)))]
    pub expires_in_days: Option<u32>,
}

fn default_scopes() -> Vec<String> {
    vec!["read".to_owned(), "write".to_owned()]
}

/// An API key, without its secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ApiKeyOut {
    pub id: ApiKeyId,
    pub name: String,
    /// The first characters of the key, to recognise it.
    pub prefix: String,
    pub scopes: Vec<String>,
    pub workspace_id: WorkspaceId,
    pub created_by: UserId,
    pub created_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_used_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<DateTime<Utc>>,
}

/// `GET /v1/auth/api-keys` filters (with the paging parameters).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "schema", into_params(parameter_in = Query))]
pub struct ApiKeyListParams {
    /// `false`: only keys that are not revoked; `true`: only revoked keys. Default: all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked: Option<bool>,
}

/// A freshly created API key: the only time its secret is shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ApiKeyCreatedOut {
    #[serde(flatten)]
    pub key: ApiKeyOut,
    /// Use as `Authorization: Bearer <secret>` or `X-API-Key: <secret>`.
    pub secret: String,
}

/// `POST /v1/auth/clients`: register an OAuth client in the current workspace.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClientIn {
    #[garde(length(chars, min = 1, max = 100))]
    pub name: String,
    /// A confidential client is a service account: it gets a secret and may use the
    /// `client_credentials` grant. A public client (an app) may only use the password and
    /// refresh grants on behalf of users.
    #[serde(default)]
    #[garde(skip)]
    pub confidential: bool,
    /// The role a service account holds in the workspace. Default: member.
    #[serde(default)]
    #[garde(skip)]
    pub role: Option<Role>,
}

/// An OAuth client, without its secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ClientOut {
    pub client_id: String,
    pub name: String,
    pub confidential: bool,
    pub role: Role,
    pub workspace_id: WorkspaceId,
    pub created_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A freshly created client: the only time a confidential client's secret is shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ClientCreatedOut {
    #[serde(flatten)]
    pub client: ClientOut,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
}

//! Identity extractors: `Authenticated` (a verified principal from a bearer token or API key),
//! `WorkspaceScope` (that principal acting in the workspace the request names, or its
//! default), and `ClientIp` (for rate limits, honouring `X-Forwarded-For` only when
//! configured).

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::header;
use axum::http::request::Parts;
use kiro_core::auth::{AuthError, Credential};
use kiro_core::principal::Principal;
use kiro_core::tenancy::Tenant;
use kiro_types::{ErrorCode, WorkspaceId};

use crate::error::ApiError;
use crate::state::AppState;

/// The header naming the workspace a request acts in.
pub const WORKSPACE_HEADER: &str = "x-kiro-workspace";

/// A verified caller.
#[derive(Debug, Clone)]
pub struct Authenticated(pub Principal);

/// The caller acting in one workspace.
#[derive(Debug, Clone)]
pub struct WorkspaceScope(pub Tenant);

/// The client's address.
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub Option<IpAddr>);

/// The credential in `Authorization: Bearer` or `X-API-Key`.
pub fn credential(parts: &Parts) -> Result<Credential, AuthError> {
    credential_from_headers(&parts.headers)
}

/// The credential in a header map.
pub fn credential_from_headers(headers: &axum::http::HeaderMap) -> Result<Credential, AuthError> {
    if let Some(value) = headers.get(header::AUTHORIZATION) {
        let value = value.to_str().map_err(|_| AuthError::InvalidToken)?;
        let (scheme, token) = value.split_once(' ').ok_or(AuthError::InvalidToken)?;
        if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
            return Err(AuthError::MissingCredentials);
        }
        return Ok(Credential::Bearer(token.trim().to_owned()));
    }
    if let Some(value) = headers.get("x-api-key") {
        let key = value.to_str().map_err(|_| AuthError::InvalidApiKey)?;
        return Ok(Credential::ApiKey(key.trim().to_owned()));
    }
    Err(AuthError::MissingCredentials)
}

impl FromRequestParts<AppState> for Authenticated {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if let Some(found) = parts.extensions.get::<Authenticated>() {
            return Ok(found.clone());
        }
        let principal = state.auth.authenticate(credential(parts)?).await?;
        let found = Authenticated(principal);
        parts.extensions.insert(found.clone());
        Ok(found)
    }
}

impl FromRequestParts<AppState> for WorkspaceScope {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let Authenticated(principal) = Authenticated::from_request_parts(parts, state).await?;
        let requested = match parts.headers.get(WORKSPACE_HEADER) {
            None => None,
            Some(value) => Some(
                value
                    .to_str()
                    .ok()
                    .and_then(|v| v.trim().parse::<WorkspaceId>().ok())
                    .ok_or_else(|| {
                        ApiError::new(
                            ErrorCode::RequestInvalidHeader,
                            "X-Kiro-Workspace must be a workspace id (a UUID)",
                        )
                    })?,
            ),
        };
        let tenant = state.tenancy.resolve(&principal, requested).await?;
        Ok(WorkspaceScope(tenant))
    }
}

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if state.config.server.trust_forwarded_for
            && let Some(ip) = parts
                .headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split(',').next())
                .and_then(|v| v.trim().parse::<IpAddr>().ok())
        {
            return Ok(ClientIp(Some(ip)));
        }
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        Ok(ClientIp(peer))
    }
}

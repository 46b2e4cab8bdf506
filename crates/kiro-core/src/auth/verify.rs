//! Turning a presented credential (a bearer JWT or an API key) into a [`Principal`], checking
//! expiry against the clock, sessions and clients for revocation, and keys for expiry.

use kiro_types::{SessionId, UserId, WorkspaceId};

use super::{AuthError, AuthService};
use crate::principal::Principal;
use crate::secret;
use crate::store::StoreError;

/// A credential as presented.
#[derive(Debug, Clone)]
pub enum Credential {
    /// `Authorization: Bearer …`: a JWT access token, or an API key (`kiro_…`).
    Bearer(String),
    /// `X-API-Key: …`.
    ApiKey(String),
}

/// The prefix every API key starts with.
pub const API_KEY_PREFIX: &str = "kiro_";

impl AuthService {
    /// Verifies a credential.
    pub async fn authenticate(&self, credential: Credential) -> Result<Principal, AuthError> {
        match credential {
            Credential::Bearer(token) if token.starts_with(API_KEY_PREFIX) => {
                self.authenticate_api_key(&token).await
            }
            Credential::Bearer(token) => self.authenticate_jwt(&token).await,
            Credential::ApiKey(key) => self.authenticate_api_key(&key).await,
        }
    }

    async fn authenticate_jwt(&self, token: &str) -> Result<Principal, AuthError> {
        let claims = self.keys.verify(token, self.now())?;
        let workspace = |ws: Option<String>| -> Result<Option<WorkspaceId>, AuthError> {
            ws.map(|w| w.parse().map_err(|_| AuthError::InvalidToken))
                .transpose()
        };
        match claims.kind.as_str() {
            "user" => {
                let user_id: UserId = claims.sub.parse().map_err(|_| AuthError::InvalidToken)?;
                let session_id: Option<SessionId> = claims
                    .sid
                    .map(|s| s.parse().map_err(|_| AuthError::InvalidToken))
                    .transpose()?;
                if let Some(sid) = session_id {
                    match self.store.get_session(sid).await {
                        Ok(s) if s.revoked_at.is_some() => return Err(AuthError::SessionRevoked),
                        Ok(s) if s.user_id != user_id => return Err(AuthError::InvalidToken),
                        Ok(_) => {}
                        Err(StoreError::NotFound) => return Err(AuthError::InvalidToken),
                        Err(e) => return Err(e.into()),
                    }
                }
                Ok(Principal::User {
                    user_id,
                    session_id,
                    default_workspace: workspace(claims.ws)?,
                })
            }
            "service" => {
                let client = match self.store.get_client(&claims.sub).await {
                    Ok(c) if c.revoked_at.is_none() && c.secret_digest.is_some() => c,
                    Ok(_) | Err(StoreError::NotFound) => return Err(AuthError::InvalidToken),
                    Err(e) => return Err(e.into()),
                };
                Ok(Principal::ServiceAccount {
                    client_id: client.client_id,
                    workspace_id: client.workspace_id,
                    role: client.role,
                })
            }
            _ => Err(AuthError::InvalidToken),
        }
    }

    async fn authenticate_api_key(&self, key: &str) -> Result<Principal, AuthError> {
        let now = self.now();
        let record = match self.store.get_api_key_by_digest(&secret::digest(key)).await {
            Ok(k) => k,
            Err(StoreError::NotFound) => return Err(AuthError::InvalidApiKey),
            Err(e) => return Err(e.into()),
        };
        let expired = record.expires_at.is_some_and(|at| at <= now);
        if record.revoked_at.is_some() || expired || !secret::matches(key, &record.secret_digest) {
            return Err(AuthError::InvalidApiKey);
        }
        if let Err(e) = self.store.touch_api_key(record.id, now).await {
            tracing::warn!(error = %e, key = %record.id, "could not record API key use");
        }
        Ok(Principal::ApiKey {
            key_id: record.id,
            user_id: record.created_by,
            workspace_id: record.workspace_id,
            scopes: record.scopes,
        })
    }
}

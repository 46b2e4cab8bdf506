//! Long-lived credentials a workspace hands out: API keys (for a user, scoped, expirable) and
//! OAuth clients (public apps, or confidential service accounts with a secret). Secrets are
//! returned once at creation; only their digests are stored.

use chrono::Duration;
use kiro_types::ApiKeyId;
use kiro_types::auth::{ApiKeyIn, ClientIn};
use kiro_types::workspace::Role;
use serde_json::json;

use super::{AuthError, AuthService, DEFAULT_CLIENT_ROLE};
use crate::events::{EventDraft, kinds};
use crate::model::{ApiKey, OAuthClient};
use crate::page::{PageRequest, Paged};
use crate::principal::Principal;
use crate::secret;
use crate::store::{ApiKeyFilter, StoreError};
use crate::tenancy::Tenant;

/// The services (and `auth`) an API-key scope may name.
const SCOPE_SERVICES: [&str; 8] = [
    "auth",
    "workspaces",
    "planning",
    "prototyping",
    "documentation",
    "workflow",
    "execution",
    "assessment",
];

/// Checks a scope: `read`, `write`, or `<service>:read|write`.
fn check_scope(scope: &str) -> Result<(), AuthError> {
    let level = match scope.split_once(':') {
        Some((service, level)) if SCOPE_SERVICES.contains(&service) => level,
        Some(_) => "",
        None => scope,
    };
    if level == "read" || level == "write" {
        Ok(())
    } else {
        Err(AuthError::Invalid(format!(
            "unknown scope `{scope}`: use read, write, or <service>:read|write with a service of {}",
            SCOPE_SERVICES.join(", ")
        )))
    }
}

fn require_admin(tenant: &Tenant, what: &str) -> Result<(), AuthError> {
    if tenant.role.at_least(Role::Admin) {
        Ok(())
    } else {
        Err(AuthError::PermissionDenied(format!(
            "only a workspace admin or owner can {what}"
        )))
    }
}

impl AuthService {
    /// Creates an API key for the calling user in the tenant's workspace.
    pub async fn create_api_key(
        &self,
        tenant: &Tenant,
        input: ApiKeyIn,
    ) -> Result<(ApiKey, String), AuthError> {
        let Principal::User { user_id, .. } = &tenant.principal else {
            return Err(AuthError::PermissionDenied(
                "API keys can only be created by a signed-in user".into(),
            ));
        };
        for scope in &input.scopes {
            check_scope(scope)?;
        }
        let wants_write = input.scopes.iter().any(|s| s.ends_with("write"));
        if wants_write && !tenant.role.at_least(Role::Member) {
            return Err(AuthError::PermissionDenied(
                "a viewer can only create read-only keys".into(),
            ));
        }
        let now = self.now();
        let secret = secret::generate(super::verify::API_KEY_PREFIX);
        let key = ApiKey {
            id: ApiKeyId::new(),
            workspace_id: tenant.workspace_id,
            created_by: *user_id,
            name: input.name.trim().to_owned(),
            prefix: secret.chars().take(12).collect(),
            secret_digest: secret::digest(&secret),
            scopes: input.scopes,
            created_at: now,
            expires_at: input
                .expires_in_days
                .map(|d| now + Duration::days(i64::from(d))),
            last_used_at: None,
            revoked_at: None,
        };
        let event = EventDraft::new(
            key.workspace_id,
            kinds::API_KEY_CREATED,
            key.id.to_string(),
            1,
            tenant.principal.key(),
            now,
            json!({ "name": key.name, "prefix": key.prefix, "scopes": key.scopes }),
        );
        self.store.insert_api_key(&key, &event).await?;
        Ok((key, secret))
    }

    /// A page of the workspace's keys, newest first: all of them for an admin, the caller's
    /// own otherwise; only revoked or only unrevoked ones when `revoked` says so.
    pub async fn list_api_keys(
        &self,
        tenant: &Tenant,
        revoked: Option<bool>,
        page: &PageRequest,
    ) -> Result<Paged<ApiKey>, AuthError> {
        let created_by =
            if tenant.role.at_least(Role::Admin) {
                None
            } else {
                Some(tenant.principal.user_id().ok_or_else(|| {
                    AuthError::PermissionDenied("no user behind this call".into())
                })?)
            };
        let filter = ApiKeyFilter {
            created_by,
            revoked,
        };
        Ok(self
            .store
            .list_api_keys(tenant.workspace_id, &filter, page)
            .await?)
    }

    /// Revokes a key: its creator or a workspace admin may.
    pub async fn revoke_api_key(&self, tenant: &Tenant, id: ApiKeyId) -> Result<ApiKey, AuthError> {
        let mut key = match self.store.get_api_key(tenant.workspace_id, id).await {
            Ok(k) => k,
            Err(StoreError::NotFound) => return Err(AuthError::ApiKeyNotFound),
            Err(e) => return Err(e.into()),
        };
        let own = tenant.principal.user_id() == Some(key.created_by);
        if !own && !tenant.role.at_least(Role::Admin) {
            return Err(AuthError::ApiKeyNotFound);
        }
        if key.revoked_at.is_none() {
            let now = self.now();
            let event = EventDraft::new(
                key.workspace_id,
                kinds::API_KEY_REVOKED,
                key.id.to_string(),
                2,
                tenant.principal.key(),
                now,
                json!({ "name": key.name, "prefix": key.prefix }),
            );
            self.store.revoke_api_key(id, now, &event).await?;
            key.revoked_at = Some(now);
        }
        Ok(key)
    }

    /// Registers an OAuth client in the workspace (admins only).
    pub async fn create_client(
        &self,
        tenant: &Tenant,
        input: ClientIn,
    ) -> Result<(OAuthClient, Option<String>), AuthError> {
        require_admin(tenant, "register OAuth clients")?;
        let created_by = tenant.principal.user_id().ok_or_else(|| {
            AuthError::PermissionDenied("only a user can register OAuth clients".into())
        })?;
        let role = input.role.unwrap_or(DEFAULT_CLIENT_ROLE);
        if !tenant.role.at_least(role) {
            return Err(AuthError::PermissionDenied(format!(
                "a service account cannot get a role above yours ({})",
                tenant.role.as_str()
            )));
        }
        let (client_id, secret) = if input.confidential {
            (
                secret::generate_id("svc_"),
                Some(secret::generate("kiro_cs_")),
            )
        } else {
            (secret::generate_id("app_"), None)
        };
        let client = OAuthClient {
            client_id,
            workspace_id: tenant.workspace_id,
            name: input.name.trim().to_owned(),
            secret_digest: secret.as_deref().map(secret::digest),
            role,
            created_by,
            created_at: self.now(),
            revoked_at: None,
        };
        let event = EventDraft::new(
            client.workspace_id,
            kinds::CLIENT_CREATED,
            client.client_id.clone(),
            1,
            tenant.principal.key(),
            client.created_at,
            json!({ "name": client.name, "confidential": client.secret_digest.is_some(), "role": client.role.as_str() }),
        );
        self.store.insert_client(&client, &event).await?;
        Ok((client, secret))
    }

    /// A page of the workspace's clients, newest first (admins only).
    pub async fn list_clients(
        &self,
        tenant: &Tenant,
        page: &PageRequest,
    ) -> Result<Paged<OAuthClient>, AuthError> {
        require_admin(tenant, "list OAuth clients")?;
        Ok(self.store.list_clients(tenant.workspace_id, page).await?)
    }

    /// Revokes a client: its tokens stop working at once (admins only).
    pub async fn revoke_client(
        &self,
        tenant: &Tenant,
        client_id: &str,
    ) -> Result<OAuthClient, AuthError> {
        require_admin(tenant, "revoke OAuth clients")?;
        let mut client = match self.store.get_client(client_id).await {
            Ok(c) if c.workspace_id == tenant.workspace_id => c,
            Ok(_) | Err(StoreError::NotFound) => return Err(AuthError::ClientNotFound),
            Err(e) => return Err(e.into()),
        };
        if client.revoked_at.is_none() {
            let now = self.now();
            let event = EventDraft::new(
                client.workspace_id,
                kinds::CLIENT_REVOKED,
                client.client_id.clone(),
                2,
                tenant.principal.key(),
                now,
                json!({ "name": client.name }),
            );
            self.store.revoke_client(client_id, now, &event).await?;
            client.revoked_at = Some(now);
        }
        Ok(client)
    }
}

#[cfg(test)]
mod tests {
    use super::check_scope;

    #[test]
    fn scopes_are_read_write_or_service_qualified() {
        for ok in ["read", "write", "planning:read", "assessment:write"] {
            assert!(check_scope(ok).is_ok(), "{ok}");
        }
        for bad in ["admin", "planning", "nosuch:read", "planning:delete", ""] {
            assert!(check_scope(bad).is_err(), "{bad}");
        }
    }
}

//! Resolving the workspace a request acts in (the `X-Kiro-Workspace` header, else the
//! principal's default) and the caller's effective role there, and checking what that role
//! and an API key's scopes allow.

use kiro_types::WorkspaceId;
use kiro_types::workspace::Role;

use super::{TenancyError, TenancyService};
use crate::principal::Principal;

/// A principal acting in one workspace.
#[derive(Debug, Clone, PartialEq)]
pub struct Tenant {
    pub principal: Principal,
    pub workspace_id: WorkspaceId,
    /// The effective role: the member's role, capped by an API key's scopes.
    pub role: Role,
}

/// Whether an operation reads or changes data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Read,
    Write,
}

impl Tenant {
    /// Checks that the caller may do an operation of `service` needing `access` and at least
    /// `min_role`.
    pub fn require(
        &self,
        service: &str,
        access: Access,
        min_role: Role,
    ) -> Result<(), TenancyError> {
        if let Principal::ApiKey { scopes, .. } = &self.principal
            && !scopes_allow(scopes, service, access)
        {
            let need = match access {
                Access::Read => "read",
                Access::Write => "write",
            };
            return Err(TenancyError::PermissionDenied(format!(
                "this API key lacks the `{need}` scope for {service}"
            )));
        }
        if !self.role.at_least(min_role) {
            return Err(TenancyError::PermissionDenied(format!(
                "this needs the {} role or higher in the workspace; you are {}",
                min_role.as_str(),
                self.role.as_str()
            )));
        }
        Ok(())
    }
}

/// Whether API-key scopes allow `access` to `service`. `write` implies `read`.
pub fn scopes_allow(scopes: &[String], service: &str, access: Access) -> bool {
    scopes.iter().any(|scope| {
        let (scope_service, level) = match scope.split_once(':') {
            Some((s, l)) => (Some(s), l),
            None => (None, scope.as_str()),
        };
        let service_ok = scope_service.is_none_or(|s| s == service);
        let level_ok = match access {
            Access::Read => level == "read" || level == "write",
            Access::Write => level == "write",
        };
        service_ok && level_ok
    })
}

impl TenancyService {
    /// The tenant for a request naming `requested` (or no workspace).
    pub async fn resolve(
        &self,
        principal: &Principal,
        requested: Option<WorkspaceId>,
    ) -> Result<Tenant, TenancyError> {
        let workspace_id = match (requested, principal.default_workspace()) {
            (Some(ws), _) | (None, Some(ws)) => ws,
            (None, None) => self.only_workspace(principal).await?,
        };
        let role = self.role_in(principal, workspace_id).await?;
        Ok(Tenant {
            principal: principal.clone(),
            workspace_id,
            role,
        })
    }

    async fn only_workspace(&self, principal: &Principal) -> Result<WorkspaceId, TenancyError> {
        if principal.user_id().is_none() {
            return Err(TenancyError::WorkspaceNotFound);
        }
        let workspaces = self.all_workspaces(principal).await?;
        match workspaces.as_slice() {
            [(only, _)] => Ok(only.id),
            [] => Err(TenancyError::WorkspaceNotFound),
            many => Err(TenancyError::WorkspaceRequired { count: many.len() }),
        }
    }

    /// The principal's effective role in a workspace; `WorkspaceNotFound` when it has none,
    /// so a workspace the caller cannot reach looks exactly like one that does not exist.
    pub async fn role_in(
        &self,
        principal: &Principal,
        workspace: WorkspaceId,
    ) -> Result<Role, TenancyError> {
        match principal {
            Principal::User { user_id, .. } => self
                .store
                .get_membership(workspace, *user_id)
                .await?
                .map(|m| m.role)
                .ok_or(TenancyError::WorkspaceNotFound),
            Principal::ServiceAccount {
                workspace_id, role, ..
            } if *workspace_id == workspace => Ok(*role),
            Principal::ApiKey {
                workspace_id,
                user_id,
                scopes,
                ..
            } if *workspace_id == workspace => {
                let role = self
                    .store
                    .get_membership(workspace, *user_id)
                    .await?
                    .map(|m| m.role)
                    .ok_or(TenancyError::WorkspaceNotFound)?;
                let can_write = scopes.iter().any(|s| s == "write" || s.ends_with(":write"));
                Ok(if can_write { role } else { Role::Viewer })
            }
            _ => Err(TenancyError::WorkspaceNotFound),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scopes(s: &[&str]) -> Vec<String> {
        s.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn write_implies_read_and_service_scopes_stay_in_their_service() {
        assert!(scopes_allow(&scopes(&["write"]), "planning", Access::Read));
        assert!(scopes_allow(&scopes(&["read"]), "planning", Access::Read));
        assert!(!scopes_allow(&scopes(&["read"]), "planning", Access::Write));
        assert!(scopes_allow(
            &scopes(&["planning:write"]),
            "planning",
            Access::Write
        ));
        assert!(!scopes_allow(
            &scopes(&["planning:write"]),
            "workflow",
            Access::Read
        ));
        assert!(!scopes_allow(&[], "planning", Access::Read));
    }
}

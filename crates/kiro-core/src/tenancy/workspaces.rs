//! Workspace management: list, create, read, rename, delete, with the role each needs.

use kiro_types::WorkspaceId;
use kiro_types::workspace::Role;
use serde_json::json;

use super::{TenancyError, TenancyService};
use crate::events::{EventDraft, kinds};
use crate::model::Workspace;
use crate::page::{PageRequest, Paged};
use crate::principal::Principal;
use crate::store::StoreError;

/// The page size [`TenancyService::all_workspaces`] reads with.
const ALL_PAGE_SIZE: u32 = 200;

impl TenancyService {
    /// A page of the workspaces the principal can reach, with its role there, oldest first.
    pub async fn list_workspaces(
        &self,
        principal: &Principal,
        page: &PageRequest,
    ) -> Result<Paged<(Workspace, Role)>, TenancyError> {
        match principal {
            Principal::User { user_id, .. } => {
                Ok(self.store.list_workspaces_for_user(*user_id, page).await?)
            }
            // A service account or API key reaches exactly one workspace: a list of one,
            // paged like any other.
            Principal::ServiceAccount { workspace_id, .. }
            | Principal::ApiKey { workspace_id, .. } => {
                let ws = self.get_workspace(principal, *workspace_id).await?;
                let rows = match &page.after {
                    Some(after) if ws.0.sort_key() <= *after => Vec::new(),
                    _ => vec![ws],
                };
                Ok(Paged::from_rows(rows, page, |(w, _)| w.sort_key()))
            }
        }
    }

    /// Every workspace the principal can reach, oldest first, read page by page.
    pub async fn all_workspaces(
        &self,
        principal: &Principal,
    ) -> Result<Vec<(Workspace, Role)>, TenancyError> {
        let mut all = Vec::new();
        let mut page = PageRequest::first(ALL_PAGE_SIZE);
        loop {
            let paged = self.list_workspaces(principal, &page).await?;
            all.extend(paged.items);
            match paged.next {
                Some(next) => page.after = Some(next),
                None => return Ok(all),
            }
        }
    }

    /// Creates a workspace owned by the calling user.
    pub async fn create_workspace(
        &self,
        principal: &Principal,
        name: &str,
    ) -> Result<(Workspace, Role), TenancyError> {
        let Principal::User { user_id, .. } = principal else {
            return Err(TenancyError::PermissionDenied(
                "only a signed-in user can create workspaces".into(),
            ));
        };
        let now = self.clock.now();
        let workspace = Workspace {
            id: WorkspaceId::new(),
            name: name.trim().to_owned(),
            personal: false,
            version: 1,
            created_at: now,
            updated_at: now,
        };
        let event = EventDraft::new(
            workspace.id,
            kinds::WORKSPACE_CREATED,
            workspace.id.to_string(),
            workspace.version,
            principal.key(),
            now,
            json!({ "name": workspace.name, "personal": false }),
        );
        self.store
            .insert_workspace(&workspace, *user_id, &event)
            .await?;
        Ok((workspace, Role::Owner))
    }

    /// A workspace the principal can reach.
    pub async fn get_workspace(
        &self,
        principal: &Principal,
        id: WorkspaceId,
    ) -> Result<(Workspace, Role), TenancyError> {
        let role = self.role_in(principal, id).await?;
        let workspace = self.store.get_workspace(id).await.map_err(not_found)?;
        Ok((workspace, role))
    }

    /// Renames a workspace (admin or owner). With `expected_version`, refuses a stale write.
    pub async fn rename_workspace(
        &self,
        principal: &Principal,
        id: WorkspaceId,
        name: Option<String>,
        expected_version: Option<i64>,
    ) -> Result<(Workspace, Role), TenancyError> {
        let (mut workspace, role) = self.get_workspace(principal, id).await?;
        require_role(role, Role::Admin, "rename a workspace")?;
        if let Some(v) = expected_version
            && v != workspace.version
        {
            return Err(TenancyError::Store(StoreError::Stale));
        }
        let version = workspace.version;
        if let Some(name) = name {
            workspace.name = name.trim().to_owned();
        }
        workspace.updated_at = self.clock.now();
        let event = EventDraft::new(
            workspace.id,
            kinds::WORKSPACE_UPDATED,
            workspace.id.to_string(),
            version + 1,
            principal.key(),
            workspace.updated_at,
            json!({ "name": workspace.name }),
        );
        let updated = self
            .store
            .update_workspace(&workspace, version, &event)
            .await?;
        Ok((updated, role))
    }

    /// Deletes a workspace and everything in it (owner only; never a personal workspace).
    pub async fn delete_workspace(
        &self,
        principal: &Principal,
        id: WorkspaceId,
    ) -> Result<(), TenancyError> {
        let (workspace, role) = self.get_workspace(principal, id).await?;
        require_role(role, Role::Owner, "delete a workspace")?;
        if workspace.personal {
            return Err(TenancyError::Personal);
        }
        let event = EventDraft::new(
            workspace.id,
            kinds::WORKSPACE_DELETED,
            workspace.id.to_string(),
            workspace.version + 1,
            principal.key(),
            self.clock.now(),
            json!({ "name": workspace.name }),
        );
        self.store
            .delete_workspace(id, &event)
            .await
            .map_err(not_found)
    }
}

/// Refuses unless `role` is at least `min`.
pub(super) fn require_role(role: Role, min: Role, what: &str) -> Result<(), TenancyError> {
    if role.at_least(min) {
        Ok(())
    } else {
        Err(TenancyError::PermissionDenied(format!(
            "only an {} or higher can {what}; you are {}",
            min.as_str(),
            role.as_str()
        )))
    }
}

fn not_found(e: StoreError) -> TenancyError {
    match e {
        StoreError::NotFound => TenancyError::WorkspaceNotFound,
        e => e.into(),
    }
}

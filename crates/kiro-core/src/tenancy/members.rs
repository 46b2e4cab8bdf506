//! Member management: list, add, change role, remove, with the rules that only owners make
//! owners, admins manage everyone below owner, anyone may leave, and the last owner stays.

use kiro_types::workspace::Role;
use kiro_types::{UserId, WorkspaceId};
use serde_json::json;

use super::workspaces::require_role;
use super::{TenancyError, TenancyService};
use crate::events::{EventDraft, kinds};
use crate::model::{Member, Membership};
use crate::page::{PageRequest, Paged};
use crate::principal::Principal;
use crate::store::StoreError;

/// Who to add.
#[derive(Debug, Clone)]
pub enum MemberRef {
    Email(String),
    Id(UserId),
}

impl TenancyService {
    /// A page of a workspace's members, by join time (any member may look).
    pub async fn list_members(
        &self,
        principal: &Principal,
        workspace: WorkspaceId,
        page: &PageRequest,
    ) -> Result<Paged<Member>, TenancyError> {
        self.role_in(principal, workspace).await?;
        Ok(self.store.list_members(workspace, page).await?)
    }

    /// Adds an existing user with a role (admin or owner; only an owner adds an owner).
    pub async fn add_member(
        &self,
        principal: &Principal,
        workspace: WorkspaceId,
        who: MemberRef,
        role: Role,
    ) -> Result<Member, TenancyError> {
        let caller = self.role_in(principal, workspace).await?;
        require_role(caller, Role::Admin, "add members")?;
        if role == Role::Owner {
            require_role(caller, Role::Owner, "make someone an owner")?;
        }
        let user = match who {
            MemberRef::Email(email) => {
                self.store
                    .get_user_by_email(&crate::auth::normalize_email(&email))
                    .await
            }
            MemberRef::Id(id) => self.store.get_user(id).await,
        }
        .map_err(|e| match e {
            StoreError::NotFound => TenancyError::UserNotFound,
            e => e.into(),
        })?;
        let membership = Membership {
            workspace_id: workspace,
            user_id: user.id,
            role,
            created_at: self.clock.now(),
        };
        let event = EventDraft::new(
            workspace,
            kinds::MEMBER_ADDED,
            user.id.to_string(),
            1,
            principal.key(),
            membership.created_at,
            json!({ "userId": user.id, "role": role.as_str() }),
        );
        match self.store.insert_membership(&membership, &event).await {
            Ok(()) => {}
            Err(StoreError::Conflict { .. }) => return Err(TenancyError::MemberExists),
            Err(e) => return Err(e.into()),
        }
        Ok(Member {
            user_id: user.id,
            email: user.email,
            name: user.name,
            role,
            joined_at: membership.created_at,
        })
    }

    /// Changes a member's role.
    pub async fn update_member(
        &self,
        principal: &Principal,
        workspace: WorkspaceId,
        user: UserId,
        role: Role,
    ) -> Result<Member, TenancyError> {
        let caller = self.role_in(principal, workspace).await?;
        require_role(caller, Role::Admin, "change roles")?;
        let current = self.member(workspace, user).await?;
        if role == Role::Owner || current.role == Role::Owner {
            require_role(caller, Role::Owner, "grant or take away the owner role")?;
        }
        let event = EventDraft::new(
            workspace,
            kinds::MEMBER_UPDATED,
            user.to_string(),
            1,
            principal.key(),
            self.clock.now(),
            json!({ "userId": user, "role": role.as_str(), "previousRole": current.role.as_str() }),
        );
        self.set_role(workspace, user, Some(role), &event).await?;
        Ok(Member { role, ..current })
    }

    /// Removes a member; anyone may remove themselves.
    pub async fn remove_member(
        &self,
        principal: &Principal,
        workspace: WorkspaceId,
        user: UserId,
    ) -> Result<(), TenancyError> {
        let caller = self.role_in(principal, workspace).await?;
        let current = self.member(workspace, user).await?;
        if principal.user_id() != Some(user) {
            require_role(caller, Role::Admin, "remove members")?;
            if current.role == Role::Owner {
                require_role(caller, Role::Owner, "remove an owner")?;
            }
        }
        let event = EventDraft::new(
            workspace,
            kinds::MEMBER_REMOVED,
            user.to_string(),
            1,
            principal.key(),
            self.clock.now(),
            json!({ "userId": user, "role": current.role.as_str() }),
        );
        self.set_role(workspace, user, None, &event).await
    }

    async fn member(&self, workspace: WorkspaceId, user: UserId) -> Result<Member, TenancyError> {
        let membership = self
            .store
            .get_membership(workspace, user)
            .await?
            .ok_or(TenancyError::MemberNotFound)?;
        let user = match self.store.get_user(user).await {
            Ok(u) => u,
            Err(StoreError::NotFound) => return Err(TenancyError::MemberNotFound),
            Err(e) => return Err(e.into()),
        };
        Ok(Member {
            user_id: user.id,
            email: user.email,
            name: user.name,
            role: membership.role,
            joined_at: membership.created_at,
        })
    }

    async fn set_role(
        &self,
        workspace: WorkspaceId,
        user: UserId,
        role: Option<Role>,
        event: &EventDraft,
    ) -> Result<(), TenancyError> {
        match self
            .store
            .set_membership_role(workspace, user, role, event)
            .await
        {
            Ok(()) => Ok(()),
            Err(StoreError::Stale) => Err(TenancyError::LastOwner),
            Err(StoreError::NotFound) => Err(TenancyError::MemberNotFound),
            Err(e) => Err(e.into()),
        }
    }
}

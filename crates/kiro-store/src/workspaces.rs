//! [`WorkspaceStore`] for [`SqlStore`]: the `workspaces` and `memberships` tables.
//!
//! Two writes carry rules of their own. `update_workspace` is an optimistic
//! `UPDATE … WHERE id = $ AND version = $`. `set_membership_role` never leaves a workspace
//! without an owner: the guard sits in the write's own `WHERE`, which is atomic on SQLite
//! (one writer at a time); on PostgreSQL two such writes could each see the other owner
//! still in place, so the transaction first locks the workspace row, serialising every
//! owner change of that workspace.

use async_trait::async_trait;
use kiro_core::events::EventDraft;
use kiro_core::model::{Member, Membership, Workspace};
use kiro_core::store::WorkspaceStore;
use kiro_core::{PageRequest, Paged, StoreError};
use kiro_types::workspace::Role;
use kiro_types::{UserId, WorkspaceId};
use sqlx::AnyConnection;

use crate::convert::{from_flag, from_ms, parse_id, parse_role, to_flag, to_ms};
use crate::error::SqlxResultExt;
use crate::page::{Order, start_after};
use crate::sql_store::{Backend, SqlStore};

/// A `workspaces` row.
#[derive(sqlx::FromRow)]
struct WorkspaceRow {
    id: String,
    name: String,
    personal: i64,
    version: i64,
    created_at: i64,
    updated_at: i64,
}

impl TryFrom<WorkspaceRow> for Workspace {
    type Error = StoreError;

    fn try_from(row: WorkspaceRow) -> Result<Self, StoreError> {
        Ok(Workspace {
            id: parse_id(&row.id)?,
            name: row.name,
            personal: from_flag(row.personal)?,
            version: row.version,
            created_at: from_ms(row.created_at)?,
            updated_at: from_ms(row.updated_at)?,
        })
    }
}

/// A workspace with the listing user's role in it.
#[derive(sqlx::FromRow)]
struct WorkspaceRoleRow {
    #[sqlx(flatten)]
    workspace: WorkspaceRow,
    role: String,
}

/// A `memberships` row.
#[derive(sqlx::FromRow)]
struct MembershipRow {
    workspace_id: String,
    user_id: String,
    role: String,
    created_at: i64,
}

impl TryFrom<MembershipRow> for Membership {
    type Error = StoreError;

    fn try_from(row: MembershipRow) -> Result<Self, StoreError> {
        Ok(Membership {
            workspace_id: parse_id(&row.workspace_id)?,
            user_id: parse_id(&row.user_id)?,
            role: parse_role(&row.role)?,
            created_at: from_ms(row.created_at)?,
        })
    }
}

/// A membership joined with its user.
#[derive(sqlx::FromRow)]
struct MemberRow {
    user_id: String,
    email: String,
    name: String,
    role: String,
    joined_at: i64,
}

impl TryFrom<MemberRow> for Member {
    type Error = StoreError;

    fn try_from(row: MemberRow) -> Result<Self, StoreError> {
        Ok(Member {
            user_id: parse_id(&row.user_id)?,
            email: row.email,
            name: row.name,
            role: parse_role(&row.role)?,
            joined_at: from_ms(row.joined_at)?,
        })
    }
}

/// Inserts `workspace` and `owner`'s owner membership on `conn`, which the caller holds in a
/// transaction. The membership dates from the workspace's creation.
pub(crate) async fn insert_workspace_rows(
    conn: &mut AnyConnection,
    workspace: &Workspace,
    owner: UserId,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO workspaces (id, name, personal, version, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(workspace.id.to_string())
    .bind(workspace.name.as_str())
    .bind(to_flag(workspace.personal))
    .bind(workspace.version)
    .bind(to_ms(workspace.created_at))
    .bind(to_ms(workspace.updated_at))
    .execute(&mut *conn)
    .await
    .store()?;
    sqlx::query(
        "INSERT INTO memberships (workspace_id, user_id, role, created_at)
         VALUES ($1, $2, $3, $4)",
    )
    .bind(workspace.id.to_string())
    .bind(owner.to_string())
    .bind(Role::Owner.as_str())
    .bind(to_ms(workspace.created_at))
    .execute(&mut *conn)
    .await
    .store()?;
    Ok(())
}

/// Changes a member's role unless they are the workspace's last owner and the new role is
/// not owner. `$1` workspace, `$2` user, `$3` new role.
const DEMOTE_GUARDED: &str = "UPDATE memberships SET role = $3
     WHERE workspace_id = $1 AND user_id = $2
       AND ($3 = 'owner' OR role <> 'owner' OR EXISTS (
             SELECT 1 FROM memberships AS other
             WHERE other.workspace_id = $1 AND other.user_id <> $2 AND other.role = 'owner'))";

/// Removes a member unless they are the workspace's last owner. `$1` workspace, `$2` user.
const REMOVE_GUARDED: &str = "DELETE FROM memberships
     WHERE workspace_id = $1 AND user_id = $2
       AND (role <> 'owner' OR EXISTS (
             SELECT 1 FROM memberships AS other
             WHERE other.workspace_id = $1 AND other.user_id <> $2 AND other.role = 'owner'))";

#[async_trait]
impl WorkspaceStore for SqlStore {
    async fn insert_workspace(
        &self,
        workspace: &Workspace,
        owner: UserId,
        event: &EventDraft,
    ) -> Result<(), StoreError> {
        let mut m = self.mutation().await?;
        insert_workspace_rows(m.conn(), workspace, owner).await?;
        m.commit(self, event).await?;
        Ok(())
    }

    async fn get_workspace(&self, id: WorkspaceId) -> Result<Workspace, StoreError> {
        sqlx::query_as::<_, WorkspaceRow>(
            "SELECT id, name, personal, version, created_at, updated_at
             FROM workspaces WHERE id = $1",
        )
        .bind(id.to_string())
        .fetch_one(self.pool())
        .await
        .store()?
        .try_into()
    }

    /// Oldest first: `(w.created_at, w.id)`, matching [`Workspace::sort_key`].
    async fn list_workspaces_for_user(
        &self,
        user: UserId,
        page: &PageRequest,
    ) -> Result<Paged<(Workspace, Role)>, StoreError> {
        let (after_ms, after_id) = start_after(page, Order::Ascending);
        let rows = sqlx::query_as::<_, WorkspaceRoleRow>(
            "SELECT w.id, w.name, w.personal, w.version, w.created_at, w.updated_at, m.role
             FROM memberships AS m JOIN workspaces AS w ON w.id = m.workspace_id
             WHERE m.user_id = $1 AND (w.created_at, w.id) > ($2, $3)
             ORDER BY w.created_at, w.id
             LIMIT $4",
        )
        .bind(user.to_string())
        .bind(after_ms)
        .bind(after_id)
        .bind(page.fetch_limit())
        .fetch_all(self.pool())
        .await
        .store()?;
        let workspaces = rows
            .into_iter()
            .map(|row| Ok((row.workspace.try_into()?, parse_role(&row.role)?)))
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(Paged::from_rows(workspaces, page, |(w, _)| w.sort_key()))
    }

    async fn update_workspace(
        &self,
        workspace: &Workspace,
        expected_version: i64,
        event: &EventDraft,
    ) -> Result<Workspace, StoreError> {
        let mut m = self.mutation().await?;
        let updated = sqlx::query_as::<_, WorkspaceRow>(
            "UPDATE workspaces SET name = $1, updated_at = $2, version = version + 1
             WHERE id = $3 AND version = $4
             RETURNING id, name, personal, version, created_at, updated_at",
        )
        .bind(workspace.name.as_str())
        .bind(to_ms(workspace.updated_at))
        .bind(workspace.id.to_string())
        .bind(expected_version)
        .fetch_optional(m.conn())
        .await
        .store()?;
        match updated {
            Some(row) => {
                m.commit(self, event).await?;
                row.try_into()
            }
            None => {
                // Tell a missing workspace from a changed one.
                self.get_workspace(workspace.id).await?;
                Err(StoreError::Stale)
            }
        }
    }

    async fn delete_workspace(
        &self,
        id: WorkspaceId,
        event: &EventDraft,
    ) -> Result<(), StoreError> {
        let mut m = self.mutation().await?;
        let deleted = sqlx::query("DELETE FROM workspaces WHERE id = $1")
            .bind(id.to_string())
            .execute(m.conn())
            .await
            .store()?;
        if deleted.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        m.commit(self, event).await?;
        Ok(())
    }

    async fn get_membership(
        &self,
        workspace: WorkspaceId,
        user: UserId,
    ) -> Result<Option<Membership>, StoreError> {
        sqlx::query_as::<_, MembershipRow>(
            "SELECT workspace_id, user_id, role, created_at
             FROM memberships WHERE workspace_id = $1 AND user_id = $2",
        )
        .bind(workspace.to_string())
        .bind(user.to_string())
        .fetch_optional(self.pool())
        .await
        .store()?
        .map(Membership::try_from)
        .transpose()
    }

    /// By join time, then user id, matching [`Member::sort_key`].
    async fn list_members(
        &self,
        workspace: WorkspaceId,
        page: &PageRequest,
    ) -> Result<Paged<Member>, StoreError> {
        let (after_ms, after_id) = start_after(page, Order::Ascending);
        let rows = sqlx::query_as::<_, MemberRow>(
            "SELECT u.id AS user_id, u.email, u.name, m.role, m.created_at AS joined_at
             FROM memberships AS m JOIN users AS u ON u.id = m.user_id
             WHERE m.workspace_id = $1 AND (m.created_at, m.user_id) > ($2, $3)
             ORDER BY m.created_at, m.user_id
             LIMIT $4",
        )
        .bind(workspace.to_string())
        .bind(after_ms)
        .bind(after_id)
        .bind(page.fetch_limit())
        .fetch_all(self.pool())
        .await
        .store()?;
        let members = rows
            .into_iter()
            .map(Member::try_from)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Paged::from_rows(members, page, Member::sort_key))
    }

    async fn insert_membership(
        &self,
        membership: &Membership,
        event: &EventDraft,
    ) -> Result<(), StoreError> {
        let mut m = self.mutation().await?;
        sqlx::query(
            "INSERT INTO memberships (workspace_id, user_id, role, created_at)
             VALUES ($1, $2, $3, $4)",
        )
        .bind(membership.workspace_id.to_string())
        .bind(membership.user_id.to_string())
        .bind(membership.role.as_str())
        .bind(to_ms(membership.created_at))
        .execute(m.conn())
        .await
        .store()?;
        m.commit(self, event).await?;
        Ok(())
    }

    async fn set_membership_role(
        &self,
        workspace: WorkspaceId,
        user: UserId,
        role: Option<Role>,
        event: &EventDraft,
    ) -> Result<(), StoreError> {
        let mut m = self.mutation().await?;
        if self.backend() == Backend::Postgres {
            // NO KEY UPDATE serialises owner changes of this workspace without blocking the
            // foreign-key checks of concurrent inserts that reference it.
            sqlx::query("SELECT id FROM workspaces WHERE id = $1 FOR NO KEY UPDATE")
                .bind(workspace.to_string())
                .fetch_one(m.conn())
                .await
                .store()?;
        }
        let write = match role {
            Some(role) => sqlx::query(DEMOTE_GUARDED)
                .bind(workspace.to_string())
                .bind(user.to_string())
                .bind(role.as_str()),
            None => sqlx::query(REMOVE_GUARDED)
                .bind(workspace.to_string())
                .bind(user.to_string()),
        };
        if write.execute(m.conn()).await.store()?.rows_affected() == 0 {
            // Refused by the guard, or not a member at all.
            let current: Option<String> = sqlx::query_scalar(
                "SELECT role FROM memberships WHERE workspace_id = $1 AND user_id = $2",
            )
            .bind(workspace.to_string())
            .bind(user.to_string())
            .fetch_optional(m.conn())
            .await
            .store()?;
            return Err(match current {
                Some(_) => StoreError::Stale,
                None => StoreError::NotFound,
            });
        }
        m.commit(self, event).await?;
        Ok(())
    }
}

//! [`UserStore`] for [`SqlStore`]: the `users` table. Creating an account also creates the
//! user's personal workspace and owner membership, in the same transaction, through
//! [`crate::workspaces::insert_workspace_rows`].

use async_trait::async_trait;
use kiro_core::StoreError;
use kiro_core::events::EventDraft;
use kiro_core::model::{User, Workspace};
use kiro_core::store::UserStore;
use kiro_types::UserId;

use crate::convert::{from_flag, from_ms, parse_id, to_flag, to_ms};
use crate::error::SqlxResultExt;
use crate::sql_store::SqlStore;
use crate::workspaces::insert_workspace_rows;

/// A `users` row.
#[derive(sqlx::FromRow)]
struct UserRow {
    id: String,
    email: String,
    name: String,
    password_hash: String,
    is_admin: i64,
    created_at: i64,
    updated_at: i64,
}

impl TryFrom<UserRow> for User {
    type Error = StoreError;

    fn try_from(row: UserRow) -> Result<Self, StoreError> {
        Ok(User {
            id: parse_id(&row.id)?,
            email: row.email,
            name: row.name,
            password_hash: row.password_hash,
            is_admin: from_flag(row.is_admin)?,
            created_at: from_ms(row.created_at)?,
            updated_at: from_ms(row.updated_at)?,
        })
    }
}

#[async_trait]
impl UserStore for SqlStore {
    async fn insert_user_with_workspace(
        &self,
        user: &User,
        workspace: &Workspace,
        event: &EventDraft,
    ) -> Result<(), StoreError> {
        let mut m = self.mutation().await?;
        sqlx::query(
            "INSERT INTO users (id, email, name, password_hash, is_admin, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(user.id.to_string())
        .bind(user.email.as_str())
        .bind(user.name.as_str())
        .bind(user.password_hash.as_str())
        .bind(to_flag(user.is_admin))
        .bind(to_ms(user.created_at))
        .bind(to_ms(user.updated_at))
        .execute(m.conn())
        .await
        .store()?;
        insert_workspace_rows(m.conn(), workspace, user.id).await?;
        m.commit(self, event).await?;
        Ok(())
    }

    async fn get_user(&self, id: UserId) -> Result<User, StoreError> {
        sqlx::query_as::<_, UserRow>(
            "SELECT id, email, name, password_hash, is_admin, created_at, updated_at
             FROM users WHERE id = $1",
        )
        .bind(id.to_string())
        .fetch_one(self.pool())
        .await
        .store()?
        .try_into()
    }

    async fn get_user_by_email(&self, email: &str) -> Result<User, StoreError> {
        sqlx::query_as::<_, UserRow>(
            "SELECT id, email, name, password_hash, is_admin, created_at, updated_at
             FROM users WHERE email = $1",
        )
        .bind(email)
        .fetch_one(self.pool())
        .await
        .store()?
        .try_into()
    }
}

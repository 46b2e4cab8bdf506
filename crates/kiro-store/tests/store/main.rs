//! kiro-store's integration tests: every case runs on a fresh SQLite database and, when
//! `KIRO_TEST_DATABASE_URL` names a PostgreSQL server, on a fresh PostgreSQL database too.
//!
//! `store_tests!` turns each `async fn(SqlStore)` case into a module holding a `sqlite` and a
//! `postgres` test, so `cargo test -p kiro-store sqlite` or `… postgres` picks a backend.

use std::future::Future;

use chrono::{DateTime, Utc};
use kiro_core::PageRequest;
use kiro_core::model::{User, Workspace};
use kiro_core::store::UserStore;
use kiro_store::SqlStore;
use kiro_store::testing::TestDatabase;
use kiro_types::{UserId, WorkspaceId};

/// For each named `async fn(SqlStore) -> anyhow::Result<()>` of the calling module, defines
/// `mod <case> { fn sqlite(); fn postgres(); }`, two tests running it on each backend.
macro_rules! store_tests {
    ($($case:ident),+ $(,)?) => {
        $(
            mod $case {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() -> anyhow::Result<()> {
                    crate::on_sqlite(super::$case).await
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() -> anyhow::Result<()> {
                    crate::on_postgres(super::$case).await
                }
            }
        )+
    };
}

mod api_keys;
mod clients;
mod connect;
mod events;
mod execution;
mod execution_catalog;
mod idempotency;
mod memberships;
mod paging;
mod planning;
mod secrets_health;
mod sessions;
mod users;
mod workspaces;

/// Runs `case` on a fresh SQLite database.
async fn on_sqlite<F, Fut>(case: F) -> anyhow::Result<()>
where
    F: FnOnce(SqlStore) -> Fut,
    Fut: Future<Output = anyhow::Result<()>>,
{
    let db = TestDatabase::sqlite()?;
    run(&db, case).await
}

/// Runs `case` on a fresh PostgreSQL database, or skips it when `KIRO_TEST_DATABASE_URL`
/// is unset.
async fn on_postgres<F, Fut>(case: F) -> anyhow::Result<()>
where
    F: FnOnce(SqlStore) -> Fut,
    Fut: Future<Output = anyhow::Result<()>>,
{
    let Some(db) = TestDatabase::postgres()? else {
        println!("KIRO_TEST_DATABASE_URL is unset: skipping the PostgreSQL run");
        return Ok(());
    };
    run(&db, case).await
}

async fn run<F, Fut>(db: &TestDatabase, case: F) -> anyhow::Result<()>
where
    F: FnOnce(SqlStore) -> Fut,
    Fut: Future<Output = anyhow::Result<()>>,
{
    let store = db.store().await?;
    let result = case(store.clone()).await;
    store.pool().close().await;
    result
}

/// A millisecond-precise time (the store keeps milliseconds), `offset_ms` after a fixed
/// instant.
fn at(offset_ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(1_750_000_000_000 + offset_ms).unwrap_or_default()
}

/// A user who has not been stored yet.
fn new_user(email: &str) -> User {
    User {
        id: UserId::new(),
        email: email.to_owned(),
        name: format!("Name of {email}"),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".to_owned(),
        is_admin: false,
        created_at: at(0),
        updated_at: at(0),
    }
}

/// A workspace that has not been stored yet, created `offset_ms` after [`at`]'s instant.
fn new_workspace(name: &str, personal: bool, offset_ms: i64) -> Workspace {
    Workspace {
        id: WorkspaceId::new(),
        name: name.to_owned(),
        personal,
        version: 1,
        created_at: at(offset_ms),
        updated_at: at(offset_ms),
    }
}

/// Stores a user with their personal workspace.
async fn stored_user(store: &SqlStore, email: &str) -> anyhow::Result<(User, Workspace)> {
    let user = new_user(email);
    let workspace = new_workspace(&format!("{email}'s workspace"), true, 0);
    store
        .insert_user_with_workspace(&user, &workspace, &crate::ev())
        .await?;
    Ok((user, workspace))
}

/// An event draft for a mutation under test (the store appends it with the change).
pub fn ev() -> kiro_core::events::EventDraft {
    kiro_core::events::EventDraft::new(
        kiro_types::WorkspaceId::new(),
        kiro_core::events::kinds::WORKSPACE_UPDATED,
        "resource",
        1,
        "system",
        chrono::Utc::now(),
        serde_json::json!({}),
    )
}

/// A page large enough to hold every row a test stores.
fn everything() -> PageRequest {
    PageRequest::first(200)
}

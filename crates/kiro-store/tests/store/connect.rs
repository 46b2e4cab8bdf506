//! Connecting: URL schemes, SQLite's file and pragmas, idempotent migrations.

use kiro_core::StoreError;
use kiro_core::store::StoreHealth;
use kiro_store::testing::TestDatabase;
use kiro_store::{Backend, SqlStore};

#[tokio::test]
async fn an_unsupported_scheme_is_named_in_the_error() -> anyhow::Result<()> {
    let result = SqlStore::connect("mysql://localhost/kiro", 1).await;

    match result {
        Err(StoreError::Backend(e)) => assert!(e.to_string().contains("`mysql`"), "{e}"),
        other => anyhow::bail!("expected a backend error, got {other:?}"),
    }
    Ok(())
}

#[tokio::test]
async fn sqlite_creates_its_directory_and_file_and_sets_its_pragmas() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("data").join("deeper").join("kiro.db");
    let url = format!("sqlite://{}", file.display());

    let store = SqlStore::connect(&url, 2).await?;

    assert!(file.exists());
    assert_eq!(store.backend(), Backend::Sqlite);
    let mut conn = store.pool().acquire().await?;
    let journal: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&mut *conn)
        .await?;
    let foreign_keys: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(&mut *conn)
        .await?;
    let synchronous: i64 = sqlx::query_scalar("PRAGMA synchronous")
        .fetch_one(&mut *conn)
        .await?;
    let busy_timeout: i64 = sqlx::query_scalar("PRAGMA busy_timeout")
        .fetch_one(&mut *conn)
        .await?;
    assert_eq!(journal, "wal");
    assert_eq!((foreign_keys, synchronous, busy_timeout), (1, 1, 5000));
    Ok(())
}

#[tokio::test]
async fn connecting_again_finds_every_migration_applied() -> anyhow::Result<()> {
    let databases = [Some(TestDatabase::sqlite()?), TestDatabase::postgres()?];
    for db in databases.iter().flatten() {
        let first = db.store().await?;
        first.pool().close().await;

        let again = db.store().await?;

        assert!(again.migrations_applied().await?, "{}", db.backend_name());
        again.pool().close().await;
    }
    Ok(())
}

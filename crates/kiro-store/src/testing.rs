//! Fresh databases for tests (the `testing` feature): a SQLite file in a temporary
//! directory, or, when `KIRO_TEST_DATABASE_URL` names a PostgreSQL server, a new
//! `kiro_test_<hex>` database on it that is dropped again when the value is dropped.
//!
//! Administrative statements (`CREATE DATABASE`, `DROP DATABASE`) run on a thread of their
//! own with a small tokio runtime, so construction and `Drop` work the same inside or
//! outside an async runtime. This module is for tests only and may use anyhow.

use anyhow::{Context, anyhow};
use sqlx::{AssertSqlSafe, Connection};

use crate::sql_store::{Backend, SqlStore};

/// The environment variable naming the PostgreSQL server tests may create databases on.
pub const TEST_DATABASE_URL_VAR: &str = "KIRO_TEST_DATABASE_URL";

/// A database that exists for as long as this value does.
#[derive(Debug)]
pub struct TestDatabase {
    url: String,
    backend: Backend,
    cleanup: Cleanup,
}

#[derive(Debug)]
enum Cleanup {
    /// The directory holding the SQLite file; removed on drop.
    Sqlite { _dir: tempfile::TempDir },
    /// The PostgreSQL database to drop, and the server URL to drop it from.
    Postgres { admin_url: String, name: String },
}

impl TestDatabase {
    /// A new SQLite database file in a fresh temporary directory.
    pub fn sqlite() -> anyhow::Result<TestDatabase> {
        let dir = tempfile::Builder::new()
            .prefix("kiro-test-")
            .tempdir()
            .context("creating a temporary directory for the test database")?;
        let url = format!("sqlite://{}", dir.path().join("kiro.db").display());
        Ok(TestDatabase {
            url,
            backend: Backend::Sqlite,
            cleanup: Cleanup::Sqlite { _dir: dir },
        })
    }

    /// A new, empty PostgreSQL database on the server `KIRO_TEST_DATABASE_URL` names, or
    /// `None` when that variable is unset or empty.
    pub fn postgres() -> anyhow::Result<Option<TestDatabase>> {
        let admin_url = match std::env::var(TEST_DATABASE_URL_VAR) {
            Ok(url) if !url.trim().is_empty() => url,
            _ => return Ok(None),
        };
        let name = format!("kiro_test_{}", uuid::Uuid::now_v7().simple());
        let url = database_url(&admin_url, &name)?;
        run_admin_statement(&admin_url, format!("CREATE DATABASE {name}")).with_context(|| {
            format!("creating test database {name} via {TEST_DATABASE_URL_VAR}")
        })?;
        Ok(Some(TestDatabase {
            url,
            backend: Backend::Postgres,
            cleanup: Cleanup::Postgres { admin_url, name },
        }))
    }

    /// The database's connection URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// `sqlite` or `postgres`.
    pub fn backend_name(&self) -> &'static str {
        self.backend.name()
    }

    /// A migrated store on this database.
    pub async fn store(&self) -> anyhow::Result<SqlStore> {
        SqlStore::connect(&self.url, 5)
            .await
            .with_context(|| format!("connecting to the {} test database", self.backend_name()))
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Cleanup::Postgres { admin_url, name } = &self.cleanup {
            let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
            if let Err(error) = run_admin_statement(admin_url, sql) {
                eprintln!("kiro-store: could not drop test database {name}: {error:#}");
            }
        }
    }
}

/// Runs one statement on the server at `admin_url`, on a thread with its own runtime.
fn run_admin_statement(admin_url: &str, sql: String) -> anyhow::Result<()> {
    let admin_url = admin_url.to_owned();
    std::thread::spawn(move || -> anyhow::Result<()> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        runtime.block_on(async move {
            let mut conn = sqlx::postgres::PgConnection::connect(&admin_url).await?;
            // `sql` is built here from a generated name, never from input.
            sqlx::raw_sql(AssertSqlSafe(sql)).execute(&mut conn).await?;
            conn.close().await?;
            Ok(())
        })
    })
    .join()
    .map_err(|_| anyhow!("the database administration thread panicked"))?
}

/// `admin_url` with its database (path) replaced by `name`, keeping any query string.
fn database_url(admin_url: &str, name: &str) -> anyhow::Result<String> {
    let (base, query) = match admin_url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (admin_url, None),
    };
    let authority_start = base
        .find("://")
        .map(|i| i + 3)
        .ok_or_else(|| anyhow!("{TEST_DATABASE_URL_VAR} is not a URL: {admin_url}"))?;
    let root = match base[authority_start..].find('/') {
        Some(i) => &base[..authority_start + i],
        None => base,
    };
    Ok(match query {
        Some(query) => format!("{root}/{name}?{query}"),
        None => format!("{root}/{name}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_test_database_replaces_the_servers_database() -> anyhow::Result<()> {
        assert_eq!(
            database_url("postgres://postgres@127.0.0.1:5432/postgres", "kiro_test_1")?,
            "postgres://postgres@127.0.0.1:5432/kiro_test_1"
        );
        assert_eq!(
            database_url("postgres://u:p@h/db?sslmode=disable", "t")?,
            "postgres://u:p@h/t?sslmode=disable"
        );
        assert_eq!(database_url("postgres://h", "t")?, "postgres://h/t");
        assert!(database_url("nonsense", "t").is_err());
        Ok(())
    }
}

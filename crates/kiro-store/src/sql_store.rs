//! [`SqlStore`]: the pool, which backend it talks to, and getting there (connecting,
//! preparing SQLite's file and pragmas, running the backend's migrations).
//!
//! The aggregate modules implement kiro-core's store traits on this type; this module knows
//! nothing of any table.

use std::path::Path;
use std::sync::Arc;

use kiro_core::StoreError;
use sqlx::AnyPool;
use sqlx::any::AnyPoolOptions;
use sqlx::migrate::Migrator;
use tokio::sync::watch;

use crate::error::SqlxResultExt;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("migrations/postgres");

/// Set on every SQLite connection the pool opens.
const SQLITE_PRAGMAS: [&str; 4] = [
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = NORMAL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA busy_timeout = 5000",
];

/// The database behind a [`SqlStore`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The backend a database URL names, by its scheme.
    pub fn from_url(url: &str) -> Result<Backend, StoreError> {
        let scheme = url.split_once(':').map_or(url, |(scheme, _)| scheme);
        match scheme {
            "sqlite" => Ok(Backend::Sqlite),
            "postgres" | "postgresql" => Ok(Backend::Postgres),
            other => Err(StoreError::Backend(
                format!(
                    "unsupported database URL scheme `{other}`: expected `sqlite:` or `postgres:`"
                )
                .into(),
            )),
        }
    }

    /// `sqlite` or `postgres`.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }

    /// The migrations this build knows for the backend.
    pub fn migrator(self) -> &'static Migrator {
        match self {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        }
    }
}

/// The sqlx store: one pool on SQLite or PostgreSQL, implementing every store trait.
#[derive(Debug, Clone)]
pub struct SqlStore {
    pool: AnyPool,
    backend: Backend,
    /// The highest event id this process knows of; see [`crate::events`].
    head: Arc<watch::Sender<i64>>,
    /// `true` (or dropped with the last clone) stops the PostgreSQL event listener.
    stop: Arc<watch::Sender<bool>>,
}

impl SqlStore {
    /// Connects to `url` (`sqlite:…` or `postgres://…`) with at most `max_connections`
    /// connections, and applies the backend's pending migrations.
    ///
    /// A SQLite database file and its directory are created when missing, and every SQLite
    /// connection runs in WAL mode with foreign keys on.
    pub async fn connect(url: &str, max_connections: u32) -> Result<SqlStore, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url)?;
        let options = AnyPoolOptions::new().max_connections(max_connections.max(1));
        let pool = match backend {
            Backend::Sqlite => {
                let url = prepare_sqlite_url(url)?;
                options
                    .after_connect(|conn, _meta| {
                        Box::pin(async move {
                            for pragma in SQLITE_PRAGMAS {
                                sqlx::raw_sql(pragma).execute(&mut *conn).await?;
                            }
                            Ok(())
                        })
                    })
                    .connect(&url)
                    .await
            }
            Backend::Postgres => options.connect(url).await,
        }
        .store()?;
        backend
            .migrator()
            .run(&pool)
            .await
            .map_err(|e| StoreError::Backend(Box::new(e)))?;
        tracing::debug!(backend = backend.name(), "database connected and migrated");
        let current: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM events")
            .fetch_one(&pool)
            .await
            .store()?;
        let head = Arc::new(watch::channel(current).0);
        let (stop, stopped) = watch::channel(false);
        if backend == Backend::Postgres {
            tokio::spawn(crate::events::listen_for_commits(
                url.to_owned(),
                Arc::downgrade(&head),
                stopped,
            ));
        }
        Ok(SqlStore {
            pool,
            backend,
            head,
            stop: Arc::new(stop),
        })
    }

    /// Ends the PostgreSQL event listener (it also ends when the last clone is dropped).
    pub(crate) fn stop_listening(&self) {
        self.stop.send_replace(true);
    }

    /// Tells this process's watchers that event `id` is committed.
    pub(crate) fn announce(&self, id: i64) {
        crate::events::bump(&self.head, id);
    }

    pub(crate) fn head_sender(&self) -> &watch::Sender<i64> {
        &self.head
    }

    /// The connection pool.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Which database this store talks to.
    pub fn backend(&self) -> Backend {
        self.backend
    }
}

/// Makes sure a file-backed SQLite URL can be opened: creates the file's directory and asks
/// for the file to be created (`mode=rwc`) unless the URL already sets a mode. In-memory
/// URLs pass through unchanged.
fn prepare_sqlite_url(url: &str) -> Result<String, StoreError> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    let (path, params) = match rest.split_once('?') {
        Some((path, params)) => (path, Some(params)),
        None => (rest, None),
    };
    let has_param =
        |wanted: &dyn Fn(&str) -> bool| params.is_some_and(|params| params.split('&').any(wanted));
    if path.is_empty() || path == ":memory:" || has_param(&|kv| kv == "mode=memory") {
        return Ok(url.to_owned());
    }
    if let Some(dir) = Path::new(path).parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir).map_err(|e| {
            StoreError::Backend(
                format!(
                    "cannot create the database directory {}: {e}",
                    dir.display()
                )
                .into(),
            )
        })?;
    }
    Ok(match (params, has_param(&|kv| kv.starts_with("mode="))) {
        (_, true) => url.to_owned(),
        (Some(_), false) => format!("{url}&mode=rwc"),
        (None, false) => format!("{url}?mode=rwc"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backends_are_named_by_scheme() {
        assert_eq!(
            Backend::from_url("sqlite://data/kiro.db").ok(),
            Some(Backend::Sqlite)
        );
        assert_eq!(
            Backend::from_url("postgresql://h/db").ok(),
            Some(Backend::Postgres)
        );
        let message = Backend::from_url("mysql://h/db")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(message.contains("`mysql`"), "{message}");
    }

    #[test]
    fn sqlite_urls_ask_for_the_file_to_be_created() -> Result<(), StoreError> {
        let dir = std::env::temp_dir().join(format!("kiro-store-url-{}", uuid::Uuid::now_v7()));
        let file = dir.join("nested").join("kiro.db");
        let url = format!("sqlite://{}", file.display());
        assert_eq!(prepare_sqlite_url(&url)?, format!("{url}?mode=rwc"));
        assert!(file.parent().is_some_and(Path::exists));
        assert_eq!(
            prepare_sqlite_url(&format!("{url}?cache=shared"))?,
            format!("{url}?cache=shared&mode=rwc")
        );
        assert_eq!(
            prepare_sqlite_url(&format!("{url}?mode=ro"))?,
            format!("{url}?mode=ro")
        );
        assert_eq!(prepare_sqlite_url("sqlite::memory:")?, "sqlite::memory:");
        let _ = std::fs::remove_dir_all(dir);
        Ok(())
    }
}

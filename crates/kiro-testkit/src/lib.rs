//! Test support: [`spawn_server`] starts a real Kiro server in-process on `127.0.0.1:0` with a
//! fresh database (SQLite always; PostgreSQL when `KIRO_TEST_DATABASE_URL` is set) and an
//! admin account, and returns its base URL. The listener is bound before the server task
//! starts, so the server accepts connections the moment this returns: no sleeps.
//!
//! [`on_both_backends!`] turns async test cases into one test per backend.

#![allow(
    clippy::panic,
    reason = "test support reports setup failures by panicking"
)]

use std::net::SocketAddr;
use std::sync::Arc;

use kiro_core::ManualClock;
use kiro_core::auth::NewUser;
use kiro_server::config::Config;
use kiro_server::{AppState, startup};
use kiro_store::testing::TestDatabase;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// Which database a test server runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// An account's sign-in credentials.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub email: String,
    pub password: String,
}

/// A running server; stopped when dropped.
pub struct TestServer {
    /// `http://127.0.0.1:PORT`
    pub base_url: String,
    pub addr: SocketAddr,
    /// A server administrator created before start.
    pub admin: Credentials,
    /// The server's clock: advance it to expire tokens without waiting.
    pub clock: Arc<ManualClock>,
    pub backend: Backend,
    /// The server's state, for assertions on storage.
    pub state: AppState,
    config: Config,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
    _database: TestDatabase,
    _data_dir: tempfile::TempDir,
}

impl TestServer {
    /// The absolute URL of `path` (which starts with `/`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// Stops the server gracefully and waits for it.
    pub async fn stop(mut self) -> anyhow::Result<()> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            task.await??;
        }
        Ok(())
    }

    /// Stops serving, as [`Self::stop`] does, but keeps the database and the port: clients
    /// see connections refused until [`Self::resume`] brings the same server back.
    pub async fn halt(&mut self) -> anyhow::Result<()> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            task.await??;
        }
        // Background tasks may still hold the old state: release its connections now.
        self.state.store.close().await;
        Ok(())
    }

    /// Serves again on the same address and database after [`Self::halt`] (a restart: the
    /// state is rebuilt from storage, so tokens issued before stay valid).
    pub async fn resume(&mut self) -> anyhow::Result<()> {
        anyhow::ensure!(self.task.is_none(), "the server is still running");
        let app = startup::build(self.config.clone(), self.clock.clone()).await?;
        self.state = app.state.clone();
        let listener = tokio::net::TcpListener::bind(self.addr).await?;
        let (tx, rx) = oneshot::channel::<()>();
        self.task = Some(tokio::spawn(startup::serve(listener, app, async move {
            let _ = rx.await;
        })));
        self.shutdown = Some(tx);
        Ok(())
    }

    /// Whether the server is serving (not halted).
    pub fn is_running(&self) -> bool {
        self.task.is_some()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// A configuration suited to tests: generous token rate limits, a data dir of its own.
pub fn test_config(data_dir: &std::path::Path, database_url: &str) -> Config {
    let mut config = Config::default();
    config.server.listen = "127.0.0.1:0".into();
    config.server.data_dir = data_dir.display().to_string();
    config.server.shutdown_grace_secs = 5;
    config.database.url = database_url.to_owned();
    config.database.max_connections = 5;
    config.auth.token_rate_per_ip_per_minute = 100_000;
    config.auth.token_rate_per_account_per_minute = 100_000;
    config
}

/// A server on SQLite.
pub async fn spawn_server() -> anyhow::Result<TestServer> {
    spawn_server_with(Backend::Sqlite, |_| {})
        .await?
        .ok_or_else(|| anyhow::anyhow!("SQLite is always available"))
}

/// A server on `backend`; `None` for PostgreSQL when `KIRO_TEST_DATABASE_URL` is unset.
pub async fn spawn_server_on(backend: Backend) -> anyhow::Result<Option<TestServer>> {
    spawn_server_with(backend, |_| {}).await
}

/// A server on `backend` with the test configuration adjusted by `configure`.
pub async fn spawn_server_with(
    backend: Backend,
    configure: impl FnOnce(&mut Config),
) -> anyhow::Result<Option<TestServer>> {
    let database = match backend {
        Backend::Sqlite => TestDatabase::sqlite()?,
        Backend::Postgres => match TestDatabase::postgres()? {
            Some(db) => db,
            None => return Ok(None),
        },
    };
    let data_dir = tempfile::tempdir()?;
    let mut config = test_config(data_dir.path(), database.url());
    configure(&mut config);
    let clock = Arc::new(ManualClock::new());
    let app = startup::build(config.clone(), clock.clone()).await?;
    let state = app.state.clone();
    let admin = Credentials {
        email: "admin@kiro.test".into(),
        password: format!("admin-{}", uuid::Uuid::now_v7().simple()),
    };
    state
        .auth
        .create_user(
            NewUser {
                email: admin.email.clone(),
                password: admin.password.clone(),
                name: "Admin".into(),
            },
            true,
        )
        .await
        .map_err(|e| anyhow::anyhow!("cannot create the admin: {e}"))?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let (tx, rx) = oneshot::channel::<()>();
    let task = tokio::spawn(startup::serve(listener, app, async move {
        let _ = rx.await;
    }));
    Ok(Some(TestServer {
        base_url: format!("http://{addr}"),
        addr,
        admin,
        clock,
        backend,
        state,
        config,
        shutdown: Some(tx),
        task: Some(task),
        _database: database,
        _data_dir: data_dir,
    }))
}

/// Runs one test case on a fresh server of `backend`, skipping (with a note) PostgreSQL when
/// it is not configured.
pub async fn run_case<F, Fut>(backend: Backend, case: F)
where
    F: FnOnce(TestServer) -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<()>>,
{
    match spawn_server_on(backend).await {
        Ok(Some(server)) => {
            if let Err(e) = case(server).await {
                panic!("{backend:?}: {e:#}");
            }
        }
        Ok(None) => eprintln!("skipped on PostgreSQL: KIRO_TEST_DATABASE_URL is not set"),
        Err(e) => panic!("cannot start a {backend:?} test server: {e:#}"),
    }
}

/// Declares one `#[tokio::test]` per case and backend: `sqlite::case` and `postgres::case`.
/// Each case is `async fn case(server: TestServer) -> anyhow::Result<()>` in the calling
/// module.
#[macro_export]
macro_rules! on_both_backends {
    ($($case:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    $crate::run_case($crate::Backend::Sqlite, super::$case).await;
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    $crate::run_case($crate::Backend::Postgres, super::$case).await;
                }
            )+
        }
    };
}

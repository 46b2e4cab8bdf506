//! The Kiro server that `conceptpulse up` runs in-process: built from the same
//! configuration as `kiro-server serve` (SQLite in the data directory by default), served on
//! its own listener so the web UI reaches it through kiro-sdk like any remote server, and
//! able to stop and start its API on the same address (what the browser tests use to watch
//! the connection badge change). On first run it creates an administrator and hands the
//! generated password back once.

use std::net::SocketAddr;
use std::sync::Arc;

use kiro_core::auth::NewUser;
use kiro_core::{StoreError, SystemClock};
use kiro_server::config::Config;
use kiro_server::{AppState, startup};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// The administrator created on first run.
pub const ADMIN_EMAIL: &str = "admin@conceptpulse.local";

/// The first-run administrator's sign-in, shown once.
#[derive(Debug, Clone)]
pub struct FirstRunAdmin {
    pub email: String,
    pub password: String,
}

/// A Kiro server running inside this process.
pub struct EmbeddedServer {
    config: Config,
    addr: SocketAddr,
    state: AppState,
    running: Option<Running>,
}

struct Running {
    stop: oneshot::Sender<()>,
    task: JoinHandle<std::io::Result<()>>,
}

impl EmbeddedServer {
    /// Builds the server from `config` (running migrations), binds `config.server.listen`
    /// and starts serving. Also returns the first-run administrator when one was created.
    pub async fn start(config: Config) -> anyhow::Result<(Self, Option<FirstRunAdmin>)> {
        let listener = tokio::net::TcpListener::bind(config.listen_addr())
            .await
            .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", config.listen_addr()))?;
        let addr = listener.local_addr()?;
        let app = startup::build(config.clone(), Arc::new(SystemClock)).await?;
        let admin = ensure_admin(&app.state).await?;
        let state = app.state.clone();
        let mut server = Self {
            config,
            addr,
            state,
            running: None,
        };
        server.running = Some(spawn(listener, app));
        Ok((server, admin))
    }

    /// `http://host:port` of the API.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Whether the API is serving.
    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }

    /// The server's state (storage, services), for in-process callers.
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Stops the API gracefully (in-flight requests finish); the address stays reserved for
    /// [`Self::resume`].
    pub async fn halt(&mut self) -> anyhow::Result<()> {
        if let Some(running) = self.running.take() {
            let _ = running.stop.send(());
            running.task.await??;
            // Background tasks may still hold the old state: release its connections now.
            self.state.store.close().await;
        }
        Ok(())
    }

    /// Serves again on the same address after [`Self::halt`]; the state is rebuilt from
    /// storage, so sessions and tokens issued before remain valid.
    pub async fn resume(&mut self) -> anyhow::Result<()> {
        if self.running.is_some() {
            return Ok(());
        }
        let app = startup::build(self.config.clone(), Arc::new(SystemClock)).await?;
        let listener = tokio::net::TcpListener::bind(self.addr).await?;
        self.state = app.state.clone();
        self.running = Some(spawn(listener, app));
        Ok(())
    }

    /// Stops the API and waits for it.
    pub async fn shutdown(mut self) -> anyhow::Result<()> {
        self.halt().await
    }
}

fn spawn(listener: tokio::net::TcpListener, app: startup::App) -> Running {
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(startup::serve(listener, app, async move {
        let _ = stopped.await;
    }));
    Running { stop, task }
}

/// Creates the administrator unless the account exists: the first run's, returned once.
async fn ensure_admin(state: &AppState) -> anyhow::Result<Option<FirstRunAdmin>> {
    match state.store.get_user_by_email(ADMIN_EMAIL).await {
        Ok(_) => return Ok(None),
        Err(StoreError::NotFound) => {}
        Err(e) => return Err(anyhow::anyhow!("cannot look up the administrator: {e}")),
    }
    let password = kiro_core::secret::generate("");
    state
        .auth
        .create_user(
            NewUser {
                email: ADMIN_EMAIL.to_owned(),
                password: password.clone(),
                name: "Administrator".to_owned(),
            },
            true,
        )
        .await
        .map_err(|e| anyhow::anyhow!("cannot create the administrator: {e}"))?;
    Ok(Some(FirstRunAdmin {
        email: ADMIN_EMAIL.to_owned(),
        password,
    }))
}

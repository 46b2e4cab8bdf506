//! The web UI: an axum router of server-rendered pages (askama templates), the session
//! cookie, the two static assets, and the Server-Sent Events stream that carries live
//! updates from kiro-sdk to the browser. Every page talks to Kiro through kiro-sdk only.

mod account;
mod assets;
mod execute;
pub mod learn;
mod live;
mod pages;
pub mod plan;
mod render;
pub mod session;
pub mod sync;
mod view;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::routing::{get, post};
use kiro_sdk::{ClientConfig, HealthMonitor, KiroClient, KiroError};

use self::session::SessionStore;

/// How often the UI's own client checks the server's health.
pub const HEALTH_INTERVAL: Duration = Duration::from_secs(1);

/// What every handler shares.
#[derive(Clone)]
pub struct WebState {
    /// The configuration each session's client starts from (server URL, timeouts).
    pub client_config: ClientConfig,
    /// A client that is never signed in: discovery, the health monitor behind the
    /// connection badge and the service table.
    pub system: KiroClient,
    pub sessions: SessionStore,
    /// Where sessions keep their offline queues.
    queue_dir: PathBuf,
    _monitor: Arc<HealthMonitor>,
}

impl WebState {
    /// The state for a UI talking to the Kiro server of `client_config`, keeping offline
    /// queues in `queue_dir`. Starts the health monitor (one poll done before returning, so
    /// the first page already knows how Kiro is).
    pub async fn new(client_config: ClientConfig, queue_dir: PathBuf) -> Result<Self, KiroError> {
        let system = KiroClient::new(client_config.clone())?;
        // An unreachable server is a state to show, not a reason to refuse to start.
        let _ = system.poll_health().await;
        let monitor = system.start_health_monitor(HEALTH_INTERVAL);
        std::fs::create_dir_all(&queue_dir)
            .map_err(|e| KiroError::Offline(format!("{}: {e}", queue_dir.display())))?;
        Ok(Self {
            client_config,
            system,
            sessions: SessionStore::default(),
            queue_dir,
            _monitor: Arc::new(monitor),
        })
    }

    /// A new offline-queue file for one session.
    pub fn queue_file(&self) -> PathBuf {
        self.queue_dir
            .join(format!("session-{}.db", kiro_core::secret::generate_id("")))
    }

    /// A fresh client for one browser session.
    pub fn session_client(&self) -> Result<KiroClient, KiroError> {
        KiroClient::new(self.client_config.clone())
    }
}

/// The web UI's routes.
pub fn router(state: WebState) -> Router {
    Router::new()
        .route("/", get(pages::home))
        .route("/signin", get(account::signin_page).post(account::signin))
        .route("/signup", get(account::signup_page).post(account::signup))
        .route("/signout", post(account::signout))
        .route(
            "/onboarding",
            get(pages::onboarding_page).post(pages::onboarding),
        )
        .route("/dashboard", get(pages::dashboard))
        .route("/kiro", get(pages::kiro))
        .route("/live", get(live::stream))
        .route("/healthz", get(|| async { "ok" }))
        .route("/assets/app.css", get(assets::css))
        .route("/assets/live.js", get(assets::js))
        .route("/assets/plan.js", get(assets::plan_js))
        .merge(learn::routes())
        .merge(execute::routes())
        .merge(plan::routes())
        .fallback(pages::not_found)
        .with_state(state)
}

/// Serves the UI on `listener` until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: WebState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}

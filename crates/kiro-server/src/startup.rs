//! Building the application from configuration and serving it on a listener until a shutdown
//! signal, letting in-flight requests finish within the configured grace period, then
//! stopping the execution workers.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use kiro_core::Clock;
use tokio::net::TcpListener;

use crate::config::Config;
use crate::idempotency::{Sweeper, spawn_sweeper};
use crate::state::AppState;

/// State and router, ready to serve, and the background tasks that live as long as it.
pub struct App {
    pub state: AppState,
    pub router: Router,
    _sweeper: Sweeper,
}

/// Connects storage (running migrations), builds the router and starts the sweep of expired
/// idempotency keys (stopped when the `App` is dropped).
pub async fn build(config: Config, clock: Arc<dyn Clock>) -> anyhow::Result<App> {
    crate::metrics::handle();
    let state = AppState::build(config, clock).await?;
    let router = crate::routes::router(state.clone());
    let sweeper = spawn_sweeper(state.idempotency.clone());
    Ok(App {
        state,
        router,
        _sweeper: sweeper,
    })
}

/// Serves until `shutdown` completes, then stops accepting connections, closes open event
/// streams and waits up to `server.shutdown_grace_secs` for in-flight requests.
pub async fn serve(
    listener: TcpListener,
    app: App,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let grace = Duration::from_secs(app.state.config.server.shutdown_grace_secs);
    let (signalled_tx, signalled_rx) = tokio::sync::oneshot::channel::<()>();
    let state = app.state.clone();
    let app_state = app.state.clone();
    let service = app
        .router
        .into_make_service_with_connect_info::<SocketAddr>();
    let server = axum::serve(listener, service).with_graceful_shutdown(async move {
        shutdown.await;
        tracing::info!("shutting down: finishing in-flight requests");
        // WebSockets are upgraded out of the server's tracking: tell them to close.
        state.hub.close();
        let _ = signalled_tx.send(());
    });
    let deadline = async move {
        if signalled_rx.await.is_ok() {
            tokio::time::sleep(grace).await;
        } else {
            std::future::pending::<()>().await;
        }
    };
    let served = tokio::select! {
        result = server => result,
        () = deadline => {
            tracing::warn!(grace_secs = grace.as_secs(), "grace period over; dropping open connections");
            Ok(())
        }
    };
    // Running jobs are stopped and recorded (requeued or failed) before the process ends.
    app_state.execution.shutdown().await;
    served
}

/// Completes on SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    let interrupt = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for SIGINT");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
}

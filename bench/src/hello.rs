//! The baseline: a bare axum 0.8 hello-world on a multi-threaded tokio runtime.
//!
//! Run as the hidden `kiro-bench hello --listen ADDR` subcommand in its own
//! process, so it is measured exactly like kiro-server. Once it accepts
//! connections it prints [`READY_PREFIX`] followed by its base URL.

use std::net::SocketAddr;

use anyhow::Context;
use axum::{Router, routing::get};

/// Start of the line printed to stdout once the server is accepting.
pub const READY_PREFIX: &str = "kiro-bench hello listening on ";

/// Serves `GET /` → `Hello, world!` until the process is terminated.
pub async fn serve(listen: SocketAddr) -> anyhow::Result<()> {
    let app = Router::new().route("/", get(|| async { "Hello, world!" }));
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("binding {listen}"))?;
    let addr = listener.local_addr().context("reading the bound address")?;
    println!("{READY_PREFIX}http://{addr}");
    axum::serve(listener, app).await.context("serving")
}

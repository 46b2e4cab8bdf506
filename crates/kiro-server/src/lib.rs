//! The Kiro server: configuration, startup, the `/v1` HTTP API, metrics and graceful
//! shutdown. Handlers extract and authorise, call one kiro-core service method, and map the
//! result to a kiro-types DTO; no SQL and no business rules live here.
//!
//! Embed it with [`startup::build`] + [`startup::serve`] (as kiro-testkit and `conceptpulse up`
//! do) or run the `kiro-server` binary.

pub mod assessment;
pub mod cli;
pub mod concurrency;
pub mod config;
pub mod context;
pub mod error;
pub mod events;
pub mod execution;
pub mod extract;
pub mod idempotency;
pub mod metrics;
pub mod planning;
pub mod ratelimit;
pub mod routes;
pub mod services;
pub mod startup;
pub mod state;
pub mod telemetry;

mod openapi;

pub use config::Config;
pub use state::AppState;

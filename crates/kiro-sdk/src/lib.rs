//! The Rust client of the Kiro server (DESIGN.md §7).
//!
//! [`KiroClient::connect`] discovers the services and checks API compatibility; the client
//! then signs in through its auth bridge ([`Credentials`]: password grant or API key), keeps
//! the access token fresh with a single-flight refresh, and sends every call through one
//! request path that adds the bearer token, an `Idempotency-Key` on each `POST`, and retries
//! retryable failures with exponential backoff, full jitter, `Retry-After` and a per-client
//! retry budget. Failures are one [`KiroError`] mirroring the wire error.
//!
//! The live half: every attempt feeds the [`ConnectionStatus`] and the per-service health
//! book ([`HealthReport`], polled by a [`HealthMonitor`]); `get` reads through an `ETag` cache
//! that serves stale answers while the server is unreachable; `batch`, `paginate`,
//! `subscribe` (one shared WebSocket with resume), typed [`ServiceHandle`]s and `reconfigure`.
//! This crate talks HTTP and WebSocket only: it must never import the server, the store or
//! kiro-core.

mod assessment;
mod auth;
mod batch;
mod cache;
mod call;
mod client;
mod config;
mod error;
mod execution;
mod execution_catalog;
mod execution_containers;
mod execution_jobs;
pub mod health;
mod monitor;
mod offline;
mod paginate;
mod planning;
mod profiles;
mod reads;
mod retry;
mod services;
mod status;
mod store;
mod sync;
mod topics;
mod transport;

pub use assessment::{AssessmentClient, UploadOptions};
pub use auth::Credentials;
pub use cache::{CacheStats, Fetched, Source};
pub use call::{Call, FormPart, RawBody, Reply};
pub use client::KiroClient;
pub use config::{ClientConfig, RetryPolicy};
pub use error::{ApiError, KiroError};
pub use execution::ExecutionClient;
pub use execution_jobs::JobFilters;
pub use health::{Availability, HealthReport, ServiceHealthReport};
pub use kiro_types;
pub use monitor::HealthMonitor;
pub use offline::{
    Conflict, ConflictPolicy, ConflictReport, FailedMutation, MergeFn, OfflineQueue, Outcome,
    Pending, ReplayReport, Replayed, Resolution, Submitted,
};
pub use planning::{PlanningClient, ProjectQuery, ReportFormat, TaskQuery};
pub use profiles::{Applied, ConfigError, ConfigManager, Following, KEYS as CONFIG_KEYS, Problem};
pub use reqwest::Method;
pub use services::ServiceHandle;
pub use status::ConnectionStatus;
pub use store::{StoredTokens, TokenStore};
pub use sync::EventStream;
pub use topics::topic_matches;

/// The OAuth2 client id of first-party clients.
pub const CLIENT_ID: &str = "conceptpulse";

//! The Rust client of the Kiro server (DESIGN.md §7).
//!
//! [`KiroClient::connect`] discovers the services and checks API compatibility; the client
//! then signs in through its auth bridge ([`Credentials`]: password grant or API key), keeps
//! the access token fresh with a single-flight refresh, and sends every call through one
//! request path that adds the bearer token, an `Idempotency-Key` on each `POST`, and retries
//! retryable failures with exponential backoff, full jitter, `Retry-After` and a per-client
//! retry budget. Failures are one [`KiroError`] mirroring the wire error. This crate talks
//! HTTP only: it must never import the server, the store or kiro-core.

mod auth;
mod call;
mod client;
mod config;
mod error;
mod offline;
mod profiles;
mod retry;
mod store;

pub use auth::Credentials;
pub use call::{Call, Reply};
pub use client::KiroClient;
pub use config::{ClientConfig, RetryPolicy};
pub use error::{ApiError, KiroError};
pub use kiro_types;
pub use offline::{
    Conflict, ConflictPolicy, ConflictReport, FailedMutation, MergeFn, OfflineQueue, Outcome,
    Pending, ReplayReport, Replayed, Resolution, Submitted,
};
pub use profiles::{ConfigError, ConfigManager, KEYS as CONFIG_KEYS, Problem};
pub use reqwest::Method;
pub use store::{StoredTokens, TokenStore};

/// The OAuth2 client id of first-party clients.
pub const CLIENT_ID: &str = "conceptpulse";

//! The kiro-server integration tests: a real server per test (kiro-testkit, port 0, fresh
//! database), driven over HTTP on SQLite and, when `KIRO_TEST_DATABASE_URL` is set, on
//! PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod api_keys;
mod auth;
mod batch;
mod clients;
mod discovery;
mod errors;
mod events;
mod helpers;
mod idempotency;
mod oauth2_client;
mod openapi;
mod pagination;
mod process;
mod properties;
mod sync_property;
mod workspaces;
mod ws;

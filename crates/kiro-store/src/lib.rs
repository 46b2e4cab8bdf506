//! kiro-store owns Kiro's persistence: the sqlx implementation of kiro-core's store traits
//! ([`kiro_core::store`]) on SQLite and PostgreSQL through sqlx's Any driver, and the
//! migrations of both backends (`migrations/{sqlite,postgres}`).
//!
//! [`SqlStore`] is the one type services see, as `Arc<dyn kiro_core::Store>`. Each aggregate
//! has its own module holding its SQL, its row structs and the conversion to kiro-core's
//! records; where the two backends need different SQL, both versions sit side by side there.
//! Ids are TEXT (UUIDv7 strings), times BIGINT unix milliseconds, flags 0/1 integers. This
//! crate knows no HTTP and no business rule beyond what a single guarded write enforces.
//! With the `testing` feature, [`testing::TestDatabase`] gives tests fresh databases.

#![forbid(unsafe_code)]

mod api_keys;
mod assessment;
mod clients;
mod convert;
mod error;
pub mod events;
mod execution;
mod health;
mod idempotency;
mod page;
mod planning;
mod secrets;
mod sessions;
mod sql_store;
mod users;
mod workspaces;

#[cfg(feature = "testing")]
pub mod testing;

pub use error::map_sqlx_error;
pub use sql_store::{Backend, SqlStore};

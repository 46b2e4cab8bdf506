//! Kiro's domain rules: authentication, tenancy and (as their issues land) the six services.
//!
//! Services here take parsed inputs, apply the rules and talk to storage only through the
//! store traits of [`store`] and to the outside only through ports such as [`clock::Clock`].
//! This crate must not import axum, sqlx or any HTTP type: the server maps its errors to the
//! wire, and kiro-store implements its traits.

pub mod assessment;
pub mod auth;
pub mod clock;
pub mod events;
pub mod execution;
pub mod idempotency;
pub mod llm;
pub mod model;
pub mod page;
pub mod planning;
pub mod principal;
pub mod secret;
pub mod store;
pub mod tenancy;

pub use clock::{Clock, ManualClock, SystemClock};
pub use page::{PageRequest, Paged, SortKey};
pub use store::{Store, StoreError};

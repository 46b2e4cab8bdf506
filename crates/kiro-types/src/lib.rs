//! The Kiro wire contract: what crosses the network between kiro-server and its clients.
//!
//! Request and response DTOs (`FooIn`, `FooOut`, `FooPatch`), id newtypes, the one table of
//! error codes with their HTTP status, type and retryability, and the error envelope. This crate
//! depends on serde only (plus utoipa behind the `schema` feature, for the OpenAPI document);
//! it must never import the server, the store or any runtime.

pub mod assessment;
pub mod auth;
pub mod batch;
pub mod discovery;
pub mod error;
pub mod events;
pub mod execution;
pub mod ids;
pub mod page;
pub mod planning;
pub mod topics;
pub mod workspace;

pub use error::{ErrorBody, ErrorCode, ErrorEnvelope, ErrorType, FieldError};
pub use ids::{ApiKeyId, SessionId, UserId, WorkspaceId};
pub use page::{DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT, Page, PageParams};

/// The API version this crate describes, reported by discovery and checked by clients.
pub const API_VERSION: &str = "1.0";

//! `ValidQuery<T>`: query-string parameters (list filters), rejected with
//! `request.invalid_query` naming what did not parse. Paging parameters have their own
//! extractor, `PageQuery`.

use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use kiro_types::ErrorCode;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// Parsed query parameters. Parameters `T` does not name are ignored, so filters and
/// paging parameters share one query string.
#[derive(Debug, Clone)]
pub struct ValidQuery<T>(pub T);

impl<T, S> FromRequestParts<S> for ValidQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        match Query::<T>::try_from_uri(&parts.uri) {
            Ok(Query(value)) => Ok(ValidQuery(value)),
            Err(e) => Err(ApiError::new(
                ErrorCode::RequestInvalidQuery,
                format!("a query parameter is malformed: {}", e.body_text()),
            )),
        }
    }
}

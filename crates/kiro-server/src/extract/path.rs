//! `IdPath<T>`: path parameters that reject malformed ids with a 400 naming the expected form.

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use kiro_types::{ErrorCode, FieldError};
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// Parsed path parameters.
#[derive(Debug, Clone)]
pub struct IdPath<T>(pub T);

impl<T, S> FromRequestParts<S> for IdPath<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(IdPath(value)),
            Err(e) => Err(ApiError::new(
                ErrorCode::RequestInvalidPath,
                "a path parameter is malformed: ids are UUIDs like 0190a5c2-7b1e-7c3d-9f00-1a2b3c4d5e6f",
            )
            .with_details(serde_json::json!({
                "fields": [FieldError { field: "path".into(), message: e.body_text() }]
            }))),
        }
    }
}

//! `ValidJson<T>`: a JSON body that is checked for content type, size, syntax, shape (with
//! the path of the offending field) and then the DTO's garde rules.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, Request};
use axum::http::header;
use garde::Validate;
use kiro_types::{ErrorCode, FieldError};
use serde::de::DeserializeOwned;

use super::camel_case;
use crate::error::ApiError;

/// A deserialised and validated JSON body.
#[derive(Debug, Clone)]
pub struct ValidJson<T>(pub T);

impl<T, S> FromRequest<S> for ValidJson<T>
where
    T: DeserializeOwned + Validate,
    T::Context: Default,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(|mime| {
                let mime = mime.trim().to_ascii_lowercase();
                mime == "application/json" || mime.ends_with("+json")
            })
            .unwrap_or(false);
        if !is_json {
            return Err(ApiError::new(
                ErrorCode::RequestUnsupportedMediaType,
                "send the body as JSON with `Content-Type: application/json`",
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(body_error)?;
        let value = parse::<T>(&bytes)?;
        value.validate().map_err(|report| {
            ApiError::validation(
                report
                    .iter()
                    .map(|(path, error)| FieldError {
                        field: field_name(&path.to_string()),
                        message: error.message().to_string(),
                    })
                    .collect(),
            )
        })?;
        Ok(ValidJson(value))
    }
}

/// Maps a failure to read the body.
pub(super) fn body_error(rejection: BytesRejection) -> ApiError {
    if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::new(
            ErrorCode::RequestPayloadTooLarge,
            "the request body is larger than this route accepts",
        )
    } else {
        ApiError::new(
            ErrorCode::RequestInvalidJson,
            format!(
                "the request body could not be read: {}",
                rejection.body_text()
            ),
        )
    }
}

fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let syntax = |e: serde_json::Error| {
        ApiError::new(
            ErrorCode::RequestInvalidJson,
            format!("the body is not valid JSON: {e}"),
        )
    };
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize::<_, T>(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        match inner.classify() {
            serde_json::error::Category::Data => ApiError::validation(vec![FieldError {
                field: if path == "." {
                    "body".into()
                } else {
                    field_name(&path)
                },
                message: strip_position(&inner.to_string()),
            }]),
            _ => syntax(inner),
        }
    })?;
    de.end().map_err(syntax)?;
    Ok(value)
}

fn field_name(path: &str) -> String {
    path.split('.')
        .map(camel_case)
        .collect::<Vec<_>>()
        .join(".")
}

fn strip_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

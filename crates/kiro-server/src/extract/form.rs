//! `OAuthForm<T>`: an `application/x-www-form-urlencoded` body for the OAuth2 endpoints,
//! rejected as RFC 6749 `invalid_request` when it is not one.

use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{FromRequest, Request};
use kiro_core::auth::AuthError;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// A parsed form body.
#[derive(Debug, Clone)]
pub struct OAuthForm<T>(pub T);

impl<T, S> FromRequest<S> for OAuthForm<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Form::<T>::from_request(req, state).await {
            Ok(Form(value)) => Ok(OAuthForm(value)),
            Err(FormRejection::BytesRejection(e)) => Err(super::json::body_error(e)),
            Err(FormRejection::InvalidFormContentType(_)) => Err(AuthError::InvalidRequest(
                "send the parameters as application/x-www-form-urlencoded".into(),
            )
            .into()),
            Err(e) => Err(AuthError::InvalidRequest(format!(
                "the form body is malformed: {}",
                e.body_text()
            ))
            .into()),
        }
    }
}

//! `ApiError`: the one error every handler returns. It carries a stable code from the table
//! in kiro-types and renders the wire error of DESIGN.md §3. The body is written by the
//! request-context middleware (it knows the request id); 5xx causes are logged there, never
//! sent.

use std::sync::Arc;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kiro_core::StoreError;
use kiro_core::auth::AuthError;
use kiro_core::tenancy::TenancyError;
use kiro_types::{ErrorCode, FieldError};
use serde_json::{Value, json};

/// An error answered to the client (boxed: it travels in every handler's `Result`).
#[derive(Debug, Clone)]
pub struct ApiError(Box<ApiErrorParts>);

/// The parts of an [`ApiError`], reached through `Deref`.
#[derive(Debug, Clone)]
pub struct ApiErrorParts {
    pub code: ErrorCode,
    pub message: String,
    pub details: Option<Value>,
    /// The internal cause: logged with the request id, never sent.
    pub cause: Option<String>,
    /// Seconds, for 429 and 503.
    pub retry_after: Option<u64>,
    /// The RFC 6749 error name, on token-endpoint failures: the body then takes that form.
    pub oauth: Option<&'static str>,
    pub www_authenticate: Option<&'static str>,
}

/// Marks a response as an error whose body the middleware must write.
#[derive(Debug, Clone)]
pub struct ErrorReport(pub Arc<ApiError>);

impl std::ops::Deref for ApiError {
    type Target = ApiErrorParts;
    fn deref(&self) -> &ApiErrorParts {
        &self.0
    }
}

impl std::ops::DerefMut for ApiError {
    fn deref_mut(&mut self) -> &mut ApiErrorParts {
        &mut self.0
    }
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self(Box::new(ApiErrorParts {
            code,
            message: message.into(),
            details: None,
            cause: None,
            retry_after: None,
            oauth: None,
            www_authenticate: None,
        }))
    }

    pub fn with_details(mut self, details: Value) -> Self {
        self.details = Some(details);
        self
    }

    pub fn with_retry_after(mut self, seconds: u64) -> Self {
        self.retry_after = Some(seconds);
        self
    }

    /// A 422 listing every invalid field.
    pub fn validation(fields: Vec<FieldError>) -> Self {
        let summary = fields
            .iter()
            .map(|f| format!("{}: {}", f.field, f.message))
            .collect::<Vec<_>>()
            .join("; ");
        Self::new(
            ErrorCode::ValidationFailed,
            format!("the request is invalid: {summary}"),
        )
        .with_details(json!({ "fields": fields }))
    }

    /// A 500 whose cause is logged, not sent.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        let mut e = Self::new(
            ErrorCode::ServerInternal,
            "the server hit an internal error; it is logged under this request id",
        );
        e.cause = Some(cause.to_string());
        e
    }

    /// The wire body of this error, under the given request id.
    pub fn to_body(&self, request_id: &str) -> kiro_types::ErrorBody {
        kiro_types::ErrorBody {
            error_type: self.code.error_type(),
            code: self.code.as_str().to_owned(),
            message: self.public_message().to_owned(),
            details: self.details.clone(),
            timestamp: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            request_id: request_id.to_owned(),
            service: self.code.service().map(str::to_owned),
            retryable: self.code.retryable(),
        }
    }

    /// The message sent on the wire (generic for 5xx).
    pub fn public_message(&self) -> &str {
        &self.message
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = status.into_response();
        let headers = response.headers_mut();
        if let Some(seconds) = self.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        if let Some(challenge) = self.www_authenticate {
            headers.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static(challenge),
            );
        }
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        response
            .extensions_mut()
            .insert(ErrorReport(Arc::new(self)));
        response
    }
}

fn from_store(e: StoreError) -> ApiError {
    match e {
        StoreError::NotFound => ApiError::new(ErrorCode::ResourceNotFound, "no such resource"),
        StoreError::Stale => ApiError::new(
            ErrorCode::ResourceConflict,
            "the resource changed since you read it; fetch it again and retry",
        ),
        StoreError::Conflict { constraint } => ApiError::new(
            ErrorCode::ResourceConflict,
            "the change conflicts with existing data",
        )
        .with_details(json!({ "constraint": constraint })),
        e @ StoreError::Backend(_) => ApiError::internal(e),
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        from_store(e)
    }
}

impl From<AuthError> for ApiError {
    fn from(e: AuthError) -> Self {
        let oauth = e.oauth_error();
        let mut api = match e {
            AuthError::Store(store) => return from_store(store),
            AuthError::Invalid(ref message) => ApiError::validation(vec![FieldError {
                field: "body".into(),
                message: message.clone(),
            }]),
            ref other => ApiError::new(other.code(), other.to_string()),
        };
        api.oauth = oauth;
        if api.code.status() == 401 && oauth.is_none() {
            api.www_authenticate = Some(match api.code {
                ErrorCode::AuthMissingCredentials => "Bearer realm=\"kiro\"",
                _ => "Bearer realm=\"kiro\", error=\"invalid_token\"",
            });
        }
        api
    }
}

impl From<TenancyError> for ApiError {
    fn from(e: TenancyError) -> Self {
        match e {
            TenancyError::Store(store) => from_store(store),
            TenancyError::WorkspaceRequired { count } => ApiError::new(e.code(), e.to_string())
                .with_details(json!({ "workspaceCount": count, "header": "X-Kiro-Workspace" })),
            TenancyError::Invalid(ref message) => ApiError::validation(vec![FieldError {
                field: "body".into(),
                message: message.clone(),
            }]),
            other => ApiError::new(other.code(), other.to_string()),
        }
    }
}

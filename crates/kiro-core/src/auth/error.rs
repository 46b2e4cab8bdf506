//! Everything authentication can refuse, each mapped to its stable wire code.

use kiro_types::ErrorCode;

use crate::store::StoreError;

/// An authentication or credential-management failure.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("registration is closed on this server; ask an administrator for an account")]
    RegistrationClosed,
    #[error("an account with this email already exists; sign in instead")]
    EmailTaken,
    /// RFC 6749 `invalid_request`.
    #[error("{0}")]
    InvalidRequest(String),
    /// RFC 6749 `invalid_client`.
    #[error("{0}")]
    InvalidClient(String),
    /// RFC 6749 `invalid_grant`.
    #[error("{0}")]
    InvalidGrant(String),
    /// RFC 6749 `unauthorized_client`.
    #[error("{0}")]
    UnauthorizedClient(String),
    /// RFC 6749 `unsupported_grant_type`.
    #[error("{0}")]
    UnsupportedGrantType(String),
    #[error("this request needs credentials: send `Authorization: Bearer <token>` or `X-API-Key`")]
    MissingCredentials,
    #[error("the access token is invalid; sign in again")]
    InvalidToken,
    #[error("the access token has expired; refresh it with the refresh_token grant")]
    TokenExpired,
    #[error("this session was signed out; sign in again")]
    SessionRevoked,
    #[error("the API key is invalid, expired or revoked")]
    InvalidApiKey,
    #[error("no API key with this id in this workspace")]
    ApiKeyNotFound,
    #[error("no OAuth client with this id in this workspace")]
    ClientNotFound,
    #[error("{0}")]
    PermissionDenied(String),
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl AuthError {
    /// The stable code answered on the wire.
    pub fn code(&self) -> ErrorCode {
        match self {
            AuthError::RegistrationClosed => ErrorCode::AuthRegistrationClosed,
            AuthError::EmailTaken => ErrorCode::AuthEmailTaken,
            AuthError::InvalidRequest(_) => ErrorCode::OauthInvalidRequest,
            AuthError::InvalidClient(_) => ErrorCode::OauthInvalidClient,
            AuthError::InvalidGrant(_) => ErrorCode::OauthInvalidGrant,
            AuthError::UnauthorizedClient(_) => ErrorCode::OauthUnauthorizedClient,
            AuthError::UnsupportedGrantType(_) => ErrorCode::OauthUnsupportedGrantType,
            AuthError::MissingCredentials => ErrorCode::AuthMissingCredentials,
            AuthError::InvalidToken => ErrorCode::AuthInvalidToken,
            AuthError::TokenExpired => ErrorCode::AuthTokenExpired,
            AuthError::SessionRevoked => ErrorCode::AuthSessionRevoked,
            AuthError::InvalidApiKey => ErrorCode::AuthInvalidApiKey,
            AuthError::ApiKeyNotFound => ErrorCode::ApiKeyNotFound,
            AuthError::ClientNotFound => ErrorCode::ClientNotFound,
            AuthError::PermissionDenied(_) => ErrorCode::PermissionDenied,
            AuthError::Invalid(_) => ErrorCode::ValidationFailed,
            AuthError::Store(_) => ErrorCode::ServerInternal,
        }
    }

    /// The RFC 6749 §5.2 error name, for failures of the token endpoint.
    pub fn oauth_error(&self) -> Option<&'static str> {
        Some(match self {
            AuthError::InvalidRequest(_) => "invalid_request",
            AuthError::InvalidClient(_) => "invalid_client",
            AuthError::InvalidGrant(_) => "invalid_grant",
            AuthError::UnauthorizedClient(_) => "unauthorized_client",
            AuthError::UnsupportedGrantType(_) => "unsupported_grant_type",
            _ => return None,
        })
    }
}

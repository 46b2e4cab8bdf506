//! `/v1/auth`: registration, the OAuth2 token endpoint, revocation and the caller's identity.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use kiro_core::auth::{AuthError, Grant, NewUser, TokenGrantRequest};
use kiro_types::ErrorEnvelope;
use kiro_types::auth::{MeOut, RegisterIn, RevokeRequest, TokenRequest, TokenResponse, UserOut};

use super::convert::{user_out, workspace_out};
use crate::error::ApiError;
use crate::extract::{Authenticated, ClientIp, OAuthForm, ValidJson};
use crate::state::AppState;

/// Create an account (and its personal workspace).
#[utoipa::path(post, path = "/v1/auth/register", tag = "auth", request_body = RegisterIn,
    responses(
        (status = 201, description = "The new user", body = UserOut),
        (status = 403, description = "Registration is closed", body = ErrorEnvelope),
        (status = 409, description = "The email is taken", body = ErrorEnvelope),
        (status = 422, description = "Invalid fields", body = ErrorEnvelope),
    ))]
pub async fn register(
    State(state): State<AppState>,
    ValidJson(input): ValidJson<RegisterIn>,
) -> Result<(StatusCode, Json<UserOut>), ApiError> {
    let user = state
        .auth
        .register(NewUser {
            email: input.email,
            password: input.password,
            name: input.name,
        })
        .await?;
    Ok((StatusCode::CREATED, Json(user_out(&user))))
}

/// Client credentials from `Authorization: Basic` (RFC 6749 §2.3.1: form-encoded, then base64).
fn basic_credentials(headers: &HeaderMap) -> Result<Option<(String, String)>, AuthError> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let malformed = || AuthError::InvalidClient("malformed Basic client credentials".into());
    let value = value.to_str().map_err(|_| malformed())?;
    let Some((scheme, encoded)) = value.split_once(' ') else {
        return Err(malformed());
    };
    if !scheme.eq_ignore_ascii_case("basic") {
        return Err(malformed());
    }
    let decoded = STANDARD.decode(encoded.trim()).map_err(|_| malformed())?;
    let decoded = String::from_utf8(decoded).map_err(|_| malformed())?;
    let (id, secret) = decoded.split_once(':').ok_or_else(malformed)?;
    Ok(Some((form_decode(id), form_decode(secret))))
}

fn form_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The OAuth2 token endpoint: grants `password`, `refresh_token`, `client_credentials`.
#[utoipa::path(post, path = "/v1/auth/token", tag = "auth",
    request_body(content = TokenRequest, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "Tokens", body = TokenResponse),
        (status = 400, description = "RFC 6749 error (invalid_request, invalid_grant, …)", body = kiro_types::auth::OAuthErrorOut),
        (status = 401, description = "invalid_client", body = kiro_types::auth::OAuthErrorOut),
        (status = 429, description = "Too many attempts", body = ErrorEnvelope),
    ))]
pub async fn token(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    OAuthForm(form): OAuthForm<TokenRequest>,
) -> Result<Response, ApiError> {
    let basic = basic_credentials(&headers).map_err(with_basic_challenge)?;
    let used_basic = basic.is_some();
    let request = TokenGrantRequest::parse(form, basic)?;
    let account = match &request.grant {
        Grant::Password { username, .. } => Some(username.clone()),
        Grant::ClientCredentials => request.client.client_id.clone(),
        Grant::RefreshToken { .. } => None,
    };
    state.token_limiter.check(ip, account.as_deref())?;
    let tokens = state.auth.token(request).await.map_err(|e| {
        let api = ApiError::from(e);
        if used_basic {
            with_basic_challenge_api(api)
        } else {
            api
        }
    })?;
    let mut response = Json(tokens).into_response();
    let h = response.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    Ok(response)
}

fn with_basic_challenge(e: AuthError) -> ApiError {
    with_basic_challenge_api(e.into())
}

fn with_basic_challenge_api(mut api: ApiError) -> ApiError {
    if api.code.status() == 401 {
        api.www_authenticate = Some("Basic realm=\"kiro\"");
    }
    api
}

/// RFC 7009 revocation: ends the session a refresh token (or access token) belongs to.
#[utoipa::path(post, path = "/v1/auth/revoke", tag = "auth",
    request_body(content = RevokeRequest, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "Revoked (also for unknown tokens, per RFC 7009)"),
        (status = 400, description = "invalid_request", body = kiro_types::auth::OAuthErrorOut),
    ))]
pub async fn revoke(
    State(state): State<AppState>,
    OAuthForm(form): OAuthForm<RevokeRequest>,
) -> Result<StatusCode, ApiError> {
    let token = form
        .token
        .filter(|t| !t.is_empty())
        .ok_or_else(|| AuthError::InvalidRequest("missing parameter `token`".into()))?;
    state.auth.revoke(&token, form.client_id.as_deref()).await?;
    Ok(StatusCode::OK)
}

/// Who the caller is and which workspaces it can reach.
#[utoipa::path(get, path = "/v1/auth/me", tag = "auth",
    security(("bearer" = []), ("apiKey" = [])),
    responses(
        (status = 200, description = "The caller", body = MeOut),
        (status = 401, description = "Missing or invalid credentials", body = ErrorEnvelope),
    ))]
pub async fn me(
    State(state): State<AppState>,
    Authenticated(principal): Authenticated,
) -> Result<Json<MeOut>, ApiError> {
    let user = match principal.user_id() {
        Some(id) => Some(user_out(&state.auth.get_user(id).await?)),
        None => None,
    };
    let workspaces = state.tenancy.all_workspaces(&principal).await?;
    let client_id = match &principal {
        kiro_core::principal::Principal::ServiceAccount { client_id, .. } => {
            Some(client_id.clone())
        }
        _ => None,
    };
    Ok(Json(MeOut {
        kind: principal.kind(),
        user,
        client_id,
        default_workspace_id: principal.default_workspace(),
        workspaces: workspaces
            .iter()
            .map(|(w, role)| workspace_out(w, *role))
            .collect(),
    }))
}

#[cfg(test)]
mod tests {
    use super::form_decode;

    #[test]
    fn basic_credentials_are_form_decoded() {
        assert_eq!(form_decode("a%3Ab+c"), "a:b c");
        assert_eq!(form_decode("plain_-id"), "plain_-id");
        assert_eq!(form_decode("bad%zz"), "bad%zz");
        assert_eq!(form_decode("end%4"), "end%4");
    }
}

//! Account pages: sign up (register, then sign in), sign in (the OAuth2 password grant through
//! kiro-sdk) and sign out (revokes the Kiro session). Forms work without JavaScript; a
//! failure re-renders the form with what was typed (never the password) and a message that
//! says what to do.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use kiro_sdk::{Credentials, KiroError, Method};
use serde::Deserialize;

use super::WebState;
use super::render;
use super::session::{self, COOKIE, Session};

#[derive(Template)]
#[template(path = "signin.html")]
struct SigninPage {
    email: String,
    error: Option<String>,
    notice: Option<String>,
}

#[derive(Template)]
#[template(path = "signup.html")]
struct SignupPage {
    name: String,
    email: String,
    error: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SigninForm {
    email: String,
    password: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SignupForm {
    name: String,
    email: String,
    password: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SigninQuery {
    signed_out: Option<String>,
}

pub async fn signin_page(
    State(state): State<WebState>,
    jar: CookieJar,
    Query(query): Query<SigninQuery>,
) -> Response {
    if session::current(&state, &jar).await.is_some() {
        return Redirect::to("/dashboard").into_response();
    }
    let notice = query
        .signed_out
        .map(|_| "You are signed out. Your Kiro session has been revoked.".to_owned());
    render::ok(&SigninPage {
        email: String::new(),
        error: None,
        notice,
    })
}

pub async fn signin(
    State(state): State<WebState>,
    jar: CookieJar,
    Form(form): Form<SigninForm>,
) -> Response {
    let email = form.email.trim().to_owned();
    if email.is_empty() || form.password.is_empty() {
        let page = SigninPage {
            email,
            error: Some("Enter your email and your password.".into()),
            notice: None,
        };
        return render::page(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    match sign_in(&state, &email, &form.password).await {
        Ok(session) => {
            let cookie = state.sessions.insert(session).await;
            (jar.add(cookie), Redirect::to("/dashboard")).into_response()
        }
        Err(e) => {
            let (status, message) = explain(&e, "Wrong email or password.");
            let page = SigninPage {
                email,
                error: Some(message),
                notice: None,
            };
            render::page(status, &page)
        }
    }
}

pub async fn signup_page(State(state): State<WebState>, jar: CookieJar) -> Response {
    if session::current(&state, &jar).await.is_some() {
        return Redirect::to("/dashboard").into_response();
    }
    render::ok(&SignupPage {
        name: String::new(),
        email: String::new(),
        error: None,
    })
}

pub async fn signup(
    State(state): State<WebState>,
    jar: CookieJar,
    Form(form): Form<SignupForm>,
) -> Response {
    let name = form.name.trim().to_owned();
    let email = form.email.trim().to_owned();
    let failed = |status, error: String| {
        let page = SignupPage {
            name: name.clone(),
            email: email.clone(),
            error: Some(error),
        };
        render::page(status, &page)
    };
    let body = serde_json::json!({ "email": email, "password": form.password, "name": name });
    let registered: Result<serde_json::Value, _> = state
        .system
        .request(Method::POST, "/v1/auth/register", Some(body))
        .await;
    if let Err(e) = registered {
        let (status, message) = explain(&e, "This account cannot be created.");
        return failed(status, message);
    }
    match sign_in(&state, &email, &form.password).await {
        Ok(session) => {
            let cookie = state.sessions.insert(session).await;
            (jar.add(cookie), Redirect::to("/onboarding")).into_response()
        }
        Err(e) => {
            let (status, message) = explain(&e, "Your account exists; sign in to continue.");
            failed(status, message)
        }
    }
}

pub async fn signout(State(state): State<WebState>, jar: CookieJar) -> Response {
    if let Some(id) = jar.get(COOKIE).map(|c| c.value().to_owned())
        && let Some(session) = state.sessions.remove(&id).await
        && let Err(e) = session.client.logout().await
    {
        // The local session is gone either way; the server-side one ends with its tokens.
        tracing::warn!(error = %e, "cannot revoke the Kiro session at sign-out");
    }
    (
        jar.add(session::expired_cookie()),
        Redirect::to("/signin?signed_out=1"),
    )
        .into_response()
}

/// Signs `email` in with a client of its own and reads who they are.
async fn sign_in(state: &WebState, email: &str, password: &str) -> Result<Session, KiroError> {
    let client = state.session_client()?;
    client
        .authenticate(Credentials::Password {
            email: email.to_owned(),
            password: password.to_owned(),
        })
        .await?;
    let me = client.me().await?;
    let (name, email) = me
        .user
        .map(|u| (u.name, u.email))
        .unwrap_or_else(|| (email.to_owned(), email.to_owned()));
    let queue_file = state.queue_file();
    Session::start(client, name, email, &queue_file).await
}

/// The status and the sentence a form shows for `error`; `rejected` for a refused request
/// that carries no better explanation.
pub fn explain(error: &KiroError, rejected: &str) -> (StatusCode, String) {
    match error {
        KiroError::Connection(_) | KiroError::Timeout => (
            StatusCode::SERVICE_UNAVAILABLE,
            "Kiro cannot be reached right now. Nothing was changed; try again in a moment.".into(),
        ),
        KiroError::Api(api) => {
            let status =
                StatusCode::from_u16(api.status).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
            let message = match api.code.as_str() {
                "oauth.invalid_grant" => rejected.to_owned(),
                "auth.email_taken" => {
                    "An account with this email already exists. Sign in instead.".to_owned()
                }
                "auth.rate_limited" => {
                    "Too many attempts. Wait a minute, then try again.".to_owned()
                }
                _ => field_messages(api.details.as_ref()).unwrap_or_else(|| api.message.clone()),
            };
            (status, message)
        }
        other => (StatusCode::BAD_GATEWAY, other.to_string()),
    }
}

/// "name: too short; email: not an email" from a validation error's `details.fields`.
fn field_messages(details: Option<&serde_json::Value>) -> Option<String> {
    let fields = details?.get("fields")?.as_array()?;
    let parts: Vec<String> = fields
        .iter()
        .filter_map(|f| {
            let field = f.get("field")?.as_str()?;
            let message = f.get("message")?.as_str()?;
            Some(format!("{field}: {message}"))
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_errors_become_one_sentence() {
        let details = serde_json::json!({
            "fields": [
                { "field": "password", "message": "length is lower than 8" },
                { "field": "email", "message": "not a valid email" }
            ]
        });
        assert_eq!(
            field_messages(Some(&details)).as_deref(),
            Some("password: length is lower than 8; email: not a valid email")
        );
        assert_eq!(field_messages(None), None);
    }

    #[test]
    fn an_unreachable_server_is_a_503_that_changes_nothing() {
        let (status, message) = explain(&KiroError::Timeout, "x");
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(message.contains("Nothing was changed"));
    }
}

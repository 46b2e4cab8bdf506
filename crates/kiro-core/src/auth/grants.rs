//! The OAuth2 token endpoint's grants (RFC 6749): `password`, `refresh_token` with rotation
//! and reuse detection, and `client_credentials` for service accounts; plus revocation
//! (RFC 7009). Client authentication follows §2.3: HTTP Basic or form fields, never both.

use chrono::Duration;
use kiro_types::auth::{CONCEPTPULSE_CLIENT_ID, TokenRequest, TokenResponse};
use kiro_types::{SessionId, UserId};

use super::{AuthError, AuthService, normalize_email, password};
use crate::model::{OAuthClient, RefreshToken, Session};
use crate::secret;
use crate::store::StoreError;

/// The grant asked for.
#[derive(Debug, Clone)]
pub enum Grant {
    Password { username: String, password: String },
    RefreshToken { token: String },
    ClientCredentials,
}

/// How the client identified itself.
#[derive(Debug, Clone, Default)]
pub struct ClientAuth {
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    /// The credentials came in an `Authorization: Basic` header.
    pub via_basic: bool,
}

/// A parsed token request.
#[derive(Debug, Clone)]
pub struct TokenGrantRequest {
    pub grant: Grant,
    pub client: ClientAuth,
    pub scope: Option<String>,
}

/// A client after authentication.
enum Client {
    /// The built-in ConceptPulse app, or a registered public client.
    Public(String),
    Confidential(OAuthClient),
}

impl Client {
    fn id(&self) -> &str {
        match self {
            Client::Public(id) => id,
            Client::Confidential(c) => &c.client_id,
        }
    }
}

fn required(value: Option<String>, name: &str) -> Result<String, AuthError> {
    value
        .filter(|v| !v.is_empty())
        .ok_or_else(|| AuthError::InvalidRequest(format!("missing parameter `{name}`")))
}

impl TokenGrantRequest {
    /// Parses the form body and any Basic credentials.
    pub fn parse(form: TokenRequest, basic: Option<(String, String)>) -> Result<Self, AuthError> {
        let grant_type = required(form.grant_type, "grant_type")?;
        let grant = match grant_type.as_str() {
            "password" => Grant::Password {
                username: required(form.username, "username")?,
                password: required(form.password, "password")?,
            },
            "refresh_token" => Grant::RefreshToken {
                token: required(form.refresh_token, "refresh_token")?,
            },
            "client_credentials" => Grant::ClientCredentials,
            other => {
                return Err(AuthError::UnsupportedGrantType(format!(
                    "grant type `{}` is not supported; use password, refresh_token or client_credentials",
                    other.chars().take(64).collect::<String>()
                )));
            }
        };
        let client = match basic {
            Some(_) if form.client_secret.is_some() => {
                return Err(AuthError::InvalidRequest(
                    "authenticate the client one way only: Basic header or form fields".into(),
                ));
            }
            Some((id, secret)) => {
                if form.client_id.as_ref().is_some_and(|f| *f != id) {
                    return Err(AuthError::InvalidRequest(
                        "client_id in the form differs from the Basic credentials".into(),
                    ));
                }
                ClientAuth {
                    client_id: Some(id),
                    client_secret: Some(secret),
                    via_basic: true,
                }
            }
            None => ClientAuth {
                client_id: form.client_id,
                client_secret: form.client_secret,
                via_basic: false,
            },
        };
        Ok(Self {
            grant,
            client,
            scope: form.scope,
        })
    }
}

impl AuthService {
    /// Answers a token request.
    pub async fn token(&self, request: TokenGrantRequest) -> Result<TokenResponse, AuthError> {
        let client = self.authenticate_client(&request.client).await?;
        match request.grant {
            Grant::Password { username, password } => {
                self.password_grant(&client, &username, password).await
            }
            Grant::RefreshToken { token } => self.refresh_grant(&client, &token).await,
            Grant::ClientCredentials => self.client_credentials_grant(&client, request.scope),
        }
    }

    async fn authenticate_client(&self, auth: &ClientAuth) -> Result<Client, AuthError> {
        let client_id = auth.client_id.clone().ok_or_else(|| {
            AuthError::InvalidClient("missing client_id: identify the client".into())
        })?;
        if client_id == CONCEPTPULSE_CLIENT_ID {
            if auth.client_secret.as_deref().is_some_and(|s| !s.is_empty()) {
                return Err(AuthError::InvalidClient(
                    "the conceptpulse client is public and takes no secret".into(),
                ));
            }
            return Ok(Client::Public(client_id));
        }
        let unknown = || AuthError::InvalidClient("unknown client or wrong client secret".into());
        let client = match self.store.get_client(&client_id).await {
            Ok(c) if c.revoked_at.is_none() => c,
            Ok(_) | Err(StoreError::NotFound) => return Err(unknown()),
            Err(e) => return Err(e.into()),
        };
        match (&client.secret_digest, &auth.client_secret) {
            (Some(digest), Some(given)) if secret::matches(given, digest) => {
                Ok(Client::Confidential(client))
            }
            (Some(_), _) => Err(unknown()),
            (None, None) => Ok(Client::Public(client.client_id)),
            (None, Some(s)) if s.is_empty() => Ok(Client::Public(client.client_id)),
            (None, Some(_)) => Err(AuthError::InvalidClient(
                "this client is public and takes no secret".into(),
            )),
        }
    }

    async fn password_grant(
        &self,
        client: &Client,
        username: &str,
        password: String,
    ) -> Result<TokenResponse, AuthError> {
        let user = match self
            .store
            .get_user_by_email(&normalize_email(username))
            .await
        {
            Ok(user) => Some(user),
            Err(StoreError::NotFound) => None,
            Err(e) => return Err(e.into()),
        };
        let hash = user.as_ref().map(|u| u.password_hash.clone());
        let verified = password::verify(password, hash).await?;
        let user = match user {
            Some(user) if verified => user,
            _ => {
                return Err(AuthError::InvalidGrant(
                    "the email or password is wrong".into(),
                ));
            }
        };
        let now = self.now();
        let session = Session {
            id: SessionId::new(),
            user_id: user.id,
            client_id: client.id().to_owned(),
            created_at: now,
            revoked_at: None,
        };
        let (refresh, record) = self.new_refresh_token(session.id);
        self.store.insert_session(&session, &record).await?;
        self.user_tokens(user.id, session.id, refresh).await
    }

    async fn refresh_grant(
        &self,
        client: &Client,
        token: &str,
    ) -> Result<TokenResponse, AuthError> {
        let invalid = |why: &str| AuthError::InvalidGrant(why.to_owned());
        let record = match self
            .store
            .get_refresh_token_by_digest(&secret::digest(token))
            .await
        {
            Ok(r) => r,
            Err(StoreError::NotFound) => return Err(invalid("the refresh token is not valid")),
            Err(e) => return Err(e.into()),
        };
        let session = self.store.get_session(record.session_id).await?;
        if session.client_id != client.id() {
            return Err(invalid("the refresh token was issued to another client"));
        }
        if session.revoked_at.is_some() {
            return Err(invalid("this session was signed out; sign in again"));
        }
        let now = self.now();
        let reused = || async {
            tracing::warn!(session = %session.id, "refresh token reuse; revoking the session");
            self.store.revoke_session(session.id, now).await?;
            Err(invalid(
                "the refresh token was already used; the session is revoked, sign in again",
            ))
        };
        if record.rotated_at.is_some() {
            return reused().await;
        }
        if record.expires_at <= now {
            return Err(invalid("the refresh token has expired; sign in again"));
        }
        let (refresh, next) = self.new_refresh_token(session.id);
        match self.store.rotate_refresh_token(record.id, &next, now).await {
            Ok(()) => {}
            Err(StoreError::Stale) => return reused().await,
            Err(e) => return Err(e.into()),
        }
        self.user_tokens(session.user_id, session.id, refresh).await
    }

    fn client_credentials_grant(
        &self,
        client: &Client,
        scope: Option<String>,
    ) -> Result<TokenResponse, AuthError> {
        let Client::Confidential(client) = client else {
            return Err(AuthError::UnauthorizedClient(
                "client_credentials needs a confidential client (a service account with a secret)"
                    .into(),
            ));
        };
        let ttl = self.settings.access_token_ttl_secs;
        let access_token = self.keys.issue(
            client.client_id.clone(),
            "service",
            None,
            Some(client.workspace_id.to_string()),
            self.now(),
            ttl,
        )?;
        Ok(TokenResponse {
            access_token,
            token_type: "Bearer".into(),
            expires_in: ttl,
            refresh_token: None,
            scope,
        })
    }

    fn new_refresh_token(&self, session_id: SessionId) -> (String, RefreshToken) {
        let token = secret::generate("kiro_rt_");
        let now = self.now();
        let ttl = i64::try_from(self.settings.refresh_token_ttl_secs).unwrap_or(i64::MAX);
        let record = RefreshToken {
            id: uuid::Uuid::now_v7(),
            session_id,
            token_digest: secret::digest(&token),
            created_at: now,
            expires_at: now + Duration::seconds(ttl),
            rotated_at: None,
        };
        (token, record)
    }

    async fn user_tokens(
        &self,
        user: UserId,
        session: SessionId,
        refresh_token: String,
    ) -> Result<TokenResponse, AuthError> {
        let ws = self.default_workspace_for(user).await?;
        let ttl = self.settings.access_token_ttl_secs;
        let access_token = self.keys.issue(
            user.to_string(),
            "user",
            Some(session.to_string()),
            ws.map(|w| w.to_string()),
            self.now(),
            ttl,
        )?;
        Ok(TokenResponse {
            access_token,
            token_type: "Bearer".into(),
            expires_in: ttl,
            refresh_token: Some(refresh_token),
            scope: None,
        })
    }

    /// RFC 7009 revocation: a refresh token (or a user access token) ends its whole session.
    /// Unknown tokens succeed silently, as the RFC asks.
    pub async fn revoke(&self, token: &str, client_id: Option<&str>) -> Result<(), AuthError> {
        let now = self.now();
        let session_id = match self
            .store
            .get_refresh_token_by_digest(&secret::digest(token))
            .await
        {
            Ok(record) => Some(record.session_id),
            Err(StoreError::NotFound) => self
                .keys
                .verify(token, now)
                .ok()
                .and_then(|c| c.sid)
                .and_then(|sid| sid.parse().ok()),
            Err(e) => return Err(e.into()),
        };
        let Some(session_id) = session_id else {
            return Ok(());
        };
        let session = match self.store.get_session(session_id).await {
            Ok(s) => s,
            Err(StoreError::NotFound) => return Ok(()),
            Err(e) => return Err(e.into()),
        };
        if client_id.is_some_and(|c| c != session.client_id) {
            return Ok(());
        }
        self.store.revoke_session(session_id, now).await?;
        Ok(())
    }
}

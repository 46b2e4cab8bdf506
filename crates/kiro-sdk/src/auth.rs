//! The auth bridge: holds the caller's credentials and hands each request attempt a bearer
//! token. OAuth tokens are refreshed single-flight: the token state sits behind one async
//! mutex held across the refresh grant, and whoever gets the lock next re-checks freshness
//! (or whether the rejected token is still the current one) before refreshing, so concurrent
//! requests share one refresh. Refresh tokens rotate on every use, so a second refresh with
//! the old token would revoke the session: never refresh twice for one expiry.

use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, TimeDelta, Utc};
use kiro_types::auth::TokenResponse;
use tokio::sync::Mutex;

use crate::CLIENT_ID;
use crate::error::KiroError;
use crate::store::{StoredTokens, TokenStore};
use crate::transport::Transport;

/// Refresh when the access token expires within this long.
const REFRESH_MARGIN: TimeDelta = TimeDelta::seconds(30);

/// How the client signs in.
#[derive(Clone)]
pub enum Credentials {
    /// The OAuth2 password grant.
    Password { email: String, password: String },
    /// An API key (`kiro_…`), sent as a bearer token; never refreshed.
    ApiKey(String),
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Credentials::Password { email, .. } => f
                .debug_struct("Password")
                .field("email", email)
                .finish_non_exhaustive(),
            Credentials::ApiKey(_) => f.write_str("ApiKey(..)"),
        }
    }
}

enum Held {
    Nothing,
    ApiKey(String),
    Tokens(StoredTokens),
}

pub(crate) struct AuthBridge {
    held: Mutex<Held>,
    refreshes: AtomicU64,
    store: Option<TokenStore>,
}

impl AuthBridge {
    pub(crate) fn new(store: Option<TokenStore>) -> Self {
        Self {
            held: Mutex::new(Held::Nothing),
            refreshes: AtomicU64::new(0),
            store,
        }
    }

    /// The OAuth tokens held now, if signed in with a password grant.
    pub(crate) async fn tokens(&self) -> Option<StoredTokens> {
        match &*self.held.lock().await {
            Held::Tokens(tokens) => Some(tokens.clone()),
            Held::Nothing | Held::ApiKey(_) => None,
        }
    }

    pub(crate) fn refresh_count(&self) -> u64 {
        self.refreshes.load(Ordering::Relaxed)
    }

    pub(crate) async fn authenticate(
        &self,
        transport: &Transport,
        credentials: Credentials,
    ) -> Result<(), KiroError> {
        let next = match credentials {
            Credentials::ApiKey(key) => Held::ApiKey(key),
            Credentials::Password { email, password } => {
                let form = [
                    ("grant_type", "password"),
                    ("username", email.as_str()),
                    ("password", password.as_str()),
                    ("client_id", CLIENT_ID),
                ];
                let tokens = stored(transport.token_grant(&form).await?);
                self.persist(&tokens)?;
                Held::Tokens(tokens)
            }
        };
        *self.held.lock().await = next;
        Ok(())
    }

    /// Loads tokens from the token file; `false` when there is none.
    pub(crate) async fn authenticate_from_store(&self) -> Result<bool, KiroError> {
        let Some(store) = &self.store else {
            return Ok(false);
        };
        match store.load()? {
            Some(tokens) => {
                *self.held.lock().await = Held::Tokens(tokens);
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// The bearer token for the next attempt, refreshed first when it is about to expire.
    pub(crate) async fn bearer(&self, transport: &Transport) -> Result<Option<String>, KiroError> {
        let mut held = self.held.lock().await;
        match &*held {
            Held::Nothing => Ok(None),
            Held::ApiKey(key) => Ok(Some(key.clone())),
            Held::Tokens(tokens) if tokens.expires_at - Utc::now() > REFRESH_MARGIN => {
                Ok(Some(tokens.access_token.clone()))
            }
            Held::Tokens(_) => self.refresh_locked(transport, &mut held).await.map(Some),
        }
    }

    /// After a 401 `auth.token_expired` for `rejected`: refreshes unless another request
    /// already did. `true` when a different token is now held (a retry is worth it).
    pub(crate) async fn refresh_rejected(
        &self,
        transport: &Transport,
        rejected: &str,
    ) -> Result<bool, KiroError> {
        let mut held = self.held.lock().await;
        match &*held {
            Held::Tokens(tokens) if tokens.access_token == rejected => self
                .refresh_locked(transport, &mut held)
                .await
                .map(|_| true),
            Held::Tokens(_) => Ok(true),
            Held::Nothing | Held::ApiKey(_) => Ok(false),
        }
    }

    async fn refresh_locked(
        &self,
        transport: &Transport,
        held: &mut Held,
    ) -> Result<String, KiroError> {
        let refresh_token = match &*held {
            Held::Tokens(StoredTokens {
                refresh_token: Some(token),
                ..
            }) => token.clone(),
            Held::Tokens(tokens) => return Ok(tokens.access_token.clone()),
            Held::Nothing | Held::ApiKey(_) => {
                return Err(KiroError::Storage("no refresh token held".into()));
            }
        };
        let form = [
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token.as_str()),
            ("client_id", CLIENT_ID),
        ];
        let mut tokens = stored(transport.token_grant(&form).await?);
        self.refreshes.fetch_add(1, Ordering::Relaxed);
        if tokens.refresh_token.is_none() {
            tokens.refresh_token = Some(refresh_token);
        }
        let access = tokens.access_token.clone();
        self.persist(&tokens)?;
        *held = Held::Tokens(tokens);
        Ok(access)
    }

    /// Revokes the refresh token server-side, then forgets every token.
    pub(crate) async fn logout(&self, transport: &Transport) -> Result<(), KiroError> {
        let mut held = self.held.lock().await;
        let previous = std::mem::replace(&mut *held, Held::Nothing);
        if let Some(store) = &self.store {
            store.clear()?;
        }
        if let Held::Tokens(tokens) = previous {
            let token = tokens.refresh_token.unwrap_or(tokens.access_token);
            transport
                .post_form(
                    "/v1/auth/revoke",
                    &[("token", token.as_str()), ("client_id", CLIENT_ID)],
                )
                .await?;
        }
        Ok(())
    }

    fn persist(&self, tokens: &StoredTokens) -> Result<(), KiroError> {
        match &self.store {
            Some(store) => store.save(tokens),
            None => Ok(()),
        }
    }
}

fn stored(response: TokenResponse) -> StoredTokens {
    let lifetime = i64::try_from(response.expires_in)
        .ok()
        .and_then(TimeDelta::try_seconds)
        .unwrap_or(TimeDelta::MAX);
    StoredTokens {
        access_token: response.access_token,
        refresh_token: response.refresh_token,
        expires_at: Utc::now()
            .checked_add_signed(lifetime)
            .unwrap_or(DateTime::<Utc>::MAX_UTC),
    }
}

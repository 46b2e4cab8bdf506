//! Access tokens: HS256 JWTs with the principal, its session or workspace, and an expiry
//! checked against the service clock (not the system clock), so tests can move time.

use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use super::AuthError;

const ISSUER: &str = "kiro";

/// What an access token says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claims {
    pub iss: String,
    /// A user id, or a service account's client id.
    pub sub: String,
    /// `user` or `service`.
    pub kind: String,
    /// The login session (refresh-token family) of a user token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    /// The default workspace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ws: Option<String>,
    pub iat: i64,
    pub exp: i64,
    pub jti: String,
}

/// The signing keys.
#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl std::fmt::Debug for JwtKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JwtKeys(<redacted>)")
    }
}

impl JwtKeys {
    pub fn from_secret(secret: &[u8]) -> Self {
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
        }
    }

    /// Signs claims valid from `now` for `ttl_secs`.
    pub fn issue(
        &self,
        subject: String,
        kind: &str,
        sid: Option<String>,
        ws: Option<String>,
        now: DateTime<Utc>,
        ttl_secs: u64,
    ) -> Result<String, AuthError> {
        let iat = now.timestamp();
        let claims = Claims {
            iss: ISSUER.to_owned(),
            sub: subject,
            kind: kind.to_owned(),
            sid,
            ws,
            iat,
            exp: iat.saturating_add(i64::try_from(ttl_secs).unwrap_or(i64::MAX)),
            jti: uuid::Uuid::now_v7().to_string(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| AuthError::Invalid(format!("cannot sign token: {e}")))
    }

    /// Checks signature, issuer and expiry (at `now`) and returns the claims.
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Result<Claims, AuthError> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.validate_exp = false;
        validation.validate_aud = false;
        validation.required_spec_claims = ["exp", "iss", "sub"].map(String::from).into();
        validation.set_issuer(&[ISSUER]);
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation)
            .map_err(|_| AuthError::InvalidToken)?;
        if data.claims.exp <= now.timestamp() {
            return Err(AuthError::TokenExpired);
        }
        Ok(data.claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> JwtKeys {
        JwtKeys::from_secret(b"0123456789abcdef0123456789abcdef")
    }

    #[test]
    fn a_token_verifies_until_it_expires() {
        let now = Utc::now();
        let token = keys()
            .issue("u1".into(), "user", Some("s1".into()), None, now, 900)
            .unwrap_or_default();
        let claims = keys().verify(&token, now).ok();
        assert_eq!(claims.map(|c| c.sub), Some("u1".to_owned()));
        let later = now + chrono::Duration::seconds(901);
        assert!(matches!(
            keys().verify(&token, later),
            Err(AuthError::TokenExpired)
        ));
    }

    #[test]
    fn a_tampered_or_foreign_token_is_invalid() {
        let now = Utc::now();
        let token = keys()
            .issue("u1".into(), "user", None, None, now, 900)
            .unwrap_or_default();
        let other = JwtKeys::from_secret(b"another-secret-another-secret-xx");
        assert!(matches!(
            other.verify(&token, now),
            Err(AuthError::InvalidToken)
        ));
        let mut tampered = token.clone();
        tampered.insert(tampered.len() - 3, 'A');
        assert!(matches!(
            keys().verify(&tampered, now),
            Err(AuthError::InvalidToken)
        ));
        assert!(matches!(
            keys().verify("not a jwt", now),
            Err(AuthError::InvalidToken)
        ));
    }
}

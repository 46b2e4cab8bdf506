//! Password hashing with argon2id (PHC strings), run off the async runtime's threads.

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

use super::AuthError;

/// Hashes a password into an argon2id PHC string.
pub async fn hash(password: String) -> Result<String, AuthError> {
    run_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| AuthError::Invalid(format!("cannot hash this password: {e}")))
    })
    .await
}

/// Whether `password` matches `phc`. When there is no stored hash (unknown user) a dummy
/// hash is checked instead, so the answer takes as long either way.
pub async fn verify(password: String, phc: Option<String>) -> Result<bool, AuthError> {
    run_blocking(move || {
        let target = phc.unwrap_or_else(|| DUMMY_HASH.to_owned());
        let ok = Argon2::default()
            .verify_password(password.as_bytes(), target.as_str())
            .is_ok();
        Ok(ok && target != DUMMY_HASH)
    })
    .await
}

/// A valid argon2id hash of a random password nobody knows.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$ssRX4VvXq4aCrcsNWWmwd3hm6ntpVbZNJXbMUH/8tRs";

async fn run_blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, AuthError> + Send + 'static,
) -> Result<T, AuthError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| AuthError::Invalid(format!("password check was interrupted: {e}")))?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_only_its_password() {
        let phc = hash("correct horse".into()).await.unwrap_or_default();
        assert!(phc.starts_with("$argon2id$"));
        assert!(
            verify("correct horse".into(), Some(phc.clone()))
                .await
                .unwrap_or(false)
        );
        assert!(
            !verify("wrong horse".into(), Some(phc))
                .await
                .unwrap_or(true)
        );
    }

    #[tokio::test]
    async fn an_unknown_user_never_verifies() {
        assert!(!verify("anything".into(), None).await.unwrap_or(true));
    }
}

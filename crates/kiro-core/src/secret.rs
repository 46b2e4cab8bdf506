//! Opaque secrets (refresh tokens, API keys, client secrets): generation from the OS RNG,
//! the SHA-256 digest that is all the store ever keeps, and constant-time comparison.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::Rng;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// A new secret: `prefix` followed by 32 random bytes in URL-safe base64.
pub fn generate(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// A short random identifier (for client ids): `prefix` + 16 random bytes.
pub fn generate_id(prefix: &str) -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// The hex SHA-256 digest under which a secret is stored.
pub fn digest(secret: &str) -> String {
    let hash = Sha256::digest(secret.as_bytes());
    hash.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether `secret` hashes to `stored_digest`, compared in constant time.
pub fn matches(secret: &str, stored_digest: &str) -> bool {
    digest(secret)
        .as_bytes()
        .ct_eq(stored_digest.as_bytes())
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_secrets_are_unique_and_prefixed() {
        let a = generate("kiro_");
        let b = generate("kiro_");
        assert!(a.starts_with("kiro_") && a.len() == 5 + 43);
        assert_ne!(a, b);
    }

    #[test]
    fn digest_matches_only_its_secret() {
        let s = generate("x_");
        let d = digest(&s);
        assert!(matches(&s, &d));
        assert!(!matches("x_other", &d));
        assert_eq!(d.len(), 64);
    }
}

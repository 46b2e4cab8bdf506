//! Idempotency keys (DESIGN.md §3): a `POST` carrying `Idempotency-Key` runs once per
//! principal and key; a repeat of the same request gets the stored response again for
//! [`RESPONSE_TTL`], a different request under the same key is refused.
//!
//! This module owns the rules and the [`IdempotencyStore`] port they run on. A key is first
//! *claimed* (one INSERT the primary key refuses to a second claimer, so two racers cannot
//! both run), then *completed* with the response or *released* so a retry runs again. A claim
//! holds the key only for a short lease until it completes, so a server that dies mid-request
//! does not block the key for a day. The HTTP side (reading headers, hashing the request,
//! replaying responses) lives in kiro-server; nothing here knows HTTP types.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use crate::clock::Clock;
use crate::principal::Principal;
use crate::store::{Store, StoreError};

/// How long a completed response is kept and replayed.
pub const RESPONSE_TTL: Duration = Duration::hours(24);

/// The longest idempotency key accepted.
pub const MAX_KEY_LEN: usize = 255;

/// A claim on a key: who holds it, for which request, and until when.
#[derive(Debug, Clone, PartialEq)]
pub struct IdempotencyClaim {
    /// [`Principal::key`] of the caller.
    pub principal: String,
    pub key: String,
    /// SHA-256 (hex) of the request the key was first used with.
    pub request_hash: String,
    /// Identifies this claim, so only its holder completes or releases it.
    pub token: Uuid,
    pub created_at: DateTime<Utc>,
    /// The end of the lease while running; a claim not completed by then may be taken over.
    pub expires_at: DateTime<Utc>,
}

/// A response as stored for replay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResponse {
    pub status: u16,
    /// The headers worth replaying (content type, location, …), names lower-case.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// What the store holds for a key.
#[derive(Debug, Clone, PartialEq)]
pub struct IdempotencyRecord {
    pub claim: IdempotencyClaim,
    /// `None` while the first request is still running.
    pub response: Option<StoredResponse>,
}

/// Idempotency keys and the responses stored under them.
#[async_trait]
pub trait IdempotencyStore: Send + Sync {
    /// Claims `(claim.principal, claim.key)` with one INSERT: `Conflict` while another claim
    /// or a response unexpired at `now` holds the key. An expired record is removed first.
    async fn claim_idempotency_key(
        &self,
        claim: &IdempotencyClaim,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    /// The record of a key; `NotFound` when there is none or it expired at `now`.
    async fn get_idempotency_key(
        &self,
        principal: &str,
        key: &str,
        now: DateTime<Utc>,
    ) -> Result<IdempotencyRecord, StoreError>;
    /// Stores the response of `claim` and keeps it until `expires_at`. `NotFound` when
    /// `claim` no longer holds the key (its lease ran out and another request took it).
    async fn complete_idempotency_key(
        &self,
        claim: &IdempotencyClaim,
        response: &StoredResponse,
        expires_at: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    /// Gives the key up if `claim` still holds it unanswered; otherwise does nothing.
    async fn release_idempotency_key(&self, claim: &IdempotencyClaim) -> Result<(), StoreError>;
    /// Deletes every record expired at `now`; returns how many went.
    async fn delete_expired_idempotency_keys(&self, now: DateTime<Utc>) -> Result<u64, StoreError>;
}

/// Whether a header value is a usable key: 1 to 255 visible ASCII characters.
pub fn is_valid_key(key: &str) -> bool {
    (1..=MAX_KEY_LEN).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic())
}

/// Whether a response with `status` is stored for replay. Server errors, timeouts (408) and
/// rate limits (429) are not: the client is told to retry those, and a retry must run again.
pub fn is_stored(status: u16) -> bool {
    status < 500 && status != 408 && status != 429
}

/// What to do with a request carrying an idempotency key.
#[derive(Debug, Clone, PartialEq)]
pub enum Begin {
    /// The key is ours: run the request, then [`IdempotencyService::complete`] or
    /// [`IdempotencyService::release`] the claim.
    Run(IdempotencyClaim),
    /// The same request ran before: answer with its response.
    Replay(StoredResponse),
    /// The same request is still running elsewhere.
    InProgress,
    /// The key was used with a different request.
    KeyReused,
}

/// The rules of idempotency keys, over the store.
pub struct IdempotencyService {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    lease: Duration,
}

impl IdempotencyService {
    /// `lease` is how long a running request holds its key before another may take it over:
    /// longer than any request may run.
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, lease: Duration) -> Self {
        Self {
            store,
            clock,
            lease,
        }
    }

    /// Claims `key` for `principal`'s request, or says why the request must not run.
    pub async fn begin(
        &self,
        principal: &Principal,
        key: &str,
        request_hash: &str,
    ) -> Result<Begin, StoreError> {
        let principal = principal.key();
        // Twice at most: the holder may give the key up between our claim and our read.
        for _ in 0..2 {
            let now = self.clock.now();
            let claim = IdempotencyClaim {
                principal: principal.clone(),
                key: key.to_owned(),
                request_hash: request_hash.to_owned(),
                token: Uuid::now_v7(),
                created_at: now,
                expires_at: now + self.lease,
            };
            match self.store.claim_idempotency_key(&claim, now).await {
                Ok(()) => return Ok(Begin::Run(claim)),
                Err(StoreError::Conflict { .. }) => {}
                Err(e) => return Err(e),
            }
            match self.store.get_idempotency_key(&principal, key, now).await {
                Ok(record) if record.claim.request_hash != request_hash => {
                    return Ok(Begin::KeyReused);
                }
                Ok(IdempotencyRecord {
                    response: Some(response),
                    ..
                }) => return Ok(Begin::Replay(response)),
                Ok(IdempotencyRecord { response: None, .. }) => return Ok(Begin::InProgress),
                Err(StoreError::NotFound) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(Begin::InProgress)
    }

    /// Stores the response of a claimed request for [`RESPONSE_TTL`].
    pub async fn complete(
        &self,
        claim: &IdempotencyClaim,
        response: &StoredResponse,
    ) -> Result<(), StoreError> {
        let expires_at = self.clock.now() + RESPONSE_TTL;
        self.store
            .complete_idempotency_key(claim, response, expires_at)
            .await
    }

    /// Gives a claimed key up, so a retry runs again.
    pub async fn release(&self, claim: &IdempotencyClaim) -> Result<(), StoreError> {
        self.store.release_idempotency_key(claim).await
    }

    /// Deletes expired keys; returns how many went.
    pub async fn sweep(&self) -> Result<u64, StoreError> {
        self.store
            .delete_expired_idempotency_keys(self.clock.now())
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_one_to_255_visible_ascii_characters() {
        assert!(is_valid_key("a"));
        assert!(is_valid_key("0190f4b2-7c1e-7d4a-9f00-5a1b2c3d4e5f"));
        assert!(is_valid_key(&"k".repeat(MAX_KEY_LEN)));
        assert!(!is_valid_key(""));
        assert!(!is_valid_key(&"k".repeat(MAX_KEY_LEN + 1)));
        assert!(!is_valid_key("has space"));
        assert!(!is_valid_key("tab\there"));
        assert!(!is_valid_key("clé"));
    }

    #[test]
    fn only_final_answers_are_stored() {
        for kept in [200, 201, 204, 304, 400, 404, 409, 422] {
            assert!(is_stored(kept), "{kept}");
        }
        for retried in [408, 429, 500, 502, 503, 504] {
            assert!(!is_stored(retried), "{retried}");
        }
    }
}

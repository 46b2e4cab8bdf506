//! The offline queue (DESIGN.md §7): mutations made while the server is unreachable are
//! persisted in a local SQLite file and replayed in order when it comes back.
//!
//! [`OfflineQueue::submit`] gives every mutation its idempotency key before the first send,
//! so the copy that is queued after a connection failure, and every replay of it, carries the
//! key of the attempt that may already have reached the server: the server answers a repeat
//! with the stored response and nothing is applied twice. Once something is queued, later
//! mutations queue behind it, so the server sees them in submission order. A 409 met during
//! replay goes to the [`ConflictPolicy`] and is reported once, in the [`ReplayReport`] and on
//! [`OfflineQueue::conflicts`]. Submitting and replaying take one lane at a time.
//!
//! This module talks to the server only through [`KiroClient::call`].

mod policy;
mod replay;
mod storage;

use std::path::Path;
use std::sync::Arc;

use tokio::sync::{Mutex, broadcast, watch};
use tokio::task::JoinHandle;

pub use policy::{Conflict, ConflictPolicy, ConflictReport, MergeFn, Resolution};
pub use replay::{Outcome, ReplayReport, Replayed};
pub use storage::{FailedMutation, Pending};

use crate::call::{Call, Reply};
use crate::client::KiroClient;
use crate::error::KiroError;
use storage::QueueStore;

/// How many conflict reports and replay reports a slow subscriber may fall behind by.
const CHANNEL_CAPACITY: usize = 1024;

/// What [`OfflineQueue::submit`] did with a mutation.
#[derive(Debug, Clone, PartialEq)]
pub enum Submitted {
    /// Sent now; the server's answer.
    Sent(Reply),
    /// Persisted for replay, at this place in the queue.
    Queued { id: i64 },
}

/// A persistent queue of mutations in front of a [`KiroClient`]. Cheap to clone: clones
/// share the file, the lane and the channels.
#[derive(Clone)]
pub struct OfflineQueue {
    inner: Arc<Inner>,
}

struct Inner {
    client: KiroClient,
    store: QueueStore,
    policy: ConflictPolicy,
    /// One submit or replay at a time, so the order of the queue is the order of sending.
    lane: Mutex<()>,
    conflicts: broadcast::Sender<ConflictReport>,
    replays: broadcast::Sender<ReplayReport>,
}

impl OfflineQueue {
    /// Opens the queue file at `path` (created if missing; an existing queue resumes) in
    /// front of `client`, resolving conflicts by `policy`.
    pub async fn open(
        path: impl AsRef<Path>,
        client: KiroClient,
        policy: ConflictPolicy,
    ) -> Result<Self, KiroError> {
        let store = QueueStore::open(path.as_ref()).await?;
        Ok(Self {
            inner: Arc::new(Inner {
                client,
                store,
                policy,
                lane: Mutex::new(()),
                conflicts: broadcast::channel(CHANNEL_CAPACITY).0,
                replays: broadcast::channel(CHANNEL_CAPACITY).0,
            }),
        })
    }

    pub fn client(&self) -> &KiroClient {
        &self.inner.client
    }

    /// Sends a mutation (`POST`, `PUT`, `PATCH`, `DELETE`) now, or queues it: when the server
    /// cannot be reached (connection error, timeout, service unavailable, after the client's
    /// own retries), or when mutations are already queued, since it must not overtake them.
    /// The call keeps its idempotency key, or gets one here. Any other error is the
    /// caller's, as from [`KiroClient::call`]. A `GET` is refused: reads are not queued.
    pub async fn submit(&self, mut call: Call) -> Result<Submitted, KiroError> {
        if !is_mutation(&call) {
            return Err(KiroError::Offline(format!(
                "only mutations are queued, not {}",
                call.method
            )));
        }
        if call.idempotency_key.is_none() {
            call.idempotency_key = Some(uuid::Uuid::now_v7().to_string());
        }
        let _lane = self.inner.lane.lock().await;
        let store = &self.inner.store;
        if store.len().await? > 0 {
            return Ok(Submitted::Queued {
                id: store.push(&call).await?,
            });
        }
        match self.inner.client.call(call.clone()).await {
            Ok(reply) => Ok(Submitted::Sent(reply)),
            Err(error) if unreachable(&error) => Ok(Submitted::Queued {
                id: store.push(&call).await?,
            }),
            Err(error) => Err(error),
        }
    }

    /// Sends the queued mutations in order (see [`ReplayReport`]). Stops at the first
    /// failure to reach the server (or a 401: the client must sign in again), leaving that
    /// mutation and the rest queued. `Err` only when the local file fails.
    pub async fn replay(&self) -> Result<ReplayReport, KiroError> {
        let _lane = self.inner.lane.lock().await;
        let report = replay::run(
            &self.inner.client,
            &self.inner.store,
            &self.inner.policy,
            |c| {
                // Nobody listening is fine: the report has it too.
                let _ = self.inner.conflicts.send(c.clone());
            },
        )
        .await?;
        let _ = self.inner.replays.send(report.clone());
        Ok(report)
    }

    /// Replays in the background each time `connected` becomes (or starts) `true`, until
    /// its sender is dropped. Each run's report goes to [`Self::replays`]; a run that the
    /// local file failed is reported with that error as `interrupted`.
    pub fn replay_on(&self, mut connected: watch::Receiver<bool>) -> JoinHandle<()> {
        let queue = self.clone();
        tokio::spawn(async move {
            loop {
                if *connected.borrow_and_update()
                    && let Err(e) = queue.replay().await
                {
                    let _ = queue.inner.replays.send(ReplayReport::failed_locally(e));
                }
                if connected.changed().await.is_err() {
                    return;
                }
            }
        })
    }

    /// Every conflict met by a replay, once each, as it is resolved.
    pub fn conflicts(&self) -> broadcast::Receiver<ConflictReport> {
        self.inner.conflicts.subscribe()
    }

    /// The report of every replay run, background ones included.
    pub fn replays(&self) -> broadcast::Receiver<ReplayReport> {
        self.inner.replays.subscribe()
    }

    /// How many mutations are queued.
    pub async fn len(&self) -> Result<usize, KiroError> {
        self.inner.store.len().await
    }

    pub async fn is_empty(&self) -> Result<bool, KiroError> {
        Ok(self.len().await? == 0)
    }

    /// The queued mutations, in replay order.
    pub async fn pending(&self) -> Result<Vec<Pending>, KiroError> {
        self.inner.store.pending().await
    }

    /// The mutations the server refused for good (4xx other than 409), oldest first.
    pub async fn failed(&self) -> Result<Vec<FailedMutation>, KiroError> {
        self.inner.store.failed().await
    }
}

fn is_mutation(call: &Call) -> bool {
    use reqwest::Method;
    [Method::POST, Method::PUT, Method::PATCH, Method::DELETE].contains(&call.method)
}

/// The server could not be reached or cannot serve: the mutation waits for it.
fn unreachable(error: &KiroError) -> bool {
    match error {
        KiroError::Connection(_) | KiroError::Timeout => true,
        KiroError::Api(api) => matches!(api.status, 502..=504),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_mutations_are_queued() {
        assert!(is_mutation(&Call::post("/v1/workspaces")));
        assert!(is_mutation(&Call::patch("/v1/workspaces/w")));
        assert!(is_mutation(&Call::put("/v1/workspaces/w")));
        assert!(is_mutation(&Call::delete("/v1/workspaces/w")));
        assert!(!is_mutation(&Call::get("/v1/workspaces")));
    }

    #[test]
    fn unreachable_means_no_answer_or_a_gateway_error() {
        let status = |code| KiroError::from_response(code, None, b"");
        assert!(unreachable(&KiroError::Connection("refused".into())));
        assert!(unreachable(&KiroError::Timeout));
        assert!(unreachable(&status(503)));
        assert!(!unreachable(&status(500)));
        assert!(!unreachable(&status(409)));
        assert!(!unreachable(&status(422)));
    }
}

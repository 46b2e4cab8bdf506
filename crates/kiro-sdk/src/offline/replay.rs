//! One replay run: the queued mutations are sent oldest first, each with its persisted
//! idempotency key, and each is removed from the file only once its fate is settled (sent,
//! resolved after a 409, or refused for good), so an interruption at any point leaves the
//! queue resumable and never sends a settled mutation again.

use serde_json::Value;

use super::policy::{Conflict, ConflictPolicy, ConflictReport, Decision, Resolution, decide};
use super::storage::{FailedMutation, Pending, QueueStore};
use crate::call::{Call, Reply};
use crate::client::KiroClient;
use crate::error::KiroError;

/// Rounds of re-read and resend before a conflict that keeps changing is given up.
const MAX_CONFLICT_ROUNDS: u32 = 3;

/// What one replay run did.
#[derive(Debug, Clone, Default)]
pub struct ReplayReport {
    /// Every mutation settled by this run, in queue order.
    pub replayed: Vec<Replayed>,
    /// The conflicts met, in order (each also in `replayed`).
    pub conflicts: Vec<ConflictReport>,
    /// The mutations refused for good (each also in `replayed`).
    pub failed: Vec<FailedMutation>,
    /// Mutations still queued after the run.
    pub remaining: usize,
    /// Why the run stopped early: the server could not be reached, asked for a new sign-in,
    /// or the local file failed (background runs only).
    pub interrupted: Option<KiroError>,
}

impl ReplayReport {
    pub(crate) fn failed_locally(error: KiroError) -> Self {
        Self {
            interrupted: Some(error),
            ..Self::default()
        }
    }

    /// The server's answers to the mutations sent as queued, in order.
    pub fn sent(&self) -> impl Iterator<Item = &Reply> {
        self.replayed.iter().filter_map(|r| match &r.outcome {
            Outcome::Sent(reply) => Some(reply),
            _ => None,
        })
    }
}

/// One settled mutation.
#[derive(Debug, Clone)]
pub struct Replayed {
    pub id: i64,
    pub call: Call,
    pub outcome: Outcome,
}

/// How a mutation was settled.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// The server took it as queued.
    Sent(Reply),
    /// It met a 409, resolved as given.
    Conflict(Resolution),
    /// The server refused it for good.
    Failed(KiroError),
}

/// Runs one replay; `on_conflict` hears each conflict once it is resolved.
pub(crate) async fn run(
    client: &KiroClient,
    store: &QueueStore,
    policy: &ConflictPolicy,
    on_conflict: impl Fn(&ConflictReport),
) -> Result<ReplayReport, KiroError> {
    let mut report = ReplayReport::default();
    while let Some(pending) = store.first().await? {
        let outcome = match client.call(pending.call.clone()).await {
            Ok(reply) => {
                store.remove(pending.id).await?;
                Outcome::Sent(reply)
            }
            Err(error) if stops(&error) => {
                report.interrupted = Some(error);
                break;
            }
            Err(error) if error.status() == Some(409) => {
                match resolve(client, policy, &pending, &error).await {
                    Settled::Stop(error) => {
                        report.interrupted = Some(error);
                        break;
                    }
                    Settled::Done(conflict) => {
                        if let Resolution::Failed(_) = conflict.resolution {
                            let failed = failure(&pending, &error);
                            store.fail(&failed).await?;
                            report.failed.push(failed);
                        } else {
                            store.remove(pending.id).await?;
                        }
                        on_conflict(&conflict);
                        let resolution = conflict.resolution.clone();
                        report.conflicts.push(*conflict);
                        Outcome::Conflict(resolution)
                    }
                }
            }
            Err(error) => {
                let failed = failure(&pending, &error);
                store.fail(&failed).await?;
                report.failed.push(failed);
                Outcome::Failed(error)
            }
        };
        report.replayed.push(Replayed {
            id: pending.id,
            call: pending.call,
            outcome,
        });
    }
    report.remaining = store.len().await?;
    Ok(report)
}

/// A failure that leaves the mutation queued and ends the run: the server is unreachable
/// or busy (retryable, after the client's retries), or the client must sign in again.
fn stops(error: &KiroError) -> bool {
    error.retryable() || error.status() == Some(401)
}

enum Settled {
    Done(Box<ConflictReport>),
    Stop(KiroError),
}

/// Reads the server's side of a conflict and applies the policy, re-reading when a resend
/// conflicts again (up to [`MAX_CONFLICT_ROUNDS`]).
async fn resolve(
    client: &KiroClient,
    policy: &ConflictPolicy,
    pending: &Pending,
    first: &KiroError,
) -> Settled {
    let key = pending.call.idempotency_key.clone().unwrap_or_default();
    let mut last = first.clone();
    for round in 1..=MAX_CONFLICT_ROUNDS {
        let (server, server_etag) = match current(client, &pending.call.path, &last).await {
            Ok(current) => current,
            Err(error) if stops(&error) => return Settled::Stop(error),
            Err(error) => {
                let conflict = Conflict {
                    id: pending.id,
                    call: pending.call.clone(),
                    server: Value::Null,
                    server_etag: None,
                };
                return Settled::Done(Box::new(ConflictReport {
                    conflict,
                    resolution: Resolution::Failed(format!("cannot read the resource: {error}")),
                }));
            }
        };
        let conflict = Conflict {
            id: pending.id,
            call: pending.call.clone(),
            server,
            server_etag,
        };
        let (resend, resolution) = match decide(policy, &conflict, format!("{key}-r{round}")) {
            Decision::Drop(resolution) => {
                return Settled::Done(Box::new(ConflictReport {
                    conflict,
                    resolution,
                }));
            }
            Decision::Resend(call, resolution) => (call, resolution),
        };
        match client.call(resend).await {
            Ok(_) => {
                return Settled::Done(Box::new(ConflictReport {
                    conflict,
                    resolution,
                }));
            }
            Err(error) if stops(&error) => return Settled::Stop(error),
            Err(error) if error.status() == Some(409) && round < MAX_CONFLICT_ROUNDS => {
                last = error;
            }
            Err(error) => {
                return Settled::Done(Box::new(ConflictReport {
                    conflict,
                    resolution: Resolution::Failed(format!("the resend failed: {error}")),
                }));
            }
        }
    }
    Settled::Stop(last)
}

/// The resource as the server holds it and its `ETag`: a `GET` of `path`, else the 409's
/// `details.current` (whose `version` is the `ETag`, DESIGN.md §3).
async fn current(
    client: &KiroClient,
    path: &str,
    conflict: &KiroError,
) -> Result<(Value, Option<String>), KiroError> {
    match client.call(Call::get(path)).await {
        Ok(reply) => Ok((reply.json::<Value>()?, reply.etag)),
        Err(error) if stops(&error) => Err(error),
        Err(error) => {
            let details = match conflict {
                KiroError::Api(api) => api.details.as_ref(),
                _ => None,
            };
            let current = details.and_then(|d| d.get("current")).cloned();
            match current {
                Some(current) => {
                    let etag = current
                        .get("version")
                        .and_then(Value::as_i64)
                        .map(|v| format!("\"{v}\""));
                    Ok((current, etag))
                }
                None => Err(error),
            }
        }
    }
}

fn failure(pending: &Pending, error: &KiroError) -> FailedMutation {
    FailedMutation {
        id: pending.id,
        call: pending.call.clone(),
        status: error.status(),
        code: error.code().map(str::to_owned),
        message: error.to_string(),
        // Milliseconds, as stored: the report and the file agree.
        failed_at: chrono::DateTime::from_timestamp_millis(chrono::Utc::now().timestamp_millis())
            .unwrap_or_default(),
    }
}

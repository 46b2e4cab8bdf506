//! The event log: [`Mutation`], the only way store code commits a change to workspace data
//! (its `commit` appends the change's event in the same transaction, so no write can forget
//! it), [`EventStore`] for reading, sweeping and watching the log, and the PostgreSQL
//! `LISTEN` task that hears other processes' commits.
//!
//! Commit order = id order: on SQLite writes are serialised; on PostgreSQL the id is drawn
//! under a transaction-level advisory lock held to commit, and `pg_notify` (delivered at
//! commit) tells every process the new id.

use std::sync::{Arc, Weak};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use kiro_core::StoreError;
use kiro_core::events::EventDraft;
use kiro_core::store::EventStore;
use kiro_types::WorkspaceId;
use kiro_types::events::Event;
use sqlx::{Any, AnyConnection, Transaction};
use tokio::sync::watch;

use crate::convert::{from_ms, parse_id, to_ms};
use crate::error::SqlxResultExt;
use crate::sql_store::{Backend, SqlStore};

/// The advisory-lock key that serialises event-id assignment on PostgreSQL.
pub const EVENT_LOCK_KEY: i64 = 0x6b69_726f_0001;
/// The PostgreSQL notification channel carrying new event ids.
pub const NOTIFY_CHANNEL: &str = "kiro_events";

/// A write transaction that commits only together with its event.
pub struct Mutation {
    tx: Transaction<'static, Any>,
}

impl Mutation {
    /// The transaction's connection, for the change's own statements.
    pub fn conn(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }

    /// Appends `event`, commits, and announces the new id. Returns the id.
    pub async fn commit(mut self, store: &SqlStore, event: &EventDraft) -> Result<i64, StoreError> {
        let id = append(&mut self.tx, store.backend(), event).await?;
        self.tx.commit().await.store()?;
        store.announce(id);
        Ok(id)
    }

    /// Appends every one of `events` in order (at least one), commits, and announces the
    /// last id. Returns it.
    pub async fn commit_all(
        mut self,
        store: &SqlStore,
        events: &[EventDraft],
    ) -> Result<i64, StoreError> {
        let mut last = None;
        for event in events {
            last = Some(append(&mut self.tx, store.backend(), event).await?);
        }
        let Some(id) = last else {
            return Err(StoreError::Backend(
                "a change must commit with at least one event".into(),
            ));
        };
        self.tx.commit().await.store()?;
        store.announce(id);
        Ok(id)
    }
}

impl SqlStore {
    /// Starts a mutation.
    pub async fn mutation(&self) -> Result<Mutation, StoreError> {
        Ok(Mutation {
            tx: self.pool().begin().await.store()?,
        })
    }
}

/// The event insert, per backend: SQLite numbers rows itself (one writer, so in commit
/// order); PostgreSQL draws from the sequence under the advisory lock taken just before.
const INSERT_SQLITE: &str = "INSERT INTO events
     (workspace_id, topic, event_type, resource_id, version, actor, at, data)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
const INSERT_POSTGRES: &str = "INSERT INTO events
     (id, workspace_id, topic, event_type, resource_id, version, actor, at, data)
     VALUES (nextval('events_id_seq'), $1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";

async fn append(
    conn: &mut AnyConnection,
    backend: Backend,
    event: &EventDraft,
) -> Result<i64, StoreError> {
    let insert = match backend {
        Backend::Sqlite => INSERT_SQLITE,
        Backend::Postgres => {
            sqlx::query("SELECT 1 FROM (SELECT pg_advisory_xact_lock($1)) AS locked")
                .bind(EVENT_LOCK_KEY)
                .execute(&mut *conn)
                .await
                .store()?;
            INSERT_POSTGRES
        }
    };
    let id: i64 = sqlx::query_scalar(insert)
        .bind(event.workspace_id.to_string())
        .bind(event.topic.as_str())
        .bind(event.event_type.as_str())
        .bind(event.resource_id.as_str())
        .bind(event.version)
        .bind(event.actor.as_str())
        .bind(to_ms(event.at))
        .bind(event.data.to_string())
        .fetch_one(&mut *conn)
        .await
        .store()?;
    if backend == Backend::Postgres {
        // Delivered to every listening process when (and only if) the transaction commits.
        sqlx::query("SELECT 1 FROM (SELECT pg_notify($1, $2)) AS notified")
            .bind(NOTIFY_CHANNEL)
            .bind(id.to_string())
            .execute(&mut *conn)
            .await
            .store()?;
    }
    Ok(id)
}

/// An `events` row.
#[derive(sqlx::FromRow)]
struct EventRow {
    id: i64,
    workspace_id: String,
    topic: String,
    event_type: String,
    resource_id: String,
    version: i64,
    actor: String,
    at: i64,
    data: String,
}

impl TryFrom<EventRow> for Event {
    type Error = StoreError;

    fn try_from(row: EventRow) -> Result<Self, StoreError> {
        Ok(Event {
            id: row.id,
            workspace_id: parse_id(&row.workspace_id)?,
            topic: row.topic,
            event_type: row.event_type,
            resource_id: row.resource_id,
            version: row.version,
            actor: row.actor,
            at: from_ms(row.at)?,
            data: serde_json::from_str(&row.data).map_err(|e| StoreError::Backend(Box::new(e)))?,
        })
    }
}

const EVENT_COLUMNS: &str =
    "id, workspace_id, topic, event_type, resource_id, version, actor, at, data";

#[async_trait]
impl EventStore for SqlStore {
    async fn list_events(
        &self,
        workspaces: Option<&[WorkspaceId]>,
        after: i64,
        limit: u32,
    ) -> Result<Vec<Event>, StoreError> {
        let limit = i64::from(limit.max(1));
        let rows = match workspaces {
            None => {
                let sql = format!(
                    "SELECT {EVENT_COLUMNS} FROM events WHERE id > $1 ORDER BY id LIMIT $2"
                );
                sqlx::query_as::<_, EventRow>(sqlx::AssertSqlSafe(sql))
                    .bind(after)
                    .bind(limit)
                    .fetch_all(self.pool())
                    .await
                    .store()?
            }
            Some([]) => return Ok(Vec::new()),
            Some(ids) => {
                let placeholders: Vec<String> =
                    (0..ids.len()).map(|i| format!("${}", i + 3)).collect();
                let sql = format!(
                    "SELECT {EVENT_COLUMNS} FROM events WHERE id > $1 AND workspace_id IN ({})
                     ORDER BY id LIMIT $2",
                    placeholders.join(", ")
                );
                let mut query = sqlx::query_as::<_, EventRow>(sqlx::AssertSqlSafe(sql))
                    .bind(after)
                    .bind(limit);
                for id in ids {
                    query = query.bind(id.to_string());
                }
                query.fetch_all(self.pool()).await.store()?
            }
        };
        rows.into_iter().map(Event::try_from).collect()
    }

    async fn events_head(&self) -> Result<i64, StoreError> {
        sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM events")
            .fetch_one(self.pool())
            .await
            .store()
    }

    async fn events_swept_through(&self) -> Result<i64, StoreError> {
        sqlx::query_scalar("SELECT value FROM events_meta WHERE name = 'swept_through'")
            .fetch_one(self.pool())
            .await
            .store()
    }

    async fn sweep_events(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        let mut tx = self.pool().begin().await.store()?;
        let through: i64 =
            sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM events WHERE at < $1")
                .bind(to_ms(before))
                .fetch_one(&mut *tx)
                .await
                .store()?;
        if through == 0 {
            return Ok(0);
        }
        let deleted = sqlx::query("DELETE FROM events WHERE id <= $1")
            .bind(through)
            .execute(&mut *tx)
            .await
            .store()?;
        sqlx::query(
            "UPDATE events_meta SET value = $1 WHERE name = 'swept_through' AND value < $1",
        )
        .bind(through)
        .execute(&mut *tx)
        .await
        .store()?;
        tx.commit().await.store()?;
        Ok(deleted.rows_affected())
    }

    fn watch_head(&self) -> watch::Receiver<i64> {
        self.head_sender().subscribe()
    }
}

/// Listens for other processes' commits on PostgreSQL and bumps the head watch. Ends when the
/// store is closed or dropped (`stop` turns `true` or its sender goes). After every
/// (re)connection it nudges watchers so they catch up on what was committed while it was not
/// listening.
pub(crate) async fn listen_for_commits(
    url: String,
    head: Weak<watch::Sender<i64>>,
    mut stop: watch::Receiver<bool>,
) {
    tokio::select! {
        () = listen(url, head) => {}
        _ = stop.wait_for(|stopped| *stopped) => {}
    }
}

async fn listen(url: String, head: Weak<watch::Sender<i64>>) {
    let mut backoff = Duration::from_millis(100);
    loop {
        if head.strong_count() == 0 {
            return;
        }
        match sqlx::postgres::PgListener::connect(&url).await {
            Ok(mut listener) => match listener.listen(NOTIFY_CHANNEL).await {
                Ok(()) => {
                    backoff = Duration::from_millis(100);
                    nudge(&head);
                    loop {
                        match listener.try_recv().await {
                            Ok(Some(notification)) => {
                                let Some(sender) = head.upgrade() else { return };
                                if let Ok(id) = notification.payload().parse::<i64>() {
                                    bump(&sender, id);
                                }
                            }
                            Ok(None) => {
                                // The connection was lost and re-established: catch up.
                                nudge(&head);
                            }
                            Err(e) => {
                                tracing::warn!(error = %e, "event listener lost its connection");
                                break;
                            }
                        }
                        if head.strong_count() == 0 {
                            return;
                        }
                    }
                }
                Err(e) => tracing::warn!(error = %e, "cannot LISTEN for events"),
            },
            Err(e) => tracing::warn!(error = %e, "cannot connect the event listener"),
        }
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(Duration::from_secs(5));
    }
}

fn nudge(head: &Weak<watch::Sender<i64>>) {
    if let Some(sender) = head.upgrade() {
        sender.send_modify(|_| {});
    }
}

/// Raises the head to `id` if it is higher, waking watchers.
pub(crate) fn bump(sender: &Arc<watch::Sender<i64>>, id: i64) {
    sender.send_if_modified(|head| {
        if id > *head {
            *head = id;
            true
        } else {
            false
        }
    });
}

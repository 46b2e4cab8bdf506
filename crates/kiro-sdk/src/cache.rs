//! The `ETag` cache behind `client.get()`: GET answers that carry an `ETag`, keyed by path,
//! bounded by entry count with least-recently-used eviction. A cached entry is revalidated
//! with `If-None-Match` (304 reuses the body), served marked stale when the server cannot be
//! reached, and dropped when a write through the client touches its path or an event of its
//! workspace arrives on the subscription. [`Fetched`] and [`Source`] tell callers where an
//! answer came from; [`CacheStats`] counts it all. No I/O here.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use kiro_types::events::Event;
use serde::{Deserialize, Serialize};

/// Where an answer of `client.get()` came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// A full answer from the server.
    Network,
    /// The cached body, confirmed current by the server (304).
    Revalidated,
    /// The cached body, served because the server could not be reached: it may be out of date.
    Stale,
}

/// A value and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Fetched<T> {
    pub value: T,
    pub source: Source,
    /// The entity tag of the value, when the resource is versioned.
    pub etag: Option<String>,
}

impl<T> Fetched<T> {
    /// Whether the value may be out of date.
    pub fn is_stale(&self) -> bool {
        self.source == Source::Stale
    }
}

/// What the cache has done so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CacheStats {
    /// GETs that found an entry (and so sent `If-None-Match`).
    pub hits: u64,
    /// GETs that found none.
    pub misses: u64,
    /// 304 answers: the cached body was reused.
    pub revalidated: u64,
    /// Cached bodies served stale while the server was unreachable.
    pub stale_served: u64,
    /// Entries dropped because of an event or a write.
    pub invalidated: u64,
    /// Entries dropped to make room.
    pub evicted: u64,
    /// Entries held now.
    pub entries: u64,
}

/// One cached answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    pub(crate) etag: String,
    pub(crate) body: Vec<u8>,
    /// The workspace the answer belongs to, when it can be told.
    workspace: Option<String>,
}

#[derive(Debug, Default)]
struct Lru {
    entries: HashMap<String, (Entry, u64)>,
    /// Use tick → key: the oldest use first.
    order: BTreeMap<u64, String>,
    tick: u64,
    stats: CacheStats,
}

impl Lru {
    fn touch(&mut self, key: &str) {
        self.tick += 1;
        let tick = self.tick;
        if let Some((_, used)) = self.entries.get_mut(key) {
            self.order.remove(used);
            *used = tick;
            self.order.insert(tick, key.to_owned());
        }
    }

    fn remove(&mut self, key: &str) -> bool {
        match self.entries.remove(key) {
            Some((_, used)) => {
                self.order.remove(&used);
                true
            }
            None => false,
        }
    }
}

/// A bounded LRU of GET answers.
pub(crate) struct EtagCache {
    lru: Mutex<Lru>,
    capacity: usize,
}

impl EtagCache {
    /// A cache of at most `capacity` entries (0 turns caching off).
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            lru: Mutex::new(Lru::default()),
            capacity,
        }
    }

    /// The entry of `path`, counted as a hit or a miss.
    pub(crate) fn lookup(&self, path: &str) -> Option<Entry> {
        let mut lru = self.lru.lock().ok()?;
        let found = lru.entries.get(path).map(|(e, _)| e.clone());
        match found {
            Some(entry) => {
                lru.stats.hits += 1;
                lru.touch(path);
                Some(entry)
            }
            None => {
                lru.stats.misses += 1;
                None
            }
        }
    }

    /// Keeps the answer to `path`, evicting the least recently used entry when full.
    pub(crate) fn store(&self, path: &str, etag: String, body: Vec<u8>) {
        if self.capacity == 0 {
            return;
        }
        let Ok(mut lru) = self.lru.lock() else {
            return;
        };
        let workspace = workspace_of(path, &body);
        lru.remove(path);
        while lru.entries.len() >= self.capacity {
            let Some((_, oldest)) = lru.order.pop_first() else {
                break;
            };
            lru.entries.remove(&oldest);
            lru.stats.evicted += 1;
        }
        lru.tick += 1;
        let tick = lru.tick;
        let entry = Entry {
            etag,
            body,
            workspace,
        };
        lru.entries.insert(path.to_owned(), (entry, tick));
        lru.order.insert(tick, path.to_owned());
    }

    pub(crate) fn count_revalidated(&self) {
        if let Ok(mut lru) = self.lru.lock() {
            lru.stats.revalidated += 1;
        }
    }

    pub(crate) fn count_stale(&self) {
        if let Ok(mut lru) = self.lru.lock() {
            lru.stats.stale_served += 1;
        }
    }

    /// Drops the entry of `path` (a 404, or an answer without `ETag`), not counted as an
    /// invalidation.
    pub(crate) fn forget(&self, path: &str) {
        if let Ok(mut lru) = self.lru.lock() {
            lru.remove(path);
        }
    }

    /// After a write to `path`: drops the entries of that resource and what lies under it.
    pub(crate) fn invalidate_path(&self, path: &str) {
        let resource = path.split('?').next().unwrap_or(path);
        self.drop_where(|key, _| {
            let key = key.split('?').next().unwrap_or(key);
            key == resource || key.starts_with(&format!("{resource}/"))
        });
    }

    /// After `event`: drops the entries that name its resource, and — since the client
    /// cannot tell what else the change touched — every entry of its workspace and every
    /// entry whose workspace is unknown.
    pub(crate) fn invalidate_event(&self, event: &Event) {
        let workspace = event.workspace_id.to_string();
        let resource = event.resource_id.as_str();
        self.drop_where(|key, entry| {
            (!resource.is_empty() && key.contains(resource))
                || entry.workspace.as_deref().is_none_or(|w| w == workspace)
        });
    }

    /// Drops everything (another principal, another server, or events lost).
    pub(crate) fn clear(&self) {
        self.drop_where(|_, _| true);
    }

    fn drop_where(&self, doomed: impl Fn(&str, &Entry) -> bool) {
        let Ok(mut lru) = self.lru.lock() else {
            return;
        };
        let keys: Vec<String> = lru
            .entries
            .iter()
            .filter(|(key, (entry, _))| doomed(key, entry))
            .map(|(key, _)| key.clone())
            .collect();
        for key in keys {
            if lru.remove(&key) {
                lru.stats.invalidated += 1;
            }
        }
    }

    pub(crate) fn stats(&self) -> CacheStats {
        self.lru
            .lock()
            .map(|lru| CacheStats {
                entries: lru.entries.len() as u64,
                ..lru.stats
            })
            .unwrap_or_default()
    }
}

/// The workspace of an answer: `/v1/workspaces/{id}…` names it; otherwise a top-level
/// `workspaceId` field of the body.
fn workspace_of(path: &str, body: &[u8]) -> Option<String> {
    if let Some(rest) = path.strip_prefix("/v1/workspaces/") {
        let id = rest.split(['/', '?']).next().unwrap_or("");
        if !id.is_empty() {
            return Some(id.to_owned());
        }
    }
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    value.get("workspaceId")?.as_str().map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(workspace: &str, resource: &str) -> Option<Event> {
        serde_json::from_value(serde_json::json!({
            "id": 1, "workspaceId": workspace, "topic": "tenancy.workspace.x",
            "type": "tenancy.workspace.updated", "resourceId": resource, "version": 2,
            "actor": "system", "at": "2025-01-01T00:00:00Z", "data": {}
        }))
        .ok()
    }

    const W1: &str = "0190a000-0000-7000-8000-000000000001";
    const W2: &str = "0190a000-0000-7000-8000-000000000002";

    #[test]
    fn least_recently_used_goes_first() {
        let cache = EtagCache::new(2);
        cache.store("/a", "\"1\"".into(), b"a".to_vec());
        cache.store("/b", "\"1\"".into(), b"b".to_vec());
        assert!(cache.lookup("/a").is_some());
        cache.store("/c", "\"1\"".into(), b"c".to_vec());
        assert!(cache.lookup("/b").is_none());
        assert!(cache.lookup("/a").is_some());
        assert!(cache.lookup("/c").is_some());
        let stats = cache.stats();
        assert_eq!((stats.hits, stats.misses, stats.evicted), (3, 1, 1));
        assert_eq!(stats.entries, 2);
    }

    #[test]
    fn an_event_drops_its_workspaces_entries_only() {
        let cache = EtagCache::new(10);
        cache.store(
            &format!("/v1/workspaces/{W1}"),
            "\"1\"".into(),
            b"{}".to_vec(),
        );
        cache.store(
            &format!("/v1/workspaces/{W2}"),
            "\"1\"".into(),
            b"{}".to_vec(),
        );
        let body = format!(r#"{{"workspaceId":"{W1}"}}"#).into_bytes();
        cache.store("/v1/planning/projects/p1", "\"1\"".into(), body);
        if let Some(e) = event(W1, W1) {
            cache.invalidate_event(&e);
        }
        assert_eq!(cache.stats().invalidated, 2);
        assert!(cache.lookup(&format!("/v1/workspaces/{W2}")).is_some());
    }

    #[test]
    fn entries_of_unknown_workspace_are_dropped_by_any_event() {
        let cache = EtagCache::new(10);
        cache.store("/v1/things/t1", "\"1\"".into(), b"{}".to_vec());
        if let Some(e) = event(W2, "other") {
            cache.invalidate_event(&e);
        }
        assert!(cache.lookup("/v1/things/t1").is_none());
    }

    #[test]
    fn a_write_drops_the_resource_and_below() {
        let cache = EtagCache::new(10);
        cache.store("/v1/workspaces/w", "\"1\"".into(), b"{}".to_vec());
        cache.store(
            "/v1/workspaces/w/members?limit=5",
            "\"1\"".into(),
            b"{}".to_vec(),
        );
        cache.store("/v1/workspaces/wx", "\"1\"".into(), b"{}".to_vec());
        cache.invalidate_path("/v1/workspaces/w");
        assert_eq!(cache.stats().entries, 1);
        assert!(cache.lookup("/v1/workspaces/wx").is_some());
    }

    #[test]
    fn capacity_zero_caches_nothing() {
        let cache = EtagCache::new(0);
        cache.store("/a", "\"1\"".into(), b"a".to_vec());
        assert!(cache.lookup("/a").is_none());
    }
}

//! A connection's subscriptions: which events it wants, from which id on, and the rules that
//! keep replay and live delivery from dropping or repeating an event.

use std::collections::HashSet;

use kiro_core::events::TopicPattern;
use kiro_types::WorkspaceId;
use kiro_types::events::Event;

/// One subscribed pattern.
#[derive(Debug, Clone)]
pub struct Subscription {
    pub pattern: TopicPattern,
    /// Only this workspace's events, when set.
    pub workspace: Option<WorkspaceId>,
    /// Live delivery covers ids after this; replay covered the rest.
    pub start: i64,
}

impl Subscription {
    fn wants(&self, event: &Event) -> bool {
        self.workspace.is_none_or(|w| w == event.workspace_id) && self.pattern.matches(&event.topic)
    }
}

/// Everything a connection is subscribed to.
#[derive(Debug, Default)]
pub struct Subscriptions {
    subs: Vec<Subscription>,
    /// The workspaces the caller may see; refreshed on subscribe and heartbeat.
    pub allowed: HashSet<WorkspaceId>,
}

impl Subscriptions {
    pub fn is_empty(&self) -> bool {
        self.subs.is_empty()
    }

    /// Whether a live event goes to the client.
    pub fn deliver_live(&self, event: &Event) -> bool {
        self.allowed.contains(&event.workspace_id)
            && self
                .subs
                .iter()
                .any(|s| event.id > s.start && s.wants(event))
    }

    /// Whether a replayed event (for the new subscriptions `fresh`) goes to the client: it
    /// must match a fresh subscription and not be one an existing subscription delivers live.
    pub fn deliver_replay(&self, fresh: &[Subscription], event: &Event) -> bool {
        self.allowed.contains(&event.workspace_id)
            && fresh.iter().any(|s| s.wants(event))
            && !self
                .subs
                .iter()
                .any(|s| event.id > s.start && s.wants(event))
    }

    pub fn add(&mut self, fresh: Vec<Subscription>) {
        self.subs.extend(fresh);
    }

    /// Removes subscriptions to `patterns`.
    pub fn remove(&mut self, patterns: &[String]) {
        self.subs
            .retain(|s| !patterns.iter().any(|p| p == s.pattern.as_str()));
    }

    pub fn clear(&mut self) {
        self.subs.clear();
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn event(id: i64, ws: WorkspaceId, topic: &str) -> Event {
        Event {
            id,
            workspace_id: ws,
            topic: topic.into(),
            event_type: "tenancy.workspace.updated".into(),
            resource_id: "r".into(),
            version: 1,
            actor: "system".into(),
            at: chrono::Utc::now(),
            data: serde_json::Value::Null,
        }
    }

    fn sub(p: &str, start: i64) -> Subscription {
        Subscription {
            pattern: TopicPattern::parse(p).unwrap(),
            workspace: None,
            start,
        }
    }

    #[test]
    fn live_delivery_respects_start_workspace_and_pattern() {
        let ws = WorkspaceId::new();
        let mut subs = Subscriptions::default();
        subs.allowed.insert(ws);
        subs.add(vec![sub("tenancy", 10)]);
        assert!(!subs.deliver_live(&event(10, ws, "tenancy.workspace.a")));
        assert!(subs.deliver_live(&event(11, ws, "tenancy.workspace.a")));
        assert!(!subs.deliver_live(&event(12, ws, "auth.api_key.a")));
        assert!(!subs.deliver_live(&event(13, WorkspaceId::new(), "tenancy.workspace.a")));
    }

    #[test]
    fn replay_skips_what_an_existing_subscription_delivers_live() {
        let ws = WorkspaceId::new();
        let mut subs = Subscriptions::default();
        subs.allowed.insert(ws);
        subs.add(vec![sub("tenancy", 5)]);
        let fresh = vec![sub("*", 20)];
        assert!(
            subs.deliver_replay(&fresh, &event(3, ws, "tenancy.workspace.a")),
            "before the old start"
        );
        assert!(
            !subs.deliver_replay(&fresh, &event(7, ws, "tenancy.workspace.a")),
            "delivered live"
        );
        assert!(
            subs.deliver_replay(&fresh, &event(8, ws, "auth.api_key.k")),
            "only the new one wants it"
        );
    }
}

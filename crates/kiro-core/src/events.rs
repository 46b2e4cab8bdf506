//! Events as the domain records them: the [`EventDraft`] every mutation must hand to the
//! store (which appends it in the same transaction as the change), and topic patterns with
//! their matching rules (DESIGN.md §5).

use chrono::{DateTime, Utc};
use kiro_types::WorkspaceId;
use serde_json::Value;

/// An event to append with a mutation. The store assigns the id at commit.
#[derive(Debug, Clone, PartialEq)]
pub struct EventDraft {
    pub workspace_id: WorkspaceId,
    pub topic: String,
    pub event_type: String,
    pub resource_id: String,
    pub version: i64,
    pub actor: String,
    pub at: DateTime<Utc>,
    pub data: Value,
}

/// Names the parts of an event: `<service>.<resource>.<verb>` on `<service>.<resource>.<id>`.
#[derive(Debug, Clone, Copy)]
pub struct EventKind {
    pub service: &'static str,
    pub resource: &'static str,
    pub verb: &'static str,
}

impl EventDraft {
    /// A draft for `kind` on the resource `resource_id` of `workspace`.
    pub fn new(
        workspace_id: WorkspaceId,
        kind: EventKind,
        resource_id: impl Into<String>,
        version: i64,
        actor: impl Into<String>,
        at: DateTime<Utc>,
        data: Value,
    ) -> Self {
        let resource_id = resource_id.into();
        Self {
            workspace_id,
            topic: format!("{}.{}.{}", kind.service, kind.resource, resource_id),
            event_type: format!("{}.{}.{}", kind.service, kind.resource, kind.verb),
            resource_id,
            version,
            actor: actor.into(),
            at,
            data,
        }
    }
}

/// The kinds of event the auth and tenancy services emit.
pub mod kinds {
    use super::EventKind;

    const fn kind(service: &'static str, resource: &'static str, verb: &'static str) -> EventKind {
        EventKind {
            service,
            resource,
            verb,
        }
    }

    pub const WORKSPACE_CREATED: EventKind = kind("tenancy", "workspace", "created");
    pub const WORKSPACE_UPDATED: EventKind = kind("tenancy", "workspace", "updated");
    pub const WORKSPACE_DELETED: EventKind = kind("tenancy", "workspace", "deleted");
    pub const MEMBER_ADDED: EventKind = kind("tenancy", "member", "added");
    pub const MEMBER_UPDATED: EventKind = kind("tenancy", "member", "updated");
    pub const MEMBER_REMOVED: EventKind = kind("tenancy", "member", "removed");
    pub const API_KEY_CREATED: EventKind = kind("auth", "api_key", "created");
    pub const API_KEY_REVOKED: EventKind = kind("auth", "api_key", "revoked");
    pub const CLIENT_CREATED: EventKind = kind("auth", "client", "created");
    pub const CLIENT_REVOKED: EventKind = kind("auth", "client", "revoked");
}

pub use kiro_types::topics::TOPIC_SERVICES;

/// A subscription's topic pattern.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TopicPattern(String);

impl TopicPattern {
    /// Parses `*`, `<service>`, `<service>.*`, `<service>.<resource>.*` or
    /// `<service>.<resource>.<id>`; the service must be known.
    pub fn parse(pattern: &str) -> Result<Self, String> {
        kiro_types::topics::check_topic(pattern)?;
        Ok(Self(pattern.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether an event on `topic` matches.
    pub fn matches(&self, topic: &str) -> bool {
        kiro_types::topics::topic_matches(&self.0, topic)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern(p: &str) -> TopicPattern {
        TopicPattern::parse(p).unwrap_or_else(|_| TopicPattern("never".into()))
    }

    #[test]
    fn patterns_match_by_segment_prefix() {
        let topic = "planning.task.0190";
        assert!(pattern("*").matches(topic));
        assert!(pattern("planning").matches(topic));
        assert!(pattern("planning.*").matches(topic));
        assert!(pattern("planning.task.*").matches(topic));
        assert!(pattern("planning.task.0190").matches(topic));
        assert!(!pattern("planning.task.019").matches(topic));
        assert!(!pattern("planning.milestone").matches(topic));
        assert!(!pattern("workflow").matches(topic));
    }

    #[test]
    fn malformed_or_unknown_patterns_are_refused() {
        for bad in [
            "",
            "nosuch",
            "planning..x",
            "plan*",
            "planning.*.x",
            "a.b.c.d",
            "planning.task.x y",
        ] {
            assert!(TopicPattern::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_draft_names_its_topic_and_type() {
        let kind = EventKind {
            service: "tenancy",
            resource: "workspace",
            verb: "updated",
        };
        let draft = EventDraft::new(
            WorkspaceId::new(),
            kind,
            "w1",
            2,
            "user:u",
            Utc::now(),
            Value::Null,
        );
        assert_eq!(draft.topic, "tenancy.workspace.w1");
        assert_eq!(draft.event_type, "tenancy.workspace.updated");
    }
}

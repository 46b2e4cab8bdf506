//! Events and the `/v1/events` WebSocket protocol (DESIGN.md §5): the committed-change record,
//! the client's and the server's messages, and the polling page.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::WorkspaceId;

/// A committed change. `id` is one server-wide sequence in commit order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Event {
    pub id: i64,
    pub workspace_id: WorkspaceId,
    /// `<service>.<resource>.<id>`; subscriptions match it by prefix.
    pub topic: String,
    /// `<service>.<resource>.<verb>`, e.g. `tenancy.workspace.updated`.
    #[serde(rename = "type")]
    pub event_type: String,
    pub resource_id: String,
    /// The resource's version after the change.
    pub version: i64,
    /// Who made the change (`user:<id>`, `client:<id>`, `key:<id>`, `system`).
    pub actor: String,
    pub at: DateTime<Utc>,
    pub data: serde_json::Value,
}

/// A message from the client.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum ClientMessage {
    /// Start receiving events of `topics` (`*`, `<service>`, `<service>.*`,
    /// `<service>.<resource>.<id>`), replaying stored events after `since` first.
    Subscribe {
        topics: Vec<String>,
        #[serde(default)]
        since: Option<i64>,
        /// Only this workspace's events (default: every workspace of the caller).
        #[serde(default, rename = "workspaceId")]
        workspace_id: Option<WorkspaceId>,
    },
    Unsubscribe {
        topics: Vec<String>,
    },
    Ping,
}

/// A message from the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum ServerMessage {
    /// One event. (Nested: the event's own `type` field would collide with the tag.)
    Event {
        event: Event,
    },
    /// A subscription took effect; `head` is the latest event id at that moment.
    Subscribed {
        topics: Vec<String>,
        head: i64,
    },
    Unsubscribed {
        topics: Vec<String>,
    },
    Error {
        code: String,
        message: String,
    },
    Pong,
}

/// `GET /v1/events` (polling).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct EventsPage {
    pub items: Vec<Event>,
    /// Pass as `since` to continue.
    pub next_since: i64,
    /// The latest event id when the page was read.
    pub head: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_messages_parse_from_the_documented_shapes() {
        let sub: ClientMessage =
            serde_json::from_str(r#"{"type":"subscribe","topics":["planning"],"since":4}"#)
                .unwrap_or(ClientMessage::Ping);
        assert_eq!(
            sub,
            ClientMessage::Subscribe {
                topics: vec!["planning".into()],
                since: Some(4),
                workspace_id: None
            }
        );
        let ping: Result<ClientMessage, _> = serde_json::from_str(r#"{"type":"ping"}"#);
        assert_eq!(ping.ok(), Some(ClientMessage::Ping));
    }

    #[test]
    fn server_messages_carry_their_type() {
        let json = serde_json::to_string(&ServerMessage::Subscribed {
            topics: vec!["*".into()],
            head: 9,
        })
        .unwrap_or_default();
        assert_eq!(json, r#"{"type":"subscribed","topics":["*"],"head":9}"#);
    }
}

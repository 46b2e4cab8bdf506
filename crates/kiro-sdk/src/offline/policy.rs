//! Conflict resolution, as pure decisions: a [`ConflictPolicy`] looks at a [`Conflict`] (the
//! queued mutation that met a 409, the server's current JSON and `ETag`) and decides what
//! happens to the mutation ([`Decision`]). Sending is the replay's business, not this
//! module's; what happened is told to the app as a [`ConflictReport`].

use std::fmt;
use std::sync::Arc;

use serde_json::Value;

use crate::call::Call;

/// A merge function: given the conflict, the body to send instead, or `None` to drop the
/// local mutation.
pub type MergeFn = Arc<dyn Fn(&Conflict) -> Option<Value> + Send + Sync>;

/// What to do when a queued mutation meets a 409.
#[derive(Clone)]
pub enum ConflictPolicy {
    /// The server's version stays; the local mutation is dropped.
    ServerWins,
    /// The local mutation is sent again, with `If-Match` set to the server's current `ETag`.
    ClientWins,
    /// The function decides the body to send (with the current `ETag`), or drops it.
    Merge(MergeFn),
}

impl fmt::Debug for ConflictPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConflictPolicy::ServerWins => f.write_str("ServerWins"),
            ConflictPolicy::ClientWins => f.write_str("ClientWins"),
            ConflictPolicy::Merge(_) => f.write_str("Merge(..)"),
        }
    }
}

/// A queued mutation the server answered 409 to, with the server's side.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    /// The queue id of the mutation.
    pub id: i64,
    /// The mutation as queued.
    pub call: Call,
    /// The resource as the server holds it now (`GET` of the mutation's path), or the
    /// error's `details.current` when it cannot be read.
    pub server: Value,
    /// The server's current `ETag`, if it sent one.
    pub server_etag: Option<String>,
}

impl Conflict {
    /// The body the mutation wanted to send.
    pub fn local(&self) -> Option<&Value> {
        self.call.body.as_ref()
    }
}

/// What happened to a conflicting mutation.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolution {
    /// The server already holds every field the mutation sets (its own earlier attempt
    /// landed and the answer was lost): nothing was sent again.
    AlreadyApplied,
    /// Dropped under [`ConflictPolicy::ServerWins`].
    ServerWins,
    /// Sent again with the current `ETag` under [`ConflictPolicy::ClientWins`].
    ClientWins,
    /// The merge function's body was sent with the current `ETag`.
    Merged(Value),
    /// The merge function chose to drop the mutation.
    MergeDropped,
    /// Resolving failed (the resource is gone, or it kept changing under us).
    Failed(String),
}

/// One conflict, as told to the app (once per conflicting mutation).
#[derive(Debug, Clone, PartialEq)]
pub struct ConflictReport {
    pub conflict: Conflict,
    pub resolution: Resolution,
}

/// What the replay does next with a conflicting mutation.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    /// Remove it from the queue without sending, resolved as given.
    Drop(Resolution),
    /// Send this call instead, then report the resolution.
    Resend(Call, Resolution),
}

/// Decides the fate of `conflict` under `policy`. `resend_key` is the idempotency key of the
/// resent call: a new one, since the server may have kept the 409 for the original key.
pub fn decide(policy: &ConflictPolicy, conflict: &Conflict, resend_key: String) -> Decision {
    if already_applied(conflict.local(), &conflict.server) {
        return Decision::Drop(Resolution::AlreadyApplied);
    }
    let resend = |body: Option<Value>| {
        let mut call = conflict.call.clone();
        call.body = body;
        call.if_match.clone_from(&conflict.server_etag);
        call.idempotency_key = Some(resend_key.clone());
        call
    };
    match policy {
        ConflictPolicy::ServerWins => Decision::Drop(Resolution::ServerWins),
        ConflictPolicy::ClientWins => {
            Decision::Resend(resend(conflict.call.body.clone()), Resolution::ClientWins)
        }
        ConflictPolicy::Merge(merge) => match merge(conflict) {
            Some(body) => Decision::Resend(resend(Some(body.clone())), Resolution::Merged(body)),
            None => Decision::Drop(Resolution::MergeDropped),
        },
    }
}

/// Whether the server's resource already has every field of the local JSON object body
/// (compared recursively for nested objects). A body that is not an object, or an empty
/// object, never counts as applied.
pub fn already_applied(local: Option<&Value>, server: &Value) -> bool {
    match local {
        Some(Value::Object(fields)) if !fields.is_empty() => contains(server, local),
        _ => false,
    }
}

fn contains(server: &Value, local: Option<&Value>) -> bool {
    match (server, local) {
        (Value::Object(have), Some(Value::Object(want))) => want
            .iter()
            .all(|(key, value)| have.get(key).is_some_and(|h| contains(h, Some(value)))),
        (have, Some(want)) => have == want,
        (_, None) => true,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn conflict(local: Value, server: Value) -> Conflict {
        Conflict {
            id: 7,
            call: Call::patch("/v1/workspaces/w")
                .json(local)
                .if_match("\"1\"")
                .idempotency_key("k"),
            server,
            server_etag: Some("\"3\"".into()),
        }
    }

    #[test]
    fn server_wins_drops_the_local_mutation() {
        let c = conflict(
            json!({"name": "mine"}),
            json!({"name": "theirs", "version": 3}),
        );
        assert_eq!(
            decide(&ConflictPolicy::ServerWins, &c, "k2".into()),
            Decision::Drop(Resolution::ServerWins)
        );
    }

    #[test]
    fn client_wins_resends_the_body_with_the_current_etag_and_a_new_key() {
        let c = conflict(
            json!({"name": "mine"}),
            json!({"name": "theirs", "version": 3}),
        );
        let Decision::Resend(call, Resolution::ClientWins) =
            decide(&ConflictPolicy::ClientWins, &c, "k2".into())
        else {
            unreachable!("client wins must resend");
        };
        assert_eq!(call.if_match.as_deref(), Some("\"3\""));
        assert_eq!(call.idempotency_key.as_deref(), Some("k2"));
        assert_eq!(call.body, Some(json!({"name": "mine"})));
        assert_eq!(call.path, "/v1/workspaces/w");
    }

    #[test]
    fn merge_sends_what_the_function_returns_or_drops() {
        let c = conflict(
            json!({"name": "mine"}),
            json!({"name": "theirs", "version": 3}),
        );
        let join = ConflictPolicy::Merge(Arc::new(|c: &Conflict| {
            let theirs = c.server["name"].as_str()?;
            let mine = c.local()?["name"].as_str()?;
            Some(json!({"name": format!("{theirs}+{mine}")}))
        }));
        let Decision::Resend(call, Resolution::Merged(body)) = decide(&join, &c, "k2".into())
        else {
            unreachable!("the merge returned a body");
        };
        assert_eq!(body, json!({"name": "theirs+mine"}));
        assert_eq!(call.body, Some(body));

        let refuse = ConflictPolicy::Merge(Arc::new(|_: &Conflict| None));
        assert_eq!(
            decide(&refuse, &c, "k2".into()),
            Decision::Drop(Resolution::MergeDropped)
        );
    }

    #[test]
    fn a_mutation_the_server_already_holds_is_not_sent_again() {
        let c = conflict(
            json!({"name": "mine"}),
            json!({"name": "mine", "version": 2}),
        );
        assert_eq!(
            decide(&ConflictPolicy::ClientWins, &c, "k2".into()),
            Decision::Drop(Resolution::AlreadyApplied)
        );
    }

    #[test]
    fn applied_means_every_local_field_matches() {
        let server = json!({"name": "a", "settings": {"x": 1, "y": 2}, "version": 4});
        assert!(already_applied(Some(&json!({"name": "a"})), &server));
        assert!(already_applied(
            Some(&json!({"settings": {"x": 1}})),
            &server
        ));
        assert!(!already_applied(
            Some(&json!({"settings": {"x": 2}})),
            &server
        ));
        assert!(!already_applied(
            Some(&json!({"name": "a", "z": 0})),
            &server
        ));
        assert!(!already_applied(Some(&json!({})), &server));
        assert!(!already_applied(Some(&json!("a")), &server));
        assert!(!already_applied(None, &server));
    }
}

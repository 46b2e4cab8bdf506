//! [`ConnectionStatus`]: whether the server is reachable and healthy, as the client last saw
//! it. Every HTTP attempt and every event-socket (re)connection reports its [`Outcome`] to the
//! one [`StatusTracker`] of a client, which publishes changes on a `watch` channel; the health
//! monitor adds whether a service is down. Knows nothing of HTTP: callers classify.

use serde::{Deserialize, Serialize};
use tokio::sync::watch;

use crate::error::KiroError;

/// How the client sees the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ConnectionStatus {
    /// The last request was answered, and no service is known to be down.
    Connected,
    /// The server answers but is failing: a 5xx, the server reporting itself or a service
    /// degraded, or a service whose requests keep failing.
    Degraded,
    /// The server could not be reached (connection refused or dropped, or a timeout).
    Offline,
}

impl std::fmt::Display for ConnectionStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ConnectionStatus::Connected => "connected",
            ConnectionStatus::Degraded => "degraded",
            ConnectionStatus::Offline => "offline",
        })
    }
}

/// What one attempt to talk to the server came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// The server answered, successfully or with a client error (4xx).
    Answered,
    /// The server answered with a 5xx: reachable but failing.
    Failing,
    /// No answer: a connection error or a timeout.
    Unreachable,
}

impl Outcome {
    /// The outcome of an attempt that ended in `error`.
    pub(crate) fn of_error(error: &KiroError) -> Self {
        match error {
            KiroError::Connection(_) | KiroError::Timeout => Outcome::Unreachable,
            KiroError::Api(api) if api.status >= 500 => Outcome::Failing,
            _ => Outcome::Answered,
        }
    }

    /// The outcome of an attempt answered with `status`.
    pub(crate) fn of_status(status: u16) -> Self {
        if status >= 500 {
            Outcome::Failing
        } else {
            Outcome::Answered
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct State {
    last: Outcome,
    service_down: bool,
}

impl State {
    fn status(self) -> ConnectionStatus {
        match (self.last, self.service_down) {
            (Outcome::Unreachable, _) => ConnectionStatus::Offline,
            (Outcome::Failing, _) | (Outcome::Answered, true) => ConnectionStatus::Degraded,
            (Outcome::Answered, false) => ConnectionStatus::Connected,
        }
    }
}

/// The client's connection status and its watchers.
pub(crate) struct StatusTracker {
    state: std::sync::Mutex<State>,
    sender: watch::Sender<ConnectionStatus>,
}

impl StatusTracker {
    /// Starts `Offline`: nothing has been answered yet.
    pub(crate) fn new() -> Self {
        Self {
            state: std::sync::Mutex::new(State {
                last: Outcome::Unreachable,
                service_down: false,
            }),
            sender: watch::Sender::new(ConnectionStatus::Offline),
        }
    }

    pub(crate) fn current(&self) -> ConnectionStatus {
        *self.sender.borrow()
    }

    pub(crate) fn watch(&self) -> watch::Receiver<ConnectionStatus> {
        self.sender.subscribe()
    }

    /// Records the outcome of the latest attempt.
    #[cfg(test)]
    pub(crate) fn record(&self, outcome: Outcome) {
        self.update(|s| s.last = outcome);
    }

    /// Records the outcome of the latest attempt and whether a service is down, at once.
    pub(crate) fn record_all(&self, outcome: Outcome, service_down: bool) {
        self.update(|s| {
            s.last = outcome;
            s.service_down = service_down;
        });
    }

    /// Records whether the health monitor sees a service down.
    pub(crate) fn set_service_down(&self, down: bool) {
        self.update(|s| s.service_down = down);
    }

    fn update(&self, change: impl FnOnce(&mut State)) {
        let Ok(mut state) = self.state.lock() else {
            return;
        };
        change(&mut state);
        let status = state.status();
        // Sent under the lock, so watchers see the changes in the order they were made.
        self.sender.send_if_modified(|current| {
            let changed = *current != status;
            *current = status;
            changed
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_map_to_statuses() {
        let tracker = StatusTracker::new();
        assert_eq!(tracker.current(), ConnectionStatus::Offline);
        tracker.record(Outcome::Answered);
        assert_eq!(tracker.current(), ConnectionStatus::Connected);
        tracker.record(Outcome::Failing);
        assert_eq!(tracker.current(), ConnectionStatus::Degraded);
        tracker.record(Outcome::Unreachable);
        assert_eq!(tracker.current(), ConnectionStatus::Offline);
    }

    #[test]
    fn a_service_down_degrades_a_connected_client_only() {
        let tracker = StatusTracker::new();
        tracker.set_service_down(true);
        assert_eq!(tracker.current(), ConnectionStatus::Offline);
        tracker.record(Outcome::Answered);
        assert_eq!(tracker.current(), ConnectionStatus::Degraded);
        tracker.set_service_down(false);
        assert_eq!(tracker.current(), ConnectionStatus::Connected);
    }

    #[test]
    fn watchers_see_changes_only() {
        let tracker = StatusTracker::new();
        let mut rx = tracker.watch();
        tracker.record(Outcome::Unreachable);
        assert!(!rx.has_changed().unwrap_or(true));
        tracker.record(Outcome::Answered);
        assert!(rx.has_changed().unwrap_or(false));
        assert_eq!(*rx.borrow_and_update(), ConnectionStatus::Connected);
    }

    #[test]
    fn errors_are_classified() {
        assert_eq!(Outcome::of_error(&KiroError::Timeout), Outcome::Unreachable);
        let e = KiroError::from_response(503, None, b"");
        assert_eq!(Outcome::of_error(&e), Outcome::Failing);
        let e = KiroError::from_response(404, None, b"");
        assert_eq!(Outcome::of_error(&e), Outcome::Answered);
        assert_eq!(Outcome::of_status(304), Outcome::Answered);
        assert_eq!(
            serde_json::to_string(&ConnectionStatus::Degraded).unwrap_or_default(),
            "\"degraded\""
        );
        assert_eq!(ConnectionStatus::Offline.to_string(), "offline");
    }
}

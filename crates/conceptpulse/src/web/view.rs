//! What the pages show about Kiro, gathered through kiro-sdk: the connection state for the
//! badge, each service's health for the Kiro dashboard, and the fallback text of a service
//! that is not available. The same views feed the first render and the live updates.

use kiro_sdk::kiro_types::discovery::ServiceStatus;
use kiro_sdk::{Availability, ConnectionStatus, ServiceHealthReport};
use serde::Serialize;

use super::WebState;

/// The six Kiro services, in the order the dashboard lists them.
pub use kiro_sdk::health::SERVICES;

/// The connection badge: `connected`, `degraded` or `offline`, and a sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusView {
    pub status: &'static str,
    pub text: String,
}

/// One row of the service table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceRow {
    pub name: String,
    /// `up`, `degraded`, `down` or `unavailable`.
    pub status: &'static str,
    pub latency: String,
    pub error_rate: String,
    pub fallback: String,
}

/// Everything the Kiro dashboard shows about the server.
#[derive(Debug, Clone, Serialize)]
pub struct Overview {
    pub connection: StatusView,
    pub api_version: String,
    pub services: Vec<ServiceRow>,
}

impl Overview {
    /// The rows of services that are not up, for the fallback panel.
    pub fn unavailable(&self) -> Vec<ServiceRow> {
        self.services
            .iter()
            .filter(|s| s.status != "up")
            .cloned()
            .collect()
    }

    /// Whether `service` is up.
    pub fn is_up(&self, service: &str) -> bool {
        self.services
            .iter()
            .any(|s| s.name == service && s.status == "up")
    }

    pub fn status_of(&self, service: &str) -> &'static str {
        self.services
            .iter()
            .find(|s| s.name == service)
            .map_or("unavailable", |s| s.status)
    }
}

/// How Kiro is, as the UI's own client and its health monitor see it (no request made).
pub fn overview(state: &WebState) -> Overview {
    let connection = status_view(state.system.connection_status());
    let api_version = state
        .system
        .discovery()
        .map_or_else(|| "unknown".to_owned(), |d| d.api_version);
    let report = state.system.health_status();
    let services = SERVICES
        .iter()
        .map(|name| {
            let health = report.service(name);
            let status = health.map_or("unavailable", row_status);
            ServiceRow {
                name: (*name).to_owned(),
                status,
                latency: health
                    .and_then(|h| h.mean_latency)
                    .map_or_else(|| "–".to_owned(), |l| format!("{} ms", l.as_millis())),
                error_rate: health.map_or_else(
                    || "–".to_owned(),
                    |h| format!("{:.0}%", h.error_rate * 100.0),
                ),
                fallback: fallback(name, status),
            }
        })
        .collect();
    Overview {
        connection,
        api_version,
        services,
    }
}

/// A service's status word: the server's own `unavailable` (not offered) when it says so and
/// answers, else the client's availability.
fn row_status(health: &ServiceHealthReport) -> &'static str {
    match (health.availability, health.server_status) {
        (Availability::Down, Some(ServiceStatus::Unavailable))
            if health.consecutive_failures == 0 =>
        {
            "unavailable"
        }
        (Availability::Up, _) => "up",
        (Availability::Degraded, _) => "degraded",
        (Availability::Down, _) => "down",
    }
}

/// The badge for a connection status.
pub fn status_view(status: ConnectionStatus) -> StatusView {
    match status {
        ConnectionStatus::Connected => StatusView {
            status: "connected",
            text: "Kiro connected".into(),
        },
        ConnectionStatus::Degraded => StatusView {
            status: "degraded",
            text: "Kiro degraded: some requests fail; cached data may be shown".into(),
        },
        ConnectionStatus::Offline => StatusView {
            status: "offline",
            text: "Kiro offline: your changes wait until it returns".into(),
        },
    }
}

/// What the user can still do while `service` is not up.
pub fn fallback(service: &str, status: &str) -> String {
    let loses = match service {
        "planning" => "projects, tasks and Gantt charts",
        "prototyping" => "components, pages and code generation",
        "documentation" => "generated documents and publishing",
        "workflow" => "workflows and their schedules",
        "execution" => "running code in the sandbox",
        _ => "uploading notes, quizzes and revision plans",
    };
    let why = match status {
        "down" => "Kiro cannot be reached",
        "degraded" => "it is degraded",
        _ => "this server does not offer it yet",
    };
    format!(
        "{} ({why}). Everything else keeps working and nothing saved is lost; it comes back here on its own.",
        capitalise(loses)
    )
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().collect::<String>() + chars.as_str()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_badge_names_each_status() {
        assert_eq!(
            status_view(ConnectionStatus::Connected).text,
            "Kiro connected"
        );
        assert_eq!(status_view(ConnectionStatus::Degraded).status, "degraded");
        assert_eq!(status_view(ConnectionStatus::Offline).status, "offline");
    }

    #[test]
    fn fallbacks_say_what_is_missing_and_why() {
        let text = fallback("planning", "unavailable");
        assert!(text.starts_with("Projects, tasks"));
        assert!(text.contains("does not offer it yet"));
        assert!(fallback("assessment", "down").contains("cannot be reached"));
    }
}

//! What the pages show about Kiro, gathered through kiro-sdk: the connection state for the
//! badge, each service's health for the Kiro dashboard, and the fallback text of a service
//! that is not available. The same views feed the first render and the live updates.

use std::time::Instant;

use kiro_sdk::KiroError;
use kiro_sdk::kiro_types::discovery::ServiceStatus;
use serde::Serialize;

use super::WebState;

/// The six Kiro services, in the order the dashboard lists them.
pub const SERVICES: [&str; 6] = [
    "planning",
    "prototyping",
    "documentation",
    "workflow",
    "execution",
    "assessment",
];

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

/// Asks the server, through the UI's own client, how it is.
pub async fn overview(state: &WebState) -> Overview {
    let started = Instant::now();
    let health = state.system.health().await;
    let latency = started.elapsed();
    let discovery = state.system.fetch_services().await;
    let connection = connection_view(health.as_ref().map(|h| h.status));
    let api_version = discovery
        .as_ref()
        .map_or_else(|_| "unknown".to_owned(), |d| d.api_version.clone());
    let reachable = health.is_ok();
    let services = SERVICES
        .iter()
        .map(|name| {
            let status = match &health {
                Ok(h) => h
                    .services
                    .iter()
                    .find(|s| s.name == *name)
                    .map_or("unavailable", |s| service_status(s.status)),
                Err(_) => "down",
            };
            ServiceRow {
                name: (*name).to_owned(),
                status,
                latency: if reachable {
                    format!("{} ms", latency.as_millis())
                } else {
                    "–".to_owned()
                },
                error_rate: if reachable { "0%" } else { "100%" }.to_owned(),
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

/// The badge for a health answer (or the failure to get one).
pub fn connection_view(health: Result<ServiceStatus, &KiroError>) -> StatusView {
    match health {
        Ok(ServiceStatus::Available) => StatusView {
            status: "connected",
            text: "Kiro connected".into(),
        },
        Ok(_) => StatusView {
            status: "degraded",
            text: "Kiro degraded: some checks fail; cached data may be shown".into(),
        },
        Err(KiroError::Connection(_) | KiroError::Timeout) => StatusView {
            status: "offline",
            text: "Kiro offline: changes wait until it returns".into(),
        },
        Err(_) => StatusView {
            status: "degraded",
            text: "Kiro degraded: the server answers with errors".into(),
        },
    }
}

fn service_status(status: ServiceStatus) -> &'static str {
    match status {
        ServiceStatus::Available => "up",
        ServiceStatus::Degraded => "degraded",
        ServiceStatus::Unavailable => "unavailable",
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
    fn the_badge_follows_the_health_answer() {
        assert_eq!(
            connection_view(Ok(ServiceStatus::Available)).status,
            "connected"
        );
        assert_eq!(
            connection_view(Ok(ServiceStatus::Degraded)).status,
            "degraded"
        );
        assert_eq!(connection_view(Err(&KiroError::Timeout)).status, "offline");
        let refused = KiroError::Connection("refused".into());
        assert_eq!(connection_view(Err(&refused)).status, "offline");
    }

    #[test]
    fn fallbacks_say_what_is_missing_and_why() {
        let text = fallback("planning", "unavailable");
        assert!(text.starts_with("Projects, tasks"));
        assert!(text.contains("does not offer it yet"));
        assert!(fallback("assessment", "down").contains("cannot be reached"));
    }
}

//! The health book behind `client.health_status()`: per service (`/v1/<service>/…`, anything
//! else is `core`), a sliding window of the last observations — one per HTTP attempt, made by
//! real requests and by the health monitor's polls — and the status the server last reported
//! for it. From these it derives each service's [`Availability`], error rate and latencies.
//!
//! The rules, exactly (the property tests check them):
//! - a *failure* is an attempt that got no answer (connection error, timeout) or a 5xx; any
//!   other answer, 4xx included, is a success: the service did its job;
//! - latency is measured on answered attempts only; mean and p95 (nearest rank) are over the
//!   answered attempts in the window;
//! - `Down` when the server reports the service `unavailable`, or its last
//!   [`DOWN_AFTER_FAILURES`] attempts failed, or the server's last attempt of any service got no
//!   answer (an unreachable server serves nothing);
//! - else `Degraded` when the server reports it `degraded`, or its last attempt failed, or its
//!   error rate over the window is at least [`DEGRADED_ERROR_RATE`];
//! - else `Up`.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, Utc};
use kiro_types::discovery::ServiceStatus;
use serde::{Deserialize, Serialize};

use crate::error::KiroError;
use crate::status::Outcome;

/// The six services of DESIGN.md §1.
pub use kiro_types::discovery::SERVICES;

/// Everything that is not under a service: auth, workspaces, discovery, health, batch.
pub const CORE: &str = "core";

/// Consecutive failures after which a service counts as down.
pub const DOWN_AFTER_FAILURES: u32 = 3;

/// The error rate over the window from which a service counts as degraded.
pub const DEGRADED_ERROR_RATE: f64 = 0.25;

/// A service's availability as the client sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Availability {
    Up,
    Degraded,
    Down,
}

/// One service's health.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceHealthReport {
    pub name: String,
    pub availability: Availability,
    /// What the server last said (`/v1/services`, or `/v1/health` for `core`).
    pub server_status: Option<ServiceStatus>,
    /// Attempts observed since the client started (or was reconfigured).
    pub requests: u64,
    pub failures: u64,
    /// Attempts in the sliding window, and how many failed.
    pub window_requests: usize,
    pub window_failures: usize,
    /// `window_failures / window_requests` (0 with an empty window).
    pub error_rate: f64,
    pub consecutive_failures: u32,
    pub last_latency: Option<Duration>,
    pub mean_latency: Option<Duration>,
    pub p95_latency: Option<Duration>,
    /// When the last attempt or status report was recorded.
    pub last_checked: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
}

/// `client.health_status()`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HealthReport {
    /// `core` and the six services, then any other service the server listed, by name.
    pub services: Vec<ServiceHealthReport>,
    /// Whether the last attempt, of any service, got an answer (`None` before the first).
    pub reachable: Option<bool>,
}

impl HealthReport {
    /// The report of `name` (`core` or a service).
    pub fn service(&self, name: &str) -> Option<&ServiceHealthReport> {
        self.services.iter().find(|s| s.name == name)
    }
}

/// Which service a request path belongs to: `/v1/<service>/…` (and the workflow service's
/// `/v1/workflows`, `/v1/workflow-executions`), else `core`.
pub fn service_of(path: &str) -> &'static str {
    let rest = path.strip_prefix("/v1/").unwrap_or("");
    let segment = match rest.split(['/', '?']).next().unwrap_or("") {
        "workflows" | "workflow-executions" => "workflow",
        other => other,
    };
    SERVICES
        .iter()
        .find(|s| **s == segment)
        .copied()
        .unwrap_or(CORE)
}

#[derive(Debug, Clone, Copy)]
struct Sample {
    failed: bool,
    latency: Option<Duration>,
}

#[derive(Debug, Default)]
struct Track {
    window: VecDeque<Sample>,
    requests: u64,
    failures: u64,
    consecutive_failures: u32,
    last_latency: Option<Duration>,
    last_checked: Option<DateTime<Utc>>,
    last_error: Option<String>,
    server_status: Option<ServiceStatus>,
}

impl Track {
    /// Down by the server's word or by observation (not counting reachability).
    fn down(&self) -> bool {
        self.server_status == Some(ServiceStatus::Unavailable)
            || self.consecutive_failures >= DOWN_AFTER_FAILURES
    }

    fn report(&self, name: &str, reachable: Option<bool>) -> ServiceHealthReport {
        let window_failures = self.window.iter().filter(|s| s.failed).count();
        let error_rate = if self.window.is_empty() {
            0.0
        } else {
            window_failures as f64 / self.window.len() as f64
        };
        let availability = if self.down() || reachable == Some(false) {
            Availability::Down
        } else if self.server_status == Some(ServiceStatus::Degraded)
            || self.window.back().is_some_and(|s| s.failed)
            || error_rate >= DEGRADED_ERROR_RATE
        {
            Availability::Degraded
        } else {
            Availability::Up
        };
        let mut latencies: Vec<Duration> = self.window.iter().filter_map(|s| s.latency).collect();
        latencies.sort_unstable();
        ServiceHealthReport {
            name: name.to_owned(),
            availability,
            server_status: self.server_status,
            requests: self.requests,
            failures: self.failures,
            window_requests: self.window.len(),
            window_failures,
            error_rate,
            consecutive_failures: self.consecutive_failures,
            last_latency: self.last_latency,
            mean_latency: mean(&latencies),
            p95_latency: p95(&latencies),
            last_checked: self.last_checked,
            last_error: self.last_error.clone(),
        }
    }
}

fn mean(latencies: &[Duration]) -> Option<Duration> {
    let n = u32::try_from(latencies.len()).ok().filter(|n| *n > 0)?;
    Some(latencies.iter().sum::<Duration>() / n)
}

/// Nearest rank: the smallest sample with at least 95% of the samples at or below it.
fn p95(sorted: &[Duration]) -> Option<Duration> {
    let rank = (sorted.len() * 95).div_ceil(100);
    sorted.get(rank.checked_sub(1)?).copied()
}

#[derive(Debug, Default)]
struct Book {
    services: BTreeMap<String, Track>,
    reachable: Option<bool>,
}

/// The health book of one client.
pub(crate) struct HealthBook {
    book: Mutex<Book>,
    window: usize,
}

impl HealthBook {
    pub(crate) fn new(window: usize) -> Self {
        Self {
            book: Mutex::new(Book::default()),
            window: window.max(1),
        }
    }

    /// Records one attempt to `path`: answered with `status` after `latency`, or failed with
    /// `error` (after `latency` when the server answered).
    pub(crate) fn record(&self, path: &str, latency: Duration, result: Result<u16, &KiroError>) {
        let outcome = match result {
            Ok(status) => Outcome::of_status(status),
            Err(error) => Outcome::of_error(error),
        };
        let failed = outcome != Outcome::Answered;
        let answered = outcome != Outcome::Unreachable;
        let Ok(mut book) = self.book.lock() else {
            return;
        };
        book.reachable = Some(answered);
        let track = book
            .services
            .entry(service_of(path).to_owned())
            .or_default();
        track.window.push_back(Sample {
            failed,
            latency: answered.then_some(latency),
        });
        while track.window.len() > self.window {
            track.window.pop_front();
        }
        track.requests += 1;
        track.last_checked = Some(Utc::now());
        if answered {
            track.last_latency = Some(latency);
        }
        if failed {
            track.failures += 1;
            track.consecutive_failures += 1;
            track.last_error = Some(match result {
                Err(error) => error.to_string(),
                Ok(status) => format!("HTTP {status}"),
            });
        } else {
            track.consecutive_failures = 0;
        }
    }

    /// Records what the server says of each service (and of `core`).
    pub(crate) fn set_server_statuses(&self, statuses: &[(String, ServiceStatus)]) {
        let Ok(mut book) = self.book.lock() else {
            return;
        };
        let now = Utc::now();
        for (name, status) in statuses {
            let track = book.services.entry(name.clone()).or_default();
            track.server_status = Some(*status);
            track.last_checked = Some(now);
        }
    }

    /// Whether a service is down by the server's word or by observation.
    /// Whether what the client sees degrades the connection: the server reports itself (core)
    /// not available or a service degraded, or a service's requests keep failing. A service
    /// the server reports `unavailable` (one it does not offer) does not: its absence is shown
    /// per service, while the connection to the server is fine.
    pub(crate) fn connection_degraded(&self) -> bool {
        self.book
            .lock()
            .map(|b| {
                b.services.iter().any(|(name, track)| {
                    track.consecutive_failures >= DOWN_AFTER_FAILURES
                        || track.server_status == Some(ServiceStatus::Degraded)
                        || (name == CORE && track.server_status == Some(ServiceStatus::Unavailable))
                })
            })
            .unwrap_or(false)
    }

    pub(crate) fn report(&self) -> HealthReport {
        let Ok(mut book) = self.book.lock() else {
            return HealthReport {
                services: Vec::new(),
                reachable: None,
            };
        };
        for name in std::iter::once(CORE).chain(SERVICES) {
            book.services.entry(name.to_owned()).or_default();
        }
        let reachable = book.reachable;
        let mut services: Vec<ServiceHealthReport> = book
            .services
            .iter()
            .map(|(name, track)| track.report(name, reachable))
            .collect();
        services.sort_by_key(|s| (s.name != CORE, s.name.clone()));
        HealthReport {
            services,
            reachable,
        }
    }

    /// Forgets everything (a new server after reconfiguration).
    pub(crate) fn reset(&self) {
        if let Ok(mut book) = self.book.lock() {
            *book = Book::default();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    fn availability(book: &HealthBook, name: &str) -> Option<Availability> {
        book.report().service(name).map(|s| s.availability)
    }

    #[test]
    fn paths_map_to_services() {
        assert_eq!(service_of("/v1/planning/projects/1"), "planning");
        assert_eq!(service_of("/v1/planning?x=1"), "planning");
        assert_eq!(service_of("/v1/workspaces/1"), CORE);
        assert_eq!(service_of("/v1/planningx/1"), CORE);
        assert_eq!(service_of("/v1/workflow-executions/e/stop"), "workflow");
        assert_eq!(service_of("/metrics"), CORE);
    }

    #[test]
    fn error_rate_and_latencies_cover_the_window() {
        let book = HealthBook::new(4);
        let unavailable = KiroError::from_response(503, None, b"");
        for ms in [10, 20, 30] {
            book.record("/v1/planning/p", MS * ms, Ok(200));
        }
        book.record("/v1/planning/p", MS * 40, Err(&unavailable));
        book.record("/v1/planning/p", MS * 50, Ok(404));
        let report = book.report();
        let planning = report.service("planning");
        assert_eq!(planning.map(|p| p.requests), Some(5));
        assert_eq!(planning.map(|p| p.window_requests), Some(4));
        assert_eq!(planning.map(|p| p.error_rate), Some(0.25));
        assert_eq!(planning.and_then(|p| p.mean_latency), Some(MS * 35));
        assert_eq!(planning.and_then(|p| p.p95_latency), Some(MS * 50));
        assert_eq!(planning.and_then(|p| p.last_latency), Some(MS * 50));
        assert_eq!(
            availability(&book, "planning"),
            Some(Availability::Degraded)
        );
        assert_eq!(availability(&book, "core"), Some(Availability::Up));
    }

    #[test]
    fn consecutive_failures_and_an_unreachable_server_mean_down() {
        let book = HealthBook::new(100);
        let failing = KiroError::from_response(500, None, b"");
        for _ in 0..DOWN_AFTER_FAILURES {
            book.record("/v1/execution/jobs", MS, Err(&failing));
        }
        assert_eq!(availability(&book, "execution"), Some(Availability::Down));
        assert!(book.connection_degraded());
        book.record(
            "/v1/auth/me",
            MS,
            Err(&KiroError::Connection("refused".into())),
        );
        assert_eq!(availability(&book, "assessment"), Some(Availability::Down));
        let core = book.report().service(CORE).cloned();
        assert_eq!(core.as_ref().and_then(|c| c.last_latency), None);
        assert!(core.and_then(|c| c.last_error).is_some());
        book.record("/v1/auth/me", MS, Ok(200));
        assert_eq!(availability(&book, "assessment"), Some(Availability::Up));
    }

    #[test]
    fn the_servers_word_counts() {
        let book = HealthBook::new(10);
        book.set_server_statuses(&[
            ("planning".into(), ServiceStatus::Unavailable),
            ("workflow".into(), ServiceStatus::Degraded),
        ]);
        assert_eq!(availability(&book, "planning"), Some(Availability::Down));
        assert_eq!(
            availability(&book, "workflow"),
            Some(Availability::Degraded)
        );
        assert_eq!(
            book.report().services.first().map(|s| s.name.as_str()),
            Some(CORE)
        );
        book.reset();
        assert!(!book.connection_degraded());
    }

    #[test]
    fn p95_is_the_nearest_rank() {
        let samples: Vec<Duration> = (1..=20).map(|i| MS * i).collect();
        assert_eq!(p95(&samples), Some(MS * 19));
        assert_eq!(p95(&samples[..1]), Some(MS));
        assert_eq!(p95(&[]), None);
    }
}

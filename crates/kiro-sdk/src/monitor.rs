//! The health monitor: a background task that polls `GET /v1/health` and `GET /v1/services`
//! at an interval — one attempt each, no retries, no credentials — and records what the
//! server says of each service in the health book (the polls themselves count as `core`
//! attempts, like any request). It holds the client weakly: it ends when its
//! [`HealthMonitor`] guard is dropped or when the client is.

use std::time::Duration;

use kiro_types::discovery::{HealthOut, ServiceStatus, ServicesOut};
use tokio::task::JoinHandle;

use crate::call::Call;
use crate::client::KiroClient;
use crate::error::KiroError;
use crate::health::CORE;

/// A running health monitor; dropping it stops the task.
#[derive(Debug)]
pub struct HealthMonitor {
    task: JoinHandle<()>,
}

impl HealthMonitor {
    /// Whether the task is still running.
    pub fn is_running(&self) -> bool {
        !self.task.is_finished()
    }
}

impl Drop for HealthMonitor {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl KiroClient {
    /// Starts polling the server's health every `interval` (the first poll at once). Needs a
    /// Tokio runtime.
    pub fn start_health_monitor(&self, interval: Duration) -> HealthMonitor {
        let weak = self.downgrade();
        let mut alive = self.inner.alive.subscribe();
        let task = tokio::spawn(async move {
            let mut ticker = tokio::time::interval(interval.max(Duration::from_millis(1)));
            ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    _ = alive.changed() => return,
                    _ = ticker.tick() => {}
                }
                let Some(inner) = weak.upgrade() else { return };
                let _ = KiroClient { inner }.poll_health().await;
            }
        });
        HealthMonitor { task }
    }

    /// One round of the health monitor, done now: polls `/v1/health` and `/v1/services` and
    /// records the statuses. The first failure is returned once both polls are done.
    pub async fn poll_health(&self) -> Result<(), KiroError> {
        let health = self
            .attempt_once(&Call::get("/v1/health"))
            .await
            .and_then(|r| r.json::<HealthOut>());
        let services = self
            .attempt_once(&Call::get("/v1/services"))
            .await
            .and_then(|r| r.json::<ServicesOut>());
        let mut statuses: Vec<(String, ServiceStatus)> = Vec::new();
        if let Ok(health) = &health {
            statuses.push((CORE.to_owned(), health.status));
            statuses.extend(health.services.iter().map(|s| (s.name.clone(), s.status)));
        }
        if let Ok(out) = &services {
            statuses.extend(out.services.iter().map(|s| (s.name.clone(), s.status)));
            self.set_discovery(out.clone());
        }
        let transport = &self.inner.transport;
        transport.health.set_server_statuses(&statuses);
        transport
            .status
            .set_service_down(transport.health.connection_degraded());
        health.and(services).map(|_| ())
    }
}

//! Retention: a task that removes events older than `events.retention_days`, hourly and once
//! at start, for as long as the hub lives.

use std::sync::{Arc, Weak};
use std::time::Duration;

use kiro_core::{Clock, Store};

use super::EventHub;

const SWEEP_EVERY: Duration = Duration::from_secs(3600);

/// Starts the sweeper.
pub fn start(store: Arc<dyn Store>, clock: Arc<dyn Clock>, hub: Weak<EventHub>, days: u64) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(SWEEP_EVERY);
        loop {
            every.tick().await;
            if hub.strong_count() == 0 {
                return;
            }
            let days = i64::try_from(days).unwrap_or(i64::MAX);
            let before = clock.now() - chrono::Duration::days(days);
            match store.sweep_events(before).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(removed = n, "swept expired events"),
                Err(e) => tracing::warn!(error = %e, "cannot sweep events"),
            }
        }
    });
}

impl EventHub {
    /// Starts retention for this hub's store.
    pub fn start_retention(
        self: &Arc<Self>,
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        days: u64,
    ) {
        start(store, clock, Arc::downgrade(self), days);
    }
}

//! The sync panel of the Kiro dashboard (requirement 8.5): how many changes wait to reach
//! the server and which conflicts were resolved while syncing.

use kiro_sdk::{ConflictReport, Resolution};
use serde::Serialize;

use super::session::Session;

/// One conflict, as the table lists it.
#[derive(Debug, Clone, Serialize)]
pub struct ConflictRow {
    pub change: String,
    pub resolution: String,
    pub when: String,
}

impl ConflictRow {
    /// How the dashboard lists `report`.
    pub fn of(report: &ConflictReport) -> Self {
        let call = &report.conflict.call;
        let resolution = match &report.resolution {
            Resolution::AlreadyApplied => "already applied on the server".to_owned(),
            Resolution::ServerWins => "the server's version was kept".to_owned(),
            Resolution::ClientWins => "your change was applied over the server's".to_owned(),
            Resolution::Merged(_) => "merged".to_owned(),
            Resolution::MergeDropped => "dropped by the merge".to_owned(),
            Resolution::Failed(why) => format!("could not be resolved: {why}"),
        };
        Self {
            change: format!("{} {}", call.method, call.path),
            resolution,
            when: chrono::Utc::now().format("%H:%M:%S").to_string(),
        }
    }
}

/// The sync panel.
#[derive(Debug, Clone, Serialize)]
pub struct SyncView {
    pub pending: usize,
    pub summary: String,
    pub conflicts: Vec<ConflictRow>,
}

impl SyncView {
    /// The state of `session`'s changes.
    pub async fn of(session: &Session) -> Self {
        let conflicts = session.conflicts().await;
        let pending = session.pending().await;
        Self {
            pending,
            summary: summary(pending, conflicts.len()),
            conflicts,
        }
    }
}

fn summary(pending: usize, conflicts: usize) -> String {
    let waiting = match pending {
        0 => "All changes are saved on the server.".to_owned(),
        1 => "1 change waits for Kiro to come back.".to_owned(),
        n => format!("{n} changes wait for Kiro to come back."),
    };
    match conflicts {
        0 => waiting,
        1 => format!("{waiting} 1 conflict was resolved."),
        n => format!("{waiting} {n} conflicts were resolved."),
    }
}

#[cfg(test)]
mod tests {
    use super::summary;

    #[test]
    fn the_summary_counts_changes_and_conflicts() {
        assert_eq!(summary(0, 0), "All changes are saved on the server.");
        assert_eq!(summary(1, 0), "1 change waits for Kiro to come back.");
        assert_eq!(
            summary(3, 2),
            "3 changes wait for Kiro to come back. 2 conflicts were resolved."
        );
    }
}

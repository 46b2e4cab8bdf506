//! Small text pieces the `plan` commands share: date ranges, hours, and the tasks of a
//! project read in full (every page).

use chrono::NaiveDate;
use futures::TryStreamExt;
use kiro_sdk::kiro_types::planning::Task;
use kiro_sdk::{KiroClient, KiroError, TaskQuery};

/// `2026-01-05 – 2026-01-09`, one side `…` when open, `undated` when neither is set.
pub fn dates(start: Option<NaiveDate>, end: Option<NaiveDate>) -> String {
    match (start, end) {
        (None, None) => "undated".to_owned(),
        (start, end) => format!("{} – {}", day(start), day(end)),
    }
}

/// A day, or `…` when not set.
pub fn day(date: Option<NaiveDate>) -> String {
    date.map_or_else(|| "…".to_owned(), |d| d.to_string())
}

/// Hours without a needless `.0`: `12 h`, `7.5 h`.
pub fn hours(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0} h")
    } else {
        format!("{value:.1} h")
    }
}

/// Every task of `project` matching `query`, oldest first.
pub async fn project_tasks(
    client: &KiroClient,
    project: &str,
    query: &TaskQuery,
) -> Result<Vec<Task>, KiroError> {
    client
        .planning()
        .all_tasks(project, query)
        .try_collect()
        .await
}

/// The title of task `id` among `tasks`, else the id itself.
pub fn title<'a>(tasks: &'a [Task], id: &'a str) -> &'a str {
    tasks
        .iter()
        .find(|t| t.id == id)
        .map_or(id, |t| t.title.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_say_what_is_missing() {
        let d = NaiveDate::from_ymd_opt(2026, 1, 5);
        assert_eq!(dates(d, d), "2026-01-05 – 2026-01-05");
        assert_eq!(dates(d, None), "2026-01-05 – …");
        assert_eq!(dates(None, None), "undated");
    }

    #[test]
    fn whole_hours_drop_the_decimal() {
        assert_eq!(hours(12.0), "12 h");
        assert_eq!(hours(7.5), "7.5 h");
    }
}

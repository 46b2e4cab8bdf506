//! The dates a plan view draws, shared by the SVG Gantt chart and the terminal one: each
//! task's span (its own dates, else the scheduler's earliest dates), whether it is on the
//! critical path or breaks a dependency, and the day range a chart must cover.

use std::collections::{HashMap, HashSet};

use chrono::{Duration, NaiveDate};
use kiro_sdk::kiro_types::planning::{Milestone, Schedule, ScheduledTask, Task};

/// One task as a plan view draws it. `end` is the last day of work (inclusive).
#[derive(Debug, Clone, PartialEq)]
pub struct TaskSpan<'a> {
    pub task: &'a Task,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub critical: bool,
    /// Messages of the schedule's violations in which this task is the successor.
    pub violations: Vec<&'a str>,
}

/// The span of `task`: its own start (else the scheduled earliest start), and its own end
/// when it is not before the start (else start + the scheduled duration). `None` when the
/// task has no start date and the schedule does not know it.
fn span(task: &Task, scheduled: Option<&ScheduledTask>) -> Option<(NaiveDate, NaiveDate)> {
    let start = task.start_date.or(scheduled.map(|s| s.earliest_start))?;
    let days = scheduled.map_or(1, |s| s.duration_days.max(1));
    let end = task
        .end_date
        .filter(|end| *end >= start)
        .unwrap_or(start + Duration::days(days - 1));
    Some((start, end))
}

/// Every task of `tasks` that can be placed, in the given order, with its span and flags.
pub fn spans<'a>(tasks: &'a [Task], schedule: &'a Schedule) -> Vec<TaskSpan<'a>> {
    let scheduled: HashMap<&str, &ScheduledTask> = schedule
        .tasks
        .iter()
        .map(|s| (s.task_id.as_str(), s))
        .collect();
    let critical: HashSet<&str> = schedule.critical_path.iter().map(String::as_str).collect();
    let mut broken: HashMap<&str, Vec<&str>> = HashMap::new();
    for v in &schedule.violations {
        broken
            .entry(v.successor_id.as_str())
            .or_default()
            .push(v.message.as_str());
    }
    tasks
        .iter()
        .filter_map(|task| {
            let (start, end) = span(task, scheduled.get(task.id.as_str()).copied())?;
            Some(TaskSpan {
                task,
                start,
                end,
                critical: critical.contains(task.id.as_str()),
                violations: broken.remove(task.id.as_str()).unwrap_or_default(),
            })
        })
        .collect()
}

/// The first and last day a chart of `spans` and `milestones` covers (`today` only when
/// there is nothing else to show).
pub fn range(
    spans: &[TaskSpan<'_>],
    milestones: &[Milestone],
    today: NaiveDate,
) -> (NaiveDate, NaiveDate) {
    let starts = spans
        .iter()
        .map(|s| s.start)
        .chain(milestones.iter().map(|m| m.date));
    let ends = spans
        .iter()
        .map(|s| s.end)
        .chain(milestones.iter().map(|m| m.date));
    (starts.min().unwrap_or(today), ends.max().unwrap_or(today))
}

/// `text` cut to `max` characters with an ellipsis (the full text goes in a `<title>`).
pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(max.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    }
}

#[cfg(test)]
pub(crate) mod fixtures {
    //! Tasks, schedules and milestones for the plan views' tests.
    use chrono::{NaiveDate, Utc};
    use kiro_sdk::kiro_types::planning::{Milestone, Task, TaskPriority, TaskStatus};

    pub fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_default()
    }

    pub fn task(id: &str, start: Option<&str>, end: Option<&str>, deps: &[&str]) -> Task {
        Task {
            id: id.into(),
            project_id: "p".into(),
            title: format!("Task {id}"),
            description: String::new(),
            status: TaskStatus::Todo,
            priority: TaskPriority::Medium,
            assignee: None,
            estimated_hours: 16.0,
            actual_hours: 0.0,
            dependencies: deps.iter().map(|d| (*d).to_owned()).collect(),
            tags: Vec::new(),
            start_date: start.map(day),
            end_date: end.map(day),
            created_at: Utc::now(),
            updated_at: Utc::now(),
            version: 1,
        }
    }

    pub fn milestone(name: &str, date: &str) -> Milestone {
        Milestone {
            id: format!("m-{name}"),
            project_id: "p".into(),
            name: name.into(),
            description: String::new(),
            date: day(date),
            task_ids: Vec::new(),
            created_at: Utc::now(),
            updated_at: Utc::now(),
            version: 1,
        }
    }
}

#[cfg(test)]
#[allow(clippy::panic)]
mod tests {
    use super::fixtures::{day, task};
    use super::*;
    use kiro_core::planning::plan::build_schedule;
    use kiro_sdk::kiro_types::planning::{Dependency, DependencyKind};

    fn dep(from: &str, to: &str) -> Dependency {
        Dependency {
            id: format!("{from}-{to}"),
            predecessor_id: from.into(),
            successor_id: to.into(),
            kind: DependencyKind::FinishToStart,
            lag_days: 0,
            created_at: chrono::Utc::now(),
        }
    }

    #[test]
    fn own_dates_win_and_undated_tasks_take_their_earliest_dates() {
        let tasks = [
            task("a", Some("2026-01-05"), Some("2026-01-07"), &[]),
            task("b", None, None, &["a"]),
            task("c", Some("2026-01-06"), None, &[]),
        ];
        let schedule = build_schedule("p", day("2026-01-05"), &tasks, &[dep("a", "b")]);
        let schedule = schedule.unwrap_or_else(|| panic!("acyclic"));
        let spans = spans(&tasks, &schedule);
        assert_eq!(
            (spans[0].start, spans[0].end),
            (day("2026-01-05"), day("2026-01-07"))
        );
        // b: 16 h = 2 days after a finishes.
        assert_eq!(
            (spans[1].start, spans[1].end),
            (day("2026-01-08"), day("2026-01-09"))
        );
        assert_eq!(
            (spans[2].start, spans[2].end),
            (day("2026-01-06"), day("2026-01-07"))
        );
        assert!(spans[0].critical && spans[1].critical && !spans[2].critical);
        assert_eq!(
            range(&spans, &[], day("2030-01-01")),
            (day("2026-01-05"), day("2026-01-09"))
        );
    }

    #[test]
    fn a_successor_that_starts_too_early_carries_the_violation() {
        let tasks = [
            task("a", Some("2026-01-05"), Some("2026-01-07"), &[]),
            task("b", Some("2026-01-06"), Some("2026-01-06"), &["a"]),
        ];
        let schedule = build_schedule("p", day("2026-01-05"), &tasks, &[dep("a", "b")]);
        let schedule = schedule.unwrap_or_else(|| panic!("acyclic"));
        let spans = spans(&tasks, &schedule);
        assert!(spans[0].violations.is_empty());
        assert_eq!(spans[1].violations.len(), 1);
    }
}

//! `conceptpulse plan task move TASK --start DATE [--end DATE]`: moves a task (keeping its
//! length when no end is given) under its project's constraint policy, then says which
//! successors the server pushed later (`reschedule`): the project's tasks are read before
//! and after, and every other task whose dates changed is listed with both ranges. A move
//! the policy refuses prints the dependencies it would break and exits 5.

use chrono::NaiveDate;
use kiro_sdk::kiro_types::planning::{Task, TaskPatch};
use kiro_sdk::{KiroClient, TaskQuery};
use serde::Serialize;

use super::args::TaskMoveArgs;
use super::refusal;
use super::render::{dates, project_tasks};
use crate::cli::exit;
use crate::cli::output::{Output, table};

/// A task the move pushed, with its dates before and after.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rescheduled {
    pub task_id: String,
    pub title: String,
    pub from_start: Option<NaiveDate>,
    pub from_end: Option<NaiveDate>,
    pub to_start: Option<NaiveDate>,
    pub to_end: Option<NaiveDate>,
}

#[derive(Debug, Serialize)]
struct MoveOut {
    task: Task,
    rescheduled: Vec<Rescheduled>,
}

/// The new last day: `end`, else the task's length kept from `start`.
fn new_end(task: &Task, start: NaiveDate, end: Option<NaiveDate>) -> NaiveDate {
    end.unwrap_or_else(|| match (task.start_date, task.end_date) {
        (Some(s), Some(e)) if e >= s => start + (e - s),
        _ => start,
    })
}

/// The tasks other than `moved` whose dates differ between `before` and `after`.
pub fn rescheduled(moved: &str, before: &[Task], after: &[Task]) -> Vec<Rescheduled> {
    after
        .iter()
        .filter(|t| t.id != moved)
        .filter_map(|t| {
            let old = before.iter().find(|b| b.id == t.id)?;
            let changed = old.start_date != t.start_date || old.end_date != t.end_date;
            changed.then(|| Rescheduled {
                task_id: t.id.clone(),
                title: t.title.clone(),
                from_start: old.start_date,
                from_end: old.end_date,
                to_start: t.start_date,
                to_end: t.end_date,
            })
        })
        .collect()
}

/// `conceptpulse plan task move`.
pub async fn move_task(client: &KiroClient, out: Output, args: TaskMoveArgs) -> u8 {
    let planning = client.planning();
    let task = match planning.get_task(&args.task).await {
        Ok(task) => task,
        Err(e) => return refusal::fail(client, out, &e).await,
    };
    let end = new_end(&task, args.start, args.end);
    if end < args.start {
        return out.fail_message(exit::USAGE, "--end must not be before --start");
    }
    let all = TaskQuery::default();
    let before = match project_tasks(client, &task.project_id, &all).await {
        Ok(tasks) => tasks,
        Err(e) => return refusal::fail(client, out, &e).await,
    };
    let patch = TaskPatch {
        start_date: Some(Some(args.start)),
        end_date: Some(Some(end)),
        ..TaskPatch::default()
    };
    let moved = match planning
        .update_task(&task.id, &patch, Some(task.version))
        .await
    {
        Ok(moved) => moved,
        Err(e) => return refusal::fail(client, out, &e).await,
    };
    let after = match project_tasks(client, &task.project_id, &all).await {
        Ok(tasks) => tasks,
        Err(e) => return refusal::fail(client, out, &e).await,
    };
    let value = MoveOut {
        rescheduled: rescheduled(&moved.id, &before, &after),
        task: moved,
    };
    out.emit(&value, describe);
    exit::OK
}

fn describe(moved: &MoveOut) -> String {
    let t = &moved.task;
    let mut text = format!(
        "Moved task {} ({}) to {}.",
        t.title,
        t.id,
        dates(t.start_date, t.end_date)
    );
    if moved.rescheduled.is_empty() {
        text.push_str("\nNo other task had to move.");
    } else {
        text.push_str(&format!(
            "\nRescheduled {} successor(s):\n",
            moved.rescheduled.len()
        ));
        let rows = moved.rescheduled.iter().map(|r| {
            vec![
                r.task_id.clone(),
                r.title.clone(),
                dates(r.from_start, r.from_end),
                dates(r.to_start, r.to_end),
            ]
        });
        text.push_str(&table(&["ID", "Title", "Was", "Now"], rows));
    }
    text
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use chrono::Utc;
    use kiro_sdk::kiro_types::planning::{TaskPriority, TaskStatus};

    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn task(id: &str, start: &str, end: &str) -> Task {
        Task {
            id: id.into(),
            project_id: "p".into(),
            title: format!("Task {id}"),
            description: String::new(),
            status: TaskStatus::Todo,
            priority: TaskPriority::Medium,
            assignee: None,
            estimated_hours: 0.0,
            actual_hours: 0.0,
            dependencies: Vec::new(),
            tags: Vec::new(),
            start_date: Some(day(start)),
            end_date: Some(day(end)),
            created_at: Utc::now(),
            updated_at: Utc::now(),
            version: 1,
        }
    }

    #[test]
    fn a_move_without_an_end_keeps_the_length() {
        let t = task("a", "2026-01-05", "2026-01-07");
        assert_eq!(new_end(&t, day("2026-01-10"), None), day("2026-01-12"));
        assert_eq!(
            new_end(&t, day("2026-01-10"), Some(day("2026-01-10"))),
            day("2026-01-10")
        );
    }

    #[test]
    fn only_other_tasks_whose_dates_changed_are_listed() {
        let before = vec![
            task("a", "2026-01-05", "2026-01-07"),
            task("b", "2026-01-08", "2026-01-09"),
            task("c", "2026-01-08", "2026-01-09"),
        ];
        let mut after = before.clone();
        after[0] = task("a", "2026-01-10", "2026-01-12");
        after[1] = task("b", "2026-01-13", "2026-01-14");
        let pushed = rescheduled("a", &before, &after);
        assert_eq!(pushed.len(), 1, "{pushed:?}");
        assert_eq!(pushed[0].task_id, "b");
        assert_eq!(pushed[0].from_start, Some(day("2026-01-08")));
        assert_eq!(pushed[0].to_end, Some(day("2026-01-14")));
    }
}

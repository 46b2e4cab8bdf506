//! `conceptpulse plan tasks PROJECT` and `plan task add|status|delete`: a project's tasks
//! as a table (filtered by status, assignee, tag or milestone), adding one with its dates,
//! estimate, assignee, priority and tags, changing its status, and deleting it.

use kiro_sdk::kiro_types::planning::{Task, TaskIn, TaskPatch, TaskStatus};
use kiro_sdk::{KiroClient, TaskQuery};
use serde_json::json;

use super::args::{TaskAddArgs, TasksArgs};
use super::refusal;
use super::render::{dates, hours, project_tasks, title};
use crate::cli::exit;
use crate::cli::output::{Output, table};

/// `conceptpulse plan tasks PROJECT`.
pub async fn list(client: &KiroClient, out: Output, args: TasksArgs) -> u8 {
    let query = TaskQuery {
        status: args.status.map(Into::into),
        assignee: args.assignee,
        tag: args.tag,
        milestone_id: args.milestone,
        ..TaskQuery::default()
    };
    match project_tasks(client, &args.project, &query).await {
        Ok(tasks) => {
            out.emit(&tasks, |t| tasks_table(t));
            exit::OK
        }
        Err(e) => refusal::fail(client, out, &e).await,
    }
}

fn tasks_table(tasks: &[Task]) -> String {
    if tasks.is_empty() {
        return "No tasks match. Add one: conceptpulse plan task add PROJECT TITLE --start DATE --end DATE".to_owned();
    }
    let rows = tasks.iter().map(|t| {
        let after: Vec<&str> = t.dependencies.iter().map(|d| title(tasks, d)).collect();
        vec![
            t.id.clone(),
            t.title.clone(),
            t.status.as_str().to_owned(),
            t.priority.as_str().to_owned(),
            t.assignee.clone().unwrap_or_default(),
            dates(t.start_date, t.end_date),
            hours(t.estimated_hours),
            after.join(", "),
        ]
    });
    table(
        &[
            "ID", "Title", "Status", "Priority", "Assignee", "Dates", "Estimate", "After",
        ],
        rows,
    )
}

/// `conceptpulse plan task add PROJECT TITLE`.
pub async fn add(client: &KiroClient, out: Output, args: TaskAddArgs) -> u8 {
    if args.end < args.start {
        return out.fail_message(exit::USAGE, "--end must not be before --start");
    }
    let request = TaskIn {
        title: args.title,
        description: args.description,
        status: None,
        priority: args.priority.map(Into::into),
        assignee: args.assignee,
        estimated_hours: args.estimate,
        actual_hours: None,
        tags: args.tags,
        start_date: Some(args.start),
        end_date: Some(args.end),
    };
    match client.planning().create_task(&args.project, &request).await {
        Ok(task) => {
            out.emit(&task, |t| {
                format!(
                    "Added task {} ({}), {}, {} estimated.",
                    t.title,
                    t.id,
                    dates(t.start_date, t.end_date),
                    hours(t.estimated_hours)
                )
            });
            exit::OK
        }
        Err(e) => refusal::fail(client, out, &e).await,
    }
}

/// `conceptpulse plan task status TASK STATUS`.
pub async fn set_status(client: &KiroClient, out: Output, id: &str, status: TaskStatus) -> u8 {
    let patch = TaskPatch {
        status: Some(status),
        ..TaskPatch::default()
    };
    match client.planning().update_task(id, &patch, None).await {
        Ok(task) => {
            out.emit(&task, |t| {
                format!("Task {} ({}) is now {}.", t.title, t.id, t.status.as_str())
            });
            exit::OK
        }
        Err(e) => refusal::fail(client, out, &e).await,
    }
}

/// `conceptpulse plan task delete TASK [--cascade]`.
pub async fn delete(client: &KiroClient, out: Output, id: &str, cascade: bool) -> u8 {
    match client.planning().delete_task(id, cascade).await {
        Ok(()) => {
            out.emit(&json!({ "deleted": id, "cascade": cascade }), |_| {
                if cascade {
                    format!("Deleted task {id} and the dependencies on it.")
                } else {
                    format!("Deleted task {id}.")
                }
            });
            exit::OK
        }
        Err(e) => refusal::fail(client, out, &e).await,
    }
}

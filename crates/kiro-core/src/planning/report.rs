//! Metrics and reports from a project's tasks, milestones and schedule: status counts,
//! hours, overdue and at-risk tasks (open, with no slack left or ending within three days),
//! the burndown/burnup by day, and estimated vs actual hours.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use kiro_types::planning::{
    BurndownPoint, HoursRow, Milestone, Project, ProjectMetrics, Report, ReportType, Schedule,
    Task, TaskFlag, TaskStatus,
};

/// Days before its end at which an open task counts as at risk.
const AT_RISK_DAYS: i64 = 3;

/// Everything a report is made from.
#[derive(Debug, Clone, Copy)]
pub struct ReportInput<'a> {
    pub project: &'a Project,
    pub tasks: &'a [Task],
    pub milestones: &'a [Milestone],
    pub schedule: &'a Schedule,
    pub today: NaiveDate,
    pub now: DateTime<Utc>,
}

fn overdue(task: &Task, today: NaiveDate) -> bool {
    !task.status.is_closed() && task.end_date.is_some_and(|e| e < today)
}

fn flag(task: &Task, reason: String) -> TaskFlag {
    TaskFlag {
        task_id: task.id.clone(),
        title: task.title.clone(),
        assignee: task.assignee.clone(),
        end_date: task.end_date,
        reason,
    }
}

/// Overdue tasks, then at-risk ones (not overdue).
pub fn flags(input: &ReportInput<'_>) -> (Vec<TaskFlag>, Vec<TaskFlag>) {
    let slack: BTreeMap<&str, i64> = input
        .schedule
        .tasks
        .iter()
        .map(|t| (t.task_id.as_str(), t.slack_days))
        .collect();
    let violated: Vec<&str> = input
        .schedule
        .violations
        .iter()
        .map(|v| v.successor_id.as_str())
        .collect();
    let (mut late, mut risky) = (Vec::new(), Vec::new());
    for t in input.tasks.iter().filter(|t| !t.status.is_closed()) {
        if let Some(end) = t.end_date.filter(|_| overdue(t, input.today)) {
            let days = (input.today - end).num_days();
            late.push(flag(
                t,
                format!("ended {end}, {days} day(s) ago, and is not done"),
            ));
        } else if violated.contains(&t.id.as_str()) {
            risky.push(flag(t, "its dates break a dependency".into()));
        } else if t.status == TaskStatus::Blocked {
            risky.push(flag(t, "blocked".into()));
        } else if let Some(end) = t
            .end_date
            .filter(|e| (*e - input.today).num_days() <= AT_RISK_DAYS)
        {
            risky.push(flag(t, format!("due {end} and not done")));
        } else if t.actual_hours > t.estimated_hours && t.estimated_hours > 0.0 {
            risky.push(flag(t, "more hours worked than estimated".into()));
        } else if slack.get(t.id.as_str()) == Some(&0) && t.status == TaskStatus::Todo {
            risky.push(flag(t, "on the critical path and not started".into()));
        }
    }
    (late, risky)
}

/// The design's `ProjectMetrics`.
pub fn metrics(input: &ReportInput<'_>) -> ProjectMetrics {
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    let mut by_status = BTreeMap::new();
    for t in input.tasks {
        *by_status.entry(t.status.as_str().to_owned()).or_insert(0) += 1;
    }
    let counted: Vec<&Task> = input
        .tasks
        .iter()
        .filter(|t| t.status != TaskStatus::Cancelled)
        .collect();
    let estimated: f64 = counted.iter().map(|t| t.estimated_hours).sum();
    let done: f64 = counted
        .iter()
        .filter(|t| t.status == TaskStatus::Done)
        .map(|t| t.estimated_hours)
        .sum();
    let done_tasks = counted
        .iter()
        .filter(|t| t.status == TaskStatus::Done)
        .count();
    let percent = if estimated > 0.0 {
        done / estimated * 100.0
    } else if counted.is_empty() {
        0.0
    } else {
        done_tasks as f64 / counted.len() as f64 * 100.0
    };
    let (late, risky) = flags(input);
    let status: BTreeMap<&str, TaskStatus> = input
        .tasks
        .iter()
        .map(|t| (t.id.as_str(), t.status))
        .collect();
    let reached = input
        .milestones
        .iter()
        .filter(|m| {
            m.task_ids
                .iter()
                .all(|id| status.get(id.as_str()).is_some_and(|s| s.is_closed()))
        })
        .count();
    ProjectMetrics {
        project_id: input.project.id.clone(),
        total_tasks: count(input.tasks.len()),
        tasks_by_status: by_status,
        completed_tasks: count(done_tasks),
        percent_complete: percent,
        estimated_hours: estimated,
        actual_hours: input.tasks.iter().map(|t| t.actual_hours).sum(),
        overdue_tasks: count(late.len()),
        at_risk_tasks: count(risky.len()),
        milestones: count(input.milestones.len()),
        milestones_reached: count(reached),
        critical_path_days: input.schedule.duration_days,
        dependency_violations: count(input.schedule.violations.len()),
    }
}

/// Remaining and completed estimated hours per day from the schedule's start to the later
/// of today and its finish; a done task counts as completed from its update day.
pub fn burndown(input: &ReportInput<'_>) -> Vec<BurndownPoint> {
    let start = input.schedule.start;
    let end = input.schedule.finish.max(input.today).max(start);
    let total: f64 = input
        .tasks
        .iter()
        .filter(|t| t.status != TaskStatus::Cancelled)
        .map(|t| t.estimated_hours)
        .sum();
    let span = (input.schedule.finish - start).num_days().max(1) as f64;
    start
        .iter_days()
        .take_while(|d| *d <= end)
        .take(3660)
        .map(|date| {
            let completed: f64 = input
                .tasks
                .iter()
                .filter(|t| t.status == TaskStatus::Done && t.updated_at.date_naive() <= date)
                .map(|t| t.estimated_hours)
                .sum();
            let elapsed = (date - start).num_days() as f64;
            BurndownPoint {
                date,
                remaining_hours: total - completed,
                completed_hours: completed,
                ideal_remaining_hours: (total * (1.0 - elapsed / span)).max(0.0),
            }
        })
        .collect()
}

/// Estimated vs actual hours per task, largest overrun first.
pub fn hours(tasks: &[Task]) -> Vec<HoursRow> {
    let mut rows: Vec<HoursRow> = tasks
        .iter()
        .map(|t| HoursRow {
            task_id: t.id.clone(),
            title: t.title.clone(),
            estimated_hours: t.estimated_hours,
            actual_hours: t.actual_hours,
            variance_hours: t.actual_hours - t.estimated_hours,
        })
        .collect();
    rows.sort_by(|a, b| b.variance_hours.total_cmp(&a.variance_hours));
    rows
}

/// The design's `Report` of the given type.
pub fn report(input: &ReportInput<'_>, kind: ReportType) -> Report {
    let (late, risky) = flags(input);
    let with = |on: bool| on || kind == ReportType::Status;
    Report {
        project_id: input.project.id.clone(),
        project_name: input.project.name.clone(),
        report_type: kind,
        generated_at: input.now,
        metrics: metrics(input),
        critical_path: input.schedule.critical_path.clone(),
        overdue: if with(kind == ReportType::Overdue) {
            late
        } else {
            Vec::new()
        },
        at_risk: if with(kind == ReportType::Overdue) {
            risky
        } else {
            Vec::new()
        },
        burndown: if kind == ReportType::Burndown {
            burndown(input)
        } else {
            Vec::new()
        },
        hours: if with(kind == ReportType::Hours) {
            hours(input.tasks)
        } else {
            Vec::new()
        },
    }
}

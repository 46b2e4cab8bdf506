//! A project's [`Schedule`] from its tasks and dependencies: durations from the tasks'
//! dates (or their estimates at 8 hours a day), the scheduler's pass, and violations of the
//! tasks' current dates. Calendar days throughout.

use std::collections::HashMap;

use chrono::NaiveDate;
use kiro_types::planning::{
    Dependency, DependencyViolation, HOURS_PER_DAY, Schedule, ScheduledTask, Task,
};

use super::schedule::{Edge, days_late, schedule};

/// A task's duration in calendar days: its date range when it has both ends, else its
/// estimate in full days, at least one.
pub fn duration_days(task: &Task) -> i64 {
    match (task.start_date, task.end_date) {
        (Some(start), Some(end)) if end >= start => (end - start).num_days() + 1,
        _ => ((task.estimated_hours / HOURS_PER_DAY).ceil() as i64).max(1),
    }
}

/// The day a schedule counts from: `project_start`, else the tasks' earliest start, else
/// `today`.
pub fn origin(project_start: Option<NaiveDate>, tasks: &[Task], today: NaiveDate) -> NaiveDate {
    project_start
        .or_else(|| tasks.iter().filter_map(|t| t.start_date).min())
        .unwrap_or(today)
}

/// Schedules `tasks` under those of `dependencies` whose both ends are among them. `None`
/// when the dependencies hold a cycle (the store refuses those, so this means corruption).
pub fn build_schedule(
    project_id: &str,
    start: NaiveDate,
    tasks: &[Task],
    dependencies: &[Dependency],
) -> Option<Schedule> {
    let index: HashMap<&str, usize> = tasks
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id.as_str(), i))
        .collect();
    let mut edges = Vec::new();
    let mut used = Vec::new();
    for dep in dependencies {
        if let (Some(&from), Some(&to)) = (
            index.get(dep.predecessor_id.as_str()),
            index.get(dep.successor_id.as_str()),
        ) {
            edges.push(Edge {
                from,
                to,
                kind: dep.kind,
                lag: i64::from(dep.lag_days),
            });
            used.push(dep);
        }
    }
    let durations: Vec<i64> = tasks.iter().map(duration_days).collect();
    let plan = schedule(&durations, &edges)?;
    let day = |offset: i64| start + chrono::Duration::days(offset);
    let scheduled = tasks
        .iter()
        .enumerate()
        .map(|(i, t)| ScheduledTask {
            task_id: t.id.clone(),
            duration_days: durations[i],
            earliest_start: day(plan.earliest_start[i]),
            earliest_finish: day(plan.earliest_start[i] + durations[i] - 1),
            latest_start: day(plan.latest_start[i]),
            latest_finish: day(plan.latest_start[i] + durations[i] - 1),
            slack_days: plan.slack(i),
            critical: plan.slack(i) == 0,
        })
        .collect();
    let violations = violations(start, tasks, &durations, &edges, &used);
    Some(Schedule {
        project_id: project_id.to_owned(),
        start,
        finish: day(plan.length - 1),
        duration_days: plan.length,
        tasks: scheduled,
        critical_path: plan
            .critical_path
            .iter()
            .map(|&i| tasks[i].id.clone())
            .collect(),
        violations,
    })
}

/// Dependencies broken by the current dates of tasks that have a start date.
fn violations(
    start: NaiveDate,
    tasks: &[Task],
    durations: &[i64],
    edges: &[Edge],
    used: &[&Dependency],
) -> Vec<DependencyViolation> {
    let starts: Vec<Option<i64>> = tasks
        .iter()
        .map(|t| t.start_date.map(|d| (d - start).num_days()))
        .collect();
    let s: Vec<i64> = starts.iter().map(|d| d.unwrap_or(0)).collect();
    edges
        .iter()
        .zip(used)
        .filter_map(|(edge, dep)| {
            starts[edge.from]?;
            starts[edge.to]?;
            let late = days_late(edge, &s, durations);
            (late > 0).then(|| DependencyViolation {
                predecessor_id: dep.predecessor_id.clone(),
                successor_id: dep.successor_id.clone(),
                kind: dep.kind,
                lag_days: dep.lag_days,
                days_late: late,
                message: format!(
                    "task {} must move {late} day(s) later to satisfy its {} dependency on {}",
                    dep.successor_id,
                    dep.kind.as_str(),
                    dep.predecessor_id
                ),
            })
        })
        .collect()
}

/// The violations a task's new dates would cause, for projects that refuse them.
pub fn violations_for(
    task: &Task,
    tasks: &[Task],
    dependencies: &[Dependency],
) -> Vec<DependencyViolation> {
    let mut all: Vec<Task> = tasks.iter().filter(|t| t.id != task.id).cloned().collect();
    all.push(task.clone());
    let Some(origin) = all.iter().filter_map(|t| t.start_date).min() else {
        return Vec::new();
    };
    let mine: Vec<Dependency> = dependencies
        .iter()
        .filter(|d| d.predecessor_id == task.id || d.successor_id == task.id)
        .cloned()
        .collect();
    build_schedule("", origin, &all, &mine)
        .map(|s| s.violations)
        .unwrap_or_default()
}

//! Tests of the terminal Gantt chart.

use chrono::Utc;
use kiro_core::planning::plan::build_schedule;
use kiro_sdk::kiro_types::planning::{Dependency, DependencyKind, Task, TaskStatus};

use super::*;
use crate::web::plan::timeline::fixtures::{day, milestone, task};

fn dep(from: &str, to: &str) -> Dependency {
    Dependency {
        id: format!("{from}-{to}"),
        predecessor_id: from.into(),
        successor_id: to.into(),
        kind: DependencyKind::FinishToStart,
        lag_days: 0,
        created_at: Utc::now(),
    }
}

/// a (Jan 5–7) → b (undated, 2 days); c (Jan 6–7) alone, done.
fn plan() -> (Vec<Task>, Schedule) {
    let mut tasks = vec![
        task("a", Some("2026-01-05"), Some("2026-01-07"), &[]),
        task("b", None, None, &["a"]),
        task("c", Some("2026-01-06"), None, &[]),
    ];
    tasks[2].status = TaskStatus::Done;
    let schedule = build_schedule("p", day("2026-01-05"), &tasks, &[dep("a", "b")]);
    (tasks, schedule.unwrap_or_else(|| panic!("acyclic")))
}

fn options(width: usize, ascii: bool) -> TextGanttOptions {
    TextGanttOptions { width, ascii }
}

/// The chart part of the line for task `title`.
fn row<'a>(chart: &'a str, title: &str) -> &'a str {
    let line = chart
        .lines()
        .find(|l| l.starts_with(title))
        .unwrap_or_else(|| panic!("no row {title} in\n{chart}"));
    let label = chart
        .lines()
        .next()
        .map_or(0, |h| h.find("01-05").unwrap_or(0));
    line.get(label..).unwrap_or("")
}

#[test]
fn bars_cover_their_days_one_column_per_day() {
    let (tasks, schedule) = plan();
    let chart = text_gantt(
        &tasks,
        &schedule,
        &[],
        day("2026-01-01"),
        options(80, false),
    );
    assert_eq!(row(&chart, "Task a"), "███", "critical, days 0–2\n{chart}");
    assert_eq!(row(&chart, "Task b"), "   ██", "critical, days 3–4");
    assert_eq!(row(&chart, "Task c"), " ░░", "done, days 1–2");
    assert!(chart.lines().next().unwrap_or("").contains("01-05"));
    assert!(chart.contains("1 column = 1 day"));
}

#[test]
fn today_is_a_line_in_every_row_and_milestones_are_diamonds() {
    let (tasks, schedule) = plan();
    let launch = milestone("Launch", "2026-01-12");
    let chart = text_gantt(
        &tasks,
        &schedule,
        &[launch],
        day("2026-01-08"),
        options(80, false),
    );
    assert_eq!(row(&chart, "Task a"), "███│");
    assert_eq!(
        row(&chart, "Task b"),
        "   ██",
        "the bar covers today's column"
    );
    assert_eq!(row(&chart, "Milestones"), "   │   ◆");
    assert!(chart.contains("◆ 2026-01-12 Launch"));
}

#[test]
fn long_plans_put_several_days_in_a_column_within_the_width() {
    let tasks = vec![
        task("long", Some("2026-01-01"), Some("2026-12-31"), &[]),
        task("short", Some("2026-06-01"), Some("2026-06-02"), &[]),
    ];
    let schedule = build_schedule("p", day("2026-01-01"), &tasks, &[]);
    let schedule = schedule.unwrap_or_else(|| panic!("acyclic"));
    let chart = text_gantt(
        &tasks,
        &schedule,
        &[],
        day("2026-03-01"),
        options(60, false),
    );
    let scale = DayScale::fit(day("2026-01-01"), day("2026-12-31"), 60 - 11);
    assert!(
        scale.columns <= 49 && scale.days_per_column == 8,
        "{scale:?}"
    );
    assert_eq!(scale.column(day("2026-01-09")), Some(1));
    for line in chart.lines().filter(|l| l.starts_with("Task")) {
        assert!(line.chars().count() <= 60, "{line}");
    }
    let short = chart
        .lines()
        .find(|l| l.starts_with("Task short"))
        .unwrap_or("");
    // June 1–2 are days 151 and 152: the end of column 18 and the start of column 19.
    assert_eq!(
        short.matches('▓').count(),
        2,
        "a two-day task still shows\n{chart}"
    );
    assert!(chart.contains("1 column = 8 days"));
}

#[test]
fn ascii_mode_draws_only_ascii() {
    let (tasks, schedule) = plan();
    let launch = milestone("Launch", "2026-01-09");
    let chart = text_gantt(
        &tasks,
        &schedule,
        &[launch],
        day("2026-01-06"),
        options(80, true),
    );
    assert!(chart.is_ascii(), "{chart}");
    assert_eq!(row(&chart, "Task a"), "###");
    assert_eq!(row(&chart, "Task c"), " --");
    assert_eq!(row(&chart, "Milestones"), " |  *");
}

#[test]
fn a_task_breaking_a_dependency_is_flagged_and_long_titles_are_cut() {
    let (mut tasks, _) = plan();
    tasks[1].start_date = Some(day("2026-01-06"));
    tasks[1].end_date = Some(day("2026-01-06"));
    tasks[0].title = "Task a with a title far too long for the label column".into();
    let schedule = build_schedule("p", day("2026-01-05"), &tasks, &[dep("a", "b")]);
    let schedule = schedule.unwrap_or_else(|| panic!("acyclic"));
    let chart = text_gantt(
        &tasks,
        &schedule,
        &[],
        day("2026-01-05"),
        options(80, false),
    );
    let b = chart
        .lines()
        .find(|l| l.starts_with("Task b"))
        .unwrap_or("");
    assert!(b.contains('!'), "{chart}");
    let a = chart
        .lines()
        .find(|l| l.starts_with("Task a"))
        .unwrap_or("");
    assert!(a.contains('…'), "{chart}");
    // The label column is at most a third of the width, then comes the flag column.
    assert_eq!(
        a.find('█').map(|i| a[..i].chars().count()),
        Some(MAX_LABEL.min(80 / 3) + 1)
    );
}

#[test]
fn an_empty_plan_says_so() {
    let schedule = build_schedule("p", day("2026-01-05"), &[], &[]);
    let schedule = schedule.unwrap_or_else(|| panic!("acyclic"));
    let chart = text_gantt(&[], &schedule, &[], day("2026-01-05"), options(80, false));
    assert_eq!(chart, "No tasks yet.\n");
}

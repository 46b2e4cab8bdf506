//! Geometry and markup tests of the Gantt chart.

use askama::Template;
use chrono::Utc;
use kiro_core::planning::plan::build_schedule;
use kiro_sdk::kiro_types::planning::{Dependency, DependencyKind, Task, TaskStatus};

use super::super::timeline::fixtures::{day, milestone, task};
use super::*;

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

/// a (Jan 5–7) → b (undated, 2 days); c (Jan 6, 2 days) alone.
fn plan() -> (Vec<Task>, Schedule) {
    let tasks = vec![
        task("a", Some("2026-01-05"), Some("2026-01-07"), &[]),
        task("b", None, None, &["a"]),
        task("c", Some("2026-01-06"), None, &[]),
    ];
    let schedule = build_schedule("p", day("2026-01-05"), &tasks, &[dep("a", "b")]);
    (tasks, schedule.unwrap_or_else(|| panic!("acyclic")))
}

fn bar<'a>(chart: &'a Gantt, id: &str) -> &'a GanttBar {
    chart.bar(id).unwrap_or_else(|| panic!("no bar for {id}"))
}

#[test]
fn bars_run_from_their_start_day_to_the_end_of_their_last_day() {
    let (tasks, schedule) = plan();
    let chart = gantt("g", "Plan", &tasks, &schedule, &[], day("2026-01-01"));
    assert_eq!(chart.scale, Scale::Day);
    assert_eq!(chart.origin, day("2026-01-05"));
    let w = Scale::Day.day_width();
    let a = bar(&chart, "a");
    assert_eq!((a.x, a.width), (LABEL_WIDTH, 3 * w));
    let b = bar(&chart, "b");
    assert_eq!(
        (b.x, b.width),
        (LABEL_WIDTH + 3 * w, 2 * w),
        "earliest dates"
    );
    let c = bar(&chart, "c");
    assert_eq!((c.x, c.width), (LABEL_WIDTH + w, 2 * w));
    assert!(b.y > a.y && c.y > b.y, "one row per task, in order");
    assert_eq!(b.y - a.y, ROW_HEIGHT);
}

#[test]
fn arrows_run_from_the_predecessor_end_to_the_successor_start() {
    let (tasks, schedule) = plan();
    let chart = gantt("g", "Plan", &tasks, &schedule, &[], day("2026-01-05"));
    assert_eq!(chart.arrows.len(), 1);
    let arrow = &chart.arrows[0];
    let (a, b) = (bar(&chart, "a"), bar(&chart, "b"));
    assert_eq!((arrow.from.as_str(), arrow.to.as_str()), ("a", "b"));
    assert_eq!(
        arrow.points.first(),
        Some(&(a.x + a.width, a.y + BAR_HEIGHT / 2))
    );
    assert_eq!(arrow.points.last(), Some(&(b.x, b.y + BAR_HEIGHT / 2)));
    assert!(arrow.critical);
    assert!(arrow.path.starts_with(&format!("M{} ", a.x + a.width)));
}

#[test]
fn an_arrow_to_an_earlier_start_steps_back_between_the_rows() {
    let points = elbow((300, 12), (250, 36));
    assert_eq!(points.first(), Some(&(300, 12)));
    assert_eq!(points.last(), Some(&(250, 36)));
    assert_eq!(points.len(), 6);
    assert_eq!(points[2].1, 24, "runs back along the row boundary");
    // Every segment is horizontal or vertical.
    assert!(
        points
            .windows(2)
            .all(|p| p[0].0 == p[1].0 || p[0].1 == p[1].1)
    );
}

#[test]
fn critical_status_and_violation_classes_are_set() {
    let (mut tasks, _) = plan();
    tasks[2].status = TaskStatus::Done;
    tasks[0].status = TaskStatus::Blocked;
    // b now has dates that start before a finishes.
    tasks[1].start_date = Some(day("2026-01-06"));
    tasks[1].end_date = Some(day("2026-01-06"));
    let schedule = build_schedule("p", day("2026-01-05"), &tasks, &[dep("a", "b")]);
    let schedule = schedule.unwrap_or_else(|| panic!("acyclic"));
    let chart = gantt("g", "Plan", &tasks, &schedule, &[], day("2026-01-05"));
    let classes = |id: &str| {
        bar(&chart, id)
            .class
            .split(' ')
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    assert!(classes("a").contains(&"critical".to_owned()));
    assert!(classes("a").contains(&"blocked".to_owned()));
    assert!(classes("c").contains(&"done".to_owned()));
    assert!(!classes("c").contains(&"critical".to_owned()));
    assert!(classes("b").contains(&"violation".to_owned()));
    assert!(bar(&chart, "b").tooltip.contains("must move"));
    let svg = chart.render().unwrap_or_default();
    assert_eq!(svg.matches("class=\"violation-mark\"").count(), 1);
}

#[test]
fn the_today_line_sits_mid_day_and_only_inside_the_chart() {
    let (tasks, schedule) = plan();
    let w = Scale::Day.day_width();
    let chart = gantt("g", "Plan", &tasks, &schedule, &[], day("2026-01-06"));
    let today = chart.today.as_ref().map(|t| t.x);
    assert_eq!(today, Some(LABEL_WIDTH + w + w / 2));
    let outside = gantt("g", "Plan", &tasks, &schedule, &[], day("2027-01-06"));
    assert_eq!(outside.today, None);
}

#[test]
fn milestones_are_diamonds_on_their_day_and_widen_the_range() {
    let (tasks, schedule) = plan();
    let late = milestone("Launch", "2026-01-12");
    let chart = gantt("g", "Plan", &tasks, &schedule, &[late], day("2026-01-05"));
    let w = Scale::Day.day_width();
    let mark = &chart.milestones[0];
    assert_eq!(mark.x, LABEL_WIDTH + 7 * w + w / 2);
    assert_eq!(chart.rows_top, AXIS_HEIGHT + MILESTONE_LANE);
    assert_eq!(chart.ticks.len(), 8, "Jan 5 to Jan 12 by day");
    assert!(chart.desc.contains("Launch on 2026-01-12"));
}

#[test]
fn the_axis_unit_follows_the_span() {
    assert_eq!(Scale::for_span(1), Scale::Day);
    assert_eq!(Scale::for_span(45), Scale::Day);
    assert_eq!(Scale::for_span(46), Scale::Week);
    assert_eq!(Scale::for_span(270), Scale::Week);
    assert_eq!(Scale::for_span(271), Scale::Month);
    let long = [task("a", Some("2026-01-05"), Some("2026-12-31"), &[])];
    let schedule = build_schedule("p", day("2026-01-05"), &long, &[]);
    let schedule = schedule.unwrap_or_else(|| panic!("acyclic"));
    let chart = gantt("g", "Plan", &long, &schedule, &[], day("2026-01-05"));
    assert_eq!(chart.scale, Scale::Month);
    let labels: Vec<&str> = chart.ticks.iter().map(|t| t.label.as_str()).collect();
    assert_eq!(labels.first(), Some(&"Jan 2026"));
    assert_eq!(labels.len(), 12);
}

#[test]
fn hostile_titles_are_escaped_and_bars_keep_stable_ids() {
    let (mut tasks, schedule) = plan();
    tasks[0].title = "<script>alert(\"x\")</script> & co".into();
    let hostile = milestone("</text><script>1</script>", "2026-01-06");
    let chart = gantt(
        "g",
        "<b>Plan</b>",
        &tasks,
        &schedule,
        &[hostile],
        day("2026-01-05"),
    );
    let svg = chart.render().unwrap_or_default();
    assert!(!svg.contains("<script>"), "{svg}");
    assert!(!svg.contains("<b>"), "{svg}");
    assert!(
        svg.contains("&#60;script&#62;") || svg.contains("&lt;script&gt;"),
        "{svg}"
    );
    assert!(svg.contains(&format!(
        "id=\"g-bar-a\" data-task-id=\"a\" x=\"{LABEL_WIDTH}\""
    )));
    assert!(svg.contains("<title id=\"g-title\">"));
    assert!(svg.contains("<desc id=\"g-desc\">3 tasks from 2026-01-05 to 2026-01-09"));
}

#[test]
fn an_empty_plan_says_so() {
    let schedule = build_schedule("p", day("2026-01-05"), &[], &[]);
    let schedule = schedule.unwrap_or_else(|| panic!("acyclic"));
    let chart = gantt("g", "Plan", &[], &schedule, &[], day("2026-01-05"));
    assert_eq!(chart.desc, "No tasks yet.");
    assert!(chart.render().unwrap_or_default().contains("No tasks yet"));
}

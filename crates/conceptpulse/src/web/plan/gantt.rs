//! A project's Gantt chart as inline SVG: one row per task with a bar over its dates,
//! elbow arrows from each predecessor's bar end to its successor's bar start, milestone
//! diamonds, a line at today and a day, week or month axis chosen by the span. The geometry
//! (integer SVG units) is computed here; `templates/plan/gantt.html` only places it, and
//! escapes every label. Bars carry `id="{chart id}-bar-{task id}"` and `data-task-id` so a browser
//! test can find a task's bar and read its `x`.

use std::collections::HashMap;

use askama::Template;
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use kiro_sdk::kiro_types::planning::{Milestone, Schedule, Task, TaskStatus};

use super::timeline::{TaskSpan, range, shorten, spans};

/// Width of the task label column.
pub const LABEL_WIDTH: i64 = 240;
pub const ROW_HEIGHT: i64 = 24;
pub const BAR_HEIGHT: i64 = 14;
/// Height of the date axis at the top.
pub const AXIS_HEIGHT: i64 = 28;
/// Height of the milestone lane under the axis (when there are milestones).
pub const MILESTONE_LANE: i64 = 30;
/// Room right of the last day for milestone labels.
const RIGHT_PAD: i64 = 140;
/// Horizontal run of an arrow before it turns.
const STUB: i64 = 6;
/// Labels longer than this are shortened (the full title is in the bar's `<title>`).
const LABEL_CHARS: usize = 30;
/// How many critical tasks and milestones the chart's `<desc>` names.
const DESC_NAMES: usize = 12;

/// The axis' unit, chosen by the chart's span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    Day,
    Week,
    Month,
}

impl Scale {
    /// Days up to 45 get a day axis, up to 270 a week axis, longer a month axis.
    pub fn for_span(days: i64) -> Scale {
        match days {
            ..=45 => Scale::Day,
            46..=270 => Scale::Week,
            _ => Scale::Month,
        }
    }

    /// SVG units per day.
    pub fn day_width(self) -> i64 {
        match self {
            Scale::Day => 24,
            Scale::Week => 8,
            Scale::Month => 3,
        }
    }

    /// Whether `date` gets a tick, and its label.
    fn tick(self, date: NaiveDate, first: bool) -> Option<String> {
        match self {
            Scale::Day => Some(date.format("%d").to_string()),
            Scale::Week => {
                (first || date.weekday() == Weekday::Mon).then(|| date.format("%b %d").to_string())
            }
            Scale::Month => (first || date.day() == 1).then(|| date.format("%b %Y").to_string()),
        }
    }
}

/// An axis tick.
#[derive(Debug, Clone, PartialEq)]
pub struct Tick {
    pub x: i64,
    pub label: String,
}

/// One task's row and bar.
#[derive(Debug, Clone, PartialEq)]
pub struct GanttBar {
    pub task_id: String,
    pub label: String,
    /// The bar's `<title>`: the full title, dates, status, and any violations.
    pub tooltip: String,
    /// `task`, the status (`todo`, `in-progress`, `blocked`, `done`, `cancelled`), and
    /// `critical` / `violation` when they apply.
    pub class: String,
    pub x: i64,
    pub y: i64,
    pub width: i64,
    pub label_y: i64,
    pub violation: bool,
}

/// An elbow arrow from a predecessor's bar end to its successor's bar start.
#[derive(Debug, Clone, PartialEq)]
pub struct Arrow {
    pub from: String,
    pub to: String,
    /// `(x, y)` points of the path, first to last.
    pub points: Vec<(i64, i64)>,
    pub path: String,
    pub critical: bool,
}

/// A milestone's diamond and label.
#[derive(Debug, Clone, PartialEq)]
pub struct MilestoneMark {
    pub id: String,
    pub name: String,
    pub tooltip: String,
    pub x: i64,
    pub y: i64,
    pub points: String,
}

/// The vertical line at today.
#[derive(Debug, Clone, PartialEq)]
pub struct TodayLine {
    pub x: i64,
    pub label: String,
}

#[derive(Debug, Template)]
#[template(path = "plan/gantt.html")]
pub struct Gantt {
    pub id: String,
    pub title: String,
    pub desc: String,
    pub scale: Scale,
    /// The first day drawn, at `x = LABEL_WIDTH`.
    pub origin: NaiveDate,
    pub day_width: i64,
    pub width: i64,
    pub height: i64,
    pub label_width: i64,
    pub bar_height: i64,
    pub rows_top: i64,
    pub ticks: Vec<Tick>,
    pub bars: Vec<GanttBar>,
    pub arrows: Vec<Arrow>,
    pub milestones: Vec<MilestoneMark>,
    pub today: Option<TodayLine>,
}

impl Gantt {
    /// The bar of a task, by id.
    pub fn bar(&self, task_id: &str) -> Option<&GanttBar> {
        self.bars.iter().find(|b| b.task_id == task_id)
    }
}

fn status_class(status: TaskStatus) -> &'static str {
    match status {
        TaskStatus::Todo => "todo",
        TaskStatus::InProgress => "in-progress",
        TaskStatus::Blocked => "blocked",
        TaskStatus::Done => "done",
        TaskStatus::Cancelled => "cancelled",
    }
}

/// The chart of `tasks` (drawn in the given order) under `schedule`, with `milestones` and
/// a line at `today` when it falls inside the chart. `id` prefixes the SVG's own ids.
pub fn gantt(
    id: &str,
    title: &str,
    tasks: &[Task],
    schedule: &Schedule,
    milestones: &[Milestone],
    today: NaiveDate,
) -> Gantt {
    let spans = spans(tasks, schedule);
    let (origin, last) = range(&spans, milestones, today);
    let days = (last - origin).num_days() + 1;
    let scale = Scale::for_span(days);
    let day_width = scale.day_width();
    let x_of = |date: NaiveDate| LABEL_WIDTH + (date - origin).num_days() * day_width;
    let lane = if milestones.is_empty() {
        0
    } else {
        MILESTONE_LANE
    };
    let rows_top = AXIS_HEIGHT + lane;
    let row_count = i64::try_from(spans.len()).unwrap_or(i64::MAX / ROW_HEIGHT);
    let height = rows_top + row_count.max(1) * ROW_HEIGHT + 4;
    let bars: Vec<GanttBar> = spans
        .iter()
        .enumerate()
        .map(|(row, span)| bar(span, rows_top + row as i64 * ROW_HEIGHT, x_of, day_width))
        .collect();
    let arrows = arrows(&spans, &bars);
    let ticks = (0..days)
        .filter_map(|offset| {
            let date = origin + Duration::days(offset);
            scale.tick(date, offset == 0).map(|label| Tick {
                x: x_of(date),
                label,
            })
        })
        .collect();
    let marks = milestones
        .iter()
        .map(|m| {
            let x = x_of(m.date) + day_width / 2;
            let y = AXIS_HEIGHT + MILESTONE_LANE / 2;
            MilestoneMark {
                id: m.id.clone(),
                name: shorten(&m.name, LABEL_CHARS),
                tooltip: format!("{}: {}", m.name, m.date),
                x,
                y,
                points: format!("{x},{} {},{y} {x},{} {},{y}", y - 7, x + 7, y + 7, x - 7),
            }
        })
        .collect();
    let today_line = (origin..=last).contains(&today).then(|| TodayLine {
        x: x_of(today) + day_width / 2,
        label: format!("Today, {today}"),
    });
    Gantt {
        id: id.to_owned(),
        title: title.to_owned(),
        desc: describe(&spans, milestones, origin, last),
        scale,
        origin,
        day_width,
        width: LABEL_WIDTH + days * day_width + RIGHT_PAD,
        height,
        label_width: LABEL_WIDTH,
        bar_height: BAR_HEIGHT,
        rows_top,
        ticks,
        bars,
        arrows,
        milestones: marks,
        today: today_line,
    }
}

/// The bar of the task in the row starting at `row_y`.
fn bar(
    span: &TaskSpan<'_>,
    row_y: i64,
    x_of: impl Fn(NaiveDate) -> i64,
    day_width: i64,
) -> GanttBar {
    let task = span.task;
    let status = status_class(task.status);
    let mut class = format!("task {status}");
    let mut tooltip = format!("{}: {} to {} ({status}", task.title, span.start, span.end);
    if span.critical {
        class.push_str(" critical");
        tooltip.push_str(", critical path");
    }
    tooltip.push(')');
    if !span.violations.is_empty() {
        class.push_str(" violation");
        for message in &span.violations {
            tooltip.push_str("; ");
            tooltip.push_str(message);
        }
    }
    let x = x_of(span.start);
    GanttBar {
        task_id: task.id.clone(),
        label: shorten(&task.title, LABEL_CHARS),
        tooltip,
        class,
        x,
        y: row_y + (ROW_HEIGHT - BAR_HEIGHT) / 2,
        width: x_of(span.end) + day_width - x,
        label_y: row_y + ROW_HEIGHT / 2 + 4,
        violation: !span.violations.is_empty(),
    }
}

/// An arrow for every predecessor id of every drawn task that is itself drawn.
fn arrows(spans: &[TaskSpan<'_>], bars: &[GanttBar]) -> Vec<Arrow> {
    let row: HashMap<&str, usize> = spans
        .iter()
        .enumerate()
        .map(|(i, s)| (s.task.id.as_str(), i))
        .collect();
    let mut out = Vec::new();
    for (to, span) in spans.iter().enumerate() {
        for predecessor in &span.task.dependencies {
            let Some(&from) = row.get(predecessor.as_str()) else {
                continue;
            };
            let (a, b) = (&bars[from], &bars[to]);
            let points = elbow(
                (a.x + a.width, a.y + BAR_HEIGHT / 2),
                (b.x, b.y + BAR_HEIGHT / 2),
            );
            let path = points
                .iter()
                .enumerate()
                .map(|(i, (x, y))| format!("{}{x} {y}", if i == 0 { "M" } else { " L" }))
                .collect();
            out.push(Arrow {
                from: a.task_id.clone(),
                to: b.task_id.clone(),
                points,
                path,
                critical: spans[from].critical && span.critical,
            });
        }
    }
    out
}

/// Right-angled points from `start` to `end`: out, down (or up), in; when the end is left
/// of the start, the path steps back along the gap between the rows.
pub fn elbow(start: (i64, i64), end: (i64, i64)) -> Vec<(i64, i64)> {
    let ((x1, y1), (x2, y2)) = (start, end);
    if x2 - x1 >= 2 * STUB {
        vec![(x1, y1), (x1 + STUB, y1), (x1 + STUB, y2), (x2, y2)]
    } else {
        let gap = if y2 >= y1 {
            y2 - ROW_HEIGHT / 2
        } else {
            y2 + ROW_HEIGHT / 2
        };
        vec![
            (x1, y1),
            (x1 + STUB, y1),
            (x1 + STUB, gap),
            (x2 - STUB, gap),
            (x2 - STUB, y2),
            (x2, y2),
        ]
    }
}

/// The chart's `<desc>`: span, counts, the critical path and the milestones.
fn describe(
    spans: &[TaskSpan<'_>],
    milestones: &[Milestone],
    first: NaiveDate,
    last: NaiveDate,
) -> String {
    if spans.is_empty() && milestones.is_empty() {
        return "No tasks yet.".to_owned();
    }
    let critical: Vec<&str> = spans
        .iter()
        .filter(|s| s.critical)
        .map(|s| s.task.title.as_str())
        .collect();
    let broken = spans.iter().filter(|s| !s.violations.is_empty()).count();
    let mut desc = format!("{} tasks from {first} to {last}", spans.len());
    if !critical.is_empty() {
        let named: Vec<&str> = critical.iter().copied().take(DESC_NAMES).collect();
        let more = critical.len().saturating_sub(DESC_NAMES);
        desc.push_str(&format!("; critical path: {}", named.join(", ")));
        if more > 0 {
            desc.push_str(&format!(" and {more} more"));
        }
    }
    if broken > 0 {
        desc.push_str(&format!("; {broken} tasks break a dependency"));
    }
    if !milestones.is_empty() {
        let named: Vec<String> = milestones
            .iter()
            .take(DESC_NAMES)
            .map(|m| format!("{} on {}", m.name, m.date))
            .collect();
        desc.push_str(&format!("; milestones: {}", named.join(", ")));
    }
    desc + "."
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
#[path = "gantt_tests.rs"]
mod tests;

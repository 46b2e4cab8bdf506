//! A Gantt chart for the terminal: a task label column, then one bar per task over a day
//! scale squeezed to the given width (several days per column when the plan is long),
//! critical tasks in `█`, others in `▓`, done ones in `░`, milestones as `◆`, today as `│`,
//! and `!` beside a task that breaks a dependency. `ascii` draws `# = - * |` instead.

use chrono::{Duration, NaiveDate};
use kiro_sdk::kiro_types::planning::{Milestone, Schedule, Task, TaskStatus};

use crate::web::plan::timeline::{TaskSpan, range, shorten, spans};

/// The narrowest chart area drawn, whatever the width asked for.
const MIN_CHART: usize = 10;
/// The widest label column.
const MAX_LABEL: usize = 28;
/// Columns between two dates of the scale line.
const SCALE_STEP: usize = 8;

/// How to draw the chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextGanttOptions {
    /// Characters per line.
    pub width: usize,
    /// Plain ASCII instead of block and box characters.
    pub ascii: bool,
}

struct Glyphs {
    critical: char,
    task: char,
    done: char,
    milestone: char,
    today: char,
}

const UNICODE: Glyphs = Glyphs {
    critical: '█',
    task: '▓',
    done: '░',
    milestone: '◆',
    today: '│',
};

const ASCII: Glyphs = Glyphs {
    critical: '#',
    task: '=',
    done: '-',
    milestone: '*',
    today: '|',
};

/// The day columns of the chart: `days_per_column` days each from `origin`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayScale {
    pub origin: NaiveDate,
    pub days_per_column: i64,
    pub columns: usize,
}

impl DayScale {
    /// Columns enough for `first ..= last` in at most `max_columns`.
    pub fn fit(first: NaiveDate, last: NaiveDate, max_columns: usize) -> DayScale {
        let days = (last - first).num_days() + 1;
        let max = i64::try_from(max_columns.max(1)).unwrap_or(i64::MAX);
        let per = ((days + max - 1) / max).max(1);
        DayScale {
            origin: first,
            days_per_column: per,
            columns: usize::try_from((days + per - 1) / per).unwrap_or(0),
        }
    }

    /// The column holding `date`, if inside the chart.
    pub fn column(&self, date: NaiveDate) -> Option<usize> {
        let offset = (date - self.origin).num_days();
        let column = usize::try_from(offset.div_euclid(self.days_per_column)).ok()?;
        (offset >= 0 && column < self.columns).then_some(column)
    }

    /// The first day of `column`.
    pub fn day(&self, column: usize) -> NaiveDate {
        self.origin + Duration::days(column as i64 * self.days_per_column)
    }
}

fn pad(text: &str, width: usize) -> String {
    let short = shorten(text, width);
    let len = short.chars().count();
    short + &" ".repeat(width.saturating_sub(len))
}

/// The text chart of `tasks` under `schedule`, one line per task, ending with a legend.
pub fn text_gantt(
    tasks: &[Task],
    schedule: &Schedule,
    milestones: &[Milestone],
    today: NaiveDate,
    options: TextGanttOptions,
) -> String {
    let glyphs = if options.ascii { &ASCII } else { &UNICODE };
    let spans = spans(tasks, schedule);
    if spans.is_empty() && milestones.is_empty() {
        return "No tasks yet.\n".to_owned();
    }
    let longest = spans.iter().map(|s| s.task.title.chars().count()).max();
    let label = longest
        .unwrap_or(0)
        .max("Milestones".len())
        .min(MAX_LABEL)
        .min(options.width / 3);
    let chart = options.width.saturating_sub(label + 1).max(MIN_CHART);
    let (first, last) = range(&spans, milestones, today);
    let scale = DayScale::fit(first, last, chart);
    let today_column = scale.column(today);
    let mut out = String::new();
    out.push_str(&pad("Task", label + 1));
    out.push_str(&scale_line(&scale));
    out.push('\n');
    for span in &spans {
        let flag = if span.violations.is_empty() { ' ' } else { '!' };
        out.push_str(&pad(&span.task.title, label));
        out.push(flag);
        out.push_str(&bar_line(span, &scale, today_column, glyphs));
        out.push('\n');
    }
    if !milestones.is_empty() {
        let mut line: Vec<char> = blank_line(&scale, today_column, glyphs);
        for m in milestones {
            if let Some(c) = scale.column(m.date) {
                line[c] = glyphs.milestone;
            }
        }
        out.push_str(&pad("Milestones", label + 1));
        out.push_str(line.iter().collect::<String>().trim_end());
        out.push('\n');
        for m in milestones {
            out.push_str(&format!("  {} {} {}\n", glyphs.milestone, m.date, m.name));
        }
    }
    out.push_str(&legend(glyphs, today, &scale));
    out
}

/// Dates every few columns, as `MM-DD`.
fn scale_line(scale: &DayScale) -> String {
    let mut line = vec![' '; scale.columns];
    let mut column = 0;
    while column + 5 <= scale.columns {
        let date = scale.day(column).format("%m-%d").to_string();
        for (i, ch) in date.chars().enumerate() {
            line[column + i] = ch;
        }
        column += SCALE_STEP;
    }
    line.iter().collect::<String>().trim_end().to_owned()
}

/// An empty row: spaces, and the today mark.
fn blank_line(scale: &DayScale, today: Option<usize>, glyphs: &Glyphs) -> Vec<char> {
    let mut line = vec![' '; scale.columns];
    if let Some(c) = today {
        line[c] = glyphs.today;
    }
    line
}

/// A task's bar over the columns its days touch.
fn bar_line(
    span: &TaskSpan<'_>,
    scale: &DayScale,
    today: Option<usize>,
    glyphs: &Glyphs,
) -> String {
    let mut line = blank_line(scale, today, glyphs);
    let fill = if span.task.status == TaskStatus::Done {
        glyphs.done
    } else if span.critical {
        glyphs.critical
    } else {
        glyphs.task
    };
    if let (Some(from), Some(to)) = (scale.column(span.start), scale.column(span.end)) {
        for cell in &mut line[from..=to] {
            *cell = fill;
        }
    }
    line.iter().collect::<String>().trim_end().to_owned()
}

fn legend(glyphs: &Glyphs, today: NaiveDate, scale: &DayScale) -> String {
    let per = match scale.days_per_column {
        1 => "1 column = 1 day".to_owned(),
        n => format!("1 column = {n} days"),
    };
    format!(
        "{} critical  {} task  {} done  {} milestone  {} today ({today})\n! breaks a dependency; {per}\n",
        glyphs.critical, glyphs.task, glyphs.done, glyphs.milestone, glyphs.today
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
#[path = "gantt_tests.rs"]
mod tests;

//! The team's utilisation heat map as inline SVG: one row per person, one column per day
//! of the report's range, each cell coloured by the band its booked hours fall in.
//! Over-allocated cells are marked (class `over`) and labelled with their hours; every cell
//! has a `<title>` naming the person, the day, the hours and the projects. The geometry is
//! computed here; `templates/plan/heatmap.html` only places it and escapes every label.

use std::collections::HashMap;

use askama::Template;
use chrono::{Datelike, NaiveDate};
use kiro_sdk::kiro_types::planning::{HOURS_PER_DAY, UtilizationDay, UtilizationReport};

use super::timeline::shorten;

pub const LABEL_WIDTH: i64 = 160;
/// Each cell is `CELL` wide and high, `CELL + GAP` apart.
pub const CELL: i64 = 22;
pub const GAP: i64 = 2;
/// Month names and day numbers above the cells.
pub const AXIS_HEIGHT: i64 = 34;
const LEGEND_HEIGHT: i64 = 34;
const LABEL_CHARS: usize = 20;

/// A cell's colour band, by the hours booked that day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Band {
    /// Nothing booked.
    Free,
    /// Up to half a day.
    Light,
    /// More than half a day, less than a full one.
    Busy,
    /// A full day.
    Full,
    /// More than a full day.
    Over,
}

impl Band {
    pub const ALL: [Band; 5] = [Band::Free, Band::Light, Band::Busy, Band::Full, Band::Over];

    /// The band of a day with `hours` booked; `over` as the utilisation report flags it.
    pub fn of(hours: f64, over: bool) -> Band {
        if over {
            Band::Over
        } else if hours <= 0.0 {
            Band::Free
        } else if hours <= HOURS_PER_DAY / 2.0 {
            Band::Light
        } else if hours < HOURS_PER_DAY - 1e-9 {
            Band::Busy
        } else {
            Band::Full
        }
    }

    pub fn class(self) -> &'static str {
        match self {
            Band::Free => "band-free",
            Band::Light => "band-light",
            Band::Busy => "band-busy",
            Band::Full => "band-full",
            Band::Over => "band-over over",
        }
    }

    pub fn legend(self) -> &'static str {
        match self {
            Band::Free => "free",
            Band::Light => "up to 4 h",
            Band::Busy => "4–8 h",
            Band::Full => "8 h",
            Band::Over => "over 8 h",
        }
    }
}

/// One person-day.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub date: NaiveDate,
    pub x: i64,
    pub band: Band,
    pub class: &'static str,
    pub title: String,
    /// The hours, written in the cell when it is over-allocated.
    pub label: Option<String>,
}

/// One person's row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub resource: String,
    pub label: String,
    pub y: i64,
    pub text_y: i64,
    pub cells: Vec<Cell>,
}

/// A column heading: the day of the month, and the month's name on its first column.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub x: i64,
    pub day: u32,
    pub month: Option<String>,
}

/// A legend entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub x: i64,
    pub class: &'static str,
    pub label: &'static str,
}

#[derive(Debug, Template)]
#[template(path = "plan/heatmap.html")]
pub struct Heatmap {
    pub id: String,
    pub title: String,
    pub desc: String,
    pub width: i64,
    pub height: i64,
    pub cell: i64,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    pub legend_y: i64,
    pub legend: Vec<Key>,
}

impl Heatmap {
    /// The cell of `resource` on `date`.
    pub fn cell(&self, resource: &str, date: NaiveDate) -> Option<&Cell> {
        let row = self.rows.iter().find(|r| r.resource == resource)?;
        row.cells.iter().find(|c| c.date == date)
    }
}

/// Hours as people write them: `6`, `6.5`.
pub fn hours_text(hours: f64) -> String {
    if (hours - hours.round()).abs() < 0.05 {
        format!("{:.0}", hours.round())
    } else {
        format!("{hours:.1}")
    }
}

/// The heat map of `report`; `project_names` turns project ids into names (unknown ids
/// are shown as they are). `id` prefixes the SVG's own ids.
pub fn heatmap(
    id: &str,
    title: &str,
    report: &UtilizationReport,
    project_names: &HashMap<String, String>,
) -> Heatmap {
    let dates: Vec<NaiveDate> = report
        .from
        .iter_days()
        .take_while(|d| *d <= report.to)
        .collect();
    let stride = CELL + GAP;
    let x_of = |i: usize| LABEL_WIDTH + i as i64 * stride;
    let columns = dates
        .iter()
        .enumerate()
        .map(|(i, d)| Column {
            x: x_of(i),
            day: d.day(),
            month: (i == 0 || d.day() == 1).then(|| d.format("%b %Y").to_string()),
        })
        .collect();
    let name = |project: &String| project_names.get(project).unwrap_or(project).clone();
    let rows: Vec<Row> = report
        .resources
        .iter()
        .enumerate()
        .map(|(r, person)| {
            let by_day: HashMap<NaiveDate, &UtilizationDay> =
                person.days.iter().map(|d| (d.date, d)).collect();
            let y = AXIS_HEIGHT + r as i64 * stride;
            let cells = dates
                .iter()
                .enumerate()
                .map(|(i, date)| {
                    let day = by_day.get(date);
                    let hours = day.map_or(0.0, |d| d.hours);
                    let over = day.is_some_and(|d| d.over_allocated);
                    let band = Band::of(hours, over);
                    let mut title = format!("{}, {date}: {} h", person.resource, hours_text(hours));
                    if let Some(d) = day {
                        title.push_str(&format!(" ({:.0} %)", d.percent));
                        if over {
                            title.push_str(", over-allocated");
                        }
                        if !d.project_ids.is_empty() {
                            let names: Vec<String> = d.project_ids.iter().map(name).collect();
                            title.push_str(&format!("; projects: {}", names.join(", ")));
                        }
                    }
                    Cell {
                        date: *date,
                        x: x_of(i),
                        band,
                        class: band.class(),
                        title,
                        label: over.then(|| hours_text(hours)),
                    }
                })
                .collect();
            Row {
                resource: person.resource.clone(),
                label: shorten(&person.resource, LABEL_CHARS),
                y,
                text_y: y + CELL / 2 + 4,
                cells,
            }
        })
        .collect();
    let body = i64::try_from(rows.len()).unwrap_or(0).max(1) * stride;
    let legend_y = AXIS_HEIGHT + body + 10;
    let legend = Band::ALL
        .iter()
        .enumerate()
        .map(|(i, band)| Key {
            x: LABEL_WIDTH + i as i64 * 90,
            class: band.class(),
            label: band.legend(),
        })
        .collect();
    let days = i64::try_from(dates.len()).unwrap_or(0);
    Heatmap {
        id: id.to_owned(),
        title: title.to_owned(),
        desc: describe(report),
        width: (LABEL_WIDTH + days * stride).max(LABEL_WIDTH + 5 * 90) + 10,
        height: legend_y + LEGEND_HEIGHT,
        cell: CELL,
        columns,
        rows,
        legend_y,
        legend,
    }
}

/// The map's `<desc>`: who is over-allocated on how many days.
fn describe(report: &UtilizationReport) -> String {
    if report.resources.is_empty() {
        return format!("No bookings from {} to {}.", report.from, report.to);
    }
    let over: Vec<String> = report
        .resources
        .iter()
        .filter(|r| r.over_allocated_days > 0)
        .map(|r| format!("{} on {} day(s)", r.resource, r.over_allocated_days))
        .collect();
    let who = if over.is_empty() {
        "no one is over-allocated".to_owned()
    } else {
        format!("over-allocated: {}", over.join(", "))
    };
    format!(
        "{} people from {} to {}; {who}.",
        report.resources.len(),
        report.from,
        report.to
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
#[path = "heatmap_tests.rs"]
mod tests;

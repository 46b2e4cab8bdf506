//! A report as the pages show it: a heading, a few figures, and one table, built from the
//! planning wire types. The same table becomes the Markdown or CSV download of the reports
//! Kiro does not render itself (critical path, utilisation).

use std::collections::HashMap;
use std::fmt::Write as _;

use kiro_sdk::kiro_types::planning::{Report, Schedule, UtilizationReport};

use crate::export::{csv_field, md_cell};

/// One report, ready to show or export.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    pub title: String,
    /// `(label, value)` figures above the table.
    pub figures: Vec<(String, String)>,
    pub columns: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
    /// Sentences under the table (e.g. broken dependencies).
    pub notes: Vec<String>,
}

fn hours(h: f64) -> String {
    format!("{h:.1}")
}

/// The status report: the project's figures, and its task counts by status.
pub fn status(report: &Report) -> Table {
    let m = &report.metrics;
    Table {
        title: format!("Status of {}", report.project_name),
        figures: vec![
            ("Tasks".into(), m.total_tasks.to_string()),
            ("Completed".into(), m.completed_tasks.to_string()),
            ("Complete".into(), format!("{:.0} %", m.percent_complete)),
            ("Estimated hours".into(), hours(m.estimated_hours)),
            ("Actual hours".into(), hours(m.actual_hours)),
            ("Overdue".into(), m.overdue_tasks.to_string()),
            ("At risk".into(), m.at_risk_tasks.to_string()),
            (
                "Milestones reached".into(),
                format!("{} of {}", m.milestones_reached, m.milestones),
            ),
            (
                "Critical path".into(),
                format!("{} days", m.critical_path_days),
            ),
            (
                "Broken dependencies".into(),
                m.dependency_violations.to_string(),
            ),
        ],
        columns: vec!["Status", "Tasks"],
        rows: m
            .tasks_by_status
            .iter()
            .map(|(status, n)| vec![status.clone(), n.to_string()])
            .collect(),
        notes: Vec::new(),
    }
}

pub fn burndown(report: &Report) -> Table {
    Table {
        title: format!("Burndown of {}", report.project_name),
        figures: Vec::new(),
        columns: vec!["Date", "Remaining h", "Completed h", "Ideal remaining h"],
        rows: report
            .burndown
            .iter()
            .map(|p| {
                vec![
                    p.date.to_string(),
                    hours(p.remaining_hours),
                    hours(p.completed_hours),
                    hours(p.ideal_remaining_hours),
                ]
            })
            .collect(),
        notes: Vec::new(),
    }
}

pub fn overdue(report: &Report) -> Table {
    let rows = report
        .overdue
        .iter()
        .map(|f| ("overdue", f))
        .chain(report.at_risk.iter().map(|f| ("at risk", f)))
        .map(|(flag, f)| {
            vec![
                flag.to_owned(),
                f.title.clone(),
                f.assignee.clone().unwrap_or_default(),
                f.end_date.map(|d| d.to_string()).unwrap_or_default(),
                f.reason.clone(),
            ]
        })
        .collect();
    Table {
        title: format!("Overdue and at-risk tasks of {}", report.project_name),
        figures: vec![
            ("Overdue".into(), report.overdue.len().to_string()),
            ("At risk".into(), report.at_risk.len().to_string()),
        ],
        columns: vec!["Flag", "Task", "Assignee", "Ends", "Why"],
        rows,
        notes: Vec::new(),
    }
}

pub fn estimate_vs_actual(report: &Report) -> Table {
    Table {
        title: format!("Estimated and actual hours of {}", report.project_name),
        figures: vec![
            ("Estimated".into(), hours(report.metrics.estimated_hours)),
            ("Actual".into(), hours(report.metrics.actual_hours)),
        ],
        columns: vec!["Task", "Estimated h", "Actual h", "Variance h"],
        rows: report
            .hours
            .iter()
            .map(|h| {
                vec![
                    h.title.clone(),
                    hours(h.estimated_hours),
                    hours(h.actual_hours),
                    format!("{:+.1}", h.variance_hours),
                ]
            })
            .collect(),
        notes: Vec::new(),
    }
}

/// The critical path in order, with each task's scheduled dates, and the broken
/// dependencies. `titles` names tasks by id.
pub fn critical_path(name: &str, schedule: &Schedule, titles: &HashMap<String, String>) -> Table {
    let title = |id: &str| titles.get(id).cloned().unwrap_or_else(|| id.to_owned());
    let rows = schedule
        .critical_path
        .iter()
        .filter_map(|id| schedule.tasks.iter().find(|s| &s.task_id == id))
        .map(|s| {
            vec![
                title(&s.task_id),
                s.earliest_start.to_string(),
                s.earliest_finish.to_string(),
                s.duration_days.to_string(),
                s.slack_days.to_string(),
            ]
        })
        .collect();
    Table {
        title: format!("Critical path of {name}"),
        figures: vec![
            ("Start".into(), schedule.start.to_string()),
            ("Finish".into(), schedule.finish.to_string()),
            ("Length".into(), format!("{} days", schedule.duration_days)),
        ],
        columns: vec!["Task", "Start", "Finish", "Days", "Slack"],
        rows,
        notes: schedule
            .violations
            .iter()
            .map(|v| {
                format!(
                    "{} → {}: {}",
                    title(&v.predecessor_id),
                    title(&v.successor_id),
                    v.message
                )
            })
            .collect(),
    }
}

/// Each person's booked hours and over-allocated days over the report's range.
pub fn utilisation(name: &str, report: &UtilizationReport) -> Table {
    Table {
        title: format!("Utilisation of the people on {name}"),
        figures: vec![
            ("From".into(), report.from.to_string()),
            ("To".into(), report.to.to_string()),
        ],
        columns: vec!["Who", "Booked h", "Days booked", "Over-allocated days"],
        rows: report
            .resources
            .iter()
            .map(|r| {
                vec![
                    r.resource.clone(),
                    hours(r.total_hours),
                    r.days.iter().filter(|d| d.hours > 0.0).count().to_string(),
                    r.over_allocated_days.to_string(),
                ]
            })
            .collect(),
        notes: Vec::new(),
    }
}

impl Table {
    pub fn markdown(&self) -> String {
        let mut out = format!("# {}\n\n", self.title);
        for (label, value) in &self.figures {
            let _ = writeln!(out, "- {}: {}", md_cell(label), md_cell(value));
        }
        if !self.figures.is_empty() {
            out.push('\n');
        }
        let _ = writeln!(out, "| {} |", self.columns.join(" | "));
        let _ = writeln!(out, "|{}", " --- |".repeat(self.columns.len()));
        for row in &self.rows {
            let cells: Vec<String> = row.iter().map(|c| md_cell(c)).collect();
            let _ = writeln!(out, "| {} |", cells.join(" | "));
        }
        for note in &self.notes {
            let _ = writeln!(out, "\n{}", md_cell(note));
        }
        out
    }

    pub fn csv(&self) -> String {
        let mut out = self.columns.join(",") + "\r\n";
        for row in &self.rows {
            let cells: Vec<String> = row.iter().map(|c| csv_field(c)).collect();
            out.push_str(&cells.join(","));
            out.push_str("\r\n");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_exports_as_markdown_and_quoted_csv() {
        let table = Table {
            title: "Critical path of P".into(),
            figures: vec![("Length".into(), "3 days".into())],
            columns: vec!["Task", "Days"],
            rows: vec![
                vec!["Design, draft".into(), "2".into()],
                vec!["A|B".into(), "1".into()],
            ],
            notes: vec!["late".into()],
        };
        let md = table.markdown();
        assert!(md.starts_with("# Critical path of P\n\n- Length: 3 days\n"));
        assert!(
            md.contains("| Task | Days |\n| --- | --- |\n| Design, draft | 2 |\n| A\\|B | 1 |")
        );
        assert_eq!(table.csv(), "Task,Days\r\n\"Design, draft\",2\r\nA|B,1\r\n");
    }
}

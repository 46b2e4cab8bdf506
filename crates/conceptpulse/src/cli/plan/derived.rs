//! The two reports `plan report` builds itself from what the server computes, since the
//! server's report endpoint has no such kinds: `critical-path` (from the schedule, with the
//! tasks' titles) and `utilization` (from the project's utilisation), each as a JSON
//! document, Markdown in the shape of the server's reports, or CSV (RFC 4180 quoting).

use std::fmt::Write;

use chrono::NaiveDate;
use kiro_sdk::kiro_types::planning::{Schedule, Task, UtilizationReport};
use serde::Serialize;

use super::render::title;
use crate::export::{csv_field, md_cell};

/// One task on the critical path.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CriticalTask {
    pub task_id: String,
    pub title: String,
    pub duration_days: i64,
    pub start: NaiveDate,
    pub finish: NaiveDate,
    pub slack_days: i64,
}

/// `plan report --kind critical-path`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CriticalPathReport {
    pub project_id: String,
    pub project_name: String,
    pub report_type: &'static str,
    pub start: NaiveDate,
    pub finish: NaiveDate,
    pub duration_days: i64,
    pub tasks: Vec<CriticalTask>,
}

/// `plan report --kind utilization`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UtilizationOut {
    pub project_id: String,
    pub project_name: String,
    pub report_type: &'static str,
    #[serde(flatten)]
    pub utilization: UtilizationReport,
}

impl CriticalPathReport {
    /// The critical path of `schedule`, in order, named from `tasks`.
    pub fn new(project_name: &str, tasks: &[Task], schedule: &Schedule) -> Self {
        let on_path = schedule.critical_path.iter().filter_map(|id| {
            let s = schedule.tasks.iter().find(|s| s.task_id == *id)?;
            Some(CriticalTask {
                task_id: id.clone(),
                title: title(tasks, id).to_owned(),
                duration_days: s.duration_days,
                start: s.earliest_start,
                finish: s.earliest_finish,
                slack_days: s.slack_days,
            })
        });
        CriticalPathReport {
            project_id: schedule.project_id.clone(),
            project_name: project_name.to_owned(),
            report_type: "critical-path",
            start: schedule.start,
            finish: schedule.finish,
            duration_days: schedule.duration_days,
            tasks: on_path.collect(),
        }
    }

    pub fn markdown(&self) -> String {
        let mut out = format!(
            "# critical-path report: {}\n\n{} – {}, {} days\n",
            md_cell(&self.project_name),
            self.start,
            self.finish,
            self.duration_days
        );
        if self.tasks.is_empty() {
            out.push_str("\nNo tasks scheduled yet.\n");
            return out;
        }
        out.push_str("\n| # | task | start | finish | days | slack |\n|---|---|---|---|---|---|\n");
        for (i, t) in self.tasks.iter().enumerate() {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                i + 1,
                md_cell(&t.title),
                t.start,
                t.finish,
                t.duration_days,
                t.slack_days
            );
        }
        out
    }

    pub fn csv(&self) -> String {
        let mut out = String::from("order,taskId,title,start,finish,durationDays,slackDays\r\n");
        for (i, t) in self.tasks.iter().enumerate() {
            let _ = write!(
                out,
                "{},{},{},{},{},{},{}\r\n",
                i + 1,
                csv_field(&t.task_id),
                csv_field(&t.title),
                t.start,
                t.finish,
                t.duration_days,
                t.slack_days
            );
        }
        out
    }
}

impl UtilizationOut {
    pub fn markdown(&self) -> String {
        let u = &self.utilization;
        let mut out = format!(
            "# utilization report: {}\n\n{} – {}\n",
            md_cell(&self.project_name),
            u.from,
            u.to
        );
        if u.resources.is_empty() {
            out.push_str("\nNobody is booked on this project yet.\n");
            return out;
        }
        out.push_str(
            "\n| resource | total hours | peak % | over-allocated days |\n|---|---|---|---|\n",
        );
        for r in &u.resources {
            let peak = r.days.iter().map(|d| d.percent).fold(0.0, f64::max);
            let _ = writeln!(
                out,
                "| {} | {:.1} | {:.0} % | {} |",
                md_cell(&r.resource),
                r.total_hours,
                peak,
                r.over_allocated_days
            );
        }
        out
    }

    pub fn csv(&self) -> String {
        let mut out = String::from("resource,date,hours,percent,overAllocated\r\n");
        for r in &self.utilization.resources {
            for d in &r.days {
                let _ = write!(
                    out,
                    "{},{},{},{},{}\r\n",
                    csv_field(&r.resource),
                    d.date,
                    d.hours,
                    d.percent,
                    d.over_allocated
                );
            }
        }
        out
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use kiro_sdk::kiro_types::planning::{ResourceUtilization, ScheduledTask, UtilizationDay};

    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn scheduled(id: &str, start: &str, finish: &str, slack: i64) -> ScheduledTask {
        ScheduledTask {
            task_id: id.into(),
            duration_days: (day(finish) - day(start)).num_days() + 1,
            earliest_start: day(start),
            earliest_finish: day(finish),
            latest_start: day(start),
            latest_finish: day(finish),
            slack_days: slack,
            critical: slack == 0,
        }
    }

    fn schedule() -> Schedule {
        Schedule {
            project_id: "p".into(),
            start: day("2026-01-05"),
            finish: day("2026-01-09"),
            duration_days: 5,
            tasks: vec![
                scheduled("b", "2026-01-08", "2026-01-09", 0),
                scheduled("a", "2026-01-05", "2026-01-07", 0),
                scheduled("c", "2026-01-05", "2026-01-05", 4),
            ],
            critical_path: vec!["a".into(), "b".into()],
            violations: Vec::new(),
        }
    }

    #[test]
    fn the_critical_path_report_lists_the_path_in_order() {
        let report = CriticalPathReport::new("Launch | v2", &[], &schedule());
        let ids: Vec<&str> = report.tasks.iter().map(|t| t.task_id.as_str()).collect();
        assert_eq!(ids, ["a", "b"]);
        let md = report.markdown();
        assert!(
            md.starts_with("# critical-path report: Launch \\| v2"),
            "{md}"
        );
        assert!(
            md.contains("| 1 | a | 2026-01-05 | 2026-01-07 | 3 | 0 |"),
            "{md}"
        );
        let csv = report.csv();
        assert_eq!(csv.lines().count(), 3, "{csv}");
        assert!(csv.contains("2,b,b,2026-01-08,2026-01-09,2,0\r\n"), "{csv}");
    }

    #[test]
    fn utilization_csv_has_a_row_per_person_and_day() {
        let out = UtilizationOut {
            project_id: "p".into(),
            project_name: "P".into(),
            report_type: "utilization",
            utilization: UtilizationReport {
                from: day("2026-01-05"),
                to: day("2026-01-06"),
                resources: vec![ResourceUtilization {
                    resource: "ada, the dev".into(),
                    days: ["2026-01-05", "2026-01-06"]
                        .iter()
                        .map(|d| UtilizationDay {
                            date: day(d),
                            hours: 10.0,
                            percent: 125.0,
                            over_allocated: true,
                            project_ids: vec!["p".into()],
                        })
                        .collect(),
                    total_hours: 20.0,
                    over_allocated_days: 2,
                }],
            },
        };
        let csv = out.csv();
        assert_eq!(csv.lines().count(), 3);
        assert!(
            csv.contains("\"ada, the dev\",2026-01-05,10,125,true\r\n"),
            "{csv}"
        );
        assert!(out.markdown().contains("| 20.0 | 125 % | 2 |"));
    }
}

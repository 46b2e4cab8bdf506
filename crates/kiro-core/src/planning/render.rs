//! Reports as downloads: Markdown for people, CSV (RFC 4180 quoting) for spreadsheets.

use std::fmt::Write;

use kiro_types::planning::{Report, TaskFlag};

fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}

fn md_cell(value: &str) -> String {
    value.replace('|', "\\|").replace('\n', " ")
}

/// The report as Markdown.
pub fn markdown(r: &Report) -> String {
    let m = &r.metrics;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {} report: {}\n",
        r.report_type.as_str(),
        md_cell(&r.project_name)
    );
    let _ = writeln!(out, "Generated {}\n", r.generated_at.to_rfc3339());
    let _ = writeln!(out, "| metric | value |\n|---|---|");
    let _ = writeln!(out, "| tasks | {} |", m.total_tasks);
    let _ = writeln!(out, "| completed | {} |", m.completed_tasks);
    let _ = writeln!(out, "| complete | {:.1} % |", m.percent_complete);
    let _ = writeln!(out, "| estimated hours | {:.1} |", m.estimated_hours);
    let _ = writeln!(out, "| actual hours | {:.1} |", m.actual_hours);
    let _ = writeln!(out, "| overdue | {} |", m.overdue_tasks);
    let _ = writeln!(out, "| at risk | {} |", m.at_risk_tasks);
    let _ = writeln!(out, "| critical path | {} days |", m.critical_path_days);
    if !r.critical_path.is_empty() {
        let _ = writeln!(out, "\n## Critical path\n\n{}", r.critical_path.join(" → "));
    }
    let flags = |out: &mut String, title: &str, items: &[TaskFlag]| {
        if items.is_empty() {
            return;
        }
        let _ = writeln!(
            out,
            "\n## {title}\n\n| task | assignee | end | why |\n|---|---|---|---|"
        );
        for f in items {
            let end = f.end_date.map(|d| d.to_string()).unwrap_or_default();
            let who = f.assignee.as_deref().unwrap_or("");
            let _ = writeln!(
                out,
                "| {} | {} | {end} | {} |",
                md_cell(&f.title),
                md_cell(who),
                md_cell(&f.reason)
            );
        }
    };
    flags(&mut out, "Overdue", &r.overdue);
    flags(&mut out, "At risk", &r.at_risk);
    if !r.burndown.is_empty() {
        let _ = writeln!(
            out,
            "\n## Burndown\n\n| date | remaining h | completed h | ideal h |\n|---|---|---|---|"
        );
        for p in &r.burndown {
            let _ = writeln!(
                out,
                "| {} | {:.1} | {:.1} | {:.1} |",
                p.date, p.remaining_hours, p.completed_hours, p.ideal_remaining_hours
            );
        }
    }
    if !r.hours.is_empty() {
        let _ = writeln!(
            out,
            "\n## Estimated vs actual hours\n\n| task | estimated | actual | variance |\n|---|---|---|---|"
        );
        for h in &r.hours {
            let _ = writeln!(
                out,
                "| {} | {:.1} | {:.1} | {:+.1} |",
                md_cell(&h.title),
                h.estimated_hours,
                h.actual_hours,
                h.variance_hours
            );
        }
    }
    out
}

/// The report's main table as CSV: burndown points, hours rows, or flagged tasks (status
/// and overdue reports), with a header row.
pub fn csv(r: &Report) -> String {
    let mut out = String::new();
    if !r.burndown.is_empty() {
        out.push_str("date,remainingHours,completedHours,idealRemainingHours\r\n");
        for p in &r.burndown {
            let _ = write!(
                out,
                "{},{},{},{}\r\n",
                p.date, p.remaining_hours, p.completed_hours, p.ideal_remaining_hours
            );
        }
    } else if r.report_type == kiro_types::planning::ReportType::Hours {
        out.push_str("taskId,title,estimatedHours,actualHours,varianceHours\r\n");
        for h in &r.hours {
            let _ = write!(
                out,
                "{},{},{},{},{}\r\n",
                h.task_id,
                csv_field(&h.title),
                h.estimated_hours,
                h.actual_hours,
                h.variance_hours
            );
        }
    } else {
        out.push_str("flag,taskId,title,assignee,endDate,reason\r\n");
        let rows = r
            .overdue
            .iter()
            .map(|f| ("overdue", f))
            .chain(r.at_risk.iter().map(|f| ("at_risk", f)));
        for (kind, f) in rows {
            let end = f.end_date.map(|d| d.to_string()).unwrap_or_default();
            let _ = write!(
                out,
                "{kind},{},{},{},{end},{}\r\n",
                f.task_id,
                csv_field(&f.title),
                csv_field(f.assignee.as_deref().unwrap_or("")),
                csv_field(&f.reason)
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_commas_quotes_and_newlines() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}

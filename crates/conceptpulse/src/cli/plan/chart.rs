//! `conceptpulse plan gantt PROJECT` and `plan schedule PROJECT`: the project's tasks,
//! schedule and milestones read together, drawn as the terminal Gantt chart of
//! [`super::gantt`] (critical tasks in `█`), or listed with their earliest and latest
//! dates, slack and the critical path, and any dependency the current dates break.

use chrono::Utc;
use kiro_sdk::kiro_types::planning::{Milestone, Schedule, Task};
use kiro_sdk::{KiroClient, KiroError, TaskQuery};
use serde::Serialize;

use super::args::GanttArgs;
use super::gantt::{TextGanttOptions, text_gantt};
use super::refusal;
use super::render::{project_tasks, title};
use crate::cli::exit;
use crate::cli::output::{Output, table};

/// A project's plan as the charts need it.
struct Plan {
    tasks: Vec<Task>,
    schedule: Schedule,
    milestones: Vec<Milestone>,
}

async fn plan(client: &KiroClient, project: &str) -> Result<Plan, KiroError> {
    let planning = client.planning();
    let all = TaskQuery::default();
    let (tasks, schedule, milestones) = tokio::try_join!(
        project_tasks(client, project, &all),
        planning.schedule(project),
        planning.list_milestones(project),
    )?;
    Ok(Plan {
        tasks,
        schedule,
        milestones,
    })
}

/// The critical path by task title: `Design → Build → Ship`.
fn critical_path(tasks: &[Task], schedule: &Schedule) -> String {
    let names: Vec<&str> = schedule
        .critical_path
        .iter()
        .map(|id| title(tasks, id))
        .collect();
    names.join(" → ")
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct GanttOut {
    chart: String,
    schedule: Schedule,
}

/// `conceptpulse plan gantt PROJECT`.
pub async fn gantt(client: &KiroClient, out: Output, args: GanttArgs) -> u8 {
    let plan = match plan(client, &args.project).await {
        Ok(plan) => plan,
        Err(e) => return refusal::fail(client, out, &e).await,
    };
    let options = TextGanttOptions {
        width: usize::from(args.width),
        ascii: args.ascii,
    };
    let today = Utc::now().date_naive();
    let mut chart = text_gantt(
        &plan.tasks,
        &plan.schedule,
        &plan.milestones,
        today,
        options,
    );
    if !plan.schedule.critical_path.is_empty() {
        chart.push_str(&format!(
            "Critical path ({} days): {}\n",
            plan.schedule.duration_days,
            critical_path(&plan.tasks, &plan.schedule)
        ));
    }
    let value = GanttOut {
        chart,
        schedule: plan.schedule,
    };
    out.emit(&value, |g| g.chart.trim_end().to_owned());
    exit::OK
}

/// `conceptpulse plan schedule PROJECT`.
pub async fn schedule(client: &KiroClient, out: Output, project: &str) -> u8 {
    let plan = match plan(client, project).await {
        Ok(plan) => plan,
        Err(e) => return refusal::fail(client, out, &e).await,
    };
    out.emit(&plan.schedule, |s| describe(&plan.tasks, s));
    exit::OK
}

fn describe(tasks: &[Task], schedule: &Schedule) -> String {
    if schedule.tasks.is_empty() {
        return "No tasks to schedule yet.".to_owned();
    }
    let mut text = format!(
        "{} – {}, {} days. Critical path: {}\n",
        schedule.start,
        schedule.finish,
        schedule.duration_days,
        critical_path(tasks, schedule)
    );
    let rows = schedule.tasks.iter().map(|s| {
        vec![
            title(tasks, &s.task_id).to_owned(),
            s.duration_days.to_string(),
            format!("{} – {}", s.earliest_start, s.earliest_finish),
            format!("{} – {}", s.latest_start, s.latest_finish),
            s.slack_days.to_string(),
            if s.critical { "yes" } else { "" }.to_owned(),
        ]
    });
    text.push_str(&table(
        &["Task", "Days", "Earliest", "Latest", "Slack", "Critical"],
        rows,
    ));
    if !schedule.violations.is_empty() {
        text.push_str("\nBroken dependencies:");
        for v in &schedule.violations {
            text.push_str(&format!("\n  {} ({} days late)", v.message, v.days_late));
        }
    }
    text
}

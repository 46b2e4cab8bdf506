//! `conceptpulse plan projects` and `plan project create|show|delete`: the workspace's
//! projects as a table, creating one with its dates and constraint policy, one project with
//! its metrics, and deleting one with everything in it.

use futures::TryStreamExt;
use kiro_sdk::kiro_types::planning::{Project, ProjectIn, ProjectMetrics, ProjectStatus};
use kiro_sdk::{KiroClient, ProjectQuery};
use serde::Serialize;
use serde_json::json;

use super::args::ProjectCreateArgs;
use super::refusal;
use super::render::{dates, hours};
use crate::cli::exit;
use crate::cli::output::{Output, table};

/// `conceptpulse plan projects`.
pub async fn list(client: &KiroClient, out: Output, status: Option<ProjectStatus>) -> u8 {
    let query = ProjectQuery {
        status,
        ..ProjectQuery::default()
    };
    match client
        .planning()
        .all_projects(&query)
        .try_collect::<Vec<_>>()
        .await
    {
        Ok(projects) => {
            out.emit(&projects, |p| projects_table(p));
            exit::OK
        }
        Err(e) => refusal::fail(client, out, &e).await,
    }
}

fn projects_table(projects: &[Project]) -> String {
    if projects.is_empty() {
        return "No projects yet. Create one: conceptpulse plan project create NAME --start DATE --end DATE".to_owned();
    }
    let rows = projects.iter().map(|p| {
        vec![
            p.id.clone(),
            p.name.clone(),
            p.status.as_str().to_owned(),
            dates(p.start_date, p.end_date),
            p.constraint_policy.as_str().to_owned(),
        ]
    });
    table(&["ID", "Name", "Status", "Dates", "Policy"], rows)
}

/// `conceptpulse plan project create`.
pub async fn create(client: &KiroClient, out: Output, args: ProjectCreateArgs) -> u8 {
    if args.end < args.start {
        return out.fail_message(exit::USAGE, "--end must not be before --start");
    }
    let request = ProjectIn {
        name: args.name,
        description: args.description,
        status: None,
        start_date: Some(args.start),
        end_date: Some(args.end),
        owner: None,
        team: Vec::new(),
        constraint_policy: args.policy.map(Into::into),
    };
    match client.planning().create_project(&request).await {
        Ok(project) => {
            out.emit(&project, |p| {
                format!(
                    "Created project {} ({}), {}, policy {}.",
                    p.name,
                    p.id,
                    dates(p.start_date, p.end_date),
                    p.constraint_policy.as_str()
                )
            });
            exit::OK
        }
        Err(e) => refusal::fail(client, out, &e).await,
    }
}

#[derive(Debug, Serialize)]
struct ProjectOut {
    project: Project,
    metrics: ProjectMetrics,
}

/// `conceptpulse plan project show ID`.
pub async fn show(client: &KiroClient, out: Output, id: &str) -> u8 {
    let planning = client.planning();
    match tokio::try_join!(planning.get_project(id), planning.get_project_metrics(id)) {
        Ok((project, metrics)) => {
            out.emit(&ProjectOut { project, metrics }, describe);
            exit::OK
        }
        Err(e) => refusal::fail(client, out, &e).await,
    }
}

fn describe(shown: &ProjectOut) -> String {
    let (p, m) = (&shown.project, &shown.metrics);
    let mut text = format!(
        "{} ({})\n{} · {} · policy {} · owner {}\n",
        p.name,
        p.id,
        p.status.as_str(),
        dates(p.start_date, p.end_date),
        p.constraint_policy.as_str(),
        p.owner
    );
    if !p.description.is_empty() {
        text.push_str(&format!("{}\n", p.description));
    }
    let rows = [
        (
            "Tasks",
            format!("{} ({} done)", m.total_tasks, m.completed_tasks),
        ),
        ("Complete", format!("{:.1} %", m.percent_complete)),
        (
            "Hours",
            format!(
                "{} estimated, {} actual",
                hours(m.estimated_hours),
                hours(m.actual_hours)
            ),
        ),
        (
            "Overdue / at risk",
            format!("{} / {}", m.overdue_tasks, m.at_risk_tasks),
        ),
        (
            "Milestones",
            format!("{} ({} reached)", m.milestones, m.milestones_reached),
        ),
        ("Critical path", format!("{} days", m.critical_path_days)),
        ("Broken dependencies", m.dependency_violations.to_string()),
    ];
    text.push_str(&table(
        &["Metric", "Value"],
        rows.into_iter().map(|(k, v)| vec![k.to_owned(), v]),
    ));
    text
}

/// `conceptpulse plan project delete ID`.
pub async fn delete(client: &KiroClient, out: Output, id: &str) -> u8 {
    match client.planning().delete_project(id).await {
        Ok(()) => {
            out.emit(&json!({ "deleted": id }), |_| {
                format!("Deleted project {id} with its tasks, milestones and allocations.")
            });
            exit::OK
        }
        Err(e) => refusal::fail(client, out, &e).await,
    }
}

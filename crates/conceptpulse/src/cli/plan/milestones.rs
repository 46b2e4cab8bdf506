//! `conceptpulse plan milestones PROJECT` and `plan milestone add PROJECT NAME --date D`:
//! a project's milestones with the tasks that gate them, and adding one.

use kiro_sdk::KiroClient;
use kiro_sdk::kiro_types::planning::{Milestone, MilestoneIn};

use super::args::MilestoneAddArgs;
use super::refusal;
use crate::cli::exit;
use crate::cli::output::{Output, table};

/// `conceptpulse plan milestones PROJECT`.
pub async fn list(client: &KiroClient, out: Output, project: &str) -> u8 {
    match client.planning().list_milestones(project).await {
        Ok(milestones) => {
            out.emit(&milestones, |m| milestones_table(m));
            exit::OK
        }
        Err(e) => refusal::fail(client, out, &e).await,
    }
}

fn milestones_table(milestones: &[Milestone]) -> String {
    if milestones.is_empty() {
        return "No milestones yet. Add one: conceptpulse plan milestone add PROJECT NAME --date DATE".to_owned();
    }
    let rows = milestones.iter().map(|m| {
        vec![
            m.id.clone(),
            m.name.clone(),
            m.date.to_string(),
            m.task_ids.len().to_string(),
        ]
    });
    table(&["ID", "Name", "Date", "Gating tasks"], rows)
}

/// `conceptpulse plan milestone add`.
pub async fn add(client: &KiroClient, out: Output, args: MilestoneAddArgs) -> u8 {
    let request = MilestoneIn {
        name: args.name,
        description: args.description,
        date: args.date,
        task_ids: args.tasks,
    };
    match client
        .planning()
        .create_milestone(&args.project, &request)
        .await
    {
        Ok(milestone) => {
            out.emit(&milestone, |m| {
                format!(
                    "Added milestone {} ({}) on {}, gated by {} task(s).",
                    m.name,
                    m.id,
                    m.date,
                    m.task_ids.len()
                )
            });
            exit::OK
        }
        Err(e) => refusal::fail(client, out, &e).await,
    }
}

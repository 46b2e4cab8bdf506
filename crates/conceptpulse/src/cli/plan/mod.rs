//! `conceptpulse plan …`: project planning from the terminal over kiro-sdk's planning
//! client — projects, tasks (with a move that reports the successors it rescheduled or the
//! refusal), dependencies (a cycle is refused naming it), milestones, the schedule with its
//! critical path and slack, the text Gantt chart, and reports as JSON, Markdown or CSV.
//! Every command prints tables for people and one JSON document with `--output json`;
//! a server's refusal prints its code, message and details and exits with `cli::exit`'s code.

mod args;
mod chart;
mod deps;
mod derived;
pub mod gantt;
mod milestones;
mod moves;
mod projects;
mod refusal;
mod render;
mod report;
mod tasks;

pub use args::{
    DepAddArgs, DepCommand, GanttArgs, MilestoneAddArgs, MilestoneCommand, PlanCommand,
    ProjectCommand, ProjectCreateArgs, ReportArgs, TaskAddArgs, TaskCommand, TaskMoveArgs,
    TasksArgs,
};
use kiro_sdk::ClientConfig;

use super::output::Output;

/// Runs one `plan` subcommand with a signed-in client; returns the exit code.
pub async fn run(config: ClientConfig, out: Output, command: PlanCommand) -> u8 {
    let client = match super::session::signed_in(config, out).await {
        Ok(client) => client,
        Err(code) => return code,
    };
    let client = &client;
    match command {
        PlanCommand::Projects { status } => {
            projects::list(client, out, status.map(Into::into)).await
        }
        PlanCommand::Project { command } => match command {
            ProjectCommand::Create(args) => projects::create(client, out, args).await,
            ProjectCommand::Show { id } => projects::show(client, out, &id).await,
            ProjectCommand::Delete { id } => projects::delete(client, out, &id).await,
        },
        PlanCommand::Tasks(args) => tasks::list(client, out, args).await,
        PlanCommand::Task { command } => match command {
            TaskCommand::Add(args) => tasks::add(client, out, args).await,
            TaskCommand::Move(args) => moves::move_task(client, out, args).await,
            TaskCommand::Status { task, status } => {
                tasks::set_status(client, out, &task, status.into()).await
            }
            TaskCommand::Delete { task, cascade } => {
                tasks::delete(client, out, &task, cascade).await
            }
        },
        PlanCommand::Dep { command } => match command {
            DepCommand::Add(args) => deps::add(client, out, args).await,
            DepCommand::Remove { from, to } => deps::remove(client, out, &from, &to).await,
        },
        PlanCommand::Milestones { project } => milestones::list(client, out, &project).await,
        PlanCommand::Milestone { command } => match command {
            MilestoneCommand::Add(args) => milestones::add(client, out, args).await,
        },
        PlanCommand::Gantt(args) => chart::gantt(client, out, args).await,
        PlanCommand::Schedule { project } => chart::schedule(client, out, &project).await,
        PlanCommand::Report(args) => report::report(client, out, args).await,
    }
}

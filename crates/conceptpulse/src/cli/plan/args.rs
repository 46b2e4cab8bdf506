//! The command line of `conceptpulse plan …`: each subcommand's arguments, and the value
//! types (statuses, priorities, dependency kinds, report kinds, dates) parsed at the edge
//! into the planning wire types of kiro-types.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Subcommand, ValueEnum};
use kiro_sdk::kiro_types::planning::{
    ConstraintPolicy, DependencyKind, ProjectStatus, TaskPriority, TaskStatus,
};

/// `conceptpulse plan …`.
#[derive(Debug, Subcommand)]
pub enum PlanCommand {
    /// The workspace's projects.
    Projects {
        #[arg(long, value_enum)]
        status: Option<ProjectStatusArg>,
    },
    /// Create, show or delete one project.
    Project {
        #[command(subcommand)]
        command: ProjectCommand,
    },
    /// A project's tasks, optionally filtered.
    Tasks(TasksArgs),
    /// Add, move, re-status or delete one task.
    Task {
        #[command(subcommand)]
        command: TaskCommand,
    },
    /// Add or remove a dependency between two tasks.
    Dep {
        #[command(subcommand)]
        command: DepCommand,
    },
    /// A project's milestones.
    Milestones {
        /// The project's id.
        project: String,
    },
    /// Add a milestone to a project.
    Milestone {
        #[command(subcommand)]
        command: MilestoneCommand,
    },
    /// A project's Gantt chart in the terminal, the critical path marked.
    Gantt(GanttArgs),
    /// A project's schedule: earliest and latest dates, slack, the critical path.
    Schedule {
        /// The project's id.
        project: String,
    },
    /// A project report as JSON, Markdown or CSV.
    Report(ReportArgs),
}

/// `conceptpulse plan project …`.
#[derive(Debug, Subcommand)]
pub enum ProjectCommand {
    /// Create a project.
    Create(ProjectCreateArgs),
    /// A project with its metrics.
    Show {
        /// The project's id.
        id: String,
    },
    /// Delete a project with its tasks, dependencies, milestones and allocations.
    Delete {
        /// The project's id.
        id: String,
    },
}

/// `conceptpulse plan project create NAME`.
#[derive(Debug, Clone, Args)]
pub struct ProjectCreateArgs {
    pub name: String,
    #[arg(long, value_name = "DATE", value_parser = day)]
    pub start: NaiveDate,
    #[arg(long, value_name = "DATE", value_parser = day)]
    pub end: NaiveDate,
    #[arg(long, default_value = "")]
    pub description: String,
    /// What a move that breaks a dependency does [default: the server's, allow].
    #[arg(long, value_enum)]
    pub policy: Option<PolicyArg>,
}

/// `conceptpulse plan tasks PROJECT`.
#[derive(Debug, Clone, Args)]
pub struct TasksArgs {
    /// The project's id.
    pub project: String,
    #[arg(long, value_enum)]
    pub status: Option<TaskStatusArg>,
    /// A user id.
    #[arg(long, value_name = "USER")]
    pub assignee: Option<String>,
    #[arg(long)]
    pub tag: Option<String>,
    /// Only the tasks gating this milestone (its id).
    #[arg(long, value_name = "ID")]
    pub milestone: Option<String>,
}

/// `conceptpulse plan task …`.
#[derive(Debug, Subcommand)]
pub enum TaskCommand {
    /// Add a task to a project.
    Add(TaskAddArgs),
    /// Move a task to new dates; reports the successors the project's policy pushed.
    Move(TaskMoveArgs),
    /// Change a task's status.
    Status {
        /// The task's id.
        task: String,
        #[arg(value_enum)]
        status: TaskStatusArg,
    },
    /// Delete a task.
    Delete {
        /// The task's id.
        task: String,
        /// Also remove the dependencies of other tasks on it.
        #[arg(long)]
        cascade: bool,
    },
}

/// `conceptpulse plan task add PROJECT TITLE`.
#[derive(Debug, Clone, Args)]
pub struct TaskAddArgs {
    /// The project's id.
    pub project: String,
    pub title: String,
    #[arg(long, value_name = "DATE", value_parser = day)]
    pub start: NaiveDate,
    /// The last day of work (inclusive).
    #[arg(long, value_name = "DATE", value_parser = day)]
    pub end: NaiveDate,
    /// Estimated hours.
    #[arg(long, value_name = "HOURS")]
    pub estimate: Option<f64>,
    /// A user id of a workspace member.
    #[arg(long, value_name = "USER")]
    pub assignee: Option<String>,
    #[arg(long, value_enum)]
    pub priority: Option<PriorityArg>,
    /// A tag (repeat the flag for more).
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    #[arg(long, default_value = "")]
    pub description: String,
}

/// `conceptpulse plan task move TASK --start DATE`.
#[derive(Debug, Clone, Args)]
pub struct TaskMoveArgs {
    /// The task's id.
    pub task: String,
    #[arg(long, value_name = "DATE", value_parser = day)]
    pub start: NaiveDate,
    /// The new last day [default: keeps the task's length].
    #[arg(long, value_name = "DATE", value_parser = day)]
    pub end: Option<NaiveDate>,
}

/// `conceptpulse plan dep …`.
#[derive(Debug, Subcommand)]
pub enum DepCommand {
    /// Make task TO depend on task FROM.
    Add(DepAddArgs),
    /// Remove the dependency of task TO on task FROM.
    Remove {
        /// The predecessor's id.
        from: String,
        /// The successor's id.
        to: String,
    },
}

/// `conceptpulse plan dep add FROM TO`.
#[derive(Debug, Clone, Args)]
pub struct DepAddArgs {
    /// The predecessor's id.
    pub from: String,
    /// The successor's id.
    pub to: String,
    #[arg(long, value_enum, default_value_t = DepKindArg::FinishToStart)]
    pub kind: DepKindArg,
    /// Days added to the constraint (negative: lead).
    #[arg(
        long,
        value_name = "DAYS",
        default_value_t = 0,
        allow_negative_numbers = true
    )]
    pub lag: i32,
}

/// `conceptpulse plan milestone …`.
#[derive(Debug, Subcommand)]
pub enum MilestoneCommand {
    /// Add a milestone to a project.
    Add(MilestoneAddArgs),
}

/// `conceptpulse plan milestone add PROJECT NAME --date DATE`.
#[derive(Debug, Clone, Args)]
pub struct MilestoneAddArgs {
    /// The project's id.
    pub project: String,
    pub name: String,
    #[arg(long, value_name = "DATE", value_parser = day)]
    pub date: NaiveDate,
    /// A task that must be done for the milestone to be reached (repeatable).
    #[arg(long = "task", value_name = "ID")]
    pub tasks: Vec<String>,
    #[arg(long, default_value = "")]
    pub description: String,
}

/// `conceptpulse plan gantt PROJECT`.
#[derive(Debug, Clone, Args)]
pub struct GanttArgs {
    /// The project's id.
    pub project: String,
    /// Characters per line.
    #[arg(long, value_name = "N", default_value_t = 100,
          value_parser = clap::value_parser!(u16).range(20..=1000))]
    pub width: u16,
    /// Plain ASCII instead of block characters.
    #[arg(long)]
    pub ascii: bool,
}

/// `conceptpulse plan report PROJECT`.
#[derive(Debug, Clone, Args)]
pub struct ReportArgs {
    /// The project's id.
    pub project: String,
    #[arg(long, value_enum, default_value_t = ReportKindArg::Status)]
    pub kind: ReportKindArg,
    /// How the report is written [default: markdown, or json with `--output json`].
    #[arg(long, value_enum)]
    pub format: Option<ReportFormatArg>,
    /// Write the report to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub output_file: Option<PathBuf>,
}

/// A calendar day, `YYYY-MM-DD`.
pub fn day(value: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .map_err(|_| format!("`{value}` is not a date: write YYYY-MM-DD"))
}

/// Generates a clap value enum mirroring a wire enum, with `From` into it.
macro_rules! mirror {
    ($(#[$doc:meta])* $arg:ident => $wire:ident { $($variant:ident $(= $alias:literal)?),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
        pub enum $arg {
            $($(#[value(alias = $alias)])? $variant),+
        }

        impl From<$arg> for $wire {
            fn from(value: $arg) -> Self {
                match value {
                    $($arg::$variant => $wire::$variant),+
                }
            }
        }
    };
}

mirror!(
    /// A project status.
    ProjectStatusArg => ProjectStatus { Planning, Active, OnHold = "on_hold", Completed, Cancelled }
);
mirror!(
    /// A task status.
    TaskStatusArg => TaskStatus { Todo, InProgress = "in_progress", Blocked, Done, Cancelled }
);
mirror!(
    /// A task priority.
    PriorityArg => TaskPriority { Low, Medium, High, Critical }
);
mirror!(
    /// A project's constraint policy.
    PolicyArg => ConstraintPolicy { Allow, Refuse, Reschedule }
);
mirror!(
    /// A dependency kind: which end of FROM constrains which end of TO.
    DepKindArg => DependencyKind {
        FinishToStart = "finish_to_start",
        StartToStart = "start_to_start",
        FinishToFinish = "finish_to_finish",
        StartToFinish = "start_to_finish",
    }
);

/// Which report `plan report` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportKindArg {
    /// Metrics, overdue and at-risk tasks.
    Status,
    /// Estimated hours remaining per day against the ideal line.
    Burndown,
    /// The tasks on the critical path with their dates.
    CriticalPath,
    /// Each booked person's hours per day, over-allocation flagged.
    Utilization,
    /// Overdue and at-risk tasks.
    Overdue,
    /// Estimated against actual hours per task.
    Hours,
}

impl ReportKindArg {
    /// The name as typed, e.g. `critical-path`.
    pub fn name(self) -> String {
        self.to_possible_value()
            .map(|v| v.get_name().to_owned())
            .unwrap_or_default()
    }
}

/// How `plan report` renders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormatArg {
    Json,
    Markdown,
    Csv,
}

#[cfg(test)]
#[allow(clippy::panic)]
#[path = "args_tests.rs"]
mod tests;

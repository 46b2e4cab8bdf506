//! The planning pages' forms as typed, and what they become: a project, a task, a status
//! move, a dependency, new dates, a milestone or an allocation for kiro-sdk, or a sentence
//! saying what to fix. A refused form is shown again with what was typed, so nothing is lost.

use chrono::NaiveDate;
use kiro_sdk::kiro_types::planning::{
    AllocationIn, ConstraintPolicy, DependencyIn, DependencyKind, MilestoneIn, ProjectIn,
    ProjectStatus, TaskIn, TaskPatch, TaskPriority, TaskStatus,
};
use serde::Deserialize;

/// An optional day typed as `YYYY-MM-DD` (what a date input sends); empty is none.
fn day(text: &str, what: &str) -> Result<Option<NaiveDate>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| format!("The {what} must be a date like 2026-03-01."))
}

fn required_day(text: &str, what: &str) -> Result<NaiveDate, String> {
    day(text, what)?.ok_or_else(|| format!("Give the {what}."))
}

/// An optional number of hours; empty is none.
fn hours(text: &str, what: &str) -> Result<Option<f64>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<f64>()
        .ok()
        .filter(|h| h.is_finite())
        .map(Some)
        .ok_or_else(|| format!("The {what} must be a number of hours, e.g. 16 or 2.5."))
}

fn some_text(text: &str) -> Option<String> {
    Some(text.trim().to_owned()).filter(|t| !t.is_empty())
}

/// `POST /kiro/planning`: a new project.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ProjectForm {
    pub name: String,
    pub description: String,
    pub status: String,
    pub start_date: String,
    pub end_date: String,
    pub constraint_policy: String,
}

impl ProjectForm {
    pub fn request(&self) -> Result<ProjectIn, String> {
        let name = some_text(&self.name).ok_or("Name the project.")?;
        Ok(ProjectIn {
            name,
            description: self.description.trim().to_owned(),
            status: ProjectStatus::parse(&self.status),
            start_date: day(&self.start_date, "start date")?,
            end_date: day(&self.end_date, "end date")?,
            owner: None,
            team: Vec::new(),
            constraint_policy: ConstraintPolicy::parse(&self.constraint_policy),
        })
    }
}

/// `POST …/tasks`: a new task. Tags are separated by commas.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct TaskForm {
    pub title: String,
    pub description: String,
    pub start_date: String,
    pub end_date: String,
    pub estimate: String,
    pub assignee: String,
    pub priority: String,
    pub tags: String,
}

impl TaskForm {
    pub fn request(&self) -> Result<TaskIn, String> {
        let title = some_text(&self.title).ok_or("Give the task a title.")?;
        let tags = self
            .tags
            .split(',')
            .filter_map(some_text)
            .collect::<Vec<_>>();
        Ok(TaskIn {
            title,
            description: self.description.trim().to_owned(),
            status: None,
            priority: TaskPriority::parse(&self.priority),
            assignee: some_text(&self.assignee),
            estimated_hours: hours(&self.estimate, "estimate")?,
            actual_hours: None,
            tags,
            start_date: day(&self.start_date, "start date")?,
            end_date: day(&self.end_date, "end date")?,
        })
    }
}

/// `POST …/tasks/{task}/status`: a card moved to another column.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct StatusForm {
    pub status: String,
}

impl StatusForm {
    pub fn status(&self) -> Result<TaskStatus, String> {
        TaskStatus::parse(self.status.trim()).ok_or_else(|| {
            format!(
                "`{}` is not a task status; choose one of the board's columns.",
                self.status.trim()
            )
        })
    }
}

/// `POST …/dependencies`: `successor` depends on `predecessor`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct DependencyForm {
    pub successor: String,
    pub predecessor: String,
    pub kind: String,
    pub lag: String,
}

impl DependencyForm {
    /// The successor's id and the dependency to add to it.
    pub fn request(&self) -> Result<(String, DependencyIn), String> {
        let successor = some_text(&self.successor).ok_or("Choose the task that waits.")?;
        let predecessor = some_text(&self.predecessor).ok_or("Choose the task it waits for.")?;
        let kind = if self.kind.trim().is_empty() {
            DependencyKind::default()
        } else {
            DependencyKind::parse(self.kind.trim())
                .ok_or_else(|| format!("`{}` is not a dependency kind.", self.kind.trim()))?
        };
        let lag = self.lag.trim();
        let lag_days = if lag.is_empty() {
            0
        } else {
            lag.parse::<i32>().map_err(|_| {
                "The lag must be a whole number of days (negative for a lead).".to_owned()
            })?
        };
        Ok((
            successor,
            DependencyIn {
                predecessor_id: predecessor,
                kind,
                lag_days,
            },
        ))
    }
}

/// `POST …/tasks/dates`: a task moved to new dates (empty clears a date).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct DatesForm {
    pub task: String,
    pub start_date: String,
    pub end_date: String,
}

impl DatesForm {
    /// The task's id and the change of its dates.
    pub fn request(&self) -> Result<(String, TaskPatch), String> {
        let task = some_text(&self.task).ok_or("Choose the task to move.")?;
        Ok((
            task,
            TaskPatch {
                start_date: Some(day(&self.start_date, "start date")?),
                end_date: Some(day(&self.end_date, "end date")?),
                ..TaskPatch::default()
            },
        ))
    }
}

/// `POST …/milestones`: a milestone and the tasks that gate it (one `tasks` per box ticked).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct MilestoneForm {
    pub name: String,
    pub description: String,
    pub date: String,
    pub tasks: Vec<String>,
}

impl MilestoneForm {
    pub fn request(&self) -> Result<MilestoneIn, String> {
        let name = some_text(&self.name).ok_or("Name the milestone.")?;
        Ok(MilestoneIn {
            name,
            description: self.description.trim().to_owned(),
            date: required_day(&self.date, "milestone's date")?,
            task_ids: self.tasks.iter().filter_map(|t| some_text(t)).collect(),
        })
    }
}

/// `POST …/allocations`: a person booked on the project, by hours a day or percent.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct AllocationForm {
    pub resource: String,
    pub task: String,
    pub start_date: String,
    pub end_date: String,
    pub hours_per_day: String,
    pub percent: String,
}

impl AllocationForm {
    pub fn request(&self) -> Result<AllocationIn, String> {
        let resource = some_text(&self.resource).ok_or("Choose who is booked.")?;
        let hours_per_day = hours(&self.hours_per_day, "hours a day")?;
        let percent = hours(&self.percent, "percentage")?;
        if hours_per_day.is_some() == percent.is_some() {
            return Err("Give either the hours a day or the percentage of a day, not both.".into());
        }
        Ok(AllocationIn {
            resource,
            task_id: some_text(&self.task),
            start_date: required_day(&self.start_date, "first day")?,
            end_date: required_day(&self.end_date, "last day")?,
            hours_per_day,
            percent,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_task_form_becomes_a_task_with_trimmed_tags_and_parsed_numbers() -> Result<(), String> {
        let form = TaskForm {
            title: " Design ".into(),
            start_date: "2026-03-02".into(),
            estimate: "16".into(),
            priority: "high".into(),
            tags: "ui, , api ".into(),
            ..TaskForm::default()
        };
        let task = form.request()?;
        assert_eq!(task.title, "Design");
        assert_eq!(task.start_date, NaiveDate::from_ymd_opt(2026, 3, 2));
        assert_eq!(task.end_date, None);
        assert_eq!(task.estimated_hours, Some(16.0));
        assert_eq!(task.priority, Some(TaskPriority::High));
        assert_eq!(task.tags, ["ui", "api"]);
        assert_eq!(task.assignee, None);
        Ok(())
    }

    #[test]
    fn bad_fields_say_what_to_fix() {
        let no_title = TaskForm::default().request().err().unwrap_or_default();
        assert!(no_title.contains("title"));
        let form = TaskForm {
            title: "x".into(),
            estimate: "lots".into(),
            ..TaskForm::default()
        };
        assert!(
            form.request()
                .err()
                .unwrap_or_default()
                .contains("estimate")
        );
        let form = ProjectForm {
            name: "P".into(),
            start_date: "03/01/2026".into(),
            ..ProjectForm::default()
        };
        assert!(
            form.request()
                .err()
                .unwrap_or_default()
                .contains("start date")
        );
        let status = StatusForm {
            status: "archived".into(),
        };
        assert!(status.status().is_err());
    }

    #[test]
    fn a_dependency_defaults_to_finish_to_start_without_lag() -> Result<(), String> {
        let form = DependencyForm {
            successor: "b".into(),
            predecessor: "a".into(),
            ..DependencyForm::default()
        };
        let (successor, dependency) = form.request()?;
        assert_eq!(successor, "b");
        assert_eq!(dependency.kind, DependencyKind::FinishToStart);
        assert_eq!(dependency.lag_days, 0);
        let lead = DependencyForm {
            kind: "start_to_start".into(),
            lag: "-2".into(),
            ..form
        };
        let (_, dependency) = lead.request()?;
        assert_eq!(
            (dependency.kind, dependency.lag_days),
            (DependencyKind::StartToStart, -2)
        );
        Ok(())
    }

    #[test]
    fn moving_dates_sets_both_and_empty_clears() -> Result<(), String> {
        let form = DatesForm {
            task: "t".into(),
            start_date: "2026-03-05".into(),
            end_date: String::new(),
        };
        let (_, patch) = form.request()?;
        assert_eq!(patch.start_date, Some(NaiveDate::from_ymd_opt(2026, 3, 5)));
        assert_eq!(patch.end_date, Some(None));
        Ok(())
    }

    #[test]
    fn an_allocation_takes_hours_or_percent_but_not_both() {
        let form = AllocationForm {
            resource: "u1".into(),
            start_date: "2026-03-02".into(),
            end_date: "2026-03-06".into(),
            hours_per_day: "10".into(),
            ..AllocationForm::default()
        };
        assert!(form.request().is_ok_and(|a| a.hours_per_day == Some(10.0)));
        let both = AllocationForm {
            percent: "50".into(),
            ..form
        };
        assert!(both.request().is_err());
    }
}

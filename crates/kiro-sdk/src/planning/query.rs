//! The list filters of the planning client: [`ProjectQuery`] and [`TaskQuery`], with the
//! page size and cursor, turned into query strings.

use chrono::NaiveDate;
use kiro_types::planning::{ProjectStatus, TaskStatus};

use super::encode;

/// `GET /projects`: a status, and the page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProjectQuery {
    pub status: Option<ProjectStatus>,
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// `GET /projects/{id}/tasks`: filters (dates keep tasks overlapping `[from, to]`), and the
/// page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskQuery {
    pub status: Option<TaskStatus>,
    pub assignee: Option<String>,
    pub tag: Option<String>,
    pub milestone_id: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// `?a=1&b=2` of the pairs given, or nothing.
fn query_string(pairs: Vec<(&str, Option<String>)>) -> String {
    let parts: Vec<String> = pairs
        .into_iter()
        .filter_map(|(name, value)| value.map(|v| format!("{name}={}", encode(&v))))
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

impl ProjectQuery {
    pub(super) fn to_query(&self) -> String {
        query_string(vec![
            ("status", self.status.map(|s| s.as_str().to_owned())),
            ("limit", self.limit.map(|l| l.to_string())),
            ("cursor", self.cursor.clone()),
        ])
    }
}

impl TaskQuery {
    pub(super) fn to_query(&self) -> String {
        query_string(vec![
            ("status", self.status.map(|s| s.as_str().to_owned())),
            ("assignee", self.assignee.clone()),
            ("tag", self.tag.clone()),
            ("milestoneId", self.milestone_id.clone()),
            ("from", self.from.map(|d| d.to_string())),
            ("to", self.to.map(|d| d.to_string())),
            ("limit", self.limit.map(|l| l.to_string())),
            ("cursor", self.cursor.clone()),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_become_an_encoded_query() {
        let q = TaskQuery {
            status: Some(TaskStatus::InProgress),
            tag: Some("a b".into()),
            from: NaiveDate::from_ymd_opt(2026, 3, 1),
            ..TaskQuery::default()
        };
        assert_eq!(q.to_query(), "?status=in_progress&tag=a+b&from=2026-03-01");
        assert_eq!(TaskQuery::default().to_query(), "");
    }
}

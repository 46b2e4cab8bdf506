//! What the server computes from a plan: the design's `getResourceUtilization`,
//! `generateProjectReport` and `getProjectMetrics`, plus the workspace's utilisation, the
//! schedule, and reports rendered as Markdown or CSV text.

use chrono::NaiveDate;
use kiro_types::planning::{ProjectMetrics, Report, ReportType, Schedule, UtilizationReport};

use super::{PlanningClient, encode};
use crate::call::Call;
use crate::error::KiroError;

/// A text rendering of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    Markdown,
    Csv,
}

impl ReportFormat {
    fn as_str(self) -> &'static str {
        match self {
            ReportFormat::Markdown => "markdown",
            ReportFormat::Csv => "csv",
        }
    }
}

/// `?from=…&to=…` of the dates given.
fn range(from: Option<NaiveDate>, to: Option<NaiveDate>) -> String {
    let parts: Vec<String> = [("from", from), ("to", to)]
        .into_iter()
        .filter_map(|(name, d)| d.map(|d| format!("{name}={d}")))
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

impl PlanningClient {
    /// The utilisation of the people booked on a project, counting their bookings on every
    /// project; the range defaults to the span of the project's allocations.
    pub async fn get_resource_utilization(
        &self,
        project_id: &str,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> Result<UtilizationReport, KiroError> {
        let path = format!(
            "/projects/{}/utilization{}",
            encode(project_id),
            range(from, to)
        );
        self.send(Call::get(path)).await
    }

    /// Every person's utilisation across the workspace's projects over `[from, to]`.
    pub async fn workspace_utilization(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<UtilizationReport, KiroError> {
        self.send(Call::get(format!(
            "/utilization{}",
            range(Some(from), Some(to))
        )))
        .await
    }

    /// The project's schedule: dates, slack, critical path and violated dependencies.
    pub async fn schedule(&self, project_id: &str) -> Result<Schedule, KiroError> {
        self.send(Call::get(format!(
            "/projects/{}/schedule",
            encode(project_id)
        )))
        .await
    }

    pub async fn get_project_metrics(&self, project_id: &str) -> Result<ProjectMetrics, KiroError> {
        self.send(Call::get(format!(
            "/projects/{}/metrics",
            encode(project_id)
        )))
        .await
    }

    pub async fn generate_project_report(
        &self,
        project_id: &str,
        report_type: ReportType,
    ) -> Result<Report, KiroError> {
        let path = format!(
            "/projects/{}/reports/{}",
            encode(project_id),
            report_type.as_str()
        );
        self.send(Call::get(path)).await
    }

    /// A report rendered as Markdown or CSV text.
    pub async fn report_text(
        &self,
        project_id: &str,
        report_type: ReportType,
        format: ReportFormat,
    ) -> Result<String, KiroError> {
        let path = format!(
            "/projects/{}/reports/{}?format={}",
            encode(project_id),
            report_type.as_str(),
            format.as_str()
        );
        let reply = self.call(Call::get(path)).await?;
        String::from_utf8(reply.body).map_err(|e| KiroError::Decode(e.to_string()))
    }
}

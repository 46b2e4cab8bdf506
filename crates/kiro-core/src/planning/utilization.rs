//! Utilisation per person per day across every project: allocations summed day by day over
//! a date range, with days above a full working day flagged as over-allocated.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use kiro_types::planning::{
    HOURS_PER_DAY, ResourceAllocation, ResourceUtilization, UtilizationDay, UtilizationReport,
};

use super::rules::percent_of_day;

/// Each resource's booked days in `[from, to]`, resources by name, days in order. Days with
/// no booking are left out.
pub fn utilization(
    allocations: &[ResourceAllocation],
    from: NaiveDate,
    to: NaiveDate,
) -> UtilizationReport {
    type Day = (f64, BTreeSet<String>);
    let mut by_resource: BTreeMap<&str, BTreeMap<NaiveDate, Day>> = BTreeMap::new();
    for a in allocations {
        let start = a.start_date.max(from);
        let end = a.end_date.min(to);
        let days = by_resource.entry(a.resource.as_str()).or_default();
        for date in start.iter_days().take_while(|d| *d <= end) {
            let day = days.entry(date).or_default();
            day.0 += a.hours_per_day;
            day.1.insert(a.project_id.clone());
        }
    }
    let resources = by_resource
        .into_iter()
        .map(|(resource, days)| {
            let days: Vec<UtilizationDay> = days
                .into_iter()
                .map(|(date, (hours, projects))| UtilizationDay {
                    date,
                    hours,
                    percent: percent_of_day(hours),
                    over_allocated: hours > HOURS_PER_DAY + 1e-9,
                    project_ids: projects.into_iter().collect(),
                })
                .collect();
            ResourceUtilization {
                resource: resource.to_owned(),
                total_hours: days.iter().map(|d| d.hours).sum(),
                over_allocated_days: u32::try_from(
                    days.iter().filter(|d| d.over_allocated).count(),
                )
                .unwrap_or(u32::MAX),
                days,
            }
        })
        .collect();
    UtilizationReport {
        from,
        to,
        resources,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn alloc(project: &str, who: &str, start: u32, end: u32, hours: f64) -> ResourceAllocation {
        ResourceAllocation {
            id: format!("{project}-{who}"),
            project_id: project.into(),
            resource: who.into(),
            task_id: None,
            start_date: NaiveDate::from_ymd_opt(2026, 3, start).unwrap(),
            end_date: NaiveDate::from_ymd_opt(2026, 3, end).unwrap(),
            hours_per_day: hours,
            percent: percent_of_day(hours),
            created_at: Utc::now(),
            updated_at: Utc::now(),
            version: 1,
        }
    }

    #[test]
    fn overlapping_projects_over_allocate_only_the_shared_days() {
        let all = [alloc("p1", "ann", 1, 3, 6.0), alloc("p2", "ann", 3, 4, 4.0)];
        let from = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let to = NaiveDate::from_ymd_opt(2026, 3, 31).unwrap();
        let report = utilization(&all, from, to);
        let ann = &report.resources[0];
        assert_eq!(ann.days.len(), 4);
        let over: Vec<_> = ann.days.iter().filter(|d| d.over_allocated).collect();
        assert_eq!(over.len(), 1);
        assert_eq!(over[0].hours, 10.0);
        assert_eq!(over[0].project_ids, vec!["p1", "p2"]);
        assert_eq!(ann.total_hours, 26.0);
    }
}

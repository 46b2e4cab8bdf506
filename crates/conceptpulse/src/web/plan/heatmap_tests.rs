//! Tests of the utilisation heat map.

use std::collections::HashMap;

use askama::Template;
use kiro_sdk::kiro_types::planning::{ResourceUtilization, UtilizationDay, UtilizationReport};

use super::super::timeline::fixtures::day;
use super::*;

fn booked(date: &str, hours: f64, projects: &[&str]) -> UtilizationDay {
    UtilizationDay {
        date: day(date),
        hours,
        percent: hours / 8.0 * 100.0,
        over_allocated: hours > 8.0,
        project_ids: projects.iter().map(|p| (*p).to_owned()).collect(),
    }
}

fn person(name: &str, days: Vec<UtilizationDay>) -> ResourceUtilization {
    ResourceUtilization {
        resource: name.into(),
        total_hours: days.iter().map(|d| d.hours).sum(),
        over_allocated_days: days.iter().filter(|d| d.over_allocated).count() as u32,
        days,
    }
}

/// Alice: 10 h on Jan 5 (two projects), 3 h on Jan 6; Bob: 8 h on Jan 7. Jan 5–7.
fn report() -> UtilizationReport {
    UtilizationReport {
        from: day("2026-01-05"),
        to: day("2026-01-07"),
        resources: vec![
            person(
                "alice",
                vec![
                    booked("2026-01-05", 10.0, &["p1", "p2"]),
                    booked("2026-01-06", 3.0, &["p1"]),
                ],
            ),
            person("bob", vec![booked("2026-01-07", 8.0, &["p2"])]),
        ],
    }
}

fn names() -> HashMap<String, String> {
    HashMap::from([("p1".to_owned(), "Apollo".to_owned())])
}

#[test]
fn bands_follow_the_hours() {
    assert_eq!(Band::of(0.0, false), Band::Free);
    assert_eq!(Band::of(4.0, false), Band::Light);
    assert_eq!(Band::of(6.5, false), Band::Busy);
    assert_eq!(Band::of(8.0, false), Band::Full);
    assert_eq!(Band::of(9.0, true), Band::Over);
}

#[test]
fn every_person_gets_every_day_with_missing_days_free() {
    let map = heatmap("u", "Team", &report(), &names());
    assert_eq!(map.rows.len(), 2);
    assert!(map.rows.iter().all(|r| r.cells.len() == 3));
    let free = map.cell("bob", day("2026-01-05"));
    assert_eq!(free.map(|c| c.band), Some(Band::Free));
    assert_eq!(free.map(|c| c.title.as_str()), Some("bob, 2026-01-05: 0 h"));
    let cells = &map.rows[0].cells;
    assert_eq!(cells[1].x - cells[0].x, CELL + GAP);
    assert_eq!(cells[0].x, LABEL_WIDTH);
    assert_eq!(map.rows[1].y - map.rows[0].y, CELL + GAP);
    assert_eq!(map.columns.len(), 3);
    assert_eq!(map.columns[0].month.as_deref(), Some("Jan 2026"));
    assert_eq!(map.columns[1].month, None);
}

#[test]
fn over_allocated_cells_are_marked_labelled_and_titled() {
    let map = heatmap("u", "Team", &report(), &names());
    let over = map.cell("alice", day("2026-01-05"));
    let over = over.unwrap_or_else(|| panic!("cell"));
    assert_eq!(over.band, Band::Over);
    assert_eq!(over.label.as_deref(), Some("10"));
    assert_eq!(
        over.title,
        "alice, 2026-01-05: 10 h (125 %), over-allocated; projects: Apollo, p2"
    );
    let full = map.cell("bob", day("2026-01-07"));
    assert_eq!(
        full.map(|c| (c.band, c.label.is_some())),
        Some((Band::Full, false))
    );
    assert_eq!(
        map.desc,
        "2 people from 2026-01-05 to 2026-01-07; over-allocated: alice on 1 day(s)."
    );
    let svg = map.render().unwrap_or_default();
    assert_eq!(
        svg.matches("class=\"cell band-over over\"").count(),
        2,
        "cell and legend"
    );
    assert!(svg.contains(">10</text>"));
}

#[test]
fn names_are_escaped() {
    let mut report = report();
    report.resources[0].resource = "<img src=x onerror=alert(1)>".into();
    let hostile = HashMap::from([("p1".to_owned(), "\"><script>".to_owned())]);
    let svg = heatmap("u", "T", &report, &hostile)
        .render()
        .unwrap_or_default();
    assert!(!svg.contains("<img"), "{svg}");
    assert!(!svg.contains("<script>"), "{svg}");
}

#[test]
fn an_empty_report_says_so() {
    let empty = UtilizationReport {
        from: day("2026-01-05"),
        to: day("2026-01-06"),
        resources: Vec::new(),
    };
    let map = heatmap("u", "Team", &empty, &HashMap::new());
    assert_eq!(map.desc, "No bookings from 2026-01-05 to 2026-01-06.");
    assert!(
        map.render()
            .unwrap_or_default()
            .contains("No bookings in this range")
    );
    assert_eq!(hours_text(6.5), "6.5");
}

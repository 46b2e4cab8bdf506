//! Tests of the `plan` command line: value names, aliases and date parsing.

use clap::Parser;

use super::*;

#[derive(Debug, Parser)]
struct Probe {
    #[command(subcommand)]
    command: PlanCommand,
}

fn parse(args: &[&str]) -> Result<PlanCommand, clap::Error> {
    Probe::try_parse_from(std::iter::once("plan").chain(args.iter().copied())).map(|p| p.command)
}

#[test]
fn dependency_kinds_take_dashes_or_wire_names() {
    for (typed, kind) in [
        ("start-to-finish", DependencyKind::StartToFinish),
        ("finish_to_finish", DependencyKind::FinishToFinish),
    ] {
        let Ok(PlanCommand::Dep {
            command: DepCommand::Add(args),
        }) = parse(&["dep", "add", "a", "b", "--kind", typed, "--lag", "-2"])
        else {
            panic!("`{typed}` parses");
        };
        assert_eq!(DependencyKind::from(args.kind), kind);
        assert_eq!(args.lag, -2);
    }
}

#[test]
fn statuses_take_wire_names_too() {
    let parsed = parse(&["task", "status", "t1", "in_progress"]);
    assert!(
        matches!(
            parsed,
            Ok(PlanCommand::Task {
                command: TaskCommand::Status {
                    status: TaskStatusArg::InProgress,
                    ..
                }
            })
        ),
        "{parsed:?}"
    );
}

#[test]
fn a_date_that_is_not_one_says_how_to_write_it() {
    assert_eq!(
        day("2026-03-01"),
        Ok(NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or_default())
    );
    assert!(day("03/01/2026").is_err_and(|e| e.contains("YYYY-MM-DD")));
    let refused = parse(&["task", "move", "t1", "--start", "soon"]);
    assert!(refused.is_err_and(|e| e.to_string().contains("YYYY-MM-DD")));
}

#[test]
fn report_kinds_are_named_as_typed() {
    assert_eq!(ReportKindArg::CriticalPath.name(), "critical-path");
}

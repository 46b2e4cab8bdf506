//! `conceptpulse plan gantt|schedule|milestones|report` on the Launch plan of [`super`]:
//! the Gantt bars and critical path, the schedule's slack, milestones, project metrics, and
//! reports as Markdown, CSV and JSON, to standard output or a file.

use crate::App;
use crate::assess_cli::Cli;

use super::{human, launch_plan, ok};

async fn gantt_schedule_milestones_and_reports(app: App) -> anyhow::Result<()> {
    let cli = Cli::signed_in(&app).await?;
    let (project, [design, _build, ship]) = launch_plan(&cli, "allow").await?;
    let milestone = ok(
        &cli,
        &[
            "plan",
            "milestone",
            "add",
            &project,
            "Go live",
            "--date",
            "2026-03-10",
            "--task",
            &ship,
        ],
    )
    .await?;
    assert_eq!(milestone["taskIds"][0], ship.as_str());
    let listed = human(&cli, &["plan", "milestones", &project]).await?;
    assert!(
        listed.contains("Go live") && listed.contains("2026-03-10"),
        "{listed}"
    );

    let chart = human(&cli, &["plan", "gantt", &project, "--width", "80"]).await?;
    let row = |title: &str| {
        chart
            .lines()
            .find(|l| l.starts_with(title))
            .map(str::to_owned)
            .unwrap_or_default()
    };
    assert!(row("Design").ends_with("███"), "3 critical days:\n{chart}");
    assert!(row("Build").ends_with("█████"), "5 critical days:\n{chart}");
    assert!(row("Milestones").contains('◆'), "{chart}");
    assert!(
        chart.contains("Critical path (9 days): Design → Build → Ship"),
        "{chart}"
    );
    let ascii = human(&cli, &["plan", "gantt", &project, "--ascii"]).await?;
    assert!(ascii.contains("###") && !ascii.contains('█'), "{ascii}");

    let schedule = ok(&cli, &["plan", "schedule", &project]).await?;
    assert_eq!(schedule["criticalPath"].as_array().map(Vec::len), Some(3));
    assert_eq!(schedule["durationDays"], 9);
    let table = human(&cli, &["plan", "schedule", &project]).await?;
    assert!(
        table.contains("Critical path: Design → Build → Ship"),
        "{table}"
    );
    assert!(table.contains("Slack"), "{table}");

    ok(&cli, &["plan", "task", "status", &design, "done"]).await?;
    let shown = ok(&cli, &["plan", "project", "show", &project]).await?;
    assert_eq!(shown["project"]["name"], "Launch");
    assert_eq!(shown["metrics"]["completedTasks"], 1);
    assert_eq!(shown["metrics"]["totalTasks"], 3);

    let md = human(&cli, &["plan", "report", &project]).await?;
    assert!(md.starts_with("# status report: Launch"), "{md}");
    assert!(md.contains("| tasks | 3 |"), "{md}");
    let csv = human(
        &cli,
        &[
            "plan", "report", &project, "--kind", "burndown", "--format", "csv",
        ],
    )
    .await?;
    assert!(
        csv.starts_with("date,remainingHours,completedHours,idealRemainingHours\r\n"),
        "{csv}"
    );
    let hours = human(
        &cli,
        &[
            "plan", "report", &project, "--kind", "hours", "--format", "csv",
        ],
    )
    .await?;
    assert_eq!(
        hours.lines().count(),
        4,
        "a header and a row per task: {hours}"
    );
    let path = human(
        &cli,
        &["plan", "report", &project, "--kind", "critical-path"],
    )
    .await?;
    assert!(
        path.contains("| 1 | Design | 2026-03-02 | 2026-03-04 | 3 | 0 |"),
        "{path}"
    );
    let path_csv = human(
        &cli,
        &[
            "plan",
            "report",
            &project,
            "--kind",
            "critical-path",
            "--format",
            "csv",
        ],
    )
    .await?;
    assert!(
        path_csv.contains(&format!("3,{ship},Ship,2026-03-10,2026-03-10,1,0")),
        "{path_csv}"
    );
    let json = ok(&cli, &["plan", "report", &project, "--kind", "overdue"]).await?;
    assert_eq!(json["reportType"], "overdue");
    let utilization = ok(&cli, &["plan", "report", &project, "--kind", "utilization"]).await?;
    assert_eq!(utilization["reportType"], "utilization");
    assert_eq!(utilization["resources"], serde_json::json!([]));

    let dir = tempfile::tempdir()?;
    let file = dir.path().join("status.md");
    let file_arg = file.display().to_string();
    let wrote = ok(
        &cli,
        &[
            "plan",
            "report",
            &project,
            "--format",
            "markdown",
            "--output-file",
            &file_arg,
        ],
    )
    .await?;
    let written = std::fs::read_to_string(&file)?;
    assert!(written.starts_with("# status report: Launch"), "{written}");
    assert_eq!(wrote["bytes"], written.len());
    Ok(())
}

crate::on_both_backends!(gantt_schedule_milestones_and_reports);

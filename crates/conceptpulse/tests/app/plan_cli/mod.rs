//! `conceptpulse plan …` as a planner or a script runs it: the real binary against the
//! embedded Kiro server of `up` — projects and tasks, dependencies and the refused cycle,
//! moves that reschedule successors or are refused, the Gantt chart and schedule with the
//! critical path, reports as Markdown, CSV and JSON (to stdout or a file; in [`charts`]),
//! milestones, deletes, and the exit codes of refusals.

mod charts;

use serde_json::Value;

use crate::App;
use crate::assess_cli::{Cli, text};

/// Runs `args` with `--output json`, expecting exit 0; the document printed.
pub(crate) async fn ok(cli: &Cli, args: &[&str]) -> anyhow::Result<Value> {
    let (code, body) = cli.json(args, b"").await?;
    anyhow::ensure!(code == 0, "{args:?} exited {code}: {body}");
    Ok(body)
}

/// Runs `args` for people, expecting exit 0; its standard output.
pub(crate) async fn human(cli: &Cli, args: &[&str]) -> anyhow::Result<String> {
    let output = cli.run(args, b"").await?;
    anyhow::ensure!(
        output.status.code() == Some(0),
        "{args:?}: {output:?}\n{}",
        text(&output.stderr)
    );
    Ok(text(&output.stdout))
}

pub(crate) fn id(value: &Value) -> anyhow::Result<String> {
    value["id"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| anyhow::anyhow!("no id in {value}"))
}

/// A project with `policy`, and tasks Design (Mar 2–4), Build (Mar 5–9) and Ship (Mar 10),
/// each depending on the one before.
pub(crate) async fn launch_plan(cli: &Cli, policy: &str) -> anyhow::Result<(String, [String; 3])> {
    let project = ok(
        cli,
        &[
            "plan",
            "project",
            "create",
            "Launch",
            "--start",
            "2026-03-02",
            "--end",
            "2026-03-31",
            "--policy",
            policy,
        ],
    )
    .await?;
    assert_eq!(project["constraintPolicy"], policy);
    let project = id(&project)?;
    let mut ids = Vec::new();
    for (title, start, end, hours) in [
        ("Design", "2026-03-02", "2026-03-04", "16"),
        ("Build", "2026-03-05", "2026-03-09", "30"),
        ("Ship", "2026-03-10", "2026-03-10", "4"),
    ] {
        let task = ok(
            cli,
            &[
                "plan",
                "task",
                "add",
                &project,
                title,
                "--start",
                start,
                "--end",
                end,
                "--estimate",
                hours,
                "--priority",
                "high",
                "--tag",
                "launch",
            ],
        )
        .await?;
        assert_eq!(task["estimatedHours"], hours.parse::<f64>()?);
        ids.push(id(&task)?);
    }
    let [design, build, ship]: [String; 3] =
        ids.try_into().map_err(|_| anyhow::anyhow!("three tasks"))?;
    for (from, to) in [(&design, &build), (&build, &ship)] {
        let dep = ok(cli, &["plan", "dep", "add", from, to]).await?;
        assert_eq!(dep["predecessorId"], from.as_str());
        assert_eq!(dep["successorId"], to.as_str());
        assert_eq!(dep["kind"], "finish_to_start");
    }
    Ok((project, [design, build, ship]))
}

/// The task `id` among the project's tasks.
pub(crate) async fn task(cli: &Cli, project: &str, id: &str) -> anyhow::Result<Value> {
    let tasks = ok(cli, &["plan", "tasks", project]).await?;
    tasks
        .as_array()
        .and_then(|all| all.iter().find(|t| t["id"] == id).cloned())
        .ok_or_else(|| anyhow::anyhow!("no task {id} in {tasks}"))
}

async fn projects_tasks_dependencies_and_a_refused_cycle(app: App) -> anyhow::Result<()> {
    let stranger = Cli::new(&app)?;
    let (code, body) = stranger.json(&["plan", "projects"], b"").await?;
    assert_eq!(code, 3, "not signed in: {body}");

    let cli = Cli::signed_in(&app).await?;
    let empty = human(&cli, &["plan", "projects"]).await?;
    assert!(empty.contains("No projects yet"), "{empty}");
    let (project, [design, build, ship]) = launch_plan(&cli, "allow").await?;

    let listed = human(&cli, &["plan", "projects"]).await?;
    assert!(
        listed.contains("Launch") && listed.contains(&project),
        "{listed}"
    );
    let table = human(&cli, &["plan", "tasks", &project]).await?;
    for title in ["Design", "Build", "Ship", "2026-03-05 – 2026-03-09", "16 h"] {
        assert!(table.contains(title), "{title} in\n{table}");
    }
    let filtered = ok(&cli, &["plan", "tasks", &project, "--tag", "launch"]).await?;
    assert_eq!(filtered.as_array().map(Vec::len), Some(3));
    let todo = ok(&cli, &["plan", "tasks", &project, "--status", "done"]).await?;
    assert_eq!(todo.as_array().map(Vec::len), Some(0));
    assert_eq!(
        task(&cli, &project, &build).await?["dependencies"][0],
        design.as_str()
    );

    // Ship → Design would close Design → Build → Ship → Design.
    let (code, cycle) = cli
        .json(&["plan", "dep", "add", &ship, &design], b"")
        .await?;
    assert_eq!(code, 5, "a cycle is refused with exit 5: {cycle}");
    assert_eq!(cycle["error"]["code"], "planning.dependency.cycle");
    let members = cycle["error"]["details"]["cycle"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for id in [&design, &build, &ship] {
        assert!(members.iter().any(|m| m == id.as_str()), "{id} in {cycle}");
    }
    let refused = cli
        .run(&["plan", "dep", "add", &ship, &design], b"")
        .await?;
    assert_eq!(refused.status.code(), Some(5));
    let said = text(&refused.stderr);
    assert!(said.contains("planning.dependency.cycle"), "{said}");
    assert!(
        said.contains("Cycle: ") && said.contains(&format!("Design ({design})")),
        "the cycle is named by title: {said}"
    );
    let untouched = task(&cli, &project, &design).await?;
    assert_eq!(
        untouched["dependencies"],
        serde_json::json!([]),
        "nothing stored"
    );

    let (code, unknown) = cli
        .json(&["plan", "dep", "add", &design, "no-such-task"], b"")
        .await?;
    assert_eq!(code, 5, "{unknown}");
    assert_eq!(unknown["error"]["code"], "planning.task.not_found");

    let removed = ok(&cli, &["plan", "dep", "remove", &build, &ship]).await?;
    assert_eq!(removed["removed"]["successorId"], ship.as_str());
    assert_eq!(
        task(&cli, &project, &ship).await?["dependencies"],
        serde_json::json!([])
    );
    let lagged = ok(
        &cli,
        &[
            "plan",
            "dep",
            "add",
            &build,
            &ship,
            "--kind",
            "start-to-start",
            "--lag",
            "2",
        ],
    )
    .await?;
    assert_eq!(lagged["kind"], "start_to_start");
    assert_eq!(lagged["lagDays"], 2);

    let (code, has) = cli.json(&["plan", "task", "delete", &build], b"").await?;
    assert_eq!(code, 5, "{has}");
    assert_eq!(has["error"]["code"], "planning.task.has_dependants");
    let hint = cli.run(&["plan", "task", "delete", &build], b"").await?;
    assert!(text(&hint.stderr).contains("--cascade"), "{hint:?}");
    ok(&cli, &["plan", "task", "delete", &build, "--cascade"]).await?;
    let left = ok(&cli, &["plan", "tasks", &project]).await?;
    assert_eq!(left.as_array().map(Vec::len), Some(2));

    let deleted = human(&cli, &["plan", "project", "delete", &project]).await?;
    assert!(deleted.contains("Deleted project"), "{deleted}");
    let (code, gone) = cli
        .json(&["plan", "project", "show", &project], b"")
        .await?;
    assert_eq!(code, 5, "{gone}");
    assert_eq!(gone["error"]["code"], "planning.project.not_found");
    Ok(())
}

async fn moves_reschedule_successors_or_are_refused(app: App) -> anyhow::Result<()> {
    let cli = Cli::signed_in(&app).await?;
    let (project, [design, build, ship]) = launch_plan(&cli, "reschedule").await?;

    // Design keeps its three days: Mar 4–6, so Build must start Mar 7 and Ship Mar 12.
    let moved = ok(
        &cli,
        &["plan", "task", "move", &design, "--start", "2026-03-04"],
    )
    .await?;
    assert_eq!(moved["task"]["startDate"], "2026-03-04");
    assert_eq!(moved["task"]["endDate"], "2026-03-06");
    let pushed = moved["rescheduled"].as_array().cloned().unwrap_or_default();
    assert_eq!(pushed.len(), 2, "{moved}");
    let of = |id: &str| pushed.iter().find(|r| r["taskId"] == id).cloned();
    let build_moved = of(&build).ok_or_else(|| anyhow::anyhow!("Build pushed: {moved}"))?;
    assert_eq!(build_moved["fromStart"], "2026-03-05");
    assert_eq!(build_moved["toStart"], "2026-03-07");
    assert_eq!(build_moved["toEnd"], "2026-03-11");
    let ship_moved = of(&ship).ok_or_else(|| anyhow::anyhow!("Ship pushed: {moved}"))?;
    assert_eq!(ship_moved["toStart"], "2026-03-12");
    assert_eq!(
        task(&cli, &project, &ship).await?["startDate"],
        "2026-03-12"
    );

    let said = human(
        &cli,
        &["plan", "task", "move", &design, "--start", "2026-03-05"],
    )
    .await?;
    assert!(said.contains("Rescheduled 2 successor(s)"), "{said}");
    assert!(
        said.contains("2026-03-07 – 2026-03-11") && said.contains("2026-03-08 – 2026-03-12"),
        "{said}"
    );
    let back = human(
        &cli,
        &[
            "plan",
            "task",
            "move",
            &design,
            "--start",
            "2026-03-02",
            "--end",
            "2026-03-03",
        ],
    )
    .await?;
    assert!(back.contains("No other task had to move"), "{back}");

    // Build cannot start before Design ends: its own predecessor refuses the move.
    let (code, refused) = cli
        .json(
            &["plan", "task", "move", &build, "--start", "2026-03-01"],
            b"",
        )
        .await?;
    assert_eq!(code, 5, "{refused}");
    assert_eq!(
        refused["error"]["code"],
        "planning.task.violates_dependency"
    );
    assert!(refused["error"]["details"]["violations"][0]["daysLate"].as_i64() > Some(0));
    let output = cli
        .run(
            &["plan", "task", "move", &build, "--start", "2026-03-01"],
            b"",
        )
        .await?;
    assert_eq!(output.status.code(), Some(5));
    let said = text(&output.stderr);
    assert!(said.contains("planning.task.violates_dependency"), "{said}");
    assert!(said.contains("refused; nothing changed"), "{said}");
    assert!(
        said.contains(&format!("Build ({build}) would start or end 3 day(s) too early for its finish-to-start dependency on Design ({design})")),
        "the broken dependency is named by title: {said}"
    );
    assert_eq!(
        task(&cli, &project, &build).await?["startDate"],
        "2026-03-08"
    );

    let (strict, [first, second, _]) = launch_plan(&cli, "refuse").await?;
    let (code, body) = cli
        .json(
            &["plan", "task", "move", &first, "--start", "2026-03-06"],
            b"",
        )
        .await?;
    assert_eq!(code, 5, "refuse keeps successors where they are: {body}");
    assert_eq!(body["error"]["code"], "planning.task.violates_dependency");
    assert_eq!(
        task(&cli, &strict, &first).await?["startDate"],
        "2026-03-02"
    );
    assert_eq!(
        task(&cli, &strict, &second).await?["startDate"],
        "2026-03-05"
    );

    let (code, usage) = cli
        .json(
            &[
                "plan",
                "task",
                "move",
                &first,
                "--start",
                "2026-03-06",
                "--end",
                "2026-03-01",
            ],
            b"",
        )
        .await?;
    assert_eq!(code, 2, "{usage}");
    Ok(())
}

crate::on_both_backends!(
    projects_tasks_dependencies_and_a_refused_cycle,
    moves_reschedule_successors_or_are_refused,
);

//! The planning pages over plain HTTP, as a browser with JavaScript off sees them: create a
//! project and tasks by form, move a card by its fallback form (and as the board's script
//! does, asking for JSON), and see a dependency cycle refused with the cycle named and
//! nothing stored. The Gantt, milestone, resource and report pages are in plan_views.

use kiro_sdk::PlanningClient;
use kiro_sdk::kiro_types::planning::TaskStatus;
use reqwest::StatusCode;

use crate::App;
use crate::web::{browser, location, sign_up};

/// The planning client of the one signed-in session, acting in the session's workspace.
pub async fn planning_of(app: &App) -> anyhow::Result<PlanningClient> {
    Ok(app.up.web.sessions.only().await?.client.planning())
}

/// Creates a project by form; its id.
pub async fn create_project(
    app: &App,
    web: &reqwest::Client,
    name: &str,
) -> anyhow::Result<String> {
    let created = web
        .post(app.url("/kiro/planning"))
        .form(&[
            ("name", name),
            ("start_date", "2030-03-02"),
            ("end_date", "2030-04-30"),
            ("status", "active"),
            ("constraint_policy", "allow"),
        ])
        .send()
        .await?;
    anyhow::ensure!(
        created.status() == StatusCode::SEE_OTHER,
        "creating a project answered {}",
        created.status()
    );
    let to = location(&created);
    to.strip_prefix("/kiro/planning/projects/")
        .map(str::to_owned)
        .ok_or_else(|| anyhow::anyhow!("the new project leads to {to}"))
}

/// Creates a task by form on project `project`; its id (from the redirect's fragment).
pub async fn create_task(
    app: &App,
    web: &reqwest::Client,
    project: &str,
    fields: &[(&str, &str)],
) -> anyhow::Result<String> {
    let created = web
        .post(app.url(&format!("/kiro/planning/projects/{project}/tasks")))
        .form(fields)
        .send()
        .await?;
    anyhow::ensure!(
        created.status() == StatusCode::SEE_OTHER,
        "creating a task answered {}: {}",
        created.status(),
        created.text().await?
    );
    let to = location(&created);
    to.split_once("#task-")
        .map(|(_, id)| id.to_owned())
        .ok_or_else(|| anyhow::anyhow!("the new task leads to {to}"))
}

/// The `<li>` of the board column of `status`, as text.
fn column<'a>(board: &'a str, status: &str) -> &'a str {
    let start = format!(r#"data-status="{status}""#);
    let from = board.find(&start).unwrap_or(board.len());
    let rest = &board[from..];
    let end = rest[1..]
        .find("data-status=\"")
        .map_or(rest.len(), |i| i + 1);
    &rest[..end]
}

async fn projects_board_moves_and_a_refused_cycle(app: App) -> anyhow::Result<()> {
    let web = browser()?;
    sign_up(&app, &web, "Ada", "ada@example.com").await?;
    let kiro = web.get(app.url("/kiro")).send().await?.text().await?;
    assert!(
        kiro.contains(r#"href="/kiro/planning""#),
        "the Kiro page links to planning"
    );

    let empty = web
        .post(app.url("/kiro/planning"))
        .form(&[("name", " ")])
        .send()
        .await?;
    assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.text().await?.contains("Name the project."));
    let inverted = web
        .post(app.url("/kiro/planning"))
        .form(&[
            ("name", "Backwards"),
            ("start_date", "2030-05-01"),
            ("end_date", "2030-04-01"),
        ])
        .send()
        .await?;
    assert_eq!(inverted.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = inverted.text().await?;
    assert!(
        page.contains(r#"value="Backwards""#),
        "the form keeps what was typed"
    );

    let project = create_project(&app, &web, "Launch").await?;
    let list = web
        .get(app.url("/kiro/planning"))
        .send()
        .await?
        .text()
        .await?;
    assert!(list.contains(&format!(r#"href="/kiro/planning/projects/{project}""#)));
    assert!(
        !list.contains("Backwards"),
        "the refused project was not stored"
    );

    let design = create_task(
        &app,
        &web,
        &project,
        &[
            ("title", "Design"),
            ("start_date", "2030-03-02"),
            ("end_date", "2030-03-04"),
            ("estimate", "16"),
            ("priority", "high"),
            ("tags", "ui, api"),
        ],
    )
    .await?;
    let build = create_task(
        &app,
        &web,
        &project,
        &[("title", "Build"), ("estimate", "24")],
    )
    .await?;
    let bad = web
        .post(app.url(&format!("/kiro/planning/projects/{project}/tasks")))
        .form(&[("title", "Test"), ("estimate", "lots")])
        .send()
        .await?;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = bad.text().await?;
    assert!(
        page.contains("estimate") && page.contains(r#"value="Test""#),
        "{page}"
    );

    let board_url = app.url(&format!("/kiro/planning/projects/{project}"));
    let board = web.get(&board_url).send().await?.text().await?;
    assert!(column(&board, "todo").contains("Design") && column(&board, "todo").contains("Build"));
    assert!(
        board.contains(r#"draggable="true""#),
        "cards can be dragged"
    );

    // The fallback form moves a card with JavaScript off.
    let moved = web
        .post(app.url(&format!(
            "/kiro/planning/projects/{project}/tasks/{build}/status"
        )))
        .form(&[("status", "in_progress")])
        .send()
        .await?;
    assert_eq!(moved.status(), StatusCode::SEE_OTHER);
    let board = web.get(&board_url).send().await?.text().await?;
    assert!(column(&board, "in_progress").contains("Build"));
    assert!(!column(&board, "todo").contains("Build"));
    let planning = planning_of(&app).await?;
    assert_eq!(
        planning.get_task(&build).await?.status,
        TaskStatus::InProgress
    );

    // The board's script posts the same form asking for JSON.
    let json: serde_json::Value = web
        .post(app.url(&format!(
            "/kiro/planning/projects/{project}/tasks/{design}/status"
        )))
        .header("Accept", "application/json")
        .form(&[("status", "done")])
        .send()
        .await?
        .json()
        .await?;
    assert_eq!(json["status"], "done");
    let refused = web
        .post(app.url(&format!(
            "/kiro/planning/projects/{project}/tasks/{design}/status"
        )))
        .header("Accept", "application/json")
        .form(&[("status", "archived")])
        .send()
        .await?;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: serde_json::Value = refused.json().await?;
    assert!(
        body["error"]
            .as_str()
            .is_some_and(|e| e.contains("not a task status"))
    );
    assert_eq!(planning.get_task(&design).await?.status, TaskStatus::Done);

    // Build waits for Design; Design waiting for Build would close a cycle.
    let dependencies = app.url(&format!("/kiro/planning/projects/{project}/dependencies"));
    let added = web
        .post(&dependencies)
        .form(&[
            ("successor", build.as_str()),
            ("predecessor", design.as_str()),
            ("kind", "finish_to_start"),
            ("lag", "1"),
        ])
        .send()
        .await?;
    assert_eq!(added.status(), StatusCode::SEE_OTHER);
    let cycle = web
        .post(&dependencies)
        .form(&[
            ("successor", design.as_str()),
            ("predecessor", build.as_str()),
            ("kind", "start_to_start"),
            ("lag", "2"),
        ])
        .send()
        .await?;
    assert_eq!(cycle.status(), StatusCode::CONFLICT);
    let page = cycle.text().await?;
    assert!(page.contains(r#"id="dependency-error""#), "{page}");
    assert!(
        page.contains("would close the cycle Design → Build → Design")
            || page.contains("would close the cycle Build → Design → Build"),
        "the cycle is named by its tasks: {page}"
    );
    assert!(
        page.contains(r#"<option value="start_to_start" selected>"#),
        "the kind is kept"
    );
    assert!(page.contains(r#"value="2""#), "the lag is kept");
    assert!(
        planning.get_task(&design).await?.dependencies.is_empty(),
        "nothing was stored"
    );
    assert_eq!(
        planning.get_task(&build).await?.dependencies,
        std::slice::from_ref(&design)
    );
    let board = web.get(&board_url).send().await?.text().await?;
    assert!(
        board.contains("After: Design"),
        "the card names what it waits for"
    );

    let missing = web
        .get(app.url("/kiro/planning/projects/nope"))
        .send()
        .await?;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    Ok(())
}

crate::on_both_backends!(projects_board_moves_and_a_refused_cycle);

//! The planning views over plain HTTP with JavaScript off: move a task's dates on the Gantt
//! page (and see a bad move refused), gate a milestone and see it at risk, over-book a
//! person on the heat map, and read and download every report as Markdown and CSV.

use reqwest::StatusCode;
use reqwest::header::{CONTENT_DISPOSITION, CONTENT_TYPE};

use crate::App;
use crate::plan_web::{create_project, create_task};
use crate::web::{browser, sign_up};

async fn gantt_milestones_resources_and_reports(app: App) -> anyhow::Result<()> {
    let web = browser()?;
    sign_up(&app, &web, "Bo", "bo@example.com").await?;
    let project = create_project(&app, &web, "Release").await?;
    let design = create_task(
        &app,
        &web,
        &project,
        &[
            ("title", "Design"),
            ("start_date", "2030-03-02"),
            ("end_date", "2030-03-04"),
            ("estimate", "16"),
        ],
    )
    .await?;
    let build = create_task(
        &app,
        &web,
        &project,
        &[
            ("title", "Build"),
            ("start_date", "2030-03-05"),
            ("end_date", "2030-03-09"),
            ("estimate", "30"),
        ],
    )
    .await?;

    let gantt = web
        .get(app.url(&format!("/kiro/planning/projects/{project}/gantt")))
        .send()
        .await?
        .text()
        .await?;
    assert!(gantt.contains(&format!(r#"data-task-id="{build}""#)));
    assert!(gantt.contains(r#"id="gantt-live""#));
    let svg_url = app.url(&format!("/kiro/planning/projects/{project}/gantt.svg"));
    let before = web.get(&svg_url).send().await?;
    assert!(
        before.headers()[CONTENT_TYPE]
            .to_str()?
            .starts_with("image/svg+xml")
    );
    let before = before.text().await?;
    let moved = web
        .post(app.url(&format!("/kiro/planning/projects/{project}/tasks/dates")))
        .form(&[
            ("task", build.as_str()),
            ("start_date", "2030-03-12"),
            ("end_date", "2030-03-16"),
        ])
        .send()
        .await?;
    assert_eq!(moved.status(), StatusCode::SEE_OTHER);
    let after = web.get(&svg_url).send().await?.text().await?;
    let bar_x = |svg: &str| -> Option<String> {
        let at = svg.find(&format!(r#"data-task-id="{build}" x=""#))?;
        let rest = &svg[at..];
        let start = rest.find(" x=\"")? + 4;
        Some(rest[start..].split('"').next()?.to_owned())
    };
    assert_ne!(bar_x(&before), bar_x(&after), "the bar moved");
    let inverted = web
        .post(app.url(&format!("/kiro/planning/projects/{project}/tasks/dates")))
        .form(&[
            ("task", build.as_str()),
            ("start_date", "2030-03-20"),
            ("end_date", "2030-03-18"),
        ])
        .send()
        .await?;
    assert_eq!(inverted.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(inverted.text().await?.contains(r#"id="move-error""#));

    let milestones = app.url(&format!("/kiro/planning/projects/{project}/milestones"));
    let gated = web
        .post(&milestones)
        .body(format!(
            "name=Beta&date=2030-03-10&tasks={design}&tasks={build}"
        ))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .send()
        .await?;
    assert_eq!(gated.status(), StatusCode::SEE_OTHER);
    let page = web.get(&milestones).send().await?.text().await?;
    assert!(page.contains("Beta") && page.contains("At risk"), "{page}");
    assert!(page.contains("Build is planned to end 2030-03-16"));

    let session = app.up.web.sessions.only().await?;
    let me = session.client.me().await?;
    let user = me.user.map(|u| u.id.to_string()).unwrap_or_default();
    let booked = web
        .post(app.url(&format!("/kiro/planning/projects/{project}/allocations")))
        .form(&[
            ("resource", user.as_str()),
            ("start_date", "2030-03-02"),
            ("end_date", "2030-03-03"),
            ("hours_per_day", "10"),
        ])
        .send()
        .await?;
    assert_eq!(booked.status(), StatusCode::SEE_OTHER);
    let resources = web
        .get(app.url(&format!("/kiro/planning/projects/{project}/resources")))
        .send()
        .await?
        .text()
        .await?;
    assert!(resources.contains("class=\"chart heatmap\"") && resources.contains("band-over"));
    assert!(
        resources.contains("Bo</strong> is over-allocated on 2 day(s)"),
        "{resources}"
    );

    let reports = format!("/kiro/planning/projects/{project}/reports");
    for (slug, expect) in [
        ("status", "Status of Release"),
        ("burndown", "Burndown of Release"),
        ("critical-path", "Critical path of Release"),
        ("utilisation", "Utilisation of the people on Release"),
        ("overdue", "Overdue and at-risk tasks of Release"),
        ("hours", "Estimated and actual hours of Release"),
    ] {
        let page = web
            .get(app.url(&format!("{reports}/{slug}")))
            .send()
            .await?;
        assert_eq!(page.status(), StatusCode::OK, "{slug}");
        assert!(page.text().await?.contains(expect), "{slug}");
        for (format, kind) in [("markdown", "text/markdown"), ("csv", "text/csv")] {
            let file = web
                .get(app.url(&format!("{reports}/{slug}/download?format={format}")))
                .send()
                .await?;
            assert_eq!(file.status(), StatusCode::OK, "{slug} {format}");
            assert!(file.headers()[CONTENT_TYPE].to_str()?.starts_with(kind));
            assert!(
                file.headers()[CONTENT_DISPOSITION]
                    .to_str()?
                    .contains("attachment")
            );
            let text = file.text().await?;
            assert!(!text.trim().is_empty(), "{slug} {format}");
        }
    }
    let csv = web
        .get(app.url(&format!("{reports}/hours/download?format=csv")))
        .send()
        .await?
        .text()
        .await?;
    assert!(csv.starts_with("taskId,title,estimatedHours"), "{csv}");
    assert!(csv.contains("Build"));
    let critical = web
        .get(app.url(&format!("{reports}/critical-path/download?format=csv")))
        .send()
        .await?
        .text()
        .await?;
    assert!(
        critical.starts_with("Task,Start,Finish,Days,Slack\r\n"),
        "{critical}"
    );
    let pdf = web
        .get(app.url(&format!("{reports}/status/download?format=pdf")))
        .send()
        .await?;
    assert_eq!(pdf.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let unknown = web
        .get(app.url(&format!("{reports}/velocity")))
        .send()
        .await?;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    Ok(())
}

crate::on_both_backends!(gantt_milestones_resources_and_reports);

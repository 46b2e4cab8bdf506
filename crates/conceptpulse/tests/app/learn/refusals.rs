//! Addresses that name nothing and forms that make no sense get a page that says so with
//! the right status, and the learning pages of a new learner show their empty states.

use reqwest::StatusCode;

use crate::App;
use crate::web::{browser, location, sign_up};

/// A well-formed id that names nothing.
const UNKNOWN: &str = "0190a5c2-7b1e-7c3d-9f00-1a2b3c4d5e6f";

async fn unknown_ids_and_bad_forms_are_refused(app: App) -> anyhow::Result<()> {
    let anonymous = browser()?;
    for path in [
        "/learn/upload",
        "/learn/progress",
        "/learn/revisions",
        "/learn/quizzes",
    ] {
        let response = anonymous.get(app.url(path)).send().await?;
        assert_eq!(location(&response), "/signin", "{path} needs a session");
    }

    let web = browser()?;
    sign_up(&app, &web, "Di", "di@example.com").await?;
    let gets = [
        (
            format!("/learn/quizzes/{UNKNOWN}/questions/1"),
            StatusCode::NOT_FOUND,
            "No such quiz",
        ),
        (
            "/learn/quizzes/not%2Fan-id/questions/1".to_owned(),
            StatusCode::NOT_FOUND,
            "No such quiz",
        ),
        (
            format!("/learn/quizzes/{UNKNOWN}/results"),
            StatusCode::NOT_FOUND,
            "No such quiz",
        ),
        (
            format!("/learn/quizzes/{UNKNOWN}/statistics"),
            StatusCode::NOT_FOUND,
            "No such quiz",
        ),
        (
            format!("/learn/documents/{UNKNOWN}"),
            StatusCode::NOT_FOUND,
            "No such document",
        ),
        (
            "/learn/lesson".to_owned(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "Which lesson?",
        ),
        (
            format!("/learn/lesson?pdf={UNKNOWN}&topic=Vectors"),
            StatusCode::NOT_FOUND,
            "No such document",
        ),
    ];
    for (path, status, says) in gets {
        let response = web.get(app.url(&path)).send().await?;
        assert_eq!(response.status(), status, "{path}");
        let page = response.text().await?;
        assert!(page.contains(says), "{path}: {page}");
        assert!(page.contains("Back to your dashboard"), "{path}");
    }
    let progress = web
        .get(app.url(&format!("/learn/documents/{UNKNOWN}/progress")))
        .send()
        .await?;
    assert_eq!(progress.status(), StatusCode::NOT_FOUND);

    let answer = web
        .post(app.url(&format!("/learn/quizzes/{UNKNOWN}/questions/1")))
        .form(&[("answer", "x"), ("time_spent", "2")])
        .send()
        .await?;
    assert_eq!(answer.status(), StatusCode::NOT_FOUND);
    let diagnosis = web
        .post(app.url(&format!("/learn/documents/{UNKNOWN}/diagnosis")))
        .send()
        .await?;
    assert_eq!(diagnosis.status(), StatusCode::NOT_FOUND);
    let review = web
        .post(app.url(&format!("/learn/revisions/{UNKNOWN}/review")))
        .form(&[("recall", "good")])
        .send()
        .await?;
    assert_eq!(review.status(), StatusCode::NOT_FOUND);
    assert!(review.text().await?.contains("No such revision"));
    let workspace = web
        .post(app.url("/learn/workspace"))
        .form(&[("workspace", UNKNOWN)])
        .send()
        .await?;
    assert_eq!(workspace.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // A new learner's pages.
    let revisions = web
        .get(app.url("/learn/revisions"))
        .send()
        .await?
        .text()
        .await?;
    assert!(revisions.contains("No revisions yet"));
    let progress = web
        .get(app.url("/learn/progress"))
        .send()
        .await?
        .text()
        .await?;
    assert!(progress.contains("No data yet") && progress.contains(r#"role="img""#));
    let quizzes = web
        .get(app.url("/learn/quizzes"))
        .send()
        .await?
        .text()
        .await?;
    assert!(quizzes.contains("No quizzes yet"));
    let dashboard = web.get(app.url("/dashboard")).send().await?.text().await?;
    assert!(dashboard.contains(r#"id="focus-areas">0<"#), "{dashboard}");
    assert!(dashboard.contains(r#"id="mastery-score">–<"#));
    assert!(dashboard.contains(r#"id="study-streak">0<"#));
    assert!(dashboard.contains("Nothing to fix yet"));
    assert!(
        dashboard.contains(r#"href="/learn/upload""#),
        "a quick action"
    );
    Ok(())
}

crate::on_both_backends!(unknown_ids_and_bad_forms_are_refused);

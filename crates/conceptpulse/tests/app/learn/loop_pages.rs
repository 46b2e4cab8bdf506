//! The whole loop with JavaScript off: upload, processing (watched on `/live` too), topics,
//! the diagnosis quiz one question at a time (bad answers and second answers refused),
//! results with the weakest topic, its lesson, a revision rated, the progress charts, the
//! dashboard's figures and the quiz's statistics.

use reqwest::StatusCode;

use super::{EINSTEIN, Live, answer, quiz_of, quiz_with_answers, upload, wrong};
use crate::App;
use crate::web::{browser, location, sign_up};

async fn upload_diagnose_correct_revise_and_track(app: App) -> anyhow::Result<()> {
    let web = browser()?;
    sign_up(&app, &web, "Ada", "ada@example.com").await?;
    let empty = web
        .get(app.url("/learn/upload"))
        .send()
        .await?
        .text()
        .await?;
    assert!(empty.contains("Nothing uploaded yet"));
    assert!(empty.contains(r#"enctype="multipart/form-data""#));

    // Upload and watch it being processed.
    let mut live = Live::open(&app, &web).await?;
    let id = upload(&app, &web, "Physics", EINSTEIN).await?;
    let processing = web
        .get(app.url(&format!("/learn/documents/{id}")))
        .send()
        .await?
        .text()
        .await?;
    if processing.contains("Reading your notes") {
        assert!(
            processing.contains(r#"<noscript><meta http-equiv="refresh" content="2"></noscript>"#)
        );
        assert!(processing.contains(&format!(r#"href="/learn/documents/{id}">check again</a>"#)));
    }
    let progress = live
        .until(|kind, data| kind == "kiro" && data.contains("assessment.document.progress"))
        .await?;
    assert!(
        progress.contains(&id),
        "progress events name the document: {progress}"
    );
    assert_eq!(live.processed(&app, &web, &id).await?, "completed");
    let done = web
        .get(app.url(&format!("/learn/documents/{id}")))
        .send()
        .await?
        .text()
        .await?;
    assert!(
        done.contains("Topics found") && done.contains(r#"id="main-topic""#),
        "{done}"
    );
    assert!(
        !done.contains("http-equiv=\"refresh\""),
        "a processed page stays put"
    );
    let listed = web
        .get(app.url("/learn/upload"))
        .send()
        .await?
        .text()
        .await?;
    assert!(listed.contains(EINSTEIN) && listed.contains("completed"));

    // The diagnosis: five questions, one at a time.
    let started = web
        .post(app.url(&format!("/learn/documents/{id}/diagnosis")))
        .send()
        .await?;
    assert_eq!(started.status(), StatusCode::SEE_OTHER);
    let quiz_id = quiz_of(&location(&started))?;
    assert!(location(&started).ends_with("/questions/1"));
    let quiz = quiz_with_answers(&app, "ada@example.com", &quiz_id).await?;
    assert_eq!(quiz.questions.len(), 5, "5 questions by default");
    let first = web
        .get(app.url(&location(&started)))
        .send()
        .await?
        .text()
        .await?;
    assert!(first.contains("Question 1 of 5") && first.contains(r#"id="question-timer""#));
    assert!(
        quiz.questions
            .iter()
            .filter_map(|q| q.correct_answer.as_deref())
            .all(|a| !first.contains(&format!("value=\"{a}\" checked"))),
        "nothing is pre-selected"
    );
    let blank = answer(&app, &web, &quiz_id, 1, "   ").await?;
    assert_eq!(blank.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(blank.text().await?.contains("before going on"));
    if quiz.questions[0].kind.is_choice() {
        let odd = answer(&app, &web, &quiz_id, 1, "none of these").await?;
        assert_eq!(odd.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let ahead = web
        .get(app.url(&format!("/learn/quizzes/{quiz_id}/questions/9")))
        .send()
        .await?;
    assert_eq!(ahead.status(), StatusCode::NOT_FOUND);

    // Every answer wrong: every topic becomes weak.
    let first_answer = wrong(&quiz.questions[0]);
    let to = answer(&app, &web, &quiz_id, 1, &first_answer).await?;
    assert_eq!(
        location(&to),
        format!("/learn/quizzes/{quiz_id}/questions/2")
    );
    let twice = answer(&app, &web, &quiz_id, 1, &first_answer).await?;
    assert_eq!(twice.status(), StatusCode::CONFLICT, "answering twice");
    assert!(twice.text().await?.contains("already has your answer"));
    let back = web
        .get(app.url(&format!("/learn/quizzes/{quiz_id}/questions/1")))
        .send()
        .await?;
    assert_eq!(
        location(&back),
        format!("/learn/quizzes/{quiz_id}/questions/2")
    );
    let mut to = String::new();
    for (i, question) in quiz.questions.iter().enumerate().skip(1) {
        let response = answer(&app, &web, &quiz_id, i + 1, &wrong(question)).await?;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "answer {}", i + 1);
        to = location(&response);
    }
    assert_eq!(to, format!("/learn/quizzes/{quiz_id}/results"));
    let late = answer(&app, &web, &quiz_id, 5, "again").await?;
    assert_eq!(
        late.status(),
        StatusCode::CONFLICT,
        "submitted quizzes take no answers"
    );

    // Results.
    let results = web.get(app.url(&to)).send().await?.text().await?;
    assert!(results.contains(r#"id="result-score">0 / 5<"#), "{results}");
    assert!(results.contains(r#"id="result-accuracy">0%<"#));
    assert!(
        results.contains(r#"id="result-time">0:05<"#),
        "five answers of one second"
    );
    assert!(results.contains(r#"id="weakest-topic""#));
    let lesson = results
        .split(r#"id="fix-it" href=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .map(|href| href.replace("&amp;", "&").replace("&#38;", "&"))
        .ok_or_else(|| anyhow::anyhow!("no fix-it link: {results}"))?;
    assert!(lesson.starts_with(&format!("/learn/lesson?pdf={id}&topic=")));
    let lesson_page = web.get(app.url(&lesson)).send().await?;
    assert_eq!(lesson_page.status(), StatusCode::OK);
    let lesson_page = lesson_page.text().await?;
    assert!(lesson_page.contains("Lesson: ") && lesson_page.contains("What it is"));
    assert!(lesson_page.contains("(page ") || lesson_page.contains("page "));

    // Revisions: one per weak topic, first due tomorrow, reviewable early.
    let revisions = web
        .get(app.url("/learn/revisions"))
        .send()
        .await?
        .text()
        .await?;
    assert!(revisions.contains("Due now (0)"));
    let revision = revisions
        .split(r#"data-revision=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .map(str::to_owned)
        .ok_or_else(|| anyhow::anyhow!("no revision listed: {revisions}"))?;
    let review = |recall: &'static str| {
        let (web, url) = (
            web.clone(),
            app.url(&format!("/learn/revisions/{revision}/review")),
        );
        async move { web.post(url).form(&[("recall", recall)]).send().await }
    };
    let bad = review("perfect").await?;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let good = review("good").await?;
    assert_eq!(
        location(&good),
        format!("/learn/revisions?reviewed={revision}")
    );
    let reviewed = web
        .get(app.url(&location(&good)))
        .send()
        .await?
        .text()
        .await?;
    assert!(
        reviewed.contains("Recorded. Next revision of"),
        "{reviewed}"
    );

    // Progress, drawn on the server.
    let progress = web
        .get(app.url("/learn/progress"))
        .send()
        .await?
        .text()
        .await?;
    for chart in ["chart-bands", "chart-retention", "chart-topics"] {
        assert!(progress.contains(&format!(r#"id="{chart}" class="chart" role="img""#)));
        assert!(progress.contains(&format!(r#"<title id="{chart}-title">"#)));
        assert!(progress.contains(&format!(r#"<desc id="{chart}-desc">"#)));
    }
    assert!(
        progress.contains("Retention: 20"),
        "the review is a retention point"
    );
    assert!(progress.contains("Quiz score: 20") && progress.contains(" 0%"));
    assert!(
        !progress.contains(r#"id="count-focus">0<"#),
        "weak topics need focus"
    );

    // The dashboard's figures.
    let dashboard = web.get(app.url("/dashboard")).send().await?.text().await?;
    assert!(dashboard.contains("Hello, Ada."));
    assert!(!dashboard.contains(r#"id="focus-areas">0<"#), "{dashboard}");
    assert!(dashboard.contains(r#"id="revisions-due">0<"#));
    assert!(dashboard.contains(r#"id="study-streak">1<"#));
    assert!(dashboard.contains(r#"id="priority-topics""#));
    assert!(
        dashboard.contains(&format!("/learn/lesson?pdf={id}")),
        "review leads to a lesson"
    );

    // The creator sees the quiz's statistics.
    let stats = web
        .get(app.url(&format!("/learn/quizzes/{quiz_id}/statistics")))
        .send()
        .await?;
    assert_eq!(stats.status(), StatusCode::OK);
    let stats = stats.text().await?;
    assert!(stats.contains(r#"id="question-statistics""#) && stats.contains("0 of 1 right"));
    let quizzes = web
        .get(app.url("/learn/quizzes"))
        .send()
        .await?
        .text()
        .await?;
    assert!(quizzes.contains(&format!("/learn/quizzes/{quiz_id}/results")));

    // A second diagnosis of the same document has fresh questions.
    let again = web
        .post(app.url(&format!("/learn/documents/{id}/diagnosis")))
        .send()
        .await?;
    assert_ne!(quiz_of(&location(&again))?, quiz_id);
    Ok(())
}

crate::on_both_backends!(upload_diagnose_correct_revise_and_track);

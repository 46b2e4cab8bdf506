//! A class: an instructor (the workspace's owner) uploads notes and makes a quiz, three
//! learners added to the workspace take it, and the instructor's statistics show how often
//! each question was answered right, flagging the one everybody got right and the one
//! nobody did. A learner asking for the statistics is told they are for instructors.

use kiro_sdk::Call;
use reqwest::StatusCode;

use super::{EINSTEIN, Live, quiz_of, quiz_with_answers, right, take, upload, wrong};
use crate::App;
use crate::web::{browser, location, sign_up};

async fn instructors_see_which_questions_nobody_or_everybody_gets_right(
    app: App,
) -> anyhow::Result<()> {
    let teacher = browser()?;
    sign_up(&app, &teacher, "Tess", "tess@example.com").await?;
    let class = teacher
        .post(app.url("/onboarding"))
        .form(&[("subject", "Physics 101")])
        .send()
        .await?;
    assert_eq!(location(&class), "/dashboard");
    let session = app
        .up
        .web
        .sessions
        .of("tess@example.com")
        .await
        .ok_or_else(|| anyhow::anyhow!("Tess is signed in"))?;
    let me = session.client.me().await?;
    let class_id = me
        .workspaces
        .iter()
        .find(|w| !w.personal)
        .map(|w| w.id.to_string())
        .ok_or_else(|| anyhow::anyhow!("the class workspace exists"))?;

    let mut live = Live::open(&app, &teacher).await?;
    let id = upload(&app, &teacher, "Physics", EINSTEIN).await?;
    assert_eq!(live.processed(&app, &teacher, &id).await?, "completed");
    let started = teacher
        .post(app.url(&format!("/learn/documents/{id}/diagnosis")))
        .send()
        .await?;
    let quiz_id = quiz_of(&location(&started))?;
    let quiz = quiz_with_answers(&app, "tess@example.com", &quiz_id).await?;
    // One question everybody answers right, one nobody does.
    let easy = quiz
        .questions
        .iter()
        .position(|q| q.kind.is_choice())
        .or_else(|| {
            quiz.questions
                .iter()
                .position(|q| q.correct_answer.is_some())
        })
        .ok_or_else(|| anyhow::anyhow!("a question with an answer"))?;
    let hard = usize::from(easy == 0);

    for (name, email) in [
        ("Ann", "ann@example.com"),
        ("Ben", "ben@example.com"),
        ("Cat", "cat@example.com"),
    ] {
        let learner = browser()?;
        sign_up(&app, &learner, name, email).await?;
        let add = Call::post(format!("/v1/workspaces/{class_id}/members"))
            .json(serde_json::json!({ "email": email, "role": "member" }));
        session.client.call(add).await?;
        let listed = learner
            .get(app.url("/learn/quizzes"))
            .send()
            .await?
            .text()
            .await?;
        assert!(
            listed.contains(&quiz_id),
            "{name} studies in the class: {listed}"
        );
        assert!(
            !listed.contains("/statistics"),
            "learners get no statistics link"
        );
        let to = take(&app, &learner, &quiz, |i, q| {
            if i == easy { right(q) } else { wrong(q) }
        })
        .await?;
        assert_eq!(to, format!("/learn/quizzes/{quiz_id}/results"));
        let results = learner.get(app.url(&to)).send().await?.text().await?;
        assert!(
            results.contains(r#"id="result-score">1 / 5<"#),
            "{name}: {results}"
        );
        let refused = learner
            .get(app.url(&format!("/learn/quizzes/{quiz_id}/statistics")))
            .send()
            .await?;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
        assert!(refused.text().await?.contains("For instructors"));
    }

    let stats = teacher
        .get(app.url(&format!("/learn/quizzes/{quiz_id}/statistics")))
        .send()
        .await?;
    assert_eq!(stats.status(), StatusCode::OK);
    let stats = stats.text().await?;
    let row = |n: usize| -> String {
        let number = format!("<td>{}</td>", n + 1);
        stats
            .split("<tr")
            .filter_map(|r| r.split_once('>').map(|(_, cells)| cells.trim_start()))
            .find(|cells| cells.starts_with(&number))
            .unwrap_or_default()
            .to_owned()
    };
    assert!(
        row(easy).contains("<td>3</td><td>3</td><td>100%</td>"),
        "{}",
        row(easy)
    );
    assert!(row(easy).contains("Everybody gets this right"));
    assert!(
        row(hard).contains("<td>3</td><td>0</td><td>0%</td>"),
        "{}",
        row(hard)
    );
    assert!(row(hard).contains("Nobody gets this right"));
    assert!(stats.contains("question(s) flagged"));
    assert!(
        stats.contains("3 of 3 right") && stats.contains("0 of 3 right"),
        "the chart"
    );
    Ok(())
}

crate::on_both_backends!(instructors_see_which_questions_nobody_or_everybody_gets_right);

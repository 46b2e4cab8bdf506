//! The workspace's quizzes (`GET /learn/quizzes`) and, for instructors, per-question
//! statistics of one (`GET /learn/quizzes/{id}/statistics`): how often each question was
//! answered right, with the questions nobody or everybody gets right flagged. Kiro decides
//! who may see them (the quiz's creator and workspace owners and admins); anyone else is
//! told so.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use kiro_sdk::kiro_types::assessment::QuestionStatistics;

use super::charts::{self, BarChart, BarInput};
use super::problem::{Frame, Problem, is_plain_id};
use super::study;
use crate::web::session::SignedIn;
use crate::web::{WebState, render};

pub struct QuizRow {
    pub id: String,
    pub title: String,
    pub questions: usize,
    pub created: String,
    pub status: &'static str,
    pub submitted: bool,
}

#[derive(Template)]
#[template(path = "learn/quizzes.html")]
struct QuizzesPage {
    active: &'static str,
    status: &'static str,
    user_name: String,
    workspace: String,
    instructor: bool,
    quizzes: Vec<QuizRow>,
}

pub struct StatRow {
    pub number: usize,
    pub text: String,
    pub attempts: u32,
    pub correct: u32,
    pub facility: String,
    pub flag: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "learn/statistics.html")]
struct StatisticsPage {
    active: &'static str,
    status: &'static str,
    user_name: String,
    quiz_id: String,
    title: String,
    rows: Vec<StatRow>,
    chart: BarChart,
    flagged: usize,
}

/// What a flag from Kiro means for the instructor.
fn flag_text(flag: Option<&str>) -> Option<&'static str> {
    match flag? {
        "too-hard" => Some("Nobody gets this right: check the question and its answer"),
        "too-easy" => Some("Everybody gets this right: it tests nothing yet"),
        _ => Some("Flagged for review"),
    }
}

fn rows(stats: &[QuestionStatistics]) -> Vec<StatRow> {
    stats
        .iter()
        .enumerate()
        .map(|(i, s)| StatRow {
            number: i + 1,
            text: s.text.clone(),
            attempts: s.attempts,
            correct: s.correct,
            facility: if s.attempts == 0 {
                "–".to_owned()
            } else {
                format!("{}%", (s.facility * 100.0).round())
            },
            flag: flag_text(s.flag.as_deref()),
        })
        .collect()
}

fn no_quiz() -> Problem {
    Problem::not_found(
        "No such quiz",
        "There is no quiz with this address in your workspace.",
    )
    .with_link("/learn/quizzes", "Quizzes")
}

pub async fn quizzes(State(state): State<WebState>, signed_in: SignedIn) -> Response {
    let session = &signed_in.session;
    let study = match study::enter(session).await {
        Ok(study) => study,
        Err(e) => return Problem::from_kiro(&e).render(&state, session),
    };
    let page = match session.client.assessment().assessments(None).await {
        Ok(page) => page,
        Err(e) => return Problem::from_kiro(&e).render(&state, session),
    };
    let mut quizzes = Vec::with_capacity(page.items.len());
    for quiz in page.items {
        quizzes.push(QuizRow {
            submitted: session.learn.result(&quiz.id).await.is_some(),
            id: quiz.id,
            title: quiz.title,
            questions: quiz.questions.len(),
            created: quiz.created_at.format("%Y-%m-%d %H:%M").to_string(),
            status: quiz.status.as_str(),
        });
    }
    let frame = Frame::of(&state, session);
    render::ok(&QuizzesPage {
        active: "",
        status: frame.status,
        user_name: frame.user_name,
        workspace: study.name.clone(),
        instructor: study.is_instructor(),
        quizzes,
    })
}

pub async fn statistics(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
) -> Response {
    let session = &signed_in.session;
    if !is_plain_id(&id) {
        return no_quiz().render(&state, session);
    }
    if let Err(e) = study::enter(session).await {
        return Problem::from_kiro(&e).render(&state, session);
    }
    let assessment = session.client.assessment();
    let found = async {
        let quiz = assessment.assessment(&id).await?;
        let stats = assessment.question_statistics(&id).await?;
        Ok::<_, kiro_sdk::KiroError>((quiz, stats))
    }
    .await;
    let (quiz, stats) = match found {
        Ok(found) => found,
        Err(e) => {
            let problem = match e.status() {
                Some(404) => no_quiz(),
                Some(403) => Problem::new(
                    StatusCode::FORBIDDEN,
                    "For instructors",
                    "Question statistics are shown to the quiz's creator and to the \
                     workspace's owners and admins. Ask one of them if you need them.",
                ),
                _ => Problem::from_kiro(&e),
            };
            return problem.render(&state, session);
        }
    };
    let rows = rows(&stats);
    let bars: Vec<BarInput> = rows
        .iter()
        .zip(&stats)
        .map(|(row, s)| BarInput {
            label: format!("Question {}", row.number),
            value: s.facility * 100.0,
            text: format!("{} of {} right", s.correct, s.attempts),
            class: match s.flag.as_deref() {
                Some("too-hard") => "band-focus",
                Some("too-easy") => "band-mastered",
                _ => "band-learning",
            },
        })
        .collect();
    let frame = Frame::of(&state, session);
    render::ok(&StatisticsPage {
        active: "",
        status: frame.status,
        user_name: frame.user_name,
        quiz_id: quiz.id.clone(),
        title: quiz.title.clone(),
        flagged: rows.iter().filter(|r| r.flag.is_some()).count(),
        chart: charts::bars(
            "chart-facility",
            "Share of right answers per question",
            &bars,
            100.0,
        ),
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stat(attempts: u32, correct: u32, flag: Option<&str>) -> QuestionStatistics {
        QuestionStatistics {
            question_id: "q".into(),
            text: "?".into(),
            attempts,
            correct,
            facility: if attempts == 0 {
                0.0
            } else {
                f64::from(correct) / f64::from(attempts)
            },
            flag: flag.map(str::to_owned),
        }
    }

    #[test]
    fn flags_say_what_to_do() {
        let rows = rows(&[
            stat(3, 0, Some("too-hard")),
            stat(3, 3, Some("too-easy")),
            stat(3, 2, None),
            stat(0, 0, None),
        ]);
        assert!(rows[0].flag.is_some_and(|f| f.starts_with("Nobody")));
        assert!(rows[1].flag.is_some_and(|f| f.starts_with("Everybody")));
        assert_eq!(rows[2].flag, None);
        assert_eq!(rows[2].facility, "67%");
        assert_eq!(rows[3].facility, "–");
    }
}

//! `GET /learn/quizzes/{id}/results`: a submitted quiz's score, accuracy and time, the weakest
//! topic (Kiro's weakness analysis of the stored result) with a link to its correction
//! lesson, the score per topic and each answer's feedback.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use kiro_sdk::kiro_types::assessment::{AssessmentResult, TopicWeakness, WeaknessLevel};

use super::problem::{Frame, Problem, is_plain_id};
use super::quiz::clock;
use super::study;
use crate::web::session::SignedIn;
use crate::web::{WebState, render};

/// The weakest topic and how to fix it.
pub struct WeakView {
    pub topic: String,
    pub level: &'static str,
    pub accuracy: u32,
    pub actions: Vec<String>,
    pub resources: String,
    pub lesson: String,
}

pub struct TopicRow {
    pub topic: String,
    pub score: String,
    pub percentage: String,
    pub weak: bool,
}

pub struct AnswerRow {
    pub question: String,
    pub answer: String,
    pub correct: bool,
    pub feedback: String,
    pub provisional: bool,
    pub time: String,
}

#[derive(Template)]
#[template(path = "learn/results.html")]
struct ResultsPage {
    active: &'static str,
    status: &'static str,
    user_name: String,
    quiz_id: String,
    title: String,
    score: String,
    percentage: String,
    correct: usize,
    count: usize,
    time: String,
    passed: bool,
    passing: String,
    weakest: Option<WeakView>,
    topics: Vec<TopicRow>,
    answers: Vec<AnswerRow>,
    instructor: bool,
}

/// `x` with at most one decimal, without a trailing `.0`.
pub fn number(x: f64) -> String {
    let rounded = (x * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    }
}

fn level(level: WeaknessLevel) -> &'static str {
    match level {
        WeaknessLevel::Mild => "mild",
        WeaknessLevel::Moderate => "moderate",
        WeaknessLevel::Severe => "severe",
    }
}

/// The lesson address for `topic` of document `pdf`.
pub fn lesson_url(pdf: &str, topic: &str) -> String {
    let encode =
        |v: &str| -> String { url::form_urlencoded::byte_serialize(v.as_bytes()).collect() };
    format!("/learn/lesson?pdf={}&topic={}", encode(pdf), encode(topic))
}

/// The weakest topic: Kiro's analysis, else the lowest topic score marked weak.
fn weakest(pdf: &str, weaknesses: &[TopicWeakness], result: &AssessmentResult) -> Option<WeakView> {
    if let Some(w) = weaknesses.first() {
        return Some(WeakView {
            topic: w.topic.clone(),
            level: level(w.weakness_level),
            accuracy: (w.estimated_accuracy * 100.0).round().clamp(0.0, 100.0) as u32,
            actions: w.recommended_actions.clone(),
            resources: w.related_resources.join(", "),
            lesson: lesson_url(pdf, &w.topic),
        });
    }
    result
        .topic_scores
        .iter()
        .filter(|t| t.weakness)
        .min_by(|a, b| a.percentage.total_cmp(&b.percentage))
        .map(|t| WeakView {
            topic: t.topic.clone(),
            level: "moderate",
            accuracy: t.percentage.round().clamp(0.0, 100.0) as u32,
            actions: vec![format!("Read the correction lesson on {}.", t.topic)],
            resources: String::new(),
            lesson: lesson_url(pdf, &t.topic),
        })
}

pub async fn results(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
) -> Response {
    let session = &signed_in.session;
    let no_quiz = || {
        Problem::not_found(
            "No such quiz",
            "There is no quiz with this address in your workspace.",
        )
    };
    if !is_plain_id(&id) {
        return no_quiz().render(&state, session);
    }
    let study = match study::enter(session).await {
        Ok(study) => study,
        Err(e) => return Problem::from_kiro(&e).render(&state, session),
    };
    let assessment = session.client.assessment();
    let quiz = match assessment.assessment(&id).await {
        Ok(quiz) => quiz,
        Err(e) if e.status() == Some(404) => return no_quiz().render(&state, session),
        Err(e) => return Problem::from_kiro(&e).render(&state, session),
    };
    let Some(result) = session.learn.result(&quiz.id).await else {
        return Problem::not_found(
            "No results yet",
            "This quiz has not been submitted from this session. Answer its questions to see \
             your results.",
        )
        .with_link(
            format!("/learn/quizzes/{}/questions/1", quiz.id),
            "Take the quiz",
        )
        .render(&state, session);
    };
    let weaknesses = assessment
        .topic_weaknesses(&quiz.id, None)
        .await
        .unwrap_or_default();
    let frame = Frame::of(&state, session);
    let answers = result
        .answers
        .iter()
        .map(|a| AnswerRow {
            question: quiz
                .questions
                .iter()
                .find(|q| q.id == a.question_id)
                .map(|q| q.text.clone())
                .unwrap_or_default(),
            answer: a.answer.clone(),
            correct: a.is_correct,
            feedback: a.feedback.clone(),
            provisional: a.provisional,
            time: clock(a.time_spent),
        })
        .collect();
    let page = ResultsPage {
        active: "",
        status: frame.status,
        user_name: frame.user_name,
        quiz_id: quiz.id.clone(),
        title: quiz.title.clone(),
        score: format!("{} / {}", number(result.score), number(result.max_score)),
        percentage: format!("{}%", number(result.percentage)),
        correct: result.answers.iter().filter(|a| a.is_correct).count(),
        count: result.answers.len(),
        time: clock(result.time_spent),
        passed: result.passed,
        passing: format!("{}%", number(quiz.passing_score)),
        weakest: weakest(&quiz.pdf_id, &weaknesses, &result),
        topics: result
            .topic_scores
            .iter()
            .map(|t| TopicRow {
                topic: t.topic.clone(),
                score: format!("{} / {}", number(t.score), number(t.max_score)),
                percentage: format!("{}%", number(t.percentage)),
                weak: t.weakness,
            })
            .collect(),
        answers,
        instructor: study.is_instructor(),
    };
    render::ok(&page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_drop_a_trailing_zero() {
        assert_eq!(number(3.0), "3");
        assert_eq!(number(2.54), "2.5");
        assert_eq!(number(66.666), "66.7");
    }

    #[test]
    fn lesson_links_encode_the_topic() {
        assert_eq!(
            lesson_url("p1", "R & S: linear models"),
            "/learn/lesson?pdf=p1&topic=R+%26+S%3A+linear+models"
        );
    }
}

//! Taking a quiz: `GET /learn/quizzes/{id}/questions/{n}` shows question n of N (radio
//! buttons for multiple-choice and true/false, a text field for short answers and cloze
//! gaps, a text area for essays) with its running clock; `POST` to the same address takes
//! the answer with the time spent and moves on; after the last answer all of them go to
//! Kiro at once and the learner lands on the results. An answer is given once; a bad one
//! re-renders the question with what was typed.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use kiro_sdk::kiro_types::assessment::{Assessment, Question, QuestionType, StudentAnswers};
use serde::Deserialize;

use super::problem::{Frame, Problem, is_plain_id};
use super::state::Refused;
use super::study;
use crate::web::session::{Session, SignedIn};
use crate::web::{WebState, render};

/// The longest answer Kiro takes, in characters.
const MAX_ANSWER: usize = 20_000;

/// A question as the page shows it (never its answer).
pub struct QuestionView {
    pub text: String,
    /// `choice`, `line` or `essay`: how it is answered.
    pub input: &'static str,
    pub kind: &'static str,
    pub options: Vec<String>,
    pub topic: String,
}

impl QuestionView {
    fn of(question: &Question) -> Self {
        let input = match question.kind {
            QuestionType::MultipleChoice | QuestionType::TrueFalse => "choice",
            QuestionType::ShortAnswer | QuestionType::Cloze => "line",
            QuestionType::Essay => "essay",
        };
        let kind = match question.kind {
            QuestionType::MultipleChoice => "Multiple choice",
            QuestionType::TrueFalse => "True or false",
            QuestionType::ShortAnswer => "Short answer",
            QuestionType::Cloze => "Fill in the gap",
            QuestionType::Essay => "Essay",
        };
        Self {
            text: question.text.clone(),
            input,
            kind,
            options: question.options.clone().unwrap_or_default(),
            topic: question.topic.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "learn/question.html")]
struct QuestionPage {
    active: &'static str,
    status: &'static str,
    user_name: String,
    quiz_id: String,
    title: String,
    number: usize,
    count: usize,
    question: QuestionView,
    elapsed: u32,
    clock: String,
    answer: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "learn/quiz_done.html")]
struct DonePage {
    active: &'static str,
    status: &'static str,
    user_name: String,
    quiz_id: String,
    title: String,
    count: usize,
}

/// `m:ss` of `seconds`.
pub fn clock(seconds: u32) -> String {
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

fn no_quiz() -> Problem {
    Problem::not_found(
        "No such quiz",
        "There is no quiz with this address in your workspace. Start a diagnosis from one of \
         your documents.",
    )
    .with_link("/learn/upload", "Your documents")
}

fn no_question(count: usize) -> Problem {
    Problem::not_found(
        "No such question",
        format!("This quiz has questions 1 to {count}."),
    )
}

/// The quiz `id` and question `n` (1-based) of it, as index.
async fn load(session: &Session, id: &str, n: &str) -> Result<(Assessment, usize), Problem> {
    if !is_plain_id(id) {
        return Err(no_quiz());
    }
    study::enter(session)
        .await
        .map_err(|e| Problem::from_kiro(&e))?;
    let quiz = session
        .client
        .assessment()
        .assessment(id)
        .await
        .map_err(|e| match e.status() {
            Some(404) => no_quiz(),
            _ => Problem::from_kiro(&e),
        })?;
    let count = quiz.questions.len();
    match n.parse::<usize>() {
        Ok(n) if (1..=count).contains(&n) => Ok((quiz, n - 1)),
        _ => Err(no_question(count)),
    }
}

fn question_url(id: &str, index: usize) -> String {
    format!("/learn/quizzes/{id}/questions/{}", index + 1)
}

fn results_url(id: &str) -> String {
    format!("/learn/quizzes/{id}/results")
}

async fn question_page(
    state: &WebState,
    session: &Session,
    quiz: &Assessment,
    index: usize,
    answer: String,
    error: Option<String>,
) -> QuestionPage {
    let frame = Frame::of(state, session);
    let elapsed = session.learn.serve(&quiz.id, index).await;
    QuestionPage {
        active: "",
        status: frame.status,
        user_name: frame.user_name,
        quiz_id: quiz.id.clone(),
        title: quiz.title.clone(),
        number: index + 1,
        count: quiz.questions.len(),
        question: QuestionView::of(&quiz.questions[index]),
        elapsed,
        clock: clock(elapsed),
        answer,
        error,
    }
}

pub async fn question(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path((id, n)): Path<(String, String)>,
) -> Response {
    let session = &signed_in.session;
    let (quiz, index) = match load(session, &id, &n).await {
        Ok(found) => found,
        Err(problem) => return problem.render(&state, session),
    };
    if session.learn.result(&quiz.id).await.is_some() {
        return Redirect::to(&results_url(&quiz.id)).into_response();
    }
    let count = quiz.questions.len();
    if session.learn.is_answered(&quiz.id, index).await {
        return match session.learn.next_unanswered(&quiz.id, count).await {
            Some(next) => Redirect::to(&question_url(&quiz.id, next)).into_response(),
            None => {
                let frame = Frame::of(&state, session);
                render::ok(&DonePage {
                    active: "",
                    status: frame.status,
                    user_name: frame.user_name,
                    quiz_id: quiz.id.clone(),
                    title: quiz.title.clone(),
                    count,
                })
            }
        };
    }
    render::ok(&question_page(&state, session, &quiz, index, String::new(), None).await)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AnswerForm {
    answer: String,
    /// Seconds on the page's own clock (set by `live.js`; empty without JavaScript).
    time_spent: String,
}

/// Why `answer` cannot be taken for `question`, if it cannot.
fn check(question: &Question, answer: &str) -> Option<&'static str> {
    if answer.is_empty() {
        return Some(if question.kind.is_choice() {
            "Choose one of the answers before going on."
        } else {
            "Write an answer before going on (a guess is fine)."
        });
    }
    if answer.chars().count() > MAX_ANSWER {
        return Some("Keep the answer under 20,000 characters.");
    }
    if question.kind.is_choice()
        && !question
            .options
            .as_ref()
            .is_some_and(|o| o.iter().any(|o| o == answer))
    {
        return Some("Choose one of the answers shown.");
    }
    None
}

pub async fn answer(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path((id, n)): Path<(String, String)>,
    Form(form): Form<AnswerForm>,
) -> Response {
    let session = &signed_in.session;
    let (quiz, index) = match load(session, &id, &n).await {
        Ok(found) => found,
        Err(problem) => return problem.render(&state, session),
    };
    let question = &quiz.questions[index];
    let given = form.answer.trim().to_owned();
    if let Some(message) = check(question, &given) {
        let page = question_page(&state, session, &quiz, index, given, Some(message.into())).await;
        return render::page(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    let browser_seconds = form.time_spent.trim().parse::<u32>().ok();
    let taken = session
        .learn
        .answer(&quiz.id, index, question.id.clone(), given, browser_seconds)
        .await;
    let count = quiz.questions.len();
    match taken {
        Ok(_) => {}
        Err(Refused::Submitted) => return submitted(&quiz.id).render(&state, session),
        Err(Refused::AlreadyAnswered) => {
            let next = session.learn.next_unanswered(&quiz.id, count).await;
            let on = next.unwrap_or(index);
            return Problem::new(
                StatusCode::CONFLICT,
                "Already answered",
                format!(
                    "Question {} already has your answer; answers cannot be changed once given.",
                    index + 1
                ),
            )
            .with_link(question_url(&quiz.id, on), "Go on with the quiz")
            .render(&state, session);
        }
    }
    match session.learn.next_unanswered(&quiz.id, count).await {
        Some(next) => Redirect::to(&question_url(&quiz.id, next)).into_response(),
        None => submit_all(&state, session, &quiz).await,
    }
}

fn submitted(id: &str) -> Problem {
    Problem::new(
        StatusCode::CONFLICT,
        "Already submitted",
        "This quiz was submitted; its answers cannot change. Start a new diagnosis from the \
         document to try again.",
    )
    .with_link(results_url(id), "See your results")
}

/// `POST /learn/quizzes/{id}/submit`: sends the answers again after a failed submission.
pub async fn submit(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
) -> Response {
    let session = &signed_in.session;
    let (quiz, _) = match load(session, &id, "1").await {
        Ok(found) => found,
        Err(problem) => return problem.render(&state, session),
    };
    if session.learn.result(&quiz.id).await.is_some() {
        return Redirect::to(&results_url(&quiz.id)).into_response();
    }
    submit_all(&state, session, &quiz).await
}

/// Sends every answer to Kiro for grading and keeps the result.
async fn submit_all(state: &WebState, session: &Session, quiz: &Assessment) -> Response {
    let count = quiz.questions.len();
    let Some(answers) = session.learn.complete_answers(&quiz.id, count).await else {
        let next = session
            .learn
            .next_unanswered(&quiz.id, count)
            .await
            .unwrap_or(0);
        return Redirect::to(&question_url(&quiz.id, next)).into_response();
    };
    let graded = session
        .client
        .assessment()
        .submit_answers(&quiz.id, &StudentAnswers { answers })
        .await;
    match graded {
        Ok(result) => {
            session.learn.finish(&quiz.id, result).await;
            Redirect::to(&results_url(&quiz.id)).into_response()
        }
        Err(e) if e.code() == Some("assessment.submission.exists") => {
            submitted(&quiz.id).render(state, session)
        }
        Err(e) => Problem::from_kiro(&e)
            .with_link(
                question_url(&quiz.id, 0),
                "Your answers are kept: submit them again",
            )
            .render(state, session),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kiro_sdk::kiro_types::assessment::{Difficulty, QuestionSource};

    fn question(kind: QuestionType, options: Option<Vec<String>>) -> Question {
        Question {
            id: "q".into(),
            text: "?".into(),
            kind,
            options,
            correct_answer: None,
            difficulty: Difficulty::Easy,
            topic: "t".into(),
            learning_objective: String::new(),
            source: QuestionSource {
                page: 1,
                sentence: String::new(),
            },
            explanation: String::new(),
            rubric: Vec::new(),
        }
    }

    #[test]
    fn choices_must_be_one_of_the_options() {
        let tf = question(
            QuestionType::TrueFalse,
            Some(vec!["True".into(), "False".into()]),
        );
        assert_eq!(check(&tf, "True"), None);
        assert_eq!(
            check(&tf, "Maybe"),
            Some("Choose one of the answers shown.")
        );
        assert!(check(&tf, "").is_some_and(|m| m.starts_with("Choose")));
        let essay = question(QuestionType::Essay, None);
        assert!(check(&essay, "").is_some_and(|m| m.starts_with("Write")));
        assert_eq!(check(&essay, "anything"), None);
        assert!(check(&essay, &"x".repeat(MAX_ANSWER + 1)).is_some());
    }

    #[test]
    fn the_clock_reads_minutes_and_seconds() {
        assert_eq!(clock(0), "0:00");
        assert_eq!(clock(75), "1:15");
        assert_eq!(clock(3600), "60:00");
    }
}

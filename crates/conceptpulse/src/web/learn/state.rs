//! What one browser session remembers of its learning loop between pages: the workspace it
//! chose, the last uploaded file (so an encrypted PDF can be retried with just its
//! password), and each quiz in progress — when each question was first served (the timer
//! when JavaScript is off), the answers given so far, and the graded result once submitted.
//! Kiro holds everything that lasts; this is only the state of pages in flight.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use kiro_sdk::kiro_types::assessment::{AnswerIn, AssessmentResult};
use tokio::sync::Mutex;

/// The most a browser's own clock may claim beyond what the server measured, in seconds
/// (page load and rounding).
const CLOCK_SLACK: u32 = 2;
/// The longest time the server accepts for one question, in seconds.
const MAX_SECONDS: u32 = 86_400;

/// A file kept after upload until its document is processed.
#[derive(Debug, Clone)]
pub struct HeldUpload {
    pub document_id: String,
    pub filename: String,
    pub bytes: Vec<u8>,
    pub subject: Option<String>,
    pub topic: Option<String>,
}

/// One answer as the quiz page took it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Given {
    pub question_id: String,
    pub answer: String,
    pub time_spent: u32,
}

/// Why an answer was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// This question already has an answer.
    AlreadyAnswered,
    /// The quiz was submitted.
    Submitted,
}

#[derive(Debug, Default)]
struct QuizRun {
    served: HashMap<usize, Instant>,
    answers: BTreeMap<usize, Given>,
    result: Option<AssessmentResult>,
}

#[derive(Debug, Default)]
struct Inner {
    workspace: Option<String>,
    held: Option<HeldUpload>,
    quizzes: HashMap<String, QuizRun>,
}

/// A session's learning state.
#[derive(Debug, Default)]
pub struct LearnState {
    inner: Mutex<Inner>,
}

impl LearnState {
    /// The workspace the learner picked, if they picked one.
    pub async fn chosen_workspace(&self) -> Option<String> {
        self.inner.lock().await.workspace.clone()
    }

    pub async fn choose_workspace(&self, id: String) {
        self.inner.lock().await.workspace = Some(id);
    }

    /// Keeps `upload` (replacing any file kept before).
    pub async fn hold(&self, upload: HeldUpload) {
        self.inner.lock().await.held = Some(upload);
    }

    /// The kept file of document `id`, if it is the one kept.
    pub async fn held(&self, id: &str) -> Option<HeldUpload> {
        let inner = self.inner.lock().await;
        inner.held.clone().filter(|h| h.document_id == id)
    }

    /// Forgets the kept file of document `id` (it was processed).
    pub async fn release(&self, id: &str) {
        let mut inner = self.inner.lock().await;
        if inner.held.as_ref().is_some_and(|h| h.document_id == id) {
            inner.held = None;
        }
    }

    /// Notes that question `index` of `quiz` is on screen and returns the seconds since it
    /// was first served (a reload does not restart its clock).
    pub async fn serve(&self, quiz: &str, index: usize) -> u32 {
        let mut inner = self.inner.lock().await;
        let run = inner.quizzes.entry(quiz.to_owned()).or_default();
        let since = *run.served.entry(index).or_insert_with(Instant::now);
        seconds(since.elapsed())
    }

    /// Records the answer to question `index`. `browser_seconds` is the page's own clock;
    /// it is believed up to what the server measured since serving the question (plus a
    /// little slack), and the server's measure is used without it.
    pub async fn answer(
        &self,
        quiz: &str,
        index: usize,
        question_id: String,
        answer: String,
        browser_seconds: Option<u32>,
    ) -> Result<Given, Refused> {
        let mut inner = self.inner.lock().await;
        let run = inner.quizzes.entry(quiz.to_owned()).or_default();
        if run.result.is_some() {
            return Err(Refused::Submitted);
        }
        if run.answers.contains_key(&index) {
            return Err(Refused::AlreadyAnswered);
        }
        let measured = run.served.get(&index).map(|at| seconds(at.elapsed()));
        let time_spent = time_spent(measured, browser_seconds);
        let given = Given {
            question_id,
            answer,
            time_spent,
        };
        run.answers.insert(index, given.clone());
        Ok(given)
    }

    /// The first question (0-based) of a quiz of `count` questions without an answer.
    pub async fn next_unanswered(&self, quiz: &str, count: usize) -> Option<usize> {
        let inner = self.inner.lock().await;
        let answers = inner.quizzes.get(quiz).map(|r| &r.answers);
        (0..count).find(|i| answers.is_none_or(|a| !a.contains_key(i)))
    }

    /// Whether question `index` has an answer.
    pub async fn is_answered(&self, quiz: &str, index: usize) -> bool {
        let inner = self.inner.lock().await;
        inner
            .quizzes
            .get(quiz)
            .is_some_and(|r| r.answers.contains_key(&index))
    }

    /// Every answer, in question order, once all `count` questions have one.
    pub async fn complete_answers(&self, quiz: &str, count: usize) -> Option<Vec<AnswerIn>> {
        let inner = self.inner.lock().await;
        let run = inner.quizzes.get(quiz)?;
        if run.answers.len() < count {
            return None;
        }
        Some(
            run.answers
                .values()
                .map(|g| AnswerIn {
                    question_id: g.question_id.clone(),
                    answer: g.answer.clone(),
                    time_spent: g.time_spent,
                })
                .collect(),
        )
    }

    /// Keeps the graded result of `quiz`.
    pub async fn finish(&self, quiz: &str, result: AssessmentResult) {
        let mut inner = self.inner.lock().await;
        inner.quizzes.entry(quiz.to_owned()).or_default().result = Some(result);
    }

    pub async fn result(&self, quiz: &str) -> Option<AssessmentResult> {
        let inner = self.inner.lock().await;
        inner.quizzes.get(quiz).and_then(|r| r.result.clone())
    }
}

fn seconds(elapsed: Duration) -> u32 {
    u32::try_from(elapsed.as_secs()).unwrap_or(u32::MAX)
}

/// The seconds recorded for an answer: the browser's clock capped by the server's measure.
fn time_spent(measured: Option<u32>, browser: Option<u32>) -> u32 {
    let spent = match (measured, browser) {
        (Some(server), Some(page)) => page.min(server.saturating_add(CLOCK_SLACK)),
        (Some(server), None) => server,
        (None, Some(page)) => page,
        (None, None) => 0,
    };
    spent.min(MAX_SECONDS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_browser_clock_is_believed_only_up_to_the_servers() {
        assert_eq!(time_spent(Some(30), Some(28)), 28);
        assert_eq!(time_spent(Some(30), Some(31)), 31, "within the slack");
        assert_eq!(time_spent(Some(30), Some(900)), 32, "capped");
        assert_eq!(time_spent(Some(30), None), 30, "JavaScript off");
        assert_eq!(time_spent(None, Some(12)), 12);
        assert_eq!(time_spent(None, Some(u32::MAX)), MAX_SECONDS);
    }

    #[tokio::test]
    async fn a_question_is_answered_once_and_the_quiz_completes_in_order() {
        let state = LearnState::default();
        assert_eq!(state.next_unanswered("q", 2).await, Some(0));
        state.serve("q", 1).await;
        let second = state
            .answer("q", 1, "b".into(), "two".into(), None)
            .await
            .map(|g| g.question_id);
        assert_eq!(second, Ok("b".to_owned()));
        let again = state.answer("q", 1, "b".into(), "other".into(), None).await;
        assert_eq!(again, Err(Refused::AlreadyAnswered));
        assert!(state.complete_answers("q", 2).await.is_none());
        assert_eq!(state.next_unanswered("q", 2).await, Some(0));
        let first = state
            .answer("q", 0, "a".into(), "one".into(), Some(4))
            .await;
        assert_eq!(first.map(|g| g.time_spent), Ok(4));
        let all = state.complete_answers("q", 2).await.unwrap_or_default();
        let ids: Vec<&str> = all.iter().map(|a| a.question_id.as_str()).collect();
        assert_eq!(ids, ["a", "b"], "in question order");
        assert_eq!(state.next_unanswered("q", 2).await, None);
    }

    #[tokio::test]
    async fn a_kept_upload_belongs_to_one_document() {
        let state = LearnState::default();
        state
            .hold(HeldUpload {
                document_id: "d1".into(),
                filename: "a.pdf".into(),
                bytes: vec![1],
                subject: None,
                topic: None,
            })
            .await;
        assert!(state.held("d2").await.is_none());
        state.release("d2").await;
        assert!(state.held("d1").await.is_some());
        state.release("d1").await;
        assert!(state.held("d1").await.is_none());
    }
}

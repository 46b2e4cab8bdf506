//! A quiz's outcome: the `AssessmentResult` (its fields at the top level of the JSON) with
//! the weakest topic, the server's advice on each weak topic and the lesson command; for
//! people, the score, accuracy, time, per-topic and per-question tables, and what to study.

use kiro_sdk::kiro_types::assessment::{Assessment, AssessmentResult, TopicScore, TopicWeakness};
use serde::Serialize;

use super::questions::wire_name;
use super::render;
use crate::cli::output::table;

/// What `conceptpulse assess quiz` prints.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct QuizOut {
    #[serde(flatten)]
    pub result: AssessmentResult,
    pub title: String,
    pub pdf_id: String,
    pub passing_score: f64,
    /// The topic with the lowest score among the weak ones.
    pub weakest_topic: Option<String>,
    pub weaknesses: Vec<TopicWeakness>,
    /// The command that opens a correction lesson on the weakest topic.
    pub lesson_command: Option<String>,
}

impl QuizOut {
    pub fn new(
        quiz: &Assessment,
        result: AssessmentResult,
        weaknesses: Vec<TopicWeakness>,
    ) -> Self {
        let weakest_topic = weakest(&result.topic_scores).map(|t| t.topic.clone());
        let lesson_command = weakest_topic.as_ref().map(|topic| {
            format!(
                "conceptpulse assess lesson {} {}",
                render::shell_word(&quiz.pdf_id),
                render::shell_word(topic)
            )
        });
        Self {
            result,
            title: quiz.title.clone(),
            pdf_id: quiz.pdf_id.clone(),
            passing_score: quiz.passing_score,
            weakest_topic,
            weaknesses,
            lesson_command,
        }
    }
}

/// The weak topic with the lowest percentage (the first of equals, as the server ordered
/// them); none when no topic is weak.
pub fn weakest(scores: &[TopicScore]) -> Option<&TopicScore> {
    scores
        .iter()
        .filter(|t| t.weakness)
        .fold(None, |low: Option<&TopicScore>, t| match low {
            Some(l) if l.percentage <= t.percentage => Some(l),
            _ => Some(t),
        })
}

pub fn human(out: &QuizOut) -> String {
    let r = &out.result;
    let correct = r.answers.iter().filter(|a| a.is_correct).count();
    let total = r.answers.len();
    let accuracy = if total == 0 {
        0.0
    } else {
        correct as f64 * 100.0 / total as f64
    };
    let verdict = if r.passed { "passed" } else { "not passed" };
    let mut text = format!(
        "{} — {} (pass mark {})\nScore {:.1} / {:.1} ({}) · accuracy {correct} of {total} ({}) · time {}",
        out.title,
        verdict,
        render::percent(out.passing_score),
        r.score,
        r.max_score,
        render::percent(r.percentage),
        render::percent(accuracy),
        render::duration(r.time_spent),
    );
    let topics = r.topic_scores.iter().map(|t| {
        vec![
            t.topic.clone(),
            format!("{:.1} / {:.1}", t.score, t.max_score),
            render::percent(t.percentage),
            weakness(out, t),
        ]
    });
    text.push_str(&format!(
        "\n{}",
        table(&["Topic", "Score", "%", "Weakness"], topics)
    ));
    let answers = r.answers.iter().enumerate().map(|(i, a)| {
        let mark = match (a.is_correct, a.credit > 0.0) {
            (true, _) => "✓",
            (false, true) => "½",
            (false, false) => "✗",
        };
        let mut feedback = a.feedback.clone();
        if a.provisional {
            feedback.push_str(" (provisional)");
        }
        vec![
            (i + 1).to_string(),
            mark.to_owned(),
            render::clip(&a.answer, 40),
            feedback,
            render::duration(a.time_spent),
        ]
    });
    text.push_str(&format!(
        "\n{}",
        table(&["#", "", "Your answer", "Feedback", "Time"], answers)
    ));
    match &out.weakest_topic {
        Some(topic) => {
            let score = r.topic_scores.iter().find(|t| &t.topic == topic);
            let weakness = out.weaknesses.iter().find(|w| &w.topic == topic);
            text.push_str(&format!(
                "\nWeakest topic: {topic} ({}",
                score.map_or_else(String::new, |t| render::percent(t.percentage))
            ));
            if let Some(w) = weakness {
                text.push_str(&format!(
                    "; {} weakness, estimated accuracy {} over {}",
                    wire_name(&w.weakness_level),
                    render::percent(w.estimated_accuracy * 100.0),
                    render::plural(w.attempts, "answer")
                ));
            }
            text.push(')');
            if let Some(weakness) = weakness {
                for action in &weakness.recommended_actions {
                    text.push_str(&format!("\n  {action}"));
                }
                if !weakness.related_resources.is_empty() {
                    text.push_str(&format!(
                        "\n  Read again: {}",
                        render::references(&weakness.related_resources)
                    ));
                }
            }
            if let Some(command) = &out.lesson_command {
                text.push_str(&format!("\nStudy it: {command}"));
            }
        }
        None => text.push_str("\nNo weak topic: well done."),
    }
    text
}

/// A topic's weakness level as the server judged it over all the learner's answers.
fn weakness(out: &QuizOut, score: &TopicScore) -> String {
    if !score.weakness {
        return String::new();
    }
    out.weaknesses
        .iter()
        .find(|w| w.topic == score.topic)
        .map_or_else(|| "weak".to_owned(), |w| wire_name(&w.weakness_level))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(topic: &str, percentage: f64, weakness: bool) -> TopicScore {
        TopicScore {
            topic: topic.into(),
            score: percentage / 100.0,
            max_score: 1.0,
            percentage,
            weakness,
        }
    }

    #[test]
    fn the_weakest_topic_is_the_lowest_weak_one() {
        let scores = [
            score("optics", 40.0, true),
            score("mechanics", 20.0, true),
            score("heat", 10.0, false),
            score("waves", 20.0, true),
        ];
        assert_eq!(
            weakest(&scores).map(|t| t.topic.as_str()),
            Some("mechanics")
        );
        assert!(weakest(&[score("optics", 100.0, false)]).is_none());
    }
}

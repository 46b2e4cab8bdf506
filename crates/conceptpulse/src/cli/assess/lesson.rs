//! `conceptpulse assess lesson DOC TOPIC`: a short correction lesson on one topic, drawn
//! from the document — what and why, a key definition, the explanation, a worked example and
//! an analogy, each with its page — or the `Lesson` JSON.

use kiro_sdk::KiroClient;
use kiro_sdk::kiro_types::assessment::{Lesson, Passage};

use super::render;
use crate::cli::exit;
use crate::cli::output::Output;

/// `conceptpulse assess lesson DOC TOPIC`.
pub async fn lesson(client: &KiroClient, out: Output, document: &str, topic: &str) -> u8 {
    match client.assessment().lesson(document, topic).await {
        Ok(lesson) => {
            out.emit(&lesson, human);
            exit::OK
        }
        Err(e) => out.fail(&e),
    }
}

fn human(lesson: &Lesson) -> String {
    let mut text = format!(
        "Lesson: {}\n\nWhat: {}\nWhy: {}",
        lesson.topic, lesson.what, lesson.why
    );
    let cited = |label: &str, passage: &Passage| {
        format!("\n\n{label} (page {}):\n  {}", passage.page, passage.text)
    };
    if let Some(definition) = &lesson.definition {
        text.push_str(&cited("Definition", definition));
    }
    if !lesson.explanation.is_empty() {
        text.push_str("\n\nExplanation:");
        for passage in &lesson.explanation {
            text.push_str(&format!("\n  {} (page {})", passage.text, passage.page));
        }
    }
    if let Some(example) = &lesson.example {
        text.push_str(&cited("Example", example));
    }
    if let Some(analogy) = &lesson.analogy {
        text.push_str(&cited("Analogy", analogy));
    }
    if !lesson.key_terms.is_empty() {
        text.push_str(&format!("\n\nKey terms: {}", lesson.key_terms.join(", ")));
    }
    if !lesson.pages.is_empty() {
        text.push_str(&format!(
            "\nRead again: pages {}",
            render::page_ranges(&lesson.pages)
        ));
    }
    text
}

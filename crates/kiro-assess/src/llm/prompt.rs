//! The prompt for an LLM: what to write (count, kinds, difficulty), the document's most
//! important topics with their key terms, and numbered excerpts — the sentences the local
//! engine would build questions from, each with its page — so that every question the model
//! writes can name a source sentence the checks can find in the document.

use std::collections::HashSet;
use std::fmt::Write as _;

use kiro_types::assessment::QuestionType;

use crate::Document;
use crate::analysis::Analysis;
use crate::corpus::Corpus;
use crate::questions::GenerateOptions;
use crate::questions::candidates;

/// Topics described to the model.
const MAX_TOPICS: usize = 8;
/// Excerpts per topic.
const EXCERPTS_PER_TOPIC: usize = 6;
/// A cap on the excerpts' total size, so a long document stays within small context windows.
const MAX_EXCERPT_CHARS: usize = 12_000;

/// A system instruction and a user message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    pub system: String,
    pub user: String,
}

const SYSTEM: &str = "You write assessment questions for a learner from a document they \
uploaded. Use only facts stated in the numbered excerpts; never add outside knowledge. \
Each question names the excerpt it is built from (sourcePage and sourceSentence copied \
exactly from that excerpt). Rules: multiple-choice has exactly 4 options, one of them \
equal to correctAnswer, the other three plausible wrong answers of the same kind taken \
from the document, never a substring or near-duplicate of the answer; true-false has \
options [\"True\", \"False\"] and correctAnswer \"True\" or \"False\", and a false \
statement changes a term or a number, not just adds \"not\"; short-answer and cloze \
answers are words from the source sentence (a cloze question shows the sentence with \
the answer replaced by _____); an essay has an empty correctAnswer and a rubric of 3 to 6 \
key terms. Give every question a topic (one of the listed topics), a learning objective \
starting with a Bloom verb, and an explanation quoting the source. No two questions may \
ask the same thing. Answer with JSON only, matching the given schema.";

/// Builds the prompt for `options` over a document and its analysis.
pub fn question_prompt(
    document: &Document,
    analysis: &Analysis,
    options: &GenerateOptions,
) -> Prompt {
    let corpus = Corpus::new(document);
    let kinds: Vec<&str> = if options.types.is_empty() {
        QuestionType::ALL.iter().map(|k| k.as_str()).collect()
    } else {
        options.types.iter().map(|k| k.as_str()).collect()
    };
    let mut user = String::new();
    let _ = writeln!(
        user,
        "Write {} questions. Allowed types: {}.",
        options.count,
        kinds.join(", ")
    );
    if let Some(d) = options.difficulty {
        let name = serde_json::to_value(d)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let _ = writeln!(user, "Difficulty: {name}.");
    }
    let _ = writeln!(
        user,
        "Spread the questions over the most important topics first.\n\nTopics (most important first):"
    );
    let topics: Vec<_> = analysis.topics.iter().take(MAX_TOPICS).collect();
    for t in &topics {
        let _ = writeln!(
            user,
            "- {} (importance {:.2}; key terms: {})",
            t.name,
            t.importance,
            t.keywords.join(", ")
        );
    }
    let _ = writeln!(user, "\nExcerpts:");
    let mut seen = HashSet::new();
    let mut size = 0usize;
    let mut n = 0usize;
    'topics: for t in &topics {
        for c in candidates::for_topic(&corpus, t, &analysis.key_terms)
            .into_iter()
            .take(EXCERPTS_PER_TOPIC)
        {
            let Some(s) = corpus.sentences.get(c.sentence) else {
                continue;
            };
            if !seen.insert(c.sentence) {
                continue;
            }
            if size + s.text.len() > MAX_EXCERPT_CHARS {
                break 'topics;
            }
            size += s.text.len();
            n += 1;
            let _ = writeln!(user, "{n}. [page {}] [topic {}] {}", s.page, t.name, s.text);
        }
    }
    Prompt {
        system: SYSTEM.to_owned(),
        user,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis;

    fn document() -> Document {
        Document::from_pages(vec![
            "Photosynthesis is the process by which green plants convert light energy into \
             chemical energy. Chlorophyll is the pigment that absorbs light in the chloroplasts \
             of plant cells. The Calvin cycle uses carbon dioxide to build glucose in the stroma."
                .to_owned(),
            "Cellular respiration is the process that releases energy from glucose in the \
             mitochondria of cells. Mitochondria are the organelles that produce most of the \
             cell's ATP through oxidative phosphorylation."
                .to_owned(),
        ])
    }

    #[test]
    fn the_prompt_names_the_count_the_kinds_and_pages_of_its_excerpts() {
        let doc = document();
        let analysis = analysis::analyze(&doc);
        let options = GenerateOptions {
            count: 3,
            types: vec![QuestionType::Cloze, QuestionType::TrueFalse],
            difficulty: None,
            seed: 1,
        };
        let prompt = question_prompt(&doc, &analysis, &options);
        assert!(
            prompt
                .user
                .starts_with("Write 3 questions. Allowed types: cloze, true-false.")
        );
        assert!(prompt.user.contains("[page 1]") || prompt.user.contains("[page 2]"));
        assert!(prompt.system.contains("JSON only"));
        for t in analysis.topics.iter().take(MAX_TOPICS) {
            assert!(prompt.user.contains(&t.name), "topic {} missing", t.name);
        }
    }
}

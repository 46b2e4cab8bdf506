//! Question generation: source sentences ranked per topic, questions of every kind built from
//! them round-robin over the most important topics, deterministic for a document, its
//! analysis and a seed. Also the rules any engine's questions must meet ([`validate`]) and the
//! single-sentence wh-question the benchmark scores ([`question_for_sentence`]).

pub(crate) mod candidates;
mod choice;
mod distractors;
mod draft;
mod recall;
mod rng;
mod validate;
mod wh;

use kiro_types::assessment::{Difficulty, IdentifiedTopic, Question, QuestionSource, QuestionType};

use crate::Document;
use crate::analysis::Analysis;
use crate::corpus::Corpus;
use crate::keyphrase;
use crate::text;
use candidates::Candidate;
use draft::{Ctx, Draft, Used};
use rng::Rng;

pub use distractors::too_close;
pub use validate::{supported, validate};
pub use wh::{WhQuestion, question_for_sentence, tokenize, wh_question};

/// The local engine's model name, reported as `aiModel`.
pub const LOCAL_MODEL: &str = "local-rules-1";

/// What to generate.
#[derive(Debug, Clone)]
pub struct GenerateOptions {
    pub count: usize,
    pub types: Vec<QuestionType>,
    pub difficulty: Option<Difficulty>,
    pub seed: u64,
}

/// Generated questions with the engine's mean confidence (0–1).
#[derive(Debug, Clone, PartialEq)]
pub struct Generated {
    pub questions: Vec<Question>,
    pub confidence: f64,
}

/// Generates questions: deterministic for a given document, analysis and options. Fewer than
/// `count` when the document has too few usable sentences.
pub fn generate(document: &Document, analysis: &Analysis, options: &GenerateOptions) -> Generated {
    let corpus = Corpus::new(document);
    let ctx = Ctx {
        corpus: &corpus,
        analysis,
        pool: distractor_pool(document, analysis),
    };
    let kinds: Vec<QuestionType> = if options.types.is_empty() {
        QuestionType::ALL.to_vec()
    } else {
        let mut k = options.types.clone();
        k.dedup();
        k
    };
    let topics: Vec<(&IdentifiedTopic, Vec<Candidate>)> = analysis
        .topics
        .iter()
        .map(|t| (t, candidates::for_topic(&corpus, t, &analysis.key_terms)))
        .filter(|(_, c)| !c.is_empty())
        .collect();
    let mut rng = Rng::new(document, options.seed);
    let mut used = Used::default();
    let mut out: Vec<(Question, f64)> = Vec::new();
    let mut slot = 0usize;
    while out.len() < options.count && !topics.is_empty() {
        let mut made = None;
        'search: for t in 0..topics.len() {
            let (topic, cands) = &topics[(slot + t) % topics.len()];
            let preferred = preferred_candidates(&ctx, cands, options.difficulty);
            for k in 0..kinds.len() {
                let kind = kinds[(slot + slot / topics.len() + k) % kinds.len()];
                if let Some(d) = build(&ctx, kind, topic, &preferred, &used, &mut rng) {
                    made = Some((d, *topic));
                    break 'search;
                }
            }
        }
        let Some((draft, topic)) = made else {
            break;
        };
        used.record(&draft);
        if draft.kind == QuestionType::Essay {
            used.essays.insert(topic.name.clone());
        }
        out.push(finish(&ctx, draft, topic, out.len() + 1));
        slot += 1;
    }
    let confidence = if out.is_empty() {
        0.0
    } else {
        out.iter().map(|(_, c)| c).sum::<f64>() / out.len() as f64
    };
    Generated {
        questions: out.into_iter().map(|(q, _)| q).collect(),
        confidence,
    }
}

fn build(
    ctx: &Ctx,
    kind: QuestionType,
    topic: &IdentifiedTopic,
    cands: &[Candidate],
    used: &Used,
    rng: &mut Rng,
) -> Option<Draft> {
    match kind {
        QuestionType::MultipleChoice => choice::multiple_choice(ctx, cands, used, rng),
        QuestionType::TrueFalse => choice::true_false(ctx, cands, used, rng),
        QuestionType::ShortAnswer => recall::short_answer(ctx, cands, used, rng),
        QuestionType::Cloze => recall::cloze(ctx, cands, used, rng),
        QuestionType::Essay => recall::essay(ctx, topic, cands, used),
    }
}

/// Candidates whose sentence suits the requested difficulty first (stable otherwise).
fn preferred_candidates(
    ctx: &Ctx,
    cands: &[Candidate],
    wanted: Option<Difficulty>,
) -> Vec<Candidate> {
    let mut out = cands.to_vec();
    if let Some(w) = wanted {
        out.sort_by_key(|c| sentence_difficulty(ctx, c.sentence, &c.term) != w);
    }
    out
}

/// Terms that can stand in as wrong answers: the analysis's terms and the document's key
/// phrases, each written as the document writes it.
fn distractor_pool(document: &Document, analysis: &Analysis) -> Vec<String> {
    let full = document.full_text();
    let words: Vec<String> = text::words(&full)
        .iter()
        .map(|w| w.to_lowercase())
        .collect();
    let found_phrases;
    let phrases = if analysis.phrases.is_empty() {
        found_phrases = keyphrase::keyphrases(&full, crate::analysis::PHRASES);
        &found_phrases
    } else {
        &analysis.phrases
    };
    let mut pool: Vec<String> = Vec::new();
    let topic_terms = analysis
        .topics
        .iter()
        .flat_map(|t| t.keywords.iter().chain(&t.subtopics));
    for term in analysis
        .key_terms
        .iter()
        .chain(topic_terms)
        .chain(phrases.iter())
    {
        if !pool.iter().any(|p| p.eq_ignore_ascii_case(term)) && contains_words(&words, term) {
            pool.push(term.clone());
        }
    }
    pool
}

/// Whether `phrase` occurs as whole words in `words` (the lower-cased words of a text): what
/// [`text::contains_phrase`] says of the text, without splitting it again for every phrase.
fn contains_words(words: &[String], phrase: &str) -> bool {
    let needle: Vec<String> = text::words(phrase)
        .iter()
        .map(|w| w.to_lowercase())
        .collect();
    !needle.is_empty()
        && needle.len() <= words.len()
        && words.windows(needle.len()).any(|w| w == needle.as_slice())
}

/// Easy, medium or hard from the sentence's length and how rare the term is.
fn sentence_difficulty(ctx: &Ctx, sentence: usize, term: &str) -> Difficulty {
    let words = ctx
        .corpus
        .sentences
        .get(sentence)
        .map_or(0, |s| text::words(&s.text).len());
    let mentions = ctx.corpus.mentions(term).len();
    let mut score = 0.0;
    if words > 24 {
        score += 1.0;
    } else if words > 16 {
        score += 0.5;
    }
    if mentions <= 1 {
        score += 1.0;
    } else if mentions <= 3 {
        score += 0.5;
    }
    level(score)
}

fn level(score: f64) -> Difficulty {
    if score < 0.75 {
        Difficulty::Easy
    } else if score < 1.75 {
        Difficulty::Medium
    } else {
        Difficulty::Hard
    }
}

fn finish(ctx: &Ctx, d: Draft, topic: &IdentifiedTopic, n: usize) -> (Question, f64) {
    let sentence = &ctx.corpus.sentences[d.sentence];
    let kind_bonus = match d.kind {
        QuestionType::TrueFalse => -0.5,
        QuestionType::MultipleChoice => 0.0,
        QuestionType::Cloze => 0.25,
        QuestionType::ShortAnswer => 0.5,
        QuestionType::Essay => 1.5,
    };
    let base = match sentence_difficulty(ctx, d.sentence, &d.term) {
        Difficulty::Easy => 0.0,
        Difficulty::Medium => 1.0,
        Difficulty::Hard => 2.0,
    };
    let objective = ctx
        .analysis
        .objectives
        .iter()
        .find(|o| o.topic == topic.name)
        .map_or_else(|| format!("Understand {}", topic.name), |o| o.text.clone());
    let explanation = match (&d.kind, &d.answer) {
        (QuestionType::Essay, _) => format!(
            "Page {} introduces {}: \"{}\"",
            sentence.page, topic.name, sentence.text
        ),
        (_, Some(a)) => format!(
            "Page {} says: \"{}\" (answer: {a})",
            sentence.page, sentence.text
        ),
        (_, None) => format!("Page {} says: \"{}\"", sentence.page, sentence.text),
    };
    let question = Question {
        id: format!("q-{n}"),
        text: d.text,
        kind: d.kind,
        options: d.options,
        correct_answer: d.answer,
        difficulty: level(base + kind_bonus),
        topic: topic.name.clone(),
        learning_objective: objective,
        source: QuestionSource {
            page: sentence.page,
            sentence: sentence.text.clone(),
        },
        explanation,
        rubric: d.rubric,
    };
    (question, d.confidence)
}

#[cfg(test)]
mod tests;

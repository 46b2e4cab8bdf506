//! Multiple-choice and true/false questions: a key term blanked out with three same-kind
//! distractors, or the sentence stated as is (true) or with the term swapped for another of
//! the same kind (false) — never a bare negation.

use kiro_types::assessment::QuestionType;

use super::candidates::Candidate;
use super::distractors;
use super::draft::{Ctx, Draft, Used, blank_out, ordered};
use super::rng::Rng;
use crate::text;

/// A multiple-choice question from the first candidate that gets three distractors.
pub fn multiple_choice(
    ctx: &Ctx,
    candidates: &[Candidate],
    used: &Used,
    rng: &mut Rng,
) -> Option<Draft> {
    for c in ordered(candidates, used, rng) {
        let sentence = &ctx.corpus.sentences[c.sentence].text;
        let at_start = text::find_phrase(sentence, &c.term).is_some_and(|r| r.start == 0);
        let wrong = distractors::pick(&c.term, &ctx.pool, 3, at_start, rng);
        if wrong.len() < 3 {
            continue;
        }
        let Some(blanked) = blank_out(sentence, &c.term, "____") else {
            continue;
        };
        let mut options = wrong;
        options.push(c.term.clone());
        rng.shuffle(&mut options);
        return Some(Draft {
            kind: QuestionType::MultipleChoice,
            text: format!("Which term completes the sentence: \"{blanked}\"?"),
            options: Some(options),
            answer: Some(c.term.clone()),
            sentence: c.sentence,
            rubric: Vec::new(),
            term: c.term.clone(),
            confidence: 0.85,
        });
    }
    None
}

/// A true/false statement: the sentence as is, or with its term (or a number) swapped.
pub fn true_false(
    ctx: &Ctx,
    candidates: &[Candidate],
    used: &Used,
    rng: &mut Rng,
) -> Option<Draft> {
    for c in ordered(candidates, used, rng) {
        let sentence = &ctx.corpus.sentences[c.sentence].text;
        let truth = rng.below(2) == 0;
        let statement = if truth {
            Some(sentence.clone())
        } else {
            false_statement(sentence, &c.term, &ctx.pool, rng)
        };
        let Some(statement) = statement else {
            continue;
        };
        return Some(Draft {
            kind: QuestionType::TrueFalse,
            text: format!("True or false: {statement}"),
            options: Some(vec!["True".to_owned(), "False".to_owned()]),
            answer: Some(if truth { "True" } else { "False" }.to_owned()),
            sentence: c.sentence,
            rubric: Vec::new(),
            term: c.term.clone(),
            confidence: if truth { 0.8 } else { 0.7 },
        });
    }
    None
}

/// The sentence with a year or number changed, else the term swapped for a same-kind term.
fn false_statement(sentence: &str, term: &str, pool: &[String], rng: &mut Rng) -> Option<String> {
    let number = text::words(sentence)
        .into_iter()
        .find(|w| w.len() >= 2 && w.chars().all(|c| c.is_ascii_digit()));
    if let Some(n) = number
        && let Some(other) = distractors::other_number(n, rng)
    {
        return blank_out(sentence, n, &other);
    }
    let at_start = text::find_phrase(sentence, term).is_some_and(|r| r.start == 0);
    let swap = distractors::pick(term, pool, 1, at_start, rng)
        .into_iter()
        .next()?;
    blank_out(sentence, term, &swap)
}

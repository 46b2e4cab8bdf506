//! Questions answered from memory: cloze (a key term blanked), short answer (a definition
//! "X is a Y …" → "What is X?", an acronym "X (ABC)" → "What does ABC stand for?", else a
//! wh-question) and essay (explain a topic, marked against a rubric of its key terms).

use kiro_types::assessment::{IdentifiedTopic, QuestionType};

use super::candidates::{self, Candidate};
use super::draft::{Ctx, Draft, Used, blank_out, ordered};
use super::rng::Rng;
use super::wh;
use crate::text;

/// A cloze question: the first unused candidate with its term blanked.
pub fn cloze(ctx: &Ctx, candidates: &[Candidate], used: &Used, rng: &mut Rng) -> Option<Draft> {
    let c = ordered(candidates, used, rng).into_iter().next()?;
    let sentence = &ctx.corpus.sentences[c.sentence].text;
    let blanked = blank_out(sentence, &c.term, "_____")?;
    Some(Draft {
        kind: QuestionType::Cloze,
        text: format!("Fill in the blank: {blanked}"),
        options: None,
        answer: Some(c.term.clone()),
        sentence: c.sentence,
        rubric: Vec::new(),
        term: c.term.clone(),
        confidence: 0.8,
    })
}

/// Copulas that introduce a definition, longest first.
const COPULAS: &[&str] = &[
    " is defined as ",
    " refers to ",
    " is a ",
    " is an ",
    " is the ",
    " are ",
    " means ",
];

/// A short-answer question: a definition or an acronym among the candidates, else a
/// wh-question whose answer is the candidate's term.
pub fn short_answer(
    ctx: &Ctx,
    candidates: &[Candidate],
    used: &Used,
    rng: &mut Rng,
) -> Option<Draft> {
    let order = ordered(candidates, used, rng);
    let make = |c: &Candidate, text: String, answer: String, confidence: f64| Draft {
        kind: QuestionType::ShortAnswer,
        text,
        options: None,
        answer: Some(answer),
        sentence: c.sentence,
        rubric: Vec::new(),
        term: c.term.clone(),
        confidence,
    };
    for c in &order {
        let sentence = &ctx.corpus.sentences[c.sentence].text;
        if let Some((acronym, expansion)) = acronym(sentence) {
            return Some(make(
                c,
                format!("What does {acronym} stand for?"),
                expansion,
                0.8,
            ));
        }
        if let Some((subject, copula, definition)) = definition(sentence, &c.term) {
            let verb = if copula.trim() == "are" { "are" } else { "is" };
            return Some(make(c, format!("What {verb} {subject}?"), definition, 0.75));
        }
    }
    for c in &order {
        let sentence = &ctx.corpus.sentences[c.sentence].text;
        let Some(q) = wh::wh_question(sentence) else {
            continue;
        };
        if text::contains_phrase(&q.answer, &c.term) && !text::contains_phrase(&q.question, &c.term)
        {
            let question = capitalise(q.question.trim_end_matches(" ?")) + "?";
            return Some(make(c, question, c.term.clone(), 0.55));
        }
    }
    None
}

/// "X is a Y that …" → (X, copula, "a Y that …" up to the clause end), when X holds the term.
fn definition(sentence: &str, term: &str) -> Option<(String, &'static str, String)> {
    let lower = sentence.to_lowercase();
    let (copula, at) = COPULAS
        .iter()
        .find_map(|c| lower.find(c).map(|at| (*c, at)))?;
    let subject = sentence.get(..at)?.trim();
    let subject_words = text::words(subject);
    if subject_words.is_empty() || subject_words.len() > 6 || !text::contains_phrase(subject, term)
    {
        return None;
    }
    let subject = strip_article(subject);
    let start = at
        + match copula {
            " is a " | " is an " | " is the " => 4,
            other => other.len(),
        };
    let rest = sentence.get(start..)?.trim();
    let cut = rest.find([',', ';', '.']).unwrap_or(rest.len());
    let def: Vec<&str> = rest[..cut].split_whitespace().take(15).collect();
    (def.len() >= 2).then(|| (subject.to_owned(), copula, def.join(" ")))
}

fn strip_article(s: &str) -> &str {
    for a in ["The ", "the ", "An ", "an ", "A ", "a "] {
        if let Some(rest) = s.strip_prefix(a) {
            return rest;
        }
    }
    s
}

/// "Portable Document Format (PDF)" → ("PDF", "Portable Document Format").
pub fn acronym(sentence: &str) -> Option<(String, String)> {
    let open = sentence.find('(')?;
    let close = open + sentence[open..].find(')')?;
    let inner = sentence[open + 1..close].trim();
    let letters: Vec<char> = inner.chars().collect();
    if !(2..=6).contains(&letters.len()) || !letters.iter().all(|c| c.is_ascii_uppercase()) {
        return None;
    }
    let before = text::words(&sentence[..open]);
    let n = letters.len();
    let tail = before.get(before.len().checked_sub(n)?..)?;
    let matches = tail.iter().zip(&letters).all(|(w, l)| {
        w.chars()
            .next()
            .is_some_and(|f| f.to_ascii_uppercase() == *l)
    });
    matches.then(|| (inner.to_owned(), tail.join(" ")))
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map_or(String::new(), |f| f.to_uppercase().chain(chars).collect())
}

/// An essay question on a topic, its rubric 4–6 of the topic's terms (fewer if it has fewer).
pub fn essay(
    ctx: &Ctx,
    topic: &IdentifiedTopic,
    candidates: &[Candidate],
    used: &Used,
) -> Option<Draft> {
    if used.essays.contains(&topic.name) {
        return None;
    }
    let c = candidates
        .iter()
        .find(|c| !used.sentences.contains(&c.sentence))?;
    let mut rubric: Vec<String> = Vec::new();
    let extra = ctx.analysis.key_terms.iter().filter(|k| {
        let pages = ctx.corpus.pages_of(&ctx.corpus.mentions(k));
        pages.iter().any(|p| topic.pages.contains(p))
    });
    for term in candidates::topic_terms(topic)
        .into_iter()
        .chain(extra.map(String::as_str))
    {
        if rubric.len() >= 6 {
            break;
        }
        if !rubric.iter().any(|r| r.eq_ignore_ascii_case(term)) {
            rubric.push(term.to_owned());
        }
    }
    if rubric.len() < 2 {
        return None;
    }
    let name = &topic.name;
    Some(Draft {
        kind: QuestionType::Essay,
        text: format!(
            "Explain {name} as the document presents it: what it is, how it relates to {}, and why it matters.",
            rubric[1]
        ),
        options: None,
        answer: None,
        sentence: c.sentence,
        rubric,
        term: name.clone(),
        confidence: if topic.keywords.len() + topic.subtopics.len() >= 3 {
            0.65
        } else {
            0.5
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn definitions_and_acronyms_are_recognised() {
        let d = definition(
            "An electric field is a region where charges feel a force, always.",
            "electric field",
        );
        assert_eq!(
            d,
            Some((
                "electric field".into(),
                " is a ",
                "a region where charges feel a force".into()
            ))
        );
        assert_eq!(
            acronym("We use the Portable Document Format (PDF) for papers."),
            Some(("PDF".into(), "Portable Document Format".into()))
        );
        assert_eq!(acronym("Nothing (here) to see."), None);
    }
}

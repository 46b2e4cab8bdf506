//! Rule-based wh-questions from one sentence: find the subject and the finite verb, choose
//! the answer phrase (a year or number in the predicate, else the subject), pick the wh-word
//! by the answer's type and rebuild the question around the verb. Used for short-answer
//! questions and scored on its own by the question-generation benchmark.

use crate::text;

/// Auxiliaries and copulas that can head a question.
const AUX: &[&str] = &[
    "are", "can", "could", "did", "do", "does", "had", "has", "have", "is", "may", "might", "must",
    "should", "was", "were", "will", "would",
];

/// Frequent irregular past-tense verbs.
const IRREGULAR: &[(&str, &str)] = &[
    ("became", "become"),
    ("began", "begin"),
    ("brought", "bring"),
    ("built", "build"),
    ("came", "come"),
    ("chose", "choose"),
    ("found", "find"),
    ("gave", "give"),
    ("got", "get"),
    ("grew", "grow"),
    ("held", "hold"),
    ("kept", "keep"),
    ("knew", "know"),
    ("led", "lead"),
    ("left", "leave"),
    ("lost", "lose"),
    ("made", "make"),
    ("meant", "mean"),
    ("met", "meet"),
    ("paid", "pay"),
    ("ran", "run"),
    ("said", "say"),
    ("sent", "send"),
    ("sold", "sell"),
    ("spent", "spend"),
    ("stood", "stand"),
    ("taught", "teach"),
    ("thought", "think"),
    ("took", "take"),
    ("told", "tell"),
    ("went", "go"),
    ("won", "win"),
    ("wrote", "write"),
];

/// Words that open an introductory phrase moved to the end of a question.
const OPENERS: &[&str] = &[
    "after",
    "although",
    "as",
    "at",
    "before",
    "by",
    "despite",
    "during",
    "following",
    "for",
    "from",
    "however",
    "in",
    "on",
    "since",
    "through",
    "under",
    "when",
    "while",
    "with",
    "within",
];

/// Person words that make the subject a "who".
const PEOPLE: &[&str] = &[
    "he",
    "she",
    "they",
    "king",
    "president",
    "people",
    "scientists",
    "students",
];

/// A question and the answer phrase it asks for.
#[derive(Debug, Clone, PartialEq)]
pub struct WhQuestion {
    pub question: String,
    pub answer: String,
}

/// The best single question for one sentence (lower-cased and tokenised, as in the SQuAD
/// split), or `None` when no rule applies.
pub fn question_for_sentence(sentence: &str) -> Option<String> {
    wh_question(sentence).map(|q| q.question)
}

/// Splits punctuation off words: "paris, france." → ["paris", ",", "france", "."].
pub fn tokenize(sentence: &str) -> Vec<String> {
    let mut out = Vec::new();
    for raw in sentence.split_whitespace() {
        let mut word = String::new();
        for c in raw.chars() {
            if c.is_alphanumeric() || (c == '\'' || c == '-' || c == '.') && !word.is_empty() {
                word.push(c);
            } else {
                if !word.is_empty() {
                    out.push(std::mem::take(&mut word));
                }
                out.push(c.to_string());
            }
        }
        if let Some(stripped) = word.strip_suffix('.').filter(|w| !w.contains('.')) {
            out.push(stripped.to_owned());
            out.push(".".to_owned());
        } else if !word.is_empty() {
            out.push(word);
        }
    }
    out
}

/// Transforms one sentence into a wh-question with its answer.
pub fn wh_question(sentence: &str) -> Option<WhQuestion> {
    let mut tokens = tokenize(sentence);
    while tokens
        .last()
        .is_some_and(|t| matches!(t.as_str(), "." | "!" | "?" | ";" | ":"))
    {
        tokens.pop();
    }
    let lower: Vec<String> = tokens.iter().map(|t| t.to_lowercase()).collect();
    let (intro, rest) = split_intro(&lower);
    let verb = find_verb(rest)?;
    let subject = &rest[..verb];
    let predicate = &rest[verb..];
    if subject.is_empty() {
        let intro = intro.filter(|i| !i.is_empty())?;
        let answer = clause(predicate.get(1..).unwrap_or(&[])).join(" ");
        return Some(WhQuestion {
            question: render("what", &[predicate[0].as_str()], intro, &[]),
            answer,
        });
    }
    if let Some(year) = year_phrase(predicate).or_else(|| intro.and_then(year_phrase)) {
        let (aux, main) = auxiliary(&predicate[0]);
        let mut body: Vec<&str> = vec![aux.as_str()];
        body.extend(subject.iter().map(String::as_str));
        if let Some(m) = &main {
            body.push(m);
        }
        let tail: Vec<String> = predicate[1..]
            .iter()
            .enumerate()
            .filter(|(i, _)| !(year.0 <= i + 1 && i + 1 < year.1))
            .map(|(_, t)| t.clone())
            .collect();
        let answer = predicate
            .get(year.0..year.1)
            .map(|a| a.join(" "))
            .unwrap_or_default();
        let mut q = WhQuestion {
            question: String::new(),
            answer,
        };
        let clause = clause(&tail);
        q.question = render("when", &body, clause, &[]);
        if q.answer.is_empty() {
            q.answer = intro.map(|i| i.join(" ")).unwrap_or_default();
        }
        return Some(q);
    }
    let wh = if subject.iter().any(|w| PEOPLE.contains(&w.as_str())) {
        "who"
    } else {
        "what"
    };
    let q = render(
        wh,
        &[predicate[0].as_str()],
        clause(&predicate[1..]),
        intro.unwrap_or(&[]),
    );
    Some(WhQuestion {
        question: q,
        answer: subject.join(" "),
    })
}

fn render(wh: &str, head: &[&str], body: &[String], tail: &[String]) -> String {
    let mut words: Vec<&str> = vec![wh];
    words.extend(head.iter().copied());
    words.extend(body.iter().map(String::as_str));
    words.extend(tail.iter().map(String::as_str).filter(|w| *w != ","));
    while words
        .last()
        .is_some_and(|w| matches!(*w, "," | "and" | "or" | "the" | "a"))
    {
        words.pop();
    }
    format!("{} ?", words.join(" "))
}

/// The most words of a predicate kept: human questions are short, long ones lose precision.
const MAX_CLAUSE: usize = 10;

/// The predicate cut at the first clause boundary after a few words, at most [`MAX_CLAUSE`].
fn clause(words: &[String]) -> &[String] {
    let cut = words
        .iter()
        .enumerate()
        .skip(4)
        .find(|(_, w)| {
            matches!(
                w.as_str(),
                "," | ";" | "which" | "where" | "while" | "who" | "although" | "because"
            )
        })
        .map_or(words.len(), |(i, _)| i);
    &words[..cut.min(MAX_CLAUSE)]
}

/// An introductory phrase ("in 1858 , …") and the clause after it.
fn split_intro(lower: &[String]) -> (Option<&[String]>, &[String]) {
    let comma = lower.iter().take(14).position(|t| t == ",");
    match comma {
        Some(c)
            if c > 0
                && (OPENERS.contains(&lower[0].as_str()) || find_verb(&lower[..c]).is_none()) =>
        {
            (Some(&lower[..c]), &lower[c + 1..])
        }
        _ => (None, lower),
    }
}

/// The finite verb: the first auxiliary or past-tense word within the first twelve words.
fn find_verb(words: &[String]) -> Option<usize> {
    words.iter().take(14).position(|w| {
        AUX.contains(&w.as_str())
            || IRREGULAR.iter().any(|(past, _)| past == w)
            || (w.len() > 4 && w.ends_with("ed") && w.chars().all(char::is_alphabetic))
    })
}

/// The auxiliary that heads a question for this verb, and the main verb after the subject.
fn auxiliary(verb: &str) -> (String, Option<String>) {
    if AUX.contains(&verb) {
        return (verb.to_owned(), None);
    }
    if let Some((_, base)) = IRREGULAR.iter().find(|(past, _)| *past == verb) {
        return ("did".to_owned(), Some((*base).to_owned()));
    }
    let base = if let Some(stem) = verb.strip_suffix("ied") {
        format!("{stem}y")
    } else if verb.ends_with("ated")
        || verb.ends_with("ured")
        || verb.ends_with("ized")
        || verb.ends_with("ised")
    {
        verb.trim_end_matches('d').to_owned()
    } else {
        verb.trim_end_matches("ed").to_owned()
    };
    ("did".to_owned(), Some(base))
}

/// The span of "in 1858" / "1858" (a year) in a word list.
fn year_phrase(words: &[String]) -> Option<(usize, usize)> {
    let at = words.iter().position(|w| {
        w.len() == 4
            && text::is_number(w)
            && w.parse::<u32>().is_ok_and(|y| (1000..=2100).contains(&y))
    })?;
    let start = if at > 0 && matches!(words[at - 1].as_str(), "in" | "on" | "since" | "by") {
        at - 1
    } else {
        at
    };
    Some((start, at + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_become_when_questions() {
        let q = wh_question("the university was founded in 1842 by father sorin .");
        assert_eq!(
            q.map(|q| q.question),
            Some("when was the university founded by father sorin ?".into())
        );
        let q = question_for_sentence("faraday discovered induction in 1831 .");
        assert_eq!(q.as_deref(), Some("when did faraday discover induction ?"));
    }

    #[test]
    fn subjects_become_what_questions_and_intros_are_kept() {
        let q = wh_question("the basilica is next to the main building .");
        assert_eq!(
            q.clone().map(|q| q.question),
            Some("what is next to the main building ?".into())
        );
        assert_eq!(q.map(|q| q.answer), Some("the basilica".into()));
        let q = question_for_sentence(
            "immediately in front of the main building , is a copper statue of christ .",
        );
        assert_eq!(
            q.as_deref(),
            Some("what is immediately in front of the main building ?")
        );
    }

    #[test]
    fn no_verb_no_question() {
        assert_eq!(
            question_for_sentence("a list of words without any verb"),
            None
        );
    }
}

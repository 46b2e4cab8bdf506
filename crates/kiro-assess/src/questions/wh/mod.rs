//! Rule-based wh-questions from one sentence: find the subject and the finite verb, choose
//! the answer phrase (a year or number in the predicate, else the subject), pick the wh-word
//! by the answer's type and rebuild the question around the verb. Used for short-answer
//! questions and scored on its own by the question-generation benchmark.

use crate::text;

mod lexicon;

use lexicon::{AUX, BRACKETS, COUNTS, IRREGULAR, MONTHS, NOUN_STOP, OPENERS, PEOPLE};

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
        if is_kept_token(raw) {
            out.push(raw.to_owned());
            continue;
        }
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

/// A token already in the split's form: a clitic ("'s", "n't"), a run of punctuation
/// ("--", "``"), or a bracket marker ("-lrb-").
fn is_kept_token(raw: &str) -> bool {
    let clitic =
        raw.starts_with('\'') && raw.len() > 1 && raw[1..].chars().all(char::is_alphabetic)
            || raw == "n't";
    let punctuation_run = raw.chars().count() > 1 && raw.chars().all(|c| c.is_ascii_punctuation());
    clitic || punctuation_run || BRACKETS.contains(&raw)
}

/// The sentence without bracketed asides and quote marks: questions rarely repeat them.
fn without_asides(tokens: Vec<String>) -> Vec<String> {
    let mut depth = 0usize;
    let mut out = Vec::with_capacity(tokens.len());
    for t in tokens {
        match t.as_str() {
            "-lrb-" | "-lsb-" | "-lcb-" | "(" | "[" => depth += 1,
            "-rrb-" | "-rsb-" | "-rcb-" | ")" | "]" => depth = depth.saturating_sub(1),
            "``" | "''" | "\"" => {}
            _ if depth == 0 => out.push(t),
            _ => {}
        }
    }
    out
}

/// Transforms one sentence into a wh-question with its answer.
pub fn wh_question(sentence: &str) -> Option<WhQuestion> {
    let mut tokens = without_asides(tokenize(sentence));
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
    if let Some(count) = count_phrase(predicate) {
        let (aux, main) = auxiliary(&predicate[0]);
        let mut body: Vec<&str> = vec!["many"];
        body.extend(predicate[count.1..count.2].iter().map(String::as_str));
        body.push(aux.as_str());
        body.extend(subject.iter().map(String::as_str));
        if let Some(m) = &main {
            body.push(m);
        }
        let before: Vec<String> = predicate[1..count.0].to_vec();
        return Some(WhQuestion {
            question: render("how", &body, clause(&before), &[]),
            answer: predicate[count.0..count.2].join(" "),
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
            .filter(|(i, t)| !(year.0 <= i + 1 && i + 1 < year.1 || i + 1 == year.1 && *t == ","))
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

fn is_year(word: &str) -> bool {
    word.len() == 4
        && text::is_number(word)
        && word
            .parse::<u32>()
            .is_ok_and(|y| (1000..=2100).contains(&y))
}

/// The span of a date: "in 1858", "on february 7 , 2016", "march 1990", "1858".
fn year_phrase(words: &[String]) -> Option<(usize, usize)> {
    let month = words.iter().enumerate().position(|(i, w)| {
        MONTHS.contains(&w.as_str())
            && words
                .get(i + 1)
                .is_some_and(|n| text::is_number(n) && n.len() <= 4)
    });
    let at = month.or_else(|| words.iter().position(|w| is_year(w)))?;
    let mut end = at + 1;
    if month.is_some() {
        end += 1;
        if words.get(end).is_some_and(|w| w == ",")
            && words.get(end + 1).is_some_and(|w| is_year(w))
        {
            end += 2;
        }
    }
    let start = if at > 0 && matches!(words[at - 1].as_str(), "in" | "on" | "since" | "by") {
        at - 1
    } else {
        at
    };
    Some((start, end))
}

/// A counted noun in a predicate: (number, noun start, noun end), as in "recorded five solo
/// tackles". Years and the verb itself are not counts.
fn count_phrase(predicate: &[String]) -> Option<(usize, usize, usize)> {
    let window = &predicate[..predicate.len().min(MAX_CLAUSE + 1)];
    let at = window.iter().enumerate().skip(1).position(|(_, w)| {
        COUNTS.contains(&w.as_str())
            || (text::is_number(w) && !is_year(w) && w.chars().all(|c| c.is_ascii_digit()))
    })? + 1;
    let nouns = predicate[at + 1..]
        .iter()
        .take(3)
        .take_while(|w| {
            !NOUN_STOP.contains(&w.as_str()) && w.chars().all(|c| c.is_alphabetic() || c == '-')
        })
        .count();
    (nouns > 0).then_some((at, at + 1, at + 1 + nouns))
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
    fn dates_and_counts_are_asked_for() {
        let q = wh_question("the game was played on february 7 , 2016 , at levi 's stadium .");
        assert_eq!(
            q.map(|q| (q.question, q.answer)),
            Some((
                "when was the game played at levi 's stadium ?".into(),
                "on february 7 , 2016".into()
            ))
        );
        let q = wh_question("the panthers recorded five solo tackles in the game .");
        assert_eq!(
            q.map(|q| (q.question, q.answer)),
            Some((
                "how many solo tackles did the panthers record ?".into(),
                "five solo tackles".into()
            ))
        );
    }

    #[test]
    fn split_tokens_and_asides_survive_tokenizing() {
        assert_eq!(
            tokenize("levi 's stadium -- the -lrb- afc -rrb- `` gold ''"),
            [
                "levi", "'s", "stadium", "--", "the", "-lrb-", "afc", "-rrb-", "``", "gold", "''"
            ]
        );
        let q = wh_question("the american football conference -lrb- afc -rrb- is a league .");
        assert_eq!(
            q.map(|q| q.answer),
            Some("the american football conference".into())
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

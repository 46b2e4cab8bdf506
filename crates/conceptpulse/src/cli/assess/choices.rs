//! A question's choices as the terminal shows them (lettered A, B, C, D; true/false as T/F)
//! and what a typed answer means: a letter, a number or a choice's text becomes that choice's
//! text, so the answer stored is what the learner chose. Free-text answers pass as typed.

use kiro_sdk::kiro_types::assessment::{Question, QuestionType};

/// The letter of the `index`th choice: A, B, C, …
pub fn letter(index: usize) -> char {
    u8::try_from(index)
        .ok()
        .and_then(|i| b'A'.checked_add(i))
        .map_or('?', char::from)
}

/// The choices, one per line: `A) …` (empty for free-text questions).
pub fn lettered(question: &Question) -> Vec<String> {
    question
        .options
        .iter()
        .flatten()
        .enumerate()
        .map(|(i, option)| format!("{}) {option}", letter(i)))
        .collect()
}

/// What to type, for the prompt: `A-D`, `T/F`, or nothing for free text.
pub fn expected(question: &Question) -> Option<String> {
    match (question.kind, question.options.as_deref()) {
        (QuestionType::TrueFalse, _) => Some("T/F".to_owned()),
        (QuestionType::MultipleChoice, Some(options)) if !options.is_empty() => {
            Some(format!("A-{}", letter(options.len() - 1)))
        }
        _ => None,
    }
}

/// The answer `typed` gives to `question`; an empty line is no answer. A choice question
/// refuses what names none of its choices, saying what to type.
pub fn answer(question: &Question, typed: &str) -> Result<String, String> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Ok(String::new());
    }
    let options = match question.options.as_deref() {
        Some(options) if question.kind.is_choice() && !options.is_empty() => options,
        _ => return Ok(typed.to_owned()),
    };
    if let Some(option) = options
        .iter()
        .find(|o| o.trim().eq_ignore_ascii_case(typed))
    {
        return Ok(option.clone());
    }
    if let Some(option) = named(options, typed) {
        return Ok(option.clone());
    }
    if question.kind == QuestionType::TrueFalse {
        let truth = match typed.to_lowercase().as_str() {
            "t" | "true" | "y" | "yes" => Some("true"),
            "f" | "false" | "n" | "no" => Some("false"),
            _ => None,
        };
        if let Some(option) = truth.and_then(|t| options.iter().find(|o| o.eq_ignore_ascii_case(t)))
        {
            return Ok(option.clone());
        }
        return Err("answer T (true) or F (false)".to_owned());
    }
    Err(format!(
        "answer with a letter from A to {} (or the choice's text)",
        letter(options.len() - 1)
    ))
}

/// The option a letter (`b`, `B)`, `(c)`) or a 1-based number names.
fn named<'a>(options: &'a [String], typed: &str) -> Option<&'a String> {
    let core = typed
        .trim_matches(|c: char| matches!(c, '(' | ')' | '.' | ':'))
        .trim();
    let mut chars = core.chars();
    let index = match (chars.next(), chars.next()) {
        (Some(c), None) if c.is_ascii_alphabetic() => {
            usize::from(c.to_ascii_uppercase() as u8).checked_sub(usize::from(b'A'))?
        }
        _ => core.parse::<usize>().ok()?.checked_sub(1)?,
    };
    options.get(index)
}

#[cfg(test)]
mod tests {
    use kiro_sdk::kiro_types::assessment::{Difficulty, QuestionSource};

    use super::*;

    fn question(kind: QuestionType, options: &[&str]) -> Question {
        Question {
            id: "q1".into(),
            text: "?".into(),
            kind,
            options: (!options.is_empty())
                .then(|| options.iter().map(|o| (*o).to_owned()).collect()),
            correct_answer: None,
            difficulty: Difficulty::Easy,
            topic: "t".into(),
            learning_objective: "o".into(),
            source: QuestionSource {
                page: 1,
                sentence: "s".into(),
            },
            explanation: "e".into(),
            rubric: Vec::new(),
        }
    }

    #[test]
    fn letters_numbers_and_text_name_a_choice() {
        let q = question(
            QuestionType::MultipleChoice,
            &["light", "sound", "mass", "charge"],
        );
        assert_eq!(lettered(&q)[1], "B) sound");
        assert_eq!(expected(&q).as_deref(), Some("A-D"));
        for typed in ["c", "C", "C)", "(c)", "3", " mass ", "MASS"] {
            assert_eq!(answer(&q, typed).as_deref(), Ok("mass"), "{typed}");
        }
        assert_eq!(answer(&q, "").as_deref(), Ok(""), "no answer");
        let refused = answer(&q, "E").err().unwrap_or_default();
        assert!(refused.contains("A to D"), "{refused}");
        assert!(answer(&q, "5").is_err() && answer(&q, "energy").is_err());
    }

    #[test]
    fn true_false_takes_t_f_yes_no_and_letters() {
        let q = question(QuestionType::TrueFalse, &["True", "False"]);
        assert_eq!(expected(&q).as_deref(), Some("T/F"));
        for (typed, meant) in [
            ("t", "True"),
            ("F", "False"),
            ("yes", "True"),
            ("B", "False"),
        ] {
            assert_eq!(answer(&q, typed).as_deref(), Ok(meant), "{typed}");
        }
        assert!(answer(&q, "maybe").is_err());
    }

    #[test]
    fn free_text_passes_as_typed() {
        let q = question(QuestionType::ShortAnswer, &[]);
        assert_eq!(expected(&q), None);
        assert!(lettered(&q).is_empty());
        assert_eq!(answer(&q, "  the ether \n").as_deref(), Ok("the ether"));
    }
}

//! Asking a quiz's questions one at a time: "Question i of N", the topic and difficulty, the
//! lettered choices, one line read per answer and the time it took. At a terminal a refused
//! answer is asked again; from a pipe it stops the quiz (nothing is submitted), so a script's
//! answers never shift onto the wrong questions.

use std::io::{BufRead, Write};
use std::time::Instant;

use kiro_sdk::kiro_types::assessment::{AnswerIn, Question};

use super::choices;
use super::questions::wire_name;
use super::render;

/// Why the answers could not all be read.
#[derive(Debug, thiserror::Error)]
pub enum AskError {
    #[error("the input ended after {answered} of {total} answers; nothing was submitted")]
    Ended { answered: usize, total: usize },
    #[error("question {number}: {message}; nothing was submitted")]
    Refused { number: usize, message: String },
    #[error("cannot read the answers: {0}")]
    Io(#[from] std::io::Error),
}

/// Asks each of `questions` on `prompt` and reads its answer from `input`; `interactive`
/// when a person types (refused answers are asked again, times are shown).
pub fn ask_all(
    questions: &[Question],
    input: &mut impl BufRead,
    prompt: &mut impl Write,
    interactive: bool,
) -> Result<Vec<AnswerIn>, AskError> {
    let total = questions.len();
    let mut answers = Vec::with_capacity(total);
    for (i, question) in questions.iter().enumerate() {
        show(question, i + 1, total, prompt)?;
        let started = Instant::now();
        let answer = loop {
            write!(prompt, "{}", ask_line(question))?;
            prompt.flush()?;
            let mut line = String::new();
            if input.read_line(&mut line)? == 0 {
                writeln!(prompt)?;
                return Err(AskError::Ended { answered: i, total });
            }
            match choices::answer(question, &line) {
                Ok(answer) => break answer,
                Err(message) if interactive => writeln!(prompt, "  {message}.")?,
                Err(message) => {
                    return Err(AskError::Refused {
                        number: i + 1,
                        message,
                    });
                }
            }
        };
        let seconds = u32::try_from(started.elapsed().as_secs()).unwrap_or(u32::MAX);
        if interactive {
            writeln!(prompt, "  ({})", render::duration(seconds))?;
        }
        writeln!(prompt)?;
        answers.push(AnswerIn {
            question_id: question.id.clone(),
            answer,
            time_spent: seconds,
        });
    }
    Ok(answers)
}

fn show(
    question: &Question,
    number: usize,
    total: usize,
    prompt: &mut impl Write,
) -> std::io::Result<()> {
    let difficulty = wire_name(&question.difficulty);
    writeln!(
        prompt,
        "Question {number} of {total} · {} · {difficulty}",
        question.topic
    )?;
    writeln!(prompt, "{}", question.text)?;
    for choice in choices::lettered(question) {
        writeln!(prompt, "  {choice}")?;
    }
    Ok(())
}

fn ask_line(question: &Question) -> String {
    match choices::expected(question) {
        Some(expected) => format!("Answer ({expected}): "),
        None => "Answer (one line; empty to skip): ".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use kiro_sdk::kiro_types::assessment::{Difficulty, QuestionSource, QuestionType};

    use super::*;

    fn question(id: &str, kind: QuestionType, options: Option<&[&str]>) -> Question {
        Question {
            id: id.into(),
            text: format!("Question text {id}"),
            kind,
            options: options.map(|o| o.iter().map(|s| (*s).to_owned()).collect()),
            correct_answer: None,
            difficulty: Difficulty::Medium,
            topic: "relativity".into(),
            learning_objective: "o".into(),
            source: QuestionSource {
                page: 1,
                sentence: "s".into(),
            },
            explanation: "e".into(),
            rubric: Vec::new(),
        }
    }

    fn quiz() -> Vec<Question> {
        vec![
            question(
                "q1",
                QuestionType::MultipleChoice,
                Some(&["light", "sound", "mass", "charge"]),
            ),
            question("q2", QuestionType::TrueFalse, Some(&["True", "False"])),
            question("q3", QuestionType::ShortAnswer, None),
        ]
    }

    #[test]
    fn piped_answers_become_the_choices_they_name() -> Result<(), AskError> {
        let mut input = "b\nf\nthe ether\n".as_bytes();
        let mut shown = Vec::new();
        let answers = ask_all(&quiz(), &mut input, &mut shown, false)?;
        let given: Vec<_> = answers.iter().map(|a| a.answer.as_str()).collect();
        assert_eq!(given, ["sound", "False", "the ether"]);
        assert_eq!(answers[2].question_id, "q3");
        let shown = String::from_utf8_lossy(&shown);
        assert!(
            shown.contains("Question 1 of 3 · relativity · medium"),
            "{shown}"
        );
        assert!(shown.contains("  C) mass") && shown.contains("Answer (T/F): "));
        Ok(())
    }

    #[test]
    fn a_person_is_asked_again_and_a_pipe_is_stopped() -> Result<(), AskError> {
        let mut shown = Vec::new();
        let mut typed = "x\na\nt\n\n".as_bytes();
        let answers = ask_all(&quiz(), &mut typed, &mut shown, true)?;
        assert_eq!(answers[0].answer, "light");
        assert_eq!(answers[2].answer, "", "an empty line skips");
        assert!(String::from_utf8_lossy(&shown).contains("from A to D"));

        let mut piped = "x\na\nt\n".as_bytes();
        let refused = ask_all(&quiz(), &mut piped, &mut Vec::new(), false);
        assert!(matches!(refused, Err(AskError::Refused { number: 1, .. })));
        Ok(())
    }

    #[test]
    fn input_that_ends_early_submits_nothing() {
        let mut input = "a\n".as_bytes();
        let ended = ask_all(&quiz(), &mut input, &mut Vec::new(), false);
        assert!(
            matches!(
                ended,
                Err(AskError::Ended {
                    answered: 1,
                    total: 3
                })
            ),
            "{ended:?}"
        );
    }
}

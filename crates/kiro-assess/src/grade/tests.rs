#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use kiro_types::assessment::{Difficulty, QuestionSource};
use proptest::prelude::*;

use super::*;

fn question(kind: QuestionType, options: &[&str], key: Option<&str>, rubric: &[&str]) -> Question {
    Question {
        id: "q1".to_owned(),
        text: "?".to_owned(),
        kind,
        options: (!options.is_empty()).then(|| options.iter().map(|s| (*s).to_owned()).collect()),
        correct_answer: key.map(str::to_owned),
        difficulty: Difficulty::Medium,
        topic: "physics".to_owned(),
        learning_objective: "lo".to_owned(),
        source: QuestionSource {
            page: 1,
            sentence: String::new(),
        },
        explanation: String::new(),
        rubric: rubric.iter().map(|s| (*s).to_owned()).collect(),
    }
}

fn mcq() -> Question {
    let options = ["Newton", "Einstein", "Maxwell", "Bohr"];
    question(
        QuestionType::MultipleChoice,
        &options,
        Some("Einstein"),
        &[],
    )
}

#[test]
fn a_choice_is_right_by_text_letter_or_number() {
    for answer in ["Einstein", "  einstein ", "B", "b)", "(B)", "2"] {
        let m = mark(&mcq(), answer);
        assert!(m.correct && m.credit == 1.0, "{answer}: {m:?}");
    }
    let wrong = mark(&mcq(), "A");
    assert!(!wrong.correct);
    assert_eq!(wrong.credit, 0.0);
    assert_eq!(wrong.feedback, "The answer is Einstein.");
}

#[test]
fn true_false_accepts_its_word_or_initial() {
    let q = question(
        QuestionType::TrueFalse,
        &["True", "False"],
        Some("False"),
        &[],
    );
    assert!(mark(&q, "false").correct);
    assert!(mark(&q, "F").correct);
    assert!(mark(&q, "B").correct);
    assert!(!mark(&q, "True").correct);
}

#[test]
fn an_empty_answer_earns_nothing() {
    let m = mark(&mcq(), "   ");
    assert_eq!(m, Mark::new(0.0, false, "No answer given.".to_owned()));
}

#[test]
fn short_answers_match_by_stems_and_forgive_typos() {
    let q = question(
        QuestionType::ShortAnswer,
        &[],
        Some("the speed of light"),
        &[],
    );
    assert!(mark(&q, "Speed of light.").correct);
    assert!(mark(&q, "it is the speed of the light").correct);
    let typo = mark(&q, "sped of light");
    assert!(typo.correct && typo.credit == 1.0, "{typo:?}");
    assert!(typo.feedback.contains("spelling"));
    let partial = mark(&q, "the speed of sound");
    assert!(!partial.correct, "{partial:?}");
    assert!((partial.credit - 2.0 / 3.0).abs() < 1e-9, "{partial:?}");
    assert_eq!(
        partial.feedback,
        "Partly correct. The answer is the speed of light."
    );
}

#[test]
fn numbers_must_be_exact() {
    let q = question(QuestionType::Cloze, &[], Some("1905"), &[]);
    assert!(mark(&q, "1905").correct);
    let m = mark(&q, "1906");
    assert!(!m.correct && m.credit == 0.0);
}

#[test]
fn stemming_accepts_inflections() {
    let q = question(QuestionType::Cloze, &[], Some("moving bodies"), &[]);
    assert!(mark(&q, "moved body").correct);
}

#[test]
fn essays_earn_their_rubric_coverage_provisionally() {
    let rubric = [
        "relativity",
        "simultaneity",
        "light speed",
        "inertial frame",
        "ether",
    ];
    let q = question(QuestionType::Essay, &[], None, &rubric);
    let m = mark(
        &q,
        "Relativity shows that simultaneity depends on the inertial frames.",
    );
    assert!(m.provisional);
    assert!((m.credit - 0.6).abs() < 1e-9, "{m:?}");
    assert!(m.correct);
    assert_eq!(
        m.feedback,
        "Your answer covers 3 of 5 key terms: missing light speed, ether."
    );
}

#[test]
fn a_question_without_a_key_is_left_to_a_teacher() {
    let q = question(QuestionType::ShortAnswer, &[], None, &[]);
    let m = mark(&q, "anything");
    assert!(m.provisional && !m.correct);
}

#[test]
fn topic_scores_keep_first_seen_order() {
    let marks = vec![
        ("optics".to_owned(), 1.0),
        ("mechanics".to_owned(), 0.0),
        ("optics".to_owned(), 0.5),
    ];
    let scores = topic_scores(&marks);
    assert_eq!(scores.len(), 2);
    assert_eq!(scores[0].topic, "optics");
    assert_eq!(scores[0].score, 1.5);
    assert_eq!(scores[0].max_score, 2.0);
    assert_eq!(scores[0].percentage, 75.0);
    // (1.5 + 2) / (2 + 4) = 0.583: still weak.
    assert!(scores[0].weakness);
    assert!(scores[1].weakness);
}

#[test]
fn weakness_uses_the_beta_prior() {
    assert_eq!(weakness(1.0, 1.0), Some((WeaknessLevel::Mild, 0.6)));
    assert_eq!(weakness(0.0, 0.0), Some((WeaknessLevel::Moderate, 0.5)));
    assert_eq!(weakness(0.0, 4.0), Some((WeaknessLevel::Severe, 0.25)));
    assert_eq!(weakness(5.0, 6.0), None); // 7/10
    assert_eq!(weakness(4.0, 6.0).map(|w| w.0), Some(WeaknessLevel::Mild)); // 0.6
    assert_eq!(
        weakness(2.0, 6.0).map(|w| w.0),
        Some(WeaknessLevel::Moderate)
    ); // 0.4
    assert_eq!(
        weakness(f64::NAN, 3.0),
        Some((WeaknessLevel::Severe, 2.0 / 7.0))
    );
}

fn estimate(correct: f64, attempts: f64) -> f64 {
    weakness(correct, attempts).map_or(1.0, |w| w.1)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn the_estimate_is_a_probability_and_grows_with_correct_answers(
        attempts in 0u32..200,
        a in 0u32..200,
        b in 0u32..200,
    ) {
        let (lo, hi) = (a.min(b).min(attempts), a.max(b).min(attempts));
        let n = f64::from(attempts);
        if let Some((_, est)) = weakness(f64::from(lo), n) {
            prop_assert!((0.0..=1.0).contains(&est));
        }
        let exact = |c: u32| (f64::from(c) + 2.0) / (n + 4.0);
        prop_assert!(exact(lo) <= exact(hi));
        prop_assert!(estimate(f64::from(lo), n) <= estimate(f64::from(hi), n));
    }

    #[test]
    fn marking_never_panics_and_credit_stays_in_range(answer in any::<String>(), key in any::<String>()) {
        for kind in QuestionType::ALL {
            let q = question(kind, &["a", "b", "c", "d"], Some(&key), &["alpha", "beta"]);
            let m = mark(&q, &answer);
            prop_assert!((0.0..=1.0).contains(&m.credit));
        }
    }
}

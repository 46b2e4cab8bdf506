//! Question generation. SKELETON: the helper replaces the bodies; signatures are the contract.

use kiro_types::assessment::{Difficulty, Question, QuestionType};

use crate::Document;
use crate::analysis::Analysis;

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

/// Generates questions: deterministic for a given document, analysis and options.
pub fn generate(document: &Document, analysis: &Analysis, options: &GenerateOptions) -> Generated {
    let _ = (document, analysis, options);
    Generated {
        questions: Vec::new(),
        confidence: 0.0,
    }
}

/// Checks a question from any engine against the rules every question must meet; the error
/// says which rule failed.
pub fn validate(question: &Question, document: &Document) -> Result<(), String> {
    let _ = (question, document);
    Ok(())
}

//! Topic analysis. SKELETON: the helper replaces the bodies; signatures are the contract.

use kiro_types::assessment::{Complexity, IdentifiedTopic, LearningObjective, Section};

use crate::Document;

/// Everything the engine finds in a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    pub sections: Vec<Section>,
    /// Most important first.
    pub topics: Vec<IdentifiedTopic>,
    pub key_terms: Vec<String>,
    pub complexity: Complexity,
    /// Minutes.
    pub estimated_reading_time: u32,
    pub objectives: Vec<LearningObjective>,
}

/// Analyses a document.
pub fn analyze(document: &Document) -> Analysis {
    let _ = document;
    Analysis {
        sections: Vec::new(),
        topics: Vec::new(),
        key_terms: Vec::new(),
        complexity: Complexity::Beginner,
        estimated_reading_time: 0,
        objectives: Vec::new(),
    }
}

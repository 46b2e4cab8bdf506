//! Mastery. SKELETON: the helper replaces the bodies; signatures are the contract.

use kiro_types::assessment::{MasteryBand, Trend};

/// A topic's mastery from its history of per-assessment accuracies (0–1, oldest first):
/// level 0–100, band and trend.
pub fn mastery(history: &[f64]) -> (f64, MasteryBand, Trend) {
    let _ = history;
    (0.0, MasteryBand::NeedsFocus, Trend::Stable)
}

//! Spaced revision. SKELETON: the helper replaces the bodies; signatures are the contract.

use kiro_types::assessment::{Recall, SchedulerKind};

/// A topic's memory state.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MemoryState {
    /// Days until recall probability falls to 90 %.
    pub stability: f64,
    /// 1–10.
    pub difficulty: f64,
}

/// The outcome of one review.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scheduled {
    pub state: MemoryState,
    /// Days until the next review.
    pub interval_days: f64,
}

/// Schedules the next review after a recall; `previous` is `None` on first review,
/// `elapsed_days` the time since the last review, `reviews` how many came before.
pub fn review(
    kind: SchedulerKind,
    previous: Option<MemoryState>,
    elapsed_days: f64,
    reviews: u32,
    recall: Recall,
) -> Scheduled {
    let _ = (kind, previous, elapsed_days, reviews, recall);
    Scheduled {
        state: MemoryState {
            stability: 1.0,
            difficulty: 5.0,
        },
        interval_days: 1.0,
    }
}

/// Probability of recall after `elapsed_days` with the given stability.
pub fn retrievability(stability: f64, elapsed_days: f64) -> f64 {
    let _ = (stability, elapsed_days);
    1.0
}

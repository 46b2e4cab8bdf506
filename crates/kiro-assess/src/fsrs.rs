//! Spaced revision with FSRS-4.5 (the open-spaced-repetition "Free Spaced Repetition
//! Scheduler", version 4.5, with its published default weights), and the original plan's fixed
//! 1-3-7-day schedule, which still tracks the FSRS memory state for display. Pure arithmetic.
//!
//! FSRS-4.5 keeps FSRS v4's difficulty formulas: `D0(G) = w4 − (G − 3)·w5` and mean reversion
//! towards `D0(3)`. (The exponential `D0(G) = w4 − e^{w5(G−1)} + 1` and reversion towards
//! `D0(4)` belong to FSRS-5 and its other weights; with these weights they would give every
//! Good or Easy first review the minimum difficulty.) As in FSRS-5, stability after a lapse
//! never exceeds the stability before it.

use kiro_types::assessment::{Recall, SchedulerKind};

/// FSRS-4.5's default weights.
pub const WEIGHTS: [f64; 17] = [
    0.4872, 1.4003, 3.7145, 13.8206, 5.1618, 1.2298, 0.8975, 0.031, 1.6474, 0.1367, 1.0461, 2.1072,
    0.0793, 0.3246, 1.587, 0.2272, 2.8755,
];
/// The forgetting curve's exponent.
pub const DECAY: f64 = -0.5;
/// Chosen so that recall is 90 % when the elapsed time equals the stability.
pub const FACTOR: f64 = 19.0 / 81.0;
/// The recall probability reviews are scheduled for.
pub const DESIRED_RETENTION: f64 = 0.9;
/// The longest interval, in days.
pub const MAX_INTERVAL_DAYS: f64 = 36_500.0;
/// The smallest stability kept, in days.
const MIN_STABILITY: f64 = 0.01;

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

/// FSRS's grade number: Again 1, Hard 2, Good 3, Easy 4.
pub fn grade(recall: Recall) -> u8 {
    match recall {
        Recall::Again => 1,
        Recall::Hard => 2,
        Recall::Good => 3,
        Recall::Easy => 4,
    }
}

/// Schedules the next review after a recall; `previous` is `None` on first review,
/// `elapsed_days` the time since the last review, `reviews` how many came before.
///
/// A previous state with a non-finite or non-positive stability is treated as a first review;
/// a negative or non-finite `elapsed_days` as 0.
pub fn review(
    kind: SchedulerKind,
    previous: Option<MemoryState>,
    elapsed_days: f64,
    reviews: u32,
    recall: Recall,
) -> Scheduled {
    let previous = previous.filter(|s| s.stability.is_finite() && s.stability > 0.0);
    let elapsed = if elapsed_days.is_finite() {
        elapsed_days.max(0.0)
    } else {
        0.0
    };
    let state = match previous {
        None => first_state(recall),
        Some(before) => next_state(before, elapsed, recall),
    };
    let interval_days = match kind {
        SchedulerKind::Fsrs => interval(state.stability),
        SchedulerKind::Fixed => fixed_interval(reviews, recall),
    };
    Scheduled {
        state,
        interval_days,
    }
}

/// Probability of recall after `elapsed_days` with the given stability:
/// `(1 + FACTOR·t/S)^DECAY`, 1 at `t = 0`, 0.9 at `t = S`.
pub fn retrievability(stability: f64, elapsed_days: f64) -> f64 {
    if !(stability.is_finite() && stability > 0.0) {
        return 0.0;
    }
    let t = if elapsed_days.is_finite() {
        elapsed_days.max(0.0)
    } else {
        0.0
    };
    (1.0 + FACTOR * t / stability).powf(DECAY)
}

/// Days until recall falls to [`DESIRED_RETENTION`], rounded, 1 to [`MAX_INTERVAL_DAYS`].
pub fn interval(stability: f64) -> f64 {
    let days = stability / FACTOR * (DESIRED_RETENTION.powf(1.0 / DECAY) - 1.0);
    if days.is_finite() {
        days.round().clamp(1.0, MAX_INTERVAL_DAYS)
    } else {
        MAX_INTERVAL_DAYS
    }
}

/// The original plan's days 1, 3 and 7, by how many reviews came before; Again starts over.
pub fn fixed_interval(reviews: u32, recall: Recall) -> f64 {
    match (recall, reviews) {
        (Recall::Again, _) | (_, 0) => 1.0,
        (_, 1) => 3.0,
        _ => 7.0,
    }
}

fn w(i: usize) -> f64 {
    WEIGHTS[i]
}

fn clamp_difficulty(d: f64) -> f64 {
    if d.is_finite() {
        d.clamp(1.0, 10.0)
    } else {
        5.0
    }
}

fn initial_difficulty(g: u8) -> f64 {
    clamp_difficulty(w(4) - (f64::from(g) - 3.0) * w(5))
}

fn first_state(recall: Recall) -> MemoryState {
    let g = grade(recall);
    MemoryState {
        stability: w(usize::from(g - 1)).max(MIN_STABILITY),
        difficulty: initial_difficulty(g),
    }
}

fn next_state(before: MemoryState, elapsed: f64, recall: Recall) -> MemoryState {
    let g = grade(recall);
    let (s, d) = (before.stability, clamp_difficulty(before.difficulty));
    let r = retrievability(s, elapsed);
    let stability = match recall {
        Recall::Again => {
            let forget =
                w(11) * d.powf(-w(12)) * ((s + 1.0).powf(w(13)) - 1.0) * (w(14) * (1.0 - r)).exp();
            forget.min(s)
        }
        Recall::Hard | Recall::Good | Recall::Easy => {
            let hard_penalty = if recall == Recall::Hard { w(15) } else { 1.0 };
            let easy_bonus = if recall == Recall::Easy { w(16) } else { 1.0 };
            let growth = w(8).exp()
                * (11.0 - d)
                * s.powf(-w(9))
                * ((w(10) * (1.0 - r)).exp() - 1.0)
                * hard_penalty
                * easy_bonus;
            s * (growth + 1.0)
        }
    };
    let stepped = d - w(6) * (f64::from(g) - 3.0);
    let difficulty = clamp_difficulty(w(7) * initial_difficulty(3) + (1.0 - w(7)) * stepped);
    let stability = if stability.is_finite() {
        stability.max(MIN_STABILITY)
    } else {
        s
    };
    MemoryState {
        stability,
        difficulty,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const RECALLS: [Recall; 4] = [Recall::Again, Recall::Hard, Recall::Good, Recall::Easy];

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-6
    }

    #[test]
    fn a_first_review_starts_from_the_weights() {
        let expected = [
            (0.4872, 7.6214, 1.0),
            (1.4003, 6.3916, 1.0),
            (3.7145, 5.1618, 4.0),
            (13.8206, 3.932, 14.0),
        ];
        for (recall, (s, d, days)) in RECALLS.into_iter().zip(expected) {
            let out = review(SchedulerKind::Fsrs, None, 0.0, 0, recall);
            assert!(close(out.state.stability, s), "{recall:?} {out:?}");
            assert!(close(out.state.difficulty, d), "{recall:?} {out:?}");
            assert_eq!(out.interval_days, days, "{recall:?}");
        }
    }

    #[test]
    fn a_second_review_follows_the_published_formulas() {
        // Good first (S 3.7145, D 5.1618), reviewed 4 days later: R = 0.8934995.
        let before = MemoryState {
            stability: 3.7145,
            difficulty: 5.1618,
        };
        assert!(close(retrievability(3.7145, 4.0), 0.893_499_500_652_803_7));
        // Values computed by hand from the wiki's formulas.
        let cases = [
            (Recall::Again, 1.433_234_489_779_559_5, 6.901_155, 1.0),
            (Recall::Hard, 6.234_966_035_075_983, 6.031_477_5, 6.0),
            (Recall::Good, 14.808_100_506_496_405, 5.1618, 15.0),
            (Recall::Easy, 35.614_148_256_430_41, 4.292_122_5, 36.0),
        ];
        for (recall, s, d, days) in cases {
            let out = review(SchedulerKind::Fsrs, Some(before), 4.0, 1, recall);
            assert!(close(out.state.stability, s), "{recall:?} {out:?}");
            assert!(close(out.state.difficulty, d), "{recall:?} {out:?}");
            assert_eq!(out.interval_days, days, "{recall:?}");
        }
    }

    #[test]
    fn retrievability_is_ninety_percent_at_the_stability() {
        assert!(close(retrievability(10.0, 10.0), 0.9));
        assert!(close(retrievability(5.0, 0.0), 1.0));
        assert!(close(retrievability(10.0, 20.0), 0.825_028_647_325_390_2));
        assert_eq!(retrievability(0.0, 3.0), 0.0);
    }

    #[test]
    fn the_fixed_schedule_is_one_three_seven_days_and_still_tracks_memory() {
        let days: Vec<f64> = (0..4).map(|n| fixed_interval(n, Recall::Good)).collect();
        assert_eq!(days, vec![1.0, 3.0, 7.0, 7.0]);
        assert_eq!(fixed_interval(5, Recall::Again), 1.0);
        let out = review(SchedulerKind::Fixed, None, 0.0, 0, Recall::Easy);
        assert_eq!(out.interval_days, 1.0);
        assert!(close(out.state.stability, 13.8206));
    }

    #[test]
    fn nonsense_inputs_stay_finite() {
        let bad = MemoryState {
            stability: f64::NAN,
            difficulty: 99.0,
        };
        let out = review(
            SchedulerKind::Fsrs,
            Some(bad),
            f64::INFINITY,
            3,
            Recall::Good,
        );
        assert!(close(out.state.stability, 3.7145));
        assert!(interval(f64::INFINITY) == MAX_INTERVAL_DAYS);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn intervals_are_positive_finite_and_ordered_by_recall(
            stability in 0.01f64..5_000.0,
            difficulty in 1.0f64..10.0,
            elapsed in 0.0f64..3_000.0,
            reviews in 0u32..50,
        ) {
            let before = MemoryState { stability, difficulty };
            let out = RECALLS.map(|r| review(SchedulerKind::Fsrs, Some(before), elapsed, reviews, r));
            for o in &out {
                prop_assert!(o.interval_days.is_finite() && o.interval_days >= 1.0);
                prop_assert!(o.state.stability.is_finite() && o.state.stability > 0.0);
                prop_assert!((1.0..=10.0).contains(&o.state.difficulty));
            }
            let [again, hard, good, easy] = out;
            prop_assert!(again.state.stability <= stability);
            prop_assert!(again.interval_days <= hard.interval_days);
            prop_assert!(hard.interval_days <= good.interval_days);
            prop_assert!(good.interval_days <= easy.interval_days);
            if elapsed >= 1.0 {
                prop_assert!(good.state.stability > hard.state.stability);
            }
        }

        #[test]
        fn first_intervals_are_strictly_longer_for_good_than_hard(elapsed in 0.0f64..100.0) {
            let first = RECALLS.map(|r| review(SchedulerKind::Fsrs, None, elapsed, 0, r));
            prop_assert!(first[2].interval_days > first[1].interval_days);
            prop_assert!(first[1].interval_days >= first[0].interval_days);
        }
    }
}

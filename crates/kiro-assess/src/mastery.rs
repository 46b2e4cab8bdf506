//! Mastery: a topic's level, band and trend from its history of per-assessment accuracies.
//! The level is a recency-weighted mean (half-life three assessments) pulled towards 50 % by
//! the same Beta(2, 2) prior as [`crate::grade::weakness`]; the trend is the least-squares
//! slope of the last five points. Pure arithmetic.

use kiro_types::assessment::{DEFAULT_QUESTION_COUNT, MasteryBand, Trend};

use crate::grade::{PRIOR_ALPHA, PRIOR_BETA};

/// Assessments after which an accuracy's weight has halved.
pub const HALF_LIFE: f64 = 3.0;
/// How many answers one assessment counts as against the prior's four.
pub const ANSWERS_PER_ASSESSMENT: f64 = DEFAULT_QUESTION_COUNT as f64;
/// Level (0–100) from which a topic with two or more assessments is mastered.
pub const MASTERED_FROM: f64 = 85.0;
/// Level from which a topic is learning (or improving) rather than needing focus.
pub const LEARNING_FROM: f64 = 50.0;
/// Points per assessment beyond which the trend moves.
pub const TREND_THRESHOLD: f64 = 5.0;
/// How many recent points the trend looks at.
pub const TREND_WINDOW: usize = 5;

/// A topic's mastery from its history of per-assessment accuracies (0–1, oldest first):
/// level 0–100, band and trend.
///
/// Level: the weighted mean `m` (the newest weighs 1, each older one `2^(−1/3)` times the
/// next) of `n` assessments, smoothed as `(5n·m + 2) / (5n + 4)`: each assessment counts as
/// five answers against the prior's four, so one perfect assessment gives 78, two give 86.
/// Band: mastered from 85 with at least two assessments, improving from 50 while the trend
/// improves, learning from 50, else needs focus. An empty history sits at the prior, 50.
/// Non-finite accuracies are ignored; others are clamped to 0–1.
pub fn mastery(history: &[f64]) -> (f64, MasteryBand, Trend) {
    let points: Vec<f64> = history
        .iter()
        .filter(|x| x.is_finite())
        .map(|x| x.clamp(0.0, 1.0))
        .collect();
    let level = level(&points);
    let trend = trend(&points);
    let band = if level >= MASTERED_FROM && points.len() >= 2 {
        MasteryBand::Mastered
    } else if level >= LEARNING_FROM && trend == Trend::Improving {
        MasteryBand::Improving
    } else if level >= LEARNING_FROM {
        MasteryBand::Learning
    } else {
        MasteryBand::NeedsFocus
    };
    (level, band, trend)
}

fn level(points: &[f64]) -> f64 {
    let decay = 0.5f64.powf(1.0 / HALF_LIFE);
    let (mut weighted, mut total, mut weight) = (0.0, 0.0, 1.0);
    for x in points.iter().rev() {
        weighted += weight * x;
        total += weight;
        weight *= decay;
    }
    let mean = if total > 0.0 { weighted / total } else { 0.0 };
    let evidence = points.len() as f64 * ANSWERS_PER_ASSESSMENT;
    100.0 * (evidence * mean + PRIOR_ALPHA) / (evidence + PRIOR_ALPHA + PRIOR_BETA)
}

/// The direction of the last [`TREND_WINDOW`] points, by least-squares slope in points
/// (0–100) per assessment.
fn trend(points: &[f64]) -> Trend {
    let recent = &points[points.len().saturating_sub(TREND_WINDOW)..];
    if recent.len() < 2 {
        return Trend::Stable;
    }
    let n = recent.len() as f64;
    let mean_x = (n - 1.0) / 2.0;
    let mean_y = recent.iter().sum::<f64>() / n;
    let (mut num, mut den) = (0.0, 0.0);
    for (i, y) in recent.iter().enumerate() {
        let dx = i as f64 - mean_x;
        num += dx * (y - mean_y);
        den += dx * dx;
    }
    let slope = 100.0 * num / den;
    if slope > TREND_THRESHOLD {
        Trend::Improving
    } else if slope < -TREND_THRESHOLD {
        Trend::Declining
    } else {
        Trend::Stable
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn an_empty_history_sits_at_the_prior() {
        assert_eq!(mastery(&[]), (50.0, MasteryBand::Learning, Trend::Stable));
    }

    #[test]
    fn one_perfect_assessment_is_not_mastery() {
        let (level, band, trend) = mastery(&[1.0]);
        assert!(close(level, 700.0 / 9.0), "{level}");
        assert_eq!((band, trend), (MasteryBand::Learning, Trend::Stable));
    }

    #[test]
    fn two_perfect_assessments_are() {
        let (level, band, _) = mastery(&[1.0, 1.0]);
        assert!(close(level, 1200.0 / 14.0), "{level}");
        assert_eq!(band, MasteryBand::Mastered);
    }

    #[test]
    fn recent_results_weigh_more() {
        // Weights 1 (newest) and 2^(-1/3) = 0.7937: mean = 0.7937·0.2 + 1·0.8 over 1.7937.
        let (level, _, _) = mastery(&[0.2, 0.8]);
        let w = 0.5f64.powf(1.0 / 3.0);
        let mean = (w * 0.2 + 0.8) / (1.0 + w);
        assert!(close(level, 100.0 * (10.0 * mean + 2.0) / 14.0));
        assert!(level > mastery(&[0.8, 0.2]).0);
    }

    #[test]
    fn a_rising_history_is_improving_and_a_falling_one_declining() {
        let rising = mastery(&[0.3, 0.5, 0.7, 0.8]);
        assert_eq!(
            (rising.1, rising.2),
            (MasteryBand::Improving, Trend::Improving)
        );
        let falling = mastery(&[0.7, 0.5, 0.3, 0.1]);
        assert_eq!(falling.2, Trend::Declining);
        assert_eq!(falling.1, MasteryBand::NeedsFocus);
        assert_eq!(mastery(&[0.6, 0.62, 0.61]).2, Trend::Stable);
    }

    #[test]
    fn only_the_last_five_points_set_the_trend() {
        assert_eq!(
            mastery(&[0.0, 0.0, 0.9, 0.9, 0.9, 0.9, 0.9]).2,
            Trend::Stable
        );
    }

    #[test]
    fn low_levels_need_focus() {
        assert_eq!(mastery(&[0.1, 0.2, 0.1]).1, MasteryBand::NeedsFocus);
        assert_eq!(mastery(&[f64::NAN, 0.1]).0, mastery(&[0.1]).0);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn the_level_stays_between_0_and_100(history in proptest::collection::vec(-1.0f64..2.0, 0..30)) {
            let (level, _, _) = mastery(&history);
            prop_assert!((0.0..=100.0).contains(&level));
        }
    }
}

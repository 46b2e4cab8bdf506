//! `GET /learn/progress`: how the learner stands — topics mastered, improving, learning and
//! needing focus; retention and quiz scores over time; strengths against gaps per topic —
//! drawn as inline SVG from Kiro's progress analytics, with the numbers in text too.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use kiro_sdk::kiro_types::assessment::{MasteryBand, ProgressAnalytics, TopicMastery, Trend};

use super::charts::{self, BarChart, BarInput, LineChart, SeriesInput};
use super::problem::{Frame, Problem};
use super::results::number;
use super::study;
use crate::web::session::SignedIn;
use crate::web::{WebState, render};

/// A topic in the strengths or gaps list.
pub struct TopicLine {
    pub topic: String,
    pub mastery: String,
    pub band: &'static str,
    pub trend: &'static str,
}

#[derive(Template)]
#[template(path = "learn/progress.html")]
struct ProgressPage {
    active: &'static str,
    status: &'static str,
    user_name: String,
    workspace: String,
    progress: ProgressAnalytics,
    bands: BarChart,
    over_time: LineChart,
    topics: BarChart,
    strengths: Vec<TopicLine>,
    gaps: Vec<TopicLine>,
}

/// The band's name as the page says it.
pub fn band_name(band: MasteryBand) -> &'static str {
    match band {
        MasteryBand::Mastered => "mastered",
        MasteryBand::Improving => "improving",
        MasteryBand::Learning => "learning",
        MasteryBand::NeedsFocus => "needs focus",
    }
}

fn band_class(band: MasteryBand) -> &'static str {
    match band {
        MasteryBand::Mastered => "band-mastered",
        MasteryBand::Improving => "band-improving",
        MasteryBand::Learning => "band-learning",
        MasteryBand::NeedsFocus => "band-focus",
    }
}

fn trend_name(trend: Trend) -> &'static str {
    match trend {
        Trend::Improving => "rising",
        Trend::Stable => "steady",
        Trend::Declining => "falling",
    }
}

fn line(t: &TopicMastery) -> TopicLine {
    TopicLine {
        topic: t.topic.clone(),
        mastery: format!("{}%", number(t.mastery_level)),
        band: band_name(t.band),
        trend: trend_name(t.trend),
    }
}

/// The three charts of `progress`.
pub fn charts_of(progress: &ProgressAnalytics) -> (BarChart, LineChart, BarChart) {
    let counts = [
        (MasteryBand::Mastered, progress.mastered),
        (MasteryBand::Improving, progress.improving),
        (MasteryBand::Learning, progress.learning),
        (MasteryBand::NeedsFocus, progress.needs_focus),
    ];
    let most = counts.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    let band_bars: Vec<BarInput> = counts
        .iter()
        .map(|(band, n)| BarInput {
            label: capitalised(band_name(*band)),
            value: f64::from(*n),
            text: if *n == 1 {
                "1 topic".to_owned()
            } else {
                format!("{n} topics")
            },
            class: band_class(*band),
        })
        .collect();
    let bands = charts::bars(
        "chart-bands",
        "Topics by mastery",
        &band_bars,
        f64::from(most),
    );
    let series = [
        SeriesInput {
            name: "Retention",
            class: "retention",
            points: progress.retention.iter().map(|p| (p.at, p.value)).collect(),
        },
        SeriesInput {
            name: "Quiz score",
            class: "scores",
            points: progress.scores.iter().map(|p| (p.at, p.value)).collect(),
        },
    ];
    let over_time = charts::lines("chart-retention", "Retention and scores over time", &series);
    let topic_bars: Vec<BarInput> = progress
        .topics
        .iter()
        .rev()
        .map(|t| BarInput {
            label: t.topic.clone(),
            value: t.mastery_level,
            text: format!("{}% ({})", number(t.mastery_level), band_name(t.band)),
            class: band_class(t.band),
        })
        .collect();
    let topics = charts::bars("chart-topics", "Mastery per topic", &topic_bars, 100.0);
    (bands, over_time, topics)
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().collect::<String>() + chars.as_str()
    })
}

pub async fn progress(State(state): State<WebState>, signed_in: SignedIn) -> Response {
    let session = &signed_in.session;
    let study = match study::enter(session).await {
        Ok(study) => study,
        Err(e) => return Problem::from_kiro(&e).render(&state, session),
    };
    let progress = match session.client.assessment().progress_analytics(None).await {
        Ok(progress) => progress,
        Err(e) => return Problem::from_kiro(&e).render(&state, session),
    };
    let (bands, over_time, topics) = charts_of(&progress);
    let (strong, weak): (Vec<&TopicMastery>, Vec<&TopicMastery>) = progress
        .topics
        .iter()
        .partition(|t| matches!(t.band, MasteryBand::Mastered | MasteryBand::Improving));
    let frame = Frame::of(&state, session);
    render::ok(&ProgressPage {
        active: "progress",
        status: frame.status,
        user_name: frame.user_name,
        workspace: study.name,
        strengths: strong.iter().rev().map(|t| line(t)).collect(),
        gaps: weak.iter().map(|t| line(t)).collect(),
        progress,
        bands,
        over_time,
        topics,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use askama::Template;
    use kiro_sdk::kiro_types::assessment::SeriesPoint;

    #[test]
    fn the_charts_state_every_band_and_topic() {
        let at = chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap_or_default();
        let progress = ProgressAnalytics {
            student_id: "s".into(),
            topics: vec![TopicMastery {
                topic: "Vectors & matrices".into(),
                mastery_level: 31.5,
                band: MasteryBand::NeedsFocus,
                trend: Trend::Stable,
                assessment_count: 1,
            }],
            mastered: 0,
            improving: 0,
            learning: 0,
            needs_focus: 1,
            scores: vec![SeriesPoint { at, value: 20.0 }],
            retention: Vec::new(),
            streak_days: 1,
            revisions_due: 0,
        };
        let (bands, over_time, topics) = charts_of(&progress);
        assert_eq!(
            bands.desc,
            "Mastered: 0 topics; Improving: 0 topics; Learning: 0 topics; Needs focus: 1 topic."
        );
        assert!(over_time.desc.contains("Quiz score: 2023-11-14 20%"));
        assert!(over_time.desc.contains("Retention: no data yet"));
        let svg = topics.render().unwrap_or_default();
        assert!(svg.contains("Vectors &#38; matrices") || svg.contains("Vectors &amp; matrices"));
        assert!(svg.contains("31.5% (needs focus)"));
    }
}

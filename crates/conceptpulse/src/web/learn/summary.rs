//! The numbers on the learning dashboard: focus areas (topics needing focus), revisions
//! due, the mastery score (mean mastery over the topics seen), the study streak, and the
//! priority topics — weakest first, each with a way to review it (its correction lesson,
//! found through the revision Kiro scheduled for it).

use kiro_sdk::KiroError;
use kiro_sdk::kiro_types::assessment::{MasteryBand, ProgressAnalytics, Revision};

use super::progress::band_name;
use super::results::{lesson_url, number};
use super::study::{self, Study};
use crate::web::session::Session;

/// How many priority topics the dashboard lists.
const PRIORITY: usize = 5;

/// One topic to work on next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriorityTopic {
    pub topic: String,
    pub mastery: String,
    pub band: &'static str,
    /// Where its "review" action leads.
    pub review: String,
}

/// The dashboard's learning figures.
#[derive(Debug, Clone)]
pub struct Summary {
    pub study: Study,
    pub focus_areas: u32,
    pub revisions_due: u32,
    /// `None` before any quiz.
    pub mastery: Option<String>,
    pub streak_days: u32,
    pub priority: Vec<PriorityTopic>,
}

/// The summary from progress analytics and the scheduled revisions.
pub fn summarise(study: Study, progress: &ProgressAnalytics, revisions: &[Revision]) -> Summary {
    let mastery = (!progress.topics.is_empty()).then(|| {
        let total: f64 = progress.topics.iter().map(|t| t.mastery_level).sum();
        format!("{}%", number(total / progress.topics.len() as f64))
    });
    let mut candidates: Vec<_> = progress
        .topics
        .iter()
        .filter(|t| matches!(t.band, MasteryBand::NeedsFocus | MasteryBand::Learning))
        .collect();
    candidates.sort_by(|a, b| {
        let rank = |band| u8::from(band != MasteryBand::NeedsFocus);
        rank(a.band)
            .cmp(&rank(b.band))
            .then(a.mastery_level.total_cmp(&b.mastery_level))
    });
    let priority = candidates
        .into_iter()
        .take(PRIORITY)
        .map(|t| PriorityTopic {
            topic: t.topic.clone(),
            mastery: format!("{}%", number(t.mastery_level)),
            band: band_name(t.band),
            review: revisions.iter().find(|r| r.topic == t.topic).map_or_else(
                || "/learn/revisions".to_owned(),
                |r| lesson_url(&r.pdf_id, &r.topic),
            ),
        })
        .collect();
    Summary {
        study,
        focus_areas: progress.needs_focus,
        revisions_due: progress.revisions_due,
        mastery,
        streak_days: progress.streak_days,
        priority,
    }
}

/// The session's summary, read from Kiro.
pub async fn summary(session: &Session) -> Result<Summary, KiroError> {
    let study = study::enter(session).await?;
    let assessment = session.client.assessment();
    let progress = assessment.progress_analytics(None).await?;
    let revisions = assessment.revisions(false).await?;
    Ok(summarise(study, &progress, &revisions))
}

#[cfg(test)]
mod tests {
    use super::*;
    use kiro_sdk::kiro_types::assessment::{SchedulerKind, TopicMastery, Trend};
    use kiro_sdk::kiro_types::workspace::Role;

    fn topic(name: &str, level: f64, band: MasteryBand) -> TopicMastery {
        TopicMastery {
            topic: name.into(),
            mastery_level: level,
            band,
            trend: Trend::Stable,
            assessment_count: 1,
        }
    }

    #[test]
    fn priority_topics_put_focus_first_and_link_their_lesson() {
        let progress = ProgressAnalytics {
            student_id: "s".into(),
            topics: vec![
                topic("Loops", 55.0, MasteryBand::Learning),
                topic("Vectors", 30.0, MasteryBand::NeedsFocus),
                topic("Printing", 90.0, MasteryBand::Mastered),
                topic("Factors", 20.0, MasteryBand::NeedsFocus),
            ],
            mastered: 1,
            improving: 0,
            learning: 1,
            needs_focus: 2,
            scores: Vec::new(),
            retention: Vec::new(),
            streak_days: 3,
            revisions_due: 1,
        };
        let at = chrono::Utc::now();
        let revision = Revision {
            id: "r".into(),
            topic: "Vectors".into(),
            pdf_id: "p".into(),
            due_at: at,
            scheduler: SchedulerKind::Fsrs,
            stability: 0.0,
            difficulty: 0.0,
            reviews: 0,
            lapses: 0,
            last_reviewed_at: None,
            last_recall: None,
            version: 1,
        };
        let study = Study {
            workspace_id: "w".into(),
            name: "Me".into(),
            role: Role::Owner,
            choices: Vec::new(),
        };
        let summary = summarise(study, &progress, &[revision]);
        let names: Vec<&str> = summary.priority.iter().map(|p| p.topic.as_str()).collect();
        assert_eq!(names, ["Factors", "Vectors", "Loops"]);
        assert_eq!(
            summary.priority[1].review,
            "/learn/lesson?pdf=p&topic=Vectors"
        );
        assert_eq!(summary.priority[0].review, "/learn/revisions");
        assert_eq!(summary.mastery.as_deref(), Some("48.8%"));
        assert_eq!((summary.focus_areas, summary.revisions_due), (2, 1));
    }
}

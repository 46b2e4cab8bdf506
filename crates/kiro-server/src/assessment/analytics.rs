//! Learning analytics over a learner's stored results and reviews: topic weaknesses of one
//! result, the learning report for a time range, progress analytics (mastery bands, score and
//! retention series, streak), and spaced revisions with their reviews.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use kiro_assess::{fsrs, grade, mastery};
use kiro_core::StoreError;
use kiro_core::assessment::{ResultRecord, ReviewRecord, kinds};
use kiro_core::tenancy::{Access, Tenant};
use kiro_types::ErrorCode;
use kiro_types::assessment::{
    DateRange, LearningRecommendation, LearningReport, MasteryBand, Priority, ProgressAnalytics,
    Recall, RecommendationType, Revision, SeriesPoint, TopicMastery, TopicWeakness, WeaknessLevel,
};
use serde_json::json;

use super::{AssessmentService, is_instructor, not_found, require};
use crate::error::ApiError;

impl AssessmentService {
    /// The learner whose data a request reads: the caller, or (for instructors) anyone.
    fn student(&self, tenant: &Tenant, requested: Option<String>) -> Result<String, ApiError> {
        let me = tenant.principal.student_id();
        match requested {
            Some(other) if other != me && !is_instructor(tenant) => Err(ApiError::new(
                ErrorCode::PermissionDenied,
                "only workspace admins can read another learner's results",
            )),
            Some(other) => Ok(other),
            None => Ok(me),
        }
    }

    /// Weak topics of a learner's result for one assessment, weakest first.
    pub async fn weaknesses(
        &self,
        tenant: &Tenant,
        assessment_id: &str,
        student: Option<String>,
    ) -> Result<Vec<TopicWeakness>, ApiError> {
        require(tenant, Access::Read)?;
        let student = self.student(tenant, student)?;
        let record = self.assessment(tenant, assessment_id).await?;
        let results = self
            .store
            .list_assessment_results(tenant.workspace_id, assessment_id)
            .await?;
        let Some(result) = results.into_iter().find(|r| r.result.student_id == student) else {
            return Err(ApiError::new(
                ErrorCode::AssessmentResultNotFound,
                "this learner has not submitted the assessment yet",
            ));
        };
        let pages = self.topic_pages(tenant, &record.assessment.pdf_id).await;
        let mut weak: Vec<TopicWeakness> = result
            .result
            .topic_scores
            .iter()
            .filter_map(|t| {
                let (level, estimated) = grade::weakness(t.score, t.max_score)?;
                let pages = pages.get(&t.topic).cloned().unwrap_or_default();
                Some(weakness(&t.topic, level, estimated, t.max_score, &pages))
            })
            .collect();
        weak.sort_by(|a, b| a.estimated_accuracy.total_cmp(&b.estimated_accuracy));
        Ok(weak)
    }

    /// Pages per topic of a document, for pointing learners back to the text.
    async fn topic_pages(&self, tenant: &Tenant, pdf_id: &str) -> BTreeMap<String, Vec<u32>> {
        match self.store.get_analysis(tenant.workspace_id, pdf_id).await {
            Ok(analysis) => analysis
                .topics
                .into_iter()
                .map(|t| (t.name, t.pages))
                .collect(),
            Err(_) => BTreeMap::new(),
        }
    }

    /// Mastery per topic and recommendations from the results completed in a time range.
    pub async fn report(
        &self,
        tenant: &Tenant,
        student: Option<String>,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
    ) -> Result<LearningReport, ApiError> {
        require(tenant, Access::Read)?;
        let student = self.student(tenant, student)?;
        let end = to.unwrap_or_else(|| self.now());
        let start = from.unwrap_or(end - Duration::days(30));
        if start > end {
            return Err(ApiError::new(
                ErrorCode::RequestInvalidQuery,
                "`from` is after `to`; give the earlier time first",
            ));
        }
        let results = self
            .store
            .list_results(tenant.workspace_id, Some(&student), start, end)
            .await?;
        let topics = topic_mastery(&results);
        let overall = if topics.is_empty() {
            0.0
        } else {
            topics.iter().map(|t| t.mastery_level).sum::<f64>() / topics.len() as f64
        };
        Ok(LearningReport {
            student_id: student,
            timeframe: DateRange { start, end },
            overall_progress: round1(overall),
            assessments_taken: u32::try_from(results.len()).unwrap_or(u32::MAX),
            recommendations: topics.iter().map(recommendation).collect(),
            topic_mastery: topics,
            generated_at: self.now(),
        })
    }

    /// Everything the progress page draws.
    pub async fn progress(
        &self,
        tenant: &Tenant,
        student: Option<String>,
    ) -> Result<ProgressAnalytics, ApiError> {
        require(tenant, Access::Read)?;
        let student = self.student(tenant, student)?;
        let now = self.now();
        let results = self
            .store
            .list_results(
                tenant.workspace_id,
                Some(&student),
                DateTime::<Utc>::MIN_UTC,
                now,
            )
            .await?;
        let reviews = self
            .store
            .list_reviews(tenant.workspace_id, &student)
            .await?;
        let revisions = self
            .store
            .list_revisions(tenant.workspace_id, &student)
            .await?;
        let topics = topic_mastery(&results);
        let count = |band: MasteryBand| {
            u32::try_from(topics.iter().filter(|t| t.band == band).count()).unwrap_or(u32::MAX)
        };
        let mut days: BTreeSet<NaiveDate> = results
            .iter()
            .map(|r| r.result.completed_at.date_naive())
            .collect();
        days.extend(reviews.iter().map(|r| r.at.date_naive()));
        Ok(ProgressAnalytics {
            student_id: student,
            mastered: count(MasteryBand::Mastered),
            improving: count(MasteryBand::Improving),
            learning: count(MasteryBand::Learning),
            needs_focus: count(MasteryBand::NeedsFocus),
            topics,
            scores: results
                .iter()
                .map(|r| SeriesPoint {
                    at: r.result.completed_at,
                    value: r.result.percentage,
                })
                .collect(),
            retention: retention(&reviews),
            streak_days: streak(&days, now.date_naive()),
            revisions_due: u32::try_from(
                revisions
                    .iter()
                    .filter(|r| r.revision.due_at <= now)
                    .count(),
            )
            .unwrap_or(u32::MAX),
        })
    }

    /// The caller's revisions, soonest first; only those due now when `due_only`.
    pub async fn revisions(
        &self,
        tenant: &Tenant,
        due_only: bool,
    ) -> Result<Vec<Revision>, ApiError> {
        require(tenant, Access::Read)?;
        let now = self.now();
        let revisions = self
            .store
            .list_revisions(tenant.workspace_id, &tenant.principal.student_id())
            .await?;
        Ok(revisions
            .into_iter()
            .map(|r| r.revision)
            .filter(|r| !due_only || r.due_at <= now)
            .collect())
    }

    /// Records a self-rated recall and schedules the next revision.
    pub async fn review(
        &self,
        tenant: &Tenant,
        id: &str,
        recall: Recall,
    ) -> Result<Revision, ApiError> {
        require(tenant, Access::Write)?;
        let not_found = not_found(ErrorCode::AssessmentRevisionNotFound, "revision");
        let mut record = self
            .store
            .get_revision(tenant.workspace_id, id)
            .await
            .map_err(&not_found)?;
        if record.student_id != tenant.principal.student_id() {
            return Err(not_found(StoreError::NotFound));
        }
        let now = self.now();
        let r = &mut record.revision;
        let since = r.last_reviewed_at.unwrap_or(r.due_at - Duration::days(1));
        let elapsed = (now - since).num_seconds().max(0) as f64 / 86_400.0;
        let previous = (r.reviews > 0).then_some(fsrs::MemoryState {
            stability: r.stability,
            difficulty: r.difficulty,
        });
        let predicted = previous.map_or(0.0, |p| fsrs::retrievability(p.stability, elapsed));
        let next = fsrs::review(r.scheduler, previous, elapsed, r.reviews, recall);
        let expected = r.version;
        r.stability = next.state.stability;
        r.difficulty = next.state.difficulty;
        r.reviews += 1;
        r.lapses += u32::from(recall == Recall::Again);
        r.last_reviewed_at = Some(now);
        r.last_recall = Some(recall);
        r.due_at = now + Duration::seconds((next.interval_days * 86_400.0).round() as i64);
        r.version += 1;
        let review = ReviewRecord {
            revision_id: r.id.clone(),
            recall,
            retrievability: predicted,
            at: now,
        };
        let event = self.event(
            tenant,
            kinds::REVISION_REVIEWED,
            id,
            r.version,
            json!({ "topic": r.topic, "recall": recall, "dueAt": r.due_at }),
        );
        match self
            .store
            .review_revision(&record, expected, &review, &event)
            .await
        {
            Ok(()) => Ok(record.revision),
            Err(StoreError::Stale) => Err(ApiError::new(
                ErrorCode::ResourceConflict,
                "this revision was just reviewed elsewhere; reload it",
            )),
            Err(e) => Err(e.into()),
        }
    }
}

fn weakness(
    topic: &str,
    level: WeaknessLevel,
    estimated: f64,
    attempts: f64,
    pages: &[u32],
) -> TopicWeakness {
    let mut actions = vec![format!("Read the correction lesson on {topic}.")];
    match level {
        WeaknessLevel::Severe => {
            actions.push(format!(
                "Re-read the pages on {topic} before anything else."
            ));
            actions.push("Take a new quiz on this topic tomorrow.".to_owned());
        }
        WeaknessLevel::Moderate => {
            actions.push("Answer a few practice questions on it this week.".to_owned());
        }
        WeaknessLevel::Mild => {
            actions.push("Review it once in your next revision session.".to_owned());
        }
    }
    TopicWeakness {
        topic: topic.to_owned(),
        weakness_level: level,
        estimated_accuracy: round3(estimated),
        attempts: attempts.round() as u32,
        recommended_actions: actions,
        related_resources: pages.iter().map(|p| format!("page {p}")).collect(),
    }
}

/// Each topic's mastery from its accuracy in each result, oldest first.
fn topic_mastery(results: &[ResultRecord]) -> Vec<TopicMastery> {
    let mut history: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    for r in results {
        for t in &r.result.topic_scores {
            if t.max_score > 0.0 {
                history
                    .entry(t.topic.as_str())
                    .or_default()
                    .push(t.score / t.max_score);
            }
        }
    }
    let mut topics: Vec<TopicMastery> = history
        .into_iter()
        .map(|(topic, accuracies)| {
            let (level, band, trend) = mastery::mastery(&accuracies);
            TopicMastery {
                topic: topic.to_owned(),
                mastery_level: round1(level),
                band,
                trend,
                assessment_count: u32::try_from(accuracies.len()).unwrap_or(u32::MAX),
            }
        })
        .collect();
    topics.sort_by(|a, b| a.mastery_level.total_cmp(&b.mastery_level));
    topics
}

fn recommendation(t: &TopicMastery) -> LearningRecommendation {
    let (kind, priority, description) = match t.band {
        MasteryBand::NeedsFocus => (
            RecommendationType::Review,
            Priority::High,
            format!(
                "{} needs focus: read its correction lesson, then revise it.",
                t.topic
            ),
        ),
        MasteryBand::Learning | MasteryBand::Improving => (
            RecommendationType::Practice,
            Priority::Medium,
            format!("Keep practising {}: a short quiz every few days.", t.topic),
        ),
        MasteryBand::Mastered => (
            RecommendationType::Advance,
            Priority::Low,
            format!("{} is mastered: move on to the next chapter.", t.topic),
        ),
    };
    LearningRecommendation {
        kind,
        topic: t.topic.clone(),
        priority,
        description,
        resources: Vec::new(),
    }
}

/// Per day with reviews: the share recalled (anything but `again`), as a percentage.
fn retention(reviews: &[ReviewRecord]) -> Vec<SeriesPoint> {
    let mut per_day: BTreeMap<NaiveDate, (u32, u32)> = BTreeMap::new();
    for r in reviews {
        let day = per_day.entry(r.at.date_naive()).or_default();
        day.0 += u32::from(r.recall != Recall::Again);
        day.1 += 1;
    }
    per_day
        .into_iter()
        .filter_map(|(day, (recalled, total))| {
            let at = day.and_hms_opt(12, 0, 0)?.and_utc();
            Some(SeriesPoint {
                at,
                value: round1(f64::from(recalled) / f64::from(total) * 100.0),
            })
        })
        .collect()
}

/// Consecutive active days ending today or yesterday.
fn streak(days: &BTreeSet<NaiveDate>, today: NaiveDate) -> u32 {
    let mut day = if days.contains(&today) {
        today
    } else {
        match today.pred_opt() {
            Some(yesterday) if days.contains(&yesterday) => yesterday,
            _ => return 0,
        }
    };
    let mut count = 0;
    while days.contains(&day) {
        count += 1;
        match day.pred_opt() {
            Some(previous) => day = previous,
            None => break,
        }
    }
    count
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap_or_default()
    }

    #[test]
    fn a_streak_counts_back_from_today_or_yesterday() {
        let days: BTreeSet<_> = [day(20), day(22), day(23), day(24)].into();
        assert_eq!(streak(&days, day(24)), 3);
        assert_eq!(streak(&days, day(25)), 3);
        assert_eq!(streak(&days, day(26)), 0);
        assert_eq!(streak(&BTreeSet::new(), day(26)), 0);
    }
}

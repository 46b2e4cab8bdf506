//! `conceptpulse assess report [--from DATE] [--to DATE]`: the learner's progress in one
//! view — the learning report (mastery per topic, recommendations on weak topics) for the
//! timeframe, the progress analytics (bands, streak, scores) and the revisions due now.

use kiro_sdk::KiroClient;
use kiro_sdk::kiro_types::assessment::{LearningReport, ProgressAnalytics, Revision};
use serde::Serialize;

use super::args::ReportArgs;
use super::questions::wire_name;
use super::render;
use crate::cli::exit;
use crate::cli::output::{Output, table};

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportOut {
    report: LearningReport,
    progress: ProgressAnalytics,
    revisions_due: Vec<Revision>,
}

/// `conceptpulse assess report`.
pub async fn report(client: &KiroClient, out: Output, args: ReportArgs) -> u8 {
    if let (Some(from), Some(to)) = (args.from, args.to)
        && from > to
    {
        return out.fail_message(exit::USAGE, "--from must not be after --to");
    }
    let assessment = client.assessment();
    let fetched = tokio::try_join!(
        assessment.learning_report(None, args.from, args.to),
        assessment.progress_analytics(None),
        assessment.revisions(true),
    );
    match fetched {
        Ok((report, progress, revisions_due)) => {
            let value = ReportOut {
                report,
                progress,
                revisions_due,
            };
            out.emit(&value, human);
            exit::OK
        }
        Err(e) => out.fail(&e),
    }
}

fn human(out: &ReportOut) -> String {
    let (r, p) = (&out.report, &out.progress);
    let mut text = format!(
        "Learning report {} – {}: overall progress {}, {} taken\n\
         Streak {} · {} mastered, {} improving, {} learning, {} needing focus · {} due",
        render::day(&r.timeframe.start),
        render::day(&r.timeframe.end),
        render::percent(r.overall_progress),
        render::plural(r.assessments_taken, "assessment"),
        render::plural(p.streak_days, "day"),
        p.mastered,
        p.improving,
        p.learning,
        p.needs_focus,
        render::plural(p.revisions_due, "revision"),
    );
    if r.topic_mastery.is_empty() {
        text.push_str(
            "\nNo assessment in this timeframe yet. Take one: conceptpulse assess quiz DOC",
        );
    } else {
        let rows = r.topic_mastery.iter().map(|t| {
            vec![
                t.topic.clone(),
                render::percent(t.mastery_level),
                wire_name(&t.band),
                wire_name(&t.trend),
                t.assessment_count.to_string(),
            ]
        });
        text.push_str(&format!(
            "\n{}",
            table(&["Topic", "Mastery", "Band", "Trend", "Assessments"], rows)
        ));
    }
    if !r.recommendations.is_empty() {
        let rows = r.recommendations.iter().map(|rec| {
            vec![
                wire_name(&rec.priority),
                wire_name(&rec.kind),
                rec.topic.clone(),
                rec.description.clone(),
            ]
        });
        text.push_str(&format!(
            "\nRecommendations\n{}",
            table(&["Priority", "Do", "Topic", "What"], rows)
        ));
    }
    if !out.revisions_due.is_empty() {
        let rows = out.revisions_due.iter().map(|rev| {
            vec![
                rev.id.clone(),
                rev.topic.clone(),
                render::minute(&rev.due_at),
                rev.reviews.to_string(),
            ]
        });
        text.push_str(&format!(
            "\nRevisions due (review them: conceptpulse assess revise)\n{}",
            table(&["ID", "Topic", "Due", "Reviews"], rows)
        ));
    }
    text
}

//! The command line of `conceptpulse assess …`: each subcommand's arguments, and the
//! value types (question kinds, difficulty, recall, dates) parsed at the edge into the wire
//! types of kiro-types.

use std::path::PathBuf;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use clap::{Args, Subcommand, ValueEnum};
use kiro_sdk::kiro_types::assessment::{Difficulty, QuestionType, Recall};

/// `conceptpulse assess …`.
#[derive(Debug, Subcommand)]
pub enum AssessCommand {
    /// Upload PDFs, follow their processing and show the topics found (and questions).
    Upload(UploadArgs),
    /// The workspace's documents, newest first.
    Documents,
    /// A document's questions: the latest set, or a new one.
    Questions(QuestionsArgs),
    /// Take a quiz on a document (or an assessment) in the terminal; answers may be piped.
    Quiz(QuizArgs),
    /// Your learning report: mastery per topic, recommendations, revisions due.
    Report(ReportArgs),
    /// A correction lesson on one topic of a document.
    Lesson {
        /// The document's id.
        document: String,
        /// The topic, as the document's topics name it.
        topic: String,
    },
    /// Spaced revision of weak topics: review those due, rate one, or list them.
    Revise(ReviseArgs),
}

/// `conceptpulse assess upload FILE…`.
#[derive(Debug, Clone, Args)]
pub struct UploadArgs {
    /// The PDFs (many go up in one batch, each reported on its own).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Also generate N questions on each document and print them.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=100))]
    pub questions: Option<u32>,
    /// Read the password of encrypted PDFs from standard input.
    #[arg(long)]
    pub password_stdin: bool,
    /// The subject the documents belong to.
    #[arg(long, value_name = "S")]
    pub subject: Option<String>,
    /// The topic, if you know it (otherwise the most important topic found).
    #[arg(long, value_name = "T")]
    pub topic: Option<String>,
    /// How long to wait for the server to process the documents, in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 600)]
    pub timeout: u64,
}

/// `conceptpulse assess questions DOC`.
#[derive(Debug, Clone, Args)]
pub struct QuestionsArgs {
    /// The document's id.
    pub document: String,
    /// Generate this many questions (1-100) instead of showing the latest set.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=100))]
    pub count: Option<u32>,
    /// Only these kinds (repeat the flag or separate with commas).
    #[arg(long = "type", value_enum, value_delimiter = ',', value_name = "TYPE")]
    pub types: Vec<KindArg>,
    /// Only questions of this difficulty.
    #[arg(long, value_enum)]
    pub difficulty: Option<DifficultyArg>,
    /// A new set, different from the last (a fresh seed).
    #[arg(long)]
    pub regenerate: bool,
    /// Show the expected answers and explanations too.
    #[arg(long)]
    pub answers: bool,
}

impl QuestionsArgs {
    /// Whether new questions are asked for (rather than the latest set shown).
    pub fn generates(&self) -> bool {
        self.count.is_some()
            || !self.types.is_empty()
            || self.difficulty.is_some()
            || self.regenerate
    }
}

/// `conceptpulse assess quiz DOC|ASSESSMENT`.
#[derive(Debug, Clone, Args)]
pub struct QuizArgs {
    /// A document's id (a new assessment is made from its questions) or an assessment's id.
    pub id: String,
    /// Quiz on a new set of N questions instead of the document's latest.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=100))]
    pub count: Option<u32>,
}

/// `conceptpulse assess report`.
#[derive(Debug, Clone, Args)]
pub struct ReportArgs {
    /// From this day (YYYY-MM-DD) or instant (RFC 3339) [default: 30 days ago].
    #[arg(long, value_name = "DATE", value_parser = start_of)]
    pub from: Option<DateTime<Utc>>,
    /// Up to this day (inclusive) or instant [default: now].
    #[arg(long, value_name = "DATE", value_parser = end_of)]
    pub to: Option<DateTime<Utc>>,
}

/// `conceptpulse assess revise`.
#[derive(Debug, Clone, Args)]
pub struct ReviseArgs {
    /// Rate this revision only (with --recall).
    #[arg(requires = "recall")]
    pub id: Option<String>,
    /// How well you recalled the topic.
    #[arg(long, value_enum, requires = "id")]
    pub recall: Option<RecallArg>,
    /// List the revisions due instead of reviewing them.
    #[arg(long, conflicts_with = "id")]
    pub list: bool,
    /// With --list: every revision, not only those due.
    #[arg(long, requires = "list")]
    pub all: bool,
}

/// A question kind on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    MultipleChoice,
    TrueFalse,
    ShortAnswer,
    Cloze,
    Essay,
}

impl From<KindArg> for QuestionType {
    fn from(kind: KindArg) -> Self {
        match kind {
            KindArg::MultipleChoice => QuestionType::MultipleChoice,
            KindArg::TrueFalse => QuestionType::TrueFalse,
            KindArg::ShortAnswer => QuestionType::ShortAnswer,
            KindArg::Cloze => QuestionType::Cloze,
            KindArg::Essay => QuestionType::Essay,
        }
    }
}

/// A difficulty on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DifficultyArg {
    Easy,
    Medium,
    Hard,
}

impl From<DifficultyArg> for Difficulty {
    fn from(difficulty: DifficultyArg) -> Self {
        match difficulty {
            DifficultyArg::Easy => Difficulty::Easy,
            DifficultyArg::Medium => Difficulty::Medium,
            DifficultyArg::Hard => Difficulty::Hard,
        }
    }
}

/// A self-rated recall on the command line (FSRS's four grades).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RecallArg {
    Again,
    Hard,
    Good,
    Easy,
}

impl From<RecallArg> for Recall {
    fn from(recall: RecallArg) -> Self {
        match recall {
            RecallArg::Again => Recall::Again,
            RecallArg::Hard => Recall::Hard,
            RecallArg::Good => Recall::Good,
            RecallArg::Easy => Recall::Easy,
        }
    }
}

/// A day's first instant (UTC), or an RFC 3339 instant as given.
pub fn start_of(value: &str) -> Result<DateTime<Utc>, String> {
    parse_date(value, NaiveTime::MIN)
}

/// A day's last second (UTC), or an RFC 3339 instant as given.
pub fn end_of(value: &str) -> Result<DateTime<Utc>, String> {
    let last = NaiveTime::from_hms_opt(23, 59, 59).unwrap_or(NaiveTime::MIN);
    parse_date(value, last)
}

fn parse_date(value: &str, at: NaiveTime) -> Result<DateTime<Utc>, String> {
    if let Ok(instant) = DateTime::parse_from_rfc3339(value) {
        return Ok(instant.with_timezone(&Utc));
    }
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .map(|day| day.and_time(at).and_utc())
        .map_err(|_| format!("`{value}` is not a date: write YYYY-MM-DD or an RFC 3339 instant"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_span_from_their_first_to_their_last_second() {
        assert_eq!(
            start_of("2025-03-04").map(|d| d.to_rfc3339()),
            Ok("2025-03-04T00:00:00+00:00".to_owned())
        );
        assert_eq!(
            end_of("2025-03-04").map(|d| d.to_rfc3339()),
            Ok("2025-03-04T23:59:59+00:00".to_owned())
        );
        assert_eq!(
            end_of("2025-03-04T10:00:00+02:00").map(|d| d.to_rfc3339()),
            Ok("2025-03-04T08:00:00+00:00".to_owned())
        );
    }

    #[test]
    fn a_date_that_is_not_one_says_how_to_write_it() {
        let error = start_of("yesterday").err().unwrap_or_default();
        assert!(error.contains("YYYY-MM-DD"), "{error}");
        assert!(start_of("2025-02-30").is_err());
    }
}

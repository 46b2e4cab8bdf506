//! `conceptpulse assess revise`: spaced revision of weak topics. Without arguments each
//! revision due is shown and the learner rates their recall (again, hard, good, easy — or
//! 1-4), read from stdin like quiz answers; `revise ID --recall R` rates one; `--list
//! [--all]` shows them. The server's scheduler (FSRS) sets the next due date.

use std::io::{IsTerminal, Write};

use kiro_sdk::KiroClient;
use kiro_sdk::kiro_types::assessment::{Recall, Revision};

use super::args::ReviseArgs;
use super::questions::wire_name;
use super::render;
use crate::cli::output::{Output, table};
use crate::cli::{OutputFormat, exit};

/// `conceptpulse assess revise [ID --recall R] [--list [--all]]`.
pub async fn revise(client: &KiroClient, out: Output, args: ReviseArgs) -> u8 {
    let assessment = client.assessment();
    if let (Some(id), Some(recall)) = (&args.id, args.recall) {
        return match assessment.review_revision(id, recall.into()).await {
            Ok(revision) => {
                out.emit(&revision, |r| reviewed(std::slice::from_ref(r)));
                exit::OK
            }
            Err(e) => out.fail(&e),
        };
    }
    let revisions = match assessment.revisions(!args.all).await {
        Ok(revisions) => revisions,
        Err(e) => return out.fail(&e),
    };
    if args.list {
        out.emit(&revisions, |r| listed(r));
        return exit::OK;
    }
    let interactive = std::io::stdin().is_terminal();
    let quiet = out.format == OutputFormat::Json && !interactive;
    let mut done = Vec::with_capacity(revisions.len());
    for (i, revision) in revisions.iter().enumerate() {
        if !quiet {
            eprint!(
                "Revision {} of {}: {}\nRecall the topic, then rate how well you did — \
                 again (1), hard (2), good (3), easy (4): ",
                i + 1,
                revisions.len(),
                revision.topic
            );
            let _ = std::io::stderr().flush();
        }
        let recall = loop {
            let line = match read_line().await {
                Ok(Some(line)) => line,
                Ok(None) => {
                    let message = format!(
                        "the input ended after {i} of {} ratings; those given are recorded",
                        revisions.len()
                    );
                    return out.fail_message(exit::USAGE, &message);
                }
                Err(e) => return out.fail_message(exit::FAILURE, &e),
            };
            match parse_recall(&line) {
                Some(recall) => break recall,
                None if interactive => eprint!("Type again, hard, good or easy (or 1-4): "),
                None => {
                    let message = format!(
                        "`{}` is not a recall: type again, hard, good or easy",
                        line.trim()
                    );
                    return out.fail_message(exit::USAGE, &message);
                }
            }
        };
        match assessment.review_revision(&revision.id, recall).await {
            Ok(next) => done.push(next),
            Err(e) => return out.fail(&e),
        }
    }
    out.emit(&done, |d| {
        if d.is_empty() {
            "Nothing is due for revision. See them all: conceptpulse assess revise --list --all"
                .to_owned()
        } else {
            reviewed(d)
        }
    });
    exit::OK
}

/// One line of stdin, without blocking the runtime; `None` at the end of the input.
async fn read_line() -> Result<Option<String>, String> {
    tokio::task::spawn_blocking(|| {
        let mut line = String::new();
        match std::io::stdin().read_line(&mut line) {
            Ok(0) => Ok(None),
            Ok(_) => Ok(Some(line)),
            Err(e) => Err(format!("cannot read stdin: {e}")),
        }
    })
    .await
    .map_err(|e| format!("cannot read stdin: {e}"))?
}

/// A typed recall: its name, its first letter, or its number 1-4.
fn parse_recall(typed: &str) -> Option<Recall> {
    match typed.trim().to_lowercase().as_str() {
        "1" | "a" | "again" => Some(Recall::Again),
        "2" | "h" | "hard" => Some(Recall::Hard),
        "3" | "g" | "good" => Some(Recall::Good),
        "4" | "e" | "easy" => Some(Recall::Easy),
        _ => None,
    }
}

fn listed(revisions: &[Revision]) -> String {
    if revisions.is_empty() {
        return "No revisions. A quiz with weak topics schedules them.".to_owned();
    }
    let rows = revisions.iter().map(|r| {
        vec![
            r.id.clone(),
            r.topic.clone(),
            render::minute(&r.due_at),
            r.reviews.to_string(),
            r.last_recall.as_ref().map(wire_name).unwrap_or_default(),
            format!("{:.1} d", r.stability),
        ]
    });
    table(
        &["ID", "Topic", "Due", "Reviews", "Last recall", "Stability"],
        rows,
    )
}

fn reviewed(revisions: &[Revision]) -> String {
    revisions
        .iter()
        .map(|r| {
            format!(
                "{}: next revision {} (stability {:.1} days)",
                r.topic,
                render::minute(&r.due_at),
                r.stability
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recalls_are_named_lettered_or_numbered() {
        assert_eq!(parse_recall("good\n"), Some(Recall::Good));
        assert_eq!(parse_recall(" 1 "), Some(Recall::Again));
        assert_eq!(parse_recall("E"), Some(Recall::Easy));
        assert_eq!(parse_recall("h"), Some(Recall::Hard));
        assert_eq!(parse_recall("perfect"), None);
    }
}

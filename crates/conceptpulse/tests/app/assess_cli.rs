//! `conceptpulse assess …` as a learner or a script runs it: the real binary against the
//! embedded Kiro server of `up`, with real corpus PDFs — upload and topics, bad files and
//! their exit codes, questions, quizzes answered on a pipe, lessons, the report, revisions.

use std::path::PathBuf;
use std::process::{Output, Stdio};

use serde_json::Value;
use tokio::io::AsyncWriteExt;

use crate::App;

const R_INTRO: &str = "17-R-intro.pdf";
const ENCRYPTED: &str = "20-userpw-encrypted.pdf";

fn corpus(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/pdf")
        .join(name)
        .display()
        .to_string()
}

/// The binary with its own settings directory, signed in to the app's server.
pub struct Cli {
    server: String,
    dir: tempfile::TempDir,
}

impl Cli {
    pub fn new(app: &App) -> anyhow::Result<Self> {
        Ok(Self {
            server: app.up.server.base_url(),
            dir: tempfile::tempdir()?,
        })
    }

    pub async fn signed_in(app: &App) -> anyhow::Result<Self> {
        let cli = Self::new(app)?;
        let admin = app
            .up
            .admin
            .clone()
            .ok_or_else(|| anyhow::anyhow!("a first run creates the administrator"))?;
        let login = cli
            .run(
                &["login", "--email", &admin.email, "--password-stdin"],
                admin.password.as_bytes(),
            )
            .await?;
        anyhow::ensure!(login.status.code() == Some(0), "login: {login:?}");
        Ok(cli)
    }

    /// The binary with `args`, this CLI's settings and piped standard streams.
    pub fn command(&self, args: &[&str]) -> tokio::process::Command {
        let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_conceptpulse"));
        command
            .args(args)
            .env("KIRO_SERVER_URL", &self.server)
            .env("CONCEPTPULSE_CONFIG_DIR", self.dir.path())
            .env_remove("CONCEPTPULSE_PASSWORD")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        command
    }

    /// Runs the binary with `args`, writing `stdin` to it.
    pub async fn run(&self, args: &[&str], stdin: &[u8]) -> anyhow::Result<Output> {
        let mut child = self.command(args).spawn()?;
        if let Some(mut input) = child.stdin.take() {
            input.write_all(stdin).await?;
        }
        Ok(child.wait_with_output().await?)
    }

    /// Runs with `--output json`; the exit code and the one JSON document printed.
    pub async fn json(&self, args: &[&str], stdin: &[u8]) -> anyhow::Result<(i32, Value)> {
        let mut args = args.to_vec();
        args.extend(["--output", "json"]);
        let output = self.run(&args, stdin).await?;
        let value = serde_json::from_slice(&output.stdout).map_err(|e| {
            anyhow::anyhow!(
                "{args:?} printed no JSON ({e}): {}\n{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            )
        })?;
        Ok((output.status.code().unwrap_or(-1), value))
    }
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The line that answers `question` right: a choice's letter, else the key (or an essay's
/// rubric terms).
fn right_answer(question: &Value) -> String {
    let key = question["correctAnswer"].as_str();
    let options = question["options"].as_array();
    if let (Some(key), Some(options)) = (key, options)
        && let Some(i) = options.iter().position(|o| o.as_str() == Some(key))
    {
        return char::from(b'A' + i as u8).to_string();
    }
    match key {
        Some(key) => key.to_owned(),
        None => question["rubric"]
            .as_array()
            .map(|terms| {
                terms
                    .iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .unwrap_or_default(),
    }
}

async fn uploads_show_topics_and_bad_files_exit_5(app: App) -> anyhow::Result<()> {
    let stranger = Cli::new(&app)?;
    let (code, body) = stranger.json(&["assess", "documents"], b"").await?;
    assert_eq!(code, 3, "not signed in: {body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("login"))
    );

    let cli = Cli::signed_in(&app).await?;
    let r_intro = corpus(R_INTRO);
    let (code, body) = cli
        .json(&["assess", "upload", &r_intro, "--questions", "3"], b"")
        .await?;
    assert_eq!(code, 0, "{body}");
    let file = &body["files"][0];
    assert_eq!(file["filename"], R_INTRO);
    assert_eq!(file["document"]["status"], "completed");
    assert!(file["document"]["pageCount"].as_u64() > Some(100));
    let topics = file["topics"]["topics"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(!topics.is_empty(), "topics are found: {file}");
    assert_eq!(
        file["questions"]["questions"].as_array().map(Vec::len),
        Some(3)
    );
    assert_eq!(
        (body["completed"].as_u64(), body["failed"].as_u64()),
        (Some(1), Some(0))
    );

    // People get the topics as a table (the same file again is the same document).
    let human = cli.run(&["assess", "upload", &r_intro], b"").await?;
    assert_eq!(human.status.code(), Some(0));
    let shown = text(&human.stdout);
    assert!(
        shown.contains("Topic") && shown.contains("Importance"),
        "{shown}"
    );
    assert!(
        shown.contains(topics[0]["name"].as_str().unwrap_or("?")),
        "{shown}"
    );

    let dir = tempfile::tempdir()?;
    let notes = dir.path().join("notes.pdf");
    std::fs::write(&notes, b"these are my notes, not a PDF")?;
    let notes = notes.display().to_string();
    let (code, body) = cli.json(&["assess", "upload", &notes], b"").await?;
    assert_eq!(code, 5, "{body}");
    assert_eq!(body["error"]["code"], "assessment.pdf.not_pdf");
    assert_eq!(body["error"]["filename"], "notes.pdf");
    let empty = dir.path().join("empty.pdf");
    std::fs::write(&empty, b"")?;
    let (code, body) = cli
        .json(&["assess", "upload", &empty.display().to_string()], b"")
        .await?;
    assert_eq!(
        (code, &body["error"]["code"]),
        (5, &Value::from("assessment.pdf.empty"))
    );

    let encrypted = corpus(ENCRYPTED);
    let locked = cli.run(&["assess", "upload", &encrypted], b"").await?;
    assert_eq!(locked.status.code(), Some(5));
    let said = text(&locked.stderr);
    assert!(
        said.contains("encrypted") && said.contains("password"),
        "{said}"
    );
    assert!(said.contains("--password-stdin"), "the CLI's way: {said}");
    let (code, body) = cli.json(&["assess", "upload", &encrypted], b"").await?;
    assert_eq!(code, 5);
    assert_eq!(body["error"]["code"], "assessment.pdf.encrypted");
    assert!(
        body["error"]["suggestion"]
            .as_str()
            .is_some_and(|s| s.contains("password"))
    );
    let (code, body) = cli
        .json(
            &["assess", "upload", &encrypted, "--password-stdin"],
            b"openpassword\n",
        )
        .await?;
    assert_eq!(code, 0, "opened with its password: {body}");
    assert_eq!(body["files"][0]["document"]["status"], "completed");

    // Many files: one batch, each file's outcome on its own, exit 5 when any failed.
    let (code, body) = cli
        .json(&["assess", "upload", &r_intro, &notes], b"")
        .await?;
    assert_eq!(code, 5, "{body}");
    assert_eq!(
        (body["completed"].as_u64(), body["failed"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(body["files"][0]["document"]["status"], "completed");
    assert_eq!(body["files"][1]["error"]["code"], "assessment.pdf.not_pdf");

    let missing = cli.run(&["assess", "upload", "no-such.pdf"], b"").await?;
    assert_eq!(missing.status.code(), Some(2), "a file that cannot be read");

    let (code, documents) = cli.json(&["assess", "documents"], b"").await?;
    assert_eq!(code, 0);
    let names: Vec<_> = documents
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["filename"].as_str())
        .collect();
    assert_eq!(
        names,
        [ENCRYPTED, R_INTRO],
        "newest first, bad files not stored"
    );
    let listed = cli.run(&["assess", "documents"], b"").await?;
    assert!(text(&listed.stdout).contains("completed"));
    Ok(())
}

async fn questions_quizzes_lessons_report_and_revisions(app: App) -> anyhow::Result<()> {
    let cli = Cli::signed_in(&app).await?;
    let (code, body) = cli
        .json(&["assess", "upload", &corpus(R_INTRO)], b"")
        .await?;
    assert_eq!(code, 0, "{body}");
    let doc = body["files"][0]["document"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();

    let count = |v: &Value| v["questions"].as_array().map(Vec::len);
    let (_, latest) = cli.json(&["assess", "questions", &doc], b"").await?;
    assert_eq!(count(&latest), Some(5), "5 questions by default");
    let (code, four) = cli
        .json(&["assess", "questions", &doc, "--count", "4"], b"")
        .await?;
    assert_eq!((code, count(&four)), (0, Some(4)));
    let (_, choices) = cli
        .json(
            &[
                "assess",
                "questions",
                &doc,
                "--type",
                "multiple-choice",
                "--count",
                "3",
            ],
            b"",
        )
        .await?;
    let questions = choices["questions"].as_array().cloned().unwrap_or_default();
    assert_eq!(questions.len(), 3);
    assert!(questions.iter().all(
        |q| q["type"] == "multiple-choice" && q["options"].as_array().map(Vec::len) == Some(4)
    ));
    let table = cli.run(&["assess", "questions", &doc], b"").await?;
    assert!(text(&table.stdout).contains("A) "), "lettered choices");

    // A quiz on the latest questions, answered right through a pipe.
    let right: String = questions.iter().map(|q| right_answer(q) + "\n").collect();
    let (code, result) = cli
        .json(&["assess", "quiz", &doc], right.as_bytes())
        .await?;
    assert_eq!(code, 0, "{result}");
    assert_eq!(result["percentage"], 100.0);
    assert_eq!(result["passed"], true);
    assert_eq!(result["answers"].as_array().map(Vec::len), Some(3));
    assert!(!result["topicScores"].as_array().is_none_or(Vec::is_empty));
    assert!(
        result["topicScores"]
            .as_array()
            .into_iter()
            .flatten()
            .all(|t| t["percentage"] == 100.0)
    );
    let assessment_id = result["assessmentId"]
        .as_str()
        .unwrap_or_default()
        .to_owned();

    // The same assessment again, by its id: the server refuses a second submission.
    let (code, again) = cli
        .json(&["assess", "quiz", &assessment_id], right.as_bytes())
        .await?;
    assert_eq!(
        (code, &again["error"]["code"]),
        (5, &Value::from("assessment.submission.exists"))
    );
    // An answer that names no choice stops a piped quiz before anything is submitted.
    let refused = cli.run(&["assess", "quiz", &doc], b"Z\n").await?;
    assert_eq!(refused.status.code(), Some(2));
    assert!(text(&refused.stderr).contains("question 1"), "{refused:?}");

    // New questions, all skipped: every topic weak, and the way to study the weakest.
    let (code, failed) = cli
        .json(&["assess", "quiz", &doc, "--count", "3"], b"\n\n\n")
        .await?;
    assert_eq!(code, 0, "{failed}");
    assert_eq!(
        (failed["percentage"].as_f64(), &failed["passed"]),
        (Some(0.0), &Value::from(false))
    );
    let weakest = failed["weakestTopic"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(!weakest.is_empty(), "{failed}");
    assert!(!failed["weaknesses"].as_array().is_none_or(Vec::is_empty));
    assert!(
        failed["lessonCommand"]
            .as_str()
            .is_some_and(|c| c.contains("assess lesson"))
    );
    let person = cli.run(&["assess", "quiz", &doc], b"\n\n\n").await?;
    assert_eq!(person.status.code(), Some(0));
    assert!(text(&person.stderr).contains("Question 1 of 3"));
    let shown = text(&person.stdout);
    assert!(
        shown.contains("Weakest topic") && shown.contains("Study it: conceptpulse assess lesson"),
        "{shown}"
    );

    let (code, unknown) = cli.json(&["assess", "quiz", "no-such-id"], b"").await?;
    assert_eq!(code, 5, "{unknown}");
    assert_eq!(unknown["error"]["code"], "assessment.assessment.not_found");
    // Only the quizzes answered to the end made assessments.
    let sdk =
        kiro_sdk::KiroClient::connect(kiro_sdk::ClientConfig::new(cli.server.clone())).await?;
    let admin = app
        .up
        .admin
        .clone()
        .ok_or_else(|| anyhow::anyhow!("no administrator"))?;
    sdk.authenticate(kiro_sdk::Credentials::Password {
        email: admin.email,
        password: admin.password,
    })
    .await?;
    assert_eq!(sdk.assessment().assessments(None).await?.items.len(), 3);

    let (code, lesson) = cli.json(&["assess", "lesson", &doc, &weakest], b"").await?;
    assert_eq!(code, 0, "{lesson}");
    assert_eq!(lesson["topic"], weakest.as_str());
    assert!(!lesson["explanation"].as_array().is_none_or(Vec::is_empty));

    let (code, report) = cli.json(&["assess", "report"], b"").await?;
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["report"]["assessmentsTaken"], 3);
    assert!(
        !report["report"]["topicMastery"]
            .as_array()
            .is_none_or(Vec::is_empty)
    );
    assert_eq!(
        report["progress"]["scores"].as_array().map(Vec::len),
        Some(3)
    );
    assert_eq!(
        report["revisionsDue"],
        serde_json::json!([]),
        "first due tomorrow"
    );
    let shown = cli
        .run(&["assess", "report", "--from", "2020-01-01"], b"")
        .await?;
    assert!(text(&shown.stdout).contains("Mastery"));
    let backwards = cli
        .run(
            &[
                "assess",
                "report",
                "--from",
                "2030-01-02",
                "--to",
                "2030-01-01",
            ],
            b"",
        )
        .await?;
    assert_eq!(backwards.status.code(), Some(2));

    let (_, revisions) = cli
        .json(&["assess", "revise", "--list", "--all"], b"")
        .await?;
    let first = revisions[0]["id"].as_str().unwrap_or_default().to_owned();
    assert!(!first.is_empty(), "weak topics are scheduled: {revisions}");
    let (code, reviewed) = cli
        .json(&["assess", "revise", &first, "--recall", "good"], b"")
        .await?;
    assert_eq!((code, &reviewed["reviews"]), (0, &Value::from(1)));
    let (code, none) = cli.json(&["assess", "revise"], b"").await?;
    assert_eq!((code, none), (0, serde_json::json!([])), "nothing due yet");
    Ok(())
}

crate::on_both_backends!(
    uploads_show_topics_and_bad_files_exit_5,
    questions_quizzes_lessons_report_and_revisions,
);

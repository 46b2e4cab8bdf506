//! The assessment service end to end through `client.assessment()`: real corpus PDFs
//! uploaded, processed as jobs with events, questions generated, assessments taken and
//! graded, weaknesses, reports, progress and revisions — and every bad input answered with
//! its typed error, nothing stored half-way, other workspaces unreachable.

use std::path::PathBuf;
use std::time::Duration;

use kiro_sdk::kiro_types::assessment::{
    AnswerIn, AssessmentCreateRequest, AssessmentStatus, DocumentStatus, QuestionGenerationOptions,
    QuestionType, Recall, StudentAnswers,
};
use kiro_sdk::{Call, Credentials, KiroClient, KiroError, UploadOptions};
use kiro_testkit::{TestServer, on_both_backends};

use crate::{DEADLINE, connect, next_event, ready, signed_in};

/// How long one document may take to process in a debug build.
const PROCESSING: Duration = Duration::from_secs(120);

fn corpus(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/pdf")
        .join(name)
}

fn read(name: &str) -> anyhow::Result<Vec<u8>> {
    Ok(std::fs::read(corpus(name))?)
}

const EINSTEIN: &str = "12-einstein-electrodynamics.pdf";

fn api_code(e: &KiroError) -> String {
    e.code().unwrap_or_default().to_owned()
}

/// Uploads a corpus file and waits for processing to finish.
async fn processed(client: &KiroClient, name: &str) -> anyhow::Result<String> {
    let assessment = client.assessment();
    let uploaded = assessment
        .upload_pdf(name, read(name)?, &UploadOptions::default())
        .await?;
    let done = assessment
        .wait_for_document(&uploaded.id, PROCESSING)
        .await?;
    anyhow::ensure!(
        done.status == DocumentStatus::Completed,
        "{name} did not complete: {:?}",
        done.failure
    );
    Ok(done.id)
}

async fn a_pdf_becomes_topics_questions_and_a_graded_assessment(
    server: TestServer,
) -> anyhow::Result<()> {
    let client = signed_in(&server).await?;
    let assessment = client.assessment();
    assert_eq!(
        assessment.status(),
        Some(kiro_sdk::kiro_types::discovery::ServiceStatus::Available)
    );
    let mut events = client.subscribe(["assessment.document.*"])?;
    ready(&mut events).await?;

    let uploaded = assessment
        .upload_pdf(EINSTEIN, read(EINSTEIN)?, &UploadOptions::default())
        .await?;
    assert_eq!(uploaded.status, DocumentStatus::Processing);
    assert_eq!(uploaded.filename, EINSTEIN);
    let first = next_event(&mut events).await?;
    assert_eq!(first.event_type, "assessment.document.uploaded");
    let done = assessment
        .wait_for_document(&uploaded.id, PROCESSING)
        .await?;
    assert_eq!(done.status, DocumentStatus::Completed, "{:?}", done.failure);
    assert_eq!(done.page_count, 24);
    assert_eq!(done.progress, 100);
    assert!(done.topic.is_some());
    let mut kinds = Vec::new();
    while kinds.last().map(String::as_str) != Some("assessment.document.completed") {
        kinds.push(next_event(&mut events).await?.event_type);
    }
    assert!(
        kinds.contains(&"assessment.document.progress".to_owned()),
        "{kinds:?}"
    );

    let text = assessment.extract_text(&done.id).await?;
    assert_eq!(text.pages.len(), 24);
    assert!(text.word_count > 5_000);
    let topics = assessment.analyze_topics(&done.id).await?;
    assert!(!topics.topics.is_empty());
    assert!(topics.estimated_reading_time > 0);
    let objectives = assessment.identify_learning_objectives(&done.id).await?;
    assert!(!objectives.is_empty());
    let questions = assessment.latest_questions(&done.id).await?;
    assert_eq!(questions.questions.len(), 5, "5 questions by default");
    assert_eq!(questions.ai_model, "local-rules-1");

    // The same file again is the same document.
    let again = assessment
        .upload_pdf("copy.pdf", read(EINSTEIN)?, &UploadOptions::default())
        .await?;
    assert_eq!(again.id, done.id);

    // More questions on request, deterministic for a seed.
    let options = QuestionGenerationOptions {
        count: Some(8),
        seed: Some(7),
        ..QuestionGenerationOptions::default()
    };
    let eight = assessment.generate_questions(&done.id, &options).await?;
    let same = assessment.generate_questions(&done.id, &options).await?;
    assert_eq!(eight.questions.len(), 8);
    let texts = |q: &kiro_sdk::kiro_types::assessment::GeneratedQuestions| {
        q.questions
            .iter()
            .map(|q| q.text.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(texts(&eight), texts(&same));
    let mcq_only = assessment
        .generate_questions(
            &done.id,
            &QuestionGenerationOptions {
                types: Some(vec![QuestionType::MultipleChoice]),
                ..QuestionGenerationOptions::default()
            },
        )
        .await?;
    assert!(
        mcq_only
            .questions
            .iter()
            .all(|q| q.kind == QuestionType::MultipleChoice
                && q.options.as_ref().map(Vec::len) == Some(4))
    );

    // An assessment from the default questions, answered perfectly.
    let quiz = assessment
        .create_assessment(&AssessmentCreateRequest {
            title: None,
            pdf_id: done.id.clone(),
            questions_id: Some(questions.id.clone()),
            time_limit: Some(600),
            passing_score: Some(60.0),
            status: None,
        })
        .await?;
    assert_eq!(quiz.status, AssessmentStatus::Active);
    let perfect = StudentAnswers {
        answers: quiz
            .questions
            .iter()
            .map(|q| AnswerIn {
                question_id: q.id.clone(),
                answer: q
                    .correct_answer
                    .clone()
                    .unwrap_or_else(|| q.rubric.join(" ")),
                time_spent: 12,
            })
            .collect(),
    };
    let evaluated = assessment.evaluate_answers(&quiz.id, &perfect).await?;
    assert!(evaluated.id.is_empty(), "an evaluation is not stored");
    let result = assessment.submit_answers(&quiz.id, &perfect).await?;
    assert_eq!(result.percentage, 100.0);
    assert!(result.passed);
    assert_eq!(result.time_spent, 12 * 5);
    let twice = assessment.submit_answers(&quiz.id, &perfect).await;
    assert_eq!(
        twice.err().map(|e| api_code(&e)).as_deref(),
        Some("assessment.submission.exists")
    );
    let stats = assessment.question_statistics(&quiz.id).await?;
    assert!(stats.iter().all(|s| s.attempts == 1 && s.correct == 1));
    let report = assessment.learning_report(None, None, None).await?;
    assert_eq!(report.assessments_taken, 1);
    assert!(!report.topic_mastery.is_empty());
    Ok(())
}

async fn wrong_answers_make_weak_topics_revisions_and_progress(
    server: TestServer,
) -> anyhow::Result<()> {
    let client = signed_in(&server).await?;
    let assessment = client.assessment();
    let pdf = processed(&client, EINSTEIN).await?;
    let quiz = assessment
        .create_assessment(&AssessmentCreateRequest {
            title: Some("Diagnosis".into()),
            pdf_id: pdf.clone(),
            questions_id: None,
            time_limit: None,
            passing_score: None,
            status: None,
        })
        .await?;
    let wrong = StudentAnswers {
        answers: quiz
            .questions
            .iter()
            .map(|q| AnswerIn {
                question_id: q.id.clone(),
                answer: "no idea".into(),
                time_spent: 5,
            })
            .collect(),
    };
    let result = assessment.submit_answers(&quiz.id, &wrong).await?;
    assert_eq!(result.percentage, 0.0);
    assert!(!result.passed);
    assert!(result.topic_scores.iter().all(|t| t.weakness));
    let weak = assessment.topic_weaknesses(&quiz.id, None).await?;
    assert!(!weak.is_empty());
    assert!(weak.iter().all(|w| !w.recommended_actions.is_empty()));

    let lesson = assessment.lesson(&pdf, &weak[0].topic).await?;
    assert!(!lesson.explanation.is_empty());
    assert!(!lesson.pages.is_empty());

    let revisions = assessment.revisions(false).await?;
    assert_eq!(revisions.len(), result.topic_scores.len());
    assert!(
        assessment.revisions(true).await?.is_empty(),
        "first due tomorrow"
    );
    let reviewed = assessment
        .review_revision(&revisions[0].id, Recall::Good)
        .await?;
    assert_eq!(reviewed.reviews, 1);
    assert!(reviewed.due_at > revisions[0].due_at);

    let progress = assessment.progress_analytics(None).await?;
    assert_eq!(progress.scores.len(), 1);
    assert_eq!(progress.retention.len(), 1);
    assert_eq!(progress.streak_days, 1);
    assert!(progress.needs_focus >= 1);
    Ok(())
}

async fn bad_files_get_typed_errors_and_store_nothing(server: TestServer) -> anyhow::Result<()> {
    let client = signed_in(&server).await?;
    let assessment = client.assessment();
    let none = UploadOptions::default();
    let empty = assessment.upload_pdf("empty.pdf", Vec::new(), &none).await;
    assert_eq!(
        empty.err().map(|e| api_code(&e)).as_deref(),
        Some("assessment.pdf.empty")
    );
    let fake = assessment
        .upload_pdf("notes.pdf", b"PK\x03\x04 this is a zip".to_vec(), &none)
        .await;
    assert_eq!(
        fake.err().map(|e| api_code(&e)).as_deref(),
        Some("assessment.pdf.not_pdf")
    );
    assert!(
        assessment.documents(None).await?.items.is_empty(),
        "nothing stored"
    );

    // Not multipart at all.
    let json = client
        .call(Call::post("/v1/assessment/documents").json(serde_json::json!({ "file": "x" })))
        .await;
    assert_eq!(
        json.err().map(|e| api_code(&e)).as_deref(),
        Some("request.unsupported_media_type")
    );

    // Encrypted: refused without its password, read with it.
    let locked = "20-userpw-encrypted.pdf";
    let first = assessment.upload_pdf(locked, read(locked)?, &none).await?;
    let failed = assessment.wait_for_document(&first.id, PROCESSING).await?;
    assert_eq!(failed.status, DocumentStatus::Failed);
    let failure = failed.failure.clone().unwrap_or_else(unreachable_failure);
    assert_eq!(failure.code, "assessment.pdf.encrypted");
    assert!(failure.suggestion.contains("password"));
    let questions = assessment.latest_questions(&first.id).await;
    assert_eq!(
        questions.err().map(|e| api_code(&e)).as_deref(),
        Some("assessment.document.failed")
    );
    let with_password = UploadOptions {
        password: Some("openpassword".into()),
        ..UploadOptions::default()
    };
    let second = assessment
        .upload_pdf(locked, read(locked)?, &with_password)
        .await?;
    assert_ne!(second.id, first.id, "a failed document is replaced");
    let opened = assessment.wait_for_document(&second.id, PROCESSING).await?;
    assert_ne!(
        opened.failure.as_ref().map(|f| f.code.as_str()),
        Some("assessment.pdf.encrypted")
    );

    // A truncated file: a typed failure or a partial read, and the server stays up.
    let mut truncated = read(EINSTEIN)?;
    truncated.truncate(110_000);
    let cut = assessment.upload_pdf("cut.pdf", truncated, &none).await?;
    let cut = assessment.wait_for_document(&cut.id, PROCESSING).await?;
    if let Some(f) = &cut.failure {
        assert!(f.code.starts_with("assessment.pdf."), "{f:?}");
    }
    assert!(client.health().await.is_ok());
    Ok(())
}

fn unreachable_failure() -> kiro_sdk::kiro_types::assessment::DocumentFailure {
    kiro_sdk::kiro_types::assessment::DocumentFailure {
        code: "missing".into(),
        message: String::new(),
        suggestion: String::new(),
    }
}

async fn answers_must_name_the_assessments_questions(server: TestServer) -> anyhow::Result<()> {
    let client = signed_in(&server).await?;
    let assessment = client.assessment();
    let pdf = processed(&client, EINSTEIN).await?;
    let create = |status| AssessmentCreateRequest {
        title: None,
        pdf_id: pdf.clone(),
        questions_id: None,
        time_limit: None,
        passing_score: None,
        status,
    };
    let quiz = assessment.create_assessment(&create(None)).await?;
    let unknown = StudentAnswers {
        answers: vec![AnswerIn {
            question_id: "not-a-question".into(),
            answer: "x".into(),
            time_spent: 1,
        }],
    };
    let refused = assessment.submit_answers(&quiz.id, &unknown).await;
    assert_eq!(
        refused.err().map(|e| api_code(&e)).as_deref(),
        Some("assessment.answer.unknown_question")
    );
    let id = quiz.questions[0].id.clone();
    let duplicate = StudentAnswers {
        answers: vec![
            AnswerIn {
                question_id: id.clone(),
                answer: "a".into(),
                time_spent: 1,
            },
            AnswerIn {
                question_id: id,
                answer: "b".into(),
                time_spent: 1,
            },
        ],
    };
    let refused = assessment.submit_answers(&quiz.id, &duplicate).await;
    assert_eq!(
        refused.err().map(|e| api_code(&e)).as_deref(),
        Some("assessment.answer.duplicate")
    );
    assert!(assessment.progress_analytics(None).await?.scores.is_empty());

    let draft = assessment
        .create_assessment(&create(Some(AssessmentStatus::Draft)))
        .await?;
    let closed = assessment.submit_answers(&draft.id, &unknown).await;
    assert_eq!(
        closed.err().map(|e| api_code(&e)).as_deref(),
        Some("assessment.assessment.not_active")
    );
    let patch = kiro_sdk::kiro_types::assessment::AssessmentPatch {
        status: Some(AssessmentStatus::Archived),
        ..Default::default()
    };
    let stale = assessment
        .update_assessment(&draft.id, &patch, Some(9))
        .await;
    assert_eq!(
        stale.err().map(|e| api_code(&e)).as_deref(),
        Some("resource.conflict")
    );
    let archived = assessment
        .update_assessment(&draft.id, &patch, Some(1))
        .await?;
    assert_eq!(archived.status, AssessmentStatus::Archived);
    assert_eq!(archived.version, 2);
    Ok(())
}

async fn another_workspace_sees_none_of_it(server: TestServer) -> anyhow::Result<()> {
    let owner = signed_in(&server).await?;
    let pdf = processed(&owner, EINSTEIN).await?;
    let quiz = owner
        .assessment()
        .create_assessment(&AssessmentCreateRequest {
            title: None,
            pdf_id: pdf.clone(),
            questions_id: None,
            time_limit: None,
            passing_score: None,
            status: None,
        })
        .await?;

    let stranger = connect(&server).await?;
    let register = Call::post("/v1/auth/register").json(serde_json::json!({
        "email": "stranger@example.com", "password": "correct horse battery", "name": "S"
    }));
    stranger.call(register).await?;
    stranger
        .authenticate(Credentials::Password {
            email: "stranger@example.com".into(),
            password: "correct horse battery".into(),
        })
        .await?;
    let theirs = stranger.assessment();
    let doc = theirs.document(&pdf).await;
    assert_eq!(
        doc.err().map(|e| api_code(&e)).as_deref(),
        Some("assessment.document.not_found")
    );
    let quiz = theirs.assessment(&quiz.id).await;
    assert_eq!(
        quiz.err().map(|e| api_code(&e)).as_deref(),
        Some("assessment.assessment.not_found")
    );
    assert!(theirs.documents(None).await?.items.is_empty());
    // Their own upload of the same file is their own document.
    let own = theirs
        .upload_pdf(EINSTEIN, read(EINSTEIN)?, &UploadOptions::default())
        .await?;
    assert_ne!(own.id, pdf);
    let _ = DEADLINE;
    Ok(())
}

on_both_backends!(
    a_pdf_becomes_topics_questions_and_a_graded_assessment,
    wrong_answers_make_weak_topics_revisions_and_progress,
    bad_files_get_typed_errors_and_store_nothing,
    answers_must_name_the_assessments_questions,
    another_workspace_sees_none_of_it,
);

//! Question generation by an LLM provider through the assessment service: Gemini and an
//! OpenAI-compatible server (a mock speaking each one's wire format, see [`mock`]) write the
//! questions when they answer, and the local engine answers instead — saying why — when the
//! provider fails, is slow, or writes something that is not the schema. The health report
//! checks the provider.

#![allow(clippy::unwrap_used)]

mod mock;

use std::time::Duration;

use kiro_sdk::kiro_types::assessment::{
    AnswerIn, AssessmentCreateRequest, DocumentStatus, EngineChoice, GeneratedQuestions,
    QuestionGenerationOptions, QuestionType, StudentAnswers,
};
use kiro_sdk::kiro_types::discovery::{CheckStatus, ServiceStatus};
use kiro_sdk::{KiroClient, UploadOptions};
use kiro_testkit::{Backend, TestServer, spawn_server_with};

use self::mock::{KEY, MockLlm, Mode};
use crate::signed_in;

const EINSTEIN: &str = "12-einstein-electrodynamics.pdf";

fn read(name: &str) -> anyhow::Result<Vec<u8>> {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/pdf")
        .join(name);
    Ok(std::fs::read(path)?)
}

/// A server on `backend` asking `mock` as `provider` (`gemini` or `openai`).
async fn server(
    backend: Backend,
    mock: &MockLlm,
    provider: &str,
) -> anyhow::Result<Option<TestServer>> {
    let (provider, base_url) = (provider.to_owned(), mock.base_url.clone());
    spawn_server_with(backend, move |config| {
        let a = &mut config.assessment;
        a.llm_model = if provider == "gemini" {
            "gemini-test"
        } else {
            "llama3.1"
        }
        .into();
        a.llm_provider = provider;
        a.llm_base_url = base_url;
        a.llm_api_key = KEY.into();
        a.llm_timeout_secs = 2;
    })
    .await
}

/// Uploads the Einstein paper and waits until it is processed.
async fn processed(client: &KiroClient) -> anyhow::Result<String> {
    let assessment = client.assessment();
    let uploaded = assessment
        .upload_pdf(EINSTEIN, read(EINSTEIN)?, &UploadOptions::default())
        .await?;
    let done = assessment
        .wait_for_document(&uploaded.id, Duration::from_secs(120))
        .await?;
    anyhow::ensure!(
        done.status == DocumentStatus::Completed,
        "{:?}",
        done.failure
    );
    Ok(done.id)
}

/// Every question came from the provider, built on a sentence its prompt showed it.
fn from_provider(set: &GeneratedQuestions, mock: &MockLlm, prompt: &str, model: &str) {
    assert_eq!(set.ai_model, model);
    assert_eq!(set.fallback_reason, None);
    assert_eq!(set.questions.len(), 5);
    let excerpts = mock::excerpts(prompt);
    for q in &set.questions {
        assert_eq!(q.kind, QuestionType::Cloze);
        assert!(
            excerpts.iter().any(|(_, _, s)| *s == q.source.sentence),
            "{} is not one of the prompt's excerpts",
            q.source.sentence
        );
    }
    assert!(mock.calls() >= 1);
}

fn engine(choice: EngineChoice) -> QuestionGenerationOptions {
    QuestionGenerationOptions {
        engine: Some(choice),
        ..QuestionGenerationOptions::default()
    }
}

async fn gemini_case(backend: Backend) -> anyhow::Result<()> {
    let mock = MockLlm::start().await?;
    let Some(server) = server(backend, &mock, "gemini").await? else {
        return Ok(());
    };
    let client = signed_in(&server).await?;
    let id = processed(&client).await?;
    // Processing asks the provider for the first five questions.
    let first = client.assessment().latest_questions(&id).await?;
    let (body, headers) = mock.last();
    assert_eq!(headers["x-goog-api-key"], KEY);
    assert_eq!(
        body["generationConfig"]["responseMimeType"],
        "application/json"
    );
    assert_eq!(body["generationConfig"]["responseSchema"]["type"], "OBJECT");
    let prompt = body["contents"][0]["parts"][0]["text"]
        .as_str()
        .unwrap_or_default();
    assert!(prompt.starts_with("Write 5 questions."), "{prompt}");
    from_provider(&first, &mock, prompt, "gemini-test");

    // The local engine on request, without a call.
    let calls = mock.calls();
    let local = client
        .assessment()
        .generate_questions(&id, &engine(EngineChoice::Local))
        .await?;
    assert_eq!(local.ai_model, "local-rules-1");
    assert_eq!(mock.calls(), calls);

    let health = client.health().await?;
    let check = health
        .checks
        .iter()
        .find(|c| c.name.starts_with("llm (gemini"));
    assert_eq!(
        check.map(|c| c.status),
        Some(CheckStatus::Pass),
        "{health:?}"
    );
    server.stop().await
}

async fn openai_case(backend: Backend) -> anyhow::Result<()> {
    let mock = MockLlm::start().await?;
    let Some(server) = server(backend, &mock, "openai").await? else {
        return Ok(());
    };
    let client = signed_in(&server).await?;
    let id = processed(&client).await?;
    let set = client
        .assessment()
        .generate_questions(&id, &engine(EngineChoice::Llm))
        .await?;
    let (body, headers) = mock.last();
    assert_eq!(headers["authorization"], format!("Bearer {KEY}"));
    assert_eq!(body["model"], "llama3.1");
    assert_eq!(body["response_format"]["type"], "json_schema");
    let prompt = body["messages"][1]["content"].as_str().unwrap_or_default();
    from_provider(&set, &mock, prompt, "llama3.1");
    server.stop().await
}

async fn fallback_case(backend: Backend) -> anyhow::Result<()> {
    let mock = MockLlm::start().await?;
    mock.set_mode(Mode::Overloaded);
    let Some(server) = server(backend, &mock, "gemini").await? else {
        return Ok(());
    };
    let client = signed_in(&server).await?;
    // Processing completes with the local engine's questions while the provider is down.
    let id = processed(&client).await?;
    let first = client.assessment().latest_questions(&id).await?;
    assert_eq!(first.ai_model, "local-rules-1");
    let reason = first.fallback_reason.unwrap_or_default();
    assert!(reason.contains("overloaded"), "{reason}");
    let health = client.health().await?;
    let check = health.checks.iter().find(|c| c.name.starts_with("llm ("));
    assert_eq!(
        check.map(|c| c.status),
        Some(CheckStatus::Pass),
        "the model list answers"
    );

    for (mode, expected) in [
        (Mode::NotTheSchema, "not the JSON the schema asks for"),
        (Mode::Hang, "did not answer within 2 s"),
    ] {
        mock.set_mode(mode);
        let set = client
            .assessment()
            .generate_questions(&id, &engine(EngineChoice::Llm))
            .await?;
        assert_eq!(set.ai_model, "local-rules-1");
        assert_eq!(set.questions.len(), 5);
        let reason = set.fallback_reason.unwrap_or_default();
        assert!(reason.contains(expected), "{mode:?}: {reason}");
    }
    server.stop().await
}

async fn not_configured_case(backend: Backend) -> anyhow::Result<()> {
    let Some(server) = spawn_server_with(backend, |_| {}).await? else {
        return Ok(());
    };
    let client = signed_in(&server).await?;
    let id = processed(&client).await?;
    let refused = client
        .assessment()
        .generate_questions(&id, &engine(EngineChoice::Llm))
        .await
        .unwrap_err();
    assert_eq!(refused.status(), Some(422));
    assert_eq!(refused.code(), Some("assessment.llm.not_configured"));
    let auto = client
        .assessment()
        .generate_questions(&id, &engine(EngineChoice::Auto))
        .await?;
    assert_eq!(auto.ai_model, "local-rules-1");
    assert_eq!(auto.fallback_reason, None);
    let health = client.health().await?;
    assert!(health.checks.iter().all(|c| !c.name.starts_with("llm")));
    let assessment = health.services.iter().find(|s| s.name == "assessment");
    assert_eq!(assessment.map(|s| s.status), Some(ServiceStatus::Available));
    server.stop().await
}

async fn unreachable_case(backend: Backend) -> anyhow::Result<()> {
    // A provider that is down altogether: the health report says so, the service degrades.
    let Some(server) = spawn_server_with(backend, |config| {
        let a = &mut config.assessment;
        a.llm_provider = "openai".into();
        a.llm_base_url = "http://127.0.0.1:9".into();
        a.llm_model = "llama3.1".into();
        a.llm_timeout_secs = 2;
    })
    .await?
    else {
        return Ok(());
    };
    let client = signed_in(&server).await?;
    let health = client.health().await?;
    let check = health
        .checks
        .iter()
        .find(|c| c.name.starts_with("llm (openai"));
    assert_eq!(
        check.map(|c| c.status),
        Some(CheckStatus::Fail),
        "{health:?}"
    );
    assert_eq!(health.status, ServiceStatus::Available);
    let assessment = health.services.iter().find(|s| s.name == "assessment");
    assert_eq!(assessment.map(|s| s.status), Some(ServiceStatus::Degraded));
    server.stop().await
}

async fn essay_case(backend: Backend) -> anyhow::Result<()> {
    let mock = MockLlm::start().await?;
    let Some(server) = server(backend, &mock, "openai").await? else {
        return Ok(());
    };
    let client = signed_in(&server).await?;
    let id = processed(&client).await?;
    let assessment = client.assessment();
    let essays = assessment
        .generate_questions(
            &id,
            &QuestionGenerationOptions {
                count: Some(1),
                types: Some(vec![QuestionType::Essay]),
                engine: Some(EngineChoice::Local),
                ..QuestionGenerationOptions::default()
            },
        )
        .await?;
    let question = essays
        .questions
        .first()
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("no essay"))?;
    let quiz = assessment
        .create_assessment(&AssessmentCreateRequest {
            title: None,
            pdf_id: id.clone(),
            questions_id: Some(essays.id.clone()),
            time_limit: None,
            passing_score: None,
            status: None,
        })
        .await?;
    let answers = StudentAnswers {
        answers: vec![AnswerIn {
            question_id: question.id.clone(),
            answer: format!("It is about {}.", question.rubric.join(" and ")),
            time_spent: 30,
        }],
    };
    let marked = assessment.evaluate_answers(&quiz.id, &answers).await?;
    let answer = &marked.answers[0];
    assert!(!answer.provisional, "the provider's mark is final");
    assert!((answer.credit - 0.8).abs() < 1e-9);
    let covered = question.rubric.len().min(2);
    assert!(
        answer.feedback.starts_with("Mock marker"),
        "{}",
        answer.feedback
    );
    assert!(
        answer
            .feedback
            .contains(&format!("covered: {covered} of {}", question.rubric.len())),
        "{}",
        answer.feedback
    );
    let (body, _) = mock.last();
    assert_eq!(body["response_format"]["json_schema"]["name"], "essay_mark");

    // A provider that answers in prose leaves the rubric check's provisional mark.
    mock.set_mode(Mode::NotTheSchema);
    let fallback = assessment.evaluate_answers(&quiz.id, &answers).await?;
    let answer = &fallback.answers[0];
    assert!(answer.provisional);
    assert!(
        answer.feedback.contains("could not mark it"),
        "{}",
        answer.feedback
    );
    server.stop().await
}

macro_rules! both {
    ($($case:ident),+) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                for backend in [Backend::Sqlite, Backend::Postgres] {
                    if let Err(e) = super::$case(backend).await {
                        panic!("{backend:?}: {e:#}");
                    }
                }
            }
        )+
    };
}

mod cases {
    use kiro_testkit::Backend;

    both!(
        gemini_case,
        openai_case,
        fallback_case,
        not_configured_case,
        unreachable_case,
        essay_case
    );
}

//! `GET/POST /kiro/execution`: the code playground. Choose an environment, edit the code and
//! its standard input, set the time and memory limits, run it on Kiro's sandbox through
//! kiro-sdk, and read the verdict, the usage, the isolation and both output streams. A plain
//! form post (works without JavaScript); a refusal (unknown environment, limits above the
//! maxima, oversized code) re-renders the form with Kiro's explanation and what was typed.
//! "Run as job" (`POST /kiro/execution/jobs`) queues the same run and goes to the job's page,
//! where its output appears as it is written.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use kiro_sdk::kiro_types::execution::{
    ExecutionCapabilities, ExecutionEnvironment, RunRequest, RunResponse,
};
use serde::Deserialize;

use super::samples::sample;
use crate::verdicts;
use crate::web::learn::problem::{Frame, explain};
use crate::web::session::{Session, SignedIn};
use crate::web::{WebState, render};

/// The largest program the form takes, in bytes (the server has its own cap too).
const MAX_CODE: usize = 256 * 1024;

/// One choice of the environment list.
pub struct EnvironmentOption {
    pub name: String,
    pub label: String,
    pub selected: bool,
}

/// A finished run, ready to show.
pub struct RunView {
    pub verdict: String,
    pub tone: &'static str,
    pub usage: String,
    pub isolation: &'static str,
    pub exit_code: i32,
    pub stdout: String,
    pub stderr: String,
    pub compile_output: Option<String>,
}

impl RunView {
    fn of(response: &RunResponse) -> Self {
        Self {
            verdict: verdicts::describe(response.verdict()),
            tone: verdicts::tone(response.verdict()),
            usage: verdicts::usage(&response.usage),
            isolation: verdicts::isolation(response.isolation()),
            exit_code: response.result.exit_code,
            stdout: response.stdout.clone(),
            stderr: response.stderr.clone(),
            compile_output: response
                .compile
                .as_ref()
                .map(|c| format!("{}{}", c.stdout, c.stderr))
                .filter(|text| !text.trim().is_empty()),
        }
    }
}

#[derive(Template)]
#[template(path = "execute/playground.html")]
struct PlaygroundPage {
    active: &'static str,
    status: &'static str,
    user_name: String,
    sandbox: Option<String>,
    environments: Vec<EnvironmentOption>,
    code: String,
    stdin: String,
    time_limit: String,
    memory_limit: String,
    error: Option<String>,
    run: Option<RunView>,
}

/// What the form holds (also `?environment=` to open on one).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PlaygroundForm {
    environment: String,
    code: String,
    stdin: String,
    time_limit: String,
    memory_limit: String,
}

pub async fn playground(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Query(form): Query<PlaygroundForm>,
) -> Response {
    let session = &signed_in.session;
    let (environments, sandbox) = lookup(session).await;
    let mut form = form;
    let chosen = environments
        .iter()
        .find(|e| e.name == form.environment)
        .or_else(|| environments.first());
    if let Some(env) = chosen {
        form.environment = env.name.clone();
        if form.code.is_empty() {
            form.code = sample(&env.name, &env.language).to_owned();
        }
    }
    let page = page(&state, session, &environments, sandbox, form, None, None);
    render::ok(&page)
}

pub async fn run(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Form(form): Form<PlaygroundForm>,
) -> Response {
    let session = &signed_in.session;
    let (environments, sandbox) = lookup(session).await;
    let (outcome, refusal) = match request(&form) {
        Ok(request) => match session.client.execution().run(&request).await {
            Ok(response) => (Some(RunView::of(&response)), None),
            Err(e) => (None, Some(explain(&e))),
        },
        Err(message) => (None, Some((StatusCode::UNPROCESSABLE_ENTITY, message))),
    };
    let (status, error) = match refusal {
        Some((status, message)) => (status, Some(message)),
        None => (StatusCode::OK, None),
    };
    let page = page(
        &state,
        session,
        &environments,
        sandbox,
        form,
        outcome,
        error,
    );
    render::page(status, &page)
}

/// `POST /kiro/execution/jobs`: queues the form's run as a job and shows the job's page.
pub async fn run_as_job(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Form(form): Form<PlaygroundForm>,
) -> Response {
    let session = &signed_in.session;
    let (status, message) = match request(&form) {
        Ok(request) => match session.client.execution().submit_job(&request).await {
            Ok(job) => {
                return Redirect::to(&format!("/kiro/execution/jobs/{}", job.id)).into_response();
            }
            Err(e) => explain(&e),
        },
        Err(message) => (StatusCode::UNPROCESSABLE_ENTITY, message),
    };
    let (environments, sandbox) = lookup(session).await;
    let page = page(
        &state,
        session,
        &environments,
        sandbox,
        form,
        None,
        Some(message),
    );
    render::page(status, &page)
}

/// The run the form asks for, or what to fix in it.
fn request(form: &PlaygroundForm) -> Result<RunRequest, String> {
    if form.environment.trim().is_empty() {
        return Err("Choose an environment to run the code in.".into());
    }
    if form.code.trim().is_empty() {
        return Err("Write some code to run.".into());
    }
    if form.code.len() > MAX_CODE {
        return Err(format!(
            "The code is {} KiB; keep it under {} KiB.",
            form.code.len() / 1024,
            MAX_CODE / 1024
        ));
    }
    let number = |text: &str, what: &str| -> Result<Option<u64>, String> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        text.parse::<u64>()
            .ok()
            .filter(|n| *n > 0)
            .map(Some)
            .ok_or_else(|| format!("The {what} must be a whole number above 0, or left empty."))
    };
    Ok(RunRequest {
        environment: form.environment.trim().to_owned(),
        code: form.code.replace("\r\n", "\n"),
        stdin: Some(form.stdin.replace("\r\n", "\n")).filter(|s| !s.is_empty()),
        time_limit_ms: number(&form.time_limit, "time limit")?,
        memory_limit_mb: number(&form.memory_limit, "memory limit")?,
        ..RunRequest::default()
    })
}

/// The environments, and why the sandbox cannot run code when it cannot.
async fn lookup(session: &Session) -> (Vec<ExecutionEnvironment>, Option<String>) {
    let execution = session.client.execution();
    let environments = execution.environments().await.unwrap_or_default();
    let sandbox = match execution.capabilities().await {
        Ok(ExecutionCapabilities {
            available: false,
            reason,
            ..
        }) => Some(reason.unwrap_or_else(|| "the sandbox cannot start on this host".into())),
        Ok(_) => None,
        Err(e) => Some(explain(&e).1),
    };
    (environments, sandbox)
}

fn page(
    state: &WebState,
    session: &Session,
    environments: &[ExecutionEnvironment],
    sandbox: Option<String>,
    form: PlaygroundForm,
    run: Option<RunView>,
    error: Option<String>,
) -> PlaygroundPage {
    let frame = Frame::of(state, session);
    let options = environments
        .iter()
        .map(|e| EnvironmentOption {
            name: e.name.clone(),
            label: format!("{} {}", e.language, e.version),
            selected: e.name == form.environment,
        })
        .collect();
    PlaygroundPage {
        active: "kiro",
        status: frame.status,
        user_name: frame.user_name,
        sandbox,
        environments: options,
        code: form.code,
        stdin: form.stdin,
        time_limit: form.time_limit,
        memory_limit: form.memory_limit,
        error,
        run,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(code: &str) -> PlaygroundForm {
        PlaygroundForm {
            environment: "python3".into(),
            code: code.into(),
            ..PlaygroundForm::default()
        }
    }

    #[test]
    fn the_form_becomes_a_run_request_with_unix_newlines() -> Result<(), String> {
        let mut f = form("print(1)\r\nprint(2)");
        f.stdin = "a\r\n".into();
        f.time_limit = " 1500 ".into();
        let request = request(&f)?;
        assert_eq!(request.code, "print(1)\nprint(2)");
        assert_eq!(request.stdin.as_deref(), Some("a\n"));
        assert_eq!(request.time_limit_ms, Some(1500));
        assert_eq!(request.memory_limit_mb, None);
        Ok(())
    }

    #[test]
    fn empty_code_bad_limits_and_huge_code_say_what_to_fix() {
        assert!(
            request(&form("  "))
                .err()
                .unwrap_or_default()
                .contains("Write some code")
        );
        let mut f = form("print(1)");
        f.memory_limit = "-3".into();
        assert!(
            request(&f)
                .err()
                .unwrap_or_default()
                .contains("memory limit")
        );
        let huge = "x".repeat(MAX_CODE + 1);
        assert!(
            request(&form(&huge))
                .err()
                .unwrap_or_default()
                .contains("under 256 KiB")
        );
    }
}

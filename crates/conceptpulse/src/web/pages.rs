//! The signed-in pages: the landing redirect, onboarding (names the first study workspace),
//! the learning dashboard (the learner's figures, priority topics and quick actions from
//! [`learn::summary`], and the loop's cards), and the Kiro dashboard (connection, sync,
//! per-service health, fallbacks, live events). Plus the 404 page.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use kiro_sdk::kiro_types::page::Page;
use kiro_sdk::kiro_types::workspace::WorkspaceOut;
use kiro_sdk::{Call, Method, Submitted};
use serde::Deserialize;

use super::account::explain;
use super::learn::{self, Summary};
use super::session::{self, SignedIn};
use super::sync::SyncView;
use super::view::{self, ServiceRow};
use super::{WebState, render};

#[derive(Template)]
#[template(path = "onboarding.html")]
struct OnboardingPage {
    active: &'static str,
    status: &'static str,
    user_name: String,
    subject: String,
    error: Option<String>,
}

/// One step of the learning loop on the dashboard.
struct Card {
    title: &'static str,
    text: &'static str,
    href: &'static str,
    available: bool,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    active: &'static str,
    status: &'static str,
    user_name: String,
    workspaces: Vec<String>,
    cards: Vec<Card>,
    assessment_status: &'static str,
    notice: Option<String>,
    pending: usize,
    /// The learner's figures; `None` when Kiro could not give them.
    learning: Option<Summary>,
    learning_error: Option<String>,
}

#[derive(Template)]
#[template(path = "kiro.html")]
struct KiroPage {
    active: &'static str,
    status: &'static str,
    status_text: String,
    user_name: String,
    server_url: String,
    api_version: String,
    sync: SyncView,
    services: Vec<ServiceRow>,
    unavailable: Vec<ServiceRow>,
}

#[derive(Template)]
#[template(path = "not_found.html")]
struct NotFoundPage;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct OnboardingForm {
    subject: String,
}

pub async fn home(State(state): State<WebState>, jar: CookieJar) -> Redirect {
    if session::current(&state, &jar).await.is_some() {
        Redirect::to("/dashboard")
    } else {
        Redirect::to("/signin")
    }
}

pub async fn onboarding_page(State(state): State<WebState>, signed_in: SignedIn) -> Response {
    let overview = view::overview(&state);
    render::ok(&OnboardingPage {
        active: "",
        status: overview.connection.status,
        user_name: signed_in.session.name.clone(),
        subject: String::new(),
        error: None,
    })
}

pub async fn onboarding(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Form(form): Form<OnboardingForm>,
) -> Response {
    let subject = form.subject.trim().to_owned();
    let failed = |status, error: String, connection: &'static str| {
        let page = OnboardingPage {
            active: "",
            status: connection,
            user_name: signed_in.session.name.clone(),
            subject: subject.clone(),
            error: Some(error),
        };
        render::page(status, &page)
    };
    if subject.is_empty() {
        let status = view::overview(&state).connection.status;
        let error = "Name what you are studying, or skip for now.".to_owned();
        return failed(StatusCode::UNPROCESSABLE_ENTITY, error, status);
    }
    let call = Call::post("/v1/workspaces").json(serde_json::json!({ "name": subject }));
    match signed_in.session.queue.submit(call).await {
        Ok(Submitted::Sent(_)) => Redirect::to("/dashboard").into_response(),
        Ok(Submitted::Queued { .. }) => Redirect::to("/dashboard?queued=1").into_response(),
        Err(e) => {
            let (status, message) = explain(&e, "This workspace cannot be created.");
            let connection = view::overview(&state).connection.status;
            failed(status, message, connection)
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DashboardQuery {
    queued: Option<String>,
}

pub async fn dashboard(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Query(query): Query<DashboardQuery>,
) -> Response {
    let overview = view::overview(&state);
    let workspaces: Result<Page<WorkspaceOut>, _> = signed_in
        .session
        .client
        .request(Method::GET, "/v1/workspaces?limit=200", None)
        .await;
    let workspaces = workspaces
        .map(|page| {
            page.items
                .into_iter()
                .filter(|w| !w.personal)
                .map(|w| w.name)
                .collect()
        })
        .unwrap_or_default();
    let available = overview.is_up("assessment");
    let steps = [
        (
            "Upload notes",
            "Add a PDF of your notes; its topics are found for you.",
            "/learn/upload",
        ),
        (
            "Diagnose",
            "Take a short quiz generated from your notes.",
            "/learn/quizzes",
        ),
        (
            "Weak topics",
            "See which topics your answers show you have not mastered.",
            "/learn/progress",
        ),
        (
            "Correct",
            "Work through explanations aimed at each weak topic.",
            "/learn/revisions",
        ),
        (
            "Revise",
            "Come back on a spaced schedule, before you forget.",
            "/learn/revisions",
        ),
        (
            "Track mastery",
            "Watch each topic's mastery change over time.",
            "/learn/progress",
        ),
    ];
    let cards = steps
        .into_iter()
        .map(|(title, text, href)| Card {
            title,
            text,
            href,
            available,
        })
        .collect();
    let (learning, learning_error) = if available {
        match learn::summary(&signed_in.session).await {
            Ok(summary) => (Some(summary), None),
            Err(e) => (
                None,
                Some(explain(&e, "Your figures cannot be read right now.").1),
            ),
        }
    } else {
        (None, None)
    };
    render::ok(&DashboardPage {
        active: "dashboard",
        status: overview.connection.status,
        user_name: signed_in.session.name.clone(),
        workspaces,
        cards,
        assessment_status: overview.status_of("assessment"),
        notice: query.queued.map(|_| {
            "Saved here. Kiro cannot be reached right now; your change reaches it as soon as it is back."
                .to_owned()
        }),
        pending: signed_in.session.pending().await,
        learning,
        learning_error,
    })
}

pub async fn kiro(State(state): State<WebState>, signed_in: SignedIn) -> Response {
    let overview = view::overview(&state);
    let unavailable = overview.unavailable();
    render::ok(&KiroPage {
        active: "kiro",
        status: overview.connection.status,
        status_text: overview.connection.text.clone(),
        user_name: signed_in.session.name.clone(),
        server_url: state.client_config.server_url.clone(),
        api_version: overview.api_version.clone(),
        sync: SyncView::of(&signed_in.session).await,
        services: overview.services,
        unavailable,
    })
}

pub async fn not_found() -> Response {
    render::page(StatusCode::NOT_FOUND, &NotFoundPage)
}

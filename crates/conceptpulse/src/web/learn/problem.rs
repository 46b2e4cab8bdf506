//! When a learning page cannot do what was asked: a page with the right status that says
//! what went wrong and what to do, built from Kiro's error (its message already carries the
//! server's advice) or from the UI's own checks. Also the page frame (connection badge and
//! user) every learning page shares.

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use kiro_sdk::KiroError;

use crate::web::session::Session;
use crate::web::{WebState, render, view};

/// What the navigation bar of a learning page shows.
pub struct Frame {
    pub status: &'static str,
    pub user_name: String,
}

impl Frame {
    pub fn of(state: &WebState, session: &Session) -> Self {
        Self {
            status: view::overview(state).connection.status,
            user_name: session.name.clone(),
        }
    }
}

/// A way on from a problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub href: String,
    pub label: String,
}

impl Link {
    pub fn new(href: impl Into<String>, label: impl Into<String>) -> Self {
        Self {
            href: href.into(),
            label: label.into(),
        }
    }
}

/// A problem, ready to render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub status: StatusCode,
    pub title: String,
    pub message: String,
    pub links: Vec<Link>,
}

#[derive(Template)]
#[template(path = "learn/problem.html")]
struct ProblemPage<'a> {
    active: &'static str,
    status: &'static str,
    user_name: &'a str,
    problem: &'a Problem,
}

impl Problem {
    pub fn new(status: StatusCode, title: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            status,
            title: title.into(),
            message: message.into(),
            links: vec![Link::new("/dashboard", "Back to your dashboard")],
        }
    }

    pub fn not_found(title: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, title, message)
    }

    pub fn unprocessable(title: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, title, message)
    }

    /// Puts `link` first among the ways on.
    #[must_use]
    pub fn with_link(mut self, href: impl Into<String>, label: impl Into<String>) -> Self {
        self.links.insert(0, Link::new(href, label));
        self
    }

    /// The page for a failed Kiro call.
    pub fn from_kiro(error: &KiroError) -> Self {
        let (status, message) = explain(error);
        let title = match status {
            StatusCode::NOT_FOUND => "Not found",
            StatusCode::FORBIDDEN => "Not allowed",
            StatusCode::CONFLICT => "Not possible right now",
            StatusCode::SERVICE_UNAVAILABLE => "Kiro cannot be reached",
            s if s.is_client_error() => "This cannot be done",
            _ => "Something went wrong",
        };
        Self::new(status, title, message)
    }

    pub fn render(&self, state: &WebState, session: &Session) -> Response {
        let frame = Frame::of(state, session);
        render::page(
            self.status,
            &ProblemPage {
                active: "",
                status: frame.status,
                user_name: &frame.user_name,
                problem: self,
            },
        )
    }
}

/// Whether `id` looks like a Kiro id (letters, digits and dashes), so it can go into an API
/// path as it is; anything else names nothing.
pub fn is_plain_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// The status and sentence to show for a failed Kiro call.
pub fn explain(error: &KiroError) -> (StatusCode, String) {
    match error {
        KiroError::Connection(_) | KiroError::Timeout => (
            StatusCode::SERVICE_UNAVAILABLE,
            "Kiro cannot be reached right now. Nothing was changed; try again in a moment.".into(),
        ),
        KiroError::Api(api) => {
            let status = StatusCode::from_u16(api.status).unwrap_or(StatusCode::BAD_GATEWAY);
            (status, sentence(&api.message))
        }
        other => (StatusCode::BAD_GATEWAY, sentence(&other.to_string())),
    }
}

/// `text` with a capital first letter and a full stop.
pub fn sentence(text: &str) -> String {
    let text = text.trim();
    let mut chars = text.chars();
    let mut out = chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().collect::<String>() + chars.as_str()
    });
    if !out.is_empty() && !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_messages_read_as_sentences() {
        assert_eq!(
            sentence("the file is empty (0 bytes); choose the PDF again"),
            "The file is empty (0 bytes); choose the PDF again."
        );
        assert_eq!(sentence("Done."), "Done.");
        assert_eq!(sentence(""), "");
    }

    #[test]
    fn only_plain_ids_reach_api_paths() {
        assert!(is_plain_id("0190a5c2-7b1e-7c3d-9f00-1a2b3c4d5e6f"));
        assert!(!is_plain_id("x/statistics"));
        assert!(!is_plain_id("a?b"));
        assert!(!is_plain_id(""));
    }

    #[test]
    fn an_unreachable_kiro_changes_nothing() {
        let problem = Problem::from_kiro(&KiroError::Timeout);
        assert_eq!(problem.status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(problem.message.contains("Nothing was changed"));
        let linked = problem.with_link("/learn/upload", "Upload");
        assert_eq!(linked.links[0].href, "/learn/upload");
        assert_eq!(linked.links.len(), 2);
    }
}

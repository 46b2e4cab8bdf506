//! Turning an askama template into a response: HTML with the given status, or a plain 500
//! (logged) when a template fails to render.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

/// `template` as an HTML response with `status`.
pub fn page(status: StatusCode, template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "cannot render a page");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "ConceptPulse could not render this page; the error is in its log.",
            )
                .into_response()
        }
    }
}

/// `template` as a 200 HTML response.
pub fn ok(template: &impl Template) -> Response {
    page(StatusCode::OK, template)
}

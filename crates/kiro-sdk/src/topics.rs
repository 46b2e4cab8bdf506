//! Topic patterns of the event stream (DESIGN.md §5), checked and matched on the client as
//! the server does: `*`, `<service>`, `<service>.*`, `<service>.<resource>.*` and
//! `<service>.<resource>.<id>`, matched by whole dotted segments. The client checks them
//! before subscribing because one bad pattern would make the server refuse the whole
//! subscription the shared socket sends.

use kiro_types::ErrorType;

use crate::error::{ApiError, KiroError};

/// The names a topic may start with.
pub const TOPIC_SERVICES: [&str; 8] = [
    "auth",
    "tenancy",
    "planning",
    "prototyping",
    "documentation",
    "workflow",
    "execution",
    "assessment",
];

/// The most patterns one subscription may carry.
const MAX_TOPICS: usize = 100;

/// Whether `pattern` (already checked) matches `topic`.
pub fn topic_matches(pattern: &str, topic: &str) -> bool {
    if pattern == "*" {
        return true;
    }
    let prefix = pattern.strip_suffix(".*").unwrap_or(pattern);
    topic == prefix
        || topic
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with('.'))
}

/// Checks a subscription's patterns; the error is the one the server would answer.
pub(crate) fn check_topics(topics: &[String]) -> Result<(), KiroError> {
    if topics.is_empty() || topics.len() > MAX_TOPICS {
        return Err(invalid("subscribe to 1 to 100 topics".into()));
    }
    for topic in topics {
        check_topic(topic).map_err(invalid)?;
    }
    Ok(())
}

fn check_topic(pattern: &str) -> Result<(), String> {
    if pattern == "*" {
        return Ok(());
    }
    let parts: Vec<&str> = pattern.split('.').collect();
    let service = parts.first().copied().unwrap_or("");
    if !TOPIC_SERVICES.contains(&service) {
        return Err(format!(
            "`{}` does not start with a known service ({})",
            pattern.chars().take(80).collect::<String>(),
            TOPIC_SERVICES.join(", ")
        ));
    }
    let well_formed = pattern.len() <= 200
        && parts.len() <= 3
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '*')
        })
        && parts
            .iter()
            .enumerate()
            .all(|(i, p)| !p.contains('*') || (*p == "*" && i == parts.len() - 1));
    if well_formed {
        Ok(())
    } else {
        Err(format!(
            "`{}` is not a topic pattern: use *, <service>, <service>.*, \
             <service>.<resource>.* or <service>.<resource>.<id>",
            pattern.chars().take(80).collect::<String>()
        ))
    }
}

fn invalid(message: String) -> KiroError {
    KiroError::Api(Box::new(ApiError {
        status: 400,
        error_type: ErrorType::ValidationError,
        code: "events.invalid_topic".into(),
        message,
        details: None,
        request_id: String::new(),
        service: None,
        retryable: false,
        retry_after: None,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_by_segment() {
        let topic = "tenancy.workspace.0190";
        assert!(topic_matches("*", topic));
        assert!(topic_matches("tenancy", topic));
        assert!(topic_matches("tenancy.*", topic));
        assert!(topic_matches("tenancy.workspace.*", topic));
        assert!(topic_matches("tenancy.workspace.0190", topic));
        assert!(!topic_matches("tenancy.workspace.01", topic));
        assert!(!topic_matches("planning", topic));
        assert!(!topic_matches("tenan", topic));
    }

    #[test]
    fn bad_patterns_are_refused_with_the_servers_code() {
        let ok = |t: &str| check_topics(&[t.to_owned()]).is_ok();
        assert!(ok("*") && ok("tenancy") && ok("planning.task.*") && ok("auth.key.k1"));
        assert!(!ok("nothing") && !ok("tenancy.*.x") && !ok("tenancy..x") && !ok("a.b.c.d"));
        assert!(!ok("planning.task.x.y"));
        let error = check_topics(&[]).err();
        assert_eq!(
            error.as_ref().and_then(KiroError::code),
            Some("events.invalid_topic")
        );
    }
}

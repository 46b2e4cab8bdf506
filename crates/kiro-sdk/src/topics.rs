//! Topic patterns on the client, by the grammar of `kiro_types::topics` the server uses too.
//! The client checks them before subscribing because one bad pattern would make the server
//! refuse the whole subscription the shared socket sends.

use kiro_types::ErrorType;
use kiro_types::topics::check_topic;
pub use kiro_types::topics::topic_matches;

use crate::error::{ApiError, KiroError};

/// The most patterns one subscription may carry.
const MAX_TOPICS: usize = 100;

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

//! The topic grammar of the event stream (DESIGN.md §5), shared by the server (which checks
//! subscriptions and routes events) and kiro-sdk (which checks patterns before sending them
//! on its shared socket): `*`, `<service>`, `<service>.*`, `<service>.<resource>.*` and
//! `<service>.<resource>.<id>`, matched by whole dotted segments.

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

/// Checks a topic pattern; the error says what is wrong and what a pattern looks like.
pub fn check_topic(pattern: &str) -> Result<(), String> {
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

/// Whether `pattern` (already checked) matches an event on `topic`.
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
    fn malformed_or_unknown_patterns_are_refused() {
        for good in ["*", "tenancy", "planning.task.*", "auth.key.k1"] {
            assert!(check_topic(good).is_ok(), "{good:?}");
        }
        for bad in [
            "",
            "nosuch",
            "planning..x",
            "plan*",
            "planning.*.x",
            "a.b.c.d",
            "planning.task.x.y",
            "planning.task.x y",
        ] {
            assert!(check_topic(bad).is_err(), "{bad:?}");
        }
    }
}

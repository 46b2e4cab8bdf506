//! What can be wrong with a configuration, said so a person can fix it: every [`Problem`]
//! names where (environment and key) and carries a suggestion, and [`nearest`] finds the
//! valid name a typo was meant to be (Levenshtein edit distance).

use std::fmt;

/// One thing wrong with a configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The environment it is in; `None` at the top level of the file.
    pub environment: Option<String>,
    /// The key, dotted (`retry.max_attempts`); for an unknown key, the key as written.
    pub key: String,
    pub message: String,
    /// How to fix it, e.g. "did you mean `server_url`?".
    pub suggestion: String,
}

impl Problem {
    pub(crate) fn new(
        environment: Option<&str>,
        key: impl Into<String>,
        message: impl Into<String>,
        suggestion: impl Into<String>,
    ) -> Self {
        Self {
            environment: environment.map(str::to_owned),
            key: key.into(),
            message: message.into(),
            suggestion: suggestion.into(),
        }
    }

    /// An unknown key, with the nearest of `valid` (or the list of them) as suggestion.
    pub(crate) fn unknown_key(environment: Option<&str>, key: &str, valid: &[&str]) -> Self {
        Self::new(
            environment,
            key,
            format!("unknown key `{key}`"),
            did_you_mean(key, valid),
        )
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.environment {
            Some(env) => write!(f, "environment `{env}`: ")?,
            None => f.write_str("top level: ")?,
        }
        write!(f, "{}; {}", self.message, self.suggestion)
    }
}

/// Why a configuration was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// Every problem found, not just the first.
    #[error("invalid configuration:\n{}", list(.0))]
    Invalid(Vec<Problem>),
    /// `use_env` of a name the file does not have.
    #[error("unknown environment `{name}`; {suggestion}")]
    UnknownEnvironment {
        name: String,
        known: Vec<String>,
        suggestion: String,
    },
    /// The file is not TOML.
    #[error("not valid TOML: {0}")]
    Syntax(String),
    /// The file could not be read or written.
    #[error("{path}: {message}")]
    Io { path: String, message: String },
}

impl ConfigError {
    /// The problems of an `Invalid` configuration (none for the other errors).
    pub fn problems(&self) -> &[Problem] {
        match self {
            ConfigError::Invalid(problems) => problems,
            _ => &[],
        }
    }

    pub(crate) fn unknown_environment(name: &str, known: Vec<String>) -> Self {
        let names: Vec<&str> = known.iter().map(String::as_str).collect();
        let suggestion = did_you_mean(name, &names);
        ConfigError::UnknownEnvironment {
            name: name.to_owned(),
            known,
            suggestion,
        }
    }
}

fn list(problems: &[Problem]) -> String {
    let lines: Vec<String> = problems.iter().map(|p| format!("- {p}")).collect();
    lines.join("\n")
}

/// "did you mean `x`?" when one of `valid` is near `word`; always lists the valid names.
pub(crate) fn did_you_mean(word: &str, valid: &[&str]) -> String {
    let all = valid
        .iter()
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(", ");
    match nearest(word, valid) {
        Some(near) => format!("did you mean `{near}`? (known: {all})"),
        None if valid.is_empty() => "there are none yet".to_owned(),
        None => format!("known: {all}"),
    }
}

/// The candidate nearest to `word` by edit distance, if near enough to be a typo: at most a
/// third of the longer word's length (and at least 2) edits away.
pub(crate) fn nearest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::levenshtein(word, c), *c))
        .filter(|(distance, c)| *distance <= (word.len().max(c.len()) / 3).max(2))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEYS: [&str; 3] = ["server_url", "timeout_ms", "retry.max_attempts"];

    #[test]
    fn a_typo_finds_its_key() {
        assert_eq!(nearest("servr_url", &KEYS), Some("server_url"));
        assert_eq!(nearest("timeout", &KEYS), Some("timeout_ms"));
        assert_eq!(
            nearest("retry.max_attempt", &KEYS),
            Some("retry.max_attempts")
        );
        assert_eq!(nearest("colour", &KEYS), None);
    }

    #[test]
    fn an_unknown_key_says_what_was_meant() {
        let problem = Problem::unknown_key(Some("dev"), "servr_url", &KEYS);
        assert_eq!(
            problem.to_string(),
            "environment `dev`: unknown key `servr_url`; did you mean `server_url`? \
             (known: `server_url`, `timeout_ms`, `retry.max_attempts`)"
        );
    }

    #[test]
    fn an_unknown_environment_lists_the_known_ones() {
        let error = ConfigError::unknown_environment("prd", vec!["dev".into(), "prod".into()]);
        assert_eq!(
            error.to_string(),
            "unknown environment `prd`; did you mean `prod`? (known: `dev`, `prod`)"
        );
    }
}

//! One environment's settings as TOML: the keys an environment may have, parsing a table
//! into a [`ClientConfig`] (collecting every problem, each with a suggestion) and writing a
//! [`ClientConfig`] back as a table. Durations are whole milliseconds (`timeout_ms`).

use std::path::PathBuf;
use std::time::Duration;

use toml::{Table, Value};

use super::problem::Problem;
use crate::config::{ClientConfig, RetryPolicy};

/// Every key of an environment, dotted (`retry.*` keys live in a `[….retry]` table).
pub const KEYS: [&str; 7] = [
    "server_url",
    "timeout_ms",
    "token_file",
    "retry.max_attempts",
    "retry.base_delay_ms",
    "retry.max_delay_ms",
    "retry.budget",
];

const RETRY_KEYS: [&str; 4] = ["max_attempts", "base_delay_ms", "max_delay_ms", "budget"];
const TOP_KEYS: [&str; 4] = ["server_url", "timeout_ms", "token_file", "retry"];

/// The largest timeout or delay accepted: one hour.
const MAX_MS: i64 = 3_600_000;

const URL_HINT: &str = "write the server's base URL without `/v1`, \
    e.g. `http://localhost:8080` or `https://kiro.example.com`";

/// Parses environment `env`'s table; `Err` lists every problem found.
pub fn parse(env: &str, table: &Table) -> Result<ClientConfig, Vec<Problem>> {
    let mut reader = Reader {
        env,
        problems: Vec::new(),
    };
    for (key, value) in table {
        if TOP_KEYS.contains(&key.as_str()) {
            continue;
        }
        match value {
            // A misspelt section (`[….retyr]`): judge its keys as the dotted keys they are.
            Value::Table(section) if !section.is_empty() => {
                for leaf in section.keys() {
                    let dotted = format!("{key}.{leaf}");
                    reader
                        .problems
                        .push(Problem::unknown_key(Some(env), &dotted, &KEYS));
                }
            }
            _ => reader
                .problems
                .push(Problem::unknown_key(Some(env), key, &KEYS)),
        }
    }
    let url = match table.get("server_url") {
        None => {
            reader.problem(
                "server_url",
                "missing `server_url`",
                format!("every environment needs one: {URL_HINT}"),
            );
            None
        }
        Some(value) => reader
            .string("server_url", value)
            .and_then(|url| reader.url(url)),
    };
    let mut config = ClientConfig::new(url.unwrap_or_default());
    if let Some(ms) = reader.millis(table, "timeout_ms", 1) {
        config.timeout = ms;
    }
    if let Some(value) = table.get("token_file") {
        config.token_file = reader
            .string("token_file", value)
            .filter(|path| !path.is_empty())
            .map(PathBuf::from);
        if config.token_file.is_none() {
            reader.problem(
                "token_file",
                "`token_file` is empty",
                "give a file path, e.g. `~/.config/kiro/tokens.json`, or remove the key",
            );
        }
    }
    match table.get("retry") {
        None => {}
        Some(Value::Table(retry)) => config.retry = reader.retry(retry),
        Some(other) => reader.problem(
            "retry",
            format!("`retry` must be a table, not {}", other.type_str()),
            "write the retry keys under a `[environments.<name>.retry]` table",
        ),
    }
    if reader.problems.is_empty() {
        Ok(config)
    } else {
        Err(reader.problems)
    }
}

/// Writes `config` as an environment table (the inverse of [`parse`]).
pub fn render(config: &ClientConfig) -> Table {
    let mut table = Table::new();
    table.insert("server_url".into(), config.server_url.clone().into());
    table.insert("timeout_ms".into(), millis(config.timeout).into());
    if let Some(path) = &config.token_file {
        table.insert("token_file".into(), path.display().to_string().into());
    }
    let retry = &config.retry;
    let mut r = Table::new();
    r.insert("max_attempts".into(), i64::from(retry.max_attempts).into());
    r.insert("base_delay_ms".into(), millis(retry.base_delay).into());
    r.insert("max_delay_ms".into(), millis(retry.max_delay).into());
    r.insert("budget".into(), i64::from(retry.budget).into());
    table.insert("retry".into(), r.into());
    table
}

/// `table` with dotted `key` set to `value` (an integer when it reads as one, else a
/// string), for [`parse`] to judge; an unknown key is a problem of its own.
pub fn with_key(env: &str, table: &Table, key: &str, value: &str) -> Result<Table, Problem> {
    if !KEYS.contains(&key) {
        return Err(Problem::unknown_key(Some(env), key, &KEYS));
    }
    let parsed = match value.trim().replace('_', "").parse::<i64>() {
        Ok(n) if !key.ends_with("url") && !key.ends_with("file") => Value::Integer(n),
        _ => Value::String(value.to_owned()),
    };
    let mut table = table.clone();
    match key.split_once('.') {
        Some((section, leaf)) => {
            let entry = table
                .entry(section.to_owned())
                .or_insert_with(|| Table::new().into());
            if let Value::Table(sub) = entry {
                sub.insert(leaf.to_owned(), parsed);
            }
        }
        None => {
            table.insert(key.to_owned(), parsed);
        }
    }
    Ok(table)
}

fn millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

struct Reader<'a> {
    env: &'a str,
    problems: Vec<Problem>,
}

impl Reader<'_> {
    fn problem(&mut self, key: &str, message: impl Into<String>, suggestion: impl Into<String>) {
        self.problems
            .push(Problem::new(Some(self.env), key, message, suggestion));
    }

    fn string<'v>(&mut self, key: &str, value: &'v Value) -> Option<&'v str> {
        match value {
            Value::String(s) => Some(s),
            other => {
                self.problem(
                    key,
                    format!("`{key}` must be a string, not {}", other.type_str()),
                    format!("quote it: `{key} = \"…\"`"),
                );
                None
            }
        }
    }

    fn url(&mut self, url: &str) -> Option<String> {
        let bad = match reqwest::Url::parse(url) {
            Err(e) => Some(format!("`{url}` is not a URL ({e})")),
            Ok(u) if !matches!(u.scheme(), "http" | "https") => {
                Some(format!("`{url}` is not an http or https URL"))
            }
            Ok(u) if u.host_str().is_none_or(str::is_empty) => Some(format!("`{url}` has no host")),
            Ok(u) if u.path() != "/" || u.query().is_some() => {
                Some(format!("`{url}` has a path or query"))
            }
            Ok(_) => None,
        };
        match bad {
            Some(message) => {
                self.problem("server_url", message, URL_HINT);
                None
            }
            None => Some(url.to_owned()),
        }
    }

    /// An integer at `key` of `table` in `min..=max`.
    fn integer(
        &mut self,
        table: &Table,
        key: &str,
        dotted: &str,
        min: i64,
        max: i64,
    ) -> Option<i64> {
        match table.get(key)? {
            Value::Integer(n) if (min..=max).contains(n) => Some(*n),
            Value::Integer(n) => {
                let example = if min > 0 { min.max(1) } else { 0 };
                self.problem(
                    dotted,
                    format!("`{dotted}` is {n}, outside {min}..={max}"),
                    format!("use a value from {min} to {max}, e.g. `{key} = {example}`"),
                );
                None
            }
            other => {
                self.problem(
                    dotted,
                    format!("`{dotted}` must be an integer, not {}", other.type_str()),
                    format!(
                        "write a whole number without quotes, e.g. `{key} = {}`",
                        min.max(1)
                    ),
                );
                None
            }
        }
    }

    fn millis(&mut self, table: &Table, key: &str, min: i64) -> Option<Duration> {
        let ms = self.integer(table, key, key, min, MAX_MS)?;
        Some(Duration::from_millis(u64::try_from(ms).ok()?))
    }

    fn retry(&mut self, table: &Table) -> RetryPolicy {
        for key in table.keys() {
            if !RETRY_KEYS.contains(&key.as_str()) {
                let dotted = format!("retry.{key}");
                self.problems
                    .push(Problem::unknown_key(Some(self.env), &dotted, &KEYS));
            }
        }
        let mut policy = RetryPolicy::default();
        let int = |n: i64| u32::try_from(n).ok();
        if let Some(n) = self.integer(table, "max_attempts", "retry.max_attempts", 1, 100) {
            policy.max_attempts = int(n).unwrap_or(policy.max_attempts);
        }
        let ms = |n: i64| Duration::from_millis(u64::try_from(n).unwrap_or(0));
        if let Some(n) = self.integer(table, "base_delay_ms", "retry.base_delay_ms", 0, MAX_MS) {
            policy.base_delay = ms(n);
        }
        if let Some(n) = self.integer(table, "max_delay_ms", "retry.max_delay_ms", 0, MAX_MS) {
            policy.max_delay = ms(n);
        }
        if let Some(n) = self.integer(table, "budget", "retry.budget", 0, 1_000_000) {
            policy.budget = int(n).unwrap_or(policy.budget);
        }
        if policy.max_delay < policy.base_delay {
            self.problem(
                "retry.max_delay_ms",
                format!(
                    "`retry.max_delay_ms` ({} ms) is below `retry.base_delay_ms` ({} ms)",
                    policy.max_delay.as_millis(),
                    policy.base_delay.as_millis()
                ),
                "make `max_delay_ms` at least `base_delay_ms`: it caps the growing backoff",
            );
        }
        policy
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> Table {
        text.parse().unwrap_or_default()
    }

    fn keys(problems: &[Problem]) -> Vec<&str> {
        problems.iter().map(|p| p.key.as_str()).collect()
    }

    #[test]
    fn a_full_table_parses_and_renders_back() {
        let t = table(
            r#"server_url = "https://kiro.example.com"
               timeout_ms = 1500
               token_file = "/tmp/t.json"
               [retry]
               max_attempts = 2
               base_delay_ms = 10
               max_delay_ms = 20
               budget = 3"#,
        );
        let config = parse("dev", &t).map_err(|p| format!("{p:?}"));
        assert_eq!(
            config.as_ref().map(|c| c.timeout),
            Ok(Duration::from_millis(1500))
        );
        assert_eq!(config.as_ref().map(|c| c.retry.budget), Ok(3));
        assert_eq!(config.as_ref().map(render), Ok(t));
    }

    #[test]
    fn every_problem_is_reported_with_a_suggestion() {
        let t = table(
            r#"servr_url = "http://x"
               timeout_ms = 0
               [retry]
               max_atempts = 3
               base_delay_ms = 50
               max_delay_ms = 10"#,
        );
        let problems = parse("dev", &t).err().unwrap_or_default();
        assert_eq!(
            keys(&problems),
            [
                "servr_url",
                "server_url",
                "timeout_ms",
                "retry.max_atempts",
                "retry.max_delay_ms"
            ]
        );
        assert!(
            problems[0]
                .suggestion
                .contains("did you mean `server_url`?")
        );
        assert!(
            problems[3]
                .suggestion
                .contains("did you mean `retry.max_attempts`?")
        );
        assert!(problems[2].suggestion.contains("timeout_ms = 1"));
    }

    #[test]
    fn a_bad_url_says_what_a_good_one_looks_like() {
        for url in ["localhost:8080", "ftp://x", "http://x/v1", "not a url"] {
            let t = table(&format!("server_url = \"{url}\""));
            let problems = parse("prod", &t).err().unwrap_or_default();
            assert_eq!(keys(&problems), ["server_url"], "{url}");
            assert!(problems[0].suggestion.contains("http://localhost:8080"));
        }
    }

    #[test]
    fn a_wrong_type_is_named() {
        let t = table("server_url = 3\ntimeout_ms = \"30\"");
        let problems = parse("dev", &t).err().unwrap_or_default();
        assert_eq!(keys(&problems), ["server_url", "timeout_ms"]);
        assert!(
            problems[1]
                .message
                .contains("must be an integer, not string")
        );
    }

    #[test]
    fn setting_a_key_goes_through_the_same_checks() {
        let base = render(&ClientConfig::new("http://a:1"));
        let set = with_key("dev", &base, "retry.budget", "7").unwrap_or_default();
        assert_eq!(parse("dev", &set).map(|c| c.retry.budget), Ok(7));
        let zero = with_key("dev", &base, "timeout_ms", "0").unwrap_or_default();
        assert_eq!(
            keys(&parse("dev", &zero).err().unwrap_or_default()),
            ["timeout_ms"]
        );
        let typo = with_key("dev", &base, "servr_url", "http://b");
        assert!(typo.is_err_and(|p| p.suggestion.contains("`server_url`")));
    }
}

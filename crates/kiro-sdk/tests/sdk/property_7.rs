//! Property 7, configuration flexibility: generated environment sets round-trip through the
//! TOML file, `use_env` yields exactly that environment's settings and tells the watchers,
//! valid edits are taken, and every invalid edit is refused naming the key, with a
//! suggestion.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use kiro_sdk::{CONFIG_KEYS, ClientConfig, ConfigError, ConfigManager, RetryPolicy};
use proptest::prelude::*;
use proptest::test_runner::Config as ProptestConfig;

fn client_config() -> impl Strategy<Value = ClientConfig> {
    (
        prop_oneof![Just("http"), Just("https")],
        "[a-z]{1,10}(\\.[a-z]{2,5})?",
        proptest::option::of(1u16..),
        1u64..=3_600_000,
        proptest::option::of("/[a-z]{1,8}/tokens\\.json"),
        (1u32..=100, 0u64..=10_000, 0u64..=10_000, 0u32..=1000),
    )
        .prop_map(|(scheme, host, port, timeout, token, retry)| {
            let url = match port {
                Some(port) => format!("{scheme}://{host}:{port}"),
                None => format!("{scheme}://{host}"),
            };
            let mut config = ClientConfig::new(url);
            config.timeout = Duration::from_millis(timeout);
            config.token_file = token.map(PathBuf::from);
            let (max_attempts, a, b, budget) = retry;
            config.retry = RetryPolicy {
                max_attempts,
                base_delay: Duration::from_millis(a.min(b)),
                max_delay: Duration::from_millis(a.max(b)),
                budget,
            };
            config
        })
}

/// An edit that must be refused, and the key its error must name.
#[derive(Debug, Clone)]
enum BadEdit {
    /// A valid key with one character dropped (when that is not itself a key).
    Typo(String),
    /// A valid key with a value it cannot take.
    Value(&'static str, String),
}

fn bad_edit() -> impl Strategy<Value = BadEdit> {
    let typo = (0..CONFIG_KEYS.len(), any::<prop::sample::Index>())
        .prop_map(|(k, at)| {
            let key = CONFIG_KEYS[k];
            let at = at.index(key.len());
            format!("{}{}", &key[..at], &key[at + 1..])
        })
        .prop_filter("still a valid key", |k| !CONFIG_KEYS.contains(&k.as_str()))
        .prop_map(BadEdit::Typo);
    let value = prop_oneof![
        Just(("timeout_ms", "0".to_owned())),
        (3_600_001u64..).prop_map(|n| ("timeout_ms", n.to_string())),
        Just(("retry.max_attempts", "0".to_owned())),
        "[a-z]{1,6}".prop_map(|s| ("retry.budget", s)),
        "[a-z]{1,8}".prop_map(|s| ("server_url", s)),
        "[a-z]{1,8}".prop_map(|s| ("server_url", format!("ftp://{s}"))),
        "[a-z]{1,8}".prop_map(|s| ("server_url", format!("http://{s}/v1"))),
        Just(("token_file", String::new())),
    ]
    .prop_map(|(key, value)| BadEdit::Value(key, value));
    prop_oneof![typo, value]
}

fn environments() -> impl Strategy<Value = BTreeMap<String, ClientConfig>> {
    proptest::collection::btree_map("[a-z][a-z0-9_-]{0,9}", client_config(), 1..5)
}

fn manager(envs: &BTreeMap<String, ClientConfig>) -> Result<ConfigManager, ConfigError> {
    let mut iter = envs.iter();
    let Some((first, config)) = iter.next() else {
        return Err(ConfigError::Syntax("no environments generated".into()));
    };
    let mut manager = ConfigManager::new(first, config);
    for (name, config) in iter {
        manager.insert(name, config)?;
    }
    Ok(manager)
}

fn check(
    envs: &BTreeMap<String, ClientConfig>,
    edit: &(usize, ClientConfig),
    bad: &BadEdit,
) -> Result<(), TestCaseError> {
    let fail = |e: ConfigError| TestCaseError::fail(e.to_string());
    let written = manager(envs).map_err(fail)?.to_toml();
    let mut loaded = ConfigManager::from_toml(&written).map_err(fail)?;
    prop_assert!(ConfigManager::validate(&written).is_empty());
    prop_assert_eq!(
        loaded.environments(),
        envs.keys().cloned().collect::<Vec<_>>()
    );
    let mut watcher = loaded.watch();
    for (name, config) in envs {
        watcher.mark_unchanged();
        loaded.use_env(name).map_err(fail)?;
        prop_assert!(
            watcher.has_changed().unwrap_or(false),
            "no news of `{}`",
            name
        );
        prop_assert_eq!(&*watcher.borrow_and_update(), config);
        prop_assert_eq!(&loaded.active(), config);
        let stored = loaded.environment(name);
        prop_assert_eq!(stored.as_ref(), Some(config));
    }

    // A valid edit of every key of one environment, through `set`, round-trips too.
    let (index, target) = edit;
    let name = envs
        .keys()
        .nth(index % envs.len())
        .cloned()
        .unwrap_or_default();
    loaded.use_env(&name).map_err(fail)?;
    let retry = &target.retry;
    let max_first = retry.base_delay > envs[&name].retry.max_delay;
    let mut sets = vec![
        ("server_url", target.server_url.clone()),
        ("timeout_ms", target.timeout.as_millis().to_string()),
        ("retry.max_attempts", retry.max_attempts.to_string()),
        ("retry.budget", retry.budget.to_string()),
    ];
    // Keep base <= max at each step: raise the cap first when the base grows past it.
    let delays = [
        (
            "retry.base_delay_ms",
            retry.base_delay.as_millis().to_string(),
        ),
        (
            "retry.max_delay_ms",
            retry.max_delay.as_millis().to_string(),
        ),
    ];
    if max_first {
        sets.extend(delays.into_iter().rev());
    } else {
        sets.extend(delays);
    }
    if let Some(path) = &target.token_file {
        sets.push(("token_file", path.display().to_string()));
    }
    for (key, value) in &sets {
        loaded.set(key, value).map_err(fail)?;
    }
    let mut expected = target.clone();
    expected.token_file = target
        .token_file
        .clone()
        .or_else(|| envs[&name].token_file.clone());
    prop_assert_eq!(&*watcher.borrow_and_update(), &expected);
    let reloaded = ConfigManager::from_toml(&loaded.to_toml()).map_err(fail)?;
    prop_assert_eq!(reloaded.environment(&name), Some(expected.clone()));

    // An invalid edit is refused, names the key, suggests a fix, and changes nothing.
    let (key, result) = match bad {
        BadEdit::Typo(key) => (key.as_str(), loaded.set(key, "1")),
        BadEdit::Value(key, value) => (*key, loaded.set(key, value)),
    };
    let Err(error) = result else {
        return Err(TestCaseError::fail(format!("{bad:?} was taken")));
    };
    let problems = error.problems();
    prop_assert!(!problems.is_empty(), "{}", error);
    prop_assert!(
        problems.iter().any(|p| p.key == key),
        "{:?} does not name `{}`",
        problems,
        key
    );
    prop_assert!(problems.iter().all(|p| !p.suggestion.is_empty()));
    if let BadEdit::Typo(typo) = bad {
        prop_assert!(
            error.to_string().contains("did you mean `"),
            "no suggestion for `{}`: {}",
            typo,
            error
        );
    }
    prop_assert_eq!(&loaded.active(), &expected);
    // The same mistake written into the file is found by `validate`.
    if let BadEdit::Typo(typo) = bad {
        let text = with_typo(&written, &name, typo).map_err(TestCaseError::fail)?;
        let problems = ConfigManager::validate(&text);
        prop_assert!(
            problems
                .iter()
                .any(|p| p.key == *typo && p.suggestion.contains("did you mean")),
            "{:?}",
            problems
        );
    }
    Ok(())
}

/// `file` with `typo = 1` written into environment `env` (a dotted typo into its sub-table).
fn with_typo(file: &str, env: &str, typo: &str) -> Result<String, String> {
    let mut table: toml::Table = file.parse().map_err(|e| format!("{e}"))?;
    let env_table = table
        .get_mut("environments")
        .and_then(|e| e.get_mut(env))
        .and_then(toml::Value::as_table_mut)
        .ok_or("no such environment")?;
    match typo.split_once('.') {
        Some((section, leaf)) => {
            let sub = env_table
                .entry(section.to_owned())
                .or_insert_with(|| toml::Table::new().into());
            if let Some(sub) = sub.as_table_mut() {
                sub.insert(leaf.to_owned(), 1.into());
            }
        }
        None => {
            env_table.insert(typo.to_owned(), 1.into());
        }
    }
    toml::to_string(&table).map_err(|e| e.to_string())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 100, ..ProptestConfig::default() })]

    #[test]
    fn property_7_configuration_flexibility(
        envs in environments(),
        edit in (any::<usize>(), client_config()),
        bad in bad_edit(),
    ) {
        check(&envs, &edit, &bad)?;
    }
}

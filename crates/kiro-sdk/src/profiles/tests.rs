//! The ConfigManager's file handling, switching, `set` and overrides.

use std::time::Duration;

use super::*;

const FILE: &str = r#"
active = "dev"

[environments.dev]
server_url = "http://localhost:8080"
timeout_ms = 5000

[environments.prod]
server_url = "https://kiro.example.com"
timeout_ms = 30000

[environments.prod.retry]
max_attempts = 6
"#;

type Result = std::result::Result<(), ConfigError>;

#[test]
fn a_file_loads_with_its_active_environment() -> Result {
    let manager = ConfigManager::from_toml(FILE)?;
    assert_eq!(manager.active_name(), "dev");
    assert_eq!(manager.active().server_url, "http://localhost:8080");
    assert_eq!(manager.active().timeout, Duration::from_secs(5));
    assert_eq!(manager.environments(), ["dev", "prod"]);
    assert_eq!(
        manager.environment("prod").map(|c| c.retry.max_attempts),
        Some(6)
    );
    Ok(())
}

#[test]
fn saving_and_loading_gives_the_same_environments() -> Result {
    let manager = ConfigManager::from_toml(FILE)?;
    let again = ConfigManager::from_toml(&manager.to_toml())?;
    for name in manager.environments() {
        assert_eq!(again.environment(&name), manager.environment(&name));
    }
    assert_eq!(again.active_name(), "dev");
    Ok(())
}

#[test]
fn switching_tells_the_watchers() -> Result {
    let mut manager = ConfigManager::from_toml(FILE)?;
    let mut watcher = manager.watch();
    watcher.mark_unchanged();

    manager.use_env("prod")?;

    assert!(watcher.has_changed().unwrap_or(false));
    assert_eq!(
        watcher.borrow_and_update().server_url,
        "https://kiro.example.com"
    );
    Ok(())
}

#[test]
fn an_unknown_environment_names_the_nearest() -> Result {
    let mut manager = ConfigManager::from_toml(FILE)?;
    let error = manager.use_env("prd").err();
    let Some(ConfigError::UnknownEnvironment {
        known, suggestion, ..
    }) = error
    else {
        unreachable!("expected UnknownEnvironment, got {error:?}");
    };
    assert_eq!(known, ["dev", "prod"]);
    assert!(suggestion.starts_with("did you mean `prod`?"));
    assert_eq!(manager.active_name(), "dev");
    Ok(())
}

#[test]
fn set_validates_and_publishes() -> Result {
    let mut manager = ConfigManager::from_toml(FILE)?;
    let watcher = manager.watch();
    manager.set("retry.max_attempts", "9")?;
    assert_eq!(watcher.borrow().retry.max_attempts, 9);

    let zero = manager.set("timeout_ms", "0").err();
    assert_eq!(
        zero.as_ref().map(|e| e.problems()[0].key.as_str()),
        Some("timeout_ms")
    );
    let typo = manager.set("servr_url", "http://x").err();
    assert!(typo.is_some_and(|e| e.to_string().contains("did you mean `server_url`?")));
    assert_eq!(manager.active().timeout, Duration::from_secs(5));
    Ok(())
}

#[test]
fn every_problem_of_a_file_is_reported() {
    let problems = ConfigManager::validate(
        r#"
        activ = "dev"
        [environments.dev]
        servr_url = "http://x"
        [environments.prod]
        server_url = "kiro.example.com"
        timeout_ms = 0
        "#,
    );
    let found: Vec<(Option<&str>, &str)> = problems
        .iter()
        .map(|p| (p.environment.as_deref(), p.key.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (None, "activ"),
            (Some("dev"), "servr_url"),
            (Some("dev"), "server_url"),
            (Some("prod"), "server_url"),
            (Some("prod"), "timeout_ms"),
        ]
    );
    assert!(problems[0].suggestion.contains("did you mean `active`?"));
    assert!(problems.iter().all(|p| !p.suggestion.is_empty()));
    assert_eq!(
        ConfigManager::validate("active = "),
        ConfigManager::validate("active = ")
    );
    assert_eq!(ConfigManager::validate("active = ").len(), 1);
    assert!(ConfigManager::validate(FILE).is_empty());
}

#[test]
fn active_must_name_a_defined_environment() {
    let problems = ConfigManager::validate(
        "active = \"stagin\"\n[environments.staging]\nserver_url = \"http://s\"\n",
    );
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0]
            .suggestion
            .starts_with("did you mean `staging`?")
    );
}

#[test]
fn environment_variables_override_the_file() -> Result {
    let mut manager = ConfigManager::from_toml(FILE)?;
    let watcher = manager.watch();
    manager.apply_overrides(|name| match name {
        "KIRO_ENV" => Some("prod".into()),
        "KIRO_SERVER_URL" => Some("http://127.0.0.1:9/".into()),
        _ => None,
    })?;
    assert_eq!(manager.active_name(), "prod");
    assert_eq!(watcher.borrow().server_url, "http://127.0.0.1:9");
    assert_eq!(watcher.borrow().retry.max_attempts, 6);
    // The override is not written to the file.
    assert!(!manager.to_toml().contains("127.0.0.1"));
    let bad = manager.apply_overrides(|n| (n == "KIRO_SERVER_URL").then(|| "nope".into()));
    assert!(bad.is_err());
    Ok(())
}

#[test]
fn a_loaded_file_saves_back_to_itself() -> std::result::Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("kiro.toml");
    std::fs::write(&path, FILE)?;
    let mut manager = ConfigManager::load(&path)?;
    manager.set("timeout_ms", "1234")?;
    manager.save()?;
    let again = ConfigManager::load(&path)?;
    assert_eq!(again.active().timeout, Duration::from_millis(1234));
    Ok(())
}

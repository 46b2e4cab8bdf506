//! `conceptpulse config`: named environments (kiro-sdk's ConfigManager) in the CLI's
//! `config.toml`: `show`, `set KEY VALUE [--env NAME]`, `use NAME`, `add NAME --server URL`.
//! Every refusal lists each problem with its suggestion and exits 2.

use kiro_sdk::ClientConfig;
use kiro_sdk::{CONFIG_KEYS as KEYS, ConfigError, ConfigManager};
use serde_json::json;

use super::output::{Output, table};
use super::{ConfigCommand, exit};
use crate::settings::Settings;

/// Runs one `config` subcommand.
pub fn run(settings: &Settings, out: Output, command: ConfigCommand) -> u8 {
    let mut manager = match settings.load_environments() {
        Ok(manager) => manager,
        Err(e) => return refused(out, &e),
    };
    let changed = match command {
        ConfigCommand::Show => {
            show(&manager, out);
            return exit::OK;
        }
        ConfigCommand::Set { key, value, env } => match env {
            Some(env) => manager.set_in(&env, &key, &value),
            None => manager.set(&key, &value),
        },
        ConfigCommand::Use { name } => manager.use_env(&name),
        ConfigCommand::Add { name, server } => manager.insert(&name, &ClientConfig::new(server)),
    };
    if let Err(e) = changed.and_then(|()| manager.save_to(settings.config_file())) {
        return refused(out, &e);
    }
    show(&manager, out);
    exit::OK
}

fn show(manager: &ConfigManager, out: Output) {
    let active = manager.active();
    let settings = settings_of(&active);
    let value = json!({
        "active": manager.active_name(),
        "environments": manager.environments(),
        "settings": settings.iter().cloned().collect::<serde_json::Map<_, _>>(),
    });
    out.emit(&value, |_| {
        let rows = settings.iter().map(|(k, v)| {
            vec![
                k.clone(),
                v.as_str().map_or_else(|| v.to_string(), str::to_owned),
            ]
        });
        format!(
            "Environment {} (of {})\n{}",
            manager.active_name(),
            manager.environments().join(", "),
            table(&["Setting", "Value"], rows)
        )
    });
}

/// The active settings as (key, value) pairs, in the order of [`KEYS`] where known.
fn settings_of(config: &ClientConfig) -> Vec<(String, serde_json::Value)> {
    let known = [
        ("server_url", json!(config.server_url)),
        ("timeout_ms", json!(config.timeout.as_millis() as u64)),
        ("retry.max_attempts", json!(config.retry.max_attempts)),
        (
            "retry.base_delay_ms",
            json!(config.retry.base_delay.as_millis() as u64),
        ),
        (
            "retry.max_delay_ms",
            json!(config.retry.max_delay.as_millis() as u64),
        ),
        ("retry.budget", json!(config.retry.budget)),
    ];
    known
        .into_iter()
        .filter(|(key, _)| KEYS.contains(key))
        .map(|(key, value)| (key.to_owned(), value))
        .collect()
}

fn refused(out: Output, error: &ConfigError) -> u8 {
    let problems: Vec<_> = error
        .problems()
        .iter()
        .map(|p| json!({ "environment": p.environment, "key": p.key, "message": p.message, "suggestion": p.suggestion }))
        .collect();
    let code = match error {
        ConfigError::Io { .. } => exit::FAILURE,
        _ => exit::USAGE,
    };
    out.fail_detail(code, &error.to_string(), json!({ "problems": problems }))
}

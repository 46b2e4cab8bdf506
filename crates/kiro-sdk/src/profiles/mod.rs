//! The ConfigManager (DESIGN.md §7, §8): named environments (`dev`, `staging`, `prod`, any
//! name), each a full set of client settings, kept in one TOML file with the active one
//! named at the top:
//!
//! ```toml
//! active = "dev"
//!
//! [environments.dev]
//! server_url = "http://localhost:8080"
//! timeout_ms = 30000
//!
//! [environments.dev.retry]
//! max_attempts = 4
//! ```
//!
//! Every change is validated before it is taken (all problems at once, each with a
//! suggestion), and every change of the active settings is published on [`ConfigManager::watch`]
//! so a running client can be reconfigured without a restart. `KIRO_ENV` and
//! `KIRO_SERVER_URL` override the file. Nothing here talks to the server.

mod follow;
mod problem;
mod settings;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tokio::sync::watch;
use toml::{Table, Value};

pub use follow::{Applied, Following};
pub use problem::{ConfigError, Problem};
pub use settings::KEYS;

use crate::config::ClientConfig;

/// The environment variable that picks the active environment.
pub const ENV_VAR: &str = "KIRO_ENV";
/// The environment variable that overrides the active environment's server URL.
pub const SERVER_URL_VAR: &str = "KIRO_SERVER_URL";

const FILE_KEYS: [&str; 2] = ["active", "environments"];

/// Named client configurations, one of them active.
#[derive(Debug)]
pub struct ConfigManager {
    /// The file `save` writes to, when loaded from one.
    path: Option<PathBuf>,
    environments: BTreeMap<String, Table>,
    active: String,
    /// `KIRO_SERVER_URL`: applies to whichever environment is active; never saved.
    server_url_override: Option<String>,
    sender: watch::Sender<ClientConfig>,
}

impl ConfigManager {
    /// One environment, `name`, active.
    pub fn new(name: &str, config: &ClientConfig) -> Self {
        let mut environments = BTreeMap::new();
        environments.insert(name.to_owned(), settings::render(config));
        Self {
            path: None,
            environments,
            active: name.to_owned(),
            server_url_override: None,
            sender: watch::Sender::new(config.clone()),
        }
    }

    /// Every problem of a configuration file's text (empty when it is valid).
    pub fn validate(text: &str) -> Vec<Problem> {
        match Self::from_toml(text) {
            Ok(_) => Vec::new(),
            Err(ConfigError::Invalid(problems)) => problems,
            Err(other) => vec![Problem::new(
                None,
                "",
                other.to_string(),
                "fix the TOML syntax (quotes around strings, `[section]` headers)",
            )],
        }
    }

    /// Parses a configuration file's text.
    pub fn from_toml(text: &str) -> Result<Self, ConfigError> {
        let file: Table = text
            .parse()
            .map_err(|e: toml::de::Error| ConfigError::Syntax(e.to_string()))?;
        let mut problems = Vec::new();
        for key in file.keys() {
            if !FILE_KEYS.contains(&key.as_str()) {
                problems.push(Problem::unknown_key(None, key, &FILE_KEYS));
            }
        }
        let mut environments = BTreeMap::new();
        match file.get("environments") {
            Some(Value::Table(envs)) => {
                for (name, value) in envs {
                    match value {
                        Value::Table(table) => {
                            if let Err(found) = settings::parse(name, table) {
                                problems.extend(found);
                            }
                            environments.insert(name.clone(), table.clone());
                        }
                        other => problems.push(Problem::new(
                            Some(name),
                            "",
                            format!("environment `{name}` is {}, not a table", other.type_str()),
                            format!("write its settings under `[environments.{name}]`"),
                        )),
                    }
                }
            }
            Some(other) => problems.push(Problem::new(
                None,
                "environments",
                format!("`environments` is {}, not a table", other.type_str()),
                "write each environment as `[environments.<name>]`",
            )),
            None => {}
        }
        let active = match file.get("active") {
            Some(Value::String(name)) => name.clone(),
            Some(other) => {
                problems.push(Problem::new(
                    None,
                    "active",
                    format!("`active` is {}, not a string", other.type_str()),
                    "name an environment: `active = \"dev\"`",
                ));
                String::new()
            }
            None => environments.keys().next().cloned().unwrap_or_default(),
        };
        if environments.is_empty() {
            problems.push(Problem::new(
                None,
                "environments",
                "no environment is defined",
                "add one: `[environments.dev]` with `server_url = \"http://localhost:8080\"`",
            ));
        } else if !active.is_empty() && !environments.contains_key(&active) {
            let known: Vec<&str> = environments.keys().map(String::as_str).collect();
            problems.push(Problem::new(
                None,
                "active",
                format!("`active` names `{active}`, which is not defined"),
                problem::did_you_mean(&active, &known),
            ));
        }
        if !problems.is_empty() {
            return Err(ConfigError::Invalid(problems));
        }
        let table = environments
            .get(&active)
            .ok_or_else(|| ConfigError::unknown_environment(&active, Vec::new()))?;
        let config = settings::parse(&active, table).map_err(ConfigError::Invalid)?;
        Ok(Self {
            path: None,
            environments,
            active,
            server_url_override: None,
            sender: watch::Sender::new(config),
        })
    }

    /// The file's text (what [`Self::save`] writes). Overrides are not written.
    pub fn to_toml(&self) -> String {
        let mut file = Table::new();
        file.insert("active".into(), self.active.clone().into());
        let envs: Table = self
            .environments
            .iter()
            .map(|(name, table)| (name.clone(), Value::Table(table.clone())))
            .collect();
        file.insert("environments".into(), envs.into());
        // A table of strings, integers and tables always serializes.
        toml::to_string_pretty(&file).unwrap_or_default()
    }

    /// Reads the file at `path`; [`Self::save`] writes back to it.
    pub fn load(path: impl AsRef<Path>) -> Result<Self, ConfigError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| io(path, &e))?;
        let mut manager = Self::from_toml(&text)?;
        manager.path = Some(path.to_owned());
        Ok(manager)
    }

    /// [`Self::load`], then the `KIRO_ENV` and `KIRO_SERVER_URL` overrides of the process.
    pub fn load_with_env(path: impl AsRef<Path>) -> Result<Self, ConfigError> {
        let mut manager = Self::load(path)?;
        manager.apply_overrides(|name| std::env::var(name).ok())?;
        Ok(manager)
    }

    /// Writes the file it was loaded from (or last saved to).
    pub fn save(&self) -> Result<(), ConfigError> {
        match &self.path {
            Some(path) => write(path, &self.to_toml()),
            None => Err(ConfigError::Io {
                path: String::new(),
                message: "no file to save to: use save_to".into(),
            }),
        }
    }

    /// Writes the file at `path` and remembers it for [`Self::save`].
    pub fn save_to(&mut self, path: impl AsRef<Path>) -> Result<(), ConfigError> {
        write(path.as_ref(), &self.to_toml())?;
        self.path = Some(path.as_ref().to_owned());
        Ok(())
    }

    /// `KIRO_ENV` picks the active environment and `KIRO_SERVER_URL` overrides its server
    /// URL, both as looked up by `var` (e.g. `|n| std::env::var(n).ok()`).
    pub fn apply_overrides(
        &mut self,
        var: impl Fn(&str) -> Option<String>,
    ) -> Result<(), ConfigError> {
        if let Some(name) = var(ENV_VAR) {
            self.use_env(&name)?;
        }
        if let Some(url) = var(SERVER_URL_VAR) {
            let table = settings::with_key(&self.active, self.active_table(), "server_url", &url)
                .map_err(|p| ConfigError::Invalid(vec![p]))?;
            settings::parse(&self.active, &table).map_err(ConfigError::Invalid)?;
            self.server_url_override = Some(url);
            self.publish();
        }
        Ok(())
    }

    /// The environments' names, sorted.
    pub fn environments(&self) -> Vec<String> {
        self.environments.keys().cloned().collect()
    }

    /// The settings of environment `name` as written (no overrides).
    pub fn environment(&self, name: &str) -> Option<ClientConfig> {
        settings::parse(name, self.environments.get(name)?).ok()
    }

    /// The active environment's name.
    pub fn active_name(&self) -> &str {
        &self.active
    }

    /// The active environment's settings, overrides applied.
    pub fn active(&self) -> ClientConfig {
        self.sender.borrow().clone()
    }

    /// The active settings now and after every change (switch, `set`, override).
    pub fn watch(&self) -> watch::Receiver<ClientConfig> {
        self.sender.subscribe()
    }

    /// Adds (or replaces) environment `name`.
    pub fn insert(&mut self, name: &str, config: &ClientConfig) -> Result<(), ConfigError> {
        let table = settings::render(config);
        settings::parse(name, &table).map_err(ConfigError::Invalid)?;
        self.environments.insert(name.to_owned(), table);
        if name == self.active {
            self.publish();
        }
        Ok(())
    }

    /// Makes `name` the active environment and tells the watchers (even when its settings
    /// equal the previous ones).
    pub fn use_env(&mut self, name: &str) -> Result<(), ConfigError> {
        if !self.environments.contains_key(name) {
            return Err(ConfigError::unknown_environment(name, self.environments()));
        }
        name.clone_into(&mut self.active);
        self.publish();
        Ok(())
    }

    /// Sets dotted `key` (see [`KEYS`]) of the active environment to `value`, validated as
    /// the file is; the watchers hear the new settings.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), ConfigError> {
        let active = self.active.clone();
        self.set_in(&active, key, value)
    }

    /// Sets dotted `key` of environment `env` to `value`.
    pub fn set_in(&mut self, env: &str, key: &str, value: &str) -> Result<(), ConfigError> {
        let Some(table) = self.environments.get(env) else {
            return Err(ConfigError::unknown_environment(env, self.environments()));
        };
        let table = settings::with_key(env, table, key, value)
            .map_err(|p| ConfigError::Invalid(vec![p]))?;
        settings::parse(env, &table).map_err(ConfigError::Invalid)?;
        self.environments.insert(env.to_owned(), table);
        if env == self.active {
            self.publish();
        }
        Ok(())
    }

    fn active_table(&self) -> &Table {
        static EMPTY: std::sync::LazyLock<Table> = std::sync::LazyLock::new(Table::new);
        self.environments.get(&self.active).unwrap_or(&EMPTY)
    }

    /// Sends the active settings to the watchers. Every stored table has been validated, so
    /// parsing cannot fail; if it did, the watchers keep the last good settings.
    fn publish(&self) {
        if let Ok(mut config) = settings::parse(&self.active, self.active_table()) {
            if let Some(url) = &self.server_url_override {
                config.server_url = url.trim_end_matches('/').to_owned();
            }
            self.sender.send_replace(config);
        }
    }
}

fn write(path: &Path, text: &str) -> Result<(), ConfigError> {
    std::fs::write(path, text).map_err(|e| io(path, &e))
}

fn io(path: &Path, e: &std::io::Error) -> ConfigError {
    ConfigError::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}

#[cfg(test)]
mod tests;

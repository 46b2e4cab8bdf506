//! The CLI's settings: the environments of `config.toml` in the CLI's directory (kiro-sdk's
//! ConfigManager, with `KIRO_ENV` and `KIRO_SERVER_URL` applied), the `--server` flag above
//! them, and a token file per environment.

use std::path::PathBuf;

use kiro_sdk::ClientConfig;
use kiro_sdk::{ConfigError, ConfigManager};

use crate::cli::GlobalArgs;

/// The server `conceptpulse up` runs by default.
pub const DEFAULT_SERVER: &str = "http://127.0.0.1:7700";
/// The environment a fresh CLI starts with.
pub const DEFAULT_ENVIRONMENT: &str = "local";

/// The resolved settings of one CLI run.
#[derive(Debug, Clone)]
pub struct Settings {
    config_dir: PathBuf,
    server_flag: Option<String>,
}

impl Settings {
    pub fn resolve(global: &GlobalArgs) -> Self {
        Self {
            config_dir: global.config_dir(),
            server_flag: global.server.clone(),
        }
    }

    /// The environments file.
    pub fn config_file(&self) -> PathBuf {
        self.config_dir.join("config.toml")
    }

    /// The environments: the file's, or one `local` environment for the default server.
    pub fn load_environments(&self) -> Result<ConfigManager, ConfigError> {
        let file = self.config_file();
        if file.exists() {
            ConfigManager::load_with_env(&file)
        } else {
            let mut manager =
                ConfigManager::new(DEFAULT_ENVIRONMENT, &ClientConfig::new(DEFAULT_SERVER));
            manager.apply_overrides(|name| std::env::var(name).ok())?;
            Ok(manager)
        }
    }

    /// The kiro-sdk configuration of this run: the active environment, `--server` applied,
    /// tokens in `tokens/<environment>.json` unless the environment names a file.
    pub fn client_config(&self) -> Result<ClientConfig, ConfigError> {
        let manager = self.load_environments()?;
        let mut config = manager.active();
        if let Some(server) = &self.server_flag {
            config.server_url = server.trim_end_matches('/').to_owned();
        }
        if config.token_file.is_none() {
            let name = format!("{}.json", manager.active_name());
            config.token_file = Some(self.config_dir.join("tokens").join(name));
        }
        Ok(config)
    }
}

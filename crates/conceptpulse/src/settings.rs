//! The CLI's settings: which Kiro server to talk to and where its tokens live, resolved from
//! `--server` (or `KIRO_SERVER_URL`), then the default local server.

use std::path::PathBuf;

use kiro_sdk::ClientConfig;

use crate::cli::GlobalArgs;

/// The server `conceptpulse up` runs by default.
pub const DEFAULT_SERVER: &str = "http://127.0.0.1:7700";

/// The resolved settings of one CLI run.
#[derive(Debug, Clone)]
pub struct Settings {
    server_url: String,
    config_dir: PathBuf,
}

impl Settings {
    pub fn resolve(global: &GlobalArgs) -> Self {
        Self {
            server_url: global
                .server
                .clone()
                .unwrap_or_else(|| DEFAULT_SERVER.to_owned()),
            config_dir: global.config_dir(),
        }
    }

    pub fn server_url(&self) -> String {
        self.server_url.trim_end_matches('/').to_owned()
    }

    /// The file (mode 0600) where the CLI keeps its tokens.
    pub fn token_file(&self) -> PathBuf {
        self.config_dir.join("tokens.json")
    }

    /// The kiro-sdk configuration of this run.
    pub fn client_config(&self) -> ClientConfig {
        let mut config = ClientConfig::new(self.server_url());
        config.token_file = Some(self.token_file());
        config
    }
}

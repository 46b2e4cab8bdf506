//! Server configuration: the typed `Config` tree, its embedded defaults, and
//! the derived values the rest of the server uses (data directory, database
//! URL, listen address, the redacted `print-config` view). Loading and
//! layering (defaults < `kiro.toml` < `KIRO_<SECTION>__<KEY>` environment
//! variables < command-line overrides), key suggestions and validation live in
//! the submodules. This module must not import anything from the rest of the
//! server: it is read before anything else starts.

mod error;
mod execution;
mod load;
mod redact;
mod schema;
mod suggest;
mod validate;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

pub use error::{ConfigError, Origin};
pub use execution::ExecutionConfig;
pub use load::{ConfigSources, load};

/// Default listen address, also the fallback of [`Config::listen_addr`].
const DEFAULT_LISTEN: SocketAddr = SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 7700);

/// The whole configuration, one field per `[section]` of `kiro.toml`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub server: ServerConfig,
    pub database: DatabaseConfig,
    pub auth: AuthConfig,
    pub events: EventsConfig,
    pub assessment: AssessmentConfig,
    pub execution: ExecutionConfig,
    pub log: LogConfig,
}

/// `[server]`: the HTTP listener and request limits.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerConfig {
    /// Socket address to bind, e.g. `127.0.0.1:7700`.
    pub listen: String,
    /// Data directory; empty means the platform data dir joined with `kiro`.
    pub data_dir: String,
    pub max_body_bytes: u64,
    pub max_upload_bytes: u64,
    pub request_timeout_secs: u64,
    pub shutdown_grace_secs: u64,
    /// Take the client address from `X-Forwarded-For` (only behind a proxy).
    pub trust_forwarded_for: bool,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            listen: DEFAULT_LISTEN.to_string(),
            data_dir: String::new(),
            max_body_bytes: 1_048_576,
            max_upload_bytes: 60_000_000,
            request_timeout_secs: 30,
            shutdown_grace_secs: 30,
            trust_forwarded_for: false,
        }
    }
}

/// `[database]`: where the store lives.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseConfig {
    /// `sqlite:…`, `postgres://…` or `postgresql://…`; empty means
    /// `kiro.db` inside the data directory.
    pub url: String,
    pub max_connections: u32,
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        Self {
            url: String::new(),
            max_connections: 10,
        }
    }
}

/// `[auth]`: accounts, tokens and token-endpoint rate limits.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuthConfig {
    pub open_registration: bool,
    /// Secret; empty means generated and stored by the server. Never logged.
    pub jwt_secret: String,
    pub access_token_ttl_secs: u64,
    pub refresh_token_ttl_secs: u64,
    pub token_rate_per_ip_per_minute: u32,
    pub token_rate_per_account_per_minute: u32,
}

impl Default for AuthConfig {
    fn default() -> Self {
        Self {
            open_registration: true,
            jwt_secret: String::new(),
            access_token_ttl_secs: 900,
            refresh_token_ttl_secs: 2_592_000,
            token_rate_per_ip_per_minute: 60,
            token_rate_per_account_per_minute: 10,
        }
    }
}

/// `[events]`: the event log and the `/v1/events` stream.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EventsConfig {
    /// Days events are kept for clients to catch up after being offline.
    pub retention_days: u64,
    /// Seconds between server heartbeats (WebSocket pings) on each connection.
    pub heartbeat_secs: u64,
    /// Seconds without any frame from a client before its connection is closed.
    pub idle_timeout_secs: u64,
    /// Events buffered for each connection before a slow client gets `events.lagged`.
    pub buffer: u64,
    /// The largest client message accepted, in bytes.
    pub max_message_bytes: u64,
}

impl Default for EventsConfig {
    fn default() -> Self {
        Self {
            retention_days: 7,
            heartbeat_secs: 20,
            idle_timeout_secs: 60,
            buffer: 4096,
            max_message_bytes: 65_536,
        }
    }
}

/// `[assessment]`: PDF processing and question generation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AssessmentConfig {
    /// `auto` (pdf-extract, then `pdftotext` when it fails), `pdf-extract` or `pdftotext`.
    pub extractor: String,
    /// The `pdftotext` binary; empty means look it up on `PATH`.
    pub pdftotext: String,
    /// PDFs with more pages are refused.
    pub max_pages: u32,
    /// Seconds one extraction may take before it is abandoned.
    pub extract_timeout_secs: u64,
    /// Documents processed at once by this process.
    pub workers: u32,
    /// `fsrs` (adaptive) or `fixed` (1, 3 and 7 days).
    pub scheduler: String,
    /// `""` (local engine only), `gemini` or `openai` (any OpenAI-compatible server).
    pub llm_provider: String,
    /// The provider's base URL, e.g. `http://127.0.0.1:11434` for Ollama.
    pub llm_base_url: String,
    pub llm_model: String,
    pub llm_api_key: String,
    /// Seconds the provider may take before the local engine answers instead.
    pub llm_timeout_secs: u64,
}

impl Default for AssessmentConfig {
    fn default() -> Self {
        Self {
            extractor: "auto".to_owned(),
            pdftotext: String::new(),
            max_pages: 2_000,
            extract_timeout_secs: 60,
            workers: 1,
            scheduler: "fsrs".to_owned(),
            llm_provider: String::new(),
            llm_base_url: String::new(),
            llm_model: String::new(),
            llm_api_key: String::new(),
            llm_timeout_secs: 20,
        }
    }
}

/// `[log]`: the tracing filter and output format.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogConfig {
    /// A `tracing_subscriber::EnvFilter` directive string, e.g. `info,kiro=debug`.
    pub level: String,
    pub format: LogFormat,
}

impl Default for LogConfig {
    fn default() -> Self {
        Self {
            level: "info".to_owned(),
            format: LogFormat::Text,
        }
    }
}

/// Log output format.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

impl LogFormat {
    /// Every variant, in the order error messages list them.
    pub const ALL: [LogFormat; 2] = [LogFormat::Text, LogFormat::Json];
}

impl Config {
    /// The data directory with the default applied: the configured path, or
    /// the platform data directory joined with `kiro`, or `./kiro-data`.
    pub fn data_dir(&self) -> PathBuf {
        if !self.server.data_dir.is_empty() {
            return PathBuf::from(&self.server.data_dir);
        }
        dirs::data_dir().map_or_else(|| PathBuf::from("./kiro-data"), |dir| dir.join("kiro"))
    }

    /// The database URL with the default applied: a SQLite file `kiro.db`
    /// inside [`Config::data_dir`] (created if missing) unless one is set.
    pub fn database_url(&self) -> String {
        if self.database.url.is_empty() {
            format!(
                "sqlite://{}?mode=rwc",
                self.data_dir().join("kiro.db").display()
            )
        } else {
            self.database.url.clone()
        }
    }

    /// The listen address. [`load`] has already rejected unparsable values,
    /// so the fallback only covers a `Config` built by hand.
    pub fn listen_addr(&self) -> SocketAddr {
        self.server.listen.parse().unwrap_or(DEFAULT_LISTEN)
    }

    /// The effective configuration as TOML for `kiro-server print-config`,
    /// with `auth.jwt_secret` shown as `<redacted>` when set and any password
    /// in `database.url` replaced by `***`.
    pub fn redacted_toml(&self) -> String {
        let mut shown = self.clone();
        if !shown.assessment.llm_api_key.is_empty() {
            shown.assessment.llm_api_key = redact::REDACTED.to_owned();
        }
        if !shown.auth.jwt_secret.is_empty() {
            shown.auth.jwt_secret = redact::REDACTED.to_owned();
        }
        shown.database.url = redact::database_url(&shown.database.url);
        toml::to_string(&shown)
            .unwrap_or_else(|err| format!("# cannot render the configuration: {err}\n"))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn defaults_match_the_documented_values() {
        let config = Config::default();
        assert_eq!(config.server.listen, "127.0.0.1:7700");
        assert_eq!(config.server.data_dir, "");
        assert_eq!(config.server.max_body_bytes, 1_048_576);
        assert_eq!(config.server.max_upload_bytes, 60_000_000);
        assert_eq!(config.server.request_timeout_secs, 30);
        assert_eq!(config.server.shutdown_grace_secs, 30);
        assert!(!config.server.trust_forwarded_for);
        assert_eq!(config.database.url, "");
        assert_eq!(config.database.max_connections, 10);
        assert!(config.auth.open_registration);
        assert_eq!(config.auth.jwt_secret, "");
        assert_eq!(config.auth.access_token_ttl_secs, 900);
        assert_eq!(config.auth.refresh_token_ttl_secs, 2_592_000);
        assert_eq!(config.auth.token_rate_per_ip_per_minute, 60);
        assert_eq!(config.auth.token_rate_per_account_per_minute, 10);
        assert_eq!(config.log.level, "info");
        assert_eq!(config.log.format, LogFormat::Text);
    }

    #[test]
    fn an_explicit_data_dir_is_used_as_is_and_holds_the_default_database() {
        let mut config = Config::default();
        config.server.data_dir = "/srv/kiro".to_owned();
        assert_eq!(config.data_dir(), PathBuf::from("/srv/kiro"));
        assert_eq!(config.database_url(), "sqlite:///srv/kiro/kiro.db?mode=rwc");
    }

    #[test]
    fn an_empty_data_dir_resolves_to_the_platform_data_dir() {
        let expected =
            dirs::data_dir().map_or_else(|| PathBuf::from("./kiro-data"), |dir| dir.join("kiro"));
        let config = Config::default();
        assert_eq!(config.data_dir(), expected);
        assert_eq!(
            config.database_url(),
            format!("sqlite://{}?mode=rwc", expected.join("kiro.db").display())
        );
    }

    #[test]
    fn an_explicit_database_url_is_returned_unchanged() {
        let mut config = Config::default();
        config.database.url = "postgres://kiro:pw@db/kiro".to_owned();
        assert_eq!(config.database_url(), "postgres://kiro:pw@db/kiro");
    }

    #[test]
    fn listen_addr_parses_the_setting_and_falls_back_to_the_default() {
        let mut config = Config::default();
        config.server.listen = "0.0.0.0:8080".to_owned();
        assert_eq!(
            config.listen_addr(),
            "0.0.0.0:8080".parse::<SocketAddr>().unwrap()
        );
        config.server.listen = "nonsense".to_owned();
        assert_eq!(config.listen_addr(), DEFAULT_LISTEN);
    }

    #[test]
    fn redacted_toml_hides_the_jwt_secret_and_the_database_password() {
        let mut config = Config::default();
        config.auth.jwt_secret = "s".repeat(40);
        config.database.url = "postgres://kiro:hunter2@db:5432/kiro".to_owned();
        let text = config.redacted_toml();
        assert!(text.contains("jwt_secret = \"<redacted>\""), "{text}");
        assert!(
            text.contains("url = \"postgres://kiro:***@db:5432/kiro\""),
            "{text}"
        );
        assert!(
            !text.contains("hunter2") && !text.contains(&"s".repeat(40)),
            "{text}"
        );
    }

    #[test]
    fn redacted_toml_leaves_an_empty_secret_empty_and_round_trips() {
        let config = Config::default();
        let text = config.redacted_toml();
        assert!(text.contains("jwt_secret = \"\""), "{text}");
        let back: Config = toml::from_str(&text).unwrap();
        assert_eq!(back, config);
    }
}

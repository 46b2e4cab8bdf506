//! Semantic checks on a well-typed `Config`: addresses that parse, limits in
//! range, a usable database URL, a long enough JWT secret, a valid log
//! filter. Each failure names the key and where its value came from.

use std::fmt::Display;
use std::net::SocketAddr;

use tracing_subscriber::EnvFilter;

use super::Config;
use super::error::{ConfigError, Origin};
use super::load::Origins;
use super::redact;

/// Shortest accepted `auth.jwt_secret`, in bytes.
const MIN_JWT_SECRET_BYTES: usize = 32;

/// URL prefixes of the supported databases.
const DATABASE_SCHEMES: [&str; 3] = ["sqlite:", "postgres://", "postgresql://"];

/// Checks every constraint, reporting the first broken one.
pub(crate) fn validate(config: &Config, origins: &Origins) -> Result<(), ConfigError> {
    let fail = |key: &str, message: String| ConfigError::InvalidValue {
        key: key.to_owned(),
        origin: origins.get(key),
        message,
    };
    let server = &config.server;
    let (database, auth) = (&config.database, &config.auth);

    if server.listen.parse::<SocketAddr>().is_err() {
        let message = format!(
            "`{}` is not a socket address like 127.0.0.1:7700",
            server.listen
        );
        return Err(fail("server.listen", message));
    }
    at_least_one(server.max_body_bytes).map_err(|m| fail("server.max_body_bytes", m))?;
    check_upload_limit(config, origins)?;
    at_least_one(server.request_timeout_secs)
        .map_err(|m| fail("server.request_timeout_secs", m))?;

    if !database.url.is_empty() && !DATABASE_SCHEMES.iter().any(|s| database.url.starts_with(s)) {
        let message = format!(
            "`{}` is not a supported database URL (use sqlite:…, postgres://… or postgresql://…)",
            redact::database_url(&database.url)
        );
        return Err(fail("database.url", message));
    }
    in_range(database.max_connections, 1, 1000).map_err(|m| fail("database.max_connections", m))?;

    if !auth.jwt_secret.is_empty() && auth.jwt_secret.len() < MIN_JWT_SECRET_BYTES {
        let message = format!(
            "the secret must be at least {MIN_JWT_SECRET_BYTES} bytes long, this one has {} \
             (leave it empty to have the server generate one)",
            auth.jwt_secret.len()
        );
        return Err(fail("auth.jwt_secret", message));
    }
    let events = &config.events;
    in_range(events.retention_days, 1, 3650).map_err(|m| fail("events.retention_days", m))?;
    in_range(events.heartbeat_secs, 1, 3600).map_err(|m| fail("events.heartbeat_secs", m))?;
    if events.idle_timeout_secs <= events.heartbeat_secs {
        let message = format!(
            "must be more than events.heartbeat_secs ({}) so a live client is never dropped",
            events.heartbeat_secs
        );
        return Err(fail("events.idle_timeout_secs", message));
    }
    in_range(events.buffer, 16, 1_000_000).map_err(|m| fail("events.buffer", m))?;
    in_range(events.max_message_bytes, 1024, 16_777_216)
        .map_err(|m| fail("events.max_message_bytes", m))?;
    in_range(auth.access_token_ttl_secs, 1, 86_400)
        .map_err(|m| fail("auth.access_token_ttl_secs", m))?;
    for (key, value) in [
        ("auth.refresh_token_ttl_secs", auth.refresh_token_ttl_secs),
        (
            "auth.token_rate_per_ip_per_minute",
            u64::from(auth.token_rate_per_ip_per_minute),
        ),
        (
            "auth.token_rate_per_account_per_minute",
            u64::from(auth.token_rate_per_account_per_minute),
        ),
    ] {
        at_least_one(value).map_err(|m| fail(key, m))?;
    }

    check_assessment(&config.assessment, &fail)?;
    super::execution::check(&config.execution).map_err(|(key, message)| fail(key, message))?;

    if let Err(err) = EnvFilter::try_new(&config.log.level) {
        let message = format!(
            "`{}` is not a valid log filter like `info,kiro=debug`: {err}",
            config.log.level
        );
        return Err(fail("log.level", message));
    }
    Ok(())
}

/// The `[assessment]` keys whose values are names from a fixed list, and its ranges.
fn check_assessment(
    a: &super::AssessmentConfig,
    fail: &dyn Fn(&str, String) -> ConfigError,
) -> Result<(), ConfigError> {
    for (key, value, allowed) in [
        (
            "assessment.extractor",
            &a.extractor,
            &["auto", "pdf-extract", "pdftotext"][..],
        ),
        ("assessment.scheduler", &a.scheduler, &["fsrs", "fixed"][..]),
        (
            "assessment.llm_provider",
            &a.llm_provider,
            &["", "gemini", "openai"][..],
        ),
    ] {
        if !allowed.contains(&value.as_str()) {
            let names: Vec<String> = allowed.iter().map(|n| format!("`{n}`")).collect();
            let message = format!("`{value}` is not one of {}", names.join(", "));
            return Err(fail(key, message));
        }
    }
    if a.llm_provider == "openai" && a.llm_base_url.is_empty() {
        return Err(fail(
            "assessment.llm_base_url",
            "the openai provider needs the server's base URL, e.g. http://127.0.0.1:11434".into(),
        ));
    }
    if a.llm_provider == "openai" && a.llm_model.trim().is_empty() {
        return Err(fail(
            "assessment.llm_model",
            "the openai provider needs the model to ask, e.g. llama3.1 for Ollama".into(),
        ));
    }
    if a.llm_provider == "gemini" && a.llm_api_key.trim().is_empty() {
        return Err(fail(
            "assessment.llm_api_key",
            "the gemini provider needs an API key (KIRO_ASSESSMENT__LLM_API_KEY)".into(),
        ));
    }
    if !a.llm_base_url.is_empty() && reqwest::Url::parse(&a.llm_base_url).is_err() {
        return Err(fail(
            "assessment.llm_base_url",
            format!(
                "`{}` is not a URL; write it as http://host:port",
                a.llm_base_url
            ),
        ));
    }
    in_range(u64::from(a.max_pages), 1, 100_000).map_err(|m| fail("assessment.max_pages", m))?;
    in_range(a.extract_timeout_secs, 1, 3600)
        .map_err(|m| fail("assessment.extract_timeout_secs", m))?;
    in_range(u64::from(a.workers), 1, 64).map_err(|m| fail("assessment.workers", m))?;
    in_range(a.llm_timeout_secs, 1, 600).map_err(|m| fail("assessment.llm_timeout_secs", m))?;
    Ok(())
}

/// `server.max_upload_bytes >= server.max_body_bytes`, blamed on whichever
/// of the two the operator set (the upload limit when both or neither were).
fn check_upload_limit(config: &Config, origins: &Origins) -> Result<(), ConfigError> {
    let (body, upload) = (config.server.max_body_bytes, config.server.max_upload_bytes);
    if upload >= body {
        return Ok(());
    }
    let upload_origin = origins.get("server.max_upload_bytes");
    let body_origin = origins.get("server.max_body_bytes");
    Err(
        if upload_origin == Origin::Default && body_origin != Origin::Default {
            ConfigError::InvalidValue {
                key: "server.max_body_bytes".to_owned(),
                origin: body_origin,
                message: format!("`{body}` is larger than server.max_upload_bytes ({upload})"),
            }
        } else {
            ConfigError::InvalidValue {
                key: "server.max_upload_bytes".to_owned(),
                origin: upload_origin,
                message: format!("`{upload}` is smaller than server.max_body_bytes ({body})"),
            }
        },
    )
}

fn at_least_one(value: u64) -> Result<(), String> {
    if value >= 1 {
        Ok(())
    } else {
        Err(format!("`{value}` must be at least 1"))
    }
}

fn in_range<T: PartialOrd + Display>(value: T, min: T, max: T) -> Result<(), String> {
    if value >= min && value <= max {
        Ok(())
    } else {
        Err(format!("`{value}` is out of range ({min} to {max})"))
    }
}

//! Tests of layering, unknown keys, type errors and validation, asserting the
//! exact text an operator would see.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use super::super::LogFormat;
use super::*;

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn file(text: &str) -> Result<Config, ConfigError> {
    from_layers(Some((Path::new("kiro.toml"), text)), &[], &[])
}

fn env(items: &[(&str, &str)]) -> Result<Config, ConfigError> {
    from_layers(None, &pairs(items), &[])
}

fn cli(items: &[(&str, &str)]) -> Result<Config, ConfigError> {
    from_layers(None, &[], &pairs(items))
}

fn message(result: Result<Config, ConfigError>) -> String {
    result.unwrap_err().to_string()
}

#[test]
fn no_sources_give_the_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let config = load_in(&ConfigSources::default(), dir.path()).unwrap();
    assert_eq!(config, Config::default());
}

#[test]
fn kiro_toml_in_the_directory_is_read_when_no_file_is_given() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("kiro.toml"),
        "[server]\nlisten = \"0.0.0.0:9000\"\n",
    )
    .unwrap();
    let config = load_in(&ConfigSources::default(), dir.path()).unwrap();
    assert_eq!(config.server.listen, "0.0.0.0:9000");
}

#[test]
fn an_explicit_file_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("custom.toml");
    std::fs::write(&path, "[database]\nmax_connections = 3\n").unwrap();
    let sources = ConfigSources {
        file: Some(path),
        ..ConfigSources::default()
    };
    assert_eq!(load(&sources).unwrap().database.max_connections, 3);
}

#[test]
fn a_missing_config_file_is_an_error() {
    let sources = ConfigSources {
        file: Some("/x/kiro.toml".into()),
        ..ConfigSources::default()
    };
    let err = load(&sources).unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot read config file /x/kiro.toml: No such file or directory"
    );
    assert_eq!(err.key(), None);
}

#[test]
fn a_file_that_is_not_toml_is_an_error_with_its_line() {
    let text = message(file("[server]\nlisten = \n"));
    assert!(
        text.starts_with("kiro.toml is not valid TOML: TOML parse error at line 2"),
        "{text}"
    );
}

#[test]
fn environment_beats_file_and_command_line_beats_both() {
    let text = "[server]\nlisten = \"127.0.0.1:1\"\n[database]\nmax_connections = 5\n";
    let file = Some((Path::new("kiro.toml"), text));
    let env = pairs(&[
        ("KIRO_SERVER__LISTEN", "127.0.0.1:2"),
        ("KIRO_LOG__LEVEL", "debug"),
    ]);
    let cli = pairs(&[("server.listen", "127.0.0.1:3")]);

    let config = from_layers(file, &[], &[]).unwrap();
    assert_eq!(config.server.listen, "127.0.0.1:1");

    let config = from_layers(file, &env, &[]).unwrap();
    assert_eq!(config.server.listen, "127.0.0.1:2");
    assert_eq!(config.database.max_connections, 5);

    let config = from_layers(file, &env, &cli).unwrap();
    assert_eq!(config.server.listen, "127.0.0.1:3");
    assert_eq!(config.database.max_connections, 5);
    assert_eq!(config.log.level, "debug");
}

#[test]
fn environment_variables_are_coerced_and_case_insensitive() {
    let config = env(&[
        ("KIRO_AUTH__OPEN_REGISTRATION", "false"),
        ("kiro_server__max_body_bytes", "2048"),
        ("Kiro_Server__Trust_Forwarded_For", "1"),
        ("KIRO_LOG__FORMAT", "JSON"),
    ])
    .unwrap();
    assert!(!config.auth.open_registration);
    assert_eq!(config.server.max_body_bytes, 2048);
    assert!(config.server.trust_forwarded_for);
    assert_eq!(config.log.format, LogFormat::Json);
}

#[test]
fn other_environment_variables_are_ignored() {
    let config = env(&[
        ("KIRO_TEST_DATABASE_URL", "not a url"),
        ("KIRO_CONFIG", "/nowhere.toml"),
        ("KIRO__LISTEN", "x"),
        ("MY_KIRO_SERVER__LISTEN", "x"),
        ("SERVER__LISTEN", "x"),
        ("PATH", "/usr/bin"),
    ])
    .unwrap();
    assert_eq!(config, Config::default());
}

#[test]
fn an_unknown_file_key_names_the_file_and_the_nearest_key() {
    let result = from_layers(
        Some((Path::new("/etc/kiro.toml"), "[server]\nlistn = \"x\"\n")),
        &[],
        &[],
    );
    let err = result.unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown key `server.listn` in /etc/kiro.toml; did you mean `server.listen`?"
    );
    assert_eq!(err.key(), Some("server.listn"));
}

#[test]
fn misplaced_and_misspelt_sections_are_suggested_across_the_key_set() {
    assert_eq!(
        message(file("listen = \"127.0.0.1:1\"\n")),
        "unknown key `listen` in kiro.toml; did you mean `server.listen`?"
    );
    assert_eq!(
        message(file("[sever]\nlisten = \"127.0.0.1:1\"\n")),
        "unknown key `sever.listen` in kiro.toml; did you mean `server.listen`?"
    );
    assert_eq!(
        message(file("[sever]\n")),
        "unknown key `sever` in kiro.toml; did you mean `server`?"
    );
}

#[test]
fn an_unknown_key_far_from_any_gets_no_suggestion() {
    assert_eq!(
        message(file("[server]\nzzz = 1\n")),
        "unknown key `server.zzz` in kiro.toml"
    );
    assert_eq!(
        message(cli(&[("plugins.enabled", "true")])),
        "unknown key `plugins.enabled` on the command line"
    );
}

#[test]
fn an_unknown_environment_variable_suggests_the_nearest_variable() {
    let err = env(&[("KIRO_SERVER__LISTN", "127.0.0.1:1")]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown environment variable KIRO_SERVER__LISTN; did you mean KIRO_SERVER__LISTEN?"
    );
    assert_eq!(err.key(), Some("server.listn"));
    assert_eq!(
        message(env(&[("KIRO_SEVER__LISTEN", "x")])),
        "unknown environment variable KIRO_SEVER__LISTEN; did you mean KIRO_SERVER__LISTEN?"
    );
    assert_eq!(
        message(env(&[("KIRO_SERVER__", "x")])),
        "unknown environment variable KIRO_SERVER__"
    );
}

#[test]
fn an_unknown_override_suggests_the_nearest_key() {
    let err = cli(&[("server.listn", "127.0.0.1:0")]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown key `server.listn` on the command line; did you mean `server.listen`?"
    );
    assert_eq!(
        message(cli(&[("server", "x")])),
        "unknown key `server` on the command line"
    );
}

#[test]
fn an_invalid_listen_address_names_the_variable() {
    let err = env(&[("KIRO_SERVER__LISTEN", "abc")]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid value for `server.listen` (from KIRO_SERVER__LISTEN): \
         `abc` is not a socket address like 127.0.0.1:7700"
    );
    assert_eq!(err.key(), Some("server.listen"));
}

#[test]
fn an_unknown_enum_variant_suggests_the_nearest_one() {
    assert_eq!(
        message(file("[log]\nformat = \"jsn\"\n")),
        "invalid value for `log.format` in kiro.toml: unknown variant `jsn`; did you mean `json`? \
         (valid: text, json)"
    );
    assert_eq!(
        message(cli(&[("log.format", "yaml")])),
        "invalid value for `log.format` (from the command line): unknown variant `yaml` (valid: text, json)"
    );
}

#[test]
fn a_value_of_the_wrong_type_names_both_types() {
    assert_eq!(
        message(file("[auth]\naccess_token_ttl_secs = \"900\"\n")),
        "invalid value for `auth.access_token_ttl_secs` in kiro.toml: expected an integer, found a string"
    );
    assert_eq!(
        message(file("server = 5\n")),
        "invalid value for `server` in kiro.toml: expected a table, found an integer"
    );
    assert_eq!(
        message(env(&[("KIRO_SERVER__MAX_BODY_BYTES", "lots")])),
        "invalid value for `server.max_body_bytes` (from KIRO_SERVER__MAX_BODY_BYTES): \
         expected an integer, found `lots`"
    );
}

#[test]
fn an_integer_out_of_its_type_range_names_the_key() {
    let err = file("[database]\nmax_connections = -1\n").unwrap_err();
    assert_eq!(err.key(), Some("database.max_connections"));
    assert_eq!(
        err.to_string(),
        "invalid value for `database.max_connections` in kiro.toml: `-1` is out of range (0 to 4294967295)"
    );
    assert_eq!(
        message(env(&[(
            "KIRO_AUTH__TOKEN_RATE_PER_IP_PER_MINUTE",
            "5000000000"
        )])),
        "invalid value for `auth.token_rate_per_ip_per_minute` (from KIRO_AUTH__TOKEN_RATE_PER_IP_PER_MINUTE): \
         `5000000000` is out of range (0 to 4294967295)"
    );
    assert_eq!(
        message(cli(&[("server.shutdown_grace_secs", "-5")])),
        "invalid value for `server.shutdown_grace_secs` (from the command line): \
         `-5` is out of range (0 to 18446744073709551615)"
    );
}

#[test]
fn each_constraint_is_checked_and_names_its_key() {
    let cases = [
        ("server.max_body_bytes", "0", "`0` must be at least 1"),
        ("server.request_timeout_secs", "0", "`0` must be at least 1"),
        (
            "database.max_connections",
            "0",
            "`0` is out of range (1 to 1000)",
        ),
        (
            "database.max_connections",
            "1001",
            "`1001` is out of range (1 to 1000)",
        ),
        (
            "auth.access_token_ttl_secs",
            "86401",
            "`86401` is out of range (1 to 86400)",
        ),
        ("auth.refresh_token_ttl_secs", "0", "`0` must be at least 1"),
        (
            "auth.token_rate_per_ip_per_minute",
            "0",
            "`0` must be at least 1",
        ),
        (
            "auth.token_rate_per_account_per_minute",
            "0",
            "`0` must be at least 1",
        ),
    ];
    for (key, value, expected) in cases {
        let err = cli(&[(key, value)]).unwrap_err();
        assert_eq!(err.key(), Some(key));
        assert_eq!(
            err.to_string(),
            format!("invalid value for `{key}` (from the command line): {expected}")
        );
    }
    let err = cli(&[("log.level", "info,kiro=loud")]).unwrap_err();
    assert_eq!(err.key(), Some("log.level"));
    let accepted = cli(&[
        ("database.max_connections", "1000"),
        ("auth.access_token_ttl_secs", "86400"),
        ("log.level", "warn,kiro_server=debug"),
        ("database.url", "sqlite::memory:"),
        ("auth.jwt_secret", &"k".repeat(32)),
    ]);
    assert!(accepted.is_ok(), "{accepted:?}");
}

#[test]
fn an_unsupported_database_url_is_rejected_without_showing_its_password() {
    let text = message(cli(&[("database.url", "mysql://kiro:hunter2@db/kiro")]));
    assert_eq!(
        text,
        "invalid value for `database.url` (from the command line): `mysql://kiro:***@db/kiro` is not a \
         supported database URL (use sqlite:…, postgres://… or postgresql://…)"
    );
    for url in [
        "postgres://u:p@h/db",
        "postgresql://h/db",
        "sqlite:///tmp/k.db?mode=rwc",
    ] {
        assert_eq!(cli(&[("database.url", url)]).unwrap().database.url, url);
    }
}

#[test]
fn a_short_jwt_secret_is_rejected_without_showing_it() {
    let text = message(env(&[("KIRO_AUTH__JWT_SECRET", "tooshort")]));
    assert!(
        text.starts_with("invalid value for `auth.jwt_secret` (from KIRO_AUTH__JWT_SECRET): "),
        "{text}"
    );
    assert!(
        text.contains("at least 32 bytes") && !text.contains("tooshort"),
        "{text}"
    );
}

#[test]
fn the_upload_limit_check_blames_the_key_that_was_set() {
    assert_eq!(
        message(cli(&[("server.max_body_bytes", "70000000")])),
        "invalid value for `server.max_body_bytes` (from the command line): \
         `70000000` is larger than server.max_upload_bytes (60000000)"
    );
    assert_eq!(
        message(env(&[("KIRO_SERVER__MAX_UPLOAD_BYTES", "1000")])),
        "invalid value for `server.max_upload_bytes` (from KIRO_SERVER__MAX_UPLOAD_BYTES): \
         `1000` is smaller than server.max_body_bytes (1048576)"
    );
    assert!(cli(&[("server.max_upload_bytes", "1048576")]).is_ok());
}

#[test]
fn the_env_var_name_of_a_key_round_trips() {
    assert_eq!(
        env_var("auth.open_registration"),
        "KIRO_AUTH__OPEN_REGISTRATION"
    );
    assert_eq!(
        env_key("KIRO_AUTH__OPEN_REGISTRATION").as_deref(),
        Some("auth.open_registration")
    );
    assert_eq!(env_key("KIRO_TEST_DATABASE_URL"), None);
}

#[test]
fn an_llm_provider_needs_what_it_cannot_work_without() {
    let cases: [(&[(&str, &str)], &str); 4] = [
        (
            &[("assessment.llm_provider", "openai")],
            "assessment.llm_base_url",
        ),
        (
            &[
                ("assessment.llm_provider", "openai"),
                ("assessment.llm_base_url", "http://127.0.0.1:11434"),
            ],
            "assessment.llm_model",
        ),
        (
            &[("assessment.llm_provider", "gemini")],
            "assessment.llm_api_key",
        ),
        (
            &[
                ("assessment.llm_provider", "openai"),
                ("assessment.llm_base_url", "localhost 11434"),
                ("assessment.llm_model", "llama3.1"),
            ],
            "assessment.llm_base_url",
        ),
    ];
    for (overrides, key) in cases {
        let err = cli(overrides).unwrap_err();
        assert_eq!(err.key(), Some(key), "{err}");
    }
    let ollama = cli(&[
        ("assessment.llm_provider", "openai"),
        ("assessment.llm_base_url", "http://127.0.0.1:11434"),
        ("assessment.llm_model", "llama3.1"),
    ]);
    assert!(ollama.is_ok(), "{ollama:?}");
}

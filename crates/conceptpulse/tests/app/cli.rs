//! The `conceptpulse` binary against a real Kiro server (the embedded one of `up`): sign
//! in, status, sign out, JSON output and the exit codes scripts rely on.

use std::process::Output;

use serde_json::Value;

use crate::App;

/// Runs the binary with `args` against `server`, keeping its settings in `config_dir`.
async fn conceptpulse(
    server: &str,
    config_dir: &std::path::Path,
    password: Option<&str>,
    args: &[&str],
) -> anyhow::Result<Output> {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_conceptpulse"));
    command
        .args(args)
        .env("KIRO_SERVER_URL", server)
        .env("CONCEPTPULSE_CONFIG_DIR", config_dir)
        .env_remove("CONCEPTPULSE_PASSWORD");
    if let Some(password) = password {
        command.env("CONCEPTPULSE_PASSWORD", password);
    }
    Ok(command.output().await?)
}

fn json(output: &Output) -> anyhow::Result<Value> {
    Ok(serde_json::from_slice(&output.stdout)?)
}

async fn sign_in_status_and_sign_out(app: App) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = app.up.server.base_url();
    let admin = app
        .up
        .admin
        .clone()
        .ok_or_else(|| anyhow::anyhow!("a first run creates the administrator"))?;

    let status = conceptpulse(&server, dir.path(), None, &["status", "--output", "json"]).await?;
    assert_eq!(status.status.code(), Some(0));
    let body = json(&status)?;
    assert_eq!(body["connection"], "connected");
    assert_eq!(body["signedInAs"], Value::Null);
    assert_eq!(body["services"].as_array().map(Vec::len), Some(6));

    let wrong = conceptpulse(
        &server,
        dir.path(),
        Some("nope-nope"),
        &["login", "--email", &admin.email, "--output", "json"],
    )
    .await?;
    assert_eq!(wrong.status.code(), Some(3), "refused credentials exit 3");
    assert_eq!(json(&wrong)?["error"]["code"], "oauth.invalid_grant");

    let login = conceptpulse(
        &server,
        dir.path(),
        Some(&admin.password),
        &["login", "--email", &admin.email],
    )
    .await?;
    assert_eq!(login.status.code(), Some(0), "{login:?}");
    assert!(String::from_utf8_lossy(&login.stdout).contains("Signed in"));
    let tokens = dir.path().join("tokens").join("local.json");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&tokens)?.permissions().mode() & 0o777,
            0o600
        );
    }

    let human = conceptpulse(&server, dir.path(), None, &["status"]).await?;
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(
        text.contains(&format!("signed in as {}", admin.email)),
        "{text}"
    );
    assert!(text.contains("assessment"), "the services table: {text}");

    let logout = conceptpulse(&server, dir.path(), None, &["logout", "--output", "json"]).await?;
    assert_eq!(logout.status.code(), Some(0));
    assert_eq!(json(&logout)?["revoked"], true);
    assert!(!tokens.exists(), "the token file is removed");
    let again = conceptpulse(&server, dir.path(), None, &["logout", "--output", "json"]).await?;
    assert_eq!(json(&again)?["revoked"], false);
    Ok(())
}

async fn an_unreachable_server_exits_4(mut app: App) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = app.up.server.base_url();
    app.up.server.halt().await?;
    let status = conceptpulse(&server, dir.path(), None, &["status", "--output", "json"]).await?;
    assert_eq!(status.status.code(), Some(4));
    assert_eq!(json(&status)?["error"]["kind"], "unreachable");
    let human = conceptpulse(&server, dir.path(), None, &["status"]).await?;
    assert_eq!(human.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&human.stderr).contains("conceptpulse up"));
    let usage = conceptpulse(&server, dir.path(), None, &["login", "--email", "a@b.c"]).await?;
    assert_eq!(usage.status.code(), Some(2), "no password is a usage error");
    Ok(())
}

async fn environments_are_named_switched_and_validated(app: App) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = app.up.server.base_url();
    // Without KIRO_SERVER_URL the CLI goes by its environments.
    let run = async |args: &[&str]| -> anyhow::Result<Output> {
        Ok(
            tokio::process::Command::new(env!("CARGO_BIN_EXE_conceptpulse"))
                .args(args)
                .env("CONCEPTPULSE_CONFIG_DIR", dir.path())
                .env_remove("KIRO_SERVER_URL")
                .env_remove("KIRO_ENV")
                .output()
                .await?,
        )
    };
    let shown = json(&run(&["config", "show", "--output", "json"]).await?)?;
    assert_eq!(shown["active"], "local");
    assert_eq!(shown["settings"]["server_url"], "http://127.0.0.1:7700");

    let added = run(&[
        "config", "add", "staging", "--server", &server, "--output", "json",
    ])
    .await?;
    assert_eq!(added.status.code(), Some(0), "{added:?}");
    assert_eq!(
        json(&added)?["environments"],
        serde_json::json!(["local", "staging"])
    );
    let switched = json(&run(&["config", "use", "staging", "--output", "json"]).await?)?;
    assert_eq!(switched["active"], "staging");
    assert_eq!(switched["settings"]["server_url"], server.as_str());
    let status = run(&["status", "--output", "json"]).await?;
    assert_eq!(
        status.status.code(),
        Some(0),
        "status reaches the staging server"
    );
    assert_eq!(json(&status)?["server"], server.as_str());

    let typo = run(&["config", "set", "servr_url", "http://x", "--output", "json"]).await?;
    assert_eq!(typo.status.code(), Some(2));
    let problem = &json(&typo)?["error"]["problems"][0];
    assert!(
        problem["suggestion"]
            .as_str()
            .is_some_and(|s| s.contains("server_url")),
        "{problem}"
    );
    let unknown = run(&["config", "use", "stagign"]).await?;
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&unknown.stderr).contains("staging"),
        "suggests the nearest"
    );
    let after = json(&run(&["config", "show", "--output", "json"]).await?)?;
    assert_eq!(
        after["active"], "staging",
        "a refused change changes nothing"
    );
    Ok(())
}

#[tokio::test]
async fn completions_are_printed_for_each_shell() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    for shell in ["bash", "zsh", "fish"] {
        let output = conceptpulse(
            "http://127.0.0.1:9",
            dir.path(),
            None,
            &["completions", shell],
        )
        .await?;
        assert_eq!(output.status.code(), Some(0));
        assert!(String::from_utf8_lossy(&output.stdout).contains("conceptpulse"));
    }
    Ok(())
}

crate::on_both_backends!(
    sign_in_status_and_sign_out,
    an_unreachable_server_exits_4,
    environments_are_named_switched_and_validated,
);

//! The `kiro-server` binary as an operator runs it: `print-config` redaction, configuration
//! errors that name the key, `user create` while the server is stopped, graceful shutdown
//! that finishes an in-flight request, and logs that never contain a password or secret.

use std::path::Path;
use std::process::Stdio;

use reqwest::StatusCode;
use serde_json::json;
use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader, Lines};
use tokio::process::{Child, Command};
use tokio::sync::mpsc;

use crate::helpers::{Reply, http};

const BIN: &str = env!("CARGO_BIN_EXE_kiro-server");

fn command(data_dir: &Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .arg("--data-dir")
        .arg(data_dir)
        .kill_on_drop(true);
    cmd
}

/// A running server process with its output lines.
struct Running {
    child: Child,
    base_url: String,
    stderr: mpsc::UnboundedReceiver<String>,
    stdout: Lines<BufReader<tokio::process::ChildStdout>>,
}

fn forward<R: AsyncRead + Unpin + Send + 'static>(reader: R) -> mpsc::UnboundedReceiver<String> {
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        let mut lines = BufReader::new(reader).lines();
        while let Ok(Some(line)) = lines.next_line().await {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

async fn start(mut cmd: Command) -> Running {
    cmd.arg("serve").arg("--listen").arg("127.0.0.1:0");
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn kiro-server");
    let stderr = forward(child.stderr.take().unwrap());
    let mut stdout = BufReader::new(child.stdout.take().unwrap()).lines();
    let line = stdout
        .next_line()
        .await
        .unwrap()
        .expect("the server prints its address");
    let base_url = line
        .strip_prefix("kiro-server listening on ")
        .expect(&line)
        .to_owned();
    Running {
        child,
        base_url,
        stderr,
        stdout,
    }
}

impl Running {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    fn terminate(&self) {
        let pid = self.child.id().unwrap().to_string();
        let status = std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Waits for exit and returns (exit success, everything printed).
    async fn finish(mut self) -> (bool, String) {
        let status = self.child.wait().await.unwrap();
        let mut out = String::new();
        while let Ok(Some(line)) = self.stdout.next_line().await {
            out.push_str(&line);
            out.push('\n');
        }
        while let Some(line) = self.stderr.recv().await {
            out.push_str(&line);
            out.push('\n');
        }
        (status.success(), out)
    }
}

#[tokio::test]
async fn print_config_redacts_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let output = command(dir.path())
        .arg("print-config")
        .env(
            "KIRO_AUTH__JWT_SECRET",
            "a-very-secret-signing-key-of-40-bytes!!",
        )
        .env(
            "KIRO_DATABASE__URL",
            "postgres://kiro:hunter2@db.internal/kiro",
        )
        .output()
        .await
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{text}");
    assert!(
        text.contains("[server]") && text.contains("listen = \"127.0.0.1:7700\""),
        "{text}"
    );
    assert!(
        !text.contains("a-very-secret") && !text.contains("hunter2"),
        "{text}"
    );
    assert!(
        text.contains("<redacted>") && text.contains("postgres://kiro:***@db.internal/kiro"),
        "{text}"
    );
}

#[tokio::test]
async fn invalid_configuration_fails_at_start_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let output = command(dir.path())
        .arg("print-config")
        .env("KIRO_SERVER__LISTN", "x")
        .output()
        .await
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(
        err.contains("KIRO_SERVER__LISTN") && err.contains("did you mean KIRO_SERVER__LISTEN?"),
        "{err}"
    );

    let file = dir.path().join("kiro.toml");
    std::fs::write(
        &file,
        "[server]\nlisten = \"nowhere\"\n[auth]\nopen_registraton = false\n",
    )
    .unwrap();
    let output = command(dir.path())
        .arg("--config")
        .arg(&file)
        .arg("serve")
        .output()
        .await
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(
        err.contains("auth.open_registraton") && err.contains("auth.open_registration"),
        "{err}"
    );
}

#[tokio::test]
async fn a_user_created_offline_can_sign_in_once_the_server_runs() {
    let dir = tempfile::tempdir().unwrap();
    let created = command(dir.path())
        .args([
            "user",
            "create",
            "--email",
            "Ops@Example.com",
            "--password",
            "ops-password",
            "--admin",
        ])
        .output()
        .await
        .unwrap();
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    assert!(String::from_utf8_lossy(&created.stdout).contains("created user ops@example.com"));
    let duplicate = command(dir.path())
        .args([
            "user",
            "create",
            "--email",
            "ops@example.com",
            "--password",
            "other-password",
        ])
        .output()
        .await
        .unwrap();
    assert!(!duplicate.status.success());

    let server = start(command(dir.path())).await;
    let reply = Reply::from(
        http()
            .post(server.url("/v1/auth/token"))
            .form(&[
                ("grant_type", "password"),
                ("username", "ops@example.com"),
                ("password", "ops-password"),
                ("client_id", "conceptpulse"),
            ])
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    let access = reply.body["access_token"].as_str().unwrap();
    let me = Reply::from(
        http()
            .get(server.url("/v1/auth/me"))
            .bearer_auth(access)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(me.body["user"]["isAdmin"], true);
    server.terminate();
    let (ok, _) = server.finish().await;
    assert!(ok);
}

#[tokio::test]
async fn shutdown_finishes_the_request_in_flight() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = command(dir.path());
    cmd.env("RUST_LOG", "kiro_server=debug");
    let mut server = start(cmd).await;

    let (tx, rx) = mpsc::channel::<Result<Vec<u8>, std::io::Error>>(4);
    let body = reqwest::Body::wrap_stream(tokio_stream_from(rx));
    let payload = serde_json::to_vec(&json!({
        "email": "late@example.com", "password": "a-good-password", "name": "Late"
    }))
    .unwrap();
    let (head, tail) = payload.split_at(10);
    let request = http()
        .post(server.url("/v1/auth/register"))
        .header("content-type", "application/json")
        .header("content-length", payload.len())
        .body(body)
        .send();
    let in_flight = tokio::spawn(request);
    tx.send(Ok(head.to_vec())).await.unwrap();

    // Wait until the server has started on the request, then ask it to stop.
    loop {
        let line = server.stderr.recv().await.expect("server log");
        if line.contains("request started") && line.contains("/v1/auth/register") {
            break;
        }
    }
    server.terminate();
    loop {
        let line = server.stderr.recv().await.expect("server log");
        if line.contains("shutting down") {
            break;
        }
    }
    tx.send(Ok(tail.to_vec())).await.unwrap();
    drop(tx);
    let response = in_flight.await.unwrap().unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let (ok, _) = server.finish().await;
    assert!(ok, "the server exits cleanly after draining");
}

fn tokio_stream_from(
    mut rx: mpsc::Receiver<Result<Vec<u8>, std::io::Error>>,
) -> impl futures::Stream<Item = Result<Vec<u8>, std::io::Error>> {
    futures::stream::poll_fn(move |cx| rx.poll_recv(cx))
}

#[tokio::test]
async fn passwords_and_secrets_never_reach_the_logs() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = command(dir.path());
    cmd.env("RUST_LOG", "trace");
    let server = start(cmd).await;
    let password = "pw-Sentinel-7f3a9c";
    let register = http()
        .post(server.url("/v1/auth/register"))
        .json(&json!({ "email": "log@example.com", "password": password, "name": "Log" }))
        .send()
        .await
        .unwrap();
    assert_eq!(register.status(), StatusCode::CREATED);
    let form = [
        ("grant_type", "password"),
        ("username", "log@example.com"),
        ("password", password),
        ("client_id", "conceptpulse"),
    ];
    let tokens = Reply::from(
        http()
            .post(server.url("/v1/auth/token"))
            .form(&form)
            .send()
            .await
            .unwrap(),
    )
    .await;
    let access = tokens.body["access_token"].as_str().unwrap().to_owned();
    let refresh = tokens.body["refresh_token"].as_str().unwrap().to_owned();
    let wrong = [
        ("grant_type", "password"),
        ("username", "log@example.com"),
        ("password", "pw-Wrong-Sentinel-1b2c"),
        ("client_id", "conceptpulse"),
    ];
    http()
        .post(server.url("/v1/auth/token"))
        .form(&wrong)
        .send()
        .await
        .unwrap();
    let key = Reply::from(
        http()
            .post(server.url("/v1/auth/api-keys"))
            .bearer_auth(&access)
            .json(&json!({ "name": "k" }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let key_secret = key.body["secret"].as_str().unwrap().to_owned();
    http()
        .get(server.url("/v1/auth/me"))
        .header("X-API-Key", &key_secret)
        .send()
        .await
        .unwrap();
    let client = Reply::from(
        http()
            .post(server.url("/v1/auth/clients"))
            .bearer_auth(&access)
            .json(&json!({ "name": "c", "confidential": true }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let client_id = client.body["clientId"].as_str().unwrap().to_owned();
    let client_secret = client.body["clientSecret"].as_str().unwrap().to_owned();
    http()
        .post(server.url("/v1/auth/token"))
        .basic_auth(&client_id, Some(&client_secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    let refreshed = http()
        .post(server.url("/v1/auth/token"))
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh.as_str()),
            ("client_id", "conceptpulse"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(refreshed.status(), StatusCode::OK);

    server.terminate();
    let (_, logs) = server.finish().await;
    assert!(logs.contains("request done"), "trace logging was on");
    for secret in [
        password,
        "pw-Wrong-Sentinel-1b2c",
        &refresh,
        &access,
        &key_secret,
        &client_secret,
    ] {
        assert!(
            !logs.contains(secret),
            "a secret reached the logs: {}…",
            &secret[..8]
        );
    }
}

/// Two server processes on one PostgreSQL database deliver each other's events: a write on
/// one reaches a subscriber of the other through LISTEN/NOTIFY, both ways.
#[tokio::test]
async fn two_processes_on_postgres_deliver_each_others_events() {
    let Some(db) = kiro_store::testing::TestDatabase::postgres().unwrap() else {
        eprintln!("skipped: KIRO_TEST_DATABASE_URL is not set");
        return;
    };
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut a = command(dir_a.path());
    a.arg("--database-url").arg(db.url());
    let mut b = command(dir_b.path());
    b.arg("--database-url").arg(db.url());
    let a = start(a).await;
    let b = start(b).await;

    let register = http()
        .post(a.url("/v1/auth/register"))
        .json(&json!({ "email": "two@example.com", "password": "two-processes", "name": "Two" }))
        .send()
        .await
        .unwrap();
    assert_eq!(register.status(), StatusCode::CREATED);
    let tokens = Reply::from(
        http()
            .post(b.url("/v1/auth/token"))
            .form(&[
                ("grant_type", "password"),
                ("username", "two@example.com"),
                ("password", "two-processes"),
                ("client_id", "conceptpulse"),
            ])
            .send()
            .await
            .unwrap(),
    )
    .await;
    let token = tokens.body["access_token"].as_str().unwrap().to_owned();
    let me = Reply::from(
        http()
            .get(a.url("/v1/auth/me"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap(),
    )
    .await;
    let workspace = me.body["workspaces"][0]["id"].as_str().unwrap().to_owned();

    let mut on_a = crate::ws::connect(&a.base_url, &token).await;
    let mut on_b = crate::ws::connect(&b.base_url, &token).await;
    for socket in [&mut on_a, &mut on_b] {
        socket
            .subscribe(json!({ "type": "subscribe", "topics": ["tenancy.workspace.*"] }))
            .await;
    }
    for (writer, name) in [(&a, "written on A"), (&b, "written on B")] {
        let reply = http()
            .patch(writer.url(&format!("/v1/workspaces/{workspace}")))
            .bearer_auth(&token)
            .json(&json!({ "name": name }))
            .send()
            .await
            .unwrap();
        assert_eq!(reply.status(), StatusCode::OK);
        for socket in [&mut on_a, &mut on_b] {
            assert_eq!(socket.next_event().await["data"]["name"], name);
        }
    }
    a.terminate();
    b.terminate();
    assert!(a.finish().await.0 && b.finish().await.0);
}

//! Sandboxed runs from ConceptPulse: `conceptpulse exec …` (the real binary) and the web
//! playground (plain form posts), against the embedded Kiro server of `up`. A host whose
//! sandbox cannot start (no helper, no isolation) is reported and skipped, as the SDK's
//! execution tests do.

use reqwest::StatusCode;
use serde_json::Value;

use crate::App;
use crate::assess_cli::{Cli, text};
use crate::web::{browser, sign_up};

/// Whether the app's server can run Python (noted when not).
pub async fn can_run_python(cli: &Cli) -> anyhow::Result<bool> {
    let (code, caps) = cli.json(&["exec", "capabilities"], b"").await?;
    anyhow::ensure!(code == 0, "exec capabilities exited {code}: {caps}");
    if caps["available"] != Value::Bool(true) {
        eprintln!(
            "SKIPPED: the sandbox is unavailable here: {}",
            caps["reason"]
        );
        return Ok(false);
    }
    let (_, envs) = cli.json(&["exec", "envs"], b"").await?;
    let found = envs
        .as_array()
        .is_some_and(|list| list.iter().any(|e| e["name"] == "python3"));
    if !found {
        eprintln!("SKIPPED: python3 is not installed here");
    }
    Ok(found)
}

async fn cli_runs_files_with_input_and_exits_by_verdict(app: App) -> anyhow::Result<()> {
    let cli = Cli::signed_in(&app).await?;
    if !can_run_python(&cli).await? {
        return Ok(());
    }
    let dir = tempfile::tempdir()?;
    let hello = dir.path().join("hello.py");
    std::fs::write(
        &hello,
        "import sys\nname = input()\nprint(f'Hello, {name}!', sys.argv[1:])\n",
    )?;
    let input = dir.path().join("in.txt");
    std::fs::write(&input, "Ada\n")?;
    let hello = hello.display().to_string();
    let input = input.display().to_string();

    let ran = cli
        .run(
            &[
                "exec", "run", &hello, "--env", "python3", "--stdin", &input, "--", "x y",
            ],
            b"",
        )
        .await?;
    assert_eq!(ran.status.code(), Some(0), "{ran:?}");
    assert_eq!(text(&ran.stdout), "Hello, Ada! ['x y']\n");
    assert!(
        text(&ran.stderr).contains("accepted"),
        "{}",
        text(&ran.stderr)
    );

    let (code, body) = cli
        .json(
            &["exec", "run", "-", "--env", "python3"],
            b"raise SystemExit(3)\n",
        )
        .await?;
    assert_eq!(code, 7, "a rejected run exits 7: {body}");
    assert_eq!(body["verdict"]["status"], "nonZeroExit");
    assert_eq!(body["verdict"]["exitCode"], 3);

    let slow = cli
        .run(
            &[
                "exec",
                "run",
                "-",
                "--env",
                "python3",
                "--time-limit",
                "300",
            ],
            b"while True: pass\n",
        )
        .await?;
    assert_eq!(slow.status.code(), Some(7));
    assert!(
        text(&slow.stderr).contains("time limit exceeded"),
        "{slow:?}"
    );

    let (code, unknown) = cli
        .json(&["exec", "run", &hello, "--env", "cobol"], b"")
        .await?;
    assert_eq!(code, 5, "{unknown}");
    assert_eq!(unknown["error"]["code"], "execution.environment.unknown");

    let missing = dir.path().join("nope.py").display().to_string();
    let (code, usage) = cli
        .json(&["exec", "run", &missing, "--env", "python3"], b"")
        .await?;
    assert_eq!(code, 2, "{usage}");
    assert!(
        usage["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("nope.py")
    );
    Ok(())
}

async fn the_playground_runs_code_and_explains_refusals(app: App) -> anyhow::Result<()> {
    let web = browser()?;
    sign_up(&app, &web, "Grace", "grace@example.com").await?;
    web.post(app.url("/onboarding"))
        .form(&[("subject", "Programming")])
        .send()
        .await?;
    let page = web.get(app.url("/kiro/execution")).send().await?;
    assert_eq!(page.status(), StatusCode::OK);
    let page = page.text().await?;
    if page.contains("sandbox-unavailable") || !page.contains(r#"value="python3""#) {
        eprintln!("SKIPPED: the sandbox or python3 is unavailable here");
        return Ok(());
    }
    assert!(page.contains("Hello"), "a sample program is offered");

    let ran = web
        .post(app.url("/kiro/execution"))
        .form(&[
            ("environment", "python3"),
            ("code", "print(input()[::-1])\r\n"),
            ("stdin", "<olleh>"),
            ("time_limit", "2000"),
        ])
        .send()
        .await?;
    assert_eq!(ran.status(), StatusCode::OK);
    let ran = ran.text().await?;
    assert!(ran.contains(r#"id="verdict">accepted"#), "{ran}");
    assert!(
        ran.contains("&#62;hello&#60;"),
        "the output is shown, escaped: {ran}"
    );
    assert!(ran.contains("print(input()[::-1])"), "the code is kept");

    let empty = web
        .post(app.url("/kiro/execution"))
        .form(&[("environment", "python3"), ("code", " ")])
        .send()
        .await?;
    assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.text().await?.contains("Write some code to run."));

    let greedy = web
        .post(app.url("/kiro/execution"))
        .form(&[
            ("environment", "python3"),
            ("code", "print(1)"),
            ("time_limit", "999999999"),
        ])
        .send()
        .await?;
    assert_eq!(greedy.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let greedy = greedy.text().await?;
    assert!(
        greedy.contains(r#"id="form-error""#),
        "Kiro's refusal is shown"
    );
    assert!(
        greedy.contains(r#"value="999999999""#),
        "what was typed is kept"
    );
    Ok(())
}

/// `conceptpulse` is its own sandbox helper: `cargo run -p conceptpulse -- up` runs code
/// without a separate `kiro-sandbox-init` installed beside it.
#[test]
fn the_conceptpulse_binary_serves_as_the_sandbox_helper() -> anyhow::Result<()> {
    use kiro_sandbox::{
        Comparison, ExecuteRequest, HelperCommand, Isolation, LimitsRequest, Sandbox,
        SandboxConfig, Verdict,
    };

    let state = tempfile::tempdir()?;
    let mut config = SandboxConfig::new(state.path().join("sandbox"));
    config.helper = Some(HelperCommand {
        program: env!("CARGO_BIN_EXE_conceptpulse").into(),
        args: vec![kiro_sandbox::init::EMBEDDED_ARG.to_owned()],
    });
    config.isolation = Some(Isolation::Native);
    config.slots = 1;
    let sandbox = match Sandbox::new(config) {
        Ok(sandbox) => sandbox,
        Err(e) => {
            eprintln!("SKIPPED: native isolation is unavailable here: {e}");
            return Ok(());
        }
    };
    if sandbox.environment("bash").is_err() {
        eprintln!("SKIPPED: bash is not installed here");
        return Ok(());
    }
    let request = ExecuteRequest {
        environment: "bash".into(),
        source: "echo \"pid $$\"; exit 4".into(),
        cases: Vec::new(),
        limits: LimitsRequest::default(),
        comparison: Comparison::default(),
        args: Vec::new(),
        files: Default::default(),
    };
    let outcome = sandbox.execute(&request, &())?;
    assert_eq!(outcome.verdict, Verdict::NonZeroExit { exit_code: 4 });
    let stdout = outcome.cases.first().map(|c| c.run.stdout.clone());
    let pid: Option<u32> = stdout
        .as_deref()
        .and_then(|s| s.trim().strip_prefix("pid "))
        .and_then(|n| n.parse().ok());
    assert!(
        pid.is_some_and(|pid| pid < 10),
        "bash ran in its own PID namespace: {outcome:?}"
    );
    Ok(())
}

crate::on_both_backends!(
    cli_runs_files_with_input_and_exits_by_verdict,
    the_playground_runs_code_and_explains_refusals,
);

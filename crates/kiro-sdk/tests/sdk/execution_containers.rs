//! Containers end to end through `client.execution()`: a container keeps its `/work` across
//! stop and start, commands get verdicts, the life cycle is enforced (409 naming the state
//! needed), another workspace cannot see or touch it, and bad input is 422. Skipped with a
//! note when the host's sandbox (or bash) is unavailable.

use kiro_sdk::kiro_types::execution::{
    ContainerCreateRequest, ContainerExecRequest, ContainerState, TimeLimit, Verdict,
};
use kiro_sdk::{Call, Credentials, KiroClient, KiroError};
use kiro_testkit::{TestServer, on_both_backends};

use crate::{connect, signed_in};

fn command(argv: &[&str]) -> ContainerExecRequest {
    ContainerExecRequest {
        command: argv.iter().map(|s| (*s).to_owned()).collect(),
        ..ContainerExecRequest::default()
    }
}

fn code(result: Result<impl std::fmt::Debug, KiroError>) -> String {
    match result {
        Ok(value) => format!("ok: {value:?}"),
        Err(e) => e.code().unwrap_or("no code").to_owned(),
    }
}

/// A signed-in client whose server can host containers with bash, or `None` (noted).
async fn host(server: &TestServer) -> anyhow::Result<Option<KiroClient>> {
    let client = signed_in(server).await?;
    let execution = client.execution();
    let caps = execution.capabilities().await?;
    if !caps.available || caps.host.as_ref().is_none_or(|h| !h.root) {
        eprintln!(
            "SKIPPED: native containers need the sandbox as root: {:?}",
            caps.reason
        );
        return Ok(None);
    }
    if execution.environment("bash").await.is_err() {
        eprintln!("SKIPPED: bash is not installed here");
        return Ok(None);
    }
    Ok(Some(client))
}

async fn a_container_keeps_its_files_across_stop_and_start(
    server: TestServer,
) -> anyhow::Result<()> {
    let Some(client) = host(&server).await? else {
        return Ok(());
    };
    let execution = client.execution();
    let created = execution
        .create_container(&ContainerCreateRequest {
            environment: "bash".into(),
            time_limit_ms: Some(3000),
            memory_limit_mb: Some(128),
        })
        .await?;
    assert_eq!(created.state, ContainerState::Created);
    assert_eq!(created.limits.memory_bytes, 128 * 1024 * 1024);
    assert_eq!(
        code(
            execution
                .exec_in_container(&created.id, &command(&["true"]))
                .await
        ),
        "execution.container.state",
        "exec needs a running container"
    );

    let running = execution.start_container(&created.id).await?;
    assert_eq!(running.state, ContainerState::Running);
    let wrote = ContainerExecRequest {
        stdin: "kept across restarts\n".into(),
        ..command(&["bash", "-c", "cat > notes.txt; echo saved; exit 3"])
    };
    let wrote = execution.exec_in_container(&created.id, &wrote).await?;
    assert_eq!(wrote.verdict, Verdict::NonZeroExit { exit_code: 3 });
    assert_eq!(wrote.stdout, "saved\n");
    assert_eq!(
        code(execution.delete_container(&created.id).await),
        "execution.container.state",
        "a running container is not deleted"
    );

    let slow = ContainerExecRequest {
        time_limit_ms: Some(300),
        ..command(&["bash", "-c", "sleep 5"])
    };
    let slow = execution.exec_in_container(&created.id, &slow).await?;
    assert!(
        matches!(
            slow.verdict,
            Verdict::TimeLimitExceeded {
                limit: TimeLimit::Wall
            }
        ),
        "{slow:?}"
    );

    let stopped = execution.stop_container(&created.id).await?;
    assert_eq!(stopped.state, ContainerState::Stopped);
    assert_eq!(
        code(execution.stop_container(&created.id).await),
        "execution.container.state"
    );
    execution.start_container(&created.id).await?;
    let read = execution
        .exec_in_container(&created.id, &command(&["cat", "notes.txt"]))
        .await?;
    assert_eq!(
        (read.verdict, read.stdout.as_str()),
        (Verdict::Accepted, "kept across restarts\n")
    );

    let listed = execution.containers().await?;
    assert_eq!(
        listed.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
        [created.id.as_str()]
    );
    execution.stop_container(&created.id).await?;
    execution.delete_container(&created.id).await?;
    assert_eq!(
        code(execution.container(&created.id).await),
        "execution.container.not_found"
    );
    assert!(execution.containers().await?.is_empty());
    Ok(())
}

async fn containers_are_private_and_bad_input_is_422(server: TestServer) -> anyhow::Result<()> {
    let Some(owner) = host(&server).await? else {
        return Ok(());
    };
    let mine = owner
        .execution()
        .create_container(&ContainerCreateRequest {
            environment: "bash".into(),
            ..ContainerCreateRequest::default()
        })
        .await?;

    let stranger = connect(&server).await?;
    stranger
        .call(Call::post("/v1/auth/register").json(serde_json::json!({
            "email": "stranger@example.com", "password": "correct horse battery", "name": "S"
        })))
        .await?;
    stranger
        .authenticate(Credentials::Password {
            email: "stranger@example.com".into(),
            password: "correct horse battery".into(),
        })
        .await?;
    let theirs = stranger.execution();
    assert_eq!(
        code(theirs.container(&mine.id).await),
        "execution.container.not_found"
    );
    assert_eq!(
        code(theirs.start_container(&mine.id).await),
        "execution.container.not_found"
    );
    assert_eq!(
        code(theirs.delete_container(&mine.id).await),
        "execution.container.not_found"
    );
    assert!(theirs.containers().await?.is_empty());
    assert_eq!(
        owner.execution().container(&mine.id).await?.state,
        ContainerState::Created
    );

    let unknown = owner
        .execution()
        .create_container(&ContainerCreateRequest {
            environment: "cobol".into(),
            ..ContainerCreateRequest::default()
        })
        .await;
    assert_eq!(code(unknown), "execution.environment.unknown");
    let greedy = owner
        .execution()
        .create_container(&ContainerCreateRequest {
            environment: "bash".into(),
            memory_limit_mb: Some(1_000_000),
            ..ContainerCreateRequest::default()
        })
        .await;
    assert_eq!(code(greedy), "validation.failed");
    owner.execution().start_container(&mine.id).await?;
    let empty = owner
        .execution()
        .exec_in_container(&mine.id, &command(&[]))
        .await;
    assert_eq!(code(empty), "validation.failed");
    assert_eq!(
        owner.execution().containers().await?.len(),
        1,
        "nothing else was created"
    );
    owner.execution().stop_container(&mine.id).await?;
    owner.execution().delete_container(&mine.id).await?;
    Ok(())
}

on_both_backends!(
    a_container_keeps_its_files_across_stop_and_start,
    containers_are_private_and_bad_input_is_422,
);

//! `conceptpulse exec containers` and `exec container create|start|exec|stop|delete`: the
//! workspace's long-lived sandboxes. `exec` runs a command in a running container's
//! persistent `/work`, prints its output on stdout and stderr and then its verdict, exit
//! status and usage; it exits 0 when the command was accepted and `exit::REJECTED`
//! otherwise.

use kiro_sdk::KiroClient;
use kiro_sdk::kiro_types::execution::{
    Container, ContainerCreateRequest, ContainerExecRequest, ContainerState, RunDetail,
};

use super::args::{ContainerCommand, ContainerExecArgs};
use super::run::exit_code;
use crate::cli::OutputFormat;
use crate::cli::exit;
use crate::cli::output::{Output, table};
use crate::verdicts;

const MIB: u64 = 1024 * 1024;

/// `conceptpulse exec containers`.
pub async fn list(client: &KiroClient, out: Output) -> u8 {
    match client.execution().containers().await {
        Ok(containers) => {
            out.emit(&containers, |c| container_table(c));
            exit::OK
        }
        Err(e) => out.fail(&e),
    }
}

fn container_table(containers: &[Container]) -> String {
    if containers.is_empty() {
        return "No containers. Create one with `conceptpulse exec container create --env NAME`."
            .to_owned();
    }
    let rows = containers.iter().map(|c| {
        vec![
            c.id.clone(),
            c.environment.clone(),
            state(c.state).to_owned(),
            c.backend.clone(),
            format!(
                "{} ms / {} MiB",
                c.limits.wall_time_ms,
                c.limits.memory_bytes / MIB
            ),
        ]
    });
    table(&["ID", "Environment", "State", "Backend", "Limits"], rows)
}

fn state(state: ContainerState) -> &'static str {
    match state {
        ContainerState::Created => "created",
        ContainerState::Running => "running",
        ContainerState::Stopped => "stopped",
    }
}

/// The request `args` of `container exec` describe, or which file could not be read.
pub fn exec_request(args: &ContainerExecArgs) -> Result<ContainerExecRequest, String> {
    let stdin = match &args.stdin {
        Some(path) => {
            let bytes =
                std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            String::from_utf8(bytes).map_err(|_| format!("{} is not UTF-8 text", path.display()))?
        }
        None => String::new(),
    };
    Ok(ContainerExecRequest {
        command: args.command.clone(),
        stdin,
        time_limit_ms: args.time_limit,
    })
}

/// `conceptpulse exec container …`.
pub async fn container(client: &KiroClient, out: Output, command: ContainerCommand) -> u8 {
    let execution = client.execution();
    let changed = match command {
        ContainerCommand::Create {
            env,
            time_limit,
            memory_limit,
        } => {
            let request = ContainerCreateRequest {
                environment: env,
                time_limit_ms: time_limit,
                memory_limit_mb: memory_limit,
            };
            execution.create_container(&request).await
        }
        ContainerCommand::Start { id } => execution.start_container(&id).await,
        ContainerCommand::Stop { id } => execution.stop_container(&id).await,
        ContainerCommand::Delete { id } => {
            return match execution.delete_container(&id).await {
                Ok(()) => {
                    out.emit(&serde_json::json!({ "id": id, "deleted": true }), |_| {
                        format!("Deleted container {id}.")
                    });
                    exit::OK
                }
                Err(e) => out.fail(&e),
            };
        }
        ContainerCommand::Exec(args) => {
            let request = match exec_request(&args) {
                Ok(request) => request,
                Err(message) => return out.fail_message(exit::USAGE, &message),
            };
            return match execution.exec_in_container(&args.id, &request).await {
                Ok(detail) => print_detail(out, &detail),
                Err(e) => out.fail(&e),
            };
        }
    };
    match changed {
        Ok(container) => {
            out.emit(&container, |c| {
                format!(
                    "Container {} ({}) is {}.",
                    c.id,
                    c.environment,
                    state(c.state)
                )
            });
            exit::OK
        }
        Err(e) => out.fail(&e),
    }
}

fn print_detail(out: Output, detail: &RunDetail) -> u8 {
    match out.format {
        OutputFormat::Json => out.emit(detail, |_| String::new()),
        OutputFormat::Human => {
            print!("{}", detail.stdout);
            eprint!("{}", detail.stderr);
            let status = match (&detail.exit_code, &detail.signal) {
                (_, Some(signal)) => format!("signal {signal}"),
                (Some(code), None) => format!("exit {code}"),
                (None, None) => "no exit status".to_owned(),
            };
            eprintln!(
                "── {} · {status} · {}",
                verdicts::describe(&detail.verdict),
                verdicts::usage(&detail.usage)
            );
        }
    }
    exit_code(&detail.verdict)
}

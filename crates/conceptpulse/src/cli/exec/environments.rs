//! `conceptpulse exec envs` and `exec capabilities`: the environments code can run in, with
//! their default and maximum limits, and what the server's host supports.

use kiro_sdk::KiroClient;
use kiro_sdk::kiro_types::execution::{ExecutionCapabilities, ExecutionEnvironment, Network};

use crate::cli::exit;
use crate::cli::output::{Output, table};
use crate::verdicts;

const MIB: u64 = 1024 * 1024;

/// `conceptpulse exec envs`.
pub async fn environments(client: &KiroClient, out: Output) -> u8 {
    match client.execution().environments().await {
        Ok(environments) => {
            out.emit(&environments, |e| human(e));
            exit::OK
        }
        Err(e) => out.fail(&e),
    }
}

fn human(environments: &[ExecutionEnvironment]) -> String {
    if environments.is_empty() {
        return "No environments: the server found no runtime on its host.".to_owned();
    }
    let rows = environments.iter().map(|e| {
        vec![
            e.name.clone(),
            format!("{} {}", e.language, e.version),
            format!(
                "{} ms / {} MiB",
                e.default_limits.wall_time_ms,
                e.default_limits.memory_bytes / MIB
            ),
            format!(
                "{} ms / {} MiB",
                e.max_limits.wall_time_ms,
                e.max_limits.memory_bytes / MIB
            ),
            match &e.network {
                Network::None => "none".to_owned(),
                other => serde_json::to_value(other)
                    .ok()
                    .and_then(|v| v.get("mode").and_then(|m| m.as_str()).map(str::to_owned))
                    .unwrap_or_default(),
            },
            if e.builtin { "built-in" } else { "custom" }.to_owned(),
        ]
    });
    table(
        &["Name", "Runtime", "Default", "Maximum", "Network", "Kind"],
        rows,
    )
}

/// `conceptpulse exec capabilities`.
pub async fn capabilities(client: &KiroClient, out: Output) -> u8 {
    match client.execution().capabilities().await {
        Ok(capabilities) => {
            out.emit(&capabilities, describe);
            exit::OK
        }
        Err(e) => out.fail(&e),
    }
}

fn describe(caps: &ExecutionCapabilities) -> String {
    let mut lines = Vec::new();
    match (caps.available, caps.isolation) {
        (true, Some(isolation)) => lines.push(format!(
            "Sandbox available: {} isolation, {} workers, queue of {}",
            verdicts::isolation(isolation),
            caps.workers,
            caps.queue_capacity
        )),
        _ => lines.push(format!(
            "Sandbox unavailable: {}",
            caps.reason.as_deref().unwrap_or("no reason given")
        )),
    }
    if let Some(host) = &caps.host {
        lines.push(format!("Kernel {}, root: {}", host.kernel, host.root));
        lines.push(format!(
            "cgroups: {}",
            host.cgroups.version.as_deref().unwrap_or("none")
        ));
        for support in &host.isolations {
            lines.push(format!(
                "  {:<11} {}",
                verdicts::isolation(support.isolation),
                if support.available {
                    "yes".to_owned()
                } else {
                    format!(
                        "no ({})",
                        support.reason.as_deref().unwrap_or("unsupported")
                    )
                }
            ));
        }
    }
    lines.join("\n")
}

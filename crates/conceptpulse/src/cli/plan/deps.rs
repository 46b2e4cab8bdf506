//! `conceptpulse plan dep add FROM TO [--kind K] [--lag DAYS]` and `plan dep remove FROM TO`:
//! make task TO depend on task FROM, or stop it. A dependency that would close a cycle is
//! refused by the server; the refusal prints the cycle by task title and exits 5.

use kiro_sdk::KiroClient;
use kiro_sdk::kiro_types::planning::{Dependency, DependencyIn};
use serde_json::json;

use super::args::DepAddArgs;
use super::refusal;
use crate::cli::exit;
use crate::cli::output::Output;

/// `conceptpulse plan dep add`.
pub async fn add(client: &KiroClient, out: Output, args: DepAddArgs) -> u8 {
    let request = DependencyIn {
        predecessor_id: args.from,
        kind: args.kind.into(),
        lag_days: args.lag,
    };
    match client.planning().add_dependency(&args.to, &request).await {
        Ok(dependency) => {
            out.emit(&dependency, describe);
            exit::OK
        }
        Err(e) => refusal::fail(client, out, &e).await,
    }
}

fn describe(d: &Dependency) -> String {
    let lag = match d.lag_days {
        0 => String::new(),
        n => format!(", lag {n:+} days"),
    };
    format!(
        "Task {} now depends on {} ({}{lag}).",
        d.successor_id,
        d.predecessor_id,
        d.kind.as_str().replace('_', "-")
    )
}

/// `conceptpulse plan dep remove`.
pub async fn remove(client: &KiroClient, out: Output, from: &str, to: &str) -> u8 {
    match client.planning().remove_dependency(to, from).await {
        Ok(()) => {
            out.emit(
                &json!({ "removed": { "predecessorId": from, "successorId": to } }),
                |_| format!("Task {to} no longer depends on {from}."),
            );
            exit::OK
        }
        Err(e) => refusal::fail(client, out, &e).await,
    }
}

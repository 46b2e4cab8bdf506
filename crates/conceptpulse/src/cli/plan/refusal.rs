//! How `plan` reports a server's refusal: the code and message as every command does,
//! plus what the error's `details` name — the tasks of a dependency cycle (by title), the
//! dependencies a move would break, the hint to `--cascade` — and the details themselves in
//! the `{"error": …}` document of `--output json`.

use std::collections::HashMap;

use kiro_sdk::kiro_types::planning::DependencyViolation;
use kiro_sdk::{KiroClient, KiroError};
use serde_json::{Value, json};

use crate::cli::exit;
use crate::cli::output::{Output, error_detail};

/// Reports `error` with what its details say; returns the exit code.
pub async fn fail(client: &KiroClient, out: Output, error: &KiroError) -> u8 {
    let KiroError::Api(api) = error else {
        return out.fail(error);
    };
    let mut detail = error_detail(error);
    let details = api.details.clone().unwrap_or(Value::Null);
    let mut human = error.to_string();
    match api.code.as_str() {
        "planning.dependency.cycle" => {
            let ids: Vec<String> = details["cycle"]
                .as_array()
                .map(|ids| {
                    ids.iter()
                        .filter_map(|id| id.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            let named = name_tasks(client, &ids).await;
            human.push_str(&format!("\nCycle: {}", named.join(" → ")));
            detail["cycleTitles"] = json!(named);
        }
        "planning.task.violates_dependency" => {
            let violations: Vec<DependencyViolation> =
                serde_json::from_value(details["violations"].clone()).unwrap_or_default();
            human.push_str("\nThe move was refused; nothing changed. It would break:");
            for v in &violations {
                let ends = [v.successor_id.clone(), v.predecessor_id.clone()];
                let [successor, predecessor] = &name_tasks(client, &ends).await[..] else {
                    continue;
                };
                human.push_str(&format!(
                    "\n  {successor} would start or end {} day(s) too early for its {} \
                     dependency on {predecessor}",
                    v.days_late,
                    v.kind.as_str().replace('_', "-"),
                ));
            }
        }
        "planning.task.has_dependants" => {
            human.push_str("\nAdd --cascade to delete it with the dependencies on it.");
        }
        _ => {}
    }
    detail["details"] = details;
    out.fail_with(exit::for_error(error), detail, &human)
}

/// `Title (id)` for each task id, or the bare id of one that cannot be read.
async fn name_tasks(client: &KiroClient, ids: &[String]) -> Vec<String> {
    let planning = client.planning();
    let mut known: HashMap<&str, String> = HashMap::new();
    let mut named = Vec::with_capacity(ids.len());
    for id in ids {
        if !known.contains_key(id.as_str()) {
            let name = match planning.get_task(id).await {
                Ok(task) => format!("{} ({id})", task.title),
                Err(_) => id.clone(),
            };
            known.insert(id, name);
        }
        named.push(known.get(id.as_str()).cloned().unwrap_or_default());
    }
    named
}

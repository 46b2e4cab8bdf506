//! Printing results: a table or a sentence for people, one JSON document for scripts
//! (`--output json`). Errors go to stderr for people and to stdout as `{"error": …}` for
//! scripts, so a script reads one document either way and checks the exit code.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};
use kiro_sdk::KiroError;
use serde::Serialize;
use serde_json::json;

use super::OutputFormat;
use super::exit;

/// Where a command's results go.
#[derive(Debug, Clone, Copy)]
pub struct Output {
    pub format: OutputFormat,
}

impl Output {
    /// Prints `value`: as JSON, or as what `human` renders.
    pub fn emit<T: Serialize>(&self, value: &T, human: impl FnOnce(&T) -> String) {
        match self.format {
            OutputFormat::Json => {
                println!(
                    "{}",
                    serde_json::to_string_pretty(value).unwrap_or_default()
                );
            }
            OutputFormat::Human => println!("{}", human(value)),
        }
    }

    /// Reports `error` and returns its exit code.
    pub fn fail(&self, error: &KiroError) -> u8 {
        self.fail_with(exit::for_error(error), error_detail(error), &hint(error))
    }

    /// Reports a failure the CLI found itself (usage, local files) and returns `code`.
    pub fn fail_message(&self, code: u8, message: &str) -> u8 {
        self.fail_with(
            code,
            json!({ "kind": "client", "message": message }),
            message,
        )
    }

    /// Reports a failure with structured `detail` (e.g. a configuration's problems).
    pub fn fail_detail(&self, code: u8, message: &str, detail: serde_json::Value) -> u8 {
        let mut body = detail;
        body["kind"] = json!("client");
        body["message"] = json!(message);
        self.fail_with(code, body, message)
    }

    /// Reports a failure as `detail` for scripts and `human` for people; returns `code`.
    pub fn fail_with(&self, code: u8, detail: serde_json::Value, human: &str) -> u8 {
        match self.format {
            OutputFormat::Json => {
                let mut detail = detail;
                detail["exitCode"] = json!(code);
                println!(
                    "{}",
                    serde_json::to_string_pretty(&json!({ "error": detail })).unwrap_or_default()
                );
            }
            OutputFormat::Human => eprintln!("conceptpulse: {human}"),
        }
        code
    }
}

/// The JSON detail of `error`: its kind, and for a server's answer its code, status,
/// message and request id.
pub fn error_detail(error: &KiroError) -> serde_json::Value {
    match error {
        KiroError::Api(api) => json!({
            "kind": "api", "code": api.code, "status": api.status,
            "message": api.message, "requestId": api.request_id,
        }),
        KiroError::Connection(_) | KiroError::Timeout => {
            json!({ "kind": "unreachable", "message": error.to_string() })
        }
        other => json!({ "kind": "client", "message": other.to_string() }),
    }
}

/// A sentence for people: what went wrong and what to do.
fn hint(error: &KiroError) -> String {
    match exit::for_error(error) {
        exit::UNREACHABLE => format!(
            "{error}. Is the Kiro server running? Start one with `conceptpulse up`, or pass --server URL."
        ),
        exit::AUTH => {
            format!("{error}. Sign in with `conceptpulse login --email you@example.com`.")
        }
        _ => error.to_string(),
    }
}

/// A table with `header` and `rows`, fitted to the terminal.
pub fn table(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut table = Table::new();
    table
        .load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(header.to_vec());
    for row in rows {
        table.add_row(row);
    }
    table.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_hold_every_cell() {
        let text = table(
            &["Service", "Status"],
            [vec!["planning".into(), "up".into()]],
        );
        assert!(text.contains("Service") && text.contains("planning") && text.contains("up"));
    }

    #[test]
    fn an_unreachable_server_suggests_starting_one() {
        let text = hint(&KiroError::Connection("refused".into()));
        assert!(text.contains("conceptpulse up"));
    }
}

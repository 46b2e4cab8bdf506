//! Execution environments: named, declarative descriptions of a runtime (the host paths to
//! bind read-only, the command template, an optional compile step, the environment
//! variables, default and maximum limits, network access), validated before use.
//!
//! [`builtin`] finds Python 3, Node.js, Bash, C (gcc) and Rust (rustc) where installed;
//! [`Registry`] holds the built-ins and custom environments by name.

pub mod builtin;
mod registry;
mod validate;

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

pub use registry::Registry;
pub use validate::{MAX_NAME_LEN, valid_file_name, validate};

use crate::limits::Limits;

/// Network access of an environment's runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "camelCase")]
pub enum Network {
    /// A fresh network namespace with nothing in it: no interface is up, no host reachable.
    None,
    /// The host's network, with TCP connections allowed only to these ports (landlock); every
    /// other TCP connect and bind is refused.
    #[serde(rename_all = "camelCase")]
    Allowlist { tcp_ports: Vec<u16> },
}

/// A named runtime that submissions are run in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Environment {
    /// Unique name, `[a-z0-9][a-z0-9._-]*` (`python3`, `c`, `rust`).
    pub name: String,
    /// The language, for people (`Python`, `C`).
    pub language: String,
    /// The runtime's version as it reports it (`3.11.7`).
    pub version: String,
    /// Host paths bound read-only at the same place inside the sandbox, beyond the system
    /// directories every environment gets ([`builtin::SYSTEM_PATHS`]).
    pub runtime_paths: Vec<PathBuf>,
    /// File name the source is written to in `/work` (`main.py`).
    pub source_file: String,
    /// Compile step for compiled languages, run once per submission in `/work`.
    pub compile: Option<Vec<String>>,
    /// The run command. `{source}` is replaced by the source file name, `{work}` by the work
    /// directory as the program sees it.
    pub run: Vec<String>,
    /// The program's whole environment (nothing is inherited from the server).
    pub env: BTreeMap<String, String>,
    /// Limits of a run that asks for none.
    pub default_limits: Limits,
    /// The most a run may ask for.
    pub max_limits: Limits,
    /// Limits of the compile step.
    pub compile_limits: Limits,
    pub network: Network,
}

impl Environment {
    /// A command template with its placeholders filled in.
    pub fn expand(template: &[String], source_file: &str, work: &str) -> Vec<String> {
        template
            .iter()
            .map(|arg| arg.replace("{source}", source_file).replace("{work}", work))
            .collect()
    }

    /// The environment variables as a list, in name order.
    pub fn env_list(&self) -> Vec<(String, String)> {
        self.env
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn placeholders_expand_in_every_argument() {
        let template = vec![
            "gcc".into(),
            "-o".into(),
            "{work}/main".into(),
            "{source}".into(),
        ];
        assert_eq!(
            Environment::expand(&template, "main.c", "/work"),
            ["gcc", "-o", "/work/main", "main.c"]
        );
    }

    #[test]
    fn network_serialises_with_a_mode_tag() {
        let json = serde_json::to_value(Network::Allowlist {
            tcp_ports: vec![443],
        })
        .unwrap();
        assert_eq!(
            json,
            serde_json::json!({"mode": "allowlist", "tcpPorts": [443]})
        );
        let json = serde_json::to_value(Network::None).unwrap();
        assert_eq!(json, serde_json::json!({"mode": "none"}));
    }
}

//! The execution catalog: a workspace's custom environments (`/v1/execution/environments`,
//! declared in the engine's environment model and validated by it) and its scripts
//! (`/v1/execution/scripts`: stored code with declared, typed parameters, run with
//! `POST /v1/execution/scripts/{id}/execute`). Both are versioned resources.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use garde::Validate;
use serde::{Deserialize, Serialize};

use crate::WorkspaceId;

use super::{Limits, Network};

/// A custom environment to create (the design's `EnvironmentCreateRequest`). Limits left
/// out take the engine's defaults; the whole declaration is checked by the engine's
/// validator (paths exist and are not forbidden, commands can run, limits fit the ceiling).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EnvironmentIn {
    /// Unique among the built-ins and the workspace's environments, `[a-z0-9][a-z0-9._-]*`.
    #[garde(length(min = 1, max = 64))]
    pub name: String,
    #[garde(skip)]
    pub language: String,
    #[garde(skip)]
    pub version: String,
    /// Host paths bound read-only, beyond the system directories.
    #[serde(default)]
    #[garde(length(max = 32))]
    pub runtime_paths: Vec<String>,
    #[garde(skip)]
    pub source_file: String,
    /// The compile step (`{source}`, `{work}` placeholders), for compiled languages.
    #[serde(default)]
    #[garde(skip)]
    pub compile: Option<Vec<String>>,
    /// The run command (`{source}`, `{work}` placeholders).
    #[garde(skip)]
    pub run: Vec<String>,
    /// The program's whole environment.
    #[serde(default)]
    #[garde(skip)]
    pub env: BTreeMap<String, String>,
    #[serde(default)]
    #[garde(skip)]
    pub default_limits: Option<Limits>,
    #[serde(default)]
    #[garde(skip)]
    pub max_limits: Option<Limits>,
    #[serde(default)]
    #[garde(skip)]
    pub compile_limits: Option<Limits>,
    /// `{"mode": "none"}` (the default) or `{"mode": "allowlist", "tcpPorts": [...]}`.
    #[serde(default)]
    #[garde(skip)]
    pub network: Option<Network>,
}

/// Changes to a custom environment (the design's `EnvironmentUpdateRequest`); absent fields
/// stay, `compile: null` removes the compile step. The name cannot change (scripts name it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EnvironmentPatch {
    #[garde(skip)]
    pub language: Option<String>,
    #[garde(skip)]
    pub version: Option<String>,
    #[garde(inner(length(max = 32)))]
    pub runtime_paths: Option<Vec<String>>,
    #[garde(skip)]
    pub source_file: Option<String>,
    #[serde(default, with = "tri", skip_serializing_if = "Option::is_none")]
    #[garde(skip)]
    pub compile: Option<Option<Vec<String>>>,
    #[garde(skip)]
    pub run: Option<Vec<String>>,
    #[garde(skip)]
    pub env: Option<BTreeMap<String, String>>,
    #[garde(skip)]
    pub default_limits: Option<Limits>,
    #[garde(skip)]
    pub max_limits: Option<Limits>,
    #[garde(skip)]
    pub compile_limits: Option<Limits>,
    #[garde(skip)]
    pub network: Option<Network>,
}

/// The type of a script parameter's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum ParameterType {
    String,
    Integer,
    Number,
    Boolean,
}

impl ParameterType {
    pub fn as_str(self) -> &'static str {
        match self {
            ParameterType::String => "string",
            ParameterType::Integer => "integer",
            ParameterType::Number => "number",
            ParameterType::Boolean => "boolean",
        }
    }
}

/// One declared parameter of a script. The program receives it as the argument
/// `--<name>=<value>` (in declaration order) and as the variable `KIRO_PARAM_<NAME>`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScriptParameter {
    /// `[A-Za-z_][A-Za-z0-9_]*`, unique in the script ignoring case.
    #[garde(length(min = 1, max = 64))]
    pub name: String,
    #[serde(rename = "type")]
    #[garde(skip)]
    pub kind: ParameterType,
    /// Must be given on every execution (unless it has a default).
    #[serde(default)]
    #[garde(skip)]
    pub required: bool,
    /// Used when an execution does not give the parameter; of the parameter's type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[garde(skip)]
    pub default: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[garde(inner(length(max = 1000)))]
    pub description: Option<String>,
}

/// Limits a script runs with unless an execution asks for others.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScriptLimits {
    /// Wall-time limit, milliseconds (CPU time gets the same).
    #[garde(inner(range(min = 1)))]
    pub time_limit_ms: Option<u64>,
    /// Memory limit, MiB.
    #[garde(inner(range(min = 1)))]
    pub memory_limit_mb: Option<u64>,
}

/// A stored script.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Script {
    pub id: String,
    pub workspace_id: WorkspaceId,
    pub name: String,
    pub description: Option<String>,
    /// The environment it runs in: a built-in or one of the workspace's.
    pub environment: String,
    pub code: String,
    pub parameters: Vec<ScriptParameter>,
    pub default_limits: ScriptLimits,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// A script to create.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScriptIn {
    /// Unique in the workspace.
    #[garde(length(chars, min = 1, max = 200))]
    pub name: String,
    #[serde(default)]
    #[garde(inner(length(chars, max = 10_000)))]
    pub description: Option<String>,
    #[garde(length(min = 1, max = 64))]
    pub environment: String,
    #[garde(skip)]
    pub code: String,
    #[serde(default)]
    #[garde(length(max = 32), dive)]
    pub parameters: Vec<ScriptParameter>,
    #[serde(default)]
    #[garde(dive)]
    pub default_limits: ScriptLimits,
}

/// Changes to a script; absent fields stay, `description: null` clears it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScriptPatch {
    #[garde(inner(length(chars, min = 1, max = 200)))]
    pub name: Option<String>,
    #[serde(default, with = "tri", skip_serializing_if = "Option::is_none")]
    #[garde(skip)]
    pub description: Option<Option<String>>,
    #[garde(inner(length(min = 1, max = 64)))]
    pub environment: Option<String>,
    #[garde(skip)]
    pub code: Option<String>,
    #[garde(dive)]
    pub parameters: Option<Vec<ScriptParameter>>,
    #[garde(dive)]
    pub default_limits: Option<ScriptLimits>,
}

/// One execution of a script (the design's `executeScript(scriptId, parameters)`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScriptExecuteRequest {
    /// Values by parameter name, each of its declared type.
    #[serde(default)]
    #[garde(skip)]
    pub parameters: BTreeMap<String, serde_json::Value>,
    #[serde(default)]
    #[garde(skip)]
    pub stdin: Option<String>,
    /// Overrides the script's default time limit, milliseconds.
    #[garde(inner(range(min = 1)))]
    pub time_limit_ms: Option<u64>,
    /// Overrides the script's default memory limit, MiB.
    #[garde(inner(range(min = 1)))]
    pub memory_limit_mb: Option<u64>,
}

/// `Option<Option<T>>` for PATCH fields: absent is `None`, `null` is `Some(None)`.
mod tri {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<T: Serialize, S: Serializer>(
        value: &Option<Option<T>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(inner) => inner.serialize(serializer),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(deserializer).map(Some)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn parameters_read_their_type_and_patches_tell_null_from_absent() {
        let p: ScriptParameter =
            serde_json::from_str(r#"{"name":"n","type":"integer","required":true}"#).unwrap();
        assert_eq!(
            (p.kind, p.required, p.default),
            (ParameterType::Integer, true, None)
        );
        let patch: EnvironmentPatch = serde_json::from_str(r#"{"compile":null}"#).unwrap();
        assert_eq!(patch.compile, Some(None));
        let patch: EnvironmentPatch = serde_json::from_str("{}").unwrap();
        assert_eq!(patch.compile, None);
        let patch: ScriptPatch = serde_json::from_str(r#"{"description":null}"#).unwrap();
        assert_eq!(patch.description, Some(None));
    }
}

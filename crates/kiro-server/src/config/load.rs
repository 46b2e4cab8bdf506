//! Loading: reads `kiro.toml` (the `--config` file, else one in the current
//! directory), layers it, the `KIRO_<SECTION>__<KEY>` environment variables
//! and the command-line overrides onto the embedded defaults, remembers where
//! each value came from, then deserializes and validates the result.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use toml::{Table, Value};

use super::Config;
use super::error::{ConfigError, Origin, io_reason};
use super::schema::{Schema, enum_variants};
use super::suggest;
use super::validate::validate;

/// The file read when no `--config` is given, if it exists.
const DEFAULT_FILE: &str = "kiro.toml";

/// Prefix of the environment variables that are configuration.
const ENV_PREFIX: &str = "KIRO_";

/// Separator between section and key in an environment variable name.
const ENV_SEPARATOR: &str = "__";

/// Everything the configuration is read from, lowest precedence first after
/// the embedded defaults.
#[derive(Clone, Debug, Default)]
pub struct ConfigSources {
    /// `--config FILE`; it must exist. `None` reads `./kiro.toml` if present.
    pub file: Option<PathBuf>,
    /// Environment variables (`std::env::vars().collect()`); only
    /// `KIRO_<SECTION>__<KEY>` ones are configuration, the rest are ignored.
    pub env: Vec<(String, String)>,
    /// Command-line flags as dotted keys: `("server.listen", "127.0.0.1:0")`.
    pub overrides: Vec<(String, String)>,
}

/// Loads and validates the configuration: defaults < file < environment <
/// overrides.
pub fn load(sources: &ConfigSources) -> Result<Config, ConfigError> {
    load_in(sources, Path::new(""))
}

/// [`load`] with `kiro.toml` looked up in `dir` (`""` is the current one).
pub(crate) fn load_in(sources: &ConfigSources, dir: &Path) -> Result<Config, ConfigError> {
    let path = match &sources.file {
        Some(path) => Some(path.clone()),
        None => Some(dir.join(DEFAULT_FILE)).filter(|path| path.is_file()),
    };
    let file = match path {
        Some(path) => match std::fs::read_to_string(&path) {
            Ok(text) => Some((path, text)),
            Err(err) => {
                return Err(ConfigError::Read {
                    reason: io_reason(&err),
                    path,
                });
            }
        },
        None => None,
    };
    let file = file
        .as_ref()
        .map(|(path, text)| (path.as_path(), text.as_str()));
    from_layers(file, &sources.env, &sources.overrides)
}

/// Where each dotted key's value came from; unset keys are defaults.
#[derive(Debug, Default)]
pub(crate) struct Origins(HashMap<String, Origin>);

impl Origins {
    pub(crate) fn get(&self, key: &str) -> Origin {
        self.0.get(key).cloned().unwrap_or(Origin::Default)
    }
}

/// Builds the configuration from already-read layers: `file` is the path
/// (for messages) and text of the config file.
pub(crate) fn from_layers(
    file: Option<(&Path, &str)>,
    env: &[(String, String)],
    overrides: &[(String, String)],
) -> Result<Config, ConfigError> {
    let schema = Schema::new()?;
    let mut layers = Layers {
        merged: schema.defaults().clone(),
        origins: Origins::default(),
    };

    if let Some((path, text)) = file {
        let table = text.parse::<Table>().map_err(|err| ConfigError::Syntax {
            path: path.to_path_buf(),
            message: err.to_string().trim_end().to_owned(),
        })?;
        let origin = Origin::File(path.to_path_buf());
        schema.check_file(&table, &origin)?;
        layers.merge_table(&table, "", &origin)?;
    }
    for (var, raw) in env {
        let Some(key) = env_key(var) else { continue };
        let origin = Origin::Env(var.clone());
        let Some(value) = schema.coerce(&key, raw, &origin) else {
            let suggestion = suggest::nearest(&key, &schema, false).map(|k| env_var(&k));
            return Err(ConfigError::UnknownEnvVar {
                var: var.clone(),
                key,
                suggestion,
            });
        };
        layers.set(&key, value?, origin)?;
    }
    for (key, raw) in overrides {
        let origin = Origin::CommandLine;
        let Some(value) = schema.coerce(key, raw, &origin) else {
            let suggestion = suggest::nearest(key, &schema, false);
            return Err(ConfigError::UnknownKey {
                key: key.clone(),
                origin,
                suggestion,
            });
        };
        layers.set(key, value?, origin)?;
    }

    for key in schema.leaf_keys() {
        layers.check_enum(&key)?;
    }
    let Layers { merged, origins } = layers;
    let config: Config = serde_path_to_error::deserialize(Value::Table(merged)).map_err(|err| {
        let key = err.path().to_string();
        ConfigError::InvalidValue {
            origin: origins.get(&key),
            message: type_error(err.inner().message()),
            key,
        }
    })?;
    validate(&config, &origins)?;
    Ok(config)
}

/// A deserialization message as an operator reads it: integers that do not
/// fit the field's type become a range (`-1` for a `u32` reads
/// ``-1` is out of range (0 to 4294967295)`), anything else is kept.
fn type_error(message: &str) -> String {
    let range = message
        .strip_prefix("invalid value: integer `")
        .and_then(|rest| rest.split_once("`, expected "))
        .and_then(|(value, ty)| {
            let max = match ty.trim_end() {
                "u8" => u64::from(u8::MAX),
                "u16" => u64::from(u16::MAX),
                "u32" => u64::from(u32::MAX),
                "u64" => u64::MAX,
                _ => return None,
            };
            Some(format!("`{value}` is out of range (0 to {max})"))
        });
    range.unwrap_or_else(|| message.trim_end().to_owned())
}

/// The dotted key of a configuration variable (`KIRO_SERVER__LISTEN` →
/// `server.listen`, case-insensitively); `None` for other variables.
fn env_key(var: &str) -> Option<String> {
    let upper = var.to_ascii_uppercase();
    let rest = upper.strip_prefix(ENV_PREFIX)?;
    if !rest.contains(ENV_SEPARATOR) {
        return None;
    }
    Some(
        rest.to_ascii_lowercase()
            .split(ENV_SEPARATOR)
            .collect::<Vec<_>>()
            .join("."),
    )
}

/// The variable that sets a dotted key: `server.listen` → `KIRO_SERVER__LISTEN`.
fn env_var(key: &str) -> String {
    format!(
        "{ENV_PREFIX}{}",
        key.to_ascii_uppercase().replace('.', ENV_SEPARATOR)
    )
}

/// The merged table and the origin of every value set in it.
struct Layers {
    merged: Table,
    origins: Origins,
}

impl Layers {
    /// Sets the settable `key` (known to the schema, so its sections exist).
    fn set(&mut self, key: &str, value: Value, origin: Origin) -> Result<(), ConfigError> {
        let mut table = &mut self.merged;
        let mut parts = key.split('.').peekable();
        while let Some(part) = parts.next() {
            if parts.peek().is_none() {
                table.insert(part.to_owned(), value);
                self.origins.0.insert(key.to_owned(), origin);
                return Ok(());
            }
            match table.get_mut(part) {
                Some(Value::Table(inner)) => table = inner,
                _ => break,
            }
        }
        Err(ConfigError::Internal(format!(
            "`{key}` has no section to be set in"
        )))
    }

    /// Overlays a schema-checked file table.
    fn merge_table(
        &mut self,
        table: &Table,
        prefix: &str,
        origin: &Origin,
    ) -> Result<(), ConfigError> {
        for (key, value) in table {
            let path = if prefix.is_empty() {
                key.clone()
            } else {
                format!("{prefix}.{key}")
            };
            match value {
                Value::Table(inner) => self.merge_table(inner, &path, origin)?,
                leaf => self.set(&path, leaf.clone(), origin.clone())?,
            }
        }
        Ok(())
    }

    /// Checks an enum-valued key against its variants (accepting any case),
    /// suggesting the nearest one.
    fn check_enum(&mut self, key: &str) -> Result<(), ConfigError> {
        let Some(variants) = enum_variants(key) else {
            return Ok(());
        };
        let Some(Value::String(value)) = lookup(&self.merged, key) else {
            return Ok(());
        };
        if let Some(variant) = variants.iter().find(|v| v.eq_ignore_ascii_case(value)) {
            let (variant, origin) = (variant.clone(), self.origins.get(key));
            return self.set(key, Value::String(variant), origin);
        }
        let hint = suggest::nearest_variant(value, &variants)
            .map_or_else(String::new, |v| format!("; did you mean `{v}`?"));
        Err(ConfigError::InvalidValue {
            key: key.to_owned(),
            origin: self.origins.get(key),
            message: format!(
                "unknown variant `{value}`{hint} (valid: {})",
                variants.join(", ")
            ),
        })
    }
}

fn lookup<'a>(table: &'a Table, key: &str) -> Option<&'a Value> {
    let (section, leaf) = key.rsplit_once('.')?;
    lookup_table(table, section)?.get(leaf)
}

fn lookup_table<'a>(table: &'a Table, path: &str) -> Option<&'a Table> {
    path.split('.')
        .try_fold(table, |table, part| match table.get(part)? {
            Value::Table(inner) => Some(inner),
            _ => None,
        })
}

#[cfg(test)]
mod tests;

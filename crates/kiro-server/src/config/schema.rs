//! The set of valid keys and their types, derived by serializing
//! `Config::default()` so it can never drift from the structs; plus the
//! checks that need it: walking a file's table for unknown keys and wrong
//! types, coercing environment and command-line strings, and naming the
//! variants of enum-valued keys.

use toml::{Table, Value};

use super::error::{ConfigError, Origin};
use super::suggest;
use super::{Config, LogFormat};

/// The shape of the configuration: the defaults as a TOML table.
#[derive(Debug, Clone)]
pub(crate) struct Schema {
    defaults: Table,
}

impl Schema {
    /// Describes `Config::default()`.
    pub(crate) fn new() -> Result<Self, ConfigError> {
        match Value::try_from(Config::default()) {
            Ok(Value::Table(defaults)) => Ok(Self { defaults }),
            Ok(other) => Err(ConfigError::Internal(format!(
                "the defaults serialize to {}, not a table",
                article(other.type_str())
            ))),
            Err(err) => Err(ConfigError::Internal(err.to_string())),
        }
    }

    /// The defaults, the base layer every source is merged onto.
    pub(crate) fn defaults(&self) -> &Table {
        &self.defaults
    }

    /// Every settable dotted key (`server.listen`), in declaration order.
    pub(crate) fn leaf_keys(&self) -> Vec<String> {
        let mut keys = Vec::new();
        collect_leaves(&self.defaults, "", &mut keys);
        keys
    }

    /// Every section name (`server`), the tables of the configuration.
    pub(crate) fn section_keys(&self) -> Vec<String> {
        let mut keys = Vec::new();
        collect_tables(&self.defaults, "", &mut keys);
        keys
    }

    /// The default value of a settable key, `None` for unknown keys and
    /// sections.
    pub(crate) fn leaf(&self, key: &str) -> Option<&Value> {
        let mut table = &self.defaults;
        let mut parts = key.split('.').peekable();
        while let Some(part) = parts.next() {
            match (table.get(part)?, parts.peek()) {
                (Value::Table(inner), Some(_)) => table = inner,
                (Value::Table(_), None) | (_, Some(_)) => return None,
                (value, None) => return Some(value),
            }
        }
        None
    }

    /// Checks a parsed file against the schema: every key must exist and
    /// every value must have the type of its default.
    pub(crate) fn check_file(&self, file: &Table, origin: &Origin) -> Result<(), ConfigError> {
        check_table(self, file, &self.defaults, "", origin)
    }

    /// Turns an environment or command-line string into the type of `key`'s
    /// default; `None` when `key` is not a settable key.
    pub(crate) fn coerce(
        &self,
        key: &str,
        raw: &str,
        origin: &Origin,
    ) -> Option<Result<Value, ConfigError>> {
        let default = self.leaf(key)?;
        let invalid = |expected: &str| ConfigError::InvalidValue {
            key: key.to_owned(),
            origin: origin.clone(),
            message: format!("expected {expected}, found `{raw}`"),
        };
        Some(match default {
            Value::String(_) => Ok(Value::String(raw.to_owned())),
            Value::Boolean(_) => match raw.trim().to_ascii_lowercase().as_str() {
                "true" | "1" => Ok(Value::Boolean(true)),
                "false" | "0" => Ok(Value::Boolean(false)),
                _ => Err(invalid("a boolean (true, false, 1 or 0)")),
            },
            Value::Integer(_) => raw
                .trim()
                .parse::<i64>()
                .map(Value::Integer)
                .map_err(|_| invalid("an integer")),
            other => Err(ConfigError::Internal(format!(
                "`{key}` has a default of type {}, which cannot be set from a string",
                other.type_str()
            ))),
        })
    }
}

/// The accepted spellings of an enum-valued key, `None` for other keys.
pub(crate) fn enum_variants(key: &str) -> Option<Vec<String>> {
    match key {
        "log.format" => Some(LogFormat::ALL.iter().filter_map(variant_name).collect()),
        _ => None,
    }
}

/// How serde spells one variant.
fn variant_name<T: serde::Serialize>(variant: &T) -> Option<String> {
    match Value::try_from(variant) {
        Ok(Value::String(name)) => Some(name),
        _ => None,
    }
}

/// A TOML type name with its article: `a string`, `an integer`.
pub(crate) fn article(type_name: &str) -> String {
    match type_name.chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u') => format!("an {type_name}"),
        _ => format!("a {type_name}"),
    }
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_owned()
    } else {
        format!("{prefix}.{key}")
    }
}

fn collect_leaves(table: &Table, prefix: &str, out: &mut Vec<String>) {
    for (key, value) in table {
        match value {
            Value::Table(inner) => collect_leaves(inner, &join(prefix, key), out),
            _ => out.push(join(prefix, key)),
        }
    }
}

fn collect_tables(table: &Table, prefix: &str, out: &mut Vec<String>) {
    for (key, value) in table {
        if let Value::Table(inner) = value {
            let path = join(prefix, key);
            collect_tables(inner, &path, out);
            out.push(path);
        }
    }
}

fn check_table(
    schema: &Schema,
    file: &Table,
    defaults: &Table,
    prefix: &str,
    origin: &Origin,
) -> Result<(), ConfigError> {
    for (key, value) in file {
        let path = join(prefix, key);
        let Some(default) = defaults.get(key) else {
            let key = deepest_leaf(path, value);
            let suggestion = suggest::nearest(&key, schema, true);
            return Err(ConfigError::UnknownKey {
                key,
                origin: origin.clone(),
                suggestion,
            });
        };
        match (default, value) {
            (Value::Table(inner_defaults), Value::Table(inner)) => {
                check_table(schema, inner, inner_defaults, &path, origin)?;
            }
            _ if default.same_type(value) => {}
            _ => {
                return Err(ConfigError::InvalidValue {
                    key: path,
                    origin: origin.clone(),
                    message: format!(
                        "expected {}, found {}",
                        article(default.type_str()),
                        article(value.type_str())
                    ),
                });
            }
        }
    }
    Ok(())
}

/// The first leaf under an unknown key, so `[sever] listen = …` is reported
/// as `sever.listen` (which suggests `server.listen`) rather than `sever`.
fn deepest_leaf(path: String, value: &Value) -> String {
    match value {
        Value::Table(table) => match table.iter().next() {
            Some((key, inner)) => deepest_leaf(join(&path, key), inner),
            None => path,
        },
        _ => path,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_key_set_comes_from_the_defaults() {
        let schema = Schema::new().unwrap();
        let keys = schema.leaf_keys();
        assert_eq!(keys.len(), 42, "{keys:?}");
        assert!(keys.contains(&"server.listen".to_owned()));
        assert!(keys.contains(&"log.format".to_owned()));
        let mut sections = schema.section_keys();
        sections.sort();
        assert_eq!(
            sections,
            [
                "assessment",
                "auth",
                "database",
                "events",
                "execution",
                "log",
                "server"
            ]
        );
        assert_eq!(schema.leaf("server"), None);
        assert_eq!(schema.leaf("server.listen.port"), None);
        assert_eq!(
            schema.leaf("database.max_connections"),
            Some(&Value::Integer(10))
        );
    }

    #[test]
    fn strings_coerce_to_the_type_of_the_default() {
        let schema = Schema::new().unwrap();
        let cli = Origin::CommandLine;
        let coerce = |key, raw| schema.coerce(key, raw, &cli).unwrap();
        assert_eq!(
            coerce("auth.open_registration", "FALSE").unwrap(),
            Value::Boolean(false)
        );
        assert_eq!(
            coerce("auth.open_registration", "1").unwrap(),
            Value::Boolean(true)
        );
        assert_eq!(
            coerce("server.max_body_bytes", " 42 ").unwrap(),
            Value::Integer(42)
        );
        assert_eq!(
            coerce("log.level", "debug").unwrap(),
            Value::String("debug".to_owned())
        );
        assert_eq!(
            coerce("auth.open_registration", "yes")
                .unwrap_err()
                .to_string(),
            "invalid value for `auth.open_registration` (from the command line): \
             expected a boolean (true, false, 1 or 0), found `yes`"
        );
        assert!(schema.coerce("server.nope", "1", &cli).is_none());
    }

    #[test]
    fn log_format_variants_are_spelled_as_serde_spells_them() {
        assert_eq!(enum_variants("log.format").unwrap(), ["text", "json"]);
        assert_eq!(enum_variants("log.level"), None);
    }
}

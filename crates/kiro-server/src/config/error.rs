//! The configuration error type and [`Origin`], where a value came from. Every
//! message is written to be read on a terminal by the operator who has to fix
//! the file, variable or flag it names.

use std::fmt;
use std::path::PathBuf;

/// Where a configuration value was set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The default embedded in the binary.
    Default,
    /// A config file.
    File(PathBuf),
    /// An environment variable, by name.
    Env(String),
    /// A command-line flag.
    CommandLine,
}

impl fmt::Display for Origin {
    /// The phrase that follows a key in a message: `in kiro.toml`,
    /// `(from KIRO_SERVER__LISTEN)`, `(from the command line)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Default => f.write_str("(built-in default)"),
            Self::File(path) => write!(f, "in {}", path.display()),
            Self::Env(var) => write!(f, "(from {var})"),
            Self::CommandLine => f.write_str("(from the command line)"),
        }
    }
}

/// Why the configuration could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The config file could not be read.
    #[error("cannot read config file {}: {reason}", path.display())]
    Read { path: PathBuf, reason: String },

    /// The config file is not TOML.
    #[error("{} is not valid TOML: {message}", path.display())]
    Syntax { path: PathBuf, message: String },

    /// A key in the file or on the command line that the configuration lacks.
    #[error("unknown key `{key}` {}{}", place(origin), did_you_mean(suggestion.as_deref(), "`"))]
    UnknownKey {
        key: String,
        origin: Origin,
        suggestion: Option<String>,
    },

    /// A `KIRO_<SECTION>__<KEY>` variable naming no key; `suggestion` is the
    /// name of the nearest valid variable.
    #[error("unknown environment variable {var}{}", did_you_mean(suggestion.as_deref(), ""))]
    UnknownEnvVar {
        var: String,
        key: String,
        suggestion: Option<String>,
    },

    /// A value of the wrong type or outside its allowed range.
    #[error("invalid value for `{key}` {origin}: {message}")]
    InvalidValue {
        key: String,
        origin: Origin,
        message: String,
    },

    /// The embedded defaults could not be described; a bug, not a user error.
    #[error("internal error in the configuration loader: {0}")]
    Internal(String),
}

impl ConfigError {
    /// The dotted key (`server.listen`) the error is about, if any.
    pub fn key(&self) -> Option<&str> {
        match self {
            Self::UnknownKey { key, .. }
            | Self::UnknownEnvVar { key, .. }
            | Self::InvalidValue { key, .. } => Some(key),
            Self::Read { .. } | Self::Syntax { .. } | Self::Internal(_) => None,
        }
    }
}

/// Where an unknown key was found: `in kiro.toml`, `on the command line`.
fn place(origin: &Origin) -> String {
    match origin {
        Origin::CommandLine => "on the command line".to_owned(),
        other => other.to_string(),
    }
}

/// `; did you mean `x`?` or nothing.
fn did_you_mean(suggestion: Option<&str>, quote: &str) -> String {
    suggestion.map_or_else(String::new, |s| {
        format!("; did you mean {quote}{s}{quote}?")
    })
}

/// An I/O error as a terminal reads it: the OS text without ` (os error N)`.
pub(crate) fn io_reason(err: &std::io::Error) -> String {
    let text = err.to_string();
    match text.rfind(" (os error ") {
        Some(at) if text.ends_with(')') => text[..at].to_owned(),
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_read_differently_by_origin() {
        let err = ConfigError::UnknownKey {
            key: "server.listn".to_owned(),
            origin: Origin::CommandLine,
            suggestion: None,
        };
        assert_eq!(
            err.to_string(),
            "unknown key `server.listn` on the command line"
        );
        assert_eq!(err.key(), Some("server.listn"));
    }

    #[test]
    fn io_reasons_drop_the_os_error_number() {
        let err = std::io::Error::from_raw_os_error(2);
        assert_eq!(io_reason(&err), "No such file or directory");
        let custom = std::io::Error::other("disk on fire");
        assert_eq!(io_reason(&custom), "disk on fire");
    }

    #[test]
    fn file_errors_have_no_key() {
        let err = ConfigError::Read {
            path: "/x".into(),
            reason: "gone".to_owned(),
        };
        assert_eq!(err.key(), None);
        assert_eq!(err.to_string(), "cannot read config file /x: gone");
    }
}

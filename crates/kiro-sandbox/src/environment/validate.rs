//! The rules an environment must satisfy before anything runs in it: a well-formed name,
//! runtime paths that exist and expose nothing sensitive, command templates that can run,
//! limits that fit the engine's ceiling, and a sane network allowlist.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

use super::{Environment, Network, builtin};
use crate::error::Problem;
use crate::limits::Limits;

/// Longest environment name.
pub const MAX_NAME_LEN: usize = 64;

/// Host paths never bound into a sandbox, nor any path that contains one of them.
const FORBIDDEN: &[&str] = &[
    "/proc",
    "/sys",
    "/dev",
    "/run",
    "/boot",
    "/etc",
    "/tmp",
    "/var",
    "/work",
    "/home",
    "/root/.ssh",
    "/root/.gnupg",
    "/root/.config",
    "/root/.local/share",
];

/// Checks `env`; `forbidden` adds host paths the embedding server must keep out (its data
/// directory, the engine's state directory).
pub fn validate(env: &Environment, forbidden: &[PathBuf]) -> Result<(), Vec<Problem>> {
    let mut problems = Vec::new();
    let mut problem = |field: String, message: String| problems.push(Problem::new(field, message));
    if !valid_name(&env.name) {
        problem(
            "name".into(),
            format!(
                "`{}` is not a valid name: use 1 to {MAX_NAME_LEN} of a-z, 0-9, `.`, `_`, `-`, starting with a letter or digit",
                env.name
            ),
        );
    }
    for (field, value) in [("language", &env.language), ("version", &env.version)] {
        if value.trim().is_empty() || value.len() > 64 {
            problem(field.into(), "give 1 to 64 characters".into());
        }
    }
    let mut forbidden_paths: Vec<PathBuf> = FORBIDDEN.iter().map(PathBuf::from).collect();
    forbidden_paths.extend(forbidden.iter().cloned());
    for (i, path) in env.runtime_paths.iter().enumerate() {
        if let Err(message) = check_runtime_path(path, &forbidden_paths) {
            problem(format!("runtimePaths[{i}]"), message);
        }
    }
    if !valid_file_name(&env.source_file) {
        problem(
            "sourceFile".into(),
            "use a plain file name of A-Z, a-z, 0-9, `.`, `_`, `-` (no slash), e.g. `main.py`"
                .into(),
        );
    }
    check_command("run", &env.run, env, &mut problem);
    if let Some(compile) = &env.compile {
        check_command("compile", compile, env, &mut problem);
    }
    if env.env.len() > 64 {
        problem("env".into(), "at most 64 variables".into());
    }
    for (key, value) in &env.env {
        if !valid_env_key(key) || value.contains('\0') {
            problem(
                format!("env.{key}"),
                "names are A-Z, a-z, 0-9 and `_`, not starting with a digit; values have no NUL"
                    .into(),
            );
        }
    }
    let mut limit_problems = Vec::new();
    env.default_limits
        .check_within(&env.max_limits, "defaultLimits", &mut limit_problems);
    env.default_limits
        .check_floor("defaultLimits", &mut limit_problems);
    env.max_limits
        .check_within(&Limits::CEILING, "maxLimits", &mut limit_problems);
    env.compile_limits
        .check_within(&Limits::CEILING, "compileLimits", &mut limit_problems);
    env.compile_limits
        .check_floor("compileLimits", &mut limit_problems);
    if let Network::Allowlist { tcp_ports } = &env.network {
        let unique: BTreeSet<_> = tcp_ports.iter().collect();
        if tcp_ports.is_empty()
            || tcp_ports.len() > 64
            || tcp_ports.contains(&0)
            || unique.len() != tcp_ports.len()
        {
            problem(
                "network.tcpPorts".into(),
                "list 1 to 64 distinct ports from 1 to 65535, or use `{\"mode\": \"none\"}`".into(),
            );
        }
    }
    problems.extend(limit_problems);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    name.len() <= MAX_NAME_LEN
        && chars
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c))
}

/// A plain file name for `/work`: no separators, not `.` or `..`.
pub fn valid_file_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 128
        && name != "."
        && name != ".."
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
}

fn valid_env_key(key: &str) -> bool {
    let mut chars = key.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && key.len() <= 128
}

/// The first `{…}` of `arg` that is neither `{source}` nor `{work}`.
fn unknown_placeholder(arg: &str) -> Option<&str> {
    let mut rest = arg;
    while let Some(start) = rest.find('{') {
        let tail = &rest[start..];
        let end = tail.find('}').map_or(tail.len(), |e| e + 1);
        let candidate = &tail[..end];
        if candidate != "{source}" && candidate != "{work}" {
            return Some(candidate);
        }
        rest = &tail[end..];
    }
    None
}

fn check_runtime_path(path: &Path, forbidden: &[PathBuf]) -> Result<(), String> {
    if !path.is_absolute()
        || path
            .components()
            .any(|c| matches!(c, Component::ParentDir | Component::CurDir))
    {
        return Err(format!(
            "`{}` must be an absolute path without `.` or `..`",
            path.display()
        ));
    }
    if path == Path::new("/") || path == Path::new("/root") {
        return Err(format!(
            "`{}` would expose the whole host: name the runtime's own directory",
            path.display()
        ));
    }
    if let Some(bad) = forbidden
        .iter()
        .find(|f| path.starts_with(f) || f.starts_with(path))
    {
        return Err(format!(
            "`{}` overlaps `{}`, which is never bound into a sandbox",
            path.display(),
            bad.display()
        ));
    }
    if !path.exists() {
        return Err(format!("`{}` does not exist on this host", path.display()));
    }
    Ok(())
}

fn check_command(
    field: &str,
    argv: &[String],
    env: &Environment,
    problem: &mut impl FnMut(String, String),
) {
    let Some(program) = argv.first() else {
        problem(
            field.into(),
            "give the program and its arguments, e.g. [\"python3\", \"{source}\"]".into(),
        );
        return;
    };
    if argv.len() > 256 || argv.iter().any(|a| a.contains('\0') || a.len() > 4096) {
        problem(
            field.into(),
            "at most 256 arguments of at most 4096 bytes, without NUL".into(),
        );
        return;
    }
    for (i, arg) in argv.iter().enumerate() {
        if let Some(bad) = unknown_placeholder(arg) {
            problem(
                format!("{field}[{i}]"),
                format!("`{bad}` is not a placeholder: use `{{source}}` or `{{work}}`"),
            );
        }
    }
    let path = Path::new(program);
    if path.is_absolute() {
        let visible = builtin::SYSTEM_PATHS
            .iter()
            .map(Path::new)
            .chain(env.runtime_paths.iter().map(PathBuf::as_path))
            .any(|root| path.starts_with(root));
        if !visible {
            problem(
                format!("{field}[0]"),
                format!(
                    "`{program}` is outside the system directories and the runtime paths, so the sandbox cannot see it"
                ),
            );
        } else if !path.is_file() {
            problem(
                format!("{field}[0]"),
                format!("`{program}` does not exist on this host"),
            );
        }
    } else if program.is_empty() {
        problem(format!("{field}[0]"), "the program is empty".into());
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::collections::BTreeMap;

    use super::*;

    fn bash() -> Environment {
        Environment {
            name: "bash".into(),
            language: "Bash".into(),
            version: "5".into(),
            runtime_paths: vec![],
            source_file: "main.sh".into(),
            compile: None,
            run: vec!["/usr/bin/bash".into(), "{source}".into()],
            env: BTreeMap::from([("PATH".into(), "/usr/bin".into())]),
            default_limits: Limits::DEFAULT,
            max_limits: Limits::DEFAULT_MAXIMUM,
            compile_limits: Limits::DEFAULT,
            network: Network::None,
        }
    }

    fn fields(env: &Environment) -> Vec<String> {
        validate(env, &["/srv/kiro-data".into()])
            .unwrap_err()
            .into_iter()
            .map(|p| p.field)
            .collect()
    }

    #[test]
    fn a_well_formed_environment_passes() {
        validate(&bash(), &[]).unwrap();
    }

    #[test]
    fn sensitive_and_relative_runtime_paths_are_refused() {
        let mut env = bash();
        env.runtime_paths = vec![
            "/etc".into(),
            "relative".into(),
            "/".into(),
            "/srv".into(),
            "/usr/../etc".into(),
        ];
        assert_eq!(
            fields(&env),
            [
                "runtimePaths[0]",
                "runtimePaths[1]",
                "runtimePaths[2]",
                "runtimePaths[3]",
                "runtimePaths[4]"
            ]
        );
    }

    #[test]
    fn names_commands_env_and_ports_are_checked() {
        let mut env = bash();
        env.name = "Bad Name".into();
        env.source_file = "../x".into();
        env.run = vec!["/opt/nowhere/bin/x".into()];
        env.compile = Some(vec![
            "cc".into(),
            "{sourc}".into(),
            "{work}/{source}".into(),
        ]);
        env.env.insert("1BAD".into(), "v".into());
        env.network = Network::Allowlist {
            tcp_ports: vec![80, 80],
        };
        assert_eq!(
            fields(&env),
            [
                "name",
                "sourceFile",
                "run[0]",
                "compile[1]",
                "env.1BAD",
                "network.tcpPorts"
            ]
        );
    }

    #[test]
    fn defaults_above_the_maximum_are_refused() {
        let mut env = bash();
        env.default_limits.memory_bytes = env.max_limits.memory_bytes + 1;
        env.max_limits.processes = Limits::CEILING.processes + 1;
        assert_eq!(
            fields(&env),
            ["defaultLimits.memoryBytes", "maxLimits.processes"]
        );
    }
}

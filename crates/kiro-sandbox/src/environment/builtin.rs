//! The built-in environments, found on the host at start: Python 3, Node.js, Bash, C (gcc)
//! and Rust (rustc). Each runtime is asked where it really lives (a pyenv shim or a rustup
//! proxy is not the interpreter), and only what is installed is offered.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::{Environment, Network};
use crate::limits::Limits;

const MIB: u64 = 1024 * 1024;

/// System directories every environment sees read-only (when present on the host).
pub const SYSTEM_PATHS: &[&str] = &[
    "/usr", "/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32",
];

/// Host files and directories of `/etc` every environment sees read-only (when present):
/// the dynamic linker's cache, the alternatives links (`cc` → gcc), time zone and CA roots.
pub const SYSTEM_ETC: &[&str] = &[
    "/etc/ld.so.cache",
    "/etc/alternatives",
    "/etc/localtime",
    "/etc/ssl/certs",
];

/// Every built-in whose runtime is installed.
pub fn discover() -> Vec<Environment> {
    [python3(), node(), bash(), c(), rust()]
        .into_iter()
        .flatten()
        .collect()
}

fn base_env() -> BTreeMap<String, String> {
    BTreeMap::from([
        ("PATH".into(), "/usr/local/bin:/usr/bin:/bin".into()),
        ("HOME".into(), "/work".into()),
        ("LANG".into(), "C.UTF-8".into()),
        ("TMPDIR".into(), "/tmp".into()),
    ])
}

fn environment(
    name: &str,
    language: &str,
    version: String,
    source_file: &str,
    run: Vec<String>,
) -> Environment {
    Environment {
        name: name.into(),
        language: language.into(),
        version,
        runtime_paths: Vec::new(),
        source_file: source_file.into(),
        compile: None,
        run,
        env: base_env(),
        default_limits: Limits::DEFAULT,
        max_limits: Limits::DEFAULT_MAXIMUM,
        compile_limits: Limits::DEFAULT,
        network: Network::None,
    }
}

/// Limits of a compiler run: more time and memory than a program gets by default.
fn compiler_limits(wall_ms: u64, memory_bytes: u64) -> Limits {
    Limits {
        wall_time_ms: wall_ms,
        cpu_time_ms: wall_ms,
        memory_bytes,
        processes: 64,
        output_bytes: MIB,
        work_bytes: 128 * MIB,
        tmp_bytes: 256 * MIB,
    }
}

/// Runs `program args` and returns its trimmed stdout when it succeeds.
fn ask(program: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// `name` on the server's `PATH`, or in the usual system places.
pub fn find_program(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/local/bin", "/usr/bin", "/bin"].map(PathBuf::from))
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// The directories a runtime outside the system directories needs bound.
fn outside_system(path: &Path) -> Option<PathBuf> {
    let inside = SYSTEM_PATHS.iter().any(|root| path.starts_with(root));
    (!inside).then(|| path.to_path_buf())
}

fn python3() -> Option<Environment> {
    let shim = find_program("python3")?;
    let script = "import sys; print(sys.executable); print(sys.base_prefix); print('%d.%d.%d' % sys.version_info[:3])";
    let answer = ask(&shim, &["-c", script])?;
    let mut lines = answer.lines();
    let executable = PathBuf::from(lines.next()?).canonicalize().ok()?;
    let prefix = PathBuf::from(lines.next()?);
    let version = lines.next()?.to_owned();
    let mut env = environment(
        "python3",
        "Python",
        version,
        "main.py",
        vec![executable.to_string_lossy().into_owned(), "{source}".into()],
    );
    env.runtime_paths.extend(outside_system(&prefix));
    env.env.insert("PYTHONDONTWRITEBYTECODE".into(), "1".into());
    env.env.insert("PYTHONUNBUFFERED".into(), "1".into());
    Some(env)
}

fn node() -> Option<Environment> {
    let program = find_program("node")?.canonicalize().ok()?;
    let version = ask(&program, &["--version"])?
        .trim_start_matches('v')
        .to_owned();
    let mut env = environment(
        "node",
        "JavaScript (Node.js)",
        version,
        "main.js",
        vec![program.to_string_lossy().into_owned(), "{source}".into()],
    );
    if let Some(dir) = program.parent().and_then(Path::parent) {
        env.runtime_paths.extend(outside_system(dir));
    }
    // V8 runs a handful of threads; each counts as a process.
    env.default_limits.processes = 64;
    env.default_limits.memory_bytes = 512 * MIB;
    Some(env)
}

fn bash() -> Option<Environment> {
    let program = find_program("bash")?.canonicalize().ok()?;
    let answer = ask(
        &program,
        &[
            "-c",
            "echo ${BASH_VERSINFO[0]}.${BASH_VERSINFO[1]}.${BASH_VERSINFO[2]}",
        ],
    )?;
    Some(environment(
        "bash",
        "Bash",
        answer,
        "main.sh",
        vec![program.to_string_lossy().into_owned(), "{source}".into()],
    ))
}

fn c() -> Option<Environment> {
    let program = find_program("gcc")?.canonicalize().ok()?;
    let version = ask(&program, &["-dumpfullversion"])?;
    let mut env = environment("c", "C", version, "main.c", vec!["./main".into()]);
    let mut compile = vec![program.to_string_lossy().into_owned()];
    compile.extend(["-O2", "-std=gnu17", "-o", "main", "{source}", "-lm"].map(String::from));
    env.compile = Some(compile);
    env.compile_limits = compiler_limits(30_000, 1024 * MIB);
    Some(env)
}

fn rust() -> Option<Environment> {
    // `rustc` on PATH may be rustup's proxy: the sysroot holds the real compiler.
    let proxy = find_program("rustc")?;
    let sysroot = PathBuf::from(ask(&proxy, &["--print", "sysroot"])?)
        .canonicalize()
        .ok()?;
    let program = sysroot.join("bin/rustc");
    if !program.is_file() {
        return None;
    }
    let version = ask(&program, &["--version"])?
        .split_whitespace()
        .nth(1)
        .unwrap_or("unknown")
        .to_owned();
    let mut env = environment("rust", "Rust", version, "main.rs", vec!["./main".into()]);
    env.runtime_paths.extend(outside_system(&sysroot));
    env.compile = Some(vec![
        program.to_string_lossy().into_owned(),
        "-O".into(),
        "--edition=2021".into(),
        "-o".into(),
        "main".into(),
        "{source}".into(),
    ]);
    env.compile_limits = compiler_limits(60_000, 1536 * MIB);
    Some(env)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::environment::validate;

    #[test]
    fn every_discovered_builtin_is_valid() {
        let found = discover();
        for env in &found {
            validate(env, &[]).unwrap_or_else(|p| unreachable!("{}: {p:?}", env.name));
        }
        // Bash is part of every host this runs on.
        assert!(found.iter().any(|e| e.name == "bash"), "{found:?}");
    }

    #[test]
    fn a_runtime_below_the_system_directories_needs_no_bind() {
        assert_eq!(outside_system(Path::new("/usr/lib/python3")), None);
        assert_eq!(
            outside_system(Path::new("/opt/py")),
            Some(PathBuf::from("/opt/py"))
        );
    }
}

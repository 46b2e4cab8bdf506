//! `conceptpulse exec run FILE --env NAME`: reads the source, its standard input and extra
//! files and runs them on the Kiro server — as a job whose output streams in
//! ([`super::stream`]), or with `--sync` in one call that prints the program's output on
//! stdout and stderr once it finished — followed by the verdict and usage (or the whole
//! `RunResponse` with `--output json`). Exits 0 when the run was accepted and
//! `exit::REJECTED` otherwise.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use kiro_sdk::KiroClient;
use kiro_sdk::kiro_types::execution::{RunRequest, RunResponse, Verdict};

use super::args::RunArgs;
use crate::cli::OutputFormat;
use crate::cli::exit;
use crate::cli::output::Output;
use crate::verdicts;

/// The request `args` describe, or a message saying which file could not be read.
pub fn request(args: &RunArgs) -> Result<RunRequest, String> {
    let code = if args.file.as_os_str() == "-" {
        let mut code = String::new();
        std::io::stdin()
            .read_to_string(&mut code)
            .map_err(|e| format!("cannot read the source from standard input: {e}"))?;
        code
    } else {
        read_text(&args.file)?
    };
    let stdin = args.stdin.as_deref().map(read_text).transpose()?;
    let mut files = BTreeMap::new();
    for path in &args.files {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .ok_or_else(|| format!("{}: not a file name", path.display()))?;
        files.insert(name.to_owned(), read_text(path)?);
    }
    Ok(RunRequest {
        environment: args.env.clone(),
        code,
        stdin,
        args: args.args.clone(),
        files,
        time_limit_ms: args.time_limit,
        memory_limit_mb: args.memory_limit,
        ..RunRequest::default()
    })
}

fn read_text(path: &Path) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    String::from_utf8(bytes).map_err(|_| format!("{} is not UTF-8 text", path.display()))
}

/// `conceptpulse exec run --sync`.
pub async fn run_sync(client: &KiroClient, out: Output, request: RunRequest) -> u8 {
    let response = match client.execution().run(&request).await {
        Ok(response) => response,
        Err(e) => return out.fail(&e),
    };
    match out.format {
        OutputFormat::Json => out.emit(&response, |_| String::new()),
        OutputFormat::Human => {
            print!("{}", response.stdout);
            eprint!("{}", response.stderr);
            eprintln!("{}", summary(&response));
        }
    }
    exit_code(response.verdict())
}

/// 0 for an accepted run, `exit::REJECTED` for any other verdict.
pub fn exit_code(verdict: &Verdict) -> u8 {
    match verdict {
        Verdict::Accepted => exit::OK,
        _ => exit::REJECTED,
    }
}

/// The closing line for people: verdict, usage and isolation.
pub fn summary(response: &RunResponse) -> String {
    let mut line = format!(
        "── {} · {} · {} isolation",
        verdicts::describe(response.verdict()),
        verdicts::usage(&response.usage),
        verdicts::isolation(response.isolation())
    );
    if let Some(compile) = &response.compile
        && !matches!(compile.verdict, Verdict::Accepted)
    {
        line.push_str(&format!("\n{}", compile.stderr.trim_end()));
    }
    line
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn args(file: PathBuf) -> RunArgs {
        RunArgs {
            file,
            env: "python".into(),
            stdin: None,
            time_limit: Some(500),
            memory_limit: None,
            files: Vec::new(),
            sync: false,
            args: vec!["a b".into()],
        }
    }

    #[test]
    fn the_request_carries_the_files_limits_and_arguments() -> Result<(), Box<dyn std::error::Error>>
    {
        let dir = tempfile::tempdir()?;
        let source = dir.path().join("main.py");
        std::fs::write(&source, "print(input())")?;
        let input = dir.path().join("in.txt");
        std::fs::write(&input, "hello\n")?;
        let data = dir.path().join("data.csv");
        std::fs::write(&data, "1,2\n")?;
        let mut args = args(source);
        args.stdin = Some(input);
        args.files = vec![data];
        let request = request(&args)?;
        assert_eq!(request.code, "print(input())");
        assert_eq!(request.stdin.as_deref(), Some("hello\n"));
        assert_eq!(request.files["data.csv"], "1,2\n");
        assert_eq!(request.time_limit_ms, Some(500));
        assert_eq!(request.args, ["a b"]);
        Ok(())
    }

    #[test]
    fn unreadable_or_binary_files_are_named() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let missing = request(&args(dir.path().join("nope.py")))
            .err()
            .unwrap_or_default();
        assert!(missing.contains("nope.py"), "{missing}");
        let binary = dir.path().join("bin.py");
        std::fs::write(&binary, [0xff, 0xfe, 0x00])?;
        let refused = request(&args(binary)).err().unwrap_or_default();
        assert!(refused.contains("not UTF-8"), "{refused}");
        Ok(())
    }
}

//! The external engine: poppler's `pdftotext`, fed the PDF on stdin, its UTF-8 text read from
//! stdout with pages split at form feeds. Killed when it outlives the timeout.

use std::env;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use super::ExtractError;

/// How often a running `pdftotext` is polled for its exit.
const POLL: Duration = Duration::from_millis(5);

/// The `pdftotext` binary to use: `configured` if it is a file, else the first on `PATH`.
pub fn locate(configured: Option<&Path>) -> Option<PathBuf> {
    if let Some(path) = configured {
        return path.is_file().then(|| path.to_path_buf());
    }
    let path = env::var_os("PATH")?;
    env::split_paths(&path)
        .map(|dir| dir.join("pdftotext"))
        .find(|candidate| candidate.is_file())
}

/// Reads the PDF's pages (at most `last_page` of them) with `pdftotext`. With a password it
/// tries it as the user password, then as the owner password.
pub fn read(
    binary: &Path,
    bytes: Arc<[u8]>,
    password: Option<&str>,
    last_page: u32,
    timeout: Duration,
) -> Result<Vec<String>, ExtractError> {
    let deadline = Instant::now() + timeout;
    let attempts: Vec<Vec<String>> = match password {
        None => vec![Vec::new()],
        Some(pw) => vec![
            vec!["-upw".to_owned(), pw.to_owned()],
            vec!["-opw".to_owned(), pw.to_owned()],
        ],
    };
    let mut bad_password = false;
    for extra in attempts {
        let run = run_once(
            binary,
            Arc::clone(&bytes),
            &extra,
            last_page,
            deadline,
            timeout,
        )?;
        if run.status.success() {
            return Ok(split_pages(&run.stdout));
        }
        if run.stderr.contains("Incorrect password") {
            bad_password = true;
            continue;
        }
        let reason = run.stderr.lines().last().unwrap_or("no message").to_owned();
        return Err(ExtractError::Malformed(format!(
            "pdftotext failed ({}): {reason}",
            run.status
        )));
    }
    match (bad_password, password) {
        (true, Some(_)) => Err(ExtractError::WrongPassword),
        _ => Err(ExtractError::PasswordRequired),
    }
}

struct Run {
    status: ExitStatus,
    stdout: String,
    stderr: String,
}

fn run_once(
    binary: &Path,
    bytes: Arc<[u8]>,
    extra: &[String],
    last_page: u32,
    deadline: Instant,
    timeout: Duration,
) -> Result<Run, ExtractError> {
    let mut child = Command::new(binary)
        .args(["-enc", "UTF-8", "-l", &last_page.to_string()])
        .args(extra)
        .args(["-", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| ExtractError::Malformed(format!("could not run pdftotext: {e}")))?;
    let stdin = child.stdin.take();
    let writer = thread::spawn(move || {
        if let Some(mut stdin) = stdin {
            // pdftotext may stop reading early (a damaged file): a broken pipe is expected.
            let _ = stdin.write_all(&bytes);
        }
    });
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let status = wait_until(&mut child, deadline);
    let _ = writer.join();
    let stdout = stdout.join().unwrap_or_default();
    let stderr = stderr.join().unwrap_or_default();
    match status {
        Some(status) => Ok(Run {
            status,
            stdout: String::from_utf8_lossy(&stdout).into_owned(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
        }),
        None => Err(ExtractError::Timeout(timeout)),
    }
}

fn drain<R: Read + Send + 'static>(source: Option<R>) -> JoinHandle<Vec<u8>> {
    thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(mut source) = source {
            let _ = source.read_to_end(&mut buf);
        }
        buf
    })
}

/// Waits for the child until the deadline; kills and reaps it after. `None` on timeout.
fn wait_until(child: &mut Child, deadline: Instant) -> Option<ExitStatus> {
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Some(status),
            Ok(None) if Instant::now() < deadline => thread::sleep(POLL),
            Ok(None) | Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    }
}

/// Splits pdftotext's output at form feeds; the one after the last page ends the text.
fn split_pages(text: &str) -> Vec<String> {
    let mut pages: Vec<String> = text.split('\u{000C}').map(str::to_owned).collect();
    if pages.len() > 1 && pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn pages_split_at_form_feeds() {
        assert_eq!(split_pages("a\n\u{c}b\n\u{c}"), vec!["a\n", "b\n"]);
        assert_eq!(split_pages("a"), vec!["a"]);
    }

    #[test]
    fn a_missing_configured_binary_is_not_located() {
        assert_eq!(locate(Some(Path::new("/nonexistent/pdftotext"))), None);
    }
}

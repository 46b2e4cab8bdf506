//! The open-file limit, checked before a benchmark opens many sockets.
//!
//! Read from `/proc/self/limits` (Linux only, like the RSS figures), so no
//! system-call crate is needed. The limit is never raised here: a clear error
//! tells the user to run `ulimit -n 8192` first. Server child processes
//! inherit this process's limit, so one check covers both ends.

use anyhow::{Context, bail};

/// The soft limit on open files of this process (`u64::MAX` when unlimited).
pub fn open_files() -> anyhow::Result<u64> {
    let path = "/proc/self/limits";
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {path}"))?;
    parse_soft_open_files(&text).with_context(|| format!("no `Max open files` line in {path}"))
}

/// Fails with advice when the soft open-file limit is below `needed`.
pub fn require_open_files(needed: u64, why: &str) -> anyhow::Result<()> {
    let soft = open_files()?;
    if soft < needed {
        bail!(
            "the open-file limit (ulimit -n) is {soft}, but {why} need about {needed}: \
             raise it in this shell, e.g. `ulimit -n 8192`, and run again"
        );
    }
    Ok(())
}

/// The soft value of the `Max open files` line of `/proc/<pid>/limits`.
fn parse_soft_open_files(limits: &str) -> Option<u64> {
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    let soft = line.split_whitespace().nth(3)?;
    if soft == "unlimited" {
        return Some(u64::MAX);
    }
    soft.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_soft_limit_is_the_first_figure() {
        let limits = "Limit                     Soft Limit           Hard Limit           Units     \n\
                      Max processes             63704                63704                processes \n\
                      Max open files            1024                 524288               files     \n";
        assert_eq!(parse_soft_open_files(limits), Some(1024));
        let unlimited =
            "Max open files            unlimited            unlimited            files\n";
        assert_eq!(parse_soft_open_files(unlimited), Some(u64::MAX));
        assert_eq!(parse_soft_open_files("Max processes 1 1 processes\n"), None);
    }

    #[test]
    fn this_process_has_a_limit() {
        assert!(open_files().is_ok_and(|n| n > 0));
    }
}

//! What this host supports, probed once at start: root, namespaces, cgroups, landlock,
//! seccomp, bubblewrap and runc. The server reports it at `GET /v1/execution/capabilities`
//! and picks the isolation from it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde::{Deserialize, Serialize};

use crate::cgroup::{self, CgroupRoot, Version};
use crate::isolation::Isolation;

/// One isolation level and whether this host can provide it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IsolationSupport {
    pub isolation: Isolation,
    pub available: bool,
    /// Why not, when it is not.
    pub reason: Option<String>,
}

/// Cgroup support.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CgroupSupport {
    pub version: Option<Version>,
    /// Where job cgroups are created.
    pub parents: Vec<PathBuf>,
    pub reason: Option<String>,
}

/// An external tool the engine can use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tool {
    pub path: PathBuf,
    pub version: String,
}

/// The host's sandboxing capabilities.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Capabilities {
    pub kernel: String,
    pub root: bool,
    /// Namespace kinds this kernel offers (`mnt`, `pid`, `net`, `ipc`, `uts`, `cgroup`, `user`).
    pub namespaces: Vec<String>,
    pub user_namespaces: bool,
    pub cgroups: CgroupSupport,
    /// The landlock ABI version, when landlock is enabled.
    pub landlock_abi: Option<i32>,
    pub seccomp: bool,
    pub bubblewrap: Option<Tool>,
    pub runc: Option<Tool>,
    pub isolations: Vec<IsolationSupport>,
    /// The isolation runs get (set by the sandbox from its configuration).
    pub selected: Option<Isolation>,
}

impl Capabilities {
    pub fn supports(&self, isolation: Isolation) -> Result<(), String> {
        match self.isolations.iter().find(|s| s.isolation == isolation) {
            Some(s) if s.available => Ok(()),
            Some(s) => Err(s.reason.clone().unwrap_or_else(|| "unavailable".into())),
            None => Err("unknown isolation".into()),
        }
    }
}

/// Probes the host. `cgroups` is the result of cgroup discovery (done once by the sandbox);
/// `bwrap` and `runc` are the configured tool paths.
pub fn probe(cgroups: &Result<CgroupRoot, String>, bwrap: &Path, runc: &Path) -> Capabilities {
    let root = nix::unistd::Uid::effective().is_root();
    let namespaces: Vec<String> = ["mnt", "pid", "net", "ipc", "uts", "cgroup", "user"]
        .into_iter()
        .filter(|ns| Path::new("/proc/self/ns").join(ns).exists())
        .map(String::from)
        .collect();
    let user_namespaces = namespaces.iter().any(|n| n == "user")
        && fs::read_to_string("/proc/sys/user/max_user_namespaces")
            .ok()
            .and_then(|s| s.trim().parse::<u64>().ok())
            .is_some_and(|n| n > 0);
    let cgroup_support = match cgroups {
        Ok(found) => CgroupSupport {
            version: Some(found.version()),
            parents: found.parents(),
            reason: None,
        },
        Err(reason) => CgroupSupport {
            version: None,
            parents: Vec::new(),
            reason: Some(reason.clone()),
        },
    };
    let landlock_abi = landlock_abi();
    let seccomp = fs::read_to_string("/proc/self/status").is_ok_and(|s| s.contains("Seccomp:"));
    let bubblewrap = tool(bwrap, "--version");
    let runc = tool(runc, "--version");
    let all_ns = ["mnt", "pid", "net", "ipc", "uts", "cgroup"]
        .iter()
        .all(|ns| namespaces.iter().any(|n| n == ns));
    let native = if !root {
        Err("the server is not root".to_owned())
    } else if !all_ns {
        Err("the kernel lacks a namespace kind (mnt, pid, net, ipc, uts, cgroup)".to_owned())
    } else if let Err(reason) = cgroups {
        Err(format!("no usable cgroups: {reason}"))
    } else if landlock_abi.is_none() || !seccomp {
        Err("landlock or seccomp is not enabled in this kernel".to_owned())
    } else {
        Ok(())
    };
    let bwrap_ok = match (&bubblewrap, user_namespaces || root) {
        (None, _) => Err(format!("{} is not installed", bwrap.display())),
        (Some(_), false) => Err("user namespaces are disabled".to_owned()),
        (Some(_), true) => Ok(()),
    };
    let support = |isolation, result: Result<(), String>| IsolationSupport {
        isolation,
        available: result.is_ok(),
        reason: result.err(),
    };
    Capabilities {
        kernel: nix::sys::utsname::uname()
            .map(|u| u.release().to_string_lossy().into_owned())
            .unwrap_or_default(),
        root,
        namespaces,
        user_namespaces,
        cgroups: cgroup_support,
        landlock_abi,
        seccomp,
        bubblewrap,
        runc,
        isolations: vec![
            support(Isolation::Native, native),
            support(Isolation::Bubblewrap, bwrap_ok),
            support(Isolation::None, Ok(())),
        ],
        selected: None,
    }
}

/// Discovers cgroups for the probe (what a sandbox does at start).
pub fn probe_host(bwrap: &Path, runc: &Path) -> Capabilities {
    probe(&cgroup::discover("kiro-sandbox"), bwrap, runc)
}

fn landlock_abi() -> Option<i32> {
    crate::sys::landlock_abi()
}

fn tool(path: &Path, flag: &str) -> Option<Tool> {
    let output = Command::new(path)
        .arg(flag)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    output.status.success().then(|| Tool {
        path: path.to_path_buf(),
        version: String::from_utf8_lossy(&output.stdout)
            .lines()
            .next()
            .unwrap_or("")
            .trim()
            .to_owned(),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn the_probe_reports_none_as_always_available_and_serialises() {
        let caps = probe(
            &Err("no cgroups here".into()),
            Path::new("/nonexistent/bwrap"),
            Path::new("/nonexistent/runc"),
        );
        assert!(caps.supports(Isolation::None).is_ok());
        assert!(caps.supports(Isolation::Native).is_err());
        assert!(
            caps.supports(Isolation::Bubblewrap)
                .unwrap_err()
                .contains("not installed")
        );
        let json = serde_json::to_value(&caps).unwrap();
        assert_eq!(json["cgroups"]["reason"], "no cgroups here");
        assert_eq!(json["isolations"][2]["isolation"], "none");
    }
}

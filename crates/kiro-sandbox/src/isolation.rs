//! Isolation levels a run can have; every result says which one it ran under.

use serde::{Deserialize, Serialize};

/// How a run was isolated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Isolation {
    /// This crate's own sandbox: namespaces, pivot_root, per-slot uid, landlock, seccomp,
    /// per-job cgroups. Needs root.
    Native,
    /// bubblewrap (user namespaces) with this crate's init inside it; for hosts where the
    /// server is not root. Cgroup limits only when the server may create cgroups.
    Bubblewrap,
    /// No isolation at all: rlimits, a cleared environment and (as root) a per-slot uid.
    /// Only when configured explicitly.
    None,
    /// A runc (OCI) container: only for containers of the runc backend.
    Runc,
}

impl Isolation {
    pub fn as_str(self) -> &'static str {
        match self {
            Isolation::Native => "native",
            Isolation::Bubblewrap => "bubblewrap",
            Isolation::None => "none",
            Isolation::Runc => "runc",
        }
    }
}

//! Finding where job cgroups can go: the hierarchies mounted on this host (from
//! `/proc/self/mountinfo`), this process's own cgroup in each (from `/proc/self/cgroup`), and a
//! parent directory below it that the engine may write.

use std::fs;
use std::path::{Path, PathBuf};

use super::CgroupRoot;

/// The engine's parent cgroups, named `name`, below this process's cgroups; created when
/// missing. The error says why cgroups cannot be used (the report shows it).
pub fn discover(name: &str) -> Result<CgroupRoot, String> {
    let own =
        fs::read_to_string("/proc/self/cgroup").map_err(|e| format!("/proc/self/cgroup: {e}"))?;
    let mounts = fs::read_to_string("/proc/self/mountinfo")
        .map_err(|e| format!("/proc/self/mountinfo: {e}"))?;
    let root = locate(&own, &mounts, name)?;
    match &root {
        CgroupRoot::V1 { .. } => {
            for dir in root.parents() {
                make_dir(&dir)?;
            }
        }
        CgroupRoot::V2 { parent } => {
            make_dir(parent)?;
            let enable = parent.join("cgroup.subtree_control");
            fs::write(&enable, "+memory +pids +cpu").map_err(|e| {
                format!(
                    "cannot enable memory, pids and cpu below {}: {e} (the server's cgroup must \
                     be delegated to it)",
                    parent.display()
                )
            })?;
        }
    }
    Ok(root)
}

fn make_dir(dir: &Path) -> Result<(), String> {
    fs::create_dir_all(dir).map_err(|e| format!("cannot create cgroup {}: {e}", dir.display()))
}

/// The parent directories, from the two proc files' text. v1 wins when its memory controller
/// is mounted (a hybrid host has a controller-less v2 mount beside it).
pub fn locate(proc_cgroup: &str, mountinfo: &str, name: &str) -> Result<CgroupRoot, String> {
    let v1 = |controller: &str| -> Option<PathBuf> {
        let own = own_path(proc_cgroup, |list| list.split(',').any(|c| c == controller))?;
        let (root, point) = mount_of(mountinfo, |fstype, opts| {
            fstype == "cgroup" && opts.split(',').any(|o| o == controller)
        })?;
        Some(join(&point, &root, &own).join(name))
    };
    if let (Some(memory), Some(pids), Some(cpuacct)) = (v1("memory"), v1("pids"), v1("cpuacct")) {
        return Ok(CgroupRoot::V1 {
            memory,
            pids,
            cpuacct,
        });
    }
    if v1("memory").is_some() {
        return Err("cgroup v1 lacks the pids or cpuacct controller".into());
    }
    let own = own_path(proc_cgroup, str::is_empty)
        .ok_or("this process is in no cgroup v2 hierarchy and v1 has no memory controller")?;
    let (root, point) = mount_of(mountinfo, |fstype, _| fstype == "cgroup2")
        .ok_or("no cgroup v2 hierarchy is mounted")?;
    let own_dir = join(&point, &root, &own);
    let controllers = fs::read_to_string(own_dir.join("cgroup.controllers")).unwrap_or_default();
    for needed in ["memory", "pids", "cpu"] {
        if !controllers.split_whitespace().any(|c| c == needed) {
            return Err(format!(
                "the cgroup v2 controller `{needed}` is not available in {}",
                own_dir.display()
            ));
        }
    }
    Ok(CgroupRoot::V2 {
        parent: own_dir.join(name),
    })
}

/// This process's path in the hierarchy whose controller list satisfies `pick`.
fn own_path(proc_cgroup: &str, pick: impl Fn(&str) -> bool) -> Option<String> {
    proc_cgroup.lines().find_map(|line| {
        let mut parts = line.splitn(3, ':');
        let (_, list, path) = (parts.next()?, parts.next()?, parts.next()?);
        pick(list).then(|| path.to_owned())
    })
}

/// `(root, mount point)` of the first mount whose type and super options satisfy `pick`.
fn mount_of(mountinfo: &str, pick: impl Fn(&str, &str) -> bool) -> Option<(String, PathBuf)> {
    mountinfo.lines().find_map(|line| {
        let (left, right) = line.split_once(" - ")?;
        let fields: Vec<&str> = left.split(' ').collect();
        let mut tail = right.split(' ');
        let (fstype, _source, opts) = (tail.next()?, tail.next()?, tail.next().unwrap_or(""));
        (fields.len() >= 5 && pick(fstype, opts))
            .then(|| (fields[3].to_owned(), PathBuf::from(fields[4])))
    })
}

/// The directory of cgroup `own` in a hierarchy mounted at `point` showing `root`.
fn join(point: &Path, root: &str, own: &str) -> PathBuf {
    let relative = own
        .strip_prefix(root)
        .unwrap_or(own)
        .trim_start_matches('/');
    if relative.is_empty() {
        point.to_path_buf()
    } else {
        point.join(relative)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    const HYBRID_CGROUP: &str =
        "9:name=systemd:/\n8:pids:/\n4:memory:/process_api/e68\n2:cpuacct:/\n1:cpu:/\n0::/\n";
    const HYBRID_MOUNTS: &str = "\
30 25 0:26 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
31 30 0:27 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
32 30 0:28 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
33 30 0:29 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
34 30 0:30 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
35 30 0:31 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
";

    #[test]
    fn v1_parents_sit_below_the_own_cgroup_of_each_controller() {
        let root = locate(HYBRID_CGROUP, HYBRID_MOUNTS, "kiro").unwrap();
        assert_eq!(
            root,
            CgroupRoot::V1 {
                memory: "/sys/fs/cgroup/memory/process_api/e68/kiro".into(),
                pids: "/sys/fs/cgroup/pids/kiro".into(),
                cpuacct: "/sys/fs/cgroup/cpuacct/kiro".into(),
            }
        );
    }

    #[test]
    fn a_mount_root_inside_a_cgroup_namespace_is_stripped() {
        let mounts = "33 30 0:29 /outer /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n\
                      34 30 0:30 / /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids\n\
                      32 30 0:28 / /sys/fs/cgroup/cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n";
        let cgroup = "4:memory:/outer/job\n8:pids:/\n2:cpu,cpuacct:/x\n";
        let CgroupRoot::V1 {
            memory, cpuacct, ..
        } = locate(cgroup, mounts, "k").unwrap()
        else {
            unreachable!("v1 expected")
        };
        assert_eq!(memory, PathBuf::from("/sys/fs/cgroup/memory/job/k"));
        assert_eq!(cpuacct, PathBuf::from("/sys/fs/cgroup/cpuacct/x/k"));
    }

    #[test]
    fn a_host_without_controllers_says_why() {
        let error = locate(
            "0::/user.slice\n",
            "35 30 0:31 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n",
            "k",
        )
        .unwrap_err();
        assert!(error.contains("controller `memory`"), "{error}");
    }
}

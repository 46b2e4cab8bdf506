//! The sandbox's filesystem, built by the pid-1 init inside its own mount namespace: a small
//! tmpfs root holding read-only binds of the runtime's paths, a few device nodes, a fresh
//! `/proc`, a size-capped `/tmp`, the job's `/work` and a generated `/etc`; then `pivot_root`
//! into it, the old root detached, and the new root made read-only.

use std::fs;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Path, PathBuf};

use nix::errno::Errno;
use nix::mount::{MntFlags, MsFlags, mount, umount2};
use nix::unistd::{chdir, pivot_root};

use crate::spec::{Bind, RootSpec};

/// Device nodes bound from the host (writable: writing to /dev/null must work).
const DEVICES: [&str; 5] = ["null", "zero", "full", "random", "urandom"];

type Step<T = ()> = Result<T, String>;

fn at(what: &str, path: &Path) -> impl Fn(Errno) -> String {
    let label = format!("{what} {}", path.display());
    move |errno| format!("{label}: {errno}")
}

/// Builds the root described by `spec` and enters it.
pub fn build_root(spec: &RootSpec) -> Step {
    let none: Option<&str> = None;
    // Nothing mounted from here on may propagate back to the host.
    mount(none, "/", none, MsFlags::MS_REC | MsFlags::MS_PRIVATE, none)
        .map_err(at("making private", Path::new("/")))?;
    let root = &spec.mount_point;
    mount(
        Some("tmpfs"),
        root,
        Some("tmpfs"),
        MsFlags::MS_NOSUID | MsFlags::MS_NODEV,
        Some("size=4m,mode=755"),
    )
    .map_err(at("mounting the root tmpfs on", root))?;
    write_etc(root, spec.uid)?;
    for bind in &spec.binds {
        bind_into(root, bind)?;
    }
    devices(root)?;
    let proc_dir = make_dir(root, "proc")?;
    let proc_flags = MsFlags::MS_NOSUID | MsFlags::MS_NODEV | MsFlags::MS_NOEXEC;
    mount(
        Some("proc"),
        &proc_dir,
        Some("proc"),
        proc_flags,
        Some("hidepid=invisible"),
    )
    .or_else(|_| {
        mount(
            Some("proc"),
            &proc_dir,
            Some("proc"),
            proc_flags,
            Some("hidepid=2"),
        )
    })
    .map_err(at("mounting proc on", &proc_dir))?;
    let tmp = make_dir(root, "tmp")?;
    let tmp_options = format!("size={},mode=1777", spec.tmp_bytes.max(4096));
    mount(
        Some("tmpfs"),
        &tmp,
        Some("tmpfs"),
        MsFlags::MS_NOSUID | MsFlags::MS_NODEV,
        Some(tmp_options.as_str()),
    )
    .map_err(at("mounting /tmp on", &tmp))?;
    bind_into(
        root,
        &Bind {
            source: spec.work.clone(),
            target: "/work".into(),
            writable: true,
        },
    )?;
    enter(root)
}

/// `pivot_root` into `root`, detach the old root, make the new one read-only.
fn enter(root: &Path) -> Step {
    let none: Option<&str> = None;
    chdir(root).map_err(at("entering", root))?;
    // pivot_root(".", ".") stacks the old root on top of the new one; detaching "." then
    // removes it without needing a directory to put it in.
    pivot_root(".", ".").map_err(at("pivot_root into", root))?;
    umount2(".", MntFlags::MNT_DETACH).map_err(at("detaching the old root", Path::new("/")))?;
    chdir("/").map_err(at("entering", Path::new("/")))?;
    mount(
        none,
        "/",
        none,
        MsFlags::MS_REMOUNT
            | MsFlags::MS_BIND
            | MsFlags::MS_RDONLY
            | MsFlags::MS_NOSUID
            | MsFlags::MS_NODEV,
        none,
    )
    .map_err(at("making read-only", Path::new("/")))?;
    Ok(())
}

/// The path of `target` (absolute inside the sandbox) below `root`.
fn inside(root: &Path, target: &Path) -> PathBuf {
    root.join(target.strip_prefix("/").unwrap_or(target))
}

fn make_dir(root: &Path, name: &str) -> Step<PathBuf> {
    let dir = root.join(name);
    fs::create_dir_all(&dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    Ok(dir)
}

/// Binds `bind.source` at `bind.target`; a symlink is recreated as a symlink (so `/bin` →
/// `usr/bin` on merged-/usr hosts stays one).
fn bind_into(root: &Path, bind: &Bind) -> Step {
    let target = inside(root, &bind.target);
    if let Some(parent) = target.parent() {
        fs::create_dir_all(parent).map_err(|e| format!("creating {}: {e}", parent.display()))?;
    }
    let meta = fs::symlink_metadata(&bind.source)
        .map_err(|e| format!("binding {}: {e}", bind.source.display()))?;
    if meta.file_type().is_symlink() {
        let link = fs::read_link(&bind.source)
            .map_err(|e| format!("reading {}: {e}", bind.source.display()))?;
        return symlink(&link, &target).map_err(|e| format!("linking {}: {e}", target.display()));
    }
    if target.exists() {
        // Already covered (e.g. a runtime path below an earlier bind): nothing to add.
        if meta.is_dir()
            && target.is_dir()
            && fs::read_dir(&target).is_ok_and(|mut d| d.next().is_some())
        {
            return Ok(());
        }
    } else if meta.is_dir() {
        fs::create_dir(&target).map_err(|e| format!("creating {}: {e}", target.display()))?;
    } else {
        fs::write(&target, b"").map_err(|e| format!("creating {}: {e}", target.display()))?;
    }
    bind_mount(&bind.source, &target, bind.writable, false)
}

fn bind_mount(source: &Path, target: &Path, writable: bool, device: bool) -> Step {
    let none: Option<&str> = None;
    mount(
        Some(source),
        target,
        none,
        MsFlags::MS_BIND | MsFlags::MS_REC,
        none,
    )
    .map_err(at("binding onto", target))?;
    let mut flags = MsFlags::MS_REMOUNT | MsFlags::MS_BIND | MsFlags::MS_NOSUID;
    if !writable {
        flags |= MsFlags::MS_RDONLY;
    }
    if device {
        flags |= MsFlags::MS_NOEXEC;
    } else {
        flags |= MsFlags::MS_NODEV;
    }
    mount(none, target, none, flags, none).map_err(at("remounting", target))
}

fn devices(root: &Path) -> Step {
    let dev = make_dir(root, "dev")?;
    for name in DEVICES {
        let target = dev.join(name);
        fs::write(&target, b"").map_err(|e| format!("creating {}: {e}", target.display()))?;
        bind_mount(&Path::new("/dev").join(name), &target, true, true)?;
    }
    for (name, to) in [
        ("fd", "/proc/self/fd"),
        ("stdin", "/proc/self/fd/0"),
        ("stdout", "/proc/self/fd/1"),
        ("stderr", "/proc/self/fd/2"),
    ] {
        symlink(to, dev.join(name)).map_err(|e| format!("linking /dev/{name}: {e}"))?;
    }
    Ok(())
}

/// A minimal `/etc`: who `uid` is, the loopback host names; host files the environment needs
/// (the dynamic linker's cache, alternatives) arrive as binds afterwards.
fn write_etc(root: &Path, uid: u32) -> Step {
    let etc = make_dir(root, "etc")?;
    let files = [
        (
            "passwd",
            format!(
                "root:x:0:0:root:/:/usr/sbin/nologin\nsandbox:x:{uid}:{uid}:sandbox:/work:/bin/sh\n"
            ),
        ),
        ("group", format!("root:x:0:\nsandbox:x:{uid}:\n")),
        (
            "hosts",
            "127.0.0.1 localhost sandbox\n::1 localhost\n".to_owned(),
        ),
        ("hostname", "sandbox\n".to_owned()),
    ];
    for (name, text) in files {
        let path = etc.join(name);
        fs::write(&path, text).map_err(|e| format!("writing {}: {e}", path.display()))?;
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644))
            .map_err(|e| format!("chmod {}: {e}", path.display()))?;
    }
    Ok(())
}

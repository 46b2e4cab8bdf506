//! A job's directories on the host: the writable work directory a run sees as `/work`
//! (a size-capped tmpfs when the engine is root, so a disk fill stops at the cap and
//! vanishes with the job), beside the stdin and report files the sandbox never sees.

use std::fs;
use std::io;
use std::os::unix::fs::{PermissionsExt, chown};
use std::path::{Path, PathBuf};

use nix::mount::{MntFlags, MsFlags, mount, umount2};

use crate::environment::valid_file_name;
use crate::error::{Context, SandboxError};

/// A job directory; removed (and its tmpfs unmounted) on drop.
#[derive(Debug)]
pub struct JobDir {
    dir: PathBuf,
    work: PathBuf,
    mounted: bool,
}

impl JobDir {
    /// Creates `dir` with a `work` directory of at most `work_bytes` (a tmpfs when `tmpfs`),
    /// owned by `uid` when given.
    pub fn create(
        dir: PathBuf,
        work_bytes: u64,
        uid: Option<u32>,
        tmpfs: bool,
    ) -> Result<JobDir, SandboxError> {
        fs::create_dir(&dir).context(|| format!("creating {}", dir.display()))?;
        // Traversable (for bubblewrap run as the slot's uid) but not listable.
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o711))
            .context(|| format!("chmod {}", dir.display()))?;
        let work = dir.join("work");
        let mut job = JobDir {
            dir,
            work,
            mounted: false,
        };
        fs::create_dir(&job.work).context(|| format!("creating {}", job.work.display()))?;
        if tmpfs {
            let owner = uid.map(|u| format!(",uid={u},gid={u}")).unwrap_or_default();
            let options = format!(
                "size={},mode=0755,nr_inodes=16384{owner}",
                work_bytes.max(4096)
            );
            mount(
                Some("tmpfs"),
                &job.work,
                Some("tmpfs"),
                MsFlags::MS_NOSUID | MsFlags::MS_NODEV,
                Some(options.as_str()),
            )
            .context(|| format!("mounting the work tmpfs on {}", job.work.display()))?;
            job.mounted = true;
        } else if let Some(uid) = uid {
            chown(&job.work, Some(uid), Some(uid))
                .context(|| format!("chown {}", job.work.display()))?;
        }
        Ok(job)
    }

    /// The host path of the work directory.
    pub fn work(&self) -> &Path {
        &self.work
    }

    /// A host path beside the work directory (not visible to the sandbox).
    pub fn private(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Writes `bytes` to `/work/<name>`, owned by `uid` when given.
    pub fn write_file(
        &self,
        name: &str,
        bytes: &[u8],
        uid: Option<u32>,
    ) -> Result<(), SandboxError> {
        if !valid_file_name(name) {
            return Err(SandboxError::invalid(
                "files",
                format!("`{name}` is not a plain file name"),
            ));
        }
        let path = self.work.join(name);
        fs::write(&path, bytes).context(|| format!("writing {}", path.display()))?;
        if let Some(uid) = uid {
            chown(&path, Some(uid), Some(uid)).context(|| format!("chown {}", path.display()))?;
        }
        Ok(())
    }

    /// Removes every job directory left under `jobs` by an engine that did not stop cleanly.
    pub fn sweep(jobs: &Path) {
        let Ok(entries) = fs::read_dir(jobs) else {
            return;
        };
        for entry in entries.flatten() {
            let work = entry.path().join("work");
            let _ = umount2(&work, MntFlags::MNT_DETACH);
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

impl Drop for JobDir {
    fn drop(&mut self) {
        if self.mounted {
            let _ = umount2(&self.work, MntFlags::MNT_DETACH);
        }
        if let Err(error) = fs::remove_dir_all(&self.dir)
            && error.kind() != io::ErrorKind::NotFound
        {
            // Nothing else to do: the next start sweeps it.
        }
    }
}

//! The crate's only unsafe code: `fork` (nix marks it unsafe), `wait4` (nix has no wrapper),
//! descriptor flags on inherited descriptors known only by number, `pidfd_open` and the
//! landlock version query (system calls libc declares but nix does not wrap). Everything else goes
//! through nix's safe wrappers.
//!
//! Both are called only from the helper process, which is single-threaded, so the child of a
//! fork has no other thread's locks to inherit.
#![allow(unsafe_code)]

use std::mem::MaybeUninit;
use std::os::fd::{FromRawFd, OwnedFd, RawFd};

use nix::errno::Errno;
use nix::sys::wait::WaitStatus;
use nix::unistd::{ForkResult, Pid};

use crate::usage::Rusage;

/// Forks the (single-threaded) helper.
pub fn fork() -> nix::Result<ForkResult> {
    // SAFETY: only the helper calls this, and the helper never starts a thread, so the child
    // is a full copy of a single-threaded process: no lock can be held by a vanished thread,
    // and the child may call anything (allocate, open files) before it execs or exits.
    unsafe { nix::unistd::fork() }
}

/// Ends a forked child at once, without running exit handlers or flushing stdio buffers
/// copied from the parent.
pub fn exit_now(code: i32) -> ! {
    // SAFETY: _exit takes an integer and never returns; it touches no memory of ours.
    unsafe { libc::_exit(code) }
}

/// Waits for a child (`pid`, or any child with -1) and returns its status and rusage.
/// `nohang` returns `Ok(None)` when no child has changed state yet.
pub fn wait4(pid: Pid, nohang: bool) -> nix::Result<Option<(WaitStatus, Rusage)>> {
    let mut status: libc::c_int = 0;
    let mut usage = MaybeUninit::<libc::rusage>::zeroed();
    let options = if nohang { libc::WNOHANG } else { 0 };
    loop {
        // SAFETY: `status` and `usage` are valid, writable and live for the call; wait4 writes
        // at most one c_int and one rusage into them and keeps neither pointer.
        let reaped = unsafe { libc::wait4(pid.as_raw(), &mut status, options, usage.as_mut_ptr()) };
        if reaped == -1 {
            match Errno::last() {
                Errno::EINTR => continue,
                errno => return Err(errno),
            }
        }
        if reaped == 0 {
            return Ok(None);
        }
        // SAFETY: wait4 returned a pid, so it filled in the whole rusage (it was zeroed before
        // in any case, and every bit pattern is a valid rusage of plain integers).
        let usage = unsafe { usage.assume_init() };
        let status = WaitStatus::from_raw(Pid::from_raw(reaped), status)?;
        return Ok(Some((status, rusage(&usage))));
    }
}

/// Sets `FD_CLOEXEC` on a descriptor known only by number (an inherited one), so the next
/// exec closes it. Errors (a closed descriptor) are ignored: there is nothing to close then.
pub fn mark_cloexec(fd: RawFd) {
    // SAFETY: fcntl(F_GETFD/F_SETFD) reads and writes only the descriptor's flags; it touches
    // no memory of ours, and an invalid descriptor just fails with EBADF.
    unsafe {
        let flags = libc::fcntl(fd, libc::F_GETFD);
        if flags >= 0 {
            libc::fcntl(fd, libc::F_SETFD, flags | libc::FD_CLOEXEC);
        }
    }
}

/// Clears `FD_CLOEXEC` so a descriptor survives exec (the report file handed to bubblewrap).
pub fn clear_cloexec(fd: RawFd) -> nix::Result<()> {
    // SAFETY: as in `mark_cloexec`: only the descriptor's flags change.
    let flags = unsafe { libc::fcntl(fd, libc::F_GETFD) };
    if flags < 0 {
        return Err(Errno::last());
    }
    // SAFETY: as above.
    if unsafe { libc::fcntl(fd, libc::F_SETFD, flags & !libc::FD_CLOEXEC) } < 0 {
        return Err(Errno::last());
    }
    Ok(())
}

/// The kernel's landlock ABI version (`landlock_create_ruleset` with the version flag), or
/// `None` when landlock is absent or disabled.
pub fn landlock_abi() -> Option<i32> {
    const LANDLOCK_CREATE_RULESET_VERSION: libc::c_uint = 1;
    // SAFETY: with a null attribute pointer, size 0 and the version flag, the system call
    // reads no memory and only returns a number (or -1 with errno).
    let abi = unsafe {
        libc::syscall(
            libc::SYS_landlock_create_ruleset,
            std::ptr::null::<libc::c_void>(),
            0usize,
            LANDLOCK_CREATE_RULESET_VERSION,
        )
    };
    i32::try_from(abi).ok().filter(|&v| v > 0)
}

/// A pidfd for `pid` (Linux 5.3): it polls readable once the process has exited, so the
/// supervisor wakes exactly then instead of polling `waitpid`.
pub fn pidfd_open(pid: u32) -> nix::Result<OwnedFd> {
    let pid = libc::pid_t::try_from(pid).map_err(|_| Errno::EINVAL)?;
    // SAFETY: pidfd_open takes two integers and returns a new descriptor or -1; no memory of
    // ours is read or written.
    let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid, 0 as libc::c_uint) };
    if fd < 0 {
        return Err(Errno::last());
    }
    let fd = RawFd::try_from(fd).map_err(|_| Errno::EBADF)?;
    // SAFETY: the kernel just returned this descriptor to us; nothing else owns it, so the
    // OwnedFd is its only owner and closes it exactly once.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

fn rusage(usage: &libc::rusage) -> Rusage {
    let micros = |tv: libc::timeval| {
        u64::try_from(tv.tv_sec)
            .unwrap_or(0)
            .saturating_mul(1_000_000)
            .saturating_add(u64::try_from(tv.tv_usec).unwrap_or(0))
    };
    Rusage {
        user_time_us: micros(usage.ru_utime),
        system_time_us: micros(usage.ru_stime),
        max_rss_bytes: u64::try_from(usage.ru_maxrss)
            .unwrap_or(0)
            .saturating_mul(1024),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::process::Command;

    use super::*;

    #[test]
    fn wait4_reports_the_exit_and_cpu_of_a_child() {
        #[allow(clippy::zombie_processes)]
        let child = Command::new("sh")
            .args([
                "-c",
                "i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; exit 7",
            ])
            .spawn()
            .unwrap();
        let pid = Pid::from_raw(i32::try_from(child.id()).unwrap());
        let (status, usage) = wait4(pid, false).unwrap().unwrap();
        assert_eq!(status, WaitStatus::Exited(pid, 7));
        assert!(usage.user_time_us + usage.system_time_us > 0);
        assert!(usage.max_rss_bytes > 0);
    }
}

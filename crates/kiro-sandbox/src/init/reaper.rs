//! Running the payload as a child and reaping: the payload's own exit status and `wait4`
//! rusage, every orphan reaped on the way, and, when this process is a namespace's pid 1,
//! everything left killed before the report is written, so nothing outlives the job.

use std::fs;
use std::io::Read;
use std::time::Instant;

use nix::errno::Errno;
use nix::fcntl::OFlag;
use nix::sys::signal::{Signal, kill};
use nix::sys::wait::WaitStatus;
use nix::unistd::{ForkResult, Pid, pipe2};

use super::confine;
use crate::spec::{Exit, PayloadSpec, Report};
use crate::sys;
use crate::usage::Rusage;

/// Forks the payload, waits for it, (with `clean_up`) kills what it left, and reports.
pub fn run_payload(payload: &PayloadSpec, clean_up: bool) -> Report {
    let (mut errors_in, errors_out) = match pipe2(OFlag::O_CLOEXEC) {
        Ok(pair) => (fs::File::from(pair.0), pair.1),
        Err(e) => return Report::failed(format!("pipe: {e}")),
    };
    let started = Instant::now();
    let child = match sys::fork() {
        Ok(ForkResult::Child) => {
            drop(errors_in);
            // Its own session and process group, so a non-namespace init can kill the group.
            let _ = nix::unistd::setsid();
            confine::exec_payload(payload, errors_out)
        }
        Ok(ForkResult::Parent { child }) => child,
        Err(e) => return Report::failed(format!("fork: {e}")),
    };
    drop(errors_out);
    let (exit, rusage) = reap_until(child);
    let wall_us = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
    let mut message = String::new();
    let _ = errors_in.read_to_string(&mut message);
    if clean_up {
        kill_the_rest(child);
    }
    Report {
        exit: if message.is_empty() { exit } else { None },
        rusage,
        wall_us,
        error: (!message.is_empty()).then_some(message),
    }
}

/// Reaps children (orphans included) until `child` itself has ended.
fn reap_until(child: Pid) -> (Option<Exit>, Rusage) {
    loop {
        match sys::wait4(Pid::from_raw(-1), false) {
            Ok(Some((WaitStatus::Exited(pid, code), usage))) if pid == child => {
                return (Some(Exit::Code(code)), usage);
            }
            Ok(Some((WaitStatus::Signaled(pid, signal, _), usage))) if pid == child => {
                return (Some(Exit::Signal(signal as i32)), usage);
            }
            Ok(_) => {}
            Err(_) => return (None, Rusage::default()),
        }
    }
}

/// Kills and reaps whatever the payload left behind: as a namespace's pid 1, every process
/// in it (`kill(-1)` there reaches only the namespace); elsewhere the payload's process
/// group and any orphan that was reparented to this (subreaper) process.
pub fn kill_the_rest(payload: Pid) {
    let pid_one = nix::unistd::getpid().as_raw() == 1;
    loop {
        if pid_one {
            let _ = kill(Pid::from_raw(-1), Signal::SIGKILL);
        } else {
            let _ = nix::sys::signal::killpg(payload, Signal::SIGKILL);
            for pid in own_children() {
                let _ = kill(pid, Signal::SIGKILL);
            }
        }
        // One child at a time: an orphan reparented meanwhile is killed on the next round.
        match sys::wait4(Pid::from_raw(-1), false) {
            Ok(_) => {}
            Err(Errno::EINTR) => {}
            Err(_) => return,
        }
    }
}

fn own_children() -> Vec<Pid> {
    let me = nix::unistd::getpid();
    fs::read_to_string(format!("/proc/{me}/task/{me}/children"))
        .map(|text| {
            text.split_whitespace()
                .filter_map(|p| p.parse().ok())
                .map(Pid::from_raw)
                .collect()
        })
        .unwrap_or_default()
}

/// A pid 1 with nothing to run: reaps whatever ends until it is killed.
pub fn idle() -> ! {
    loop {
        match sys::wait4(Pid::from_raw(-1), false) {
            Ok(_) => {}
            Err(_) => {
                nix::unistd::pause();
            }
        }
    }
}

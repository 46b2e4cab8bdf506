//! Concurrency slots: at most N runs at once, each with its own unprivileged uid, so two
//! jobs never share a uid (and `RLIMIT_NPROC`, counted per uid, means something).

use std::sync::{Condvar, Mutex};

/// The pool of free slot uids.
#[derive(Debug)]
pub struct Slots {
    free: Mutex<Vec<u32>>,
    available: Condvar,
}

/// A held slot; returned to the pool on drop.
#[derive(Debug)]
pub struct Slot<'a> {
    pool: &'a Slots,
    pub uid: u32,
}

impl Slots {
    /// `count` slots with uids `first_uid..first_uid + count`.
    pub fn new(first_uid: u32, count: u32) -> Slots {
        Slots {
            free: Mutex::new((first_uid..first_uid.saturating_add(count)).rev().collect()),
            available: Condvar::new(),
        }
    }

    /// Waits for a free slot.
    pub fn acquire(&self) -> Slot<'_> {
        let mut free = self.free.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            if let Some(uid) = free.pop() {
                return Slot { pool: self, uid };
            }
            free = self.available.wait(free).unwrap_or_else(|p| p.into_inner());
        }
    }
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        let mut free = self.pool.free.lock().unwrap_or_else(|p| p.into_inner());
        free.push(self.uid);
        self.pool.available.notify_one();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_hand_out_distinct_uids_and_come_back() {
        let slots = Slots::new(60_000, 2);
        let a = slots.acquire();
        let b = slots.acquire();
        assert_ne!(a.uid, b.uid);
        let uid = a.uid;
        drop(a);
        assert_eq!(slots.acquire().uid, uid);
    }
}

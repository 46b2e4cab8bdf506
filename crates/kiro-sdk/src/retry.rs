//! Retry timing: exponential backoff (backon) with full jitter, `Retry-After`, and the
//! per-client retry budget (a token bucket refilled by successes).

use std::sync::Mutex;
use std::time::Duration;

use backon::{BackoffBuilder, ExponentialBuilder};

use crate::config::RetryPolicy;

/// The delays of one request's retries.
pub(crate) struct Backoff {
    delays: backon::ExponentialBackoff,
    max_delay: Duration,
}

impl Backoff {
    pub(crate) fn new(policy: &RetryPolicy) -> Self {
        let delays = ExponentialBuilder::new()
            .with_min_delay(policy.base_delay)
            .with_max_delay(policy.max_delay)
            .with_factor(2.0)
            .without_max_times()
            .build();
        Self {
            delays,
            max_delay: policy.max_delay,
        }
    }

    /// The wait before the next retry: uniform in `[0, exponential delay]` (full jitter), but
    /// never shorter than the server's `Retry-After`.
    pub(crate) fn next_delay(&mut self, retry_after: Option<Duration>) -> Duration {
        let cap = self.delays.next().unwrap_or(self.max_delay);
        let millis = u64::try_from(cap.as_millis()).unwrap_or(u64::MAX);
        let jittered = Duration::from_millis(rand::random_range(0..=millis));
        retry_after.map_or(jittered, |server| server.max(jittered))
    }
}

/// Parses a `Retry-After` header given in seconds (the server never sends HTTP dates).
pub(crate) fn parse_retry_after(value: Option<&reqwest::header::HeaderValue>) -> Option<Duration> {
    let seconds = value?.to_str().ok()?.trim().parse::<u64>().ok()?;
    Some(Duration::from_secs(seconds))
}

/// Tenths of a retry, so that a success can give back a tenth.
const UNIT: u64 = 10;

/// The per-client retry budget.
pub(crate) struct RetryBudget {
    tenths: Mutex<u64>,
    capacity: u64,
}

impl RetryBudget {
    pub(crate) fn new(retries: u32) -> Self {
        let capacity = u64::from(retries) * UNIT;
        Self {
            tenths: Mutex::new(capacity),
            capacity,
        }
    }

    /// Takes one retry; `false` when the budget is spent.
    pub(crate) fn withdraw(&self) -> bool {
        let Ok(mut tenths) = self.tenths.lock() else {
            return false;
        };
        if *tenths >= UNIT {
            *tenths -= UNIT;
            true
        } else {
            false
        }
    }

    /// Gives a tenth of a retry back after a success.
    pub(crate) fn deposit(&self) {
        if let Ok(mut tenths) = self.tenths.lock() {
            *tenths = (*tenths + 1).min(self.capacity);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_are_jittered_below_the_exponential_cap() {
        let policy = RetryPolicy {
            max_attempts: 10,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(400),
            budget: 10,
        };
        let mut backoff = Backoff::new(&policy);
        let caps = [100, 200, 400, 400, 400];
        for cap in caps {
            assert!(backoff.next_delay(None) <= Duration::from_millis(cap));
        }
    }

    #[test]
    fn retry_after_is_a_floor() {
        let mut backoff = Backoff::new(&RetryPolicy::default());
        let wait = backoff.next_delay(Some(Duration::from_secs(7)));
        assert_eq!(wait, Duration::from_secs(7));
    }

    #[test]
    fn the_budget_runs_out_and_successes_refill_it() {
        let budget = RetryBudget::new(2);
        assert!(budget.withdraw());
        assert!(budget.withdraw());
        assert!(!budget.withdraw());
        for _ in 0..10 {
            budget.deposit();
        }
        assert!(budget.withdraw());
        assert!(!budget.withdraw());
    }
}

//! Brute-force protection for the token endpoint: a per-IP and a per-account GCRA limiter
//! (governor), each a quota per minute from `[auth]` configuration. State is in-process: each
//! replica limits on its own.

use std::net::IpAddr;
use std::num::NonZeroU32;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use kiro_types::ErrorCode;

use crate::error::ApiError;

/// Keys kept before idle ones are swept.
const SWEEP_AT: usize = 10_000;

/// The token endpoint's limiters.
pub struct TokenRateLimiter {
    per_ip: DefaultKeyedRateLimiter<IpAddr>,
    per_account: DefaultKeyedRateLimiter<String>,
    clock: DefaultClock,
}

fn per_minute(n: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN))
}

impl TokenRateLimiter {
    pub fn new(per_ip_per_minute: u32, per_account_per_minute: u32) -> Self {
        Self {
            per_ip: RateLimiter::keyed(per_minute(per_ip_per_minute)),
            per_account: RateLimiter::keyed(per_minute(per_account_per_minute)),
            clock: DefaultClock::default(),
        }
    }

    /// Counts one attempt; a 429 with `Retry-After` when either limit is spent.
    pub fn check(&self, ip: Option<IpAddr>, account: Option<&str>) -> Result<(), ApiError> {
        if self.per_ip.len() > SWEEP_AT {
            self.per_ip.retain_recent();
        }
        if self.per_account.len() > SWEEP_AT {
            self.per_account.retain_recent();
        }
        if let Some(ip) = ip
            && let Err(wait) = self.per_ip.check_key(&ip)
        {
            return Err(limited(wait.wait_time_from(self.clock.now()).as_secs()));
        }
        if let Some(account) = account
            && let Err(wait) = self.per_account.check_key(&account.to_lowercase())
        {
            return Err(limited(wait.wait_time_from(self.clock.now()).as_secs()));
        }
        Ok(())
    }
}

fn limited(wait_secs: u64) -> ApiError {
    let seconds = wait_secs.max(1);
    ApiError::new(
        ErrorCode::AuthRateLimited,
        format!("too many sign-in attempts; try again in {seconds} s"),
    )
    .with_retry_after(seconds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_is_limited_independently_of_others() {
        let limiter = TokenRateLimiter::new(1000, 2);
        let ip = Some(IpAddr::from([127, 0, 0, 1]));
        assert!(limiter.check(ip, Some("a@x.io")).is_ok());
        assert!(limiter.check(ip, Some("A@x.io")).is_ok());
        let third = limiter.check(ip, Some("a@x.io"));
        assert!(
            matches!(third, Err(ref e) if e.code == ErrorCode::AuthRateLimited && e.retry_after.is_some())
        );
        assert!(limiter.check(ip, Some("b@x.io")).is_ok());
    }

    #[test]
    fn an_ip_is_limited_across_accounts() {
        let limiter = TokenRateLimiter::new(2, 1000);
        let ip = Some(IpAddr::from([10, 0, 0, 1]));
        assert!(limiter.check(ip, Some("a@x.io")).is_ok());
        assert!(limiter.check(ip, Some("b@x.io")).is_ok());
        assert!(limiter.check(ip, Some("c@x.io")).is_err());
        assert!(
            limiter
                .check(Some(IpAddr::from([10, 0, 0, 2])), Some("c@x.io"))
                .is_ok()
        );
    }
}

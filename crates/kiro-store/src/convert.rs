//! Conversions between the record types of kiro-core and the column types the Any driver
//! carries: ids as TEXT, times as BIGINT unix milliseconds, flags as 0/1 integers, roles as
//! their lower-case names, scopes as JSON text.
//!
//! Decoding never panics: a stored value that does not parse is a `StoreError::Backend`.
//! Times keep millisecond precision; anything finer is dropped on the way in.

use std::str::FromStr;

use chrono::{DateTime, Utc};
use kiro_core::StoreError;
use kiro_types::workspace::Role;

use crate::error::bad_value;

/// A time as stored: unix milliseconds.
pub fn to_ms(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}

/// An optional time as stored.
pub fn to_opt_ms(at: Option<DateTime<Utc>>) -> Option<i64> {
    at.map(to_ms)
}

/// A stored time.
pub fn from_ms(ms: i64) -> Result<DateTime<Utc>, StoreError> {
    DateTime::from_timestamp_millis(ms).ok_or_else(|| bad_value(format!("time {ms} ms")))
}

/// A stored optional time.
pub fn from_opt_ms(ms: Option<i64>) -> Result<Option<DateTime<Utc>>, StoreError> {
    ms.map(from_ms).transpose()
}

/// A stored id (any of the id newtypes, or a bare `Uuid`).
pub fn parse_id<T: FromStr>(text: &str) -> Result<T, StoreError> {
    text.parse().map_err(|_| bad_value(format!("id `{text}`")))
}

/// A flag as stored.
pub fn to_flag(value: bool) -> i64 {
    i64::from(value)
}

/// A stored flag: 0 or 1.
pub fn from_flag(value: i64) -> Result<bool, StoreError> {
    match value {
        0 => Ok(false),
        1 => Ok(true),
        other => Err(bad_value(format!("flag {other}"))),
    }
}

/// A stored role name.
pub fn parse_role(name: &str) -> Result<Role, StoreError> {
    Role::parse(name).ok_or_else(|| bad_value(format!("role `{name}`")))
}

/// Scopes as stored: a JSON array of strings.
pub fn scopes_to_json(scopes: &[String]) -> Result<String, StoreError> {
    serde_json::to_string(scopes).map_err(|e| StoreError::Backend(Box::new(e)))
}

/// Stored scopes.
pub fn scopes_from_json(json: &str) -> Result<Vec<String>, StoreError> {
    serde_json::from_str(json).map_err(|e| bad_value(format!("scopes `{json}`: {e}")))
}

#[cfg(test)]
mod tests {
    use kiro_types::UserId;

    use super::*;

    #[test]
    fn times_round_trip_at_millisecond_precision() {
        let at = DateTime::from_timestamp_millis(1_700_000_000_123).unwrap_or_default();
        assert_eq!(from_ms(to_ms(at)).ok(), Some(at));
        assert!(from_ms(i64::MAX).is_err());
    }

    #[test]
    fn bad_stored_values_are_errors_not_panics() {
        assert!(parse_id::<UserId>("not-a-uuid").is_err());
        assert!(from_flag(2).is_err());
        assert!(parse_role("emperor").is_err());
        assert!(scopes_from_json("{").is_err());
    }

    #[test]
    fn flags_and_scopes_round_trip() {
        assert_eq!(from_flag(to_flag(true)).ok(), Some(true));
        let scopes = vec!["planning:read".to_owned(), "planning:write".to_owned()];
        let json = scopes_to_json(&scopes).unwrap_or_default();
        assert_eq!(scopes_from_json(&json).ok(), Some(scopes));
    }
}

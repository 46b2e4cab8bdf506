//! The planning service's input rules, as pure checks returning [`PlanningRule`] refusals:
//! date ranges, allocation amounts, and what an allocation books per day.

use chrono::NaiveDate;
use kiro_types::ErrorCode;
use kiro_types::planning::HOURS_PER_DAY;

/// A refused input: the stable code, and a message saying how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct PlanningRule {
    pub code: ErrorCode,
    pub message: String,
}

fn refuse(code: ErrorCode, message: impl Into<String>) -> PlanningRule {
    PlanningRule {
        code,
        message: message.into(),
    }
}

/// A start and end date (either may be missing) must not end before they start.
pub fn check_dates(
    code: ErrorCode,
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
) -> Result<(), PlanningRule> {
    match (start, end) {
        (Some(s), Some(e)) if e < s => Err(refuse(
            code,
            format!("endDate {e} is before startDate {s}; give an end on or after the start"),
        )),
        _ => Ok(()),
    }
}

/// Hours of work must be finite and not negative.
pub fn check_hours(field: &str, hours: Option<f64>) -> Result<(), PlanningRule> {
    match hours {
        Some(h) if !h.is_finite() || h < 0.0 => Err(refuse(
            ErrorCode::ValidationFailed,
            format!("{field} must be zero or more hours, not {h}"),
        )),
        _ => Ok(()),
    }
}

/// An allocation's hours per day, from exactly one of `hours_per_day` and `percent` (of an
/// 8-hour day). Over 100 % is allowed (utilisation flags it); negative is refused.
pub fn allocation_hours(
    hours_per_day: Option<f64>,
    percent: Option<f64>,
) -> Result<f64, PlanningRule> {
    let hours = match (hours_per_day, percent) {
        (Some(h), None) => h,
        (None, Some(p)) => {
            if p.is_finite() && p < 0.0 {
                return Err(refuse(
                    ErrorCode::PlanningAllocationNegative,
                    format!("percent {p} is negative; book zero or more percent of a day"),
                ));
            }
            p / 100.0 * HOURS_PER_DAY
        }
        _ => {
            return Err(refuse(
                ErrorCode::PlanningAllocationAmount,
                "give exactly one of hoursPerDay and percent",
            ));
        }
    };
    if !hours.is_finite() {
        return Err(refuse(
            ErrorCode::PlanningAllocationAmount,
            "the allocation must be a finite number",
        ));
    }
    if hours < 0.0 {
        return Err(refuse(
            ErrorCode::PlanningAllocationNegative,
            format!("hoursPerDay {hours} is negative; book zero or more hours a day"),
        ));
    }
    if hours > 24.0 {
        return Err(refuse(
            ErrorCode::PlanningAllocationAmount,
            format!("{hours} hours a day is more than a day has; book at most 24"),
        ));
    }
    Ok(hours)
}

/// The percentage of a full day that `hours` books.
pub fn percent_of_day(hours: f64) -> f64 {
    hours / HOURS_PER_DAY * 100.0
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn day(d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(2026, 3, d)
    }

    #[test]
    fn an_end_before_the_start_is_refused_with_the_code_given() {
        let e = check_dates(ErrorCode::PlanningTaskDatesInvalid, day(5), day(4)).unwrap_err();
        assert_eq!(e.code, ErrorCode::PlanningTaskDatesInvalid);
        assert!(check_dates(ErrorCode::PlanningTaskDatesInvalid, day(5), day(5)).is_ok());
        assert!(check_dates(ErrorCode::PlanningTaskDatesInvalid, None, day(1)).is_ok());
    }

    #[test]
    fn allocations_take_hours_or_percent_and_refuse_negative() {
        assert_eq!(allocation_hours(Some(4.0), None).unwrap(), 4.0);
        assert_eq!(allocation_hours(None, Some(150.0)).unwrap(), 12.0);
        let neg = allocation_hours(Some(-1.0), None).unwrap_err();
        assert_eq!(neg.code, ErrorCode::PlanningAllocationNegative);
        let neg = allocation_hours(None, Some(-5.0)).unwrap_err();
        assert_eq!(neg.code, ErrorCode::PlanningAllocationNegative);
        let both = allocation_hours(Some(1.0), Some(1.0)).unwrap_err();
        assert_eq!(both.code, ErrorCode::PlanningAllocationAmount);
    }
}

//! How long personal data is kept (DESIGN.md §3.5, §7): 21 days on the device and on the server.

use crate::validation::ErrorCode;

/// Days a declaration or visit is kept.
pub const RETENTION_DAYS: i64 = 21;

pub const DAY_MS: i64 = 24 * 3_600_000;

/// How far a device's clock may run ahead of the server's before what it stamps is refused.
pub const MAX_CLOCK_AHEAD_MS: i64 = DAY_MS;

/// Checks the device time `created_at_ms` of something received at `now_ms`, kept `retention_days`:
/// a time more than a day ahead means a wrong clock (or a forged stamp meant to sort first or
/// never expire), and a time past retention is data that should already have been deleted.
pub fn check_device_time(
    created_at_ms: i64,
    now_ms: i64,
    retention_days: i64,
) -> Result<(), ErrorCode> {
    if created_at_ms > now_ms.saturating_add(MAX_CLOCK_AHEAD_MS) {
        return Err(ErrorCode::DeviceClockAhead);
    }
    if now_ms.saturating_sub(created_at_ms) > retention_days.saturating_mul(DAY_MS) {
        return Err(ErrorCode::PastRetention {
            days: retention_days,
        });
    }
    Ok(())
}

/// Whether something made at `created_at_ms` is past retention at `now_ms`.
pub fn is_past_retention(created_at_ms: i64, now_ms: i64) -> bool {
    now_ms.saturating_sub(created_at_ms) > RETENTION_DAYS * DAY_MS
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn device_times_within_a_day_ahead_and_retention_back_are_accepted() {
        let now = 1_800_000_000_000;
        for at in [now, now + MAX_CLOCK_AHEAD_MS, now - 21 * DAY_MS] {
            assert_eq!(check_device_time(at, now, 21), Ok(()));
        }
        assert_eq!(
            check_device_time(now + MAX_CLOCK_AHEAD_MS + 1, now, 21),
            Err(ErrorCode::DeviceClockAhead)
        );
        assert_eq!(
            check_device_time(i64::MAX, now, 21),
            Err(ErrorCode::DeviceClockAhead)
        );
        assert_eq!(
            check_device_time(now - 21 * DAY_MS - 1, now, 21),
            Err(ErrorCode::PastRetention { days: 21 })
        );
        assert_eq!(
            check_device_time(i64::MIN, now, 21),
            Err(ErrorCode::PastRetention { days: 21 })
        );
    }

    proptest! {
        #[test]
        fn every_accepted_time_is_in_the_window(at in any::<i64>(), now in 0..i64::MAX / 2, days in 1..3650_i64) {
            if check_device_time(at, now, days).is_ok() {
                prop_assert!(at <= now + MAX_CLOCK_AHEAD_MS && at >= now - days * DAY_MS);
            }
        }
    }

    #[test]
    fn twenty_one_days_exactly_are_kept() {
        let made = 1_700_000_000_000;
        assert!(!is_past_retention(made, made));
        assert!(!is_past_retention(made, made + 21 * DAY_MS));
        assert!(is_past_retention(made, made + 21 * DAY_MS + 1));
        // A clock set backwards keeps data rather than deleting it.
        assert!(!is_past_retention(made, made - DAY_MS));
    }
}

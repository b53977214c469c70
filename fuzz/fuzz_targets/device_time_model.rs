//! An independent model of `domain::retention::check_device_time`, shared by the targets that
//! check it: the same rule computed in wide arithmetic, without saturation.

use domain::retention::{DAY_MS, MAX_CLOCK_AHEAD_MS};
use domain::validation::ErrorCode;

/// What `check_device_time` should answer.
pub fn expected_device_time(at: i64, now: i64, days: i64) -> Result<(), ErrorCode> {
    let (at, now) = (i128::from(at), i128::from(now));
    if at > now + i128::from(MAX_CLOCK_AHEAD_MS) {
        Err(ErrorCode::DeviceClockAhead)
    } else if now - at > i128::from(days) * i128::from(DAY_MS) {
        Err(ErrorCode::PastRetention { days })
    } else {
        Ok(())
    }
}

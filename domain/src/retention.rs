//! How long personal data is kept (DESIGN.md §3.5, §7): 21 days on the device and on the server.

/// Days a declaration or visit is kept.
pub const RETENTION_DAYS: i64 = 21;

const DAY_MS: i64 = 24 * 3_600_000;

/// Whether something made at `created_at_ms` is past retention at `now_ms`.
pub fn is_past_retention(created_at_ms: i64, now_ms: i64) -> bool {
    now_ms.saturating_sub(created_at_ms) > RETENTION_DAYS * DAY_MS
}

#[cfg(test)]
mod tests {
    use super::*;

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

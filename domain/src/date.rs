//! Calendar dates as the forms use them: `YYYY-MM-DD`, the value of an HTML date input.

use crate::i18n::Lang;
use crate::validation::ErrorCode;

/// A day of the proleptic Gregorian calendar, counted from 1970-01-01.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    days: i32,
}

const MS_PER_DAY: i64 = 86_400_000;

/// Vietnam's offset from UTC (UTC+7 all year): venues' days and times are Vietnamese ones.
pub const VIETNAM_OFFSET_MINUTES: i32 = 7 * 60;

/// `ms` (milliseconds since the Unix epoch) as read at `offset_minutes` from UTC, to the minute:
/// `YYYY-MM-DD HH:MM`.
pub fn local_minute(ms: i64, offset_minutes: i32) -> String {
    let local = ms.saturating_add(i64::from(offset_minutes) * 60_000);
    let minutes = local.rem_euclid(MS_PER_DAY) / 60_000;
    format!(
        "{} {:02}:{:02}",
        Date::from_unix_ms(local, 0),
        minutes / 60,
        minutes % 60
    )
}

/// `ms` as the value of an HTML `datetime-local` input showing Vietnam time: `YYYY-MM-DDTHH:MM`.
pub fn local_input_value(ms: i64) -> String {
    local_minute(ms, VIETNAM_OFFSET_MINUTES).replacen(' ', "T", 1)
}

/// Reads the value of a `datetime-local` input (`YYYY-MM-DDTHH:MM`, with `:SS` or `:SS.sss`
/// allowed and dropped) as Vietnam time, in milliseconds since the Unix epoch.
pub fn parse_local_input(value: &str) -> Option<i64> {
    let (date, time) = value.trim().split_once('T')?;
    let date = Date::parse(date)?;
    let mut parts = time.split(':');
    let (hour, minute) = (parts.next()?, parts.next()?);
    let two_digits = |part: &str| part.len() == 2 && part.bytes().all(|b| b.is_ascii_digit());
    if !two_digits(hour) || !two_digits(minute) {
        return None;
    }
    let (hour, minute): (i64, i64) = (hour.parse().ok()?, minute.parse().ok()?);
    if !(0..24).contains(&hour) || !(0..60).contains(&minute) {
        return None;
    }
    if let Some(seconds) = parts.next() {
        let whole = seconds.split('.').next()?;
        if !two_digits(whole) || whole > "59" {
            return None;
        }
    }
    if parts.next().is_some() {
        return None;
    }
    Some(date.start_unix_ms(VIETNAM_OFFSET_MINUTES) + (hour * 60 + minute) * 60_000)
}

/// `ms` (milliseconds since the Unix epoch) as a date and time in Vietnam (UTC+7, DESIGN.md §1),
/// to the minute, written so that no reader of `lang` can take the day for the month: "3 Dec
/// 2026, 05:15", "03/12/2026 05:15" (day first, as Vietnamese writes it), "2026年12月3日 05:15",
/// "2026년 12월 3일 05:15". Stamps beyond the calendar's range are clamped, as by
/// [`Date::from_unix_ms`].
pub fn format_date_time(ms: i64, lang: Lang) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let local = ms.saturating_add(i64::from(VIETNAM_OFFSET_MINUTES) * 60_000);
    let minutes = local.rem_euclid(MS_PER_DAY) / 60_000;
    let (hour, minute) = (minutes / 60, minutes % 60);
    let (year, month, day) = Date::from_unix_ms(local, 0).civil();
    match lang {
        Lang::En => {
            let month = MONTHS[month as usize - 1];
            format!("{day} {month} {year}, {hour:02}:{minute:02}")
        }
        Lang::Vi => format!("{day:02}/{month:02}/{year} {hour:02}:{minute:02}"),
        Lang::Zh => format!("{year}年{month}月{day}日 {hour:02}:{minute:02}"),
        Lang::Ko => format!("{year}년 {month}월 {day}일 {hour:02}:{minute:02}"),
    }
}

impl Date {
    /// The day containing `ms` (milliseconds since the Unix epoch) at `offset_minutes` from UTC.
    pub fn from_unix_ms(ms: i64, offset_minutes: i32) -> Date {
        let local = ms.saturating_add(i64::from(offset_minutes) * 60_000);
        Date {
            days: local.div_euclid(MS_PER_DAY).clamp(-1_000_000, 1_000_000) as i32,
        }
    }

    /// Days since 1970-01-01: what a database stores to group by day.
    pub fn number(self) -> i32 {
        self.days
    }

    pub fn from_number(days: i32) -> Date {
        Date { days }
    }

    /// Parses exactly `YYYY-MM-DD` with a real day of a real month.
    pub fn parse(input: &str) -> Option<Date> {
        let bytes = input.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let number = |range: std::ops::Range<usize>| -> Option<u32> {
            let part = &input[range];
            part.bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| part.parse().ok())
                .flatten()
        };
        let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date {
            days: days_from_civil(year as i32, month, day),
        })
    }

    /// `(year, month, day)`.
    pub fn civil(self) -> (i32, u32, u32) {
        civil_from_days(self.days)
    }

    pub fn year(self) -> i32 {
        self.civil().0
    }

    pub fn add_days(self, days: i32) -> Date {
        Date {
            days: self.days.saturating_add(days),
        }
    }

    /// The first millisecond of this day at `offset_minutes` from UTC, since the Unix epoch.
    pub fn start_unix_ms(self, offset_minutes: i32) -> i64 {
        i64::from(self.days) * MS_PER_DAY - i64::from(offset_minutes) * 60_000
    }

    /// Days from `earlier` to `self`.
    pub fn days_since(self, earlier: Date) -> i32 {
        self.days - earlier.days
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Date::parse(&text).ok_or_else(|| serde::de::Error::custom("expected a date YYYY-MM-DD"))
    }
}

/// On the wire a date is its `YYYY-MM-DD` text (`format: date`).
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Date {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
            .description(Some("A calendar date, `YYYY-MM-DD`."))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Date {}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (year, month, day) = self.civil();
        write!(f, "{year:04}-{month:02}-{day:02}")
    }
}

/// Checks a typed date: required, well formed, and within `earliest..=latest`.
pub fn date_in_range(input: &str, earliest: Date, latest: Date) -> Result<Date, ErrorCode> {
    if input.trim().is_empty() {
        return Err(ErrorCode::Required);
    }
    let date = Date::parse(input.trim()).ok_or(ErrorCode::InvalidDate)?;
    if date < earliest || date > latest {
        return Err(ErrorCode::DateOutOfRange { earliest, latest });
    }
    Ok(date)
}

fn is_leap(year: u32) -> bool {
    year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400))
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's days_from_civil / civil_from_days algorithms.
fn days_from_civil(year: i32, month: u32, day: u32) -> i32 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400) as u32;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era as i32 - 719_468
}

fn civil_from_days(days: i32) -> (i32, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097) as u32;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era as i32 + era * 400 + i32::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_count_from_the_epoch_in_vietnam_time() {
        assert_eq!(Date::parse("1970-01-01").unwrap().number(), 0);
        // 2026-12-01 23:30 in Vietnam is 16:30 UTC on the same day; 00:30 on the 2nd is still
        // the 1st in UTC, but the 2nd in Vietnam.
        let late = Date::parse("2026-12-01").unwrap();
        let evening = late.start_unix_ms(VIETNAM_OFFSET_MINUTES) + 23 * 3_600_000 + 1_800_000;
        assert_eq!(Date::from_unix_ms(evening, VIETNAM_OFFSET_MINUTES), late);
        let after_midnight = evening + 3_600_000;
        let next = Date::from_unix_ms(after_midnight, VIETNAM_OFFSET_MINUTES);
        assert_eq!(next.number(), late.number() + 1);
        assert_eq!(Date::from_number(next.number()).to_string(), "2026-12-02");
        assert_eq!(
            Date::from_unix_ms(after_midnight, 0).to_string(),
            "2026-12-01"
        );
    }

    #[test]
    fn datetime_inputs_read_and_write_vietnam_time() {
        // 2026-12-02 10:00 in Vietnam is 03:00 UTC.
        let morning = 1_796_180_400_000;
        assert_eq!(local_input_value(morning), "2026-12-02T10:00");
        assert_eq!(parse_local_input("2026-12-02T10:00"), Some(morning));
        assert_eq!(parse_local_input("2026-12-02T10:00:59"), Some(morning));
        assert_eq!(parse_local_input("2026-12-02T10:00:05.250"), Some(morning));
        assert_eq!(
            parse_local_input("2026-12-03T00:00"),
            Some(morning + 14 * 3_600_000)
        );
        for bad in [
            "",
            "2026-12-02",
            "2026-12-02 10:00",
            "2026-12-02T24:00",
            "2026-12-02T10:60",
            "2026-12-02T+1:00",
            "2026-12-02T10:0",
            "2026-02-30T10:00",
            "2026-12-02T10:00:61",
            "2026-12-02T10:00:00:00",
            "T10:00",
        ] {
            assert_eq!(parse_local_input(bad), None, "{bad:?}");
        }
    }
    use proptest::prelude::*;

    #[test]
    fn known_days() {
        assert_eq!(Date::parse("1970-01-01").unwrap().days, 0);
        assert_eq!(Date::parse("2000-03-01").unwrap().days, 11_017);
        assert_eq!(
            Date::from_unix_ms(1_700_000_000_000, 0).to_string(),
            "2023-11-14"
        );
        // 23:00 UTC is already the next day in Vietnam (UTC+7).
        let late = 1_700_002_800_000;
        assert_eq!(Date::from_unix_ms(late, 0).to_string(), "2023-11-14");
        assert_eq!(Date::from_unix_ms(late, 7 * 60).to_string(), "2023-11-15");
    }

    #[test]
    fn times_are_written_to_the_minute_in_their_time_zone() {
        assert_eq!(
            local_minute(1_700_002_800_000, VIETNAM_OFFSET_MINUTES),
            "2023-11-15 06:00"
        );
        assert_eq!(local_minute(1_700_002_800_000, 0), "2023-11-14 23:00");
        assert_eq!(local_minute(-60_000, 0), "1969-12-31 23:59");
        // Out-of-range stamps are written, never a panic.
        let _ = local_minute(i64::MAX, VIETNAM_OFFSET_MINUTES);
        let _ = local_minute(i64::MIN, VIETNAM_OFFSET_MINUTES);
    }

    /// 2026-12-02T22:15Z: 3 December 2026, 05:15 in Vietnam.
    const DECEMBER_3: i64 = 1_796_249_700_000;

    #[test]
    fn date_times_are_unambiguous_in_every_language() {
        assert_eq!(local_minute(DECEMBER_3, 0), "2026-12-02 22:15");
        assert_eq!(format_date_time(DECEMBER_3, Lang::En), "3 Dec 2026, 05:15");
        assert_eq!(format_date_time(DECEMBER_3, Lang::Vi), "03/12/2026 05:15");
        assert_eq!(
            format_date_time(DECEMBER_3, Lang::Zh),
            "2026年12月3日 05:15"
        );
        assert_eq!(
            format_date_time(DECEMBER_3, Lang::Ko),
            "2026년 12월 3일 05:15"
        );
        // Every month has its English name.
        let july = Date::parse("2025-07-01")
            .unwrap()
            .start_unix_ms(VIETNAM_OFFSET_MINUTES);
        assert_eq!(format_date_time(july, Lang::En), "1 Jul 2025, 00:00");
        let mut months = std::collections::HashSet::new();
        for month in 1..=12 {
            let day = Date::parse(&format!("2026-{month:02}-15")).unwrap();
            let text = format_date_time(day.start_unix_ms(VIETNAM_OFFSET_MINUTES), Lang::En);
            assert!(months.insert(text[3..6].to_owned()), "{text}");
        }
    }

    #[test]
    fn date_times_are_read_in_vietnam() {
        // 17:30 UTC on 2 December is already 00:30 on 3 December in Vietnam.
        let late = DECEMBER_3 - (4 * 60 + 45) * 60_000;
        assert_eq!(local_minute(late, 0), "2026-12-02 17:30");
        assert_eq!(format_date_time(late, Lang::En), "3 Dec 2026, 00:30");
        assert_eq!(format_date_time(late, Lang::Vi), "03/12/2026 00:30");
        assert_eq!(format_date_time(late, Lang::Zh), "2026年12月3日 00:30");
        assert_eq!(format_date_time(late, Lang::Ko), "2026년 12월 3일 00:30");
        // One minute earlier is still 2 December, 23:59.
        assert_eq!(
            format_date_time(late - 31 * 60_000, Lang::En),
            "2 Dec 2026, 23:59"
        );
        // New Year in Vietnam, before it in UTC; and before the epoch.
        let new_year = Date::parse("2027-01-01")
            .unwrap()
            .start_unix_ms(VIETNAM_OFFSET_MINUTES);
        assert_eq!(format_date_time(new_year, Lang::Vi), "01/01/2027 00:00");
        assert_eq!(format_date_time(new_year - 1, Lang::Vi), "31/12/2026 23:59");
        assert_eq!(format_date_time(-60_000, Lang::En), "1 Jan 1970, 06:59");
        for lang in Lang::ALL {
            let _ = format_date_time(i64::MAX, lang);
            let _ = format_date_time(i64::MIN, lang);
        }
    }

    #[test]
    fn days_start_in_their_time_zone() {
        let day = Date::parse("2023-11-15").unwrap();
        assert_eq!(day.start_unix_ms(0), 1_700_006_400_000);
        assert_eq!(Date::from_unix_ms(day.start_unix_ms(7 * 60), 7 * 60), day);
        assert_eq!(
            Date::from_unix_ms(day.start_unix_ms(7 * 60) - 1, 7 * 60),
            day.add_days(-1)
        );
    }

    #[test]
    fn refuses_impossible_and_malformed_dates() {
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "2024-04-31",
            "24-01-01",
            "2024/01/01",
            "+024-01-01",
            "2024-1-011",
            "",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
        assert!(Date::parse("2024-02-29").is_some());
    }

    #[test]
    fn ranges_are_checked() {
        let today = Date::parse("2026-11-22").unwrap();
        let week_ago = today.add_days(-7);
        assert_eq!(
            date_in_range("2026-11-20", week_ago, today),
            Ok(today.add_days(-2))
        );
        assert_eq!(
            date_in_range(" ", week_ago, today),
            Err(ErrorCode::Required)
        );
        assert_eq!(
            date_in_range("22/11/2026", week_ago, today),
            Err(ErrorCode::InvalidDate)
        );
        assert!(matches!(
            date_in_range("2026-11-23", week_ago, today),
            Err(ErrorCode::DateOutOfRange { .. })
        ));
    }

    proptest! {
        #[test]
        fn days_and_text_round_trip(days in -200_000i32..200_000) {
            let date = Date { days };
            prop_assert_eq!(Date::parse(&date.to_string()), (date.year() >= 0 && date.year() <= 9999).then_some(date));
        }

        #[test]
        fn date_times_never_panic(ms in -(10_000 * 366 * MS_PER_DAY)..(10_000 * 366 * MS_PER_DAY), lang in proptest::sample::select(Lang::ALL.to_vec())) {
            let text = format_date_time(ms, lang);
            prop_assert!(text.ends_with(&local_minute(ms, VIETNAM_OFFSET_MINUTES)[11..]));
            // Within the clamped range, the day is the one of `local_minute`.
            if (-700_000 * MS_PER_DAY..700_000 * MS_PER_DAY).contains(&ms) {
                let day = Date::from_unix_ms(ms, VIETNAM_OFFSET_MINUTES);
                let (year, month, date) = day.civil();
                let expected = match lang {
                    Lang::Vi => format!("{date:02}/{month:02}/{year} "),
                    Lang::Zh => format!("{year}年{month}月{date}日 "),
                    Lang::Ko => format!("{year}년 {month}월 {date}일 "),
                    Lang::En => format!("{date} "),
                };
                prop_assert!(text.starts_with(&expected), "{} {}", text, expected);
            }
        }

        #[test]
        fn date_times_never_panic_at_all(ms in any::<i64>()) {
            for lang in Lang::ALL {
                let _ = format_date_time(ms, lang);
            }
        }

        #[test]
        fn parse_never_panics(input in "\\PC{0,12}") {
            let _ = Date::parse(&input);
        }
    }
}

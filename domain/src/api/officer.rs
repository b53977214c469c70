//! The health authority's wire types (DESIGN.md §4): venue search, exposure events, statistics by
//! province and day, and case-bound visitor lists with their audit trail. Requests refuse unknown
//! fields; responses do not.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::date::Date;
use crate::exposure::ExposureLevel;
use crate::poster::VenueType;
use crate::retention::RETENTION_DAYS;
use crate::text::required_line;
use crate::validation::{Checker, ErrorCode, FieldError};
use crate::visit::ListedVisit;

/// The longest span of days one statistics request covers.
pub const STATISTICS_MAX_DAYS: i32 = 92;

/// The longest case reference ("CA-2026-0142", "HN/F0/1234").
pub const CASE_REFERENCE_MAX_CHARS: usize = 64;

/// `POST /api/v1/officer/venues`: venues whose name, short code or province matches.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct VenueSearch {
    pub q: String,
    pub province: Option<u16>,
}

/// A venue as an officer finds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfficerVenue {
    pub id: Uuid,
    pub name: String,
    pub short_code: String,
    pub venue_type: VenueType,
    pub province: u16,
    pub street: String,
}

/// An exposure event as officers list it: what the devices get, plus the venue, whether it was
/// withdrawn, and when it last changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublishedExposure {
    pub event_id: Uuid,
    pub venue: OfficerVenue,
    pub starts_at_ms: i64,
    pub ends_at_ms: i64,
    pub level: ExposureLevel,
    pub advice_vi: String,
    pub advice_en: String,
    pub withdrawn: bool,
    pub version: i64,
    pub updated_at_ms: i64,
}

/// `POST /api/v1/officer/statistics`: the days, `YYYY-MM-DD` in Vietnam time, both included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StatisticsQuery {
    pub from: String,
    pub to: String,
}

impl StatisticsQuery {
    /// The first and last day, or the refused fields: both dates, in order, at most
    /// [`STATISTICS_MAX_DAYS`] apart.
    pub fn days(&self) -> Result<(Date, Date), Vec<FieldError>> {
        let mut checker = Checker::default();
        let from = checker.check(
            "from",
            Date::parse(&self.from).ok_or(ErrorCode::InvalidDate),
        );
        let to = checker.check("to", Date::parse(&self.to).ok_or(ErrorCode::InvalidDate));
        if let (Some(from), Some(to)) = (from, to) {
            if to < from || to.days_since(from) >= STATISTICS_MAX_DAYS {
                checker.check::<()>(
                    "to",
                    Err(ErrorCode::DateOutOfRange {
                        earliest: from,
                        latest: from.add_days(STATISTICS_MAX_DAYS - 1),
                    }),
                );
            }
        }
        checker.finish(|| Some((from?, to?)))
    }
}

/// The counts of one province on one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DayCounts {
    /// `YYYY-MM-DD`, Vietnam time.
    pub day: String,
    pub province: u16,
    /// Control points registered that day.
    pub venues: u64,
    /// Arrivals: check-ins by scanning a poster, and gate scans.
    pub check_ins: u64,
    /// Health declarations of every kind, by the declarer's province.
    pub declarations: u64,
}

/// The answer to a [`StatisticsQuery`]: one row per province and day that has any count, by day
/// then province.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Statistics {
    pub from: String,
    pub to: String,
    pub rows: Vec<DayCounts>,
}

/// The counts of a day over the provinces a chart shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DayTotal {
    pub day: String,
    pub venues: u64,
    pub check_ins: u64,
    pub declarations: u64,
}

impl Statistics {
    /// Every day from `from` to `to` (days without rows count zero), summed over the rows of
    /// `province`, or of all provinces for `None`.
    pub fn daily_totals(&self, province: Option<u16>) -> Vec<DayTotal> {
        let (Some(from), Some(to)) = (Date::parse(&self.from), Date::parse(&self.to)) else {
            return Vec::new();
        };
        let days = to.days_since(from).clamp(-1, STATISTICS_MAX_DAYS - 1) + 1;
        (0..days)
            .map(|offset| {
                let day = from.add_days(offset).to_string();
                let mut total = DayTotal {
                    day: day.clone(),
                    ..DayTotal::default()
                };
                for row in self.rows.iter().filter(|row| {
                    row.day == day && province.is_none_or(|code| row.province == code)
                }) {
                    total.venues += row.venues;
                    total.check_ins += row.check_ins;
                    total.declarations += row.declarations;
                }
                total
            })
            .collect()
    }
}

/// `POST /api/v1/officer/cases`: a venue's visitors, unmasked, for the window of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CaseRequest {
    pub venue_id: Uuid,
    pub from_ms: i64,
    pub to_ms: i64,
    /// The case file this read is for; required, and written to the audit log.
    pub case_reference: String,
}

impl CaseRequest {
    /// The request with its reference cleaned, or the refused fields: a reference, and a window
    /// that ends after it starts, within what the server keeps.
    pub fn validate(&self, now_ms: i64) -> Result<CaseRequest, Vec<FieldError>> {
        let mut checker = Checker::default();
        let reference = checker.check(
            "case_reference",
            required_line(&self.case_reference, CASE_REFERENCE_MAX_CHARS),
        );
        let oldest = now_ms.saturating_sub(RETENTION_DAYS * 86_400_000);
        checker.check(
            "to_ms",
            if self.to_ms <= self.from_ms {
                Err(ErrorCode::OutOfRange {
                    min: self.from_ms.saturating_add(1),
                    max: now_ms,
                })
            } else if self.to_ms < oldest {
                Err(ErrorCode::PastRetention {
                    days: RETENTION_DAYS,
                })
            } else {
                Ok(())
            },
        );
        checker.finish(|| {
            Some(CaseRequest {
                case_reference: reference?,
                ..self.clone()
            })
        })
    }
}

/// The answer to a [`CaseRequest`]: the venue and its visitors in the window, names and phones
/// in full (ID numbers stay masked, DESIGN.md §7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseVisitors {
    pub venue: OfficerVenue,
    pub visitors: Vec<ListedVisit>,
}

/// One line of an officer's audit trail: a case read they made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseRead {
    pub at_ms: i64,
    pub venue_id: Uuid,
    pub venue_name: String,
    pub from_ms: i64,
    pub to_ms: i64,
    pub case_reference: String,
    pub row_count: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statistics_days_are_checked() {
        let query = |from: &str, to: &str| StatisticsQuery {
            from: from.into(),
            to: to.into(),
        };
        assert!(query("2026-12-01", "2026-12-01").days().is_ok());
        assert!(query("2026-09-01", "2026-11-30").days().is_ok());
        assert!(query("2026-09-01", "2026-12-01").days().is_ok());
        assert_eq!(
            query("2026-09-01", "2026-12-02").days().unwrap_err()[0].field,
            "to"
        );
        assert_eq!(
            query("2026-12-02", "2026-12-01").days().unwrap_err()[0].field,
            "to"
        );
        assert_eq!(query("1.12.2026", "x").days().unwrap_err().len(), 2);
    }

    #[test]
    fn daily_totals_fill_empty_days_and_pick_a_province() {
        let row = |day: &str, province, check_ins| DayCounts {
            day: day.into(),
            province,
            venues: 1,
            check_ins,
            declarations: 2,
        };
        let statistics = Statistics {
            from: "2026-12-01".into(),
            to: "2026-12-03".into(),
            rows: vec![
                row("2026-12-01", 1, 5),
                row("2026-12-01", 79, 7),
                row("2026-12-03", 79, 1),
            ],
        };
        let all = statistics.daily_totals(None);
        assert_eq!(
            all.iter().map(|day| day.check_ins).collect::<Vec<_>>(),
            [12, 0, 1]
        );
        assert_eq!(all[0].declarations, 4);
        assert_eq!(all[1].day, "2026-12-02");
        let hcmc = statistics.daily_totals(Some(79));
        assert_eq!(
            hcmc.iter().map(|day| day.check_ins).collect::<Vec<_>>(),
            [7, 0, 1]
        );
    }

    #[test]
    fn a_case_read_needs_a_reference_and_a_window() {
        let now = 1_800_000_000_000;
        let request = CaseRequest {
            venue_id: Uuid::nil(),
            from_ms: now - 3_600_000,
            to_ms: now,
            case_reference: "  CA-2026-0142 ".into(),
        };
        assert_eq!(
            request.validate(now).unwrap().case_reference,
            "CA-2026-0142"
        );
        let missing = CaseRequest {
            case_reference: " ".into(),
            ..request.clone()
        };
        assert_eq!(
            missing.validate(now).unwrap_err()[0].field,
            "case_reference"
        );
        let backwards = CaseRequest {
            to_ms: request.from_ms,
            ..request
        };
        assert_eq!(backwards.validate(now).unwrap_err()[0].field, "to_ms");
    }
}

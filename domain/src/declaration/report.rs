//! The report form (phản ánh): telling the health authority about a suspected case, an arrival
//! from an outbreak area, contact with such people, or an illegal entry.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::{check_place, cleaned_line, stored_line, Answers, Declaration, Kind};
use crate::date::{date_in_range, Date};
use crate::i18n::Text;
use crate::profile::Address;
use crate::submission::Content;
use crate::validation::{Checker, ErrorCode};

/// Longest free-text description.
pub const DETAILS_MAX_CHARS: usize = 1000;
/// How long ago an observation may be reported, in days.
pub const REPORT_WINDOW_DAYS: i32 = 366;

pub mod field {
    pub const SUBJECTS: &str = "answers.subjects";
    pub const PROVINCE: &str = "answers.place.province";
    pub const WARD: &str = "answers.place.ward";
    pub const OBSERVED_ON: &str = "answers.observed_on";
    pub const DETAILS: &str = "answers.details";
}

/// What is being reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReportSubject {
    SuspectedCase,
    ArrivalFromOutbreakArea,
    ContactWithSuchPeople,
    IllegalEntry,
}

impl ReportSubject {
    pub const ALL: [ReportSubject; 4] = [
        ReportSubject::SuspectedCase,
        ReportSubject::ArrivalFromOutbreakArea,
        ReportSubject::ContactWithSuchPeople,
        ReportSubject::IllegalEntry,
    ];

    pub fn text(self) -> Text {
        match self {
            ReportSubject::SuspectedCase => Text::ReportSuspectedCase,
            ReportSubject::ArrivalFromOutbreakArea => Text::ReportArrival,
            ReportSubject::ContactWithSuchPeople => Text::ReportContact,
            ReportSubject::IllegalEntry => Text::ReportIllegalEntry,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Report {
    pub subjects: BTreeSet<ReportSubject>,
    /// Where it happened: province required, ward if known; no street.
    pub place: Address,
    /// When it was noticed, `YYYY-MM-DD`.
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub observed_on: String,
    pub details: String,
}

impl Answers for Report {
    const KIND: Kind = Kind::Report;

    fn check(&self, checker: &mut Checker, today: Date) {
        checker.check(
            field::SUBJECTS,
            (!self.subjects.is_empty())
                .then_some(())
                .ok_or(ErrorCode::Required),
        );
        check_place(checker, "answers.place", &self.place, true);
        // One day of slack: the device's date may already be tomorrow in UTC terms.
        checker.check(
            field::OBSERVED_ON,
            date_in_range(
                &self.observed_on,
                today.add_days(-REPORT_WINDOW_DAYS),
                today.add_days(1),
            ),
        );
        checker.check(
            field::DETAILS,
            stored_line(&self.details, DETAILS_MAX_CHARS),
        );
    }

    fn cleaned(&self) -> Self {
        Report {
            observed_on: self.observed_on.trim().to_owned(),
            details: cleaned_line(&self.details),
            ..self.clone()
        }
    }

    fn into_content(declaration: Declaration<Self>) -> Content {
        Content::Report(declaration)
    }

    fn from_content(content: &Content) -> Option<&Declaration<Self>> {
        match content {
            Content::Report(declaration) => Some(declaration),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::refused;
    use super::*;

    #[test]
    fn a_report_needs_what_where_and_when() {
        assert_eq!(
            refused(Report::default()),
            [field::SUBJECTS, field::PROVINCE, field::OBSERVED_ON]
        );
        let report = Report {
            subjects: [ReportSubject::IllegalEntry].into(),
            place: Address {
                province: Some(22),
                ..Address::default()
            },
            observed_on: "2026-11-20".into(),
            details: "Nhóm 5 người  vượt biên đêm qua".into(),
        };
        assert_eq!(refused(report.clone()), Vec::<String>::new());
        let future = Report {
            observed_on: "2026-12-01".into(),
            ..report
        };
        assert_eq!(refused(future), [field::OBSERVED_ON]);
    }
}

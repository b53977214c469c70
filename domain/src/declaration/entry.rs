//! The entry declaration (khai báo y tế nhập cảnh), made at the border.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::{
    check_countries, check_place, cleaned_line, stored_required_line, Answers, Declaration, Kind,
    Symptom, Travel, TRAVEL_WINDOW_DAYS,
};
use crate::countries::country_code;
use crate::date::{date_in_range, Date};
use crate::profile::{Address, ID_NUMBER_LENGTH, STREET_MAX_CHARS};
use crate::submission::Content;
use crate::validation::{document_number, Checker, ErrorCode};

/// Longest border gate name (airport, land or sea port).
pub const BORDER_GATE_MAX_CHARS: usize = 100;

pub mod field {
    pub const BORDER_GATE: &str = "answers.border_gate";
    pub const PASSPORT_NUMBER: &str = "answers.passport_number";
    pub const DEPARTURE_COUNTRY: &str = "answers.departure_country";
    pub const ENTRY_DATE: &str = "answers.entry_date";
    pub const COUNTRIES: &str = "answers.visited_countries";
    pub const QUARANTINE_PROVINCE: &str = "answers.quarantine_address.province";
    pub const QUARANTINE_WARD: &str = "answers.quarantine_address.ward";
    pub const QUARANTINE_STREET: &str = "answers.quarantine_address.street";
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub border_gate: String,
    pub passport_number: String,
    pub travel: Travel,
    /// ISO 3166-1 alpha-2 code.
    pub departure_country: Option<String>,
    /// `YYYY-MM-DD`.
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub entry_date: String,
    /// Countries visited in the last 21 days.
    pub visited_countries: BTreeSet<String>,
    /// Where the person will stay (quarantine or contact address) in Vietnam.
    pub quarantine_address: Address,
    pub symptoms: BTreeSet<Symptom>,
}

impl Answers for Entry {
    const KIND: Kind = Kind::Entry;

    fn check(&self, checker: &mut Checker, today: Date) {
        checker.check(
            field::BORDER_GATE,
            stored_required_line(&self.border_gate, BORDER_GATE_MAX_CHARS),
        );
        checker.check(
            field::PASSPORT_NUMBER,
            document_number(
                &self.passport_number,
                ID_NUMBER_LENGTH.0,
                ID_NUMBER_LENGTH.1,
            )
            .and_then(|number| match number {
                Some(number) if number == self.passport_number => Ok(()),
                Some(_) => Err(ErrorCode::ControlCharacters),
                None => Err(ErrorCode::Required),
            }),
        );
        self.travel.check(checker);
        checker.check(
            field::DEPARTURE_COUNTRY,
            self.departure_country
                .as_deref()
                .ok_or(ErrorCode::Required)
                .and_then(country_code),
        );
        checker.check(
            field::ENTRY_DATE,
            date_in_range(
                &self.entry_date,
                today.add_days(-TRAVEL_WINDOW_DAYS),
                today.add_days(TRAVEL_WINDOW_DAYS),
            ),
        );
        check_countries(checker, field::COUNTRIES, &self.visited_countries);
        check_place(
            checker,
            "answers.quarantine_address",
            &self.quarantine_address,
            true,
        );
        checker.check(
            field::QUARANTINE_STREET,
            stored_required_line(&self.quarantine_address.street, STREET_MAX_CHARS),
        );
    }

    fn cleaned(&self) -> Self {
        Entry {
            border_gate: cleaned_line(&self.border_gate),
            passport_number: document_number(
                &self.passport_number,
                ID_NUMBER_LENGTH.0,
                ID_NUMBER_LENGTH.1,
            )
            .ok()
            .flatten()
            .unwrap_or_else(|| self.passport_number.clone()),
            travel: self.travel.cleaned(),
            entry_date: self.entry_date.trim().to_owned(),
            quarantine_address: Address {
                street: cleaned_line(&self.quarantine_address.street),
                ..self.quarantine_address.clone()
            },
            ..self.clone()
        }
    }

    fn into_content(declaration: Declaration<Self>) -> Content {
        Content::Entry(declaration)
    }

    fn from_content(content: &Content) -> Option<&Declaration<Self>> {
        match content {
            Content::Entry(declaration) => Some(declaration),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::refused;
    use super::super::Vehicle;
    use super::*;

    fn arrival() -> Entry {
        Entry {
            border_gate: "Sân bay quốc tế Nội Bài".into(),
            passport_number: "m1234 5678".into(),
            travel: Travel {
                vehicle: Some(Vehicle::Plane),
                vehicle_number: "KE 479".into(),
                seat: "32C".into(),
            },
            departure_country: Some("KR".into()),
            entry_date: "2026-11-21".into(),
            visited_countries: ["KR".to_string(), "JP".to_string()].into(),
            quarantine_address: Address {
                province: Some(1),
                ward: None,
                street: " 5 Tràng Tiền ".into(),
            },
            symptoms: BTreeSet::new(),
        }
    }

    #[test]
    fn a_complete_arrival_passes_once_cleaned() {
        assert_eq!(refused(arrival()), Vec::<String>::new());
        let cleaned = arrival().cleaned();
        assert_eq!(cleaned.passport_number, "M12345678");
        assert_eq!(cleaned.quarantine_address.street, "5 Tràng Tiền");
    }

    #[test]
    fn every_missing_answer_is_named() {
        assert_eq!(
            refused(Entry::default()),
            [
                field::BORDER_GATE,
                field::PASSPORT_NUMBER,
                super::super::travel_field::VEHICLE,
                field::DEPARTURE_COUNTRY,
                field::ENTRY_DATE,
                field::QUARANTINE_PROVINCE,
                field::QUARANTINE_STREET,
            ]
        );
        let bad = Entry {
            passport_number: "M-12".into(),
            departure_country: Some("XX".into()),
            entry_date: "2026-02-30".into(),
            ..arrival()
        };
        assert_eq!(
            refused(bad),
            [
                field::PASSPORT_NUMBER,
                field::DEPARTURE_COUNTRY,
                field::ENTRY_DATE
            ]
        );
    }
}

//! The domestic-move declaration (khai báo di chuyển nội địa).

use serde::{Deserialize, Serialize};

use super::{check_place, Answers, Declaration, Kind, Travel, TRAVEL_WINDOW_DAYS};
use crate::date::{date_in_range, Date};
use crate::profile::Address;
use crate::submission::Content;
use crate::validation::Checker;

pub mod field {
    pub const DEPARTURE_PROVINCE: &str = "answers.departure.province";
    pub const DEPARTURE_WARD: &str = "answers.departure.ward";
    pub const DESTINATION_PROVINCE: &str = "answers.destination.province";
    pub const DESTINATION_WARD: &str = "answers.destination.ward";
    pub const TRAVEL_DATE: &str = "answers.travel_date";
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DomesticMove {
    pub travel: Travel,
    /// Province and ward; the street is not asked.
    pub departure: Address,
    pub destination: Address,
    /// `YYYY-MM-DD`.
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub travel_date: String,
}

impl Answers for DomesticMove {
    const KIND: Kind = Kind::DomesticMove;

    fn check(&self, checker: &mut Checker, today: Date) {
        self.travel.check(checker);
        check_place(checker, "answers.departure", &self.departure, true);
        check_place(checker, "answers.destination", &self.destination, true);
        checker.check(
            field::TRAVEL_DATE,
            date_in_range(
                &self.travel_date,
                today.add_days(-TRAVEL_WINDOW_DAYS),
                today.add_days(TRAVEL_WINDOW_DAYS),
            ),
        );
    }

    fn cleaned(&self) -> Self {
        DomesticMove {
            travel: self.travel.cleaned(),
            travel_date: self.travel_date.trim().to_owned(),
            ..self.clone()
        }
    }

    fn into_content(declaration: Declaration<Self>) -> Content {
        Content::DomesticMove(declaration)
    }

    fn from_content(content: &Content) -> Option<&Declaration<Self>> {
        match content {
            Content::DomesticMove(declaration) => Some(declaration),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::refused;
    use super::super::Vehicle;
    use super::*;

    fn trip() -> DomesticMove {
        DomesticMove {
            travel: Travel {
                vehicle: Some(Vehicle::Plane),
                vehicle_number: " VN 213 ".into(),
                seat: "12A".into(),
            },
            departure: Address {
                province: Some(1),
                ward: Some(70),
                street: String::new(),
            },
            destination: Address {
                province: Some(79),
                ..Address::default()
            },
            travel_date: "2026-11-23".into(),
        }
    }

    #[test]
    fn a_complete_trip_passes_and_is_cleaned() {
        assert_eq!(refused(trip()), Vec::<String>::new());
        assert_eq!(trip().cleaned().travel.vehicle_number, "VN 213");
    }

    #[test]
    fn every_missing_answer_is_named() {
        assert_eq!(
            refused(DomesticMove::default()),
            [
                super::super::travel_field::VEHICLE,
                field::DEPARTURE_PROVINCE,
                field::DESTINATION_PROVINCE,
                field::TRAVEL_DATE
            ]
        );
        let far = DomesticMove {
            travel_date: "2028-01-01".into(),
            ..trip()
        };
        assert_eq!(refused(far), [field::TRAVEL_DATE]);
        let unknown = DomesticMove {
            departure: Address {
                province: Some(2),
                ..Address::default()
            },
            ..trip()
        };
        assert_eq!(refused(unknown), [field::DEPARTURE_PROVINCE]);
    }
}

//! The all-citizen declaration (khai báo y tế toàn dân), tokhaiyte.vn's daily form.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::{check_countries, check_provinces, Answers, Declaration, Kind, Symptom};
use crate::date::Date;
use crate::i18n::Text;
use crate::submission::Content;
use crate::validation::{Checker, ErrorCode};

/// Field paths, shared by the form's inputs, the errors and the API.
pub mod field {
    pub const PROVINCES: &str = "answers.visited_provinces";
    pub const COUNTRIES: &str = "answers.visited_countries";
    pub const SWORN_TRUTH: &str = "answers.sworn_truth";
}

/// Contact in the last 14 days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Contact {
    ConfirmedOrSuspectedCase,
    FromCountryWithCases,
    PersonWithSymptoms,
}

impl Contact {
    pub const ALL: [Contact; 3] = [
        Contact::ConfirmedOrSuspectedCase,
        Contact::FromCountryWithCases,
        Contact::PersonWithSymptoms,
    ];

    pub fn text(self) -> Text {
        match self {
            Contact::ConfirmedOrSuspectedCase => Text::ContactCase,
            Contact::FromCountryWithCases => Text::ContactFromCountry,
            Contact::PersonWithSymptoms => Text::ContactWithSymptoms,
        }
    }
}

/// Current conditions that raise the risk of a severe illness.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    ChronicLiverDisease,
    ChronicBloodDisease,
    ChronicLungDisease,
    ChronicKidneyDisease,
    HeartDisease,
    HighBloodPressure,
    HivOrImmunodeficiency,
    Transplant,
    Diabetes,
    Cancer,
    Pregnancy,
}

impl Condition {
    pub const ALL: [Condition; 11] = [
        Condition::ChronicLiverDisease,
        Condition::ChronicBloodDisease,
        Condition::ChronicLungDisease,
        Condition::ChronicKidneyDisease,
        Condition::HeartDisease,
        Condition::HighBloodPressure,
        Condition::HivOrImmunodeficiency,
        Condition::Transplant,
        Condition::Diabetes,
        Condition::Cancer,
        Condition::Pregnancy,
    ];

    pub fn text(self) -> Text {
        match self {
            Condition::ChronicLiverDisease => Text::ConditionLiver,
            Condition::ChronicBloodDisease => Text::ConditionBlood,
            Condition::ChronicLungDisease => Text::ConditionLung,
            Condition::ChronicKidneyDisease => Text::ConditionKidney,
            Condition::HeartDisease => Text::ConditionHeart,
            Condition::HighBloodPressure => Text::ConditionBloodPressure,
            Condition::HivOrImmunodeficiency => Text::ConditionImmunodeficiency,
            Condition::Transplant => Text::ConditionTransplant,
            Condition::Diabetes => Text::ConditionDiabetes,
            Condition::Cancer => Text::ConditionCancer,
            Condition::Pregnancy => Text::ConditionPregnancy,
        }
    }
}

/// The answers of the all-citizen form. Sets keep one canonical order, so the same answers always
/// serialise the same way.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AllCitizen {
    /// Provinces visited in the last 14 days.
    pub visited_provinces: BTreeSet<u16>,
    /// Countries visited in the last 14 days.
    pub visited_countries: BTreeSet<String>,
    /// Signs in the last 14 days.
    pub symptoms: BTreeSet<Symptom>,
    pub contacts: BTreeSet<Contact>,
    pub conditions: BTreeSet<Condition>,
    /// The sworn-truth commitment; the form cannot be sent without it.
    pub sworn_truth: bool,
}

impl Answers for AllCitizen {
    const KIND: Kind = Kind::AllCitizen;

    fn check(&self, checker: &mut Checker, _today: Date) {
        check_provinces(checker, field::PROVINCES, &self.visited_provinces);
        check_countries(checker, field::COUNTRIES, &self.visited_countries);
        checker.check(
            field::SWORN_TRUTH,
            self.sworn_truth.then_some(()).ok_or(ErrorCode::MustAccept),
        );
    }

    fn cleaned(&self) -> Self {
        self.clone()
    }

    fn into_content(declaration: Declaration<Self>) -> Content {
        Content::AllCitizen(declaration)
    }

    fn from_content(content: &Content) -> Option<&Declaration<Self>> {
        match content {
            Content::AllCitizen(declaration) => Some(declaration),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::refused;
    use super::*;

    #[test]
    fn sworn_truth_is_required_and_codes_are_checked() {
        assert_eq!(refused(AllCitizen::default()), [field::SWORN_TRUTH]);
        let answers = AllCitizen {
            visited_provinces: [1, 79].into(),
            visited_countries: ["KR".to_string()].into(),
            symptoms: [Symptom::Fever, Symptom::Fatigue].into(),
            contacts: [Contact::PersonWithSymptoms].into(),
            conditions: Condition::ALL.into(),
            sworn_truth: true,
        };
        assert_eq!(refused(answers.clone()), Vec::<String>::new());
        let bad = AllCitizen {
            visited_provinces: [3].into(),
            visited_countries: ["XX".to_string()].into(),
            ..answers
        };
        assert_eq!(refused(bad), [field::PROVINCES, field::COUNTRIES]);
    }

    #[test]
    fn sets_are_canonical_on_the_wire() {
        let json = r#"{"visited_provinces":[79,1,79],"visited_countries":[],"symptoms":["fatigue","fever"],"contacts":[],"conditions":[],"sworn_truth":true}"#;
        let answers: AllCitizen = serde_json::from_str(json).unwrap();
        let again = serde_json::to_string(&answers).unwrap();
        assert!(again.contains(r#""visited_provinces":[1,79]"#), "{again}");
        assert!(
            again.contains(r#""symptoms":["fever","fatigue"]"#),
            "{again}"
        );
    }
}

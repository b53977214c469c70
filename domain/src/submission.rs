//! What the app submits to the server through the outbox, and the checks both sides apply.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::profile::{field as profile_field, ProfileDraft, ProfileFields};
use crate::text::clean_line;
use crate::validation::{Checker, ErrorCode, FieldError};

/// Version of the consent text the user agreed to before declaring (DESIGN.md §7). Raised
/// whenever what is collected, why, for how long or who sees it changes.
pub const CONSENT_VERSION: u32 = 1;

/// Longest free-text description of other signs of illness.
pub const OTHER_SIGNS_MAX_CHARS: usize = 500;

/// One submission. `id` is generated on the device when the user submits and is the permanent
/// idempotency key: the server stores at most one row per id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Submission {
    pub id: Uuid,
    /// When the user submitted, device clock, milliseconds since the Unix epoch.
    pub created_at_ms: i64,
    pub content: Content,
}

/// The kinds of submission, each with its own body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    content = "body",
    rename_all = "snake_case",
    deny_unknown_fields
)]
pub enum Content {
    DailyHealth(DailyHealth),
}

/// The person a submission is about, copied from their profile when it was made, so that later
/// edits of the profile never rewrite what was submitted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub profile_id: Uuid,
    pub full_name: String,
    pub year_of_birth: u16,
    pub phone: Option<String>,
}

/// Daily health tracking (NCOVI's "theo dõi sức khỏe hằng ngày").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DailyHealth {
    pub person: Person,
    /// Made by someone else on the device for this person ("khai hộ").
    pub on_behalf: bool,
    pub fever: bool,
    pub cough: bool,
    pub shortness_of_breath: bool,
    pub other_signs: String,
    /// The consent text version agreed to; declarations without consent are refused.
    pub consent_version: u32,
}

impl Content {
    /// Stable name of the kind, as stored by the server.
    pub fn kind(&self) -> &'static str {
        match self {
            Content::DailyHealth(_) => "daily_health",
        }
    }

    /// The profile a declaration is about; `None` for submissions that are not declarations.
    pub fn profile_id(&self) -> Option<Uuid> {
        match self {
            Content::DailyHealth(daily) => Some(daily.person.profile_id),
        }
    }

    /// Re-checks every field with the same rules the app applied (the server never trusts the
    /// app). Field names are paths into `body`, such as `person.phone`.
    pub fn validate(&self, current_year: u16) -> Result<(), Vec<FieldError>> {
        match self {
            Content::DailyHealth(daily) => daily.validate(current_year),
        }
    }
}

impl Person {
    fn check(&self, checker: &mut Checker, current_year: u16) {
        let draft = ProfileDraft::from(&ProfileFields {
            full_name: self.full_name.clone(),
            year_of_birth: self.year_of_birth,
            phone: self.phone.clone(),
            address: Default::default(),
            id_number: None,
            gender: None,
            email: None,
            insurance_number: None,
        });
        match draft.validate(current_year) {
            // Stored text must already be in its cleaned form, or the copy would differ.
            Ok(clean) if clean.full_name != self.full_name => {
                checker.check::<()>(
                    &format!("person.{}", profile_field::FULL_NAME),
                    Err(ErrorCode::ControlCharacters),
                );
            }
            Ok(clean) if clean.phone != self.phone => {
                checker.check::<()>(
                    &format!("person.{}", profile_field::PHONE),
                    Err(ErrorCode::InvalidPhone),
                );
            }
            Ok(_) => {}
            Err(errors) => {
                for error in errors {
                    checker.check::<()>(&format!("person.{}", error.field), Err(error.code));
                }
            }
        }
    }
}

/// The answers of the daily health form as the user gives them: kept as a draft while typing,
/// and copied from the previous declaration only when the user asks ("same as last time").
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DailyAnswers {
    pub fever: bool,
    pub cough: bool,
    pub shortness_of_breath: bool,
    pub other_signs: String,
    pub on_behalf: bool,
}

impl DailyAnswers {
    /// The declaration these answers make for `person`.
    pub fn declare(&self, person: Person) -> DailyHealth {
        DailyHealth {
            person,
            on_behalf: self.on_behalf,
            fever: self.fever,
            cough: self.cough,
            shortness_of_breath: self.shortness_of_breath,
            other_signs: clean_line(&self.other_signs, usize::MAX)
                .unwrap_or_else(|_| self.other_signs.clone()),
            consent_version: CONSENT_VERSION,
        }
    }
}

impl From<&DailyHealth> for DailyAnswers {
    fn from(daily: &DailyHealth) -> Self {
        DailyAnswers {
            fever: daily.fever,
            cough: daily.cough,
            shortness_of_breath: daily.shortness_of_breath,
            other_signs: daily.other_signs.clone(),
            on_behalf: daily.on_behalf,
        }
    }
}

impl From<&crate::profile::Profile> for Person {
    fn from(profile: &crate::profile::Profile) -> Self {
        Person {
            profile_id: profile.id,
            full_name: profile.fields.full_name.clone(),
            year_of_birth: profile.fields.year_of_birth,
            phone: profile.fields.phone.clone(),
        }
    }
}

impl DailyHealth {
    fn validate(&self, current_year: u16) -> Result<(), Vec<FieldError>> {
        let mut checker = Checker::default();
        self.person.check(&mut checker, current_year);
        let other_signs = checker.check(
            "other_signs",
            clean_line(&self.other_signs, OTHER_SIGNS_MAX_CHARS).and_then(|clean| {
                (clean == self.other_signs)
                    .then_some(())
                    .ok_or(ErrorCode::ControlCharacters)
            }),
        );
        let consent = checker.check(
            "consent_version",
            if (1..=CONSENT_VERSION).contains(&self.consent_version) {
                Ok(())
            } else {
                Err(ErrorCode::Required)
            },
        );
        checker.finish(|| other_signs.and(consent))
    }

    /// No symptom reported.
    pub fn is_healthy(&self) -> bool {
        !(self.fever || self.cough || self.shortness_of_breath) && self.other_signs.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sample() -> Submission {
        Submission {
            id: Uuid::from_u128(0x1234),
            created_at_ms: 1_700_000_000_000,
            content: Content::DailyHealth(DailyHealth {
                person: Person {
                    profile_id: Uuid::from_u128(7),
                    full_name: "Nguyễn Văn An".into(),
                    year_of_birth: 1985,
                    phone: Some("0912345678".into()),
                },
                on_behalf: false,
                fever: false,
                cough: true,
                shortness_of_breath: false,
                other_signs: String::new(),
                consent_version: CONSENT_VERSION,
            }),
        }
    }

    #[test]
    fn wire_format_is_tagged_by_kind() {
        let json = serde_json::to_value(sample()).unwrap();
        assert_eq!(json["content"]["kind"], "daily_health");
        assert_eq!(
            json["content"]["body"]["person"]["full_name"],
            "Nguyễn Văn An"
        );
        let back: Submission = serde_json::from_value(json).unwrap();
        assert_eq!(back, sample());
    }

    #[test]
    fn unknown_fields_and_kinds_are_refused() {
        let mut json = serde_json::to_value(sample()).unwrap();
        json["content"]["body"]["extra"] = serde_json::json!(1);
        assert!(serde_json::from_value::<Submission>(json).is_err());
        let mut json = serde_json::to_value(sample()).unwrap();
        json["content"]["kind"] = serde_json::json!("teleport");
        assert!(serde_json::from_value::<Submission>(json).is_err());
        let mut json = serde_json::to_value(sample()).unwrap();
        json["id"] = serde_json::json!("not-a-uuid");
        assert!(serde_json::from_value::<Submission>(json).is_err());
    }

    #[test]
    fn valid_sample_passes() {
        assert_eq!(sample().content.validate(2026), Ok(()));
        let Content::DailyHealth(daily) = &sample().content;
        assert!(!daily.is_healthy());
    }

    #[test]
    fn bad_person_fields_are_reported_with_paths() {
        let mut submission = sample();
        let Content::DailyHealth(daily) = &mut submission.content;
        daily.person.year_of_birth = 1899;
        daily.person.phone = Some("12345".into());
        daily.person.full_name = "  ".into();
        let errors = submission.content.validate(2026).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["person.full_name", "person.year_of_birth", "person.phone"]
        );
    }

    #[test]
    fn answers_round_trip_through_a_declaration() {
        let Content::DailyHealth(daily) = sample().content;
        let answers = DailyAnswers::from(&daily);
        assert_eq!(answers.declare(daily.person.clone()), daily);
        let messy = DailyAnswers {
            other_signs: "  đau   đầu ".into(),
            ..answers
        };
        assert_eq!(messy.declare(daily.person.clone()).other_signs, "đau đầu");
    }

    #[test]
    fn consent_is_required() {
        let mut submission = sample();
        let Content::DailyHealth(daily) = &mut submission.content;
        daily.consent_version = 0;
        let errors = submission.content.validate(2026).unwrap_err();
        assert_eq!(errors[0].field, "consent_version");
        let Content::DailyHealth(daily) = &mut submission.content;
        daily.consent_version = CONSENT_VERSION + 1;
        assert!(submission.content.validate(2026).is_err());
    }

    #[test]
    fn uncleaned_text_is_refused() {
        let mut submission = sample();
        let Content::DailyHealth(daily) = &mut submission.content;
        daily.person.full_name = "Nguyễn  Văn An".into();
        daily.other_signs = "headache\u{7}".into();
        let errors = submission.content.validate(2026).unwrap_err();
        assert_eq!(errors.len(), 2);
    }

    proptest! {
        #[test]
        fn parsing_arbitrary_json_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            if let Ok(submission) = serde_json::from_slice::<Submission>(&bytes) {
                let _ = submission.content.validate(2026);
            }
        }
    }
}

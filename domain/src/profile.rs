//! Profiles: the people a device declares for (its owner and family members), kept on the device.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::countries::country_code;
use crate::text::{clean_line, personal_name};
use crate::validation::{
    document_number, email, vn_mobile, year_in_range, Checker, ErrorCode, FieldError,
};

/// Longest full name accepted; Vietnamese names with titles stay well under it.
pub const NAME_MAX_CHARS: usize = 100;
/// Earliest year of birth accepted (DESIGN.md §3.2).
pub const EARLIEST_BIRTH_YEAR: u16 = 1900;

/// Field names, shared by the form's inputs, the errors and the API.
pub mod field {
    pub const FULL_NAME: &str = "full_name";
    pub const YEAR_OF_BIRTH: &str = "year_of_birth";
    pub const PHONE: &str = "phone";
    pub const PROVINCE: &str = "province";
    pub const WARD: &str = "ward";
    pub const STREET: &str = "street";
    pub const ID_NUMBER: &str = "id_number";
    pub const EMAIL: &str = "email";
    pub const INSURANCE_NUMBER: &str = "insurance_number";
    pub const GENDER: &str = "gender";
    pub const NATIONALITY: &str = "nationality";
}

/// ID numbers: 9 (old CMND) or 12 (CCCD) digits, passports 6 to 9 letters and digits; the bounds
/// leave room for foreign passports.
pub const ID_NUMBER_LENGTH: (usize, usize) = (6, 20);
/// Health insurance card numbers: 10 (social insurance id) or 15 characters.
pub const INSURANCE_NUMBER_LENGTH: (usize, usize) = (10, 15);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Male,
    Female,
    Other,
}

/// Longest street address (house number, street, hamlet).
pub const STREET_MAX_CHARS: usize = 200;

/// What a person typed into the profile form, kept verbatim so that nothing typed is lost when
/// validation refuses it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileDraft {
    pub full_name: String,
    pub year_of_birth: String,
    pub phone: String,
    /// Codes chosen in the province and ward pickers.
    pub province: Option<u16>,
    pub ward: Option<u32>,
    pub street: String,
    pub id_number: String,
    pub gender: Option<Gender>,
    pub email: String,
    pub insurance_number: String,
    /// ISO 3166-1 alpha-2 code chosen in the country picker.
    #[serde(default)]
    pub nationality: Option<String>,
}

/// The checked content of a profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ProfileFields {
    pub full_name: String,
    pub year_of_birth: u16,
    /// Children and many elderly people have no phone of their own, so it is optional.
    pub phone: Option<String>,
    /// Where the person lives. Profiles stored before addresses existed have none.
    #[serde(default)]
    pub address: Address,
    /// The remaining fields of the declaration forms; optional in a profile (children have no ID
    /// card), required where a declaration needs them.
    #[serde(default)]
    pub id_number: Option<String>,
    #[serde(default)]
    pub gender: Option<Gender>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub insurance_number: Option<String>,
    /// ISO 3166-1 alpha-2 code.
    #[serde(default)]
    pub nationality: Option<String>,
}

/// An address in the two-level administrative units (codes of `crate::divisions`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Address {
    pub province: Option<u16>,
    pub ward: Option<u32>,
    pub street: String,
}

/// A stored profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub id: Uuid,
    #[serde(flatten)]
    pub fields: ProfileFields,
}

impl ProfileDraft {
    /// Checks every field against the rules of DESIGN.md §3.2, reporting all failures at once.
    pub fn validate(&self, current_year: u16) -> Result<ProfileFields, Vec<FieldError>> {
        let mut checker = Checker::default();
        let full_name = checker.check(
            field::FULL_NAME,
            personal_name(&self.full_name, NAME_MAX_CHARS),
        );
        let year_of_birth = checker.check(
            field::YEAR_OF_BIRTH,
            year_in_range(&self.year_of_birth, EARLIEST_BIRTH_YEAR, current_year),
        );
        let phone = if self.phone.trim().is_empty() {
            Some(None)
        } else {
            checker
                .check(field::PHONE, vn_mobile(&self.phone))
                .map(Some)
        };
        let street = checker.check(field::STREET, clean_line(&self.street, STREET_MAX_CHARS));
        let id_number = checker.check(
            field::ID_NUMBER,
            document_number(&self.id_number, ID_NUMBER_LENGTH.0, ID_NUMBER_LENGTH.1),
        );
        let email = checker.check(field::EMAIL, email(&self.email));
        let insurance_number = checker.check(
            field::INSURANCE_NUMBER,
            document_number(
                &self.insurance_number,
                INSURANCE_NUMBER_LENGTH.0,
                INSURANCE_NUMBER_LENGTH.1,
            ),
        );
        let nationality = checker.check(
            field::NATIONALITY,
            self.nationality
                .as_deref()
                .map(country_code)
                .transpose()
                .map(|_| self.nationality.clone()),
        );
        // A ward means nothing without its province.
        let province = checker.check(
            field::PROVINCE,
            match (self.province, self.ward) {
                (None, Some(_)) => Err(ErrorCode::Required),
                (Some(code), _) => crate::divisions::province_code(code).map(|()| Some(code)),
                (None, None) => Ok(None),
            },
        );
        checker.finish(|| {
            Some(ProfileFields {
                full_name: full_name?,
                year_of_birth: year_of_birth?,
                phone: phone?,
                address: Address {
                    province: province?,
                    ward: self.ward,
                    street: street?,
                },
                id_number: id_number?,
                gender: self.gender,
                email: email?,
                insurance_number: insurance_number?,
                nationality: nationality?,
            })
        })
    }
}

impl From<&ProfileFields> for ProfileDraft {
    fn from(fields: &ProfileFields) -> Self {
        ProfileDraft {
            full_name: fields.full_name.clone(),
            year_of_birth: fields.year_of_birth.to_string(),
            phone: fields.phone.clone().unwrap_or_default(),
            province: fields.address.province,
            ward: fields.address.ward,
            street: fields.address.street.clone(),
            id_number: fields.id_number.clone().unwrap_or_default(),
            gender: fields.gender,
            email: fields.email.clone().unwrap_or_default(),
            insurance_number: fields.insurance_number.clone().unwrap_or_default(),
            nationality: fields.nationality.clone(),
        }
    }
}

impl Profile {
    pub fn new(fields: ProfileFields) -> Self {
        Profile {
            id: Uuid::new_v4(),
            fields,
        }
    }
}

/// Whether a declaration for `profile_id` starts as made on the person's behalf ("khai hộ"):
/// yes for everyone but the device's owner, the person whose profile was made first on it. When
/// the owner is not known (their profile was deleted, or made before this was kept) nothing is
/// assumed and the person ticks it themselves.
pub fn on_behalf_by_default(profile_id: Uuid, device_owner: Option<Uuid>) -> bool {
    device_owner.is_some_and(|owner| owner != profile_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_family_members_declare_on_behalf_by_default() {
        let (owner, mother) = (Uuid::from_u128(1), Uuid::from_u128(2));
        assert!(!on_behalf_by_default(owner, Some(owner)));
        assert!(on_behalf_by_default(mother, Some(owner)));
        assert!(!on_behalf_by_default(mother, None));
    }
    use proptest::prelude::*;

    fn draft(name: &str, year: &str, phone: &str) -> ProfileDraft {
        ProfileDraft {
            full_name: name.into(),
            year_of_birth: year.into(),
            phone: phone.into(),
            ..ProfileDraft::default()
        }
    }

    #[test]
    fn valid_profile_is_cleaned() {
        let fields = draft("  Trần  Thị Bình ", "1948", "+84 912 345 678")
            .validate(2026)
            .unwrap();
        assert_eq!(
            fields,
            ProfileFields {
                full_name: "Trần Thị Bình".into(),
                year_of_birth: 1948,
                phone: Some("0912345678".into()),
                address: Address::default(),
                id_number: None,
                gender: None,
                email: None,
                insurance_number: None,
                nationality: None,
            }
        );
    }

    #[test]
    fn phone_is_optional() {
        let fields = draft("Bé Na", "2020", "  ").validate(2026).unwrap();
        assert_eq!(fields.phone, None);
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let errors = draft("", "1899", "12345").validate(2026).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [field::FULL_NAME, field::YEAR_OF_BIRTH, field::PHONE]
        );
        assert_eq!(errors[0].code, ErrorCode::Required);
        assert_eq!(
            errors[1].code,
            ErrorCode::OutOfRange {
                min: 1900,
                max: 2026
            }
        );
        assert_eq!(errors[2].code, ErrorCode::InvalidPhone);
    }

    #[test]
    fn four_bad_fields_at_once() {
        let mut bad = draft("", "1899", "12345");
        bad.email = "a@".into();
        let errors = bad.validate(2026).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                field::FULL_NAME,
                field::YEAR_OF_BIRTH,
                field::PHONE,
                field::EMAIL
            ]
        );
    }

    #[test]
    fn documents_are_normalised() {
        let mut person = draft("An", "1990", "");
        person.id_number = "0790 8500 1234".into();
        person.insurance_number = "dn4797912345678".into();
        person.email = "An@Example.VN".into();
        person.gender = Some(Gender::Female);
        person.nationality = Some("KR".into());
        let fields = person.validate(2026).unwrap();
        assert_eq!(fields.nationality.as_deref(), Some("KR"));
        person.nationality = Some("ZZ".into());
        assert_eq!(
            person.validate(2026).unwrap_err()[0].field,
            field::NATIONALITY
        );
        assert_eq!(fields.id_number.as_deref(), Some("079085001234"));
        assert_eq!(fields.insurance_number.as_deref(), Some("DN4797912345678"));
        assert_eq!(fields.email.as_deref(), Some("An@example.vn"));
        assert_eq!(fields.gender, Some(Gender::Female));
    }

    #[test]
    fn ward_needs_its_province() {
        let mut with_ward = draft("An", "1990", "");
        with_ward.ward = Some(26_740);
        let errors = with_ward.validate(2026).unwrap_err();
        assert_eq!(errors[0].field, field::PROVINCE);
        with_ward.province = Some(79);
        with_ward.street = " 12  Võ Văn Ngân ".into();
        let address = with_ward.validate(2026).unwrap().address;
        assert_eq!(address.street, "12 Võ Văn Ngân");
        assert_eq!((address.province, address.ward), (Some(79), Some(26_740)));
    }

    #[test]
    fn profiles_stored_before_addresses_still_load() {
        let old = r#"{"id":"8a6e0804-2bd0-4672-b79d-d97027f9071a","full_name":"An","year_of_birth":1990,"phone":null}"#;
        let profile: Profile = serde_json::from_str(old).unwrap();
        assert_eq!(profile.fields.address, Address::default());
    }

    #[test]
    fn markup_and_emoji_are_not_names() {
        for name in [
            "<img src=x onerror=alert(1)>",
            "BÉ NA 😀",
            "=HYPERLINK(\"x\")",
        ] {
            let errors = draft(name, "1990", "").validate(2026).unwrap_err();
            let expected = FieldError {
                field: field::FULL_NAME.into(),
                code: ErrorCode::NameCharacters,
            };
            assert_eq!(errors, [expected]);
        }
    }

    proptest! {
        #[test]
        fn draft_of_valid_fields_validates_to_the_same(
            name in "\\p{L}{1,20}( \\p{L}{1,20}){0,3}",
            year in 1900u16..=2026,
            phone in proptest::option::of("0[35789][0-9]{8}"),
            id_number in proptest::option::of("[0-9A-Z]{6,20}"),
        ) {
            let fields = ProfileFields {
                full_name: name,
                year_of_birth: year,
                phone,
                address: Address::default(),
                id_number,
                gender: None,
                email: None,
                insurance_number: None,
                nationality: Some("VN".into()),
            };
            prop_assert_eq!(ProfileDraft::from(&fields).validate(2026), Ok(fields));
        }

        #[test]
        fn validate_never_panics(name in "\\PC{0,120}", year in "\\PC{0,8}", phone in "\\PC{0,20}") {
            let _ = draft(&name, &year, &phone).validate(2026);
        }
    }
}

//! Control points (DESIGN.md §4): what a venue manager registers, checked the same way by the app
//! and the server.

use serde::{Deserialize, Serialize};

use crate::divisions::province_code;
use crate::poster::VenueType;
use crate::text::{clean_line, required_line};
use crate::validation::{vn_mobile, Checker, ErrorCode, FieldError};

pub const NAME_MAX_CHARS: usize = 100;
pub const STREET_MAX_CHARS: usize = 200;
pub const INTRO_MAX_CHARS: usize = 500;
/// Bounds of the default stay, in minutes: five minutes to a day.
pub const STAY_MINUTES: (u16, u16) = (5, 1440);
pub const DEFAULT_STAY_MINUTES: u16 = 60;

pub mod field {
    pub const NAME: &str = "name";
    pub const VENUE_TYPE: &str = "venue_type";
    pub const PHONE: &str = "phone";
    pub const PROVINCE: &str = "province";
    pub const WARD: &str = "ward";
    pub const STREET: &str = "street";
    pub const POSITION: &str = "position";
    pub const INTRO: &str = "intro";
    pub const DEFAULT_STAY: &str = "default_stay_minutes";
}

/// A GPS position from the browser's geolocation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Position {
    pub latitude: f64,
    pub longitude: f64,
}

/// The registration form as typed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct VenueDraft {
    pub name: String,
    pub venue_type: Option<VenueType>,
    pub phone: String,
    pub province: Option<u16>,
    pub ward: Option<u32>,
    pub street: String,
    pub position: Option<Position>,
    pub intro: String,
    pub default_stay_minutes: String,
}

impl Default for VenueDraft {
    fn default() -> Self {
        VenueDraft {
            name: String::new(),
            venue_type: None,
            phone: String::new(),
            province: None,
            ward: None,
            street: String::new(),
            position: None,
            intro: String::new(),
            default_stay_minutes: DEFAULT_STAY_MINUTES.to_string(),
        }
    }
}

/// A checked registration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VenueFields {
    pub name: String,
    pub venue_type: VenueType,
    pub phone: Option<String>,
    pub province: u16,
    pub ward: Option<u32>,
    pub street: String,
    pub position: Option<Position>,
    pub intro: String,
    pub default_stay_minutes: u16,
}

impl VenueDraft {
    pub fn validate(&self) -> Result<VenueFields, Vec<FieldError>> {
        let mut checker = Checker::default();
        let name = checker.check(field::NAME, required_line(&self.name, NAME_MAX_CHARS));
        let venue_type = checker.check(
            field::VENUE_TYPE,
            self.venue_type.ok_or(ErrorCode::Required),
        );
        let phone = if self.phone.trim().is_empty() {
            Some(None)
        } else {
            checker
                .check(field::PHONE, vn_mobile(&self.phone))
                .map(Some)
        };
        let province = checker.check(
            field::PROVINCE,
            self.province
                .ok_or(ErrorCode::Required)
                .and_then(|code| province_code(code).map(|()| code)),
        );
        let street = checker.check(field::STREET, required_line(&self.street, STREET_MAX_CHARS));
        let position = checker.check(
            field::POSITION,
            match self.position {
                Some(at)
                    if !(-90.0..=90.0).contains(&at.latitude)
                        || !(-180.0..=180.0).contains(&at.longitude) =>
                {
                    Err(ErrorCode::OutOfRange {
                        min: -180,
                        max: 180,
                    })
                }
                other => Ok(other),
            },
        );
        let intro = checker.check(field::INTRO, clean_line(&self.intro, INTRO_MAX_CHARS));
        let stay = checker.check(
            field::DEFAULT_STAY,
            crate::validation::number_in_range(
                &self.default_stay_minutes,
                STAY_MINUTES.0.into(),
                STAY_MINUTES.1.into(),
            ),
        );
        checker.finish(|| {
            Some(VenueFields {
                name: name?,
                venue_type: venue_type?,
                phone: phone?,
                province: province?,
                ward: self.ward,
                street: street?,
                position: position?,
                intro: intro?,
                default_stay_minutes: u16::try_from(stay?).ok()?,
            })
        })
    }
}

/// Characters of the short code printed under a poster's QR, typed when the camera fails: no
/// 0/O, 1/I/L, so that they survive being read aloud and typed.
pub const SHORT_CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
pub const SHORT_CODE_LEN: usize = 8;

/// A short code made of `random` bytes, one character each.
pub fn short_code(random: &[u8; SHORT_CODE_LEN]) -> String {
    random
        .iter()
        .map(|byte| SHORT_CODE_ALPHABET[usize::from(*byte) % SHORT_CODE_ALPHABET.len()] as char)
        .collect()
}

/// A short code as typed, as stored: case, spaces, dashes and other punctuation do not matter
/// (`abcd-efgh` is `ABCDEFGH`).
pub fn normalise_short_code(typed: &str) -> String {
    typed
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn market() -> VenueDraft {
        VenueDraft {
            name: " Chợ  Bến Thành ".into(),
            venue_type: Some(VenueType::Market),
            phone: "0912 345 678".into(),
            province: Some(79),
            ward: Some(26_740),
            street: "Lê Lợi".into(),
            position: Some(Position {
                latitude: 10.772,
                longitude: 106.698,
            }),
            intro: String::new(),
            default_stay_minutes: "45".into(),
        }
    }

    #[test]
    fn a_registration_is_cleaned() {
        let fields = market().validate().unwrap();
        assert_eq!(fields.name, "Chợ Bến Thành");
        assert_eq!(fields.phone.as_deref(), Some("0912345678"));
        assert_eq!(fields.default_stay_minutes, 45);
    }

    #[test]
    fn every_bad_field_is_named() {
        let bad = VenueDraft {
            name: String::new(),
            venue_type: None,
            phone: "123".into(),
            province: Some(2),
            street: String::new(),
            position: Some(Position {
                latitude: 91.0,
                longitude: 0.0,
            }),
            default_stay_minutes: "0".into(),
            ..market()
        };
        let fields: Vec<String> = bad
            .validate()
            .unwrap_err()
            .into_iter()
            .map(|error| error.field)
            .collect();
        assert_eq!(
            fields,
            [
                field::NAME,
                field::VENUE_TYPE,
                field::PHONE,
                field::PROVINCE,
                field::STREET,
                field::POSITION,
                field::DEFAULT_STAY
            ]
        );
    }

    #[test]
    fn short_codes_use_the_unambiguous_alphabet() {
        assert_eq!(short_code(&[0, 1, 2, 30, 31, 32, 254, 255]), "234Z2389");
        for confusable in "01OIL".bytes() {
            assert!(!SHORT_CODE_ALPHABET.contains(&confusable));
        }
        assert_eq!(normalise_short_code(" abcd-efgh "), "ABCDEFGH");
        assert_eq!(normalise_short_code("Ab Cd\u{2013}ẞ9"), "ABCD9");
        assert_eq!(normalise_short_code(""), "");
    }

    proptest! {
        #[test]
        fn a_short_code_survives_being_typed_in_any_case_with_dashes(
            random in any::<[u8; SHORT_CODE_LEN]>(),
            split in 0..=SHORT_CODE_LEN,
        ) {
            let code = short_code(&random);
            prop_assert_eq!(code.len(), SHORT_CODE_LEN);
            prop_assert!(code.bytes().all(|byte| SHORT_CODE_ALPHABET.contains(&byte)));
            prop_assert_eq!(normalise_short_code(&code), code.clone());
            let typed = format!("{}- {}", code[..split].to_lowercase(), &code[split..]);
            prop_assert_eq!(normalise_short_code(&typed), code);
        }

        #[test]
        fn validate_never_panics(name in "\\PC{0,120}", stay in "\\PC{0,8}", latitude in any::<f64>()) {
            let draft = VenueDraft {
                name,
                default_stay_minutes: stay,
                position: Some(Position { latitude, longitude: 0.0 }),
                ..market()
            };
            let _ = draft.validate();
        }
    }
}

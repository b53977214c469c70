//! Field-level validation results shared by the app (shown next to fields) and the server
//! (returned as the machine-readable body of a 422 answer).

use serde::{Deserialize, Serialize};

/// Why one field was refused. Serialised with a `code` tag so the API's 422 body is stable and the
/// app can translate it (`crate::i18n::error_message`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum ErrorCode {
    #[error("required")]
    Required,
    #[error("longer than {max} characters")]
    TooLong { max: usize },
    #[error("contains control characters")]
    ControlCharacters,
    #[error("contains invisible or text-direction characters")]
    InvisibleCharacters,
    /// A personal name with something other than letters in it: emoji, pictographs, symbols or
    /// digits, which no name has and which a venue's visitor list would show.
    #[error("a name has letters, spaces, hyphens, apostrophes and dots only")]
    NameCharacters,
    #[error("not a whole number")]
    NotANumber,
    #[error("outside {min}..={max}")]
    OutOfRange { min: i64, max: i64 },
    #[error("not a Vietnamese mobile number")]
    InvalidPhone,
    #[error("not an email address")]
    InvalidEmail,
    #[error("only letters and digits, {min} to {max} of them")]
    InvalidDocumentNumber { min: usize, max: usize },
    #[error("not a date")]
    InvalidDate,
    #[error("not between {earliest} and {latest}")]
    DateOutOfRange {
        earliest: crate::date::Date,
        latest: crate::date::Date,
    },
    #[error("not one of the listed choices")]
    UnknownChoice,
    #[error("more than {max} chosen")]
    TooMany { max: usize },
    #[error("must be accepted")]
    MustAccept,
    /// A field the API does not know: refused rather than dropped, so a misspelt name never
    /// loses what was sent under it.
    #[error("not a known field")]
    UnknownField,
    /// A value of the wrong JSON type or outside its choices (a number where text belongs).
    #[error("not a value this field takes")]
    InvalidValue,
    /// Stamped more than a day ahead of the receiving clock.
    #[error("the device clock is ahead of the real time")]
    DeviceClockAhead,
    /// Made longer ago than data is kept.
    #[error("older than the {days} days data is kept")]
    PastRetention { days: i64 },
}

/// One refused field: its name as used in the API's JSON and the form, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    pub field: String,
    #[serde(flatten)]
    pub code: ErrorCode,
}

/// Collects field errors while a whole form is checked, so every bad field is reported at once
/// instead of one per attempt.
#[derive(Debug, Default)]
pub struct Checker {
    errors: Vec<FieldError>,
}

impl Checker {
    /// Records the error of `result` under `field` and returns its value, if any.
    pub fn check<T>(&mut self, field: &str, result: Result<T, ErrorCode>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(code) => {
                self.errors.push(FieldError {
                    field: field.to_owned(),
                    code,
                });
                None
            }
        }
    }

    /// `Ok(value)` when no field failed, else every error in the order fields were checked.
    ///
    /// `build` runs only when all checks passed; it receives nothing, so it captures the `Option`s
    /// returned by [`Checker::check`], which are all `Some` at that point.
    pub fn finish<T>(self, build: impl FnOnce() -> Option<T>) -> Result<T, Vec<FieldError>> {
        if self.errors.is_empty() {
            // Every check returned Some, so `build` can unwrap them all.
            build().ok_or(self.errors)
        } else {
            Err(self.errors)
        }
    }
}

/// Parses a year typed in a form and checks it lies in `min..=max`.
pub fn year_in_range(input: &str, min: u16, max: u16) -> Result<u16, ErrorCode> {
    number_in_range(input, min.into(), max.into()).map(|year| year as u16)
}

/// Parses a whole number typed in a form and checks it lies in `min..=max`.
pub fn number_in_range(input: &str, min: u32, max: u32) -> Result<u32, ErrorCode> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(ErrorCode::Required);
    }
    let number: u32 = trimmed.parse().map_err(|_| ErrorCode::NotANumber)?;
    if number < min || number > max {
        return Err(ErrorCode::OutOfRange {
            min: min.into(),
            max: max.into(),
        });
    }
    Ok(number)
}

/// Mobile prefixes in use in Vietnam after the 2018 renumbering (03x Viettel, 05x Vietnamobile,
/// 07x MobiFone, 08x VinaPhone/others, 09x all carriers).
const MOBILE_PREFIXES: [char; 5] = ['3', '5', '7', '8', '9'];

/// Normalises a Vietnamese mobile number to its national form `0XXXXXXXXX` (10 digits).
///
/// Accepts the `0` and `+84`/`84` prefixes and the separators people type (spaces, dots, dashes,
/// brackets). Landlines and short codes are refused: the number must be able to receive an SMS.
pub fn vn_mobile(input: &str) -> Result<String, ErrorCode> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(ErrorCode::Required);
    }
    let compact: String = trimmed
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')'))
        .collect();
    let (international, digits) = match compact.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, compact.as_str()),
    };
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ErrorCode::InvalidPhone);
    }
    let subscriber = if let Some(national) = digits.strip_prefix("84").filter(|d| d.len() == 9) {
        national
    } else if international {
        return Err(ErrorCode::InvalidPhone);
    } else if let Some(national) = digits.strip_prefix('0') {
        national
    } else {
        return Err(ErrorCode::InvalidPhone);
    };
    let valid = subscriber.len() == 9
        && subscriber
            .chars()
            .next()
            .is_some_and(|c| MOBILE_PREFIXES.contains(&c));
    if valid {
        Ok(format!("0{subscriber}"))
    } else {
        Err(ErrorCode::InvalidPhone)
    }
}

/// Longest email address (RFC 5321 path limit).
pub const EMAIL_MAX: usize = 254;

/// Checks the syntax of an optional email address: one `@`, a local part, a domain of dot-separated
/// labels with a top-level domain, no spaces or control characters. Delivery is not checked.
pub fn email(input: &str) -> Result<Option<String>, ErrorCode> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    if trimmed.chars().count() > EMAIL_MAX {
        return Err(ErrorCode::TooLong { max: EMAIL_MAX });
    }
    let (local, domain) = trimmed.split_once('@').ok_or(ErrorCode::InvalidEmail)?;
    let labels: Vec<&str> = domain.split('.').collect();
    let valid = !local.is_empty()
        && local.len() <= 64
        && !trimmed
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || crate::text::is_format_character(c))
        && !domain.contains('@')
        && labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
        && labels.last().is_some_and(|tld| tld.chars().count() >= 2);
    if valid {
        Ok(Some(format!("{local}@{}", domain.to_lowercase())))
    } else {
        Err(ErrorCode::InvalidEmail)
    }
}

/// Normalises an optional document number (ID card, passport, insurance card): spaces and dashes
/// removed, letters upper-cased, then only ASCII letters and digits, `min..=max` of them.
pub fn document_number(input: &str, min: usize, max: usize) -> Result<Option<String>, ErrorCode> {
    let compact: String = input
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.'))
        .flat_map(char::to_uppercase)
        .collect();
    if compact.is_empty() {
        return Ok(None);
    }
    let length = compact.chars().count();
    if compact.chars().all(|c| c.is_ascii_alphanumeric()) && (min..=max).contains(&length) {
        Ok(Some(compact))
    } else {
        Err(ErrorCode::InvalidDocumentNumber { min, max })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn phone_forms_normalise_to_national() {
        for input in [
            "0912345678",
            "091 234 5678",
            "091.234.5678",
            "+84912345678",
            "+84 91 234 5678",
            "84912345678",
            "(+84) 912-345-678",
        ] {
            assert_eq!(vn_mobile(input).as_deref(), Ok("0912345678"), "{input}");
        }
    }

    #[test]
    fn phone_refusals() {
        assert_eq!(vn_mobile(""), Err(ErrorCode::Required));
        for input in [
            "12345",
            "0212345678",  // landline prefix
            "091234567",   // too short
            "09123456789", // too long
            "+1 912345678",
            "+0912345678",
            "0912a45678",
            "٠٩١٢٣٤٥٦٧٨", // Arabic-Indic digits
        ] {
            assert_eq!(vn_mobile(input), Err(ErrorCode::InvalidPhone), "{input}");
        }
    }

    #[test]
    fn year_bounds() {
        assert_eq!(year_in_range("1900", 1900, 2026), Ok(1900));
        assert_eq!(year_in_range(" 2026 ", 1900, 2026), Ok(2026));
        assert_eq!(
            year_in_range("1899", 1900, 2026),
            Err(ErrorCode::OutOfRange {
                min: 1900,
                max: 2026
            })
        );
        assert_eq!(
            year_in_range("2027", 1900, 2026),
            Err(ErrorCode::OutOfRange {
                min: 1900,
                max: 2026
            })
        );
        assert_eq!(year_in_range("", 1900, 2026), Err(ErrorCode::Required));
        assert_eq!(
            year_in_range("19x0", 1900, 2026),
            Err(ErrorCode::NotANumber)
        );
        assert_eq!(
            year_in_range("99999999999999", 1900, 2026),
            Err(ErrorCode::NotANumber)
        );
    }

    #[test]
    fn emails() {
        assert_eq!(email(""), Ok(None));
        assert_eq!(
            email(" An.Nguyen@Example.VN ").unwrap().as_deref(),
            Some("An.Nguyen@example.vn")
        );
        for bad in [
            "a@", "@b.vn", "a@b", "a b@c.vn", "a@b..vn", "a@-b.vn", "a@b.c", "a@@b.vn", "ab.vn",
        ] {
            assert_eq!(email(bad), Err(ErrorCode::InvalidEmail), "{bad}");
        }
    }

    #[test]
    fn document_numbers() {
        assert_eq!(
            document_number(" 0790 8500 1234 ", 6, 20)
                .unwrap()
                .as_deref(),
            Some("079085001234")
        );
        assert_eq!(
            document_number("c1234567", 6, 20).unwrap().as_deref(),
            Some("C1234567")
        );
        assert_eq!(document_number("", 6, 20), Ok(None));
        let refused = Err(ErrorCode::InvalidDocumentNumber { min: 6, max: 20 });
        assert_eq!(document_number("12345", 6, 20), refused);
        assert_eq!(document_number("0790/85", 6, 20), refused);
        assert_eq!(document_number("ĐV123456", 6, 20), refused);
    }

    #[test]
    fn field_error_json_is_flat_and_tagged() {
        let error = FieldError {
            field: "phone".into(),
            code: ErrorCode::TooLong { max: 5 },
        };
        let json = serde_json::to_value(&error).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"field": "phone", "code": "too_long", "max": 5})
        );
        let back: FieldError = serde_json::from_value(json).unwrap();
        assert_eq!(back, error);
    }

    proptest! {
        #[test]
        fn normalised_phones_are_stable(n in 0u64..1_000_000_000, prefix in 0usize..3) {
            let national = format!("0{n:09}");
            let typed = match prefix {
                0 => national.clone(),
                1 => format!("+84{}", &national[1..]),
                _ => format!("84 {}", &national[1..]),
            };
            match vn_mobile(&typed) {
                Ok(out) => {
                    prop_assert_eq!(&out, &national);
                    prop_assert_eq!(vn_mobile(&out), Ok(out.clone()));
                }
                Err(code) => prop_assert_eq!(code, ErrorCode::InvalidPhone),
            }
        }

        #[test]
        fn phone_never_panics(s in "\\PC{0,30}") {
            let _ = vn_mobile(&s);
        }

        #[test]
        fn accepted_emails_and_numbers_are_stable(s in "\\PC{0,40}") {
            if let Ok(Some(clean)) = email(&s) {
                prop_assert_eq!(email(&clean), Ok(Some(clean.clone())));
            }
            if let Ok(Some(clean)) = document_number(&s, 6, 20) {
                prop_assert_eq!(document_number(&clean, 6, 20), Ok(Some(clean.clone())));
            }
        }
    }
}

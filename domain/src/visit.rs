//! Visits (DESIGN.md §3.4, §4): a person checks in at a venue by scanning its poster, and out
//! when leaving. What a venue may see of its visitors is masked here, and its CSV export is made
//! safe here, so that the server's views and exports cannot differ.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::date::Date;
use crate::declaration::Person;
use crate::poster::ScannedPoster;
use crate::profile::{Address, Profile, ProfileFields};
use crate::validation::{Checker, ErrorCode, FieldError};

/// Arriving or leaving.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Arrival,
    Departure,
}

/// Who checks in: only what a venue's visitor list needs (DESIGN.md §7, data minimisation),
/// never the rest of the profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Visitor {
    pub profile_id: Uuid,
    pub full_name: String,
    pub year_of_birth: u16,
    pub phone: Option<String>,
    pub id_number: Option<String>,
}

impl From<&Profile> for Visitor {
    fn from(profile: &Profile) -> Self {
        Visitor {
            profile_id: profile.id,
            full_name: profile.fields.full_name.clone(),
            year_of_birth: profile.fields.year_of_birth,
            phone: profile.fields.phone.clone(),
            id_number: profile.fields.id_number.clone(),
        }
    }
}

impl Visitor {
    /// The same checks as the profile form's, on these fields.
    fn check(&self, checker: &mut Checker, today: Date) {
        Person {
            profile_id: self.profile_id,
            details: ProfileFields {
                full_name: self.full_name.clone(),
                year_of_birth: self.year_of_birth,
                phone: self.phone.clone(),
                address: Address::default(),
                id_number: self.id_number.clone(),
                gender: None,
                email: None,
                insurance_number: None,
                nationality: None,
            },
        }
        .check_details(checker, today, "visitor");
    }
}

/// One check-in or check-out, sent through the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckIn {
    pub visitor: Visitor,
    /// Made by someone else on the device for this person.
    pub on_behalf: bool,
    /// The poster code as scanned (`1.<payload>.<signature>`, without the URL around it).
    pub poster: String,
    /// Shared by the arrival and the departure of one visit.
    pub visit_id: Uuid,
    pub direction: Direction,
}

/// Longest poster code accepted (a version 10 QR holds far less).
pub const POSTER_MAX_CHARS: usize = 400;

impl CheckIn {
    /// Checks the person and that the poster code is well formed; the server also checks its
    /// signature and that the poster is current.
    pub fn validate(&self, today: Date) -> Result<(), Vec<FieldError>> {
        let mut checker = Checker::default();
        self.visitor.check(&mut checker, today);
        checker.check(
            "poster",
            if self.poster.len() > POSTER_MAX_CHARS {
                Err(ErrorCode::TooLong {
                    max: POSTER_MAX_CHARS,
                })
            } else {
                ScannedPoster::parse(&self.poster)
                    .map(drop)
                    .map_err(|_| ErrorCode::UnknownChoice)
            },
        );
        checker.finish(|| Some(()))
    }
}

/// A name as venues see it: the family name in full, the other names as initials, in capitals
/// (`Nguyễn Văn An` → `NGUYỄN V. A`).
pub fn mask_name(name: &str) -> String {
    let words: Vec<String> = name.split_whitespace().map(str::to_uppercase).collect();
    let initial = |word: &String| word.chars().next().map(String::from).unwrap_or_default();
    match words.as_slice() {
        [] => String::new(),
        [only] => only.clone(),
        [family, middle @ .., given] => {
            let mut parts = vec![family.clone()];
            parts.extend(middle.iter().map(|word| format!("{}.", initial(word))));
            parts.push(initial(given));
            parts.join(" ")
        }
    }
}

/// A phone number as venues see it: the first and last two digits (`0912345610` → `09******10`).
pub fn mask_phone(phone: &str) -> String {
    let digits: Vec<char> = phone.chars().collect();
    if digits.len() <= 4 {
        return "*".repeat(digits.len());
    }
    let (head, rest) = digits.split_at(2);
    let (middle, tail) = rest.split_at(rest.len() - 2);
    format!(
        "{}{}{}",
        head.iter().collect::<String>(),
        "*".repeat(middle.len()),
        tail.iter().collect::<String>()
    )
}

/// An ID or passport number as venues see it: the last three characters (`******509`).
pub fn mask_document(number: &str) -> String {
    let chars: Vec<char> = number.chars().collect();
    let shown = chars.len().min(3);
    format!(
        "******{}",
        chars[chars.len() - shown..].iter().collect::<String>()
    )
}

/// One CSV field (RFC 4180), made inert for spreadsheets: text that a spreadsheet would read as
/// a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return, also after leading
/// spaces) gets a leading apostrophe, and fields with separators, quotes or line breaks are
/// quoted with inner quotes doubled.
pub fn csv_field(text: &str) -> String {
    let trigger = |c: char| matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r');
    let first_visible = text.trim_start_matches(' ').chars().next();
    let neutral = if text.starts_with(trigger) || first_visible.is_some_and(trigger) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if neutral.contains([',', '"', '\n', '\r', '\t']) || neutral.starts_with(' ') {
        format!("\"{}\"", neutral.replace('"', "\"\""))
    } else {
        neutral
    }
}

/// One CSV line of `fields`, ended with CRLF as RFC 4180 asks.
pub fn csv_line<S: AsRef<str>>(fields: &[S]) -> String {
    let mut line = fields
        .iter()
        .map(|field| csv_field(field.as_ref()))
        .collect::<Vec<_>>()
        .join(",");
    line.push_str("\r\n");
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_check_in_carries_only_what_the_venue_list_needs() {
        let profile = Profile {
            id: Uuid::from_u128(1),
            fields: ProfileFields {
                full_name: "Nguyễn Văn An".into(),
                year_of_birth: 1985,
                phone: Some("0912345678".into()),
                address: Address {
                    province: Some(79),
                    ward: None,
                    street: "12 Võ Văn Ngân".into(),
                },
                id_number: Some("079085001234".into()),
                gender: Some(crate::profile::Gender::Male),
                email: Some("an@example.vn".into()),
                insurance_number: Some("DN4797912345678".into()),
                nationality: Some("VN".into()),
            },
        };
        let check_in = CheckIn {
            visitor: Visitor::from(&profile),
            on_behalf: false,
            poster: "1.x.y".into(),
            visit_id: Uuid::from_u128(2),
            direction: Direction::Arrival,
        };
        let json = serde_json::to_string(&check_in).unwrap();
        for private in ["Võ Văn Ngân", "an@example.vn", "DN4797912345678", "male"] {
            assert!(!json.contains(private), "{private} in {json}");
        }
        // The poster is checked; the visitor's fields are checked like a profile's.
        let today = Date::parse("2026-11-22").unwrap();
        let errors = check_in.validate(today).unwrap_err();
        assert_eq!(errors[0].field, "poster");
        let unclean = CheckIn {
            visitor: Visitor {
                phone: Some("12345".into()),
                ..check_in.visitor.clone()
            },
            ..check_in
        };
        assert_eq!(
            unclean.validate(today).unwrap_err()[0].field,
            "visitor.phone"
        );
    }

    #[test]
    fn names_phones_and_documents_are_masked() {
        assert_eq!(mask_name("Nguyễn Văn An"), "NGUYỄN V. A");
        assert_eq!(mask_name("  Trần Thị Bình  Minh "), "TRẦN T. B. M");
        assert_eq!(mask_name("Lê An"), "LÊ A");
        assert_eq!(mask_name("Kim"), "KIM");
        assert_eq!(mask_name(""), "");
        assert_eq!(mask_phone("0912345610"), "09******10");
        assert_eq!(mask_phone("123"), "***");
        assert_eq!(mask_document("079085001509"), "******509");
        assert_eq!(mask_document("M1"), "******M1");
    }

    #[test]
    fn spreadsheet_formulas_are_neutralised() {
        assert_eq!(
            csv_field(r#"=HYPERLINK("http://x")"#),
            r#""'=HYPERLINK(""http://x"")""#
        );
        assert_eq!(csv_field("+1+1"), "'+1+1");
        assert_eq!(csv_field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_field("-2"), "'-2");
        assert_eq!(csv_field("\t=1"), "\"'\t=1\"");
        assert_eq!(csv_field("\r=1"), "\"'\r=1\"");
        assert_eq!(csv_field("  =1"), "'  =1");
        assert_eq!(csv_field("Nguyễn, An"), "\"Nguyễn, An\"");
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_line(&["a", "b,c"]), "a,\"b,c\"\r\n");
    }

    proptest! {
        #[test]
        fn no_field_can_start_a_formula(text in "\\PC{0,30}|[=+@\\-\\t\\r ].{0,10}") {
            let field = csv_field(&text);
            let unquoted = field.strip_prefix('"').unwrap_or(&field);
            let first = unquoted.trim_start_matches(' ').chars().next();
            prop_assert!(!matches!(first, Some('=' | '+' | '-' | '@' | '\t' | '\r')), "{field:?}");
        }

        #[test]
        fn masking_never_panics(text in "\\PC{0,40}") {
            let _ = (mask_name(&text), mask_phone(&text), mask_document(&text));
        }
    }
}

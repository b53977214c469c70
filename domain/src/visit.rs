//! Visits (DESIGN.md §3.4, §4): a person checks in at a venue by scanning its poster, and out
//! when leaving. What a venue may see of its visitors is masked here, and its CSV export is made
//! safe here, so that the server's views and exports cannot differ.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::date::Date;
use crate::declaration::Person;
use crate::poster::ScannedPoster;
use crate::validation::{Checker, ErrorCode, FieldError};

/// Arriving or leaving.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Arrival,
    Departure,
}

/// One check-in or check-out, sent through the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckIn {
    pub person: Person,
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
        self.person.check_details(&mut checker, today);
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

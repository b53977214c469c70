//! Daily health tracking (NCOVI's "theo dõi sức khỏe hằng ngày").

use serde::{Deserialize, Serialize};

use super::{cleaned_line, stored_line, Answers, Declaration, Kind};
use crate::date::Date;
use crate::submission::Content;
use crate::validation::Checker;

/// Longest free-text description of other signs of illness.
pub const OTHER_SIGNS_MAX_CHARS: usize = 500;

pub mod field {
    pub const OTHER_SIGNS: &str = "answers.other_signs";
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DailyHealth {
    pub fever: bool,
    pub cough: bool,
    pub shortness_of_breath: bool,
    pub other_signs: String,
}

impl DailyHealth {
    /// No sign reported.
    pub fn is_healthy(&self) -> bool {
        !(self.fever || self.cough || self.shortness_of_breath) && self.other_signs.is_empty()
    }
}

impl Answers for DailyHealth {
    const KIND: Kind = Kind::DailyHealth;

    fn check(&self, checker: &mut Checker, _today: Date) {
        checker.check(
            field::OTHER_SIGNS,
            stored_line(&self.other_signs, OTHER_SIGNS_MAX_CHARS),
        );
    }

    fn cleaned(&self) -> Self {
        DailyHealth {
            other_signs: cleaned_line(&self.other_signs),
            ..self.clone()
        }
    }

    fn into_content(declaration: Declaration<Self>) -> Content {
        Content::DailyHealth(declaration)
    }

    fn from_content(content: &Content) -> Option<&Declaration<Self>> {
        match content {
            Content::DailyHealth(declaration) => Some(declaration),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::refused;
    use super::*;
    use crate::validation::ErrorCode;

    #[test]
    fn other_signs_are_cleaned_and_bounded() {
        let messy = DailyHealth {
            other_signs: "  đau   đầu ".into(),
            ..DailyHealth::default()
        };
        assert_eq!(messy.cleaned().other_signs, "đau đầu");
        assert!(!messy.cleaned().is_healthy());
        assert!(DailyHealth::default().is_healthy());
        assert_eq!(refused(messy), Vec::<String>::new());
        let long = DailyHealth {
            other_signs: "a".repeat(OTHER_SIGNS_MAX_CHARS + 1),
            ..DailyHealth::default()
        };
        assert_eq!(refused(long), [field::OTHER_SIGNS]);
        let bell = DailyHealth {
            other_signs: "headache\u{7}".into(),
            ..DailyHealth::default()
        };
        assert_eq!(refused(bell), [field::OTHER_SIGNS]);
        let mut checker = Checker::default();
        DailyHealth {
            other_signs: " untrimmed".into(),
            ..DailyHealth::default()
        }
        .check(&mut checker, super::super::tests::today());
        assert_eq!(
            checker.finish(|| Some(())).unwrap_err()[0].code,
            ErrorCode::ControlCharacters
        );
    }
}

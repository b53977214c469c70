//! Cleaning of free text typed by people, before it is validated or stored.

use crate::validation::ErrorCode;

/// Unicode's format characters (general category Cf): invisible, and some reorder the text
/// around them (U+202E shows "gnp.exe" as "exe.png"). Unicode 16.
const FORMAT_CHARACTERS: &[(char, char)] = &[
    ('\u{00AD}', '\u{00AD}'),
    ('\u{0600}', '\u{0605}'),
    ('\u{061C}', '\u{061C}'),
    ('\u{06DD}', '\u{06DD}'),
    ('\u{070F}', '\u{070F}'),
    ('\u{0890}', '\u{0891}'),
    ('\u{08E2}', '\u{08E2}'),
    ('\u{180E}', '\u{180E}'),
    ('\u{200B}', '\u{200F}'),
    ('\u{202A}', '\u{202E}'),
    ('\u{2060}', '\u{2064}'),
    ('\u{2066}', '\u{206F}'),
    ('\u{FEFF}', '\u{FEFF}'),
    ('\u{FFF9}', '\u{FFFB}'),
    ('\u{110BD}', '\u{110BD}'),
    ('\u{110CD}', '\u{110CD}'),
    ('\u{13430}', '\u{1343F}'),
    ('\u{1BCA0}', '\u{1BCA3}'),
    ('\u{1D173}', '\u{1D17A}'),
    ('\u{E0001}', '\u{E0001}'),
    ('\u{E0020}', '\u{E007F}'),
];

/// Whether `c` is a format character (Unicode general category Cf).
pub fn is_format_character(c: char) -> bool {
    FORMAT_CHARACTERS
        .binary_search_by(|&(first, last)| {
            if last < c {
                std::cmp::Ordering::Less
            } else if first > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// Refuses control and format characters, which no keyboard types: their presence means pasted
/// binary or an attempt to make text read differently to a venue than it was stored.
pub fn check_characters(input: &str) -> Result<(), ErrorCode> {
    for c in input.chars() {
        if c.is_control() && !c.is_whitespace() {
            return Err(ErrorCode::ControlCharacters);
        }
        if is_format_character(c) {
            return Err(ErrorCode::InvisibleCharacters);
        }
    }
    Ok(())
}

/// Trims surrounding white space, folds inner runs of white space to one space and checks the
/// result against `max_chars` and the absence of control and format characters.
///
/// Those characters are refused rather than silently dropped, so the user sees the field flagged
/// and what is stored is what was typed.
pub fn clean_line(input: &str, max_chars: usize) -> Result<String, ErrorCode> {
    check_characters(input)?;
    // Line breaks and tabs in a one-line field are treated as spaces, like a browser's <input>.
    let folded = input.split_whitespace().collect::<Vec<_>>().join(" ");
    if folded.chars().count() > max_chars {
        return Err(ErrorCode::TooLong { max: max_chars });
    }
    Ok(folded)
}

/// Like [`clean_line`], but an empty result is an error.
pub fn required_line(input: &str, max_chars: usize) -> Result<String, ErrorCode> {
    let cleaned = clean_line(input, max_chars)?;
    if cleaned.is_empty() {
        return Err(ErrorCode::Required);
    }
    Ok(cleaned)
}

/// The blocks of combining diacritical marks: Vietnamese typed or pasted in decomposed form
/// ("e" + U+0302 + U+0303 for "ễ") carries its tones and hats as these.
const COMBINING_MARKS: &[(char, char)] = &[
    ('\u{0300}', '\u{036F}'),
    ('\u{1AB0}', '\u{1AFF}'),
    ('\u{1DC0}', '\u{1DFF}'),
    ('\u{20D0}', '\u{20FF}'),
    ('\u{FE20}', '\u{FE2F}'),
];

/// Whether `c` may be part of a personal name: a letter of any script, a combining mark, a space,
/// or the punctuation of names ("Nguyễn-Trần", "O'Brien", "Ng. V. An").
pub fn is_name_character(c: char) -> bool {
    c.is_alphabetic()
        || c == ' '
        || matches!(c, '-' | '\'' | '\u{2019}' | '.')
        || COMBINING_MARKS
            .iter()
            .any(|&(first, last)| (first..=last).contains(&c))
}

/// A required personal name: a [`required_line`] of letters, marks and the punctuation of names
/// only. Emoji and pictographs are refused here, not only in free text shown to venues, because
/// a name is what a venue's list, a pass and an officer read to tell people apart.
pub fn personal_name(input: &str, max_chars: usize) -> Result<String, ErrorCode> {
    let name = required_line(input, max_chars)?;
    if !name.chars().all(is_name_character) {
        return Err(ErrorCode::NameCharacters);
    }
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn names_are_letters_of_any_script_with_the_punctuation_of_names() {
        for name in [
            "Nguyễn Văn An",
            "Nguye\u{0302}\u{0303}n Văn An",
            "Trần-Nguyễn Thị Bé",
            "O'Brien",
            "Ng. V. An",
            "Đặng Thu Thảo",
            "王小明",
            "김민수",
            "María José",
        ] {
            assert_eq!(personal_name(name, 100).as_deref(), Ok(name), "{name}");
        }
        for name in [
            "Bé Na 😀",
            "An ❤",
            "Lan ★",
            "An 2",
            "Hoa 🇻🇳",
            "An #1",
            "An ©",
            "A+B",
            "Khải ㊗",
        ] {
            assert_eq!(
                personal_name(name, 100),
                Err(ErrorCode::NameCharacters),
                "{name}"
            );
        }
        assert_eq!(personal_name("  ", 100), Err(ErrorCode::Required));
        assert_eq!(
            personal_name("An\u{200D}Bình", 100),
            Err(ErrorCode::InvisibleCharacters)
        );
    }

    #[test]
    fn no_symbol_or_number_is_a_name_character() {
        use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory};
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let group = c.general_category_group();
            if matches!(
                group,
                GeneralCategoryGroup::Symbol | GeneralCategoryGroup::Number
            ) && !c.is_alphabetic()
            {
                assert!(!is_name_character(c), "{c:?} ({:?})", c.general_category());
            }
        }
        // Every letter of Vietnamese, in both cases and both Unicode forms.
        let letters = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ";
        for c in letters.chars().chain(letters.to_uppercase().chars()) {
            assert!(is_name_character(c), "{c:?}");
        }
        assert!("Nguye\u{0302}\u{0303}n".chars().all(is_name_character));
    }

    #[test]
    fn folds_white_space() {
        assert_eq!(
            clean_line("  Nguyễn \t Văn\nAn ", 50).unwrap(),
            "Nguyễn Văn An"
        );
    }

    #[test]
    fn refuses_control_characters() {
        assert_eq!(clean_line("a\u{0}b", 50), Err(ErrorCode::ControlCharacters));
        assert_eq!(
            clean_line("a\u{1b}[31m", 50),
            Err(ErrorCode::ControlCharacters)
        );
    }

    #[test]
    fn refuses_invisible_and_reordering_characters() {
        for text in [
            "Nguy\u{202E}ễn",
            "An\u{200B}",
            "\u{FEFF}An",
            "A\u{2066}n",
            "A\u{E0041}",
        ] {
            assert_eq!(
                clean_line(text, 50),
                Err(ErrorCode::InvisibleCharacters),
                "{text:?}"
            );
        }
    }

    #[test]
    fn the_format_table_is_unicodes_cf_class() {
        use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(
                is_format_character(c),
                c.general_category() == GeneralCategory::Format,
                "U+{:04X}",
                c as u32
            );
        }
    }

    #[test]
    fn counts_characters_not_bytes() {
        // 10 Vietnamese letters take 20+ bytes but are 10 characters.
        assert!(clean_line("ĐặngĐặngĐặ", 11).is_ok());
        assert_eq!(
            clean_line("ĐặngĐặngĐặng", 11),
            Err(ErrorCode::TooLong { max: 11 })
        );
    }

    #[test]
    fn required_refuses_blank() {
        assert_eq!(required_line("   ", 10), Err(ErrorCode::Required));
    }

    proptest! {
        #[test]
        fn cleaned_text_is_trimmed_bounded_and_printable(s in ".{0,80}", max in 0usize..60) {
            if let Ok(out) = clean_line(&s, max) {
                prop_assert!(out.chars().count() <= max);
                prop_assert_eq!(out.trim(), out.as_str());
                prop_assert!(!out.chars().any(char::is_control));
                prop_assert!(!out.contains("  "));
            }
        }

        #[test]
        fn cleaning_is_idempotent(s in ".{0,80}") {
            if let Ok(once) = clean_line(&s, 100) {
                prop_assert_eq!(clean_line(&once, 100).unwrap(), once);
            }
        }
    }
}

//! Cleaning of free text typed by people, before it is validated or stored.

use crate::validation::ErrorCode;

/// Trims surrounding white space, folds inner runs of white space to one space and checks the
/// result against `max_chars` and the absence of control characters.
///
/// Control characters are refused rather than silently dropped: they never come from a keyboard,
/// so their presence means pasted binary or an attack, and the user should see the field flagged.
pub fn clean_line(input: &str, max_chars: usize) -> Result<String, ErrorCode> {
    if input.chars().any(|c| c.is_control() && !c.is_whitespace()) {
        return Err(ErrorCode::ControlCharacters);
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

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

//! Text typed into forms and searches: validation, the shared text checks and diacritic folding
//! never panic, and what validation or cleaning accepts is stable when checked again. The first
//! bytes also serve as a device time, a server time and a retention period for the device-time
//! check, compared with a model in wide arithmetic.
#![no_main]

#[path = "device_time_model.rs"]
mod device_time_model;

use device_time_model::expected_device_time;
use domain::divisions::fold;
use domain::profile::ProfileDraft;
use domain::retention::{check_device_time, DAY_MS};
use domain::text::{
    check_characters, clean_line, is_format_character, is_name_character, personal_name,
    required_line,
};
use domain::validation::ErrorCode;
use libfuzzer_sys::fuzz_target;

fn check_text(text: &str, max_chars: usize) {
    let refused = text
        .chars()
        .find(|&c| (c.is_control() && !c.is_whitespace()) || is_format_character(c));
    let characters = check_characters(text);
    match refused {
        None => assert_eq!(characters, Ok(())),
        Some(c) if c.is_control() => assert_eq!(characters, Err(ErrorCode::ControlCharacters)),
        Some(_) => assert_eq!(characters, Err(ErrorCode::InvisibleCharacters)),
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let cleaned = clean_line(text, max_chars);
    match &cleaned {
        Ok(line) => {
            assert!(characters.is_ok());
            // One space between the words typed, nothing around them.
            assert_eq!(
                line.split(' ')
                    .filter(|w| !w.is_empty())
                    .collect::<Vec<_>>(),
                words
            );
            assert!(!line.contains("  ") && line.trim() == line);
            assert!(!line.chars().any(|c| c.is_whitespace() && c != ' '));
            assert!(line.chars().count() <= max_chars);
            assert_eq!(check_characters(line), Ok(()));
            assert_eq!(clean_line(line, max_chars).as_ref(), Ok(line));
        }
        Err(ErrorCode::TooLong { max }) => {
            assert!(characters.is_ok());
            assert_eq!(*max, max_chars);
            assert!(words.join(" ").chars().count() > max_chars);
        }
        Err(code) => assert_eq!(characters, Err(*code)),
    }
    // A name is a required line made of name characters, and nothing else.
    match (
        personal_name(text, max_chars),
        required_line(text, max_chars),
    ) {
        (Ok(name), Ok(line)) => {
            assert_eq!(name, line);
            assert!(name.chars().all(is_name_character));
        }
        (Err(ErrorCode::NameCharacters), Ok(line)) => {
            assert!(!line.chars().all(is_name_character))
        }
        (name, line) => assert_eq!(name, line),
    }
    match (required_line(text, max_chars), cleaned) {
        (Err(ErrorCode::Required), Ok(line)) => assert!(line.is_empty()),
        (required, cleaned) => {
            assert_eq!(required, cleaned);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    if let Some((times, _)) = data.split_first_chunk::<18>() {
        let at = i64::from_le_bytes(times[..8].try_into().expect("8 bytes"));
        let offset = i64::from_le_bytes(times[8..16].try_into().expect("8 bytes"));
        // Both a wild server time and one near the device's, where the limits are.
        let days = i64::from(u16::from_le_bytes([times[16], times[17]]));
        for now in [offset, at.wrapping_add(offset % (64 * DAY_MS))] {
            assert_eq!(
                check_device_time(at, now, days),
                expected_device_time(at, now, days),
                "created_at_ms {at}, now {now}, {days} days"
            );
        }
    }

    let text = String::from_utf8_lossy(data);
    let max_chars = data.first().map_or(0, |&byte| usize::from(byte));
    check_text(&text, max_chars);
    let mut parts = text.splitn(4, '\u{1f}');
    let draft = ProfileDraft {
        full_name: parts.next().unwrap_or_default().to_owned(),
        year_of_birth: parts.next().unwrap_or_default().to_owned(),
        phone: parts.next().unwrap_or_default().to_owned(),
        street: parts.next().unwrap_or_default().to_owned(),
        ..ProfileDraft::default()
    };
    for part in [&draft.full_name, &draft.street] {
        check_text(part, max_chars);
    }
    if let Ok(fields) = draft.validate(2026) {
        assert_eq!(ProfileDraft::from(&fields).validate(2026), Ok(fields));
    }
    let folded = fold(&text);
    assert_eq!(fold(&folded), folded);
});

//! Text typed into forms and searches: validation and diacritic folding never panic, and what
//! validation accepts is stable when validated again.
#![no_main]

use domain::divisions::fold;
use domain::profile::ProfileDraft;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(4, '\u{1f}');
    let draft = ProfileDraft {
        full_name: parts.next().unwrap_or_default().to_owned(),
        year_of_birth: parts.next().unwrap_or_default().to_owned(),
        phone: parts.next().unwrap_or_default().to_owned(),
        street: parts.next().unwrap_or_default().to_owned(),
        ..ProfileDraft::default()
    };
    if let Ok(fields) = draft.validate(2026) {
        assert_eq!(ProfileDraft::from(&fields).validate(2026), Ok(fields));
    }
    let folded = fold(&text);
    assert_eq!(fold(&folded), folded);
});

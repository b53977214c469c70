//! Locale files (and, through the same parser, the translations the app fetches): parsing and
//! checking never panic, and what the check accepts compiles to JSON holding messages that parse.
#![no_main]

use domain::i18n::fluent::Pattern;
use domain::i18n::{check_catalogue, compile_locale_json};
use libfuzzer_sys::fuzz_target;

const SOURCE: &str = include_str!("../../locales/vi.ftl");

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = Pattern::parse(&text);
    let accepted = check_catalogue(SOURCE, &text).is_ok();
    let compiled = compile_locale_json(SOURCE, &text);
    assert_eq!(accepted, compiled.is_ok());
    if let Ok(json) = compiled {
        let messages: Vec<String> = serde_json::from_str(&json).expect("valid JSON");
        assert!(messages
            .iter()
            .all(|message| Pattern::parse(message).is_ok()));
    }
});

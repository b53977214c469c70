//! The translation catalogue: every user-facing string of tokhai, in every supported language.
//!
//! The strings live in `locales/*.ftl` (Fluent syntax, see [`fluent`]), one file per language, so
//! translators edit them and decide word order. `build.rs` turns `locales/vi.ftl` into [`Text`],
//! one variant per message, and fails the build when another file has a key Vietnamese lacks, lacks
//! one, or uses a placeholder the Vietnamese message does not pass.
//!
//! Vietnamese is always compiled in. The other languages are compiled in only with the
//! `all-locales` feature (the server); the app fetches them as JSON made by
//! [`compile_locale_json`] and hands them to [`install_translation`], so that its first download
//! carries one language.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::validation::ErrorCode;

pub mod fluent;

use fluent::{Element, LocaleError, Pattern, PluralCategory, Problem};

include!(concat!(env!("OUT_DIR"), "/catalogue.rs"));

/// A user interface language. Vietnamese is the default (DESIGN.md §1).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Vi,
    En,
    /// Simplified Chinese and Korean, as tokhaiyte.vn offered them for travellers and workers.
    Zh,
    Ko,
}

impl Lang {
    pub const ALL: [Lang; 4] = [Lang::Vi, Lang::En, Lang::Zh, Lang::Ko];

    /// BCP 47 tag, as used in `<html lang>` and stored preferences.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
            Lang::Zh => "zh",
            Lang::Ko => "ko",
        }
    }

    /// Reads a BCP 47 tag such as `en-GB` by its primary language subtag.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
        Lang::ALL.into_iter().find(|lang| lang.tag() == primary)
    }

    /// The language's name in itself, as shown in the language switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Vi => "Tiếng Việt",
            Lang::En => "English",
            Lang::Zh => "中文",
            Lang::Ko => "한국어",
        }
    }
}

impl Text {
    /// The message in `lang`, or in Vietnamese while `lang` is neither compiled in nor installed.
    /// For a message with placeholders this is its Fluent source: use [`Text::format`].
    pub fn in_lang(self, lang: Lang) -> &'static str {
        table(lang).unwrap_or(&VI)[self.index()]
    }

    /// The message in `lang` with its placeholders filled from `args`, e.g.
    /// `Text::ItemsWaiting.format(lang, &[("n", 3.into())])`. A placeholder without an argument
    /// shows as `{$name}`, as in Fluent.
    pub fn format(self, lang: Lang, args: &[(&str, Arg)]) -> String {
        let value = self.in_lang(lang);
        match Pattern::parse(value) {
            Ok(pattern) => format_pattern(&pattern, lang, args),
            // Unreachable: the tables hold checked messages only. Showing the source beats panicking.
            Err(_) => value.to_owned(),
        }
    }
}

/// A value for a placeholder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arg<'a> {
    /// A number, which also selects the plural variant.
    Int(i64),
    Str(&'a str),
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(text: &'a str) -> Self {
        Arg::Str(text)
    }
}

impl From<i64> for Arg<'_> {
    fn from(n: i64) -> Self {
        Arg::Int(n)
    }
}

macro_rules! int_arg {
    ($($int:ty),*) => {$(
        impl From<$int> for Arg<'_> {
            fn from(n: $int) -> Self {
                Arg::Int(i64::from(n))
            }
        }
    )*};
}
int_arg!(i32, u16, u32);

impl From<usize> for Arg<'_> {
    fn from(n: usize) -> Self {
        // Counts beyond i64 do not occur; saturating keeps this total.
        Arg::Int(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

/// The CLDR cardinal plural category of the integer `n` in `lang`.
pub fn plural_category(lang: Lang, n: i64) -> PluralCategory {
    match lang {
        // English: "one" for 1 (and -1) only.
        Lang::En if n.unsigned_abs() == 1 => PluralCategory::One,
        // Vietnamese, Chinese and Korean do not inflect for number.
        _ => PluralCategory::Other,
    }
}

fn format_pattern(pattern: &Pattern, lang: Lang, args: &[(&str, Arg)]) -> String {
    let mut out = String::new();
    write_elements(&mut out, &pattern.0, lang, args);
    out
}

fn write_elements(out: &mut String, elements: &[Element], lang: Lang, args: &[(&str, Arg)]) {
    let arg = |name: &str| {
        args.iter()
            .find(|(arg_name, _)| *arg_name == name)
            .map(|(_, value)| *value)
    };
    for element in elements {
        match element {
            Element::Text(text) => out.push_str(text),
            Element::Placeholder(name) => match arg(name) {
                Some(Arg::Int(n)) => out.push_str(&n.to_string()),
                Some(Arg::Str(text)) => out.push_str(text),
                None => {
                    out.push_str("{$");
                    out.push_str(name);
                    out.push('}');
                }
            },
            Element::Select {
                selector,
                variants,
                default,
            } => {
                let category = match arg(selector) {
                    Some(Arg::Int(n)) => Some(plural_category(lang, n)),
                    _ => None,
                };
                let chosen = variants
                    .iter()
                    .find(|variant| Some(variant.category) == category)
                    .or_else(|| variants.get(*default));
                if let Some(variant) = chosen {
                    write_elements(out, &variant.value, lang, args);
                }
            }
        }
    }
}

/// The languages other than Vietnamese installed at run time, leaked once each (four at most) so
/// that [`Text::in_lang`] can keep returning `&'static str`.
static INSTALLED: [OnceLock<&'static [&'static str]>; Lang::ALL.len()] =
    [const { OnceLock::new() }; Lang::ALL.len()];

#[cfg(any(test, feature = "all-locales"))]
fn compiled_in(lang: Lang) -> Option<&'static [&'static str]> {
    Some(match lang {
        Lang::Vi => &VI,
        Lang::En => &EN,
        Lang::Zh => &ZH,
        Lang::Ko => &KO,
    })
}

#[cfg(not(any(test, feature = "all-locales")))]
fn compiled_in(lang: Lang) -> Option<&'static [&'static str]> {
    (lang == Lang::Vi).then_some(&VI[..])
}

fn table(lang: Lang) -> Option<&'static [&'static str]> {
    compiled_in(lang).or_else(|| INSTALLED[lang as usize].get().copied())
}

/// Whether [`Text::in_lang`] has `lang`'s own words (compiled in or installed).
pub fn is_available(lang: Lang) -> bool {
    table(lang).is_some()
}

/// Why a fetched translation was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TranslationError {
    /// The JSON was made for another catalogue, i.e. another build of the app.
    #[error("{found} messages where this build has {expected}")]
    WrongLength { expected: usize, found: usize },
    #[error("{}", join(.0))]
    Invalid(Vec<LocaleError>),
}

fn join(errors: &[LocaleError]) -> String {
    errors
        .iter()
        .map(LocaleError::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// Makes `lang` available from `values`, the messages in [`Text::index`] order as in the JSON
/// from [`compile_locale_json`], after checking them as the build checks the files. Installing
/// an available language again changes nothing.
pub fn install_translation(lang: Lang, values: Vec<String>) -> Result<(), TranslationError> {
    if is_available(lang) {
        return Ok(());
    }
    check_values(&values)?;
    let leaked: Vec<&'static str> = values
        .into_iter()
        .map(|value| &*Box::leak(value.into_boxed_str()))
        .collect();
    // A concurrent install of the same language may win; both hold the same checked messages.
    let _ = INSTALLED[lang as usize].set(Box::leak(leaked.into_boxed_slice()));
    Ok(())
}

fn check_values(values: &[String]) -> Result<(), TranslationError> {
    if values.len() != Text::ALL.len() {
        return Err(TranslationError::WrongLength {
            expected: Text::ALL.len(),
            found: values.len(),
        });
    }
    let mut errors = Vec::new();
    for (&text, value) in Text::ALL.iter().zip(values) {
        let error = |problem| LocaleError {
            line: None,
            key: Some(text.key().to_owned()),
            problem,
        };
        match (Pattern::parse(VI[text.index()]), Pattern::parse(value)) {
            (Ok(source), Ok(translation)) => errors.extend(
                source
                    .unknown_placeholders(&translation)
                    .into_iter()
                    .map(|name| error(Problem::UnknownPlaceholder(name.to_owned()))),
            ),
            (_, Err((_, syntax))) => errors.push(error(Problem::Syntax(syntax))),
            // The build checked Vietnamese.
            (Err(_), Ok(_)) => {}
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(TranslationError::Invalid(errors))
    }
}

/// Checks a translation file against the Vietnamese source file, as the build does: it must
/// parse, have the same keys, and use no placeholder the Vietnamese message does not pass.
pub fn check_catalogue(source: &str, translation: &str) -> Result<(), Vec<LocaleError>> {
    let source = fluent::parse_file(source)?;
    fluent::check_translation(&source, translation).map(drop)
}

/// The JSON the app fetches for one language: an array of the translation's messages (Fluent
/// values) in [`Text::index`] order, after the checks of [`check_catalogue`]. `source` must be
/// the `locales/vi.ftl` this crate was built from; a key it and [`Text`] disagree on is an error.
pub fn compile_locale_json(source: &str, translation: &str) -> Result<String, Vec<LocaleError>> {
    let source = fluent::parse_file(source)?;
    let translated = fluent::check_translation(&source, translation)?;
    let mut errors: Vec<LocaleError> = source
        .iter()
        .filter(|message| !Text::ALL.iter().any(|text| text.key() == message.key))
        .map(|message| LocaleError {
            line: Some(message.line),
            key: Some(message.key.clone()),
            problem: Problem::UnknownKey,
        })
        .collect();
    let mut values = Vec::with_capacity(Text::ALL.len());
    for text in Text::ALL {
        match translated.iter().find(|message| message.key == text.key()) {
            Some(message) => values.push(json_string(&message.value)),
            None => errors.push(LocaleError {
                line: None,
                key: Some(text.key().to_owned()),
                problem: Problem::MissingKey,
            }),
        }
    }
    if errors.is_empty() {
        Ok(format!("[{}]", values.join(",")))
    } else {
        Err(errors)
    }
}

fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The translated sentence for a field error, with its parameters filled in.
pub fn error_message(lang: Lang, code: &ErrorCode) -> String {
    let date = |date: &Date| local_date(lang, *date);
    match code {
        ErrorCode::Required => Text::ErrorRequired.format(lang, &[]),
        ErrorCode::TooLong { max } => Text::ErrorTooLong.format(lang, &[("max", (*max).into())]),
        ErrorCode::ControlCharacters => Text::ErrorControlCharacters.format(lang, &[]),
        ErrorCode::InvisibleCharacters => Text::ErrorInvisibleCharacters.format(lang, &[]),
        ErrorCode::NameCharacters => Text::ErrorNameCharacters.format(lang, &[]),
        ErrorCode::UnknownField => Text::ErrorUnknownField.format(lang, &[]),
        ErrorCode::InvalidValue => Text::ErrorInvalidValue.format(lang, &[]),
        ErrorCode::DeviceClockAhead => Text::ErrorDeviceClockAhead.format(lang, &[]),
        ErrorCode::PastRetention { days } => {
            Text::ErrorPastRetention.format(lang, &[("days", (*days).into())])
        }
        ErrorCode::NotANumber => Text::ErrorNotANumber.format(lang, &[]),
        ErrorCode::OutOfRange { min, max } => {
            Text::ErrorOutOfRange.format(lang, &[("min", (*min).into()), ("max", (*max).into())])
        }
        ErrorCode::InvalidPhone => Text::ErrorInvalidPhone.format(lang, &[]),
        ErrorCode::InvalidEmail => Text::ErrorInvalidEmail.format(lang, &[]),
        ErrorCode::InvalidDocumentNumber { min, max } => Text::ErrorInvalidDocumentNumber
            .format(lang, &[("min", (*min).into()), ("max", (*max).into())]),
        ErrorCode::InvalidDate => Text::ErrorInvalidDate.format(lang, &[]),
        ErrorCode::DateOutOfRange { earliest, latest } => {
            let (earliest, latest) = (date(earliest), date(latest));
            Text::ErrorDateOutOfRange.format(
                lang,
                &[
                    ("earliest", earliest.as_str().into()),
                    ("latest", latest.as_str().into()),
                ],
            )
        }
        ErrorCode::UnknownChoice => Text::ErrorUnknownChoice.format(lang, &[]),
        ErrorCode::TooMany { max } => Text::ErrorTooMany.format(lang, &[("max", (*max).into())]),
        ErrorCode::MustAccept => Text::ErrorMustAccept.format(lang, &[]),
    }
}

/// A date as people write it: day/month/year in Vietnamese, ISO 8601 in the other languages.
fn local_date(lang: Lang, date: Date) -> String {
    match lang {
        Lang::Vi => {
            let (year, month, day) = date.civil();
            format!("{day:02}/{month:02}/{year}")
        }
        _ => date.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_is_translated_in_every_language() {
        for &text in Text::ALL {
            for lang in Lang::ALL {
                let s = text.in_lang(lang);
                assert!(!s.trim().is_empty(), "{text:?} is empty in {lang:?}");
                assert_eq!(s, s.trim(), "{text:?} in {lang:?} has outer spaces");
            }
        }
    }

    #[test]
    fn vietnamese_and_english_differ() {
        // A string identical in both languages is almost always a missed translation.
        for &text in Text::ALL {
            assert_ne!(text.in_lang(Lang::Vi), text.in_lang(Lang::En), "{text:?}");
        }
    }

    #[test]
    fn every_language_has_its_own_words() {
        // Apart from a few shared forms ("Email"), each language must really be translated.
        for lang in [Lang::Zh, Lang::Ko] {
            let copied = Text::ALL
                .iter()
                .filter(|text| text.in_lang(lang) == text.in_lang(Lang::En))
                .count();
            assert!(copied <= 1, "{lang:?} copies {copied} English strings");
        }
    }

    #[test]
    fn tags_round_trip() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_tag(lang.tag()), Some(lang));
        }
        assert_eq!(Lang::from_tag("en-GB"), Some(Lang::En));
        assert_eq!(Lang::from_tag("VI_vn"), Some(Lang::Vi));
        assert_eq!(Lang::from_tag("zh-Hans-CN"), Some(Lang::Zh));
        assert_eq!(Lang::from_tag("ko-KR"), Some(Lang::Ko));
        assert_eq!(Lang::from_tag("fr"), None);
        assert_eq!(Lang::from_tag(""), None);
    }

    #[test]
    fn placeholders_and_plurals_are_the_translators() {
        let waiting = |lang, n: usize| Text::ItemsWaiting.format(lang, &[("n", n.into())]);
        assert_eq!(waiting(Lang::En, 1), "1 item waiting to be sent");
        assert_eq!(waiting(Lang::En, 3), "3 items waiting to be sent");
        assert_eq!(waiting(Lang::Vi, 1), "1 mục đang chờ gửi");
        assert_eq!(waiting(Lang::Ko, 3), "3개 항목이 전송을 기다리는 중");
        // A missing argument shows where it belongs instead of breaking the page.
        assert_eq!(
            Text::BornIn.format(Lang::Vi, &[]),
            "Năm sinh {$year}",
            "missing argument"
        );
        assert_eq!(
            Text::ItemsWaiting.format(Lang::En, &[("n", "several".into())]),
            "several items waiting to be sent",
            "a text argument selects the default variant"
        );
    }

    #[test]
    fn plural_categories_follow_cldr() {
        for n in [1, -1] {
            assert_eq!(plural_category(Lang::En, n), PluralCategory::One);
        }
        for n in [0, 2, 11, 21, 101] {
            assert_eq!(plural_category(Lang::En, n), PluralCategory::Other);
        }
        for lang in [Lang::Vi, Lang::Zh, Lang::Ko] {
            assert_eq!(plural_category(lang, 1), PluralCategory::Other);
        }
    }

    #[test]
    fn the_locale_files_are_the_catalogue() {
        let locales = concat!(env!("CARGO_MANIFEST_DIR"), "/../locales");
        let read = |tag: &str| std::fs::read_to_string(format!("{locales}/{tag}.ftl")).unwrap();
        let source = read("vi");
        for lang in [Lang::En, Lang::Zh, Lang::Ko] {
            let translation = read(lang.tag());
            assert_eq!(check_catalogue(&source, &translation), Ok(()));
            let json = compile_locale_json(&source, &translation).expect("compiles");
            let values: Vec<String> = serde_json::from_str(&json).expect("a JSON array");
            let compiled: Vec<&str> = Text::ALL.iter().map(|text| text.in_lang(lang)).collect();
            assert_eq!(
                values, compiled,
                "{lang:?}: the JSON is the compiled-in table"
            );
            assert_eq!(check_values(&values), Ok(()));
        }
    }

    const SOURCE: &str = "app-name = Tờ khai y tế\nitems-waiting = { $n } mục đang chờ gửi\n";

    #[test]
    fn an_unknown_key_fails_the_check() {
        let errors = check_catalogue(
            SOURCE,
            "app-name = Health declaration\napp-nmae = Typo\nitems-waiting = { $n } waiting\n",
        )
        .unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, Some(2));
        assert_eq!(errors[0].key.as_deref(), Some("app-nmae"));
        assert_eq!(errors[0].problem, Problem::UnknownKey);
    }

    #[test]
    fn a_missing_key_fails_the_check() {
        let errors = check_catalogue(SOURCE, "app-name = Health declaration\n").unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].key.as_deref(), Some("items-waiting"));
        assert_eq!(errors[0].problem, Problem::MissingKey);
    }

    #[test]
    fn a_wrong_placeholder_fails_the_check() {
        let errors = check_catalogue(
            SOURCE,
            "app-name = Health declaration\nitems-waiting = { $count } waiting\n",
        )
        .unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, Some(2));
        assert_eq!(
            errors[0].problem,
            Problem::UnknownPlaceholder("count".into())
        );
    }

    #[test]
    fn a_broken_file_fails_the_check() {
        let errors = check_catalogue(SOURCE, "app-name = Health { declaration\n").unwrap_err();
        assert_eq!(errors[0].line, Some(1));
        assert!(matches!(errors[0].problem, Problem::Syntax(_)));
    }

    #[test]
    fn the_json_escapes_what_json_must() {
        assert_eq!(
            json_string("a \"b\" \\ c\nd\u{1}é"),
            r#""a \"b\" \\ c\nd\u0001é""#
        );
    }

    #[test]
    fn the_json_is_for_this_build_only() {
        // Keys this build does not know: the app would misread every index after them.
        let errors =
            compile_locale_json(SOURCE, "app-name = A\nitems-waiting = { $n }\n").unwrap_err();
        assert!(errors
            .iter()
            .any(|error| error.problem == Problem::MissingKey));
    }

    #[test]
    fn fetched_translations_are_checked_before_use() {
        let english = || -> Vec<String> {
            Text::ALL
                .iter()
                .map(|text| text.in_lang(Lang::En).to_owned())
                .collect()
        };
        assert_eq!(
            check_values(&english()[1..]),
            Err(TranslationError::WrongLength {
                expected: Text::ALL.len(),
                found: Text::ALL.len() - 1
            })
        );
        let mut broken = english();
        broken[Text::AppName.index()] = "Health { declaration".into();
        broken[Text::ItemsWaiting.index()] = "{ $count } waiting".into();
        let Err(TranslationError::Invalid(errors)) = check_values(&broken) else {
            panic!("accepted a broken translation");
        };
        let keys: Vec<_> = errors.iter().map(|error| error.key.as_deref()).collect();
        assert_eq!(keys, [Some("app-name"), Some("items-waiting")]);
        // Compiled-in languages need no installing; installing one again changes nothing.
        assert_eq!(install_translation(Lang::En, broken), Ok(()));
        assert_eq!(Text::AppName.in_lang(Lang::En), "Health declaration");
    }

    #[test]
    fn date_errors_use_local_dates() {
        let code = ErrorCode::DateOutOfRange {
            earliest: Date::parse("2021-07-01").unwrap(),
            latest: Date::parse("2021-07-14").unwrap(),
        };
        assert_eq!(
            error_message(Lang::Vi, &code),
            "Phải từ 01/07/2021 đến 14/07/2021."
        );
        assert_eq!(
            error_message(Lang::En, &code),
            "Must be from 2021-07-01 to 2021-07-14."
        );
        assert_eq!(
            error_message(Lang::En, &ErrorCode::TooLong { max: 1 }),
            "At most 1 character."
        );
    }

    /// Message values made of Fluent's pieces, so that many of them parse.
    fn values() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let piece = prop::sample::select(vec![
            "{ $n }",
            "{ $m }",
            "{ $n ->",
            "\n [one] ",
            "\n *[other] ",
            "\n [few] ",
            "\n}",
            "}",
            "{",
            "x",
            " ",
            "é",
        ]);
        prop::collection::vec(piece, 1..12).prop_map(|pieces| format!("k = {}", pieces.concat()))
    }

    proptest::proptest! {
        #[test]
        fn formatting_never_panics(source in values(), n in proptest::option::of(-3i64..3)) {
            for message in fluent::parse_file(&source).unwrap_or_default() {
                let args: Vec<(&str, Arg)> = n.map(|n| ("n", n.into())).into_iter().collect();
                for lang in Lang::ALL {
                    let formatted = format_pattern(&message.pattern, lang, &args);
                    proptest::prop_assert!(!formatted.contains("->"), "{formatted:?}");
                }
            }
        }
    }

    #[test]
    fn error_messages_carry_their_parameters() {
        let code = ErrorCode::OutOfRange {
            min: 1900,
            max: 2026,
        };
        for lang in Lang::ALL {
            let message = error_message(lang, &code);
            assert!(message.contains("1900") && message.contains("2026"));
        }
    }
}

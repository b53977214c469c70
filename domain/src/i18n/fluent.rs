//! The syntax of the files in `locales/`: a small subset of Project Fluent
//! (<https://projectfluent.org/fluent/guide/>), so that translators can use Fluent's tools and
//! decide word order themselves.
//!
//! ```ftl
//! # A comment.
//! app-name = Health declaration
//! items-waiting =
//!     { $n ->
//!         [one] { $n } item waiting to be sent
//!        *[other] { $n } items waiting to be sent
//!     }
//! ```
//!
//! Supported: comments, one `key = value` message per entry, values continued on indented lines
//! (joined with a line break), placeholders `{ $name }`, and selection on a number by CLDR plural
//! category with one default variant `*[…]`. Not supported (an error, never a silent misreading):
//! terms, attributes, functions, string literals, numeric variant keys and nested selections.
//!
//! Translations come from the network at run time, so nothing here panics: every problem is a
//! [`LocaleError`] with its line. `domain/build.rs` compiles this same file (by `#[path]`) to check
//! the catalogue at build time, which is why it uses `std` only.

use std::collections::{BTreeSet, HashMap};
use std::fmt;

/// One `key = value` entry of a locale file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// Lower-case kebab-case, e.g. `app-name`.
    pub key: String,
    /// The line the key is on, counted from 1.
    pub line: usize,
    /// The value with its lines trimmed and joined by `\n`: the form the compiled tables and the
    /// JSON translations carry, and that [`Pattern::parse`] reads back.
    pub value: String,
    pub pattern: Pattern,
}

/// A parsed message value: text, placeholders and selections, ready to be formatted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern(pub(crate) Vec<Element>);

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Element {
    Text(String),
    Placeholder(String),
    /// `{ $selector -> [one] … *[other] … }`. `default` indexes `variants`, as the parser ensures.
    Select {
        selector: String,
        variants: Vec<Variant>,
        default: usize,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Variant {
    pub(crate) category: PluralCategory,
    /// Text and placeholders only: selections do not nest.
    pub(crate) value: Vec<Element>,
}

/// The CLDR cardinal plural categories (<https://cldr.unicode.org/index/cldr-spec/plural-rules>).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PluralCategory {
    Zero,
    One,
    Two,
    Few,
    Many,
    Other,
}

impl PluralCategory {
    fn from_key(key: &str) -> Option<PluralCategory> {
        Some(match key {
            "zero" => PluralCategory::Zero,
            "one" => PluralCategory::One,
            "two" => PluralCategory::Two,
            "few" => PluralCategory::Few,
            "many" => PluralCategory::Many,
            "other" => PluralCategory::Other,
            _ => return None,
        })
    }
}

/// A problem in a locale file or translation, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocaleError {
    /// The line in the file, counted from 1; `None` for a problem about the file as a whole (a
    /// missing key) or for a translation that did not come from a file.
    pub line: Option<usize>,
    /// The message concerned, when the problem is within one.
    pub key: Option<String>,
    pub problem: Problem,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Syntax(SyntaxError),
    DuplicateKey,
    /// A translation has a message the Vietnamese source does not.
    UnknownKey,
    /// A translation lacks a message of the Vietnamese source.
    MissingKey,
    /// A translation uses a placeholder the Vietnamese message does not pass.
    UnknownPlaceholder(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyntaxError {
    InvalidKey(String),
    MissingEquals,
    ContinuationWithoutMessage,
    EmptyValue,
    UnclosedPlaceable,
    StrayClosingBrace,
    ExpectedVariable,
    ExpectedVariant,
    UnknownCategory(String),
    MissingDefault,
    SeveralDefaults,
    NestedSelection,
}

impl fmt::Display for LocaleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(line) = self.line {
            write!(f, "line {line}: ")?;
        }
        if let Some(key) = &self.key {
            write!(f, "`{key}`: ")?;
        }
        write!(f, "{}", self.problem)
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Syntax(error) => write!(f, "{error}"),
            Problem::DuplicateKey => write!(f, "defined twice"),
            Problem::UnknownKey => write!(f, "not a message of vi.ftl (misspelt or removed?)"),
            Problem::MissingKey => write!(f, "missing (it is in vi.ftl)"),
            Problem::UnknownPlaceholder(name) => {
                write!(
                    f,
                    "uses `{{ ${name} }}`, which the vi.ftl message does not have"
                )
            }
        }
    }
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SyntaxError::InvalidKey(key) => {
                write!(f, "`{key}` is not a key: use kebab-case such as `app-name`")
            }
            SyntaxError::MissingEquals => write!(f, "expected `key = value`"),
            SyntaxError::ContinuationWithoutMessage => {
                write!(
                    f,
                    "an indented line continues a message, but no message precedes it"
                )
            }
            SyntaxError::EmptyValue => write!(f, "the message has no text"),
            SyntaxError::UnclosedPlaceable => write!(f, "`{{` without its closing `}}`"),
            SyntaxError::StrayClosingBrace => write!(f, "`}}` without an opening `{{`"),
            SyntaxError::ExpectedVariable => {
                write!(
                    f,
                    "expected a placeholder `{{ $name }}` or `{{ $name -> … }}`"
                )
            }
            SyntaxError::ExpectedVariant => write!(f, "expected a variant `[one] …` or `}}`"),
            SyntaxError::UnknownCategory(key) => write!(
                f,
                "`[{key}]` is not a plural category (zero, one, two, few, many, other)"
            ),
            SyntaxError::MissingDefault => {
                write!(
                    f,
                    "a selection needs one default variant, such as `*[other]`"
                )
            }
            SyntaxError::SeveralDefaults => write!(f, "a selection has one default variant only"),
            SyntaxError::NestedSelection => write!(f, "selections cannot be nested"),
        }
    }
}

/// Whether `key` is lower-case kebab-case with each part starting with a letter, so that it maps
/// one-to-one to a Rust variant name (`app-name` ↔ `AppName`).
fn is_message_key(key: &str) -> bool {
    !key.is_empty()
        && key.split('-').all(|part| {
            part.starts_with(|c: char| c.is_ascii_lowercase())
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

/// A message being read: its key line and the non-empty pieces of its value, with their lines.
struct Entry<'a> {
    key: &'a str,
    line: usize,
    pieces: Vec<(usize, &'a str)>,
}

/// Reads a locale file into its messages, in file order, or every problem found.
pub fn parse_file(source: &str) -> Result<Vec<Message>, Vec<LocaleError>> {
    let mut errors = Vec::new();
    let syntax = |line, key: Option<&str>, error| LocaleError {
        line: Some(line),
        key: key.map(str::to_owned),
        problem: Problem::Syntax(error),
    };
    let mut entries: Vec<Entry> = Vec::new();
    // Whether an indented line now continues the last entry (a comment or an error ends it).
    let mut continuing = false;
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    for (index, text) in source.lines().enumerate() {
        let line = index + 1;
        if text.trim().is_empty() {
            // Blank lines are dropped, inside values too: HTML would not show them anyway.
            continue;
        }
        if text.starts_with('#') {
            continuing = false;
            continue;
        }
        // Besides indentation, a line may start with the parts of a selection that cannot start
        // a key, as Fluent allows.
        if text.starts_with([' ', '[', '*', '}']) {
            match entries.last_mut() {
                Some(entry) if continuing => entry.pieces.push((line, text.trim())),
                _ => errors.push(syntax(line, None, SyntaxError::ContinuationWithoutMessage)),
            }
            continue;
        }
        continuing = false;
        let Some((key, value)) = text.split_once('=') else {
            errors.push(syntax(line, None, SyntaxError::MissingEquals));
            continue;
        };
        let key = key.trim_end();
        if !is_message_key(key) {
            errors.push(syntax(line, None, SyntaxError::InvalidKey(key.to_owned())));
            continue;
        }
        let value = value.trim();
        let pieces = if value.is_empty() {
            Vec::new()
        } else {
            vec![(line, value)]
        };
        entries.push(Entry { key, line, pieces });
        continuing = true;
    }

    let mut messages: Vec<Message> = Vec::with_capacity(entries.len());
    let mut first_line: HashMap<&str, usize> = HashMap::new();
    for entry in entries {
        if first_line.insert(entry.key, entry.line).is_some() {
            errors.push(LocaleError {
                line: Some(entry.line),
                key: Some(entry.key.to_owned()),
                problem: Problem::DuplicateKey,
            });
            continue;
        }
        if entry.pieces.is_empty() {
            errors.push(syntax(entry.line, Some(entry.key), SyntaxError::EmptyValue));
            continue;
        }
        let value = entry
            .pieces
            .iter()
            .map(|(_, piece)| *piece)
            .collect::<Vec<_>>()
            .join("\n");
        match Pattern::parse(&value) {
            Ok(pattern) => messages.push(Message {
                key: entry.key.to_owned(),
                line: entry.line,
                value,
                pattern,
            }),
            Err((offset, error)) => {
                let piece = value[..offset].matches('\n').count();
                let line = entry
                    .pieces
                    .get(piece)
                    .map_or(entry.line, |(line, _)| *line);
                errors.push(syntax(line, Some(entry.key), error));
            }
        }
    }
    if errors.is_empty() {
        Ok(messages)
    } else {
        errors.sort_by_key(|error| error.line);
        Err(errors)
    }
}

/// Reads a translation file and checks it against the source messages: the same keys, and no
/// placeholder the source does not pass. Returns the translated messages in the source's order.
pub fn check_translation(
    source: &[Message],
    translation: &str,
) -> Result<Vec<Message>, Vec<LocaleError>> {
    let translated = parse_file(translation)?;
    let mut by_key: HashMap<&str, &Message> = translated
        .iter()
        .map(|message| (message.key.as_str(), message))
        .collect();
    let mut errors = Vec::new();
    let mut ordered = Vec::with_capacity(source.len());
    for original in source {
        let Some(message) = by_key.remove(original.key.as_str()) else {
            errors.push(LocaleError {
                line: None,
                key: Some(original.key.clone()),
                problem: Problem::MissingKey,
            });
            continue;
        };
        for name in original.pattern.unknown_placeholders(&message.pattern) {
            errors.push(LocaleError {
                line: Some(message.line),
                key: Some(message.key.clone()),
                problem: Problem::UnknownPlaceholder(name.to_owned()),
            });
        }
        ordered.push(message.clone());
    }
    // What is left has no counterpart in the source; reported in file order.
    let mut unknown: Vec<&Message> = by_key.into_values().collect();
    unknown.sort_by_key(|message| message.line);
    errors.extend(unknown.into_iter().map(|message| LocaleError {
        line: Some(message.line),
        key: Some(message.key.clone()),
        problem: Problem::UnknownKey,
    }));
    if errors.is_empty() {
        Ok(ordered)
    } else {
        Err(errors)
    }
}

impl Pattern {
    /// Reads a message value; on failure, the byte offset in `value` where the problem is.
    pub fn parse(value: &str) -> Result<Pattern, (usize, SyntaxError)> {
        let mut cursor = Cursor { text: value, at: 0 };
        parse_elements(&mut cursor, Within::Message).map(Pattern)
    }

    /// The names of the placeholders and selectors used, without their `$`.
    pub fn placeholders(&self) -> BTreeSet<&str> {
        let mut names = BTreeSet::new();
        collect_placeholders(&self.0, &mut names);
        names
    }

    /// The placeholders `translation` uses that `self` (its source) does not pass.
    pub fn unknown_placeholders<'t>(&self, translation: &'t Pattern) -> Vec<&'t str> {
        let known = self.placeholders();
        translation
            .placeholders()
            .into_iter()
            .filter(|name| !known.contains(name))
            .collect()
    }
}

fn collect_placeholders<'p>(elements: &'p [Element], names: &mut BTreeSet<&'p str>) {
    for element in elements {
        match element {
            Element::Text(_) => {}
            Element::Placeholder(name) => {
                names.insert(name);
            }
            Element::Select {
                selector, variants, ..
            } => {
                names.insert(selector);
                for variant in variants {
                    collect_placeholders(&variant.value, names);
                }
            }
        }
    }
}

struct Cursor<'a> {
    text: &'a str,
    at: usize,
}

impl Cursor<'_> {
    fn rest(&self) -> &str {
        &self.text[self.at..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let next = self.peek()?;
        self.at += next.len_utf8();
        Some(next)
    }

    fn eat(&mut self, expected: &str) -> bool {
        let found = self.rest().starts_with(expected);
        if found {
            self.at += expected.len();
        }
        found
    }

    /// Skips spaces, tabs and line breaks (Fluent's "blank").
    fn skip_blank(&mut self) {
        let rest = self.rest();
        self.at += rest.len() - rest.trim_start().len();
    }

    fn skip_inline_blank(&mut self) {
        let rest = self.rest();
        self.at += rest.len() - rest.trim_start_matches([' ', '\t']).len();
    }

    /// Whether the cursor is at a line break after which the next variant or the end of the
    /// selection comes, which ends a variant's value.
    fn at_variant_end(&self) -> bool {
        self.rest()
            .strip_prefix('\n')
            .is_some_and(|next| next.trim_start().starts_with(['[', '*', '}']))
    }

    fn identifier(&mut self) -> &str {
        let rest = self.rest();
        let length = if rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                .unwrap_or(rest.len())
        } else {
            0
        };
        let start = self.at;
        self.at += length;
        &self.text[start..self.at]
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Within {
    Message,
    Variant,
}

fn parse_elements(
    cursor: &mut Cursor,
    within: Within,
) -> Result<Vec<Element>, (usize, SyntaxError)> {
    let mut elements = Vec::new();
    let mut text = String::new();
    loop {
        match cursor.peek() {
            None => break,
            Some('}') if within == Within::Variant => break,
            Some('}') => return Err((cursor.at, SyntaxError::StrayClosingBrace)),
            Some('\n') if within == Within::Variant && cursor.at_variant_end() => break,
            Some('{') => {
                if !text.is_empty() {
                    elements.push(Element::Text(std::mem::take(&mut text)));
                }
                elements.push(parse_placeable(cursor, within)?);
            }
            Some(_) => text.extend(cursor.bump()),
        }
    }
    if !text.is_empty() {
        elements.push(Element::Text(text));
    }
    Ok(elements)
}

/// Reads `{ $name }` or `{ $name -> variants }`, the cursor being on the `{`.
fn parse_placeable(cursor: &mut Cursor, within: Within) -> Result<Element, (usize, SyntaxError)> {
    let start = cursor.at;
    cursor.bump();
    cursor.skip_blank();
    let name_at = cursor.at;
    // A placeable is a variable: `$` and a name, neither of which may be missing.
    let name = if cursor.eat("$") {
        cursor.identifier().to_owned()
    } else {
        String::new()
    };
    if name.is_empty() {
        return Err(unclosed_or(
            cursor,
            start,
            name_at,
            SyntaxError::ExpectedVariable,
        ));
    }
    cursor.skip_blank();
    if cursor.eat("}") {
        return Ok(Element::Placeholder(name));
    }
    let arrow_at = cursor.at;
    if !cursor.eat("->") {
        return Err(unclosed_or(
            cursor,
            start,
            arrow_at,
            SyntaxError::UnclosedPlaceable,
        ));
    }
    if within == Within::Variant {
        return Err((arrow_at, SyntaxError::NestedSelection));
    }
    let mut variants = Vec::new();
    let mut default = None;
    loop {
        cursor.skip_blank();
        let variant_at = cursor.at;
        if cursor.eat("}") {
            break;
        }
        let is_default = cursor.eat("*");
        if !cursor.eat("[") {
            return Err(unclosed_or(
                cursor,
                start,
                variant_at,
                SyntaxError::ExpectedVariant,
            ));
        }
        let Some(length) = cursor.rest().find([']', '\n']) else {
            return Err((start, SyntaxError::UnclosedPlaceable));
        };
        let key = cursor.rest()[..length].trim().to_owned();
        if !cursor.rest()[length..].starts_with(']') {
            return Err((variant_at, SyntaxError::ExpectedVariant));
        }
        cursor.at += length + 1;
        let category = PluralCategory::from_key(&key)
            .ok_or((variant_at, SyntaxError::UnknownCategory(key)))?;
        if is_default {
            if default.is_some() {
                return Err((variant_at, SyntaxError::SeveralDefaults));
            }
            default = Some(variants.len());
        }
        cursor.skip_inline_blank();
        let mut value = parse_elements(cursor, Within::Variant)?;
        if let Some(Element::Text(last)) = value.last_mut() {
            last.truncate(last.trim_end().len());
            if last.is_empty() {
                value.pop();
            }
        }
        variants.push(Variant { category, value });
    }
    let default = default.ok_or((start, SyntaxError::MissingDefault))?;
    Ok(Element::Select {
        selector: name,
        variants,
        default,
    })
}

/// At the end of the value the real problem is the unclosed `{` at `start`; elsewhere, `error`.
fn unclosed_or(
    cursor: &Cursor,
    start: usize,
    at: usize,
    error: SyntaxError,
) -> (usize, SyntaxError) {
    if cursor.rest().is_empty() {
        (start, SyntaxError::UnclosedPlaceable)
    } else {
        (at, error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn only(source: &str) -> Message {
        let mut messages = parse_file(source).expect("parses");
        assert_eq!(messages.len(), 1, "{messages:?}");
        messages.remove(0)
    }

    fn text(text: &str) -> Element {
        Element::Text(text.to_owned())
    }

    fn placeholder(name: &str) -> Element {
        Element::Placeholder(name.to_owned())
    }

    /// The first problem of a file that should not parse: its line and what it is.
    fn first_error(source: &str) -> (Option<usize>, Problem) {
        let errors = parse_file(source).expect_err("should not parse");
        (errors[0].line, errors[0].problem.clone())
    }

    #[test]
    fn reads_messages_comments_and_continuation_lines() {
        let source = "\u{feff}# A comment\n\napp-name = Tờ khai y tế\r\nhome-intro =\n    Khai báo\n    cho bản thân\n## Section\nversion=Phiên bản   \n";
        let messages = parse_file(source).expect("parses");
        let summary: Vec<_> = messages
            .iter()
            .map(|m| (m.key.as_str(), m.line, m.value.as_str()))
            .collect();
        assert_eq!(
            summary,
            [
                ("app-name", 3, "Tờ khai y tế"),
                ("home-intro", 4, "Khai báo\ncho bản thân"),
                ("version", 8, "Phiên bản"),
            ]
        );
        assert_eq!(messages[0].pattern, Pattern(vec![text("Tờ khai y tế")]));
    }

    #[test]
    fn reads_placeholders_and_selections() {
        let message = only(
            "items-waiting =\n    { $n ->\n        [one] { $n } item waiting\n       *[other] { $n } items waiting\n    }\n",
        );
        assert_eq!(
            message.pattern,
            Pattern(vec![Element::Select {
                selector: "n".into(),
                variants: vec![
                    Variant {
                        category: PluralCategory::One,
                        value: vec![placeholder("n"), text(" item waiting")],
                    },
                    Variant {
                        category: PluralCategory::Other,
                        value: vec![placeholder("n"), text(" items waiting")],
                    },
                ],
                default: 1,
            }])
        );
        assert_eq!(message.pattern.placeholders(), BTreeSet::from(["n"]));
        // The stored value reads back to the same pattern (that is what the tables carry).
        assert_eq!(Pattern::parse(&message.value), Ok(message.pattern));

        let inline = only("born-in = Năm sinh {$year}, { $place }.");
        assert_eq!(
            inline.pattern,
            Pattern(vec![
                text("Năm sinh "),
                placeholder("year"),
                text(", "),
                placeholder("place"),
                text("."),
            ])
        );
    }

    #[test]
    fn a_selection_may_close_on_the_first_column_and_keep_text_around_it() {
        let message = only("attempts = Tried { $n ->\n   *[other] { $n } times\n} today");
        assert_eq!(message.pattern.placeholders(), BTreeSet::from(["n"]));
        let Element::Select { variants, .. } = &message.pattern.0[1] else {
            panic!("{:?}", message.pattern);
        };
        assert_eq!(variants[0].value, [placeholder("n"), text(" times")]);
        assert_eq!(message.pattern.0[2], text(" today"));
    }

    #[test]
    fn errors_name_their_line() {
        use SyntaxError::*;
        let cases: [(&str, usize, SyntaxError); 11] = [
            ("a = x\nAppName = y", 2, InvalidKey("AppName".into())),
            ("a = x\nb-1 = y", 2, InvalidKey("b-1".into())),
            ("a = x\njust text", 2, MissingEquals),
            ("    indented = x", 1, ContinuationWithoutMessage),
            ("a = x\n# comment\n    stray", 3, ContinuationWithoutMessage),
            ("a =\n\nb = x", 1, EmptyValue),
            ("a = x\nb = { $n", 2, UnclosedPlaceable),
            ("a = x\nb = text }", 2, StrayClosingBrace),
            ("a = { n }", 1, ExpectedVariable),
            (
                "a =\n  { $n ->\n  [one] x\n  [other] y\n  }",
                2,
                MissingDefault,
            ),
            (
                "a =\n  { $n ->\n  [one] x\n *[lots] y\n  }",
                4,
                UnknownCategory("lots".into()),
            ),
        ];
        for (source, line, error) in cases {
            assert_eq!(
                first_error(source),
                (Some(line), Problem::Syntax(error)),
                "{source:?}"
            );
        }
        assert_eq!(
            first_error("a =\n  { $n ->\n *[one] x\n *[other] y\n  }"),
            (Some(4), Problem::Syntax(SeveralDefaults))
        );
        assert_eq!(
            first_error("a = { $n ->\n *[other] { $m ->\n *[other] x }\n }"),
            (Some(2), Problem::Syntax(NestedSelection))
        );
        assert_eq!(
            first_error("a = { $n -> oops }"),
            (Some(1), Problem::Syntax(ExpectedVariant))
        );
        assert_eq!(
            first_error("a = x\nb = y\na = z"),
            (Some(3), Problem::DuplicateKey)
        );
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let errors = parse_file("a = {\nB = x\nc = }\nd = ok").expect_err("broken");
        let lines: Vec<_> = errors.iter().map(|error| error.line).collect();
        assert_eq!(lines, [Some(1), Some(2), Some(3)]);
    }

    #[test]
    fn translations_are_checked_against_the_source() {
        let source = parse_file("a = Một\nb = { $n } mục").expect("parses");
        let ordered = check_translation(&source, "b = { $n } items\na = One").expect("valid");
        let keys: Vec<_> = ordered.iter().map(|m| m.key.as_str()).collect();
        assert_eq!(keys, ["a", "b"], "in the source's order");

        let errors = check_translation(&source, "a = One\nb = { $count } items\nc = Extra")
            .expect_err("invalid");
        let problems: Vec<_> = errors
            .iter()
            .map(|e| (e.line, e.key.as_deref(), &e.problem))
            .collect();
        assert_eq!(
            problems,
            [
                (
                    Some(2),
                    Some("b"),
                    &Problem::UnknownPlaceholder("count".into())
                ),
                (Some(3), Some("c"), &Problem::UnknownKey),
            ]
        );
        let errors = check_translation(&source, "b = items").expect_err("a is missing");
        assert_eq!(errors[0].key.as_deref(), Some("a"));
        assert_eq!(errors[0].problem, Problem::MissingKey);
    }

    #[test]
    fn hostile_inputs_are_errors() {
        for source in [
            "a = {",
            "a = {{{{",
            "a = { $",
            "a = { $n -",
            "a = { $n -> [",
            "a = { $n -> *[other",
            "a = { $n -> *[other]",
            "a = { $n -> *[other] { $n ",
            "a = { $n -> *[ot\nher] x }",
            "a = }}}}",
            "= x",
            "-term = x",
            "a = { $n -> *[other] x } }",
        ] {
            assert!(parse_file(source).is_err(), "{source:?}");
        }
    }

    /// Pieces of Fluent, so that random inputs reach deep into the parser.
    fn fragments() -> impl Strategy<Value = String> {
        let piece = prop::sample::select(vec![
            "{", "}", "$", "$n", "->", "[", "]", "*", "[one]", "*[other]", "\n", "\n  ", " ", "=",
            "a", "key = ", "#", "é", "\r\n", "\u{feff}",
        ]);
        prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
    }

    proptest! {
        #[test]
        fn parsing_never_panics(source in "\\PC*", fluent in fragments()) {
            let _ = parse_file(&source);
            let _ = parse_file(&fluent);
            let _ = Pattern::parse(&fluent);
        }

        #[test]
        fn a_stored_value_reads_back_to_its_pattern(fluent in fragments()) {
            for message in parse_file(&fluent).unwrap_or_default() {
                prop_assert_eq!(Pattern::parse(&message.value), Ok(message.pattern));
            }
        }

        #[test]
        fn plain_text_is_kept(words in "[^{}\\s#\\[*=][^{}\\n]{0,40}") {
            let message = only(&format!("k = {words}"));
            prop_assert_eq!(message.value, words.trim());
        }
    }
}

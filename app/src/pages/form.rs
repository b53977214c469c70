//! Forms as data. A form is a table of [`Item`]s, and what it holds is the JSON of its `domain`
//! draft (`ProfileDraft`, `DeclarationDraft<…>`, `VenueDraft`): every field names its value by
//! the path it has in that JSON, which is also the input's id and the name `domain` reports the
//! field's errors under (`answers.travel.seat`). So one renderer (`super::fields`) serves every
//! field of every form, and the typed drafts appear only where a form starts and where it is
//! checked, through the same validators the server runs.

use domain::i18n::Text;
use domain::validation::FieldError;
use indexed_db_futures::{DeserialiseFromJs, SerialiseToJs};
use leptos::prelude::*;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::adapters::document;
use crate::adapters::drafts::{use_draft, UseDraft};

/// One part of a form's table.
pub enum Item {
    Field(Field),
    /// Fields under a legend of their own.
    Fieldset {
        legend: Text,
        items: &'static [Item],
    },
    /// Fields that several forms ask in the same way (the journey), in the order given.
    Fields(&'static [Item]),
    /// Guidance shown before the fields that follow it.
    Note(Text),
}

/// One field: where its value sits in the draft, what it is called and how it is answered.
pub struct Field {
    /// The dotted path of the value in the draft's JSON; also the input's id and the field the
    /// errors name.
    pub path: &'static str,
    /// The label, or the legend of a group of inputs.
    pub label: Text,
    pub hint: Option<Text>,
    pub kind: Kind,
}

/// How a field is answered, and so the shape of its value in the draft.
#[derive(Clone, Copy)]
pub enum Kind {
    /// A line of text (a string).
    Text(Input),
    /// A box to tick (a boolean).
    Checkbox,
    /// Any number of the options (an array of their values).
    Several(Options),
    /// One of the options, as radio buttons.
    OneOf(Options),
    /// One of the options, or none of them (`none` its label), in a drop-down list.
    Select { none: Text, options: Options },
    /// A province and, under it, its ward (codes); the field's path is the province's.
    Place { ward: &'static str },
    /// Any number of provinces (an array of codes).
    Provinces,
    /// One country (an ISO 3166 code, or null).
    Country,
    /// Any number of countries (an array of codes).
    Countries,
    /// The device's position, taken when the user asks (an object, or null).
    Position,
}

/// The attributes of a text input that tell the browser what is typed.
#[derive(Clone, Copy)]
pub struct Input {
    pub input_type: &'static str,
    pub input_mode: &'static str,
    pub autocomplete: &'static str,
    /// The `domain` limit of the field, also set on the input so that typing stops there
    /// instead of being refused after the fact.
    pub max_chars: Option<usize>,
}

impl Input {
    /// Text the browser has no business filling in.
    pub const FREE: Input = Input::line("off");
    pub const TEL: Input = Input {
        input_type: "tel",
        input_mode: "tel",
        autocomplete: "tel",
        max_chars: None,
    };
    pub const EMAIL: Input = Input {
        input_type: "email",
        input_mode: "email",
        autocomplete: "email",
        max_chars: None,
    };
    pub const DATE: Input = Input {
        input_type: "date",
        input_mode: "text",
        autocomplete: "off",
        max_chars: None,
    };

    pub const fn line(autocomplete: &'static str) -> Input {
        Input {
            input_type: "text",
            input_mode: "text",
            autocomplete,
            max_chars: None,
        }
    }

    /// Digits, on a keyboard of digits.
    pub const fn numeric(autocomplete: &'static str) -> Input {
        Input {
            input_type: "text",
            input_mode: "numeric",
            autocomplete,
            max_chars: None,
        }
    }

    /// The same input, holding at most `max_chars` characters.
    pub const fn up_to(self, max_chars: usize) -> Input {
        Input {
            max_chars: Some(max_chars),
            ..self
        }
    }
}

/// The options of a choice, built when the field is shown (their values come from serde).
pub type Options = fn() -> Vec<FieldOption>;

/// One option of a choice: its value in the draft and its label.
#[derive(Clone)]
pub struct FieldOption {
    pub value: Value,
    pub text: Text,
}

impl FieldOption {
    /// The option that stands for no choice.
    pub fn none(text: Text) -> FieldOption {
        FieldOption {
            value: Value::Null,
            text,
        }
    }

    /// The value as an `<option value>`: a string, or empty for none.
    pub fn attribute(&self) -> &str {
        self.value.as_str().unwrap_or_default()
    }
}

/// One option per value of `all` (a `domain` enum), named as serde names it.
pub fn options<T: Serialize + Copy>(all: &[T], text: fn(T) -> Text) -> Vec<FieldOption> {
    all.iter()
        .map(|&value| FieldOption {
            value: encode(&value),
            text: text(value),
        })
        .collect()
}

const fn field(path: &'static str, label: Text, hint: Option<Text>, kind: Kind) -> Item {
    Item::Field(Field {
        path,
        label,
        hint,
        kind,
    })
}

pub const fn text(path: &'static str, label: Text, hint: Option<Text>, input: Input) -> Item {
    field(path, label, hint, Kind::Text(input))
}

pub const fn checkbox(path: &'static str, label: Text) -> Item {
    field(path, label, None, Kind::Checkbox)
}

pub const fn several(path: &'static str, legend: Text, options: Options) -> Item {
    field(path, legend, None, Kind::Several(options))
}

pub const fn one_of(path: &'static str, legend: Text, options: Options) -> Item {
    field(path, legend, None, Kind::OneOf(options))
}

pub const fn select(path: &'static str, label: Text, none: Text, options: Options) -> Item {
    field(path, label, None, Kind::Select { none, options })
}

/// The province and ward comboboxes of an address.
pub const fn place(province: &'static str, ward: &'static str) -> Item {
    field(
        province,
        Text::Province,
        Some(Text::PlaceSearchHint),
        Kind::Place { ward },
    )
}

pub const fn provinces(path: &'static str, label: Text) -> Item {
    field(path, label, None, Kind::Provinces)
}

pub const fn country(path: &'static str, label: Text) -> Item {
    field(path, label, None, Kind::Country)
}

pub const fn countries(path: &'static str, label: Text) -> Item {
    field(path, label, None, Kind::Countries)
}

pub const fn position(path: &'static str, label: Text) -> Item {
    field(path, label, None, Kind::Position)
}

pub const fn fieldset(legend: Text, items: &'static [Item]) -> Item {
    Item::Fieldset { legend, items }
}

// Drafts pass between their types and a form's JSON through the JS values IndexedDB keeps them
// as: the (de)serialisers of the answers are then the ones that storing and reading submissions
// already need, not a second copy of each for `serde_json::Value`.

/// A draft as the JSON a form holds.
pub fn encode<T: Serialize>(draft: &T) -> Value {
    let js = draft
        .serialise_to_js()
        .expect("drafts are plain data, with string keys only");
    Value::deserialise_from_js(js).expect("any JS value made from data reads as JSON")
}

/// The form's JSON as the draft `D`, if it has that shape.
fn decode<D: DeserializeOwned>(values: &Value) -> Option<D> {
    D::deserialise_from_js(values.serialise_to_js().ok()?).ok()
}

/// A form's state: the values typed, kept on the device as a draft until the form is done with,
/// and the errors last found in them.
#[derive(Clone, Copy)]
pub struct Form {
    values: ReadSignal<Value>,
    set_values: WriteSignal<Value>,
    errors: ReadSignal<Vec<FieldError>>,
    set_errors: WriteSignal<Vec<FieldError>>,
    draft: UseDraft,
    initial: StoredValue<Value>,
}

impl Form {
    /// A form that opens with `initial` (a draft from [`encode`]), or with what was typed into
    /// the form `draft_name` before a reload or a crash.
    pub fn new(draft_name: String, initial: Value) -> Form {
        let (values, set_values) = signal(initial.clone());
        let (errors, set_errors) = signal(Vec::new());
        let draft = use_draft(draft_name, values, set_values);
        Form {
            values,
            set_values,
            errors,
            set_errors,
            draft,
            initial: StoredValue::new(initial),
        }
    }

    /// The value at `path`; tracked.
    pub fn value(self, path: &str) -> Value {
        self.values
            .read()
            .pointer(&pointer(path))
            .cloned()
            .unwrap_or_default()
    }

    pub fn text(self, path: &str) -> String {
        self.value(path).as_str().unwrap_or_default().to_owned()
    }

    pub fn ticked(self, path: &str) -> bool {
        self.value(path).as_bool().unwrap_or(false)
    }

    /// The code chosen at `path` (a province, a ward).
    pub fn code(self, path: &str) -> Option<u32> {
        self.value(path).as_u64()?.try_into().ok()
    }

    /// The values listed at `path`.
    pub fn items(self, path: &str) -> Vec<Value> {
        match self.value(path) {
            Value::Array(items) => items,
            _ => Vec::new(),
        }
    }

    /// Whether `option` is the value at `path`, or one of those listed there.
    pub fn is_chosen(self, path: &str, option: &Value) -> bool {
        match self.value(path) {
            Value::Array(items) => items.contains(option),
            value => value == *option,
        }
    }

    pub fn set(self, path: &str, value: Value) {
        self.set_values.update(|values| write(values, path, value));
    }

    /// Adds `item` to the list at `path`, or takes it out.
    pub fn toggle(self, path: &str, item: Value, present: bool) {
        let mut items = self.items(path);
        items.retain(|listed| *listed != item);
        if present {
            items.push(item);
        }
        self.set(path, Value::Array(items));
    }

    /// Replaces everything typed (by the answers given last time).
    pub fn fill(self, values: Value) {
        self.set_values.set(values);
    }

    pub fn errors(self) -> ReadSignal<Vec<FieldError>> {
        self.errors
    }

    /// A draft from an earlier visit was put back into the form.
    pub fn restored(self) -> ReadSignal<bool> {
        self.draft.restored
    }

    /// The values as the domain draft `D`, for checking.
    pub fn draft<D: DeserializeOwned>(self) -> Option<D> {
        let draft = self.values.with_untracked(decode);
        if draft.is_none() {
            // A draft an older version kept in a shape this one cannot read: the form starts
            // afresh, as it would if the draft had not loaded.
            self.set_values.set(self.initial.get_value());
        }
        draft
    }

    /// What the check found: the errors shown next to their fields, or the checked content.
    pub fn report<T>(self, checked: Result<T, Vec<FieldError>>) -> Option<T> {
        let (content, errors) = match checked {
            Ok(content) => (Some(content), Vec::new()),
            Err(errors) => (None, errors),
        };
        if !errors.is_empty() {
            document::focus_first_invalid();
        }
        self.set_errors.set(errors);
        content
    }

    /// Forgets the draft, once what it holds is saved or sent.
    pub fn done(self) {
        self.draft.clear();
    }
}

/// `answers.travel.seat` as the JSON pointer `/answers/travel/seat`.
fn pointer(path: &str) -> String {
    format!("/{}", path.replace('.', "/"))
}

/// Puts `value` at `path`, making the objects on the way if a draft kept by an older version of
/// the form lacks them.
fn write(values: &mut Value, path: &str, value: Value) {
    let mut at = values;
    for key in path.split('.') {
        if !at.is_object() {
            *at = Value::Object(Map::new());
        }
        let Value::Object(object) = at else {
            unreachable!("made an object just above");
        };
        at = object.entry(key).or_insert(Value::Null);
    }
    *at = value;
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_are_written_at_their_path() {
        let mut values = json!({ "answers": { "travel": { "seat": "" } }, "on_behalf": false });
        write(&mut values, "answers.travel.seat", json!("12A"));
        write(&mut values, "answers.departure.province", json!(79));
        assert_eq!(
            values,
            json!({
                "answers": { "travel": { "seat": "12A" }, "departure": { "province": 79 } },
                "on_behalf": false
            })
        );
        assert_eq!(
            values.pointer(&pointer("answers.travel.seat")),
            Some(&json!("12A"))
        );
    }
}

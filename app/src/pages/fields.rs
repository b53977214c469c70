//! Form controls shared by the screens, labelled, described and wired for screen readers, and
//! the one renderer of the fields of `super::form` tables.

use std::future::Future;
use std::sync::Arc;

use domain::i18n::{error_message, Text};
use domain::validation::{ErrorCode, FieldError};
use leptos::prelude::*;
use leptos_router::components::A;
use serde_json::Value;

use crate::adapters::assets::AssetError;
use crate::adapters::geolocation::current_position;
use crate::i18n::use_i18n;
use crate::pages::country::{country_list, country_picker, with_countries};
use crate::pages::form::{encode, Field, FieldOption, Form, Item, Kind};
use crate::pages::place::{place_picker, province_list, with_catalogue};

/// The items of a form's table, rendered against its state.
pub fn render_items(items: &'static [Item], form: Form) -> AnyView {
    items
        .iter()
        .map(|item| render_item(item, form))
        .collect_view()
        .into_any()
}

fn render_item(item: &'static Item, form: Form) -> AnyView {
    let i18n = use_i18n();
    match item {
        Item::Field(field) => render_field(field, form),
        Item::Fieldset { legend, items } => view! {
            <fieldset>
                <legend>{move || i18n.t(*legend)}</legend>
                {render_items(items, form)}
            </fieldset>
        }
        .into_any(),
        Item::Fields(items) => render_items(items, form),
        Item::Note(text) => view! { <p class="hint">{move || i18n.t(*text)}</p> }.into_any(),
    }
}

fn render_field(field: &'static Field, form: Form) -> AnyView {
    let path = field.path;
    match field.kind {
        Kind::Text(input) => view! {
            <TextField
                name=path
                label=field.label
                hint=field.hint
                input_type=input.input_type
                input_mode=input.input_mode
                autocomplete=input.autocomplete
                max_chars=input.max_chars
                value=Signal::derive(move || form.text(path))
                on_input=move |value| form.set(path, Value::String(value))
                errors=form.errors()
            />
        }
        .into_any(),
        Kind::Checkbox => view! {
            <Checkbox
                name=path
                label=field.label
                checked=Signal::derive(move || form.ticked(path))
                on_change=move |ticked| form.set(path, Value::Bool(ticked))
                errors=form.errors()
            />
        }
        .into_any(),
        Kind::Several(options) => choice_group(field, true, options(), form),
        Kind::OneOf(options) => choice_group(field, false, options(), form),
        Kind::Select { none, options } => select(field, none, options(), form),
        Kind::Place { ward } => {
            with_catalogue(move |catalogue| place_picker(catalogue, field, ward, form))
        }
        Kind::Provinces => with_catalogue(move |catalogue| province_list(catalogue, field, form)),
        Kind::Country => with_countries(move |list| country_picker(list, field, form)),
        Kind::Countries => with_countries(move |list| country_list(list, field, form)),
        Kind::Position => position(field, form),
    }
}

/// The submit button of a form, named `label` and disabled while `pending`, and the way `back`.
pub fn form_actions(label: Signal<Text>, pending: Signal<bool>, back: &'static str) -> AnyView {
    let i18n = use_i18n();
    view! {
        <div class="actions">
            <button type="submit" class="button button-primary" disabled=pending>
                {move || i18n.t(label.get())}
            </button>
            <A href=back attr:class="button">{move || i18n.t(Text::Cancel)}</A>
        </div>
    }
    .into_any()
}

/// What a form says above its fields: that an earlier draft was put back, and that some fields
/// need fixing.
pub fn form_notices(form: Form) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Show when=move || form.restored().get()>
            <p class="hint" role="status">{move || i18n.t(Text::DraftRestored)}</p>
        </Show>
        <Show when=move || !form.errors().read().is_empty()>
            <p class="notice-error" role="alert">{move || i18n.t(Text::FixHighlightedFields)}</p>
        </Show>
    }
}

/// A labelled one-line input with its hint and its translated error, wired for screen readers.
#[component]
pub fn TextField(
    name: &'static str,
    label: Text,
    #[prop(optional_no_strip)] hint: Option<Text>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(default = "text")] input_mode: &'static str,
    autocomplete: &'static str,
    #[prop(optional_no_strip)] max_chars: Option<usize>,
    #[prop(into)] value: Signal<String>,
    #[prop(into)] on_input: Callback<String>,
    errors: ReadSignal<Vec<FieldError>>,
    /// A text of several lines (a `<textarea>`).
    #[prop(optional)]
    multiline: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let notes = FieldNotes::new(name, hint, errors);
    let control = if multiline {
        view! {
            <textarea
                id=name
                name=name
                rows="4"
                maxlength=max_chars
                prop:value=value
                aria-invalid=move || notes.invalid()().then_some("true")
                aria-describedby=notes.described_by()
                on:input=move |ev| on_input.run(event_target_value(&ev))
            ></textarea>
        }
        .into_any()
    } else {
        view! {
            <input
                id=name
                name=name
                type=input_type
                inputmode=input_mode
                autocomplete=autocomplete
                maxlength=max_chars
                prop:value=value
                aria-invalid=move || notes.invalid()().then_some("true")
                aria-describedby=notes.described_by()
                on:input=move |ev| on_input.run(event_target_value(&ev))
            />
        }
        .into_any()
    };
    view! {
        <div class="field" class:field-invalid=notes.invalid()>
            <label for=name>{move || i18n.t(label)}</label>
            {notes.hint_view()}
            {control}
            {notes.error_view()}
        </div>
    }
}

/// What a field says beside its input, its hint and its translated error, and the ids that the
/// input's `aria-describedby` names.
#[derive(Clone, Copy)]
struct FieldNotes {
    name: &'static str,
    hint: Option<Text>,
    error: Memo<Option<ErrorCode>>,
}

impl FieldNotes {
    fn new(name: &'static str, hint: Option<Text>, errors: ReadSignal<Vec<FieldError>>) -> Self {
        let error = Memo::new(move |_| {
            errors
                .read()
                .iter()
                .find(|error| error.field == name)
                .map(|error| error.code)
        });
        FieldNotes { name, hint, error }
    }

    fn invalid(self) -> impl Fn() -> bool + Copy + Send + Sync + 'static {
        move || self.error.read().is_some()
    }

    fn described_by(self) -> impl Fn() -> Option<String> + Send + Sync + 'static {
        move || {
            let mut ids = Vec::new();
            if self.hint.is_some() {
                ids.push(format!("{}-hint", self.name));
            }
            if self.error.read().is_some() {
                ids.push(format!("{}-error", self.name));
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    }

    fn hint_view(self) -> impl IntoView {
        let i18n = use_i18n();
        self.hint.map(|hint| {
            view! { <p class="hint" id=format!("{}-hint", self.name)>{move || i18n.t(hint)}</p> }
        })
    }

    fn error_view(self) -> impl IntoView {
        let i18n = use_i18n();
        move || {
            self.error.get().map(|code| {
                view! {
                    <p class="error" id=format!("{}-error", self.name)>
                        {move || error_message(i18n.lang(), &code)}
                    </p>
                }
            })
        }
    }
}

/// A labelled checkbox; with `errors`, it shows the error recorded under its name (a required
/// commitment).
#[component]
pub fn Checkbox(
    name: &'static str,
    label: Text,
    #[prop(into)] checked: Signal<bool>,
    #[prop(into)] on_change: Callback<bool>,
    #[prop(optional)] errors: Option<ReadSignal<Vec<FieldError>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let notes = errors.map(|errors| FieldNotes::new(name, None, errors));
    view! {
        <div class="check" class:field-invalid=move || notes.is_some_and(|notes| notes.invalid()())>
            <input
                type="checkbox"
                id=name
                name=name
                prop:checked=checked
                aria-invalid=move || notes.is_some_and(|notes| notes.invalid()()).then_some("true")
                aria-describedby=move || notes.and_then(|notes| notes.described_by()())
                on:change=move |ev| on_change.run(event_target_checked(&ev))
            />
            <label for=name>{move || i18n.t(label)}</label>
            {notes.map(FieldNotes::error_view)}
        </div>
    }
}

/// A fieldset of checkboxes (choosing `several`) or radio buttons, one per option, with the
/// group's error.
fn choice_group(
    field: &'static Field,
    several: bool,
    options: Vec<FieldOption>,
    form: Form,
) -> AnyView {
    let i18n = use_i18n();
    let path = field.path;
    let notes = FieldNotes::new(path, field.hint, form.errors());
    let input_type = if several { "checkbox" } else { "radio" };
    view! {
        <fieldset class:field-invalid=notes.invalid() aria-describedby=notes.described_by()>
            <legend>{move || i18n.t(field.label)}</legend>
            {notes.hint_view()}
            {options
                .into_iter()
                .enumerate()
                .map(|(index, FieldOption { value, text })| {
                    let id = format!("{path}-{index}");
                    let chosen = value.clone();
                    let on_change = move |ev| {
                        if several {
                            form.toggle(path, value.clone(), event_target_checked(&ev));
                        } else {
                            form.set(path, value.clone());
                        }
                    };
                    view! {
                        <div class="check">
                            <input
                                type=input_type
                                id=id.clone()
                                name=path
                                prop:checked=move || form.is_chosen(path, &chosen)
                                on:change=on_change
                            />
                            <label for=id>{move || i18n.t(text)}</label>
                        </div>
                    }
                })
                .collect_view()}
            {notes.error_view()}
        </fieldset>
    }
    .into_any()
}

/// A drop-down list of `options` after the one that stands for none.
fn select(field: &'static Field, none: Text, options: Vec<FieldOption>, form: Form) -> AnyView {
    let i18n = use_i18n();
    let path = field.path;
    let options: Vec<_> = std::iter::once(FieldOption::none(none))
        .chain(options)
        .collect();
    let notes = FieldNotes::new(path, field.hint, form.errors());
    let listed = options.clone();
    let on_change = move |ev| {
        let chosen = event_target_value(&ev);
        if let Some(option) = listed.iter().find(|option| option.attribute() == chosen) {
            form.set(path, option.value.clone());
        }
    };
    view! {
        <div class="field" class:field-invalid=notes.invalid()>
            <label for=path>{move || i18n.t(field.label)}</label>
            {notes.hint_view()}
            <select
                id=path
                name=path
                aria-invalid=move || notes.invalid()().then_some("true")
                aria-describedby=notes.described_by()
                on:change=on_change
            >
                {options
                    .into_iter()
                    .map(|option| {
                        let attribute = option.attribute().to_owned();
                        let FieldOption { value, text } = option;
                        view! {
                            <option value=attribute selected=move || form.is_chosen(path, &value)>
                                {move || i18n.t(text)}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            {notes.error_view()}
        </div>
    }
    .into_any()
}

/// A button that takes the device's position when pressed, and says whether it could.
fn position(field: &'static Field, form: Form) -> AnyView {
    let i18n = use_i18n();
    let (found, set_found) = signal(None::<bool>);
    let locate = Action::new_local(move |_: &()| async move {
        let position = current_position().await;
        set_found.set(Some(position.is_some()));
        form.set(field.path, encode(&position));
    });
    view! {
        <div class="field">
            <button type="button" class="button" on:click=move |_| { locate.dispatch(()); }>
                {move || i18n.t(field.label)}
            </button>
            {move || found.get().map(|found| {
                let text = if found { Text::LocationSaved } else { Text::LocationUnavailable };
                view! { <p class="hint" role="status">{move || i18n.t(text)}</p> }
            })}
        </div>
    }
    .into_any()
}

/// Shows `ready` with a reference list once `load` has it, "loading" before, and `unavailable`
/// when it cannot be had (offline before the first visit cached it).
pub fn when_loaded<T, Fut>(
    load: fn() -> Fut,
    unavailable: Text,
    ready: Box<dyn Fn(Arc<T>) -> AnyView + Send + Sync>,
) -> AnyView
where
    T: Send + Sync + 'static,
    Fut: Future<Output = Result<Arc<T>, AssetError>> + 'static,
{
    let i18n = use_i18n();
    let loaded = LocalResource::new(load);
    let shown = move || match loaded.get() {
        None => view! { <p>{move || i18n.t(Text::Loading)}</p> }.into_any(),
        Some(Err(_)) => {
            view! { <p class="notice-error" role="alert">{move || i18n.t(unavailable)}</p> }
                .into_any()
        }
        Some(Ok(list)) => ready(list),
    };
    shown.into_any()
}

/// One option of a [`combobox`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub code: u32,
    pub label: String,
}

/// The options of a [`combobox`] for the typed text, at most `limit` of them, best first.
pub type Search = Arc<dyn Fn(&str, usize) -> Vec<Choice> + Send + Sync>;

/// Most options listed at once; the search narrows the rest.
const MAX_CHOICES: usize = 12;

/// What a [`combobox`] offers and what choosing does.
pub struct Choices {
    /// The chosen option's text, shown while not typing.
    pub chosen: Signal<String>,
    pub search: Search,
    pub choose: Callback<Option<u32>>,
}

/// A searchable combobox (WAI-ARIA pattern): type to filter, arrows and Enter or a tap to choose,
/// Escape to close.
pub fn combobox(
    name: &'static str,
    label: Text,
    hint: Option<Text>,
    form: Form,
    choices: Choices,
) -> AnyView {
    let i18n = use_i18n();
    let Choices {
        chosen,
        search,
        choose: on_choose,
    } = choices;
    let (query, set_query) = signal(String::new());
    let (editing, set_editing) = signal(false);
    let (open, set_open) = signal(false);
    let (active, set_active) = signal(0usize);
    let listbox_id = format!("{name}-listbox");
    let notes = FieldNotes::new(name, hint, form.errors());

    let options = move || {
        if open.get() {
            search(&query.get(), MAX_CHOICES)
        } else {
            Vec::new()
        }
    };
    let choose = move |code: Option<u32>| {
        on_choose.run(code);
        set_editing.set(false);
        set_open.set(false);
        set_query.set(String::new());
    };
    let on_keydown = {
        let options = options.clone();
        move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
            "ArrowDown" => {
                ev.prevent_default();
                if !open.get_untracked() {
                    set_open.set(true);
                    set_active.set(0);
                } else {
                    let last = options().len().saturating_sub(1);
                    set_active.update(|index| *index = (*index + 1).min(last));
                }
            }
            "ArrowUp" => {
                ev.prevent_default();
                set_active.update(|index| *index = index.saturating_sub(1));
            }
            "Enter" if open.get_untracked() => {
                // Choosing must not submit the form.
                ev.prevent_default();
                if let Some(choice) = options().get(active.get_untracked()) {
                    choose(Some(choice.code));
                }
            }
            "Escape" => {
                set_open.set(false);
                set_editing.set(false);
            }
            _ => {}
        }
    };
    let on_blur = {
        move |_| {
            if editing.get_untracked() && query.get_untracked().trim().is_empty() {
                choose(None);
            } else {
                set_editing.set(false);
                set_open.set(false);
            }
        }
    };

    view! {
        <div class="field combobox" class:field-invalid=notes.invalid()>
            <label for=name>{move || i18n.t(label)}</label>
            {notes.hint_view()}
            <input
                id=name
                name=name
                type="text"
                role="combobox"
                autocomplete="off"
                aria-autocomplete="list"
                aria-controls=listbox_id.clone()
                aria-expanded=move || open.get().to_string()
                aria-activedescendant={
                    let options = options.clone();
                    move || (!options().is_empty()).then(|| format!("{name}-option-{}", active.get()))
                }
                aria-invalid=move || notes.invalid()().then_some("true")
                aria-describedby=notes.described_by()
                prop:value=move || if editing.get() { query.get() } else { chosen.get() }
                on:input=move |ev| {
                    set_query.set(event_target_value(&ev));
                    set_editing.set(true);
                    set_open.set(true);
                    set_active.set(0);
                }
                on:keydown=on_keydown
                on:blur=on_blur
            />
            <ul id=listbox_id role="listbox" aria-label=move || i18n.t(label) class="choices" class:open=open>
                {move || {
                    let choices = options();
                    if open.get() && choices.is_empty() {
                        return view! { <li class="no-choice">{move || i18n.t(Text::NoMatches)}</li> }.into_any();
                    }
                    choices
                        .into_iter()
                        .enumerate()
                        .map(|(index, choice)| {
                                                view! {
                                <li
                                    id=format!("{name}-option-{index}")
                                    role="option"
                                    aria-selected=move || (active.get() == index).to_string()
                                    on:mousedown=move |ev| {
                                        // Keep the focus in the input; the choice is made here.
                                        ev.prevent_default();
                                        choose(Some(choice.code));
                                    }
                                >
                                    {choice.label.clone()}
                                </li>
                            }
                        })
                        .collect_view()
                        .into_any()
                }}
            </ul>
            {notes.error_view()}
        </div>
    }
    .into_any()
}

/// What the option `code` of a searchable list stands for in the draft.
pub type OptionValue = Arc<dyn Fn(u32) -> Option<Value> + Send + Sync>;

/// Several choices from a searchable list, kept at `field.path`: those chosen (`items`) are
/// listed, each with a remove button, and a combobox adds more.
pub fn choice_list(
    field: &'static Field,
    form: Form,
    items: Signal<Vec<Choice>>,
    search: Search,
    value_of: OptionValue,
) -> AnyView {
    let i18n = use_i18n();
    let (name, label) = (field.path, field.label);
    let update = Callback::new(move |(code, add): (u32, bool)| {
        if let Some(value) = value_of(code) {
            form.toggle(name, value, add);
        }
    });
    let add = Callback::new(move |code: Option<u32>| {
        if let Some(code) = code {
            update.run((code, true));
        }
    });
    let choices = Choices {
        chosen: Signal::derive(String::new),
        search,
        choose: add,
    };
    view! {
        <div class="choice-list">
            {combobox(name, label, Some(Text::AddPlaceHint), form, choices)}
            {move || {
                if items.read().is_empty() {
                    return view! { <p class="hint">{move || i18n.t(Text::NoneChosen)}</p> }.into_any();
                }
                view! {
                    <ul class="chips" aria-label=move || i18n.t(label)>
                        {items
                            .get()
                            .into_iter()
                            .map(|choice| {
                                let name = choice.label.clone();
                                let remove_label = move || format!("{} {name}", i18n.t(Text::RemoveChoice));
                                view! {
                                    <li class="chip">
                                        <span>{choice.label.clone()}</span>
                                        <button
                                            type="button"
                                            class="chip-remove"
                                            aria-label=remove_label
                                            on:click=move |_| update.run((choice.code, false))
                                        >
                                            "×"
                                        </button>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </div>
    }
    .into_any()
}

/// A destructive action that asks once more: the first press offers the confirming button and a
/// way back.
#[component]
pub fn ConfirmedAction(
    label: Text,
    confirm: Text,
    back: Text,
    on_confirm: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let (confirming, set_confirming) = signal(false);
    let on_confirm = std::sync::Arc::new(on_confirm);
    view! {
        <Show
            when=move || confirming.get()
            fallback=move || view! {
                <button type="button" class="button button-danger" on:click=move |_| set_confirming.set(true)>
                    {move || i18n.t(label)}
                </button>
            }
        >
            <button
                type="button"
                class="button button-danger"
                on:click={
                    let on_confirm = on_confirm.clone();
                    move |_| on_confirm()
                }
            >
                {move || i18n.t(confirm)}
            </button>
            <button type="button" class="button" on:click=move |_| set_confirming.set(false)>
                {move || i18n.t(back)}
            </button>
        </Show>
    }
}

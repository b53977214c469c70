//! Form controls shared by the screens: labelled, described and wired for screen readers.

use std::collections::BTreeSet;
use std::future::Future;
use std::sync::Arc;

use domain::i18n::{error_message, Text};
use domain::profile::Gender;
use domain::validation::{ErrorCode, FieldError};
use leptos::prelude::*;

use crate::adapters::assets::AssetError;
use crate::i18n::use_i18n;

/// A labelled one-line input with its hint and its translated error, wired for screen readers.
#[component]
pub fn TextField(
    name: &'static str,
    label: Text,
    #[prop(optional)] hint: Option<Text>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(default = "text")] input_mode: &'static str,
    autocomplete: &'static str,
    #[prop(into)] value: Signal<String>,
    on_input: impl Fn(String) + 'static,
    errors: ReadSignal<Vec<FieldError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let notes = FieldNotes::new(name, hint, errors);
    view! {
        <div class="field" class:field-invalid=notes.invalid()>
            <label for=name>{move || i18n.t(label)}</label>
            {notes.hint_view()}
            <input
                id=name
                name=name
                type=input_type
                inputmode=input_mode
                autocomplete=autocomplete
                prop:value=value
                aria-invalid=move || notes.invalid()().then_some("true")
                aria-describedby=notes.described_by()
                on:input=move |ev| on_input(event_target_value(&ev))
            />
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
    on_change: impl Fn(bool) + 'static,
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
                on:change=move |ev| on_change(event_target_checked(&ev))
            />
            <label for=name>{move || i18n.t(label)}</label>
            {notes.map(FieldNotes::error_view)}
        </div>
    }
}

/// A group of checkboxes choosing any number of `options` (signs, conditions, …).
#[component]
pub fn ChoiceSet<T>(
    name: &'static str,
    legend: Text,
    options: &'static [T],
    text: fn(T) -> Text,
    #[prop(into)] chosen: Signal<BTreeSet<T>>,
    on_change: impl Fn(BTreeSet<T>) + Clone + Send + Sync + 'static,
    errors: ReadSignal<Vec<FieldError>>,
) -> impl IntoView
where
    T: Copy + Ord + Send + Sync + 'static,
{
    let toggle = move |option: T, checked: bool| {
        on_change(toggled(chosen.get_untracked(), option, checked));
    };
    let group = ChoiceGroup {
        name,
        legend,
        options,
        text,
        errors,
    };
    group.view(
        "checkbox",
        move |option| chosen.read().contains(&option),
        toggle,
    )
}

/// `set` with `item` in it or not.
pub fn toggled<T: Ord>(mut set: BTreeSet<T>, item: T, present: bool) -> BTreeSet<T> {
    if present {
        set.insert(item);
    } else {
        set.remove(&item);
    }
    set
}

/// A group of radio buttons choosing one of `options`.
#[component]
pub fn RadioGroup<T>(
    name: &'static str,
    legend: Text,
    options: &'static [T],
    text: fn(T) -> Text,
    #[prop(into)] chosen: Signal<Option<T>>,
    on_change: impl Fn(T) + Clone + Send + Sync + 'static,
    errors: ReadSignal<Vec<FieldError>>,
) -> impl IntoView
where
    T: Copy + PartialEq + Send + Sync + 'static,
{
    let group = ChoiceGroup {
        name,
        legend,
        options,
        text,
        errors,
    };
    group.view(
        "radio",
        move |option| chosen.get() == Some(option),
        move |option, _| on_change(option),
    )
}

/// A fieldset of labelled checkboxes or radio buttons, one per option, with the group's error.
struct ChoiceGroup<T: 'static> {
    name: &'static str,
    legend: Text,
    options: &'static [T],
    text: fn(T) -> Text,
    errors: ReadSignal<Vec<FieldError>>,
}

impl<T: Copy + Send + Sync + 'static> ChoiceGroup<T> {
    fn view(
        self,
        input_type: &'static str,
        checked: impl Fn(T) -> bool + Copy + Send + Sync + 'static,
        on_change: impl Fn(T, bool) + Clone + Send + Sync + 'static,
    ) -> impl IntoView {
        let i18n = use_i18n();
        let ChoiceGroup {
            name,
            legend,
            options,
            text,
            errors,
        } = self;
        let notes = FieldNotes::new(name, None, errors);
        view! {
            <fieldset class:field-invalid=notes.invalid() aria-describedby=notes.described_by()>
                <legend>{move || i18n.t(legend)}</legend>
                {options
                    .iter()
                    .enumerate()
                    .map(|(index, &option)| {
                        let id = format!("{name}-{index}");
                        let on_change = on_change.clone();
                        view! {
                            <div class="check">
                                <input
                                    type=input_type
                                    id=id.clone()
                                    name=name
                                    prop:checked=move || checked(option)
                                    on:change=move |ev| on_change(option, event_target_checked(&ev))
                                />
                                <label for=id>{move || i18n.t(text(option))}</label>
                            </div>
                        }
                    })
                    .collect_view()}
                {notes.error_view()}
            </fieldset>
        }
    }
}

/// Shows `ready` with a reference list once `load` has it, "loading" before, and `unavailable`
/// when it cannot be had (offline before the first visit cached it).
pub fn when_loaded<T, Fut>(
    load: fn() -> Fut,
    unavailable: Text,
    ready: impl Fn(Arc<T>) -> AnyView + Send + Sync + 'static,
) -> impl IntoView
where
    T: Send + Sync + 'static,
    Fut: Future<Output = Result<Arc<T>, AssetError>> + 'static,
{
    let i18n = use_i18n();
    let loaded = LocalResource::new(load);
    move || match loaded.get() {
        None => view! { <p>{move || i18n.t(Text::Loading)}</p> }.into_any(),
        Some(Err(_)) => {
            view! { <p class="notice-error" role="alert">{move || i18n.t(unavailable)}</p> }
                .into_any()
        }
        Some(Ok(list)) => ready(list),
    }
}

/// One option of a [`Combobox`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub code: u32,
    pub label: String,
}

/// Most options listed at once; the search narrows the rest.
const MAX_CHOICES: usize = 12;

/// A searchable combobox (WAI-ARIA pattern): type to filter, arrows and Enter or a tap to choose,
/// Escape to close. `search` returns the options for the typed text, best first.
#[component]
pub fn Combobox(
    name: &'static str,
    label: Text,
    #[prop(optional)] hint: Option<Text>,
    /// The chosen option's text, shown while not typing.
    #[prop(into)]
    chosen: Signal<String>,
    search: impl Fn(&str, usize) -> Vec<Choice> + Send + Sync + 'static,
    on_choose: impl Fn(Option<u32>) + Send + Sync + 'static,
    errors: ReadSignal<Vec<FieldError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let search = std::sync::Arc::new(search);
    let on_choose = std::sync::Arc::new(on_choose);
    let (query, set_query) = signal(String::new());
    let (editing, set_editing) = signal(false);
    let (open, set_open) = signal(false);
    let (active, set_active) = signal(0usize);
    let listbox_id = format!("{name}-listbox");
    let notes = FieldNotes::new(name, hint, errors);

    let options = {
        let search = search.clone();
        move || {
            if open.get() {
                search(&query.get(), MAX_CHOICES)
            } else {
                Vec::new()
            }
        }
    };
    let choose = {
        let on_choose = on_choose.clone();
        move |code: Option<u32>| {
            on_choose(code);
            set_editing.set(false);
            set_open.set(false);
            set_query.set(String::new());
        }
    };
    let on_keydown = {
        let options = options.clone();
        let choose = choose.clone();
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
        let choose = choose.clone();
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
                            let choose = choose.clone();
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
}

/// Several choices from a searchable list: those chosen are listed, each with a remove button,
/// and a combobox adds more. `update(code, true)` adds, `update(code, false)` removes.
#[component]
pub fn ChoiceList(
    name: &'static str,
    label: Text,
    #[prop(into)] items: Signal<Vec<Choice>>,
    search: impl Fn(&str, usize) -> Vec<Choice> + Send + Sync + 'static,
    update: impl Fn(u32, bool) + Clone + Send + Sync + 'static,
    errors: ReadSignal<Vec<FieldError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let add = update.clone();
    view! {
        <div class="choice-list">
            <Combobox
                name
                label
                hint=Text::AddPlaceHint
                chosen=Signal::derive(String::new)
                search
                on_choose=move |code| {
                    if let Some(code) = code {
                        add(code, true);
                    }
                }
                errors
            />
            {move || {
                if items.read().is_empty() {
                    return view! { <p class="hint">{move || i18n.t(Text::NoneChosen)}</p> }.into_any();
                }
                let update = update.clone();
                view! {
                    <ul class="chips" aria-label=move || i18n.t(label)>
                        {items
                            .get()
                            .into_iter()
                            .map(|choice| {
                                let update = update.clone();
                                let name = choice.label.clone();
                                let remove_label = move || format!("{} {name}", i18n.t(Text::RemoveChoice));
                                view! {
                                    <li class="chip">
                                        <span>{choice.label.clone()}</span>
                                        <button
                                            type="button"
                                            class="chip-remove"
                                            aria-label=remove_label
                                            on:click=move |_| update(choice.code, false)
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
}

/// The gender select of the profile form; "not given" is a real answer.
#[component]
pub fn GenderSelect(
    #[prop(into)] value: Signal<Option<Gender>>,
    on_change: impl Fn(Option<Gender>) + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let options = [
        (None, "", Text::GenderUnset),
        (Some(Gender::Male), "male", Text::GenderMale),
        (Some(Gender::Female), "female", Text::GenderFemale),
        (Some(Gender::Other), "other", Text::GenderOther),
    ];
    view! {
        <div class="field">
            <label for="gender">{move || i18n.t(Text::Gender)}</label>
            <select
                id="gender"
                name="gender"
                on:change=move |ev| {
                    let chosen = event_target_value(&ev);
                    on_change(
                        options
                            .iter()
                            .find(|(_, tag, _)| *tag == chosen)
                            .and_then(|(gender, _, _)| *gender),
                    )
                }
            >
                {options
                    .into_iter()
                    .map(|(gender, tag, text)| {
                        view! {
                            <option value=tag selected=move || value.get() == gender>
                                {move || i18n.t(text)}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
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

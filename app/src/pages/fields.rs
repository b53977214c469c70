//! Form controls shared by the screens: labelled, described and wired for screen readers.

use domain::i18n::{error_message, Text};
use domain::validation::FieldError;
use leptos::prelude::*;

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
    let error = Memo::new(move |_| {
        errors
            .read()
            .iter()
            .find(|error| error.field == name)
            .map(|error| error.code)
    });
    let hint_id = format!("{name}-hint");
    let error_id = format!("{name}-error");
    let described_by = {
        let hint_id = hint_id.clone();
        let error_id = error_id.clone();
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if error.read().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field" class:field-invalid=move || error.read().is_some()>
            <label for=name>{move || i18n.t(label)}</label>
            {hint.map(|hint| view! { <p class="hint" id=hint_id>{move || i18n.t(hint)}</p> })}
            <input
                id=name
                name=name
                type=input_type
                inputmode=input_mode
                autocomplete=autocomplete
                prop:value=value
                aria-invalid=move || error.read().is_some().then_some("true")
                aria-describedby=described_by
                on:input=move |ev| on_input(event_target_value(&ev))
            />
            {move || {
                error
                    .get()
                    .map(|code| {
                        view! {
                            <p class="error" id=error_id.clone()>
                                {move || error_message(i18n.lang(), &code)}
                            </p>
                        }
                    })
            }}
        </div>
    }
}

/// A labelled checkbox.
#[component]
pub fn Checkbox(
    name: &'static str,
    label: Text,
    #[prop(into)] checked: Signal<bool>,
    on_change: impl Fn(bool) + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="check">
            <input
                type="checkbox"
                id=name
                name=name
                prop:checked=checked
                on:change=move |ev| on_change(event_target_checked(&ev))
            />
            <label for=name>{move || i18n.t(label)}</label>
        </div>
    }
}

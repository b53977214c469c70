//! Creating and editing a profile.

use domain::i18n::{error_message, Text};
use domain::profile::{field, Profile, ProfileDraft};
use domain::validation::FieldError;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use uuid::Uuid;

use crate::adapters::clock::current_year;
use crate::adapters::idb::use_local_db;
use crate::i18n::use_i18n;

#[component]
pub fn NewProfile() -> impl IntoView {
    view! { <ProfileForm existing=None/> }
}

#[component]
pub fn EditProfile() -> impl IntoView {
    let i18n = use_i18n();
    let db = use_local_db();
    let params = use_params_map();
    let profile = LocalResource::new(move || {
        let id = params
            .read()
            .get("id")
            .and_then(|id| Uuid::parse_str(&id).ok());
        async move {
            match id {
                Some(id) => db.await?.profile(id).await,
                None => Ok(None),
            }
        }
    });
    view! {
        <Transition fallback=move || view! { <p>{move || i18n.t(Text::Loading)}</p> }>
            {move || {
                profile
                    .get()
                    .map(|result| match result {
                        Ok(Some(existing)) => view! { <ProfileForm existing=Some(existing)/> }.into_any(),
                        Ok(None) => {
                            view! {
                                <section class="page">
                                    <p role="alert">{move || i18n.t(Text::ProfileNotFound)}</p>
                                    <A href="/" attr:class="button">{move || i18n.t(Text::BackToHome)}</A>
                                </section>
                            }
                                .into_any()
                        }
                        Err(_) => {
                            view! {
                                <p class="notice-error" role="alert">
                                    {move || i18n.t(Text::CouldNotRead)}
                                </p>
                            }
                                .into_any()
                        }
                    })
            }}
        </Transition>
    }
}

/// The profile form. Keeps what was typed verbatim in a [`ProfileDraft`] so that a refused field
/// never costs the user their input.
#[component]
fn ProfileForm(existing: Option<Profile>) -> impl IntoView {
    let i18n = use_i18n();
    let db = use_local_db();
    let navigate = use_navigate();
    let id = existing
        .as_ref()
        .map_or_else(Uuid::new_v4, |profile| profile.id);
    let title = if existing.is_some() {
        Text::EditProfileTitle
    } else {
        Text::NewProfileTitle
    };
    let (draft, set_draft) = signal(
        existing
            .as_ref()
            .map(|profile| ProfileDraft::from(&profile.fields))
            .unwrap_or_default(),
    );
    let (errors, set_errors) = signal(Vec::<FieldError>::new());

    let save = Action::new_local(move |profile: &Profile| {
        let profile = profile.clone();
        let navigate = navigate.clone();
        async move {
            db.await?.put_profile(&profile).await?;
            navigate("/", Default::default());
            Ok::<_, crate::adapters::idb::StorageError>(())
        }
    });
    let save_failed = move || matches!(save.value().get(), Some(Err(_)));

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match draft.get_untracked().validate(current_year()) {
            Ok(fields) => {
                set_errors.set(Vec::new());
                save.dispatch(Profile { id, fields });
            }
            Err(field_errors) => set_errors.set(field_errors),
        }
    };

    view! {
        <section class="page" aria-labelledby="profile-title">
            <h1 id="profile-title">{move || i18n.t(title)}</h1>
            <p class="lead">{move || i18n.t(Text::ProfileFormIntro)}</p>
            <Show when=move || !errors.read().is_empty()>
                <p class="notice-error" role="alert">{move || i18n.t(Text::FixHighlightedFields)}</p>
            </Show>
            <Show when=save_failed>
                <p class="notice-error" role="alert">{move || i18n.t(Text::CouldNotSave)}</p>
            </Show>
            <form novalidate on:submit=on_submit>
                <TextField
                    name=field::FULL_NAME
                    label=Text::FullName
                    autocomplete="name"
                    value=Signal::derive(move || draft.read().full_name.clone())
                    on_input=move |value| set_draft.update(|d| d.full_name = value)
                    errors
                />
                <TextField
                    name=field::YEAR_OF_BIRTH
                    label=Text::YearOfBirth
                    input_mode="numeric"
                    autocomplete="bday-year"
                    value=Signal::derive(move || draft.read().year_of_birth.clone())
                    on_input=move |value| set_draft.update(|d| d.year_of_birth = value)
                    errors
                />
                <TextField
                    name=field::PHONE
                    label=Text::PhoneNumber
                    hint=Text::PhoneOptionalHint
                    input_type="tel"
                    input_mode="tel"
                    autocomplete="tel"
                    value=Signal::derive(move || draft.read().phone.clone())
                    on_input=move |value| set_draft.update(|d| d.phone = value)
                    errors
                />
                <div class="actions">
                    <button type="submit" class="button button-primary" disabled=move || save.pending().get()>
                        {move || i18n.t(if save.pending().get() { Text::Saving } else { Text::Save })}
                    </button>
                    <A href="/" attr:class="button">{move || i18n.t(Text::Cancel)}</A>
                </div>
            </form>
        </section>
    }
}

/// A labelled one-line input with its hint and its translated error, wired for screen readers.
#[component]
fn TextField(
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

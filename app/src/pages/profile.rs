//! Creating and editing a profile.

use domain::countries::VIET_NAM;
use domain::i18n::Text;
use domain::profile::{field, Profile, ProfileDraft};
use domain::validation::FieldError;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use uuid::Uuid;

use crate::adapters::clock::current_year;
use crate::adapters::drafts::use_draft;
use crate::adapters::idb::use_local_db;
use crate::i18n::use_i18n;
use crate::pages::country::CountryPicker;
use crate::pages::fields::{ConfirmedAction, GenderSelect, TextField};
use crate::pages::place::PlacePicker;
use crate::pages::CouldNotRead;

#[component]
pub fn NewProfile() -> impl IntoView {
    view! { <ProfileForm existing=None/> }
}

#[component]
pub fn EditProfile() -> impl IntoView {
    view! { <WithProfile render=|existing| view! { <ProfileForm existing=Some(existing)/> }.into_any()/> }
}

/// Loads the profile named by the route's `:id` and renders it with `render`, or says why it
/// cannot: still loading, not on this device, or storage failing.
#[component]
pub fn WithProfile(render: impl Fn(Profile) -> AnyView + Send + Sync + 'static) -> impl IntoView {
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
                        Ok(Some(found)) => render(found),
                        Ok(None) => {
                            view! {
                                <section class="page">
                                    <p role="alert">{move || i18n.t(Text::ProfileNotFound)}</p>
                                    <A href="/" attr:class="button">{move || i18n.t(Text::BackToHome)}</A>
                                </section>
                            }
                                .into_any()
                        }
                        Err(_) => view! { <CouldNotRead/> }.into_any(),
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
    let existing_id = existing.as_ref().map(|profile| profile.id);
    let id = existing_id.unwrap_or_else(Uuid::new_v4);
    let title = if existing.is_some() {
        Text::EditProfileTitle
    } else {
        Text::NewProfileTitle
    };
    let (draft, set_draft) = signal(
        existing
            .as_ref()
            .map(|profile| ProfileDraft::from(&profile.fields))
            .unwrap_or_else(|| ProfileDraft {
                nationality: Some(VIET_NAM.to_owned()),
                ..ProfileDraft::default()
            }),
    );
    let (errors, set_errors) = signal(Vec::<FieldError>::new());
    let draft_form = format!(
        "profile:{}",
        existing_id.map_or_else(|| "new".to_owned(), |id| id.to_string())
    );
    let unsaved = use_draft(draft_form, draft, set_draft);

    let save = Action::new_local(move |profile: &Profile| {
        let profile = profile.clone();
        let navigate = navigate.clone();
        async move {
            db.await?.put_profile(&profile).await?;
            unsaved.clear();
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
            <Show when=move || unsaved.restored.get()>
                <p class="hint" role="status">{move || i18n.t(Text::DraftRestored)}</p>
            </Show>
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
                <TextField
                    name=field::ID_NUMBER
                    label=Text::IdNumber
                    hint=Text::OptionalField
                    autocomplete="off"
                    value=Signal::derive(move || draft.read().id_number.clone())
                    on_input=move |value| set_draft.update(|d| d.id_number = value)
                    errors
                />
                <GenderSelect
                    value=Signal::derive(move || draft.read().gender)
                    on_change=move |gender| set_draft.update(|d| d.gender = gender)
                />
                <CountryPicker
                    name=field::NATIONALITY
                    label=Text::Nationality
                    chosen=Signal::derive(move || draft.read().nationality.clone())
                    on_change=move |code| set_draft.update(|d| d.nationality = code)
                    errors
                />
                <PlacePicker
                    province=Signal::derive(move || draft.read().province)
                    ward=Signal::derive(move || draft.read().ward)
                    on_change=move |province, ward| {
                        set_draft
                            .update(|d| {
                                d.province = province;
                                d.ward = ward;
                            })
                    }
                    errors
                />
                <TextField
                    name=field::STREET
                    label=Text::Street
                    autocomplete="street-address"
                    value=Signal::derive(move || draft.read().street.clone())
                    on_input=move |value| set_draft.update(|d| d.street = value)
                    errors
                />
                <TextField
                    name=field::EMAIL
                    label=Text::Email
                    hint=Text::OptionalField
                    input_type="email"
                    input_mode="email"
                    autocomplete="email"
                    value=Signal::derive(move || draft.read().email.clone())
                    on_input=move |value| set_draft.update(|d| d.email = value)
                    errors
                />
                <TextField
                    name=field::INSURANCE_NUMBER
                    label=Text::InsuranceNumber
                    hint=Text::OptionalField
                    autocomplete="off"
                    value=Signal::derive(move || draft.read().insurance_number.clone())
                    on_input=move |value| set_draft.update(|d| d.insurance_number = value)
                    errors
                />
                <div class="actions">
                    <button type="submit" class="button button-primary" disabled=move || save.pending().get()>
                        {move || i18n.t(if save.pending().get() { Text::Saving } else { Text::Save })}
                    </button>
                    <A href="/" attr:class="button">{move || i18n.t(Text::Cancel)}</A>
                </div>
            </form>
            {existing_id.map(|id| view! { <DeleteProfile id/> })}
        </section>
    }
}

/// Deleting a profile, after an explicit confirmation.
#[component]
fn DeleteProfile(id: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let db = use_local_db();
    let navigate = use_navigate();
    let delete = Action::new_local(move |_: &()| {
        let navigate = navigate.clone();
        async move {
            db.await?.delete_profile(id).await?;
            navigate("/", Default::default());
            Ok::<_, crate::adapters::idb::StorageError>(())
        }
    });
    view! {
        <div class="actions danger-zone">
            <ConfirmedAction
                label=Text::DeleteProfile
                confirm=Text::ConfirmDeleteProfile
                back=Text::Cancel
                on_confirm=move || {
                    delete.dispatch(());
                }
            />
            <Show when=move || matches!(delete.value().get(), Some(Err(_)))>
                <p class="notice-error" role="alert">{move || i18n.t(Text::CouldNotSave)}</p>
            </Show>
        </div>
    }
}

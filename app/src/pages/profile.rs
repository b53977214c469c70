//! Creating and editing a profile.

use domain::countries::VIET_NAM;
use domain::i18n::Text;
use domain::profile::{self, field, Gender, Profile, ProfileDraft};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use uuid::Uuid;

use crate::adapters::clock::{current_year, now_ms};
use crate::adapters::idb::use_local_db;
use crate::adapters::preferences;
use crate::i18n::use_i18n;
use crate::pages::fields::{form_actions, form_notices, render_items, ConfirmedAction};
use crate::pages::form::{
    country, encode, options, place, select, text, FieldOption, Form, Input, Item,
};
use crate::pages::gate::GateProxyNotice;
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

/// What the profile form asks, in order.
#[rustfmt::skip]
const PROFILE_FIELDS: &[Item] = &[
    text(field::FULL_NAME, Text::FullName, None, Input::line("name").up_to(profile::NAME_MAX_CHARS)),
    text(field::YEAR_OF_BIRTH, Text::YearOfBirth, None, Input::numeric("bday-year")),
    text(field::PHONE, Text::PhoneNumber, Some(Text::PhoneOptionalHint), Input::TEL),
    text(field::ID_NUMBER, Text::IdNumber, Some(Text::OptionalField), Input::FREE),
    select(field::GENDER, Text::Gender, Text::GenderUnset, genders),
    country(field::NATIONALITY, Text::Nationality),
    place(field::PROVINCE, field::WARD),
    text(field::STREET, Text::Street, None, Input::line("street-address").up_to(profile::STREET_MAX_CHARS)),
    text(field::EMAIL, Text::Email, Some(Text::OptionalField), Input::EMAIL.up_to(domain::validation::EMAIL_MAX)),
    text(field::INSURANCE_NUMBER, Text::InsuranceNumber, Some(Text::OptionalField), Input::FREE),
];

/// "Not given" is a real answer, the select's none.
fn genders() -> Vec<FieldOption> {
    options(&[Gender::Male, Gender::Female, Gender::Other], gender_text)
}

fn gender_text(gender: Gender) -> Text {
    match gender {
        Gender::Male => Text::GenderMale,
        Gender::Female => Text::GenderFemale,
        Gender::Other => Text::GenderOther,
    }
}

/// The profile form. Keeps what was typed verbatim, as a [`ProfileDraft`], so that a refused
/// field never costs the user their input.
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
    let initial = existing
        .as_ref()
        .map(|profile| ProfileDraft::from(&profile.fields))
        .unwrap_or_else(|| ProfileDraft {
            nationality: Some(VIET_NAM.to_owned()),
            ..ProfileDraft::default()
        });
    let draft_name = format!(
        "profile:{}",
        existing_id.map_or_else(|| "new".to_owned(), |id| id.to_string())
    );
    let form = Form::new(draft_name, encode(&initial));

    // A new profile for a visitor at a gate goes on to their declaration, never to the home
    // screen, and is not the device owner's.
    let for_gate = existing_id
        .is_none()
        .then(preferences::gate_proxy)
        .flatten()
        .filter(|proxy| proxy.awaits_profile(now_ms()));
    let for_gate_notice = for_gate.is_some();
    let save = Action::new_local(move |profile: &Profile| {
        let profile = profile.clone();
        let (navigate, for_gate) = (navigate.clone(), for_gate.clone());
        async move {
            let db = db.await?;
            // The first profile made on the device is its owner's; the others are family.
            let first =
                existing_id.is_none() && for_gate.is_none() && db.profiles().await?.is_empty();
            db.put_profile(&profile).await?;
            if first {
                preferences::store_device_owner(profile.id);
            }
            form.done();
            if let Some(proxy) = for_gate {
                preferences::store_gate_proxy(&proxy.with_profile(profile.id));
                navigate(
                    &format!("/profiles/{}/declare/all-citizen", profile.id),
                    Default::default(),
                );
            } else {
                navigate("/", Default::default());
            }
            Ok::<_, crate::adapters::idb::StorageError>(())
        }
    });
    let save_failed = move || matches!(save.value().get(), Some(Err(_)));
    let submit_label = Signal::derive(move || {
        if save.pending().get() {
            Text::Saving
        } else {
            Text::Save
        }
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let checked = form
            .draft::<ProfileDraft>()
            .and_then(|draft| form.report(draft.validate(current_year())))
            .and_then(|fields| match crate::adapters::assets::loaded_divisions() {
                Some(catalogue) => form
                    .report(catalogue.check_addresses([("", &fields.address)]))
                    .map(|()| fields),
                None => Some(fields),
            });
        if let Some(fields) = checked {
            save.dispatch(Profile { id, fields });
        }
    };

    view! {
        <section class="page" aria-labelledby="profile-title">
            <h1 id="profile-title">{move || i18n.t(title)}</h1>
            <p class="lead">{move || i18n.t(Text::ProfileFormIntro)}</p>
            {for_gate_notice.then(|| view! { <GateProxyNotice/> })}
            {form_notices(form)}
            <Show when=save_failed>
                <p class="notice-error" role="alert">{move || i18n.t(Text::CouldNotSave)}</p>
            </Show>
            <form novalidate on:submit=on_submit>
                {render_items(PROFILE_FIELDS, form)}
                {form_actions(submit_label, save.pending().into(), "/")}
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
            preferences::forget_device_owner(id);
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

//! Declaring for one person: the consent screen, then the form of the chosen kind, queued through
//! the outbox. What every kind shares lives here; each kind's own fields are in
//! `super::declaration_fields`.

use domain::declaration::{Kind, Person, CONSENT_VERSION};
use domain::i18n::Text;
use domain::profile::{field as profile_field, on_behalf_by_default, Profile};
use domain::submission::Submission;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use uuid::Uuid;

use crate::adapters::clock::{now_ms, today};
use crate::adapters::device_key::use_device_key;
use crate::adapters::idb::{use_local_db, StorageError};
use crate::adapters::outbox::use_outbox;
use crate::adapters::preferences;
use crate::i18n::use_i18n;
use crate::pages::declaration_fields::{DeclarationForm, ON_BEHALF};
use crate::pages::delivery::DeliveryNotice;
use crate::pages::fields::{form_actions, form_notices, render_items};
use crate::pages::form::Form;
use crate::pages::gate::GateProxyNotice;
use crate::pages::{NotFound, WithProfile};

/// `/profiles/:id/declare/:kind`.
#[component]
pub fn DeclarationPage() -> impl IntoView {
    let params = use_params_map();
    move || {
        let kind = params
            .read()
            .get("kind")
            .and_then(|slug| Kind::from_slug(&slug));
        match kind {
            None => view! { <NotFound/> }.into_any(),
            Some(kind) => view! {
                <ConsentGate>
                    <WithProfile render=move |profile| declaration_form(kind, profile)/>
                </ConsentGate>
            }
            .into_any(),
        }
    }
}

/// Shows the consent text (DESIGN.md §7) until the user agrees to its current version.
#[component]
fn ConsentGate(children: ChildrenFn) -> impl IntoView {
    let i18n = use_i18n();
    let (consented, set_consented) =
        signal(preferences::stored_consent().is_some_and(|version| version >= CONSENT_VERSION));
    let (declined, set_declined) = signal(false);
    view! {
        <Show
            when=move || consented.get()
            fallback=move || {
                view! {
                    <section class="page" aria-labelledby="consent-title">
                        <h1 id="consent-title">{move || i18n.t(Text::ConsentTitle)}</h1>
                        <ul class="consent">
                            <li>{move || i18n.t(Text::ConsentWhat)}</li>
                            <li>{move || i18n.t(Text::ConsentWhy)}</li>
                            <li>{move || i18n.t(Text::ConsentHowLong)}</li>
                            <li>{move || i18n.t(Text::ConsentWho)}</li>
                        </ul>
                        <Show
                            when=move || declined.get()
                            fallback=move || view! {
                                <div class="actions">
                                    <button
                                        type="button"
                                        class="button button-primary"
                                        on:click=move |_| {
                                            // Consent that cannot be stored still holds for this visit.
                                            preferences::store_consent(CONSENT_VERSION);
                                            set_consented.set(true);
                                        }
                                    >
                                        {move || i18n.t(Text::ConsentAgree)}
                                    </button>
                                    <button type="button" class="button" on:click=move |_| set_declined.set(true)>
                                        {move || i18n.t(Text::ConsentNotNow)}
                                    </button>
                                </div>
                            }
                        >
                            // Nothing is stored: the question comes back the next time, unanswered.
                            <div class="notice" role="status">
                                <p>{move || i18n.t(Text::ConsentDeclined)}</p>
                            </div>
                            <div class="actions">
                                <A href="/" attr:class="button button-primary">{move || i18n.t(Text::BackToHome)}</A>
                                <button type="button" class="button" on:click=move |_| set_declined.set(false)>
                                    {move || i18n.t(Text::ConsentReconsider)}
                                </button>
                            </div>
                        </Show>
                    </section>
                }
            }
        >
            {children()}
        </Show>
    }
}

/// The label of a profile field a declaration may need.
fn profile_field_text(field: &str) -> Text {
    match field {
        profile_field::GENDER => Text::Gender,
        profile_field::NATIONALITY => Text::Nationality,
        profile_field::PROVINCE => Text::Province,
        profile_field::WARD => Text::Ward,
        _ => Text::Street,
    }
}

/// The declaration form of `kind` for `profile`, or what the profile lacks for it.
fn declaration_form(kind: Kind, profile: Profile) -> AnyView {
    let i18n = use_i18n();
    let person = Person::from(&profile);
    let name = person.details.full_name.clone();
    let missing = person.missing_for(kind);
    let body = if missing.is_empty() {
        filled_in(kind, profile, person)
    } else {
        let edit_profile = format!("/profiles/{}", profile.id);
        view! {
            <div class="notice-error" role="alert">
                <p>{move || i18n.t(Text::ProfileIncomplete)}</p>
                <ul>
                    {missing
                        .into_iter()
                        .map(|field| view! { <li>{move || i18n.t(profile_field_text(field))}</li> })
                        .collect_view()}
                </ul>
            </div>
            <A href=edit_profile attr:class="button button-primary">{move || i18n.t(Text::CompleteProfile)}</A>
        }
        .into_any()
    };
    view! {
        <section class="page" aria-labelledby="declaration-title">
            <h1 id="declaration-title">{move || i18n.t(kind.title())}</h1>
            <p class="lead">{move || i18n.t(Text::DeclaringFor)} ": " <strong>{name}</strong></p>
            {body}
        </section>
    }
    .into_any()
}

/// The form itself, queued through the outbox once `domain` accepts it.
fn filled_in(kind: Kind, profile: Profile, person: Person) -> AnyView {
    let i18n = use_i18n();
    let outbox = use_outbox();
    let db = use_local_db();
    let device_key = use_device_key();
    let spec = DeclarationForm::of(kind);
    let mut initial = (spec.start)(&profile);
    if on_behalf_by_default(profile.id, preferences::device_owner()) {
        initial["on_behalf"] = true.into();
    }
    // Declaring for a visitor at a gate: on their behalf, and back to the gate once queued.
    let for_gate =
        preferences::gate_proxy().filter(|proxy| proxy.declares_for(profile.id, now_ms()));
    if for_gate.is_some() {
        initial["on_behalf"] = true.into();
    }
    let form = Form::new(format!("{}:{}", kind.name(), profile.id), initial);

    // Only on request: health answers are never carried over silently (DESIGN.md §3.2).
    let profile_id = profile.id;
    let previous = LocalResource::new(move || async move {
        let history = db.await.ok()?.declarations().await.ok()?;
        history
            .iter()
            .rev()
            .filter(|record| record.profile_id == profile_id)
            .find_map(|record| (spec.last_time)(&record.submission.content))
    });

    // Declaring so as to check in: once saved, back to that check-in, which then goes through.
    let check_in =
        preferences::pending_check_in().filter(|pending| pending.people.contains(&profile_id));
    let declaring_to_check_in = check_in.is_some();
    let navigate = use_navigate();
    let full_name = person.details.full_name.clone();
    let for_gate_notice = for_gate.is_some();
    let save = Action::new_local(move |submission: &Submission| {
        let mut submission = submission.clone();
        let (check_in, navigate) = (check_in.clone(), navigate.clone());
        let (for_gate, full_name) = (for_gate.clone(), full_name.clone());
        async move {
            // The pass the server issues is bound to this device's key. A browser that cannot
            // make one still declares; the person's pass is then the printed card only.
            if let Ok(key) = device_key.await {
                submission.content = submission.content.with_pass_key(key.public().clone());
            }
            let id = submission.id;
            outbox.submit(submission).await?;
            form.done();
            if let Some(proxy) = for_gate {
                let venue_id = proxy.venue_id;
                preferences::store_gate_proxy(&proxy.declared(id, &full_name));
                navigate(&format!("/venue/{venue_id}/gate"), Default::default());
            } else if let Some(pending) = check_in {
                navigate(&format!("/c#{}", pending.code), Default::default());
            }
            Ok::<_, StorageError>(id)
        }
    });

    let saved = move || matches!(save.value().get(), Some(Ok(_)));
    let save_failed = move || matches!(save.value().get(), Some(Err(_)));

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(content) = (spec.declare)(form, person.clone(), today()) {
            save.dispatch(Submission {
                id: Uuid::new_v4(),
                created_at_ms: now_ms(),
                content,
            });
        }
    };

    view! {
        <Show
            when=saved
            fallback=move || {
                view! {
                    <Show when=save_failed>
                        <p class="notice-error" role="alert">{move || i18n.t(Text::CouldNotSave)}</p>
                    </Show>
                    {for_gate_notice.then(|| view! { <GateProxyNotice/> })}
                    {form_notices(form)}
                    {declaring_to_check_in.then(|| view! {
                        <p class="notice" role="status">{move || i18n.t(Text::DeclareBeforeCheckIn)}</p>
                    })}
                    {move || {
                        previous
                            .get()
                            .flatten()
                            .map(|last| {
                                view! {
                                    <button type="button" class="button" on:click=move |_| form.fill(last.clone())>
                                        {move || i18n.t(Text::SameAsLastTime)}
                                    </button>
                                }
                            })
                    }}
                    <form novalidate on:submit=on_submit.clone()>
                        {render_items(spec.items, form)}
                        {render_items(ON_BEHALF, form)}
                        <p class="legal-warning">{move || i18n.t(Text::FalseDeclarationWarning)}</p>
                        {form_actions(Text::SubmitDeclaration.into(), save.pending().into(), "/")}
                    </form>
                }
            }
        >
            {move || {
                save.value()
                    .get()
                    .and_then(Result::ok)
                    .map(|id| view! { <DeliveryNotice ids=vec![id]/> })
            }}
            <A href="/" attr:class="button">{move || i18n.t(Text::BackToHome)}</A>
        </Show>
    }
    .into_any()
}

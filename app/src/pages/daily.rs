//! Daily health tracking: one person's signs today, queued through the outbox.

use domain::i18n::Text;
use domain::profile::Profile;
use domain::submission::{Content, DailyHealth, Person, Submission, CONSENT_VERSION};
use domain::validation::FieldError;
use leptos::prelude::*;
use leptos_router::components::A;
use uuid::Uuid;

use crate::adapters::clock::{current_year, now_ms};
use crate::adapters::outbox::use_outbox;
use crate::adapters::preferences;
use crate::i18n::use_i18n;
use crate::pages::fields::{Checkbox, TextField};
use crate::pages::WithProfile;

#[component]
pub fn DailyHealthPage() -> impl IntoView {
    view! {
        <ConsentGate>
            <WithProfile render=|profile| view! { <DailyHealthForm profile/> }.into_any()/>
        </ConsentGate>
    }
}

/// Shows the consent text (DESIGN.md §7) until the user agrees to its current version.
#[component]
fn ConsentGate(children: ChildrenFn) -> impl IntoView {
    let i18n = use_i18n();
    let (consented, set_consented) =
        signal(preferences::stored_consent().is_some_and(|version| version >= CONSENT_VERSION));
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
                    </section>
                }
            }
        >
            {children()}
        </Show>
    }
}

#[component]
fn DailyHealthForm(profile: Profile) -> impl IntoView {
    let i18n = use_i18n();
    let outbox = use_outbox();
    let person = Person::from(&profile);
    let (fever, set_fever) = signal(false);
    let (cough, set_cough) = signal(false);
    let (breath, set_breath) = signal(false);
    let (other_signs, set_other_signs) = signal(String::new());
    let (on_behalf, set_on_behalf) = signal(false);
    let (errors, set_errors) = signal(Vec::<FieldError>::new());

    let save = Action::new_local(move |submission: &Submission| {
        let submission = submission.clone();
        async move { outbox.submit(submission).await }
    });
    let saved = move || matches!(save.value().get(), Some(Ok(())));
    let save_failed = move || matches!(save.value().get(), Some(Err(_)));

    let on_submit = {
        let person = person.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let other_signs = other_signs.get_untracked();
            let submission = Submission {
                id: Uuid::new_v4(),
                created_at_ms: now_ms(),
                content: Content::DailyHealth(DailyHealth {
                    person: person.clone(),
                    on_behalf: on_behalf.get_untracked(),
                    fever: fever.get_untracked(),
                    cough: cough.get_untracked(),
                    shortness_of_breath: breath.get_untracked(),
                    other_signs: domain::text::clean_line(&other_signs, usize::MAX)
                        .unwrap_or(other_signs),
                    consent_version: CONSENT_VERSION,
                }),
            };
            match submission.content.validate(current_year()) {
                Ok(()) => {
                    set_errors.set(Vec::new());
                    save.dispatch(submission);
                }
                Err(field_errors) => set_errors.set(field_errors),
            }
        }
    };

    view! {
        <section class="page" aria-labelledby="daily-title">
            <h1 id="daily-title">{move || i18n.t(Text::KindDailyHealth)}</h1>
            <p class="lead">
                {move || i18n.t(Text::DeclaringFor)} ": " <strong>{person.full_name.clone()}</strong>
            </p>
            <Show
                when=saved
                fallback=move || {
                    let on_submit = on_submit.clone();
                    view! {
                        <Show when=save_failed>
                            <p class="notice-error" role="alert">{move || i18n.t(Text::CouldNotSave)}</p>
                        </Show>
                        <form novalidate on:submit=on_submit>
                            <fieldset>
                                <legend>{move || i18n.t(Text::SymptomsLegend)}</legend>
                                <Checkbox name="fever" label=Text::Fever checked=fever on_change=move |v| set_fever.set(v)/>
                                <Checkbox name="cough" label=Text::Cough checked=cough on_change=move |v| set_cough.set(v)/>
                                <Checkbox
                                    name="shortness_of_breath"
                                    label=Text::ShortnessOfBreath
                                    checked=breath
                                    on_change=move |v| set_breath.set(v)
                                />
                            </fieldset>
                            <TextField
                                name="other_signs"
                                label=Text::OtherSigns
                                autocomplete="off"
                                value=other_signs
                                on_input=move |value| set_other_signs.set(value)
                                errors
                            />
                            <Checkbox name="on_behalf" label=Text::OnBehalf checked=on_behalf on_change=move |v| set_on_behalf.set(v)/>
                            <p class="legal-warning">{move || i18n.t(Text::FalseDeclarationWarning)}</p>
                            <div class="actions">
                                <button type="submit" class="button button-primary" disabled=move || save.pending().get()>
                                    {move || i18n.t(Text::SubmitDeclaration)}
                                </button>
                                <A href="/" attr:class="button">{move || i18n.t(Text::Cancel)}</A>
                            </div>
                        </form>
                    }
                }
            >
                <p class="notice-success" role="status">{move || i18n.t(Text::SavedWillSend)}</p>
                <A href="/" attr:class="button">{move || i18n.t(Text::BackToHome)}</A>
            </Show>
        </section>
    }
}

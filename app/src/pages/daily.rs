//! Daily health tracking: one person's signs today, queued through the outbox.

use domain::i18n::Text;
use domain::profile::Profile;
use domain::submission::{Content, DailyAnswers, Person, Submission, CONSENT_VERSION};
use domain::validation::FieldError;
use leptos::prelude::*;
use leptos_router::components::A;
use uuid::Uuid;

use crate::adapters::clock::{current_year, now_ms};
use crate::adapters::drafts::use_draft;
use crate::adapters::idb::{use_local_db, StorageError};
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
    let db = use_local_db();
    let person = Person::from(&profile);
    let (answers, set_answers) = signal(DailyAnswers::default());
    let draft = use_draft(format!("daily:{}", profile.id), answers, set_answers);
    let (errors, set_errors) = signal(Vec::<FieldError>::new());

    // Only on request: health answers are never carried over silently (DESIGN.md §3.2).
    let profile_id = profile.id;
    let previous = LocalResource::new(move || async move {
        let history = db.await.ok()?.declarations().await.ok()?;
        history
            .into_iter()
            .rev()
            .find(|record| record.profile_id == profile_id)
            .map(|record| match record.submission.content {
                Content::DailyHealth(daily) => DailyAnswers::from(&daily),
            })
    });

    let save = Action::new_local(move |submission: &Submission| {
        let submission = submission.clone();
        async move {
            outbox.submit(submission).await?;
            draft.clear();
            Ok::<_, StorageError>(())
        }
    });
    let saved = move || matches!(save.value().get(), Some(Ok(())));
    let save_failed = move || matches!(save.value().get(), Some(Err(_)));

    let on_submit = {
        let person = person.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let submission = Submission {
                id: Uuid::new_v4(),
                created_at_ms: now_ms(),
                content: Content::DailyHealth(answers.get_untracked().declare(person.clone())),
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
    let answer =
        move |read: fn(&DailyAnswers) -> bool| Signal::derive(move || read(&answers.read()));

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
                        <Show when=move || draft.restored.get()>
                            <p class="hint" role="status">{move || i18n.t(Text::DraftRestored)}</p>
                        </Show>
                        {move || {
                            previous
                                .get()
                                .flatten()
                                .map(|last| {
                                    view! {
                                        <button type="button" class="button" on:click=move |_| set_answers.set(last.clone())>
                                            {move || i18n.t(Text::SameAsLastTime)}
                                        </button>
                                    }
                                })
                        }}
                        <form novalidate on:submit=on_submit>
                            <fieldset>
                                <legend>{move || i18n.t(Text::SymptomsLegend)}</legend>
                                <Checkbox
                                    name="fever"
                                    label=Text::Fever
                                    checked=answer(|a| a.fever)
                                    on_change=move |v| set_answers.update(|a| a.fever = v)
                                />
                                <Checkbox
                                    name="cough"
                                    label=Text::Cough
                                    checked=answer(|a| a.cough)
                                    on_change=move |v| set_answers.update(|a| a.cough = v)
                                />
                                <Checkbox
                                    name="shortness_of_breath"
                                    label=Text::ShortnessOfBreath
                                    checked=answer(|a| a.shortness_of_breath)
                                    on_change=move |v| set_answers.update(|a| a.shortness_of_breath = v)
                                />
                            </fieldset>
                            <TextField
                                name="other_signs"
                                label=Text::OtherSigns
                                autocomplete="off"
                                value=Signal::derive(move || answers.read().other_signs.clone())
                                on_input=move |value| set_answers.update(|a| a.other_signs = value)
                                errors
                            />
                            <Checkbox
                                name="on_behalf"
                                label=Text::OnBehalf
                                checked=answer(|a| a.on_behalf)
                                on_change=move |v| set_answers.update(|a| a.on_behalf = v)
                            />
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

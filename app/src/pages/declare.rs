//! Declaring for one person: the consent screen, then the form of the chosen kind, queued through
//! the outbox. What every kind shares lives here; each kind's own fields are in
//! `super::declaration_fields`.

use domain::declaration::{
    AllCitizen, Answers, DailyHealth, DeclarationDraft, DomesticMove, Entry, Kind, Person, Report,
    CONSENT_VERSION,
};
use domain::i18n::Text;
use domain::profile::{field as profile_field, Profile};
use domain::submission::Submission;
use domain::validation::FieldError;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use crate::adapters::clock::{now_ms, today};
use crate::adapters::drafts::use_draft;
use crate::adapters::idb::{use_local_db, StorageError};
use crate::adapters::outbox::use_outbox;
use crate::adapters::preferences;
use crate::i18n::use_i18n;
use crate::pages::declaration_fields::{
    all_citizen_fields, daily_health_fields, domestic_move_fields, entry_fields, report_fields,
    Form,
};
use crate::pages::fields::Checkbox;
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

fn declaration_form(kind: Kind, profile: Profile) -> AnyView {
    match kind {
        Kind::AllCitizen => DeclarationForm::<AllCitizen>::new(profile, AllCitizen::default())
            .view(all_citizen_fields),
        Kind::DomesticMove => {
            DeclarationForm::<DomesticMove>::new(profile, DomesticMove::default())
                .view(domestic_move_fields)
        }
        Kind::Entry => {
            // Not health answers: the passport and the address can start from the profile.
            let initial = Entry {
                passport_number: profile.fields.id_number.clone().unwrap_or_default(),
                quarantine_address: profile.fields.address.clone(),
                ..Entry::default()
            };
            DeclarationForm::<Entry>::new(profile, initial).view(entry_fields)
        }
        Kind::DailyHealth => DeclarationForm::<DailyHealth>::new(profile, DailyHealth::default())
            .view(daily_health_fields),
        Kind::Report => {
            DeclarationForm::<Report>::new(profile, Report::default()).view(report_fields)
        }
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

/// One declaration form of kind `A` for `profile`.
struct DeclarationForm<A: Answers + Send + Sync> {
    profile: Profile,
    form: Form<A>,
}

impl<A: Answers + Send + Sync> DeclarationForm<A> {
    fn new(profile: Profile, initial: A) -> Self {
        let (draft, set_draft) = signal(DeclarationDraft {
            answers: initial,
            on_behalf: false,
        });
        let (errors, set_errors) = signal(Vec::<FieldError>::new());
        DeclarationForm {
            profile,
            form: Form::new(draft, set_draft, errors, set_errors),
        }
    }

    fn view(self, fields: fn(Form<A>) -> AnyView) -> AnyView {
        let i18n = use_i18n();
        let outbox = use_outbox();
        let db = use_local_db();
        let DeclarationForm { profile, form } = self;
        let person = Person::from(&profile);
        let kind = A::KIND;
        let draft = use_draft(
            format!("{}:{}", kind.name(), profile.id),
            form.draft,
            form.set_draft,
        );

        // Only on request: health answers are never carried over silently (DESIGN.md §3.2).
        let profile_id = profile.id;
        let previous = LocalResource::new(move || async move {
            let history = db.await.ok()?.declarations().await.ok()?;
            history
                .iter()
                .rev()
                .filter(|record| record.profile_id == profile_id)
                .find_map(|record| A::from_content(&record.submission.content))
                .map(DeclarationDraft::from)
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

        let missing = person.missing_for(kind);
        let name = person.details.full_name.clone();
        let on_submit = move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let declaration = form.draft.get_untracked().declare(person.clone());
            match declaration.validate(today()) {
                Ok(()) => {
                    form.set_errors.set(Vec::new());
                    save.dispatch(Submission {
                        id: Uuid::new_v4(),
                        created_at_ms: now_ms(),
                        content: A::into_content(declaration),
                    });
                }
                Err(field_errors) => form.set_errors.set(field_errors),
            }
        };
        let edit_profile = format!("/profiles/{profile_id}");

        let body = if missing.is_empty() {
            view! {
                <Show
                    when=saved
                    fallback=move || {
                        view! {
                            <Show when=save_failed>
                                <p class="notice-error" role="alert">{move || i18n.t(Text::CouldNotSave)}</p>
                            </Show>
                            <Show when=move || draft.restored.get()>
                                <p class="hint" role="status">{move || i18n.t(Text::DraftRestored)}</p>
                            </Show>
                            <Show when=move || !form.errors.read().is_empty()>
                                <p class="notice-error" role="alert">{move || i18n.t(Text::FixHighlightedFields)}</p>
                            </Show>
                            {move || {
                                previous
                                    .get()
                                    .flatten()
                                    .map(|last| {
                                        view! {
                                            <button type="button" class="button" on:click=move |_| form.set_draft.set(last.clone())>
                                                {move || i18n.t(Text::SameAsLastTime)}
                                            </button>
                                        }
                                    })
                            }}
                            <form novalidate on:submit=on_submit.clone()>
                                {fields(form)}
                                <Checkbox
                                    name="on_behalf"
                                    label=Text::OnBehalf
                                    checked=Signal::derive(move || form.draft.read().on_behalf)
                                    on_change=move |value| form.set_draft.update(|draft| draft.on_behalf = value)
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
            }
            .into_any()
        } else {
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
                <p class="lead">{move || i18n.t(Text::DeclaringFor)} ": " <strong>{name.clone()}</strong></p>
                {body}
            </section>
        }
        .into_any()
    }
}

//! `/c#<code>`: what a phone camera opens from a venue poster (DESIGN.md §3.4, §5.1). The code
//! is verified on the phone with the cached venue keys (fetched again only for an unknown key),
//! then the chosen people check in, and later out, through the outbox.

use domain::api::KeysBody;
use domain::i18n::Text;
use domain::poster::{Poster, PosterError, ScannedPoster, VenueKeys};
use domain::profile::Profile;
use domain::submission::{Content, Submission};
use domain::visit::{CheckIn, Direction, Visitor};
use leptos::prelude::*;
use leptos_router::components::A;
use uuid::Uuid;

use crate::adapters::clock::now_ms;
use crate::adapters::idb::use_local_db;
use crate::adapters::outbox::use_outbox;
use crate::adapters::{api, document, preferences};
use crate::i18n::use_i18n;
use crate::pages::delivery::DeliveryNotice;
use crate::pages::fields::Checkbox;
use crate::pages::CouldNotRead;

/// Verifies `scanned` with the cached keys, fetching them again once if its key is not among
/// them (a new key after a rotation, or a first scan).
async fn verify(scanned: ScannedPoster) -> Result<Poster, PosterError> {
    let cached = VenueKeys::from_published(&preferences::stored_venue_keys());
    match scanned.clone().verify(&cached) {
        Err(PosterError::UnknownKey(key_id)) => {
            let Ok(fresh) = api::get::<KeysBody>("/api/v1/keys").await else {
                return Err(PosterError::UnknownKey(key_id));
            };
            preferences::store_venue_keys(&fresh.keys);
            scanned.verify(&VenueKeys::from_published(&fresh.keys))
        }
        verdict => verdict,
    }
}

#[component]
pub fn CheckInPage() -> impl IntoView {
    let i18n = use_i18n();
    let code = document::fragment();
    let verdict = LocalResource::new(move || {
        let code = code.clone();
        async move {
            let scanned = ScannedPoster::parse(&code)?;
            verify(scanned).await.map(|poster| (poster, code))
        }
    });
    view! {
        <section class="page" aria-labelledby="check-in-title">
            <h1 id="check-in-title">{move || i18n.t(Text::CheckInTitle)}</h1>
            <Transition fallback=move || view! { <p>{move || i18n.t(Text::Loading)}</p> }>
                {move || {
                    verdict
                        .get()
                        .map(|result| match result {
                            Ok((poster, code)) => view! { <CheckInForm poster code/> }.into_any(),
                            Err(error) => {
                                let text = error.text();
                                view! { <p class="notice-error" role="alert">{move || i18n.t(text)}</p> }.into_any()
                            }
                        })
                }}
            </Transition>
        </section>
    }
}

#[component]
fn CheckInForm(poster: Poster, code: String) -> impl IntoView {
    let i18n = use_i18n();
    let db = use_local_db();
    let profiles = LocalResource::new(move || async move { db.await?.profiles().await });
    let kind = poster.venue_type.text();
    view! {
        <p class="lead">
            <strong>{poster.short_name.clone()}</strong> " · " {move || i18n.t(kind)}
        </p>
        <Transition fallback=move || view! { <p>{move || i18n.t(Text::Loading)}</p> }>
            {move || {
                let code = code.clone();
                profiles
                    .get()
                    .map(move |result| match result {
                        Ok(list) if list.is_empty() => view! {
                            <p class="notice-error" role="alert">{move || i18n.t(Text::NoProfilesForCheckIn)}</p>
                            <A href="/profiles/new" attr:class="button button-primary">{move || i18n.t(Text::AddProfile)}</A>
                        }
                        .into_any(),
                        Ok(list) => view! { <Visitors profiles=list code/> }.into_any(),
                        Err(_) => view! { <CouldNotRead/> }.into_any(),
                    })
            }}
        </Transition>
    }
}

/// Choosing who arrives, checking them in, then out.
#[component]
fn Visitors(profiles: Vec<Profile>, code: String) -> impl IntoView {
    let i18n = use_i18n();
    let outbox = use_outbox();
    // One person alone is chosen already; in a family, the phone's user picks.
    let (chosen, set_chosen) = signal(if profiles.len() == 1 {
        vec![profiles[0].id]
    } else {
        Vec::new()
    });
    let (on_behalf, set_on_behalf) = signal(false);
    let (nobody, set_nobody) = signal(false);
    // The visits checked in on this page: (profile, visit id).
    let (visits, set_visits) = signal(Vec::<(Profile, Uuid)>::new());
    let send = Action::new_local(
        move |(direction, list): &(Direction, Vec<(Profile, Uuid)>)| {
            let (direction, list, code) = (*direction, list.clone(), code.clone());
            let on_behalf = on_behalf.get_untracked();
            async move {
                let mut ids = Vec::new();
                for (profile, visit_id) in &list {
                    let submission = Submission {
                        id: Uuid::new_v4(),
                        created_at_ms: now_ms(),
                        content: Content::CheckIn(CheckIn {
                            visitor: Visitor::from(profile),
                            on_behalf,
                            poster: code.clone(),
                            visit_id: *visit_id,
                            direction,
                        }),
                    };
                    ids.push(submission.id);
                    outbox.submit(submission).await?;
                }
                Ok::<_, crate::adapters::idb::StorageError>((direction, ids))
            }
        },
    );
    let check_in = {
        let profiles = profiles.clone();
        move |_| {
            let list: Vec<(Profile, Uuid)> = profiles
                .iter()
                .filter(|profile| chosen.read().contains(&profile.id))
                .map(|profile| (profile.clone(), Uuid::new_v4()))
                .collect();
            set_nobody.set(list.is_empty());
            if !list.is_empty() {
                set_visits.set(list.clone());
                send.dispatch((Direction::Arrival, list));
            }
        }
    };
    let outcome = move || send.value().get();
    view! {
        {move || match outcome() {
            Some(Ok((direction, ids))) => {
                let saved = match direction {
                    Direction::Arrival => Text::CheckedIn,
                    Direction::Departure => Text::CheckedOut,
                };
                Some(view! { <DeliveryNotice ids headline=Some(saved)/> }.into_any())
            }
            Some(Err(_)) => Some(view! {
                <p class="notice-error" role="alert">{move || i18n.t(Text::CouldNotSave)}</p>
            }.into_any()),
            None => None,
        }}
        <Show
            when=move || matches!(outcome(), Some(Ok((Direction::Arrival, _))))
            fallback=move || {
                let check_in = check_in.clone();
                view! {
                    <fieldset>
                        <legend>{move || i18n.t(Text::CheckInWho)}</legend>
                        {profiles
                            .iter()
                            .map(|profile| {
                                let id = profile.id;
                                view! {
                                    <div class="check">
                                        <input
                                            type="checkbox"
                                            id=format!("visitor-{id}")
                                            prop:checked=move || chosen.read().contains(&id)
                                            on:change=move |ev| {
                                                let on = event_target_checked(&ev);
                                                set_chosen.update(|list| {
                                                    list.retain(|other| *other != id);
                                                    if on {
                                                        list.push(id);
                                                    }
                                                });
                                            }
                                        />
                                        <label for=format!("visitor-{id}")>{profile.fields.full_name.clone()}</label>
                                    </div>
                                }
                            })
                            .collect_view()}
                    </fieldset>
                    <Checkbox
                        name="on_behalf"
                        label=Text::OnBehalf
                        checked=on_behalf
                        on_change=move |value| set_on_behalf.set(value)
                    />
                    <Show when=move || nobody.get()>
                        <p class="notice-error" role="alert">{move || i18n.t(Text::ChooseSomeone)}</p>
                    </Show>
                    <button type="button" class="button button-primary" disabled=move || send.pending().get() on:click=check_in.clone()>
                        {move || i18n.t(Text::CheckInAction)}
                    </button>
                }
            }
        >
            <button
                type="button"
                class="button button-primary"
                disabled=move || send.pending().get()
                on:click=move |_| { send.dispatch((Direction::Departure, visits.get_untracked())); }
            >
                {move || i18n.t(Text::CheckOutAction)}
            </button>
        </Show>
        <A href="/" attr:class="button">{move || i18n.t(Text::BackToHome)}</A>
    }
}

//! `/c#<code>`: what a phone camera opens from a venue poster (DESIGN.md §3.4, §5.1). The code
//! is verified on the phone with the cached venue keys (fetched again only for an unknown key),
//! then the chosen people check in, and later out, through the outbox.

use domain::diary::{Departure, DiaryVisit};
use domain::i18n::Text;
use domain::poster::{Poster, ScannedPoster};
use domain::profile::Profile;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use uuid::Uuid;

use crate::adapters::clock::format_date_time;
use crate::adapters::clock::now_ms;
use crate::adapters::idb::{use_local_db, DeclarationRecord, StorageError};
use crate::adapters::outbox::use_outbox;
use crate::adapters::policy::use_policy;
use crate::adapters::preferences::PendingCheckIn;
use crate::adapters::{document, preferences};
use crate::diary::{self, OpenVisit};
use crate::i18n::use_i18n;
use crate::pages::delivery::DeliveryNotice;
use crate::pages::fields::Checkbox;
use crate::pages::{CouldNotRead, NotificationOffer};
use crate::venue_keys;

#[component]
pub fn CheckInPage() -> impl IntoView {
    let i18n = use_i18n();
    let code = document::fragment();
    let verdict = LocalResource::new(move || {
        let code = code.clone();
        async move {
            let scanned = ScannedPoster::parse(&code)?;
            venue_keys::verify(scanned)
                .await
                .map(|poster| (poster, code))
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
    let kind = poster.venue_type.text();
    let outbox = use_outbox();
    let venue = poster.clone();
    let opened_code = code.clone();
    let found = LocalResource::new(move || {
        let (venue, code) = (venue.clone(), opened_code.clone());
        async move {
            let db = db.await?;
            let (profiles, history) = (db.profiles().await?, db.declarations().await?);
            let open = diary::visit_on_opening(outbox, &venue, &code).await?;
            Ok::<_, StorageError>((profiles, history, open))
        }
    });
    view! {
        <p class="lead">
            <strong>{poster.short_name.clone()}</strong> " · " {move || i18n.t(kind)}
        </p>
        <Transition fallback=move || view! { <p>{move || i18n.t(Text::Loading)}</p> }>
            {move || {
                let (poster, code) = (poster.clone(), code.clone());
                found
                    .get()
                    .map(move |result| match result {
                        // Already here: the visit, to check out of; never a second one.
                        Ok((_, _, Some(OpenVisit::Shown(visit)))) => view! {
                            <VisitPanel visit queued=Vec::new() headline=Text::AlreadyCheckedIn/>
                        }
                        .into_any(),
                        Ok((_, _, Some(OpenVisit::CheckedOut(visit, queued)))) => view! {
                            <VisitPanel visit queued headline=Text::CheckedOut/>
                        }
                        .into_any(),
                        Ok((list, _, None)) if list.is_empty() => view! {
                            <p class="notice-error" role="alert">{move || i18n.t(Text::NoProfilesForCheckIn)}</p>
                            <A href="/profiles/new" attr:class="button button-primary">{move || i18n.t(Text::AddProfile)}</A>
                        }
                        .into_any(),
                        Ok((list, history, None)) => view! { <Visitors profiles=list history poster code/> }.into_any(),
                        Err(_) => view! { <CouldNotRead/> }.into_any(),
                    })
            }}
        </Transition>
        <A href="/" attr:class="button">{move || i18n.t(Text::BackToHome)}</A>
    }
}

/// Choosing who arrives, then checking them in; those who must declare first are sent to the
/// declaration form, and the check-in completes by itself once they have.
#[component]
fn Visitors(
    profiles: Vec<Profile>,
    history: Vec<DeclarationRecord>,
    poster: Poster,
    code: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let outbox = use_outbox();
    let policy = use_policy();
    let navigate = use_navigate();
    let ids: Vec<Uuid> = profiles.iter().map(|profile| profile.id).collect();
    // A check-in that waited for declarations, for this poster: it goes on where it stopped.
    let pending = preferences::pending_check_in().filter(|pending| pending.code == code);
    // Chosen at first: those of that check-in, else the household of the last one, else the only
    // profile.
    let household: Vec<Uuid> = match &pending {
        Some(pending) => pending.people.clone(),
        None => preferences::last_household(),
    }
    .into_iter()
    .filter(|id| ids.contains(id))
    .collect();
    let (chosen, set_chosen) = signal(match (household.is_empty(), ids.as_slice()) {
        (false, _) => household,
        (true, [only]) => vec![*only],
        (true, _) => Vec::new(),
    });
    let (on_behalf, set_on_behalf) =
        signal(pending.as_ref().is_some_and(|pending| pending.on_behalf));
    let (nobody, set_nobody) = signal(false);
    let scanned = code.clone();
    let arrive = Action::new_local(move |people: &Vec<Profile>| {
        let (poster, code, people) = (poster.clone(), scanned.clone(), people.clone());
        let on_behalf = on_behalf.get_untracked();
        async move { diary::check_in(outbox, &poster, &code, &people, on_behalf).await }
    });
    let check_in = {
        let (profiles, code) = (profiles.clone(), code.clone());
        move || {
            let people: Vec<Profile> = profiles
                .iter()
                .filter(|profile| chosen.read().contains(&profile.id))
                .cloned()
                .collect();
            set_nobody.set(people.is_empty());
            if people.is_empty() {
                return;
            }
            let chosen_ids: Vec<Uuid> = people.iter().map(|profile| profile.id).collect();
            let undeclared =
                diary::must_declare_first(&chosen_ids, &history, policy.get_untracked(), now_ms());
            if let Some(first) = undeclared.first() {
                preferences::store_pending_check_in(&PendingCheckIn {
                    code: code.clone(),
                    people: chosen_ids,
                    on_behalf: on_behalf.get_untracked(),
                });
                navigate(
                    &format!("/profiles/{first}/declare/all-citizen"),
                    Default::default(),
                );
                return;
            }
            preferences::clear_pending_check_in();
            preferences::store_household(&chosen_ids);
            arrive.dispatch(people);
        }
    };
    // Back from the declarations: the check-in goes through without another scan.
    if pending.is_some() {
        check_in();
    }
    view! {
        <Show
            when=move || matches!(arrive.value().get(), Some(Ok(_)))
            fallback=move || {
                let check_in = check_in.clone();
                view! {
                    <Show when=move || matches!(arrive.value().get(), Some(Err(_)))>
                        <p class="notice-error" role="alert">{move || i18n.t(Text::CouldNotSave)}</p>
                    </Show>
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
                    <button type="button" class="button button-primary" disabled=move || arrive.pending().get() on:click={
                        let check_in = check_in.clone();
                        move |_| check_in()
                    }>
                        {move || i18n.t(Text::CheckInAction)}
                    </button>
                }
            }
        >
            {move || {
                // Right after a check-in, not on first load: the moment to offer notifications
                // of exposure alerts for places like this one.
                arrive.value().get().and_then(Result::ok).map(|checked| view! {
                    <VisitPanel visit=checked.visit queued=checked.queued headline=Text::CheckedIn/>
                    <NotificationOffer/>
                })
            }}
        </Show>
    }
}

/// One visit: where, since when, who; what was just queued for it; and checking out.
#[component]
pub fn VisitPanel(visit: DiaryVisit, queued: Vec<Uuid>, headline: Text) -> impl IntoView {
    let i18n = use_i18n();
    let outbox = use_outbox();
    let leave = Action::new_local(move |visit: &DiaryVisit| {
        let visit = visit.clone();
        async move { diary::check_out(outbox, visit, Departure::Button).await }
    });
    let arrived = StoredValue::new((visit, queued, headline));
    // The visit as it is now: as it came, or as checking out left it.
    let shown = move || match leave.value().get() {
        Some(Ok((visit, queued))) => (visit, queued, Text::CheckedOut),
        _ => arrived.get_value(),
    };
    move || {
        let (visit, queued, headline) = shown();
        let open = visit.is_open();
        let names = visit.names();
        let arrived = visit.arrived_at_ms;
        let left = visit.left_at_ms;
        view! {
            {(!queued.is_empty()).then(|| view! { <DeliveryNotice ids=queued.clone() headline=Some(headline)/> })}
            {queued.is_empty().then(|| view! { <p class="notice" role="status">{move || i18n.t(headline)}</p> })}
            <div class=if open { "visit visit-open" } else { "visit" }>
                <p class="visit-venue">{visit.venue_name.clone()}</p>
                <p>{move || i18n.format(Text::VisitArrived, &[("time", format_date_time(arrived, i18n.lang()).as_str().into())])}</p>
                {left.map(|left| view! {
                    <p>{move || i18n.format(Text::VisitLeft, &[("time", format_date_time(left, i18n.lang()).as_str().into())])}</p>
                })}
                <p>{names}</p>
            </div>
            <Show when=move || open>
                <Show when=move || matches!(leave.value().get(), Some(Err(_)))>
                    <p class="notice-error" role="alert">{move || i18n.t(Text::CouldNotSave)}</p>
                </Show>
                <button
                    type="button"
                    class="button button-primary"
                    disabled=move || leave.pending().get()
                    on:click={
                        let visit = visit.clone();
                        move |_| { leave.dispatch(visit.clone()); }
                    }
                >
                    {move || i18n.t(Text::CheckOutAction)}
                </button>
            </Show>
        }
    }
}

//! `/visits`: the visits diary, the latest first, with checking out of the one still open.

use domain::date::local_input_value;
use domain::diary::{Departure, DiaryVisit};
use domain::i18n::Text;
use domain::retention::RETENTION_DAYS;
use leptos::prelude::*;

use crate::adapters::clock::format_date_time;
use crate::adapters::idb::{use_local_db, StorageError};
use crate::adapters::outbox::use_outbox;
use crate::diary::{self, CorrectionFailure};
use crate::i18n::use_i18n;
use crate::pages::check_in::VisitPanel;
use crate::pages::delivery::DeliveryNotice;
use crate::pages::CouldNotRead;

#[component]
pub fn VisitsPage() -> impl IntoView {
    let i18n = use_i18n();
    let db = use_local_db();
    let outbox = use_outbox();
    let visits = LocalResource::new(move || async move {
        // A visit nobody checked out of ends by itself; the diary shows it ended.
        diary::close_forgotten_visits(outbox).await?;
        db.await?.visits().await
    });
    view! {
        <section class="page" aria-labelledby="visits-title">
            <h1 id="visits-title">{move || i18n.t(Text::DiaryTitle)}</h1>
            <p class="hint">{move || i18n.t(Text::DiaryIntro)}</p>
            <Transition fallback=move || view! { <p>{move || i18n.t(Text::Loading)}</p> }>
                {move || {
                    visits.get().map(|result: Result<Vec<DiaryVisit>, StorageError>| match result {
                        Err(_) => view! { <CouldNotRead/> }.into_any(),
                        Ok(list) if list.is_empty() => {
                            view! { <p class="empty">{move || i18n.t(Text::DiaryEmpty)}</p> }.into_any()
                        }
                        Ok(list) => view! {
                            <ul class="cards" aria-labelledby="visits-title">
                                {list.into_iter().map(|visit| view! { <li class="card"><DiaryEntry visit/></li> }).collect_view()}
                            </ul>
                        }
                        .into_any(),
                    })
                }}
            </Transition>
        </section>
    }
}

#[component]
fn DiaryEntry(visit: DiaryVisit) -> impl IntoView {
    let i18n = use_i18n();
    if visit.is_open() {
        return view! { <VisitPanel visit queued=Vec::new() headline=Text::StillHere/> }.into_any();
    }
    let names = visit.names();
    let venue_name = visit.venue_name.clone();
    let correct_label = format!("{}: {}", i18n.t(Text::CorrectTimesAction), visit.venue_name);
    let how = match visit.departure {
        Some(Departure::DefaultStay) => Some(Text::DepartureAutomatic),
        Some(Departure::Elsewhere) => Some(Text::DepartureElsewhere),
        _ => None,
    };
    let shown = RwSignal::new(visit);
    let arrived = move || shown.with(|visit| visit.arrived_at_ms);
    let left = move || shown.with(|visit| visit.left_at_ms.unwrap_or(visit.arrived_at_ms));
    let correcting = RwSignal::new(false);
    view! {
        <span class="card-title">{venue_name}</span>
        <span class="card-detail">
            {move || i18n.format(Text::VisitArrived, &[("time", format_date_time(arrived(), i18n.lang()).as_str().into())])}
        </span>
        <span class="card-detail">
            {move || i18n.format(Text::VisitLeft, &[("time", format_date_time(left(), i18n.lang()).as_str().into())])}
        </span>
        <span class="card-detail">{names}</span>
        {how.map(|how| view! { <span class="card-detail">{move || i18n.t(how)}</span> })}
        <Show
            when=move || correcting.get()
            fallback=move || view! {
                <button type="button" class="button" aria-label=correct_label.clone() on:click=move |_| correcting.set(true)>
                    {move || i18n.t(Text::CorrectTimesAction)}
                </button>
            }
        >
            <CorrectTimes shown done=move || correcting.set(false)/>
        </Show>
    }
    .into_any()
}

/// The arrival and departure of an ended visit, as the person says they were; the corrected
/// times are saved in the diary and sent to the server through the outbox.
#[component]
fn CorrectTimes(shown: RwSignal<DiaryVisit>, done: impl Fn() + Copy + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let outbox = use_outbox();
    let visit = shown.get_untracked();
    let id = visit.id;
    let arrived = RwSignal::new(local_input_value(visit.arrived_at_ms));
    let left = RwSignal::new(local_input_value(
        visit.left_at_ms.unwrap_or(visit.arrived_at_ms),
    ));
    let problem = RwSignal::new(None::<Text>);
    let queued = RwSignal::new(Vec::<uuid::Uuid>::new());
    let save = Action::new_local(move |_: &()| {
        let (arrived, left) = (arrived.get_untracked(), left.get_untracked());
        let visit = shown.get_untracked();
        async move { diary::correct_times(outbox, visit, &arrived, Some(&left)).await }
    });
    Effect::new(move || match save.value().get() {
        // Nothing changed: nothing to send, the form just closes.
        Some(Ok((_, ids))) if ids.is_empty() => done(),
        Some(Ok((visit, ids))) => {
            problem.set(None);
            shown.set(visit);
            queued.set(ids);
        }
        Some(Err(CorrectionFailure::Refused(error))) => problem.set(Some(error.text())),
        Some(Err(CorrectionFailure::Storage(_))) => problem.set(Some(Text::CouldNotSave)),
        None => {}
    });
    let (arrived_id, left_id, problem_id) = (
        format!("arrived-{id}"),
        format!("left-{id}"),
        format!("correction-{id}"),
    );
    let invalid = move || problem.get().is_some().to_string();
    view! {
        <form class="correct-times" on:submit=move |event| { event.prevent_default(); save.dispatch(()); }>
            <fieldset>
                <legend>{move || i18n.t(Text::CorrectTimesTitle)}</legend>
                <label for=arrived_id.clone()>{move || i18n.t(Text::CorrectArrivalLabel)}</label>
                <input id=arrived_id type="datetime-local" aria-invalid=invalid aria-describedby=problem_id.clone()
                    prop:value=move || arrived.get() on:input=move |event| arrived.set(event_target_value(&event))/>
                <label for=left_id.clone()>{move || i18n.t(Text::CorrectDepartureLabel)}</label>
                <input id=left_id type="datetime-local" aria-invalid=invalid aria-describedby=problem_id.clone()
                    prop:value=move || left.get() on:input=move |event| left.set(event_target_value(&event))/>
                <p id=problem_id class="field-error" role="alert">
                    {move || problem.get().map(|text| i18n.format(text, &[("days", RETENTION_DAYS.into())]))}
                </p>
            </fieldset>
            <div class="actions">
                <button type="submit" class="button button-primary">{move || i18n.t(Text::CorrectTimesSave)}</button>
                <button type="button" class="button" on:click=move |_| done()>{move || i18n.t(Text::CorrectTimesCancel)}</button>
            </div>
            <Show when=move || !queued.get().is_empty()>
                <DeliveryNotice ids=queued.get() headline=Some(Text::CorrectTimesSaved)/>
            </Show>
        </form>
    }
}

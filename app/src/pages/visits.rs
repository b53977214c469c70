//! `/visits`: the visits diary, the latest first, with checking out of the one still open.

use domain::diary::{Departure, DiaryVisit};
use domain::i18n::Text;
use leptos::prelude::*;

use crate::adapters::clock::format_date_time;
use crate::adapters::idb::{use_local_db, StorageError};
use crate::adapters::outbox::use_outbox;
use crate::diary;
use crate::i18n::use_i18n;
use crate::pages::check_in::VisitPanel;
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
    let (arrived, left) = (
        visit.arrived_at_ms,
        visit.left_at_ms.unwrap_or(visit.arrived_at_ms),
    );
    let how = match visit.departure {
        Some(Departure::DefaultStay) => Some(Text::DepartureAutomatic),
        Some(Departure::Elsewhere) => Some(Text::DepartureElsewhere),
        _ => None,
    };
    view! {
        <span class="card-title">{visit.venue_name.clone()}</span>
        <span class="card-detail">
            {move || i18n.format(Text::VisitArrived, &[("time", format_date_time(arrived, i18n.lang()).as_str().into())])}
        </span>
        <span class="card-detail">
            {move || i18n.format(Text::VisitLeft, &[("time", format_date_time(left, i18n.lang()).as_str().into())])}
        </span>
        <span class="card-detail">{names}</span>
        {how.map(|how| view! { <span class="card-detail">{move || i18n.t(how)}</span> })}
    }
    .into_any()
}

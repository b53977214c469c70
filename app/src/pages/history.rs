//! One person's declaration history on this device.

use domain::i18n::Text;
use domain::profile::Profile;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::adapters::clock::format_date_time;
use crate::adapters::idb::use_local_db;
use crate::adapters::outbox::use_outbox;
use crate::i18n::use_i18n;
use crate::pages::{CouldNotRead, WithProfile};

#[component]
pub fn HistoryPage() -> impl IntoView {
    view! { <WithProfile render=|profile| view! { <History profile/> }.into_any()/> }
}

#[component]
fn History(profile: Profile) -> impl IntoView {
    let i18n = use_i18n();
    let db = use_local_db();
    let outbox = use_outbox();
    let profile_id = profile.id;
    let records = LocalResource::new(move || {
        // A delivery adds its receipt: re-read when the outbox changes.
        outbox.items().track();
        async move {
            let mut mine: Vec<_> = db
                .await?
                .declarations()
                .await?
                .into_iter()
                .filter(|record| record.profile_id == profile_id)
                .collect();
            mine.reverse();
            Ok::<_, crate::adapters::idb::StorageError>(mine)
        }
    });
    view! {
        <section class="page" aria-labelledby="history-title">
            <h1 id="history-title">{move || i18n.t(Text::HistoryTitle)}</h1>
            <p class="lead"><strong>{profile.fields.full_name.clone()}</strong></p>
            <p class="hint">{move || i18n.t(Text::HistoryIntro)}</p>
            <Transition fallback=move || view! { <p>{move || i18n.t(Text::Loading)}</p> }>
                {move || {
                    records
                        .get()
                        .map(|result| match result {
                            Err(_) => view! { <CouldNotRead/> }.into_any(),
                            Ok(list) if list.is_empty() => {
                                view! { <p class="empty">{move || i18n.t(Text::HistoryEmpty)}</p> }.into_any()
                            }
                            Ok(list) => {
                                view! {
                                    <ul class="cards" aria-labelledby="history-title">
                                        {list
                                            .into_iter()
                                            .map(|record| {
                                                let kind = record.submission.content.title();
                                                let on_behalf = record.submission.content.on_behalf();
                                                let made = record.submission.created_at_ms;
                                                let received = record.receipt.map(|receipt| receipt.received_at_ms);
                                                view! {
                                                    <li class="card">
                                                        <span class="card-title">{move || i18n.t(kind)}</span>
                                                        <span class="card-detail">{move || format_date_time(made, i18n.lang())}</span>
                                                        {on_behalf.then(|| view! { <span class="card-detail">{move || i18n.t(Text::MadeOnBehalf)}</span> })}
                                                        {move || match received {
                                                            Some(at) => view! {
                                                                <span class="status status-valid">
                                                                    {i18n.format(Text::ReceivedByServer, &[("time", format_date_time(at, i18n.lang()).as_str().into())])}
                                                                </span>
                                                            }.into_any(),
                                                            None => view! {
                                                                <span class="status status-pending">{i18n.t(Text::StatusPending)}</span>
                                                            }.into_any(),
                                                        }}
                                                    </li>
                                                }
                                            })
                                            .collect_view()}
                                    </ul>
                                }
                                    .into_any()
                            }
                        })
                }}
            </Transition>
            <A href="/" attr:class="button">{move || i18n.t(Text::BackToHome)}</A>
        </section>
    }
}

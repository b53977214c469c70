//! The outbox page: every queued submission, its state, and what the user can do about it.

use domain::i18n::{error_message, Text};
use domain::outbox::{AttemptFailure, ItemState};
use leptos::prelude::*;
use uuid::Uuid;

use crate::adapters::clock::format_date_time;
use crate::adapters::idb::OutboxItem;
use crate::adapters::outbox::use_outbox;
use crate::adapters::persistence::use_persistent_storage;
use crate::i18n::{use_i18n, I18n};
use crate::pages::fields::ConfirmedAction;

#[component]
pub fn OutboxPage() -> impl IntoView {
    let i18n = use_i18n();
    let outbox = use_outbox();
    let persisted = use_persistent_storage();
    view! {
        <section class="page" aria-labelledby="outbox-title">
            <h1 id="outbox-title">{move || i18n.t(Text::OutboxTitle)}</h1>
            <p class="lead">{move || i18n.t(Text::OutboxIntro)}</p>
            {move || {
                persisted
                    .get()
                    .map(|granted| {
                        let text = if granted { Text::StoragePersisted } else { Text::StorageNotPersisted };
                        view! { <p class="hint" data-persisted=granted.to_string()>{move || i18n.t(text)}</p> }
                    })
            }}
            {move || match outbox.items().get() {
                None => view! { <p>{move || i18n.t(Text::Loading)}</p> }.into_any(),
                Some(items) if items.is_empty() => {
                    view! { <p class="empty">{move || i18n.t(Text::OutboxEmpty)}</p> }.into_any()
                }
                Some(items) => {
                    view! {
                        <ul class="cards" aria-labelledby="outbox-title">
                            {items.into_iter().map(|item| view! { <OutboxEntry item/> }).collect_view()}
                        </ul>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

#[component]
fn OutboxEntry(item: OutboxItem) -> impl IntoView {
    let i18n = use_i18n();
    let id: Uuid = item.id;
    let kind = item.submission.content.title();
    let person = item.submission.content.full_name().map(str::to_owned);
    let created = item.submission.created_at_ms;
    let state = item.state.clone();
    let heading_id = format!("item-{id}");
    view! {
        <li class="card" aria-labelledby=heading_id.clone()>
            <span class="card-title" id=heading_id.clone()>
                {move || i18n.t(kind)} {person.map(|person| format!(" · {person}"))}
            </span>
            <span class="card-detail">{move || format_date_time(created, i18n.lang())}</span>
            {match state {
                ItemState::Pending { attempts, last_error, .. } => {
                    view! {
                        <p class="item-state">
                            {move || i18n.t(Text::StatePending)}
                            {(attempts > 0).then(|| view! { " · " {move || i18n.format(Text::Attempts, &[("n", attempts.into())])} })}
                        </p>
                        {last_error.map(|failure| view! { <p class="hint">{move || last_failure_text(i18n, failure)}</p> })}
                        <ItemActions id/>
                    }
                        .into_any()
                }
                ItemState::NeedsAttention { status, fields, .. } => {
                    view! {
                        <p class="item-state error" role="alert">
                            {move || i18n.format(Text::StateNeedsAttention, &[("status", status.into())])}
                        </p>
                        <ul class="field-errors">
                            {fields
                                .into_iter()
                                .map(|field| {
                                    view! { <li>{field.field.clone()} ": " {move || error_message(i18n.lang(), &field.code)}</li> }
                                })
                                .collect_view()}
                        </ul>
                        <ItemActions id/>
                    }
                        .into_any()
                }
            }}
        </li>
    }
}

/// "Send again" and "Discard" (after confirmation) for one item.
#[component]
fn ItemActions(id: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let outbox = use_outbox();
    let retry = Action::new_local(move |_: &()| outbox.retry(id));
    let discard = Action::new_local(move |_: &()| outbox.discard(id));
    view! {
        <div class="actions">
            <button type="button" class="button" on:click=move |_| { retry.dispatch(()); }>
                {move || i18n.t(Text::RetryItem)}
            </button>
            <ConfirmedAction
                label=Text::DiscardItem
                confirm=Text::ConfirmDiscard
                back=Text::KeepItem
                on_confirm=move || {
                    discard.dispatch(());
                }
            />
        </div>
    }
}

/// The last failed attempt in words, never the browser's own error text.
fn last_failure_text(i18n: I18n, failure: AttemptFailure) -> String {
    match failure {
        AttemptFailure::Unreachable => i18n.t(Text::LastErrorUnreachable).to_owned(),
        AttemptFailure::NoReceipt => i18n.t(Text::LastErrorNoReceipt).to_owned(),
        AttemptFailure::Busy { status } => {
            i18n.format(Text::LastErrorBusy, &[("status", status.into())])
        }
    }
}

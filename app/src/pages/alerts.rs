//! Exposure alerts (DESIGN.md §3.5): the new ones at the top of the home screen until the person
//! says they read them, and every alert of the last weeks on `/alerts`, with what to do.

use domain::exposure::Alert;
use domain::i18n::{Lang, Text};
use leptos::prelude::*;
use leptos_router::components::A;

use crate::adapters::clock::format_date_time;
use crate::adapters::notifications::{self, Permission};
use crate::exposures::{acknowledge, use_exposures};
use crate::i18n::use_i18n;

/// The national health hotline, as dialled.
const HOTLINE: &str = "19009095";

/// One alert: where and when, what the level asks, the officers' advice and the hotline.
#[component]
fn AlertCard(alert: Alert, #[prop(optional)] with_acknowledge: bool) -> impl IntoView {
    let i18n = use_i18n();
    let event_id = alert.event.event_id;
    let title_id = format!("alert-{event_id}");
    let where_when = {
        let alert = alert.clone();
        move || {
            let lang = i18n.lang();
            i18n.format(
                Text::ExposureWhereWhen,
                &[
                    ("venue", alert.venue_name.as_str().into()),
                    (
                        "arrived",
                        format_date_time(alert.arrived_at_ms, lang).as_str().into(),
                    ),
                    (
                        "from",
                        format_date_time(alert.event.starts_at_ms, lang)
                            .as_str()
                            .into(),
                    ),
                    (
                        "to",
                        format_date_time(alert.event.ends_at_ms, lang)
                            .as_str()
                            .into(),
                    ),
                ],
            )
        }
    };
    let advice = {
        let event = alert.event.clone();
        move || event.advice(i18n.lang() == Lang::Vi).to_owned()
    };
    let level = alert.event.level;
    let acknowledging = Action::new_local(move |_: &()| acknowledge(event_id));
    view! {
        <article class=format!("alert-card alert-{}", level.as_str()) aria-labelledby=title_id.clone()>
            <h2 id=title_id.clone()>{move || i18n.t(Text::ExposureAlertTitle)}</h2>
            <p>{where_when}</p>
            <p class="alert-instruction"><strong>{move || i18n.t(level.instruction())}</strong></p>
            <p class="alert-advice">
                <span class="label">{move || i18n.t(Text::ExposureAdvice)}</span>
                " "
                <span>{advice}</span>
            </p>
            <p>
                <a class="button" href=format!("tel:{HOTLINE}")>{move || i18n.t(Text::ExposureHotline)}</a>
            </p>
            <p class="small">{move || i18n.t(Text::ExposurePrivacy)}</p>
            {with_acknowledge.then(|| view! {
                <button
                    type="button"
                    class="button button-primary"
                    disabled=move || acknowledging.pending().get()
                    on:click=move |_| { acknowledging.dispatch(()); }
                >
                    {move || i18n.t(Text::ExposureAcknowledge)}
                </button>
            })}
            {move || matches!(acknowledging.value().get(), Some(Err(_))).then(|| view! {
                <p class="notice-error" role="alert">{move || i18n.t(Text::CouldNotSave)}</p>
            })}
        </article>
    }
}

/// The alerts not read yet, announced as they appear; nothing when there are none.
#[component]
pub fn NewAlerts() -> impl IntoView {
    let state = use_exposures();
    let unread = move || {
        state.with(|state| {
            state
                .as_ref()
                .map(|state| state.unacknowledged().cloned().collect::<Vec<_>>())
                .unwrap_or_default()
        })
    };
    view! {
        <div role="alert" class="alerts">
            <For each=unread key=|alert| alert.event.event_id let:alert>
                <AlertCard alert with_acknowledge=true/>
            </For>
        </div>
    }
}

/// A link to `/alerts` with the number of alerts kept, once there is one.
#[component]
pub fn AlertsLink() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_exposures();
    let count = move || state.with(|state| state.as_ref().map_or(0, |state| state.alerts.len()));
    view! {
        <Show when=move || { count() > 0 }>
            <A href="/alerts" attr:class="button">
                {move || i18n.format(Text::ExposureAlertsLink, &[("n", count().into())])}
            </A>
        </Show>
    }
}

/// Offers system notifications for future alerts: shown after a check-in, never on first load.
#[component]
pub fn NotificationOffer() -> impl IntoView {
    let i18n = use_i18n();
    let permission = RwSignal::new(notifications::permission());
    // The answer is announced only when it follows the person's own request; otherwise it is a
    // note like any other.
    let asked = RwSignal::new(false);
    let ask = Action::new_local(move |_: &()| async move {
        asked.set(true);
        permission.set(notifications::request().await);
    });
    let role = move || asked.get().then_some("status");
    view! {
        {move || match permission.get() {
            Permission::Unsupported => None,
            Permission::Ask => Some(view! {
                <p>
                    <button type="button" class="button" disabled=move || ask.pending().get() on:click=move |_| { ask.dispatch(()); }>
                        {move || i18n.t(Text::ExposureNotifyOffer)}
                    </button>
                </p>
            }.into_any()),
            Permission::Granted => Some(view! { <p class="small" role=role>{move || i18n.t(Text::ExposureNotifyOn)}</p> }.into_any()),
            Permission::Denied => Some(view! { <p class="small" role=role>{move || i18n.t(Text::ExposureNotifyDenied)}</p> }.into_any()),
        }}
    }
}

/// `/alerts`: every alert of the last weeks, newest first.
#[component]
pub fn AlertsPage() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_exposures();
    let alerts = move || state.with(|state| state.as_ref().map(|state| state.alerts.clone()));
    view! {
        <section class="page" aria-labelledby="alerts-title">
            <h1 id="alerts-title">{move || i18n.t(Text::ExposureAlertsTitle)}</h1>
            {move || match alerts() {
                None => view! { <p role="status">{move || i18n.t(Text::Loading)}</p> }.into_any(),
                Some(list) if list.is_empty() => view! { <p class="empty">{move || i18n.t(Text::ExposureAlertsNone)}</p> }.into_any(),
                Some(list) => list
                    .into_iter()
                    .map(|alert| {
                        let unread = !alert.acknowledged;
                        view! { <AlertCard alert with_acknowledge=unread/> }
                    })
                    .collect_view()
                    .into_any(),
            }}
            <NotificationOffer/>
        </section>
    }
}

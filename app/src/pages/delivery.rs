//! What a screen says once it has saved something for the server: whether it was sent, is on its
//! way, or waits, following the outbox as it changes, so the words are true at every moment.

use domain::i18n::Text;
use domain::outbox::Delivery;
use leptos::prelude::*;
use leptos_router::components::A;
use uuid::Uuid;

use crate::adapters::outbox::use_outbox;
use crate::i18n::use_i18n;

/// A live status for the submissions `ids`, saved together, under `headline` (what was saved).
#[component]
pub fn DeliveryNotice(
    ids: Vec<Uuid>,
    #[prop(optional_no_strip)] headline: Option<Text>,
    /// What to say once the server has it.
    #[prop(default = Text::DeliverySent)]
    sent: Text,
) -> impl IntoView {
    let i18n = use_i18n();
    let delivery = use_outbox().delivery(ids);
    let text = move || match delivery.get() {
        Delivery::Sent => sent,
        Delivery::Sending => Text::DeliverySending,
        Delivery::WaitingForNetwork => Text::DeliveryWaitingNetwork,
        Delivery::ServerBusy => Text::DeliveryServerBusy,
        Delivery::NeedsAttention => Text::DeliveryNeedsAttention,
    };
    let refused = move || delivery.get() == Delivery::NeedsAttention;
    view! {
        <div class=move || if refused() { "notice-error" } else { "notice-success" } role="status">
            {headline.map(|headline| view! { <p>{move || i18n.t(headline)}</p> })}
            <p>{move || i18n.t(text())}</p>
        </div>
        <Show when=refused>
            <A href="/outbox" attr:class="button">{move || i18n.t(Text::NavOutbox)}</A>
        </Show>
    }
}

//! `/my-data`: what the app keeps on this device, and deleting all of it in one step, with a
//! request that the server delete what this device sent (DESIGN.md §7).

use domain::i18n::Text;
use leptos::prelude::*;
use uuid::Uuid;

use crate::adapters::idb::{use_local_db, StorageError};
use crate::adapters::outbox::use_outbox;
use crate::i18n::use_i18n;
use crate::pages::delivery::DeliveryNotice;
use crate::pages::fields::{Checkbox, ConfirmedAction};
use crate::pages::CouldNotRead;

#[component]
pub fn MyDataPage() -> impl IntoView {
    let i18n = use_i18n();
    let db = use_local_db();
    let outbox = use_outbox();
    let erase = Action::new_local(move |server_too: &bool| outbox.erase_everything(*server_too));
    let held = LocalResource::new(move || {
        erase.version().track();
        async move {
            let db = db.await?;
            Ok::<_, StorageError>((db.profiles().await?.len(), db.declarations().await?.len()))
        }
    });
    // Items the server has not confirmed: lost if deleted now, so the person is told first.
    let unsent = move || {
        outbox.items().read().as_ref().map_or(0, |items| {
            items
                .iter()
                .filter(|item| item.submission.content.profile_id().is_some())
                .count()
        })
    };
    let (server_too, set_server_too) = signal(true);

    view! {
        <section class="page" aria-labelledby="my-data-title">
            <h1 id="my-data-title">{move || i18n.t(Text::MyDataTitle)}</h1>
            <p>{move || i18n.t(Text::MyDataIntro)}</p>
            <Transition fallback=move || view! { <p>{move || i18n.t(Text::Loading)}</p> }>
                {move || {
                    held.get().map(|result| match result {
                        Err(_) => view! { <CouldNotRead/> }.into_any(),
                        Ok((profiles, declarations)) => view! {
                            <p>
                                {move || i18n.format(
                                    Text::MyDataHeld,
                                    &[("profiles", profiles.into()), ("declarations", declarations.into())],
                                )}
                            </p>
                        }
                        .into_any(),
                    })
                }}
            </Transition>
            {move || match erase.value().get() {
                Some(Ok(request)) => view! { <Erased request/> }.into_any(),
                Some(Err(_)) => view! {
                    <p class="notice-error" role="alert">{move || i18n.t(Text::CouldNotErase)}</p>
                }
                .into_any(),
                None => ().into_any(),
            }}
            <h2>{move || i18n.t(Text::EraseHeading)}</h2>
            <p>{move || i18n.t(Text::EraseExplained)}</p>
            <Show when=move || { unsent() > 0 }>
                <p class="notice-error" role="alert">
                    {move || i18n.format(Text::EraseUnsentWarning, &[("n", unsent().into())])}
                </p>
            </Show>
            <Checkbox
                name="erase-server-too"
                label=Text::EraseServerToo
                checked=server_too
                on_change=move |ticked| set_server_too.set(ticked)
            />
            <div class="actions">
                <ConfirmedAction
                    label=Text::EraseEverything
                    confirm=Text::ConfirmErase
                    back=Text::KeepMyData
                    on_confirm=move || {
                        erase.dispatch(server_too.get_untracked());
                    }
                />
            </div>
        </section>
    }
}

/// What deleting did: all gone from the device, and where the server's deletion stands.
#[component]
fn Erased(request: Option<Uuid>) -> impl IntoView {
    let i18n = use_i18n();
    match request {
        Some(id) => view! {
            <DeliveryNotice ids=vec![id] headline=Some(Text::ErasedFromDevice) sent=Text::ErasedOnServer/>
        }
        .into_any(),
        None => view! {
            <div class="notice-success" role="status">
                <p>{move || i18n.t(Text::ErasedFromDevice)}</p>
            </div>
        }
        .into_any(),
    }
}

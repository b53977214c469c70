//! Exposure alerts on the phone (DESIGN.md §3.5): the signed list is fetched on start, on
//! `online` and every two hours while the app is open, verified with the kept server keys,
//! matched by `domain::exposure` against the diary on this device, and each event alerts once.
//! Nothing about a match is sent anywhere: the only request is the list itself, the same for
//! everyone.

use std::cell::OnceCell;

use domain::api::SignedExposureList;
use domain::exposure::{Alert, ExposureListError, ExposureState};
use domain::i18n::{Lang, Text};
use leptos::prelude::*;
use uuid::Uuid;

use crate::adapters::clock::now_ms;
use crate::adapters::idb::{use_local_db, StorageError};
use crate::adapters::{api, connectivity, notifications, preferences};
use crate::page_lifetime;

/// How often an open app fetches the list again.
pub const CHECK_EVERY_MS: u32 = 2 * 3_600_000;

thread_local! {
    static STATE: OnceCell<RwSignal<Option<ExposureState>>> = const { OnceCell::new() };
}

/// The page's exposure state, read from IndexedDB on first use: `None` until it is read.
pub fn use_exposures() -> RwSignal<Option<ExposureState>> {
    page_lifetime::get_or_init(&STATE, || {
        let state = RwSignal::new(None);
        leptos::task::spawn_local(async move {
            if let Ok(db) = use_local_db().await {
                if let Ok(kept) = db.exposure_state().await {
                    state.update(|current| {
                        current.get_or_insert(kept);
                    });
                }
            }
        });
        state
    })
}

/// Why a check did not complete; the kept state is unchanged.
#[derive(Debug, Clone, thiserror::Error)]
pub enum CheckError {
    #[error("the list could not be fetched")]
    Offline,
    #[error("the list did not verify: {0}")]
    Unverified(ExposureListError),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// The list verified with the kept keys, fetching the keys again once for a key id this device
/// does not have (a rotation since they were fetched).
async fn verified(signed: SignedExposureList) -> Result<domain::api::ExposureList, CheckError> {
    match signed.clone().verify(&preferences::stored_venue_keys()) {
        Err(ExposureListError::UnknownKey(_)) => {
            let fresh = crate::venue_keys::refresh()
                .await
                .ok_or(CheckError::Offline)?;
            signed.verify(&fresh.keys).map_err(CheckError::Unverified)
        }
        verdict => verdict.map_err(CheckError::Unverified),
    }
}

/// Fetches what changed, matches it against the diary and raises the new alerts: kept, shown
/// in the app, and notified where the person allowed it. Returns the alerts raised.
pub async fn check() -> Result<Vec<Alert>, CheckError> {
    let db = use_local_db().await?;
    let mut state = db.exposure_state().await?;
    let path = format!("/api/v1/exposures?since={}", state.version);
    let signed = api::get_revalidated::<SignedExposureList>(&path)
        .await
        .map_err(|_| CheckError::Offline)?;
    let list = verified(signed).await?;
    let now = now_ms();
    if !state.apply(list, now) {
        // An answer that does not continue from what is kept (a stale cache): start over.
        let signed = api::get_revalidated::<SignedExposureList>("/api/v1/exposures?since=0")
            .await
            .map_err(|_| CheckError::Offline)?;
        let fresh = verified(signed).await?;
        state.version = 0;
        state.events.clear();
        state.apply(fresh, now);
    }
    let raised = state.raise(&db.visits().await?, now);
    db.put_exposure_state(&state).await?;
    use_exposures().set(Some(state));
    for alert in &raised {
        notify(alert).await;
    }
    Ok(raised)
}

async fn notify(alert: &Alert) {
    // Called outside any component: the language is the one kept for this device.
    let lang = preferences::stored_language().unwrap_or(Lang::Vi);
    let body =
        Text::ExposureNotificationBody.format(lang, &[("venue", alert.venue_name.as_str().into())]);
    notifications::show(
        Text::ExposureNotificationTitle.in_lang(lang),
        &body,
        &alert.event.event_id.to_string(),
    )
    .await;
}

/// Marks the alert of `event_id` as read, on the device.
pub async fn acknowledge(event_id: Uuid) -> Result<(), StorageError> {
    let db = use_local_db().await?;
    let mut state = db.exposure_state().await?;
    state.acknowledge(event_id);
    db.put_exposure_state(&state).await?;
    use_exposures().set(Some(state));
    Ok(())
}

/// Checks now, and again on every `online` and every [`CHECK_EVERY_MS`], for as long as the
/// page lives.
pub fn start() {
    let run = || {
        leptos::task::spawn_local(async {
            if let Err(error) = check().await {
                leptos::logging::log!("exposure list not checked: {error}");
            }
        })
    };
    run();
    gloo_timers::callback::Interval::new(CHECK_EVERY_MS, run).forget();
    if let Some(listener) = connectivity::on_online(run) {
        listener.forget();
    }
}

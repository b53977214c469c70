//! The outbox (DESIGN.md §3.6): every submission is written to IndexedDB before the UI says
//! "saved", then sent to the API's batch endpoint until a receipt comes back. The decisions about
//! each item (retry, backoff, needs attention) are `domain::outbox`'s; this module does the I/O.
//!
//! Sync runs on start, on `online`, when the page becomes visible, right after a new item, and on
//! a timer set for the next due retry. One sync at a time per tab (a flag) and across tabs (a Web
//! Lock, where the browser has them); a trigger during a sync makes it run once more.

use std::cell::{Cell, OnceCell, RefCell};
use std::collections::HashMap;

use domain::api::{BatchRequest, BatchResults, ErrorBody, Receipt};
use domain::diary::DiaryVisit;
use domain::outbox::{after_attempt, AttemptFailure, Delivery, ItemState, Outcome, Verdict};
use domain::submission::{Content, Erasure, Submission};
use gloo_events::EventListener;
use gloo_timers::callback::Timeout;
use js_sys::{Function, Object, Promise, Reflect};
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use uuid::Uuid;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::idb::{use_local_db, LocalDbResource, OutboxItem, StorageError};
use super::performance::{mark, measure_since};
use super::preferences;
use crate::page_lifetime;

const BATCH_URL: &str = "/api/v1/submissions/batch";
/// Items per request: well under the server's limit, and small enough for a slow uplink.
const BATCH_SIZE: usize = 100;
const LOCK_NAME: &str = "tokhai-outbox-sync";

thread_local! {
    static SYNCING: Cell<bool> = const { Cell::new(false) };
    static SYNC_AGAIN: Cell<bool> = const { Cell::new(false) };
    static WAKE_UP: RefCell<Option<Timeout>> = const { RefCell::new(None) };
    static OUTBOX: OnceCell<Outbox> = const { OnceCell::new() };
}

/// The outbox as the UI sees it.
#[derive(Clone, Copy)]
pub struct Outbox {
    db: LocalDbResource,
    /// `None` until the queue has been read from IndexedDB.
    items: ReadSignal<Option<Vec<OutboxItem>>>,
    set_items: WriteSignal<Option<Vec<OutboxItem>>>,
}

/// The page's outbox, started on first use: it loads the queue, sends what is due, and listens
/// for the moments worth another attempt.
pub fn use_outbox() -> Outbox {
    page_lifetime::get_or_init(&OUTBOX, start)
}

fn start() -> Outbox {
    let (items, set_items) = signal(None);
    let outbox = Outbox {
        db: use_local_db(),
        items,
        set_items,
    };
    if let Some(window) = web_sys::window() {
        let on_online = super::connectivity::on_online(move || outbox.sync_now());
        let on_visible = window.document().map(|document| {
            let watched = document.clone();
            EventListener::new(&document, "visibilitychange", move |_| {
                if watched.visibility_state() == web_sys::VisibilityState::Visible {
                    outbox.sync_now();
                }
            })
        });
        let listeners = SendWrapper::new((on_online, on_visible));
        on_cleanup(move || drop(listeners));
    }
    outbox.sync_now();
    outbox
}

impl Outbox {
    /// Every queued item, oldest first; `None` until the queue has been read.
    pub fn items(self) -> ReadSignal<Option<Vec<OutboxItem>>> {
        self.items
    }

    /// How far the items `ids` (saved together) have got, as the screen that saved them says it.
    pub fn delivery(self, ids: Vec<Uuid>) -> Signal<Delivery> {
        let items = self.items;
        Signal::derive(move || {
            items.with(|items| {
                let Some(queued) = items.as_deref() else {
                    return Delivery::Sending;
                };
                Delivery::of_all(ids.iter().map(|id| {
                    queued
                        .iter()
                        .find(|item| item.id == *id)
                        .map(|item| &item.state)
                }))
            })
        })
    }

    /// Queues a submission durably, then tries to send it. Once this returns `Ok`, the
    /// submission survives a crash, a reload and going offline.
    pub async fn submit(self, submission: Submission) -> Result<(), StorageError> {
        mark(SEND_MARK);
        let db = self.db.await?;
        db.queue(&OutboxItem::new(submission)).await?;
        measure_since(SAVED_MEASURE, SEND_MARK);
        self.refresh().await;
        self.sync_now();
        Ok(())
    }

    /// Writes the changed diary `visits` and queues the check-ins and check-outs they mean, in one
    /// transaction, then tries to send them; returns the submissions' ids.
    pub async fn record_visits(
        self,
        visits: &[DiaryVisit],
        submissions: Vec<Submission>,
    ) -> Result<Vec<Uuid>, StorageError> {
        let items: Vec<OutboxItem> = submissions.into_iter().map(OutboxItem::new).collect();
        self.db.await?.record_visits(visits, &items).await?;
        self.refresh().await;
        self.sync_now();
        Ok(items.iter().map(|item| item.id).collect())
    }

    /// Deletes everything on the device and, with `server_too`, queues a request that the
    /// server delete what this device sent (DESIGN.md §7); returns that request's id.
    pub async fn erase_everything(self, server_too: bool) -> Result<Option<Uuid>, StorageError> {
        let request = server_too.then(|| {
            OutboxItem::new(Submission {
                id: Uuid::new_v4(),
                created_at_ms: crate::adapters::clock::now_ms(),
                content: Content::Erasure(Erasure {}),
            })
        });
        self.db.await?.erase_everything(request.as_ref()).await?;
        preferences::forget_people();
        self.refresh().await;
        self.sync_now();
        Ok(request.map(|request| request.id))
    }

    /// Sends an item that needed attention again, as if new.
    pub async fn retry(self, id: Uuid) -> Result<(), StorageError> {
        self.update(id, |item| item.state = ItemState::new_pending())
            .await?;
        self.sync_now();
        Ok(())
    }

    /// Removes an item for good (the user confirmed).
    pub async fn discard(self, id: Uuid) -> Result<(), StorageError> {
        self.db.await?.remove_outbox_item(id).await?;
        self.refresh().await;
        Ok(())
    }

    async fn update(
        self,
        id: Uuid,
        change: impl FnOnce(&mut OutboxItem),
    ) -> Result<(), StorageError> {
        let db = self.db.await?;
        if let Some(mut item) = db.outbox().await?.into_iter().find(|item| item.id == id) {
            change(&mut item);
            db.put_outbox_item(&item).await?;
        }
        self.refresh().await;
        Ok(())
    }

    /// Reloads the UI's copy of the queue from IndexedDB.
    async fn refresh(self) {
        if let Ok(db) = self.db.await {
            if let Ok(items) = db.outbox().await {
                self.set_items.set(Some(items));
            }
        }
    }

    /// Starts a sync unless one is running, in which case that one runs once more.
    pub fn sync_now(self) {
        if SYNCING.with(|syncing| syncing.replace(true)) {
            SYNC_AGAIN.with(|again| again.set(true));
            return;
        }
        let run = move || -> Promise {
            future_to_promise(async move {
                loop {
                    SYNC_AGAIN.with(|again| again.set(false));
                    self.sync_once().await;
                    if !SYNC_AGAIN.with(Cell::get) {
                        break;
                    }
                }
                SYNCING.with(|syncing| syncing.set(false));
                Ok(JsValue::UNDEFINED)
            })
        };
        with_web_lock(LOCK_NAME, run);
    }

    /// Sends every due item in batches, records each verdict, and sets the timer for the next
    /// retry.
    async fn sync_once(self) {
        let Ok(db) = self.db.await else { return };
        let Ok(items) = db.outbox().await else { return };
        self.set_items.set(Some(items.clone()));
        let now = now_ms();
        let due: Vec<OutboxItem> = items
            .into_iter()
            .filter(|item| item.state.is_due(now))
            .collect();
        for batch in due.chunks(BATCH_SIZE) {
            let (outcomes, receipts) = send(batch).await;
            let now = now_ms();
            let mut delivered = Vec::new();
            let mut updated = Vec::new();
            for item in batch {
                let outcome = outcomes
                    .get(&item.id)
                    .cloned()
                    .unwrap_or(Outcome::Unanswered(AttemptFailure::NoReceipt));
                match after_attempt(&item.state, outcome, now, js_sys::Math::random()) {
                    // `send` answers a 2xx only with the item's receipt.
                    Verdict::Delivered => match receipts.get(&item.id) {
                        Some(receipt) => delivered.push((item.clone(), receipt.clone())),
                        None => leptos::logging::warn!("outbox: delivered without a receipt"),
                    },
                    Verdict::Retry(state) | Verdict::NeedsAttention(state) => {
                        let mut next = item.clone();
                        next.state = state;
                        updated.push(next);
                    }
                }
            }
            if let Err(error) = db.record_attempt(&delivered, &updated).await {
                // The items stay as they were and are sent again; the server answers replays
                // with their original receipts.
                leptos::logging::warn!("outbox: could not record delivery results: {error}");
            }
        }
        let Ok(items) = db.outbox().await else { return };
        let next_due = items
            .iter()
            .filter_map(|item| match item.state {
                ItemState::Pending {
                    next_attempt_at_ms, ..
                } => Some(next_attempt_at_ms),
                ItemState::NeedsAttention { .. } => None,
            })
            .min();
        if items.is_empty() {
            mark(DRAINED_MARK);
        }
        self.set_items.set(Some(items));
        schedule_wake_up(self, next_due);
    }
}

fn schedule_wake_up(outbox: Outbox, at_ms: Option<u64>) {
    let timeout = at_ms.map(|at| {
        let delay = at.saturating_sub(now_ms()).min(u64::from(u32::MAX)) as u32;
        Timeout::new(delay, move || outbox.sync_now())
    });
    // Replacing the old timer cancels it.
    WAKE_UP.with(|wake_up| *wake_up.borrow_mut() = timeout);
}

fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// User Timing entries read by `cargo xtask bench outbox`: how long "send" took until the item
/// was durable, and when the outbox was last found empty after a sync.
const SEND_MARK: &str = "tokhai:outbox-send";
const SAVED_MEASURE: &str = "tokhai:outbox-saved";
const DRAINED_MARK: &str = "tokhai:outbox-drained";

/// Runs `task` holding the named Web Lock, so only one tab syncs at a time. Browsers without the
/// Web Locks API run it directly: the server's idempotency keeps a concurrent sync harmless.
fn with_web_lock(name: &str, task: impl FnOnce() -> Promise + 'static) {
    let request = web_sys::window()
        .and_then(|window| Reflect::get(&window.navigator(), &"locks".into()).ok())
        .filter(|locks| !locks.is_undefined())
        .and_then(|locks| {
            let request = Reflect::get(&locks, &"request".into()).ok()?;
            Some((locks, request.dyn_into::<Function>().ok()?))
        });
    let Some((locks, request)) = request else {
        let _ = task();
        return;
    };
    let callback = Closure::once_into_js(move |_lock: JsValue| task());
    if request
        .call3(&locks, &name.into(), &Object::new(), &callback)
        .is_err()
    {
        leptos::logging::warn!("outbox: the Web Lock request failed");
    }
}

/// One batch request: the outcome for each item, and the receipts of those stored, by id.
async fn send(batch: &[OutboxItem]) -> (HashMap<Uuid, Outcome>, HashMap<Uuid, Receipt>) {
    let everyone = |outcome: Outcome| {
        let outcomes = batch
            .iter()
            .map(|item| (item.id, outcome.clone()))
            .collect();
        (outcomes, HashMap::new())
    };
    let body = BatchRequest {
        items: batch
            .iter()
            .map(|item| &item.submission)
            .collect::<Vec<_>>(),
    };
    let request = match gloo_net::http::Request::post(BATCH_URL)
        .header("X-Tokhai-Device", &preferences::device_key())
        .json(&body)
    {
        Ok(request) => request,
        Err(_) => return everyone(Outcome::Unanswered(AttemptFailure::Unreachable)),
    };
    let response = match request.send().await {
        Ok(response) => response,
        Err(_) => return everyone(Outcome::Unanswered(AttemptFailure::Unreachable)),
    };
    let status = response.status();
    if status == 200 {
        return match response.json::<BatchResults>().await {
            Ok(results) => {
                let mut outcomes = HashMap::new();
                let mut receipts = HashMap::new();
                for result in results.results {
                    let Some(id) = result.id else { continue };
                    let outcome = match (result.status, result.receipt, result.error) {
                        // Delivered only with the server's own receipt for this very item: a 2xx
                        // without one is a protocol error, retried, never a made-up receipt.
                        (200..=299, Some(receipt), _) if receipt.id == id => {
                            receipts.insert(id, receipt);
                            Outcome::Answer {
                                status: result.status,
                                retry_after_s: None,
                                reason: String::new(),
                                fields: Vec::new(),
                            }
                        }
                        (200..=299, _, _) => Outcome::Unanswered(AttemptFailure::NoReceipt),
                        (status, _, error) => {
                            let (reason, fields) = error
                                .map(|error| (error.message, error.fields))
                                .unwrap_or_default();
                            Outcome::Answer {
                                status,
                                retry_after_s: None,
                                reason,
                                fields,
                            }
                        }
                    };
                    outcomes.insert(id, outcome);
                }
                (outcomes, receipts)
            }
            Err(_) => everyone(Outcome::Unanswered(AttemptFailure::NoReceipt)),
        };
    }
    let retry_after_s = response
        .headers()
        .get("retry-after")
        .and_then(|value| value.trim().parse().ok());
    let (reason, fields) = match response.json::<ErrorBody>().await {
        Ok(error) if !error.message.is_empty() => (error.message, error.fields),
        Ok(error) => (response.status_text(), error.fields),
        Err(_) => (response.status_text(), Vec::new()),
    };
    everyone(Outcome::Answer {
        status,
        retry_after_s,
        reason,
        fields,
    })
}

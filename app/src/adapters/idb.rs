//! IndexedDB, the device's durable store for profiles (and, later, declarations and the outbox).
//!
//! Opened once per page, on first use of [`use_local_db`].
//! Nothing but IndexedDB requests is awaited inside a transaction, so none auto-commits early.

use domain::diary::DiaryVisit;
use domain::exposure::ExposureState;
use domain::outbox::{ItemState, Receipt};
use domain::pass::PassKey;
use domain::profile::Profile;
use domain::retention::is_past_retention;
use domain::submission::Submission;
use indexed_db_futures::database::{Database, ObjectStoreName};
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::{TransactionDurability, TransactionMode, TransactionOptions};
use std::cell::OnceCell;

use leptos::prelude::*;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use wasm_bindgen::JsValue;

use crate::page_lifetime;

const DB_NAME: &str = "tokhai";
const DB_VERSION: u32 = 7;
const PROFILES: &str = "profiles";
const OUTBOX: &str = "outbox";
const DECLARATIONS: &str = "declarations";
const DRAFTS: &str = "drafts";
/// The visits diary (`domain::diary::DiaryVisit`, keyed by `id`).
const VISITS: &str = "visits";
/// The device's pass key (`adapters::device_key`): the private half under [`PRIVATE_KEY`], a
/// non-extractable `CryptoKey` kept by structured clone, and its public half under
/// [`PUBLIC_KEY`].
const DEVICE_KEYS: &str = "device_keys";
const PRIVATE_KEY: &str = "pass-private";
const PUBLIC_KEY: &str = "pass-public";
/// What the device knows of the published exposure list, and the alerts it raised
/// (`domain::exposure::ExposureState`), under [`EXPOSURE_STATE`]: it names venues this person
/// visited, so it is kept here, never in `localStorage`.
const EXPOSURES: &str = "exposures";
const EXPOSURE_STATE: &str = "state";

/// Why the device's storage could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StorageError {
    /// IndexedDB is missing or blocked (private mode, site data blocked, quota exhausted at open).
    #[error("device storage is unavailable: {0}")]
    Unavailable(String),
    /// A read or write failed after the database was opened.
    #[error("device storage request failed: {0}")]
    Request(String),
}

impl From<indexed_db_futures::error::Error> for StorageError {
    fn from(error: indexed_db_futures::error::Error) -> Self {
        StorageError::Request(error.to_string())
    }
}

/// An open connection to the app's database.
#[derive(Debug, Clone)]
pub struct LocalDb(Database);

/// The page's database connection, opened once; await it to use the connection.
pub type LocalDbResource = LocalResource<Result<LocalDb, StorageError>>;

thread_local! {
    static LOCAL_DB: OnceCell<LocalDbResource> = const { OnceCell::new() };
}

/// Whether this browser already holds the app's database, without opening (and so creating)
/// it: on a device that has never stored anything, the work that reads it can wait. `true` when
/// the browser cannot tell (no `indexedDB.databases()`, or storage refused).
pub async fn database_exists() -> bool {
    use wasm_bindgen::JsCast;
    let listed = async {
        let factory = js_sys::Reflect::get(&js_sys::global(), &"indexedDB".into()).ok()?;
        let databases: js_sys::Function = js_sys::Reflect::get(&factory, &"databases".into())
            .ok()?
            .dyn_into()
            .ok()?;
        let promise: js_sys::Promise = databases.call0(&factory).ok()?.dyn_into().ok()?;
        let list: js_sys::Array = wasm_bindgen_futures::JsFuture::from(promise)
            .await
            .ok()?
            .dyn_into()
            .ok()?;
        Some(list.iter().any(|info| {
            js_sys::Reflect::get(&info, &"name".into())
                .ok()
                .and_then(|name| name.as_string())
                .is_some_and(|name| name == DB_NAME)
        }))
    };
    listed.await.unwrap_or(true)
}

/// The page's database connection, opened on first use. Retention is enforced each time it opens.
pub fn use_local_db() -> LocalDbResource {
    page_lifetime::get_or_init(&LOCAL_DB, || {
        LocalResource::new(|| async {
            let db = LocalDb::open().await?;
            db.prune(js_sys::Date::now() as i64).await;
            Ok(db)
        })
    })
}

impl LocalDb {
    async fn open() -> Result<LocalDb, StorageError> {
        let database = Database::open(DB_NAME)
            .with_version(DB_VERSION)
            .with_on_upgrade_needed(|event, db| {
                // Each step upgrades from the version before it; steps are never edited once
                // shipped, since devices in the field hold databases at every older version.
                if event.old_version() < 1.0 {
                    db.create_object_store(PROFILES)
                        .with_key_path("id".into())
                        .build()?;
                }
                if event.old_version() < 2.0 {
                    db.create_object_store(OUTBOX)
                        .with_key_path("id".into())
                        .build()?;
                }
                if event.old_version() < 3.0 {
                    db.create_object_store(DECLARATIONS)
                        .with_key_path("id".into())
                        .build()?;
                }
                if event.old_version() < 4.0 {
                    db.create_object_store(DRAFTS)
                        .with_key_path("form".into())
                        .build()?;
                }
                if event.old_version() < 5.0 {
                    db.create_object_store(VISITS)
                        .with_key_path("id".into())
                        .build()?;
                }
                if event.old_version() < 6.0 {
                    db.create_object_store(DEVICE_KEYS).build()?;
                }
                if event.old_version() < 7.0 {
                    db.create_object_store(EXPOSURES).build()?;
                }
                Ok(())
            })
            .await
            .map_err(|error| StorageError::Unavailable(error.to_string()))?;
        Ok(LocalDb(database))
    }

    /// The device's pass key, if one was made: the private `CryptoKey` and the public half.
    pub async fn device_key(&self) -> Result<Option<(JsValue, PassKey)>, StorageError> {
        let transaction = self.0.transaction(DEVICE_KEYS).build()?;
        let store = transaction.object_store(DEVICE_KEYS)?;
        let private: Option<JsValue> = store.get(PRIVATE_KEY.to_owned()).primitive()?.await?;
        let public: Option<PassKey> = store.get(PUBLIC_KEY.to_owned()).serde()?.await?;
        Ok(private.zip(public))
    }

    /// Keeps a new pass key unless one is there already (another tab made one meanwhile: its
    /// key may be in declarations already, so it wins). Returns whether this one was kept.
    pub async fn add_device_key(
        &self,
        private: JsValue,
        public: &PassKey,
    ) -> Result<bool, StorageError> {
        let transaction = self.write_transaction(DEVICE_KEYS)?;
        let store = transaction.object_store(DEVICE_KEYS)?;
        // Read-write transactions on a store run one at a time, so nothing comes in between.
        let existing: Option<JsValue> = store.get(PRIVATE_KEY.to_owned()).primitive()?.await?;
        if existing.is_some() {
            return Ok(false);
        }
        store
            .put(private)
            .with_key(PRIVATE_KEY.to_owned())
            .primitive()?
            .await?;
        store
            .put(public)
            .with_key(PUBLIC_KEY.to_owned())
            .serde()?
            .await?;
        transaction.commit().await?;
        Ok(true)
    }

    /// The exposure list as last applied, with the alerts raised; empty before the first fetch.
    pub async fn exposure_state(&self) -> Result<ExposureState, StorageError> {
        let transaction = self.0.transaction(EXPOSURES).build()?;
        let state: Option<ExposureState> = transaction
            .object_store(EXPOSURES)?
            .get(EXPOSURE_STATE.to_owned())
            .serde()?
            .await?;
        Ok(state.unwrap_or_default())
    }

    pub async fn put_exposure_state(&self, state: &ExposureState) -> Result<(), StorageError> {
        let transaction = self.write_transaction(EXPOSURES)?;
        transaction
            .object_store(EXPOSURES)?
            .put(state)
            .with_key(EXPOSURE_STATE.to_owned())
            .serde()?
            .await?;
        transaction.commit().await?;
        Ok(())
    }

    /// Every profile on the device, sorted by name.
    pub async fn profiles(&self) -> Result<Vec<Profile>, StorageError> {
        let mut profiles: Vec<Profile> = self.all(PROFILES).await?;
        profiles.sort_by(|a, b| a.fields.full_name.cmp(&b.fields.full_name));
        Ok(profiles)
    }

    /// The profile with this id, if it is on the device.
    pub async fn profile(&self, id: Uuid) -> Result<Option<Profile>, StorageError> {
        let transaction = self.0.transaction(PROFILES).build()?;
        let store = transaction.object_store(PROFILES)?;
        Ok(store.get(id.to_string()).serde()?.await?)
    }

    /// Creates or replaces a profile; returns once the write is durable on disk.
    pub async fn put_profile(&self, profile: &Profile) -> Result<(), StorageError> {
        self.put_durably(PROFILES, profile).await
    }

    /// Deletes a profile from the device. Submissions already made for the person stay in the
    /// outbox: the user sent them.
    /// Deletes a profile and everything the device keeps about that person, in one transaction:
    /// the profile, its declaration history and its form drafts. Submissions still in the outbox
    /// stay there: the user sent them, and they are delivered (or discarded from the outbox).
    pub async fn delete_profile(&self, id: Uuid) -> Result<(), StorageError> {
        let transaction = self.write_transaction([PROFILES, DECLARATIONS, DRAFTS])?;
        transaction
            .object_store(PROFILES)?
            .delete(id.to_string())
            .await?;
        let history = transaction.object_store(DECLARATIONS)?;
        let records: Vec<DeclarationRecord> = history
            .get_all::<DeclarationRecord>()
            .serde()?
            .await?
            .collect::<Result<_, _>>()?;
        for record in records.iter().filter(|record| record.profile_id == id) {
            history.delete(record.id.to_string()).await?;
        }
        let drafts = transaction.object_store(DRAFTS)?;
        let forms: Vec<DraftForm> = drafts
            .get_all::<DraftForm>()
            .serde()?
            .await?
            .collect::<Result<_, _>>()?;
        // Drafts are named `<form>:<profile id>`.
        let suffix = format!(":{id}");
        for draft in forms.iter().filter(|draft| draft.form.ends_with(&suffix)) {
            drafts.delete(draft.form.clone()).await?;
        }
        transaction.commit().await?;
        Ok(())
    }

    /// The unsaved input of a form, if any (see [`Draft`]).
    pub async fn draft<T: DeserializeOwned>(&self, form: &str) -> Result<Option<T>, StorageError> {
        let transaction = self.0.transaction(DRAFTS).build()?;
        let store = transaction.object_store(DRAFTS)?;
        let draft: Option<Draft<String, T>> = store.get(form.to_owned()).serde()?.await?;
        Ok(draft.map(|draft| draft.input))
    }

    /// Keeps a form's input as typed. Default durability: a draft is rewritten on every change,
    /// and losing the last keystroke to a power cut is acceptable where a submission is not.
    pub async fn put_draft<T: Serialize>(&self, form: &str, input: &T) -> Result<(), StorageError> {
        let transaction = self
            .0
            .transaction(DRAFTS)
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        transaction
            .object_store(DRAFTS)?
            .put(Draft { form, input })
            .serde()?
            .await?;
        transaction.commit().await?;
        Ok(())
    }

    /// Forgets a form's draft once its content is saved or submitted.
    pub async fn delete_draft(&self, form: &str) -> Result<(), StorageError> {
        self.delete_all(DRAFTS, [form.to_owned()]).await
    }

    /// Every item of the outbox, oldest first.
    pub async fn outbox(&self) -> Result<Vec<OutboxItem>, StorageError> {
        let mut items: Vec<OutboxItem> = self.all(OUTBOX).await?;
        items.sort_by_key(|item| item.submission.created_at_ms);
        Ok(items)
    }

    /// Updates an outbox item; returns once the write is durable on disk.
    pub async fn put_outbox_item(&self, item: &OutboxItem) -> Result<(), StorageError> {
        self.put_durably(OUTBOX, item).await
    }

    /// Queues a new submission and, for a declaration, adds it to the person's history, in one
    /// transaction; returns once both are durable on disk, so the UI may then say "saved"
    /// (DESIGN.md §3.6).
    pub async fn queue(&self, item: &OutboxItem) -> Result<(), StorageError> {
        let transaction = self.write_transaction([OUTBOX, DECLARATIONS])?;
        transaction.object_store(OUTBOX)?.put(item).serde()?.await?;
        if let Some(record) = DeclarationRecord::of(&item.submission) {
            transaction
                .object_store(DECLARATIONS)?
                .put(&record)
                .serde()?
                .await?;
        }
        transaction.commit().await?;
        Ok(())
    }

    /// Deletes what is older than the retention period: on opening, and daily while the app
    /// stays open. Failing to prune must not block the app, so it is only logged.
    pub async fn prune(&self, now_ms: i64) {
        if let Err(error) = self.prune_history(now_ms).await {
            leptos::logging::warn!("could not delete old declarations: {error}");
        }
        if let Err(error) = self.prune_visits(now_ms).await {
            leptos::logging::warn!("could not delete old visits: {error}");
        }
    }

    /// Deletes delivered declarations older than the retention period (DESIGN.md §3.5). Ones still
    /// waiting in the outbox stay until they are delivered or discarded.
    async fn prune_history(&self, now_ms: i64) -> Result<(), StorageError> {
        let expired: Vec<String> = self
            .declarations()
            .await?
            .into_iter()
            .filter(|record| {
                record.receipt.is_some()
                    && is_past_retention(record.submission.created_at_ms, now_ms)
            })
            .map(|record| record.id.to_string())
            .collect();
        if expired.is_empty() {
            return Ok(());
        }
        self.delete_all(DECLARATIONS, expired).await
    }

    /// The visits diary, the latest visit first.
    pub async fn visits(&self) -> Result<Vec<DiaryVisit>, StorageError> {
        let mut visits: Vec<DiaryVisit> = self.all(VISITS).await?;
        domain::diary::newest_first(&mut visits);
        Ok(visits)
    }

    /// Writes changed diary visits and queues the check-ins and check-outs they mean, in one
    /// transaction: the diary never says "checked in" for a visit the server will not hear of.
    pub async fn record_visits(
        &self,
        visits: &[DiaryVisit],
        items: &[OutboxItem],
    ) -> Result<(), StorageError> {
        let transaction = self.write_transaction([VISITS, OUTBOX])?;
        let diary = transaction.object_store(VISITS)?;
        for visit in visits {
            diary.put(visit).serde()?.await?;
        }
        let outbox = transaction.object_store(OUTBOX)?;
        for item in items {
            outbox.put(item).serde()?.await?;
        }
        transaction.commit().await?;
        Ok(())
    }

    /// Deletes visits older than the retention period (DESIGN.md §3.5).
    async fn prune_visits(&self, now_ms: i64) -> Result<(), StorageError> {
        let expired: Vec<String> = domain::diary::expired_visits(&self.all(VISITS).await?, now_ms)
            .into_iter()
            .map(|id| id.to_string())
            .collect();
        if expired.is_empty() {
            return Ok(());
        }
        self.delete_all(VISITS, expired).await
    }

    /// Every declaration made on this device (the history), oldest first.
    pub async fn declarations(&self) -> Result<Vec<DeclarationRecord>, StorageError> {
        let mut records: Vec<DeclarationRecord> = self.all(DECLARATIONS).await?;
        records.sort_by_key(|record| record.submission.created_at_ms);
        Ok(records)
    }

    /// Removes an item from the outbox (after its receipt, or when the user discards it).
    pub async fn remove_outbox_item(&self, id: Uuid) -> Result<(), StorageError> {
        self.delete_all(OUTBOX, [id.to_string()]).await
    }

    /// Records the results of one delivery attempt in a single transaction: delivered items leave
    /// the outbox, the others get their new state.
    ///
    /// A delivered declaration keeps its receipt in the history.
    pub async fn record_attempt(
        &self,
        delivered: &[(OutboxItem, Receipt)],
        updated: &[OutboxItem],
    ) -> Result<(), StorageError> {
        let transaction = self.write_transaction([OUTBOX, DECLARATIONS])?;
        let outbox = transaction.object_store(OUTBOX)?;
        let history = transaction.object_store(DECLARATIONS)?;
        for (item, receipt) in delivered {
            outbox.delete(item.id.to_string()).await?;
            if let Some(mut record) = DeclarationRecord::of(&item.submission) {
                // A record deleted with its profile meanwhile is not brought back.
                let kept: Option<DeclarationRecord> =
                    history.get(record.id.to_string()).serde()?.await?;
                if kept.is_some() {
                    record.receipt = Some(receipt.clone());
                    history.put(&record).serde()?.await?;
                }
            }
        }
        for item in updated {
            outbox.put(item).serde()?.await?;
        }
        transaction.commit().await?;
        Ok(())
    }

    /// Deletes everything the app keeps on the device (profiles, history, drafts, outbox) and,
    /// when given, queues `request` (the deletion request for the server) in the same
    /// transaction: either all is gone and the request is on its way, or nothing changed.
    pub async fn erase_everything(&self, request: Option<&OutboxItem>) -> Result<(), StorageError> {
        let stores = [PROFILES, DECLARATIONS, DRAFTS, OUTBOX, VISITS, EXPOSURES];
        let transaction = self.write_transaction(stores)?;
        for store in stores {
            transaction.object_store(store)?.clear()?.await?;
        }
        if let Some(request) = request {
            transaction
                .object_store(OUTBOX)?
                .put(request)
                .serde()?
                .await?;
        }
        transaction.commit().await?;
        Ok(())
    }

    /// A read-write transaction on `stores` whose commit is durable on disk before it resolves.
    fn write_transaction<S: ObjectStoreName>(
        &self,
        stores: S,
    ) -> Result<indexed_db_futures::transaction::Transaction<'_>, StorageError> {
        let mut options = TransactionOptions::new();
        options.set_durability(TransactionDurability::Strict);
        Ok(self
            .0
            .transaction(stores)
            .with_mode(TransactionMode::Readwrite)
            .with_options(options)
            .build()?)
    }

    async fn all<T: DeserializeOwned>(&self, store: &str) -> Result<Vec<T>, StorageError> {
        let transaction = self.0.transaction(store).build()?;
        Ok(transaction
            .object_store(store)?
            .get_all::<T>()
            .serde()?
            .await?
            .collect::<Result<Vec<_>, _>>()?)
    }

    async fn delete_all(
        &self,
        store: &str,
        keys: impl IntoIterator<Item = String>,
    ) -> Result<(), StorageError> {
        let transaction = self.write_transaction(store)?;
        let object_store = transaction.object_store(store)?;
        for key in keys {
            object_store.delete(key).await?;
        }
        transaction.commit().await?;
        Ok(())
    }

    async fn put_durably<T: Serialize>(&self, store: &str, value: &T) -> Result<(), StorageError> {
        let transaction = self.write_transaction(store)?;
        transaction.object_store(store)?.put(value).serde()?.await?;
        transaction.commit().await?;
        Ok(())
    }
}

/// What was typed into a form and not yet saved, so that a reload or a crash loses nothing
/// (DESIGN.md §3.2). Keyed by a name of the form, such as `daily:<profile id>`.
#[derive(Serialize, Deserialize)]
struct Draft<F, T> {
    form: F,
    input: T,
}

/// Just the name of a stored draft.
#[derive(Deserialize)]
struct DraftForm {
    form: String,
}

/// A declaration in the device's history, with the server's receipt once delivered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeclarationRecord {
    pub id: Uuid,
    pub profile_id: Uuid,
    pub submission: Submission,
    pub receipt: Option<Receipt>,
}

impl DeclarationRecord {
    /// The history entry for a submission, if it is a declaration.
    fn of(submission: &Submission) -> Option<DeclarationRecord> {
        submission.content.declaration_kind()?;
        Some(DeclarationRecord {
            id: submission.id,
            profile_id: submission.content.profile_id()?,
            submission: submission.clone(),
            receipt: None,
        })
    }
}

/// A submission waiting in the outbox, keyed by the submission's id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxItem {
    pub id: Uuid,
    pub submission: Submission,
    pub state: ItemState,
}

impl OutboxItem {
    pub fn new(submission: Submission) -> OutboxItem {
        OutboxItem {
            id: submission.id,
            submission,
            state: ItemState::new_pending(),
        }
    }
}

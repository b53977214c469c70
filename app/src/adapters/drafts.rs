//! Form drafts: what a form holds is kept in IndexedDB as it changes, and put back when the form
//! opens again after a reload or a crash (DESIGN.md §3.2).

use leptos::prelude::*;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::idb::use_local_db;

#[derive(Debug, Clone, Copy)]
pub struct UseDraft {
    /// A draft from an earlier visit was put back into the form.
    pub restored: ReadSignal<bool>,
    clear: StoredValue<Box<dyn Fn() + Send + Sync>>,
}

impl UseDraft {
    /// Forgets the draft, once its content is saved or submitted.
    pub fn clear(self) {
        self.clear.with_value(|clear| clear());
    }
}

/// Keeps the form `form` (a stable name such as `daily:<profile id>`) in step with `value`:
/// restores a stored draft into it on start, then stores every change that differs from what
/// the form opened with.
pub fn use_draft<T>(form: String, value: ReadSignal<T>, set_value: WriteSignal<T>) -> UseDraft
where
    T: Serialize + DeserializeOwned + Clone + PartialEq + Send + Sync + 'static,
{
    let db = use_local_db();
    let (restored, set_restored) = signal(false);
    // Nothing is stored before the earlier draft has been read, or it would be overwritten.
    let (loaded, set_loaded) = signal(false);
    let cleared = StoredValue::new(false);
    let opened_with = value.get_untracked();
    {
        let form = form.clone();
        wasm_bindgen_futures::spawn_local(async move {
            if let Ok(db) = db.await {
                if let Ok(Some(draft)) = db.draft::<T>(&form).await {
                    set_value.set(draft);
                    set_restored.set(true);
                }
            }
            set_loaded.set(true);
        });
    }
    {
        let form = form.clone();
        Effect::new(move |_| {
            let current = value.get();
            if !loaded.get() || cleared.get_value() {
                return;
            }
            let form = form.clone();
            let unchanged = current == opened_with;
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(db) = db.await {
                    let stored = if unchanged {
                        db.delete_draft(&form).await
                    } else {
                        db.put_draft(&form, &current).await
                    };
                    if let Err(error) = stored {
                        leptos::logging::warn!("could not keep the form's draft: {error}");
                    }
                }
            });
        });
    }
    let clear = move || {
        cleared.set_value(true);
        let form = form.clone();
        wasm_bindgen_futures::spawn_local(async move {
            if let Ok(db) = db.await {
                let _ = db.delete_draft(&form).await;
            }
        });
    };
    UseDraft {
        restored,
        clear: StoredValue::new(Box::new(clear)),
    }
}

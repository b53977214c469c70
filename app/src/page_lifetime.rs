//! State that lives as long as the page, made on first use.
//!
//! The database connection, the outbox and the policy used to be provided by the app's root
//! component; that put their code (IndexedDB, serde, the sync engine) into the shell that every
//! first visit downloads. Made on first use instead, their code moves into the chunks of the
//! screens that use them (see `routes.rs`).

use std::cell::OnceCell;
use std::thread::LocalKey;

use leptos::prelude::Owner;

thread_local! {
    /// Owns everything made here; never disposed, like the page itself.
    static PAGE_OWNER: Owner = new_root_keeping_current();
}

/// A root owner. `Owner::new_root` also makes the new root the current owner, which would cut
/// the component being rendered off from its contexts: the caller's owner stays current.
fn new_root_keeping_current() -> Owner {
    let caller = Owner::current();
    let root = Owner::new_root(None);
    match caller {
        Some(caller) => caller.set(),
        None => root.clone().unset(),
    }
    root
}

/// The value in `cell`, made by `init` under the page's owner the first time it is asked for.
pub fn get_or_init<T: Clone + 'static>(
    cell: &'static LocalKey<OnceCell<T>>,
    init: impl FnOnce() -> T,
) -> T {
    if let Some(value) = cell.with(|cell| cell.get().cloned()) {
        return value;
    }
    let value = PAGE_OWNER.with(|owner| owner.with(init));
    cell.with(|cell| cell.get_or_init(|| value).clone())
}

//! The server's declaration policy (`/api/v1/policy`): fetched when the app starts and kept in
//! `localStorage`, so statuses are computed offline with the last known policy.

use std::cell::OnceCell;

use domain::status::Policy;
use leptos::prelude::*;

use super::preferences;
use crate::page_lifetime;

const URL: &str = "/api/v1/policy";

thread_local! {
    static POLICY: OnceCell<ReadSignal<Policy>> = const { OnceCell::new() };
}

/// The policy: the cached one (or the default) at once, the server's when it answers (asked on
/// first use).
pub fn use_policy() -> ReadSignal<Policy> {
    page_lifetime::get_or_init(&POLICY, fetch)
}

fn fetch() -> ReadSignal<Policy> {
    let (policy, set_policy) = signal(preferences::stored_policy().unwrap_or_default());
    wasm_bindgen_futures::spawn_local(async move {
        let Ok(response) = gloo_net::http::Request::get(URL).send().await else {
            return; // offline: the cached policy stands
        };
        if let Ok(fresh) = response.json::<Policy>().await {
            preferences::store_policy(fresh);
            set_policy.set(fresh);
        }
    });
    policy
}

//! The server's declaration policy (`/api/v1/policy`): fetched when the app starts and kept in
//! `localStorage`, so statuses are computed offline with the last known policy.

use domain::status::Policy;
use leptos::prelude::*;

use super::preferences;

const URL: &str = "/api/v1/policy";

/// Provides the policy: the cached one (or the default) at once, the server's when it answers.
pub fn provide_policy() -> ReadSignal<Policy> {
    let (policy, set_policy) = signal(preferences::stored_policy().unwrap_or_default());
    provide_context(policy);
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

pub fn use_policy() -> ReadSignal<Policy> {
    expect_context()
}

//! Adding the app to the home screen: the browser's `beforeinstallprompt` (Chrome, Edge,
//! Samsung Internet), stashed by `index.html`'s boot script because it can fire before the Wasm
//! runs, and whether the app already runs installed.

use std::cell::OnceCell;

use gloo_events::EventListener;
use js_sys::{Function, Promise, Reflect};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::page_lifetime;

/// Where the boot script keeps the deferred prompt, and the event it sends when it has one
/// (public/index.html's template, `xtask/src/site.rs`).
const STASH: &str = "__tokhaiInstallPrompt";
const STASHED: &str = "tokhai-installable";

#[derive(Debug, Clone, Copy)]
pub struct UseInstall {
    /// The browser offers its own install dialog, which [`prompt`] opens.
    pub can_prompt: Signal<bool>,
    /// The app runs from the home screen, or was installed from this page.
    pub installed: Signal<bool>,
}

thread_local! {
    static INSTALL: OnceCell<UseInstall> = const { OnceCell::new() };
}

fn stashed_prompt() -> Option<JsValue> {
    let window = web_sys::window()?;
    Reflect::get(&window, &STASH.into())
        .ok()
        .filter(|prompt| prompt.is_object())
}

/// Launched from the home screen: the standalone display mode, or iOS's own flag.
fn runs_installed() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let standalone = window
        .match_media("(display-mode: standalone)")
        .ok()
        .flatten()
        .is_some_and(|query| query.matches());
    let ios_home_screen = Reflect::get(&window.navigator(), &"standalone".into())
        .ok()
        .and_then(|flag| flag.as_bool())
        .unwrap_or(false);
    standalone || ios_home_screen
}

/// The page's install state, watched from first use for as long as the page lives.
pub fn use_install() -> UseInstall {
    page_lifetime::get_or_init(&INSTALL, || {
        let (can_prompt, set_can_prompt) = signal(stashed_prompt().is_some());
        let (installed, set_installed) = signal(runs_installed());
        if let Some(window) = web_sys::window() {
            EventListener::new(&window, STASHED, move |_| set_can_prompt.set(true)).forget();
            EventListener::new(&window, "appinstalled", move |_| {
                set_installed.set(true);
                set_can_prompt.set(false);
            })
            .forget();
        }
        UseInstall {
            can_prompt: can_prompt.into(),
            installed: installed.into(),
        }
    })
}

/// What the person chose in the browser's install dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    Accepted,
    Dismissed,
}

/// Opens the browser's install dialog (a browser shows it once per stashed prompt) and waits
/// for the person's choice; `None` when there is no prompt to open.
pub async fn prompt() -> Option<Choice> {
    let deferred = stashed_prompt()?;
    let window = web_sys::window()?;
    let _ = Reflect::delete_property(window.unchecked_ref::<js_sys::Object>(), &STASH.into());
    let open: Function = Reflect::get(&deferred, &"prompt".into())
        .ok()?
        .dyn_into()
        .ok()?;
    if let Ok(shown) = open.call0(&deferred) {
        if let Ok(shown) = shown.dyn_into::<Promise>() {
            let _ = JsFuture::from(shown).await;
        }
    }
    let choice: Promise = Reflect::get(&deferred, &"userChoice".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let outcome = JsFuture::from(choice).await.ok()?;
    let accepted = Reflect::get(&outcome, &"outcome".into())
        .ok()
        .and_then(|outcome| outcome.as_string())
        .is_some_and(|outcome| outcome == "accepted");
    Some(if accepted {
        Choice::Accepted
    } else {
        Choice::Dismissed
    })
}

//! The languages other than Vietnamese, fetched from `<package>/locales/<tag>.json` the first
//! time they are chosen (the shell carries Vietnamese only, DESIGN.md §8).
//!
//! The package directory belongs to one build, so its files never change under their name: the
//! HTTP cache may keep them for good, and the service worker precaches them, so a language that
//! was used once (or precached) is there offline too. No copy in `localStorage` is needed.

use domain::i18n::{Lang, TranslationError};

use super::PKG;

/// Why a language could not be switched to.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LocaleError {
    /// Typically: offline, and never fetched before.
    #[error("{url} could not be loaded: {cause}")]
    Unavailable { url: String, cause: String },
    #[error("{url} is not a translation for this build: {error}")]
    Invalid {
        url: String,
        error: TranslationError,
    },
}

/// Makes `lang` available to `Text::in_lang`, fetching its messages unless it already is.
pub async fn load(lang: Lang) -> Result<(), LocaleError> {
    if domain::i18n::is_available(lang) {
        return Ok(());
    }
    let url = format!("{PKG}locales/{}.json", lang.tag());
    let messages = match fetch_messages(&url).await {
        Ok(messages) => messages,
        Err(cause) => return Err(LocaleError::Unavailable { url, cause }),
    };
    domain::i18n::install_translation(lang, messages)
        .map_err(|error| LocaleError::Invalid { url, error })
}

/// The JSON array of messages at `url`. Read with the browser's own `JSON.parse`, which costs the
/// shell no JSON code.
async fn fetch_messages(url: &str) -> Result<Vec<String>, String> {
    let response = gloo_net::http::Request::get(url)
        .send()
        .await
        .map_err(|error| error.to_string())?;
    if !response.ok() {
        return Err(format!("HTTP {}", response.status()));
    }
    let text = response.text().await.map_err(|error| error.to_string())?;
    let json = js_sys::JSON::parse(&text).map_err(|_| "not JSON".to_owned())?;
    if !js_sys::Array::is_array(&json) {
        return Err("not a JSON array".into());
    }
    js_sys::Array::from(&json)
        .iter()
        .map(|message| {
            message
                .as_string()
                .ok_or_else(|| "an entry is not a string".to_owned())
        })
        .collect()
}

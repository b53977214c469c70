//! The reference lists shipped beside the app (`/data/divisions.json`, `/data/countries.json`):
//! fetched on first use, kept in memory for the page, and available offline because the service
//! worker precaches them. They stay out of the main Wasm (DESIGN.md §8).

use std::cell::RefCell;
use std::sync::Arc;
use std::thread::LocalKey;

use domain::countries::Countries;
use domain::divisions::Catalogue;
use serde::de::DeserializeOwned;

thread_local! {
    static DIVISIONS: RefCell<Option<Arc<Catalogue>>> = const { RefCell::new(None) };
    static COUNTRIES: RefCell<Option<Arc<Countries>>> = const { RefCell::new(None) };
}

/// Why a list is not available.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{url} could not be loaded: {cause}")]
pub struct AssetError {
    url: &'static str,
    cause: String,
}

/// The provinces and wards.
pub async fn divisions() -> Result<Arc<Catalogue>, AssetError> {
    load("/data/divisions.json", &DIVISIONS).await
}

/// The provinces and wards if they are already loaded (every address picker loads them), to
/// check the chosen ward as the server will, without waiting for them.
pub fn loaded_divisions() -> Option<Arc<Catalogue>> {
    DIVISIONS.with(|loaded| loaded.borrow().clone())
}

/// The countries with their names in the app's languages.
pub async fn countries() -> Result<Arc<Countries>, AssetError> {
    load("/data/countries.json", &COUNTRIES).await
}

async fn load<T: DeserializeOwned>(
    url: &'static str,
    cache: &'static LocalKey<RefCell<Option<Arc<T>>>>,
) -> Result<Arc<T>, AssetError> {
    if let Some(loaded) = cache.with(|loaded| loaded.borrow().clone()) {
        return Ok(loaded);
    }
    let failed = |cause: String| AssetError { url, cause };
    let response = gloo_net::http::Request::get(url)
        .send()
        .await
        .map_err(|error| failed(error.to_string()))?;
    if !response.ok() {
        return Err(failed(format!("HTTP {}", response.status())));
    }
    let list = Arc::new(
        response
            .json::<T>()
            .await
            .map_err(|error| failed(error.to_string()))?,
    );
    cache.with(|loaded| *loaded.borrow_mut() = Some(list.clone()));
    Ok(list)
}

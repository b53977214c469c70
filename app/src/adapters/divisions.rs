//! The administrative-division catalogue (`/data/divisions.json`): fetched on first use, kept in
//! memory for the page, and available offline because the service worker precaches it.

use std::cell::RefCell;
use std::sync::Arc;

use domain::divisions::Catalogue;

const URL: &str = "/data/divisions.json";

thread_local! {
    static LOADED: RefCell<Option<Arc<Catalogue>>> = const { RefCell::new(None) };
}

/// Why the catalogue is not available.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the division catalogue could not be loaded: {0}")]
pub struct CatalogueError(String);

/// The catalogue, fetched once per page.
pub async fn catalogue() -> Result<Arc<Catalogue>, CatalogueError> {
    if let Some(loaded) = LOADED.with(|loaded| loaded.borrow().clone()) {
        return Ok(loaded);
    }
    let failed = |error: gloo_net::Error| CatalogueError(error.to_string());
    let response = gloo_net::http::Request::get(URL)
        .send()
        .await
        .map_err(failed)?;
    if !response.ok() {
        return Err(CatalogueError(format!("HTTP {}", response.status())));
    }
    let catalogue = Arc::new(response.json::<Catalogue>().await.map_err(failed)?);
    LOADED.with(|loaded| *loaded.borrow_mut() = Some(catalogue.clone()));
    Ok(catalogue)
}

//! The server's public keys (DESIGN.md §5.1, §5.2), kept on the device so that posters and, in
//! gate mode, personal passes verify offline: fetched when the app starts and hourly while it is
//! open, and again when a poster names a key the device does not have (a rotation since the last
//! fetch).

use domain::api::KeysBody;
use domain::pass::GateKeys;
use domain::poster::{Poster, PosterError, ScannedPoster, VenueKeys};

use crate::adapters::{api, preferences};

/// Fetches the keys and keeps them; offline, the kept ones stay.
pub async fn refresh() -> Option<KeysBody> {
    let fresh = api::get::<KeysBody>("/api/v1/keys").await.ok()?;
    preferences::store_venue_keys(&fresh.keys);
    Some(fresh)
}

/// The kept keys, as gate mode verifies passes with them.
pub fn gate_keys() -> GateKeys {
    GateKeys::from_published(&preferences::stored_venue_keys())
}

/// Verifies `scanned` with the kept keys, fetching them again once if its key is not among
/// them.
pub async fn verify(scanned: ScannedPoster) -> Result<Poster, PosterError> {
    let kept = VenueKeys::from_published(&preferences::stored_venue_keys());
    match scanned.clone().verify(&kept) {
        Err(PosterError::UnknownKey(key_id)) => match refresh().await {
            Some(fresh) => scanned.verify(&VenueKeys::from_published(&fresh.keys)),
            None => Err(PosterError::UnknownKey(key_id)),
        },
        verdict => verdict,
    }
}

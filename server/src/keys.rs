//! The venue-signing keys (DESIGN.md §5.1): Ed25519 keys kept in `<data dir>/venue-keys/`, one
//! file per key id, made on first start. The newest key signs new posters; every key in the
//! directory stays valid for the posters it signed until an administrator removes its file.
//! Public keys are served at `/api/v1/keys`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::IntoResponse;
use axum::Json;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ed25519_dalek::{Signer, SigningKey};

use domain::api::KeysBody;
use domain::poster::{Poster, PublicKey};

const DIR: &str = "venue-keys";

/// The server's venue keys.
#[derive(Clone)]
pub struct VenueSigner {
    keys: Arc<BTreeMap<u16, SigningKey>>,
}

impl std::fmt::Debug for VenueSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the secret halves.
        f.debug_struct("VenueSigner")
            .field("key_ids", &self.keys.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl VenueSigner {
    /// Loads every key of `data_dir`, making key 1 when there is none.
    pub fn load_or_create(data_dir: &Path) -> anyhow::Result<VenueSigner> {
        let dir = data_dir.join(DIR);
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        let mut keys = BTreeMap::new();
        for entry in std::fs::read_dir(&dir)? {
            let path = entry?.path();
            let Some(key_id) = key_id_of(&path) else {
                continue;
            };
            let secret = std::fs::read(&path)?;
            let secret: [u8; 32] = secret
                .try_into()
                .map_err(|_| anyhow::anyhow!("{} is not a 32-byte key", path.display()))?;
            keys.insert(key_id, SigningKey::from_bytes(&secret));
        }
        if keys.is_empty() {
            let key = new_key()?;
            write_secret(&dir.join(file_name(1)), &key)?;
            tracing::info!(key_id = 1, "made the first venue-signing key");
            keys.insert(1, key);
        }
        Ok(VenueSigner {
            keys: Arc::new(keys),
        })
    }

    /// The newest key: the one that signs.
    fn current(&self) -> (u16, &SigningKey) {
        let (id, key) = self
            .keys
            .last_key_value()
            .expect("load_or_create leaves at least one key");
        (*id, key)
    }

    pub fn current_key_id(&self) -> u16 {
        self.current().0
    }

    /// The signed poster URL on `origin`. The poster's key id must be the current one.
    pub fn poster_url(&self, poster: &Poster, origin: &str) -> String {
        let (_, key) = self.current();
        let signature = key.sign(&Poster::signed_message(&poster.encode()));
        poster.url(origin, &signature.to_bytes())
    }

    pub fn public_keys(&self) -> Vec<PublicKey> {
        self.keys
            .iter()
            .map(|(key_id, key)| PublicKey {
                key_id: *key_id,
                public_key: URL_SAFE_NO_PAD.encode(key.verifying_key().as_bytes()),
            })
            .collect()
    }
}

/// Adds a new key that signs from the next start on; the old ones keep verifying.
pub fn rotate(data_dir: &Path) -> anyhow::Result<u16> {
    let signer = VenueSigner::load_or_create(data_dir)?;
    let next = signer
        .current_key_id()
        .checked_add(1)
        .context("no key ids left")?;
    write_secret(&data_dir.join(DIR).join(file_name(next)), &new_key()?)?;
    Ok(next)
}

fn new_key() -> anyhow::Result<SigningKey> {
    let mut secret = [0u8; 32];
    getrandom::fill(&mut secret).map_err(|error| anyhow::anyhow!("no randomness: {error}"))?;
    Ok(SigningKey::from_bytes(&secret))
}

fn file_name(key_id: u16) -> String {
    format!("{key_id}.ed25519")
}

fn key_id_of(path: &Path) -> Option<u16> {
    path.file_name()?
        .to_str()?
        .strip_suffix(".ed25519")?
        .parse()
        .ok()
}

/// Writes a secret key readable by the server's user only.
fn write_secret(path: &PathBuf, key: &SigningKey) -> anyhow::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    file.write_all(key.as_bytes())?;
    file.sync_all()?;
    Ok(())
}

#[utoipa::path(
    get,
    path = "/api/v1/keys",
    responses((status = 200, description = "The public venue-signing keys, by key id", body = KeysBody))
)]
pub async fn keys(State(signer): State<VenueSigner>) -> impl IntoResponse {
    (
        // Keys change rarely and a rotation adds one: an hour of caching is safe.
        [(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=3600"),
        )],
        Json(KeysBody {
            keys: signer.public_keys(),
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::poster::{ScannedPoster, VenueKeys, VenueType};

    #[test]
    fn keys_persist_rotate_and_sign_verifiable_posters() {
        let dir = tempfile::tempdir().unwrap();
        let first = VenueSigner::load_or_create(dir.path()).unwrap();
        assert_eq!(first.current_key_id(), 1);
        let again = VenueSigner::load_or_create(dir.path()).unwrap();
        assert_eq!(again.public_keys(), first.public_keys());
        assert_eq!(rotate(dir.path()).unwrap(), 2);
        let rotated = VenueSigner::load_or_create(dir.path()).unwrap();
        assert_eq!(rotated.current_key_id(), 2);
        assert_eq!(rotated.public_keys().len(), 2);

        let poster = Poster {
            venue_id: [1; 16],
            key_id: rotated.current_key_id(),
            issued_at_s: 1_800_000_000,
            province: 1,
            ward: 70,
            venue_type: VenueType::Office,
            default_stay_minutes: 60,
            short_name: "UBND phường".into(),
        };
        let url = rotated.poster_url(&poster, "http://127.0.0.1:8080");
        let keys = VenueKeys::from_published(&rotated.public_keys());
        assert_eq!(
            ScannedPoster::parse(&url).unwrap().verify(&keys),
            Ok(poster)
        );
        assert!(!format!("{rotated:?}").contains(&URL_SAFE_NO_PAD.encode([0u8; 4])));
    }
}

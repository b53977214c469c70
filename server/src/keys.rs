//! The server's signing keys (DESIGN.md §3.3, §5.1): Ed25519 keys, one set per use, kept in
//! `<data dir>/venue-keys/` (posters), `<data dir>/pass-keys/` (personal passes) and
//! `<data dir>/exposure-keys/` (the published exposure list), one file per key id, made on first start. The newest key of a set signs; every key in the directory
//! stays valid for what it signed until an administrator removes its file. Public keys are
//! served at `/api/v1/keys`, marked by use.

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
use sha2::{Digest, Sha256};

use domain::api::KeysBody;
use domain::exposure::{ExposureList, SignedExposureList};
use domain::pass::{Credential, IssuedPass, PASS_ID_LEN};
use domain::poster::{KeyUse, Poster, PublicKey};
use domain::status::Policy;
use domain::submission::Submission;

fn dir_of(key_use: KeyUse) -> &'static str {
    match key_use {
        KeyUse::Venue => "venue-keys",
        KeyUse::Pass => "pass-keys",
        KeyUse::Exposure => "exposure-keys",
    }
}

/// The keys of one use.
#[derive(Clone)]
pub struct KeyRing {
    key_use: KeyUse,
    keys: Arc<BTreeMap<u16, SigningKey>>,
}

impl std::fmt::Debug for KeyRing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the secret halves.
        f.debug_struct("KeyRing")
            .field("use", &self.key_use)
            .field("key_ids", &self.keys.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// Both key sets, as the API uses them.
#[derive(Debug, Clone)]
pub struct ServerKeys {
    pub venue: KeyRing,
    pub pass: KeyRing,
    pub exposure: KeyRing,
}

impl ServerKeys {
    pub fn load_or_create(data_dir: &Path) -> anyhow::Result<ServerKeys> {
        Ok(ServerKeys {
            venue: KeyRing::load_or_create(data_dir, KeyUse::Venue)?,
            pass: KeyRing::load_or_create(data_dir, KeyUse::Pass)?,
            exposure: KeyRing::load_or_create(data_dir, KeyUse::Exposure)?,
        })
    }

    pub fn public_keys(&self) -> Vec<PublicKey> {
        [
            self.venue.public_keys(),
            self.pass.public_keys(),
            self.exposure.public_keys(),
        ]
        .concat()
    }
}

impl KeyRing {
    /// Loads every key of `key_use` in `data_dir`, making key 1 when there is none.
    pub fn load_or_create(data_dir: &Path, key_use: KeyUse) -> anyhow::Result<KeyRing> {
        let dir = data_dir.join(dir_of(key_use));
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
            tracing::info!(key_id = 1, ?key_use, "made the first signing key");
            keys.insert(1, key);
        }
        Ok(KeyRing {
            key_use,
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
        debug_assert_eq!(self.key_use, KeyUse::Venue);
        let (_, key) = self.current();
        let signature = key.sign(&Poster::signed_message(&poster.encode()));
        poster.url(origin, &signature.to_bytes())
    }

    /// The pass for a declaration the server accepted at `received_at_ms`; `None` for a
    /// submission that gives no status. The pass id is a keyed hash of the submission's random
    /// id: nothing personal goes in, and a replay of the submission gets the same pass.
    pub fn issue_pass(
        &self,
        submission: &Submission,
        received_at_ms: i64,
        policy: Policy,
    ) -> Option<IssuedPass> {
        debug_assert_eq!(self.key_use, KeyUse::Pass);
        let (key_id, key) = self.current();
        let digest = Sha256::new()
            .chain_update(b"tokhai/pass-id\0")
            .chain_update(key.as_bytes())
            .chain_update(submission.id.as_bytes())
            .finalize();
        let pass_id: [u8; PASS_ID_LEN] = digest[..PASS_ID_LEN].try_into().ok()?;
        let (live, card) =
            domain::pass::credentials_for(submission, received_at_ms, policy, pass_id, key_id)?;
        let sign = |credential: &Credential| {
            let signature = key.sign(&Credential::signed_message(&credential.encode()));
            credential.signed(&signature.to_bytes()).text()
        };
        Some(IssuedPass {
            live: live.as_ref().map(sign),
            card: sign(&card),
        })
    }

    /// `list`, signed by the current exposure key.
    pub fn sign_exposures(&self, list: ExposureList) -> SignedExposureList {
        debug_assert_eq!(self.key_use, KeyUse::Exposure);
        let (key_id, key) = self.current();
        let signature = key.sign(&list.signed_message());
        SignedExposureList {
            list,
            key_id,
            signature: URL_SAFE_NO_PAD.encode(signature.to_bytes()),
        }
    }

    pub fn public_keys(&self) -> Vec<PublicKey> {
        self.keys
            .iter()
            .map(|(key_id, key)| PublicKey {
                key_id: *key_id,
                public_key: URL_SAFE_NO_PAD.encode(key.verifying_key().as_bytes()),
                key_use: self.key_use,
            })
            .collect()
    }
}

/// Adds a new key of `key_use` that signs from the next start on; the old ones keep verifying.
pub fn rotate(data_dir: &Path, key_use: KeyUse) -> anyhow::Result<u16> {
    let ring = KeyRing::load_or_create(data_dir, key_use)?;
    let next = ring
        .current_key_id()
        .checked_add(1)
        .context("no key ids left")?;
    write_secret(
        &data_dir.join(dir_of(key_use)).join(file_name(next)),
        &new_key()?,
    )?;
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
    responses((status = 200, description = "The public signing keys, by use (venue posters, personal passes, the exposure list) and key id", body = KeysBody))
)]
pub async fn keys(State(keys): State<ServerKeys>) -> impl IntoResponse {
    (
        // Keys change rarely and a rotation adds one: an hour of caching is safe.
        [(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=3600"),
        )],
        Json(KeysBody {
            keys: keys.public_keys(),
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
        let first = KeyRing::load_or_create(dir.path(), KeyUse::Venue).unwrap();
        assert_eq!(first.current_key_id(), 1);
        let again = KeyRing::load_or_create(dir.path(), KeyUse::Venue).unwrap();
        assert_eq!(again.public_keys(), first.public_keys());
        assert_eq!(rotate(dir.path(), KeyUse::Venue).unwrap(), 2);
        let rotated = KeyRing::load_or_create(dir.path(), KeyUse::Venue).unwrap();
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

    #[test]
    fn pass_keys_are_their_own_set_and_issue_verifiable_passes() {
        use domain::pass::{verdict, GateKeys, Verdict};
        let dir = tempfile::tempdir().unwrap();
        let keys = ServerKeys::load_or_create(dir.path()).unwrap();
        assert_ne!(
            keys.venue.public_keys()[0].public_key,
            keys.pass.public_keys()[0].public_key
        );
        assert_eq!(rotate(dir.path(), KeyUse::Pass).unwrap(), 2);
        let keys = ServerKeys::load_or_create(dir.path()).unwrap();
        assert_eq!(keys.venue.current_key_id(), 1);
        assert_eq!(keys.pass.current_key_id(), 2);

        let submission: Submission = serde_json::from_value(serde_json::json!({
            "id": "0b8f5a52-8c1e-4c58-9d4e-6f1a2b3c4d5e",
            "created_at_ms": 1_800_000_000_000i64,
            "content": {"kind": "daily_health", "body": {
                "person": {
                    "profile_id": "6a1f8a52-8c1e-4c58-9d4e-6f1a2b3c4d5e",
                    "full_name": "Nguyễn Văn An", "year_of_birth": 1990, "phone": null,
                    "address": {"province": 79, "ward": 26740, "street": "1 Lê Lợi"},
                    "id_number": null, "gender": "male", "email": null,
                    "insurance_number": null, "nationality": "VN"
                },
                "on_behalf": false, "consent_version": 1,
                "answers": {"fever": false, "cough": false, "shortness_of_breath": false, "other_signs": ""}
            }}
        }))
        .unwrap();
        let issued = keys
            .pass
            .issue_pass(&submission, 1_800_000_001_000, Policy::default())
            .unwrap();
        assert_eq!(
            keys.pass
                .issue_pass(&submission, 1_800_000_001_000, Policy::default()),
            Some(issued.clone()),
            "a replay gets the same pass"
        );
        assert!(issued.live.is_none(), "no pass key sent, no live pass");
        let gate = GateKeys::from_published(&keys.public_keys());
        match verdict(&issued.card().unwrap().card_code(), &gate, 1_800_000_100) {
            Verdict::Valid {
                credential,
                printed: true,
            } => {
                assert_eq!(credential.masked_name, "NGUYỄN V. A");
                assert_eq!(credential.key_id, 2);
            }
            other => panic!("{other:?}"),
        }
    }
}

//! Small non-personal preferences (the interface language, the consent version agreed to, the
//! declaration policy) in
//! `localStorage`.
//!
//! Personal data never goes here: `localStorage` is synchronous and not transactional, so profiles
//! and declarations live in IndexedDB (`super::idb`).

use domain::i18n::Lang;

const LANGUAGE_KEY: &str = "tokhai.lang";

fn local_storage() -> Option<web_sys::Storage> {
    // Blocked storage throws on access; the app then simply forgets the preference.
    web_sys::window()?.local_storage().ok().flatten()
}

/// The language chosen earlier on this device, if any.
pub fn stored_language() -> Option<Lang> {
    let tag = local_storage()?.get_item(LANGUAGE_KEY).ok().flatten()?;
    Lang::from_tag(&tag)
}

/// Remembers the language for the next visit. Failing to remember is not worth bothering the user.
pub fn store_language(lang: Lang) {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(LANGUAGE_KEY, lang.tag());
    }
}

const CONSENT_KEY: &str = "tokhai.consent";

/// The consent version the user agreed to on this device, if any.
pub fn stored_consent() -> Option<u32> {
    local_storage()?
        .get_item(CONSENT_KEY)
        .ok()
        .flatten()?
        .parse()
        .ok()
}

/// Records agreement to consent text `version`. Returns whether it could be stored.
pub fn store_consent(version: u32) -> bool {
    local_storage()
        .is_some_and(|storage| storage.set_item(CONSENT_KEY, &version.to_string()).is_ok())
}

/// Forgets the agreement, the household last checked in, any check-in waiting for a
/// declaration, a declaration on its way back to a gate, the device's owner and the gate's log,
/// with the rest of the people's data: whoever uses the device next starts afresh.
pub fn forget_people() {
    for key in [
        CONSENT_KEY,
        HOUSEHOLD_KEY,
        PENDING_CHECK_IN_KEY,
        GATE_PROXY_KEY,
        GATE_KEY,
        OWNER_KEY,
    ] {
        remove(key);
    }
}

fn read_json<T: serde::de::DeserializeOwned>(key: &str) -> Option<T> {
    let json = local_storage()?.get_item(key).ok().flatten()?;
    serde_json::from_str(&json).ok()
}

fn remove(key: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(key);
    }
}

fn write_json<T: serde::Serialize>(key: &str, value: &T) {
    if let (Some(storage), Ok(json)) = (local_storage(), serde_json::to_string(value)) {
        let _ = storage.set_item(key, &json);
    }
}

const HOUSEHOLD_KEY: &str = "tokhai.household";

/// The profiles checked in together last time: the next check-in starts with them chosen.
pub fn last_household() -> Vec<uuid::Uuid> {
    read_json(HOUSEHOLD_KEY).unwrap_or_default()
}

pub fn store_household(people: &[uuid::Uuid]) {
    write_json(HOUSEHOLD_KEY, &people);
}

const PENDING_CHECK_IN_KEY: &str = "tokhai.pending-check-in";

/// A check-in started by people who had to declare first: it completes by itself once they have.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PendingCheckIn {
    /// The poster code scanned.
    pub code: String,
    pub people: Vec<uuid::Uuid>,
    pub on_behalf: bool,
}

pub fn pending_check_in() -> Option<PendingCheckIn> {
    read_json(PENDING_CHECK_IN_KEY)
}

pub fn store_pending_check_in(pending: &PendingCheckIn) {
    write_json(PENDING_CHECK_IN_KEY, pending);
}

pub fn clear_pending_check_in() {
    remove(PENDING_CHECK_IN_KEY);
}

const GATE_PROXY_KEY: &str = "tokhai.gate-proxy";

/// A declaration staff started at a gate for a visitor without a phone, on its way back there.
pub fn gate_proxy() -> Option<domain::gate::GateProxy> {
    read_json(GATE_PROXY_KEY)
}

pub fn store_gate_proxy(proxy: &domain::gate::GateProxy) {
    write_json(GATE_PROXY_KEY, proxy);
}

pub fn clear_gate_proxy() {
    remove(GATE_PROXY_KEY);
}

const OWNER_KEY: &str = "tokhai.owner";

/// The profile made first on this device: its owner's (a random id, nothing personal).
pub fn device_owner() -> Option<uuid::Uuid> {
    read_json(OWNER_KEY)
}

pub fn store_device_owner(profile_id: uuid::Uuid) {
    write_json(OWNER_KEY, &profile_id);
}

/// Forgets the owner when their profile is deleted.
pub fn forget_device_owner(profile_id: uuid::Uuid) {
    if device_owner() == Some(profile_id) {
        remove(OWNER_KEY);
    }
}

const DEVICE_KEY: &str = "tokhai.device";

/// This device's random key, sent with submissions so that the server lists declarations back to
/// this device only. Made on first use; not personal data (it says nothing about anyone). When
/// storage is blocked a key for this visit is used, and listing back is simply lost.
pub fn device_key() -> String {
    let stored = local_storage().and_then(|storage| storage.get_item(DEVICE_KEY).ok().flatten());
    if let Some(key) = stored {
        return key;
    }
    // Two version-4 UUIDs: 244 random bits from the browser's CSPRNG.
    let key = format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    );
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(DEVICE_KEY, &key);
    }
    key
}

const VENUE_KEYS_KEY: &str = "tokhai.venue-keys";

/// The public venue keys last fetched, so that posters verify offline.
pub fn stored_venue_keys() -> Vec<domain::poster::PublicKey> {
    read_json(VENUE_KEYS_KEY).unwrap_or_default()
}

pub fn store_venue_keys(keys: &[domain::poster::PublicKey]) {
    write_json(VENUE_KEYS_KEY, &keys);
}

const POLICY_KEY: &str = "tokhai.policy";

/// The declaration policy last received from the server.
pub fn stored_policy() -> Option<domain::status::Policy> {
    let hours = local_storage()?
        .get_item(POLICY_KEY)
        .ok()
        .flatten()?
        .parse()
        .ok()?;
    Some(domain::status::Policy {
        declaration_validity_hours: hours,
    })
}

pub fn store_policy(policy: domain::status::Policy) {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(POLICY_KEY, &policy.declaration_validity_hours.to_string());
    }
}

const GATE_KEY: &str = "tokhai.gate";

/// The control point this device last ran gate mode at, kept so that gate mode reopens offline
/// and a reload does not forget who is in: the venue's name and the gate's log of pass ids
/// (pseudonymous) and times.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct GateState {
    pub venue_id: uuid::Uuid,
    pub venue_name: String,
    pub log: domain::gate::GateLog,
}

/// The kept gate state of `venue_id`, if that is the control point last used.
pub fn gate_state(venue_id: uuid::Uuid) -> Option<GateState> {
    read_json::<GateState>(GATE_KEY).filter(|state| state.venue_id == venue_id)
}

pub fn store_gate_state(state: &GateState) {
    write_json(GATE_KEY, state);
}

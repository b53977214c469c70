//! The published exposure list (DESIGN.md §3.5), as a phone reads it from the network or a cache:
//! any bytes are refused or taken without a panic; a list that claims a key is verified (and,
//! unsigned by it, refused); any list a phone applies keeps its state consistent, and an event
//! raised once is never raised again.
#![no_main]

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use domain::diary::DiaryVisit;
use domain::exposure::{ExposureList, ExposureState, SignedExposureList};
use domain::poster::{KeyUse, PublicKey};
use ed25519_dalek::SigningKey;
use libfuzzer_sys::fuzz_target;

fn diary() -> Vec<DiaryVisit> {
    [(0, Some(3_600_000)), (7_200_000, None)]
        .into_iter()
        .map(|(arrived_at_ms, left_at_ms)| DiaryVisit {
            id: uuid::Uuid::from_u128(arrived_at_ms as u128 + 1),
            venue_id: "0a0b".into(),
            venue_name: "Chợ".into(),
            poster: String::new(),
            default_stay_minutes: 60,
            attendees: Vec::new(),
            on_behalf: false,
            arrived_at_ms,
            left_at_ms,
            departure: None,
            last_scan_at_ms: arrived_at_ms,
        })
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let key = PublicKey {
        key_id: 1,
        public_key: URL_SAFE_NO_PAD.encode(SigningKey::from_bytes(&[7; 32]).verifying_key().as_bytes()),
        key_use: KeyUse::Exposure,
    };
    if let Ok(signed) = serde_json::from_slice::<SignedExposureList>(data) {
        // Nobody but the holder of the key signs: random bytes never verify.
        assert!(signed.verify(&[key]).is_err());
    }
    if let Ok(list) = serde_json::from_slice::<ExposureList>(data) {
        let withdrawn = list.withdrawn.clone();
        let mut state = ExposureState::default();
        let now = 10_000_000;
        if state.apply(list, now) {
            assert!(state.events.iter().all(|event| !withdrawn.contains(&event.event_id)));
        }
        let diary = diary();
        let _ = state.raise(&diary, now);
        assert!(state.raise(&diary, now).is_empty());
        let _ = state.apply(
            ExposureList { since: state.version, version: state.version, events: Vec::new(), withdrawn: Vec::new() },
            i64::MAX,
        );
    }
});

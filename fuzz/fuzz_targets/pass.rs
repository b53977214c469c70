//! Personal pass codes (DESIGN.md §5.2) and chip ID card codes: whatever a gate's camera reads
//! must get a verdict without a panic, and an ID card read is kept masked only. Besides raw text, the target has the server sign the credential the input
//! starts with, so the fuzzer reaches the device signature, freshness and validity checks that
//! an unsigned input never gets past.
#![no_main]

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use domain::gate::IdCard;
use domain::pass::{verdict, Credential, GateKeys, SignedCredential, PREFIX};
use domain::poster::{KeyUse, PublicKey};
use ed25519_dalek::{Signer, SigningKey};
use libfuzzer_sys::fuzz_target;

/// Where a credential keeps its key id: after the holder byte and the 12-byte pass id.
const KEY_ID_AT: usize = 13;
/// A gate's clock during the 2021 wave.
const NOW_S: i64 = 1_630_000_000;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = verdict(&text, &GateKeys::default(), NOW_S);
    if let Ok(card) = IdCard::parse(&text) {
        assert!(card.masked_id_number.starts_with("******"));
        assert!(!text.is_empty());
    }
    if let Some(credential) = SignedCredential::from_text(&text) {
        assert_eq!(credential.text(), text.as_ref());
        let _ = credential.credential();
    }

    let Some((&signed_len, rest)) = data.split_first() else {
        return;
    };
    let (unsigned, tail) = rest.split_at(usize::from(signed_len).min(rest.len()));
    let key_id = unsigned
        .get(KEY_ID_AT..KEY_ID_AT + 2)
        .map_or(1, |id| u16::from_be_bytes([id[0], id[1]]));
    let server = SigningKey::from_bytes(&[7; 32]);
    let keys = GateKeys::from_published(&[PublicKey {
        key_id,
        public_key: URL_SAFE_NO_PAD.encode(server.verifying_key().as_bytes()),
        key_use: KeyUse::Pass,
    }]);
    let signature = server.sign(&Credential::signed_message(unsigned)).to_bytes();
    let payload = [unsigned, &signature, tail].concat();
    let code = format!("{PREFIX}{}", base45::encode(&payload));
    let _ = verdict(&code, &keys, NOW_S);
});

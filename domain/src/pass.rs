//! The personal pass QR (DESIGN.md §3.3, §5.2), byte by byte in `docs/formats.md`.
//!
//! `P1.<base45(bytes)>`: base45 keeps every character in the QR alphanumeric set (as the EU
//! certificate's `HC1:` does), so the code is about a fifth smaller than base64url in byte mode,
//! and every generic reader and `BarcodeDetector` returns it intact.
//!
//! The bytes are a credential the server signed with its pass key when it accepted a declaration:
//! a random pass id, the validity window, the masked name and the device's public key. A pass on
//! screen appends the current time and the device's signature over both, made every minute with
//! a key that never leaves the device, so a screenshot is stale within minutes. A printed card
//! carries a credential issued for no device, and is accepted as a card, never as a live pass.
//! Nothing in a pass names the person beyond the masked name. Parsing never panics.

use std::collections::HashMap;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ed25519_dalek::{Signature, VerifyingKey};
use serde::{Deserialize, Serialize};

use crate::i18n::Text;
use crate::poster::{truncate_utf8, KeyUse, PublicKey};
use crate::status::Policy;
use crate::submission::Submission;
use crate::visit::mask_name;

/// Starts every pass; the digit is the format version.
pub const PREFIX: &str = "P1.";
/// Prefixed to the credential before the server signs it: a pass key's signature can never pass
/// for a signature of anything else, and a venue key's never for a pass.
pub const SIGNING_CONTEXT: &[u8] = b"tokhai/pass/v1\0";
/// Prefixed to the signed credential and the time before the device signs them.
pub const STAMP_CONTEXT: &[u8] = b"tokhai/pass-stamp/v1\0";
/// A live pass is accepted when its time stamp is at most this far from the gate's clock, either
/// way: it is renewed every [`REFRESH_S`], so a genuine one is never older than a minute or so.
pub const FRESHNESS_S: i64 = 5 * 60;
/// How often the pass screen makes a new time stamp.
pub const REFRESH_S: i64 = 60;
/// Longest masked name in a credential, in bytes.
pub const MASKED_NAME_MAX_BYTES: usize = 24;
pub const PASS_ID_LEN: usize = 12;

const SIGNATURE_LEN: usize = 64;
const ED25519_KEY_LEN: usize = 32;
/// SEC1 compressed point.
const P256_KEY_LEN: usize = 33;
const STAMP_LEN: usize = 4 + SIGNATURE_LEN;

const HOLDER_CARD: u8 = 0;
const HOLDER_ED25519: u8 = 1;
const HOLDER_P256: u8 = 2;
/// First byte of a pending code: no credential yet.
const PENDING: u8 = 0xFE;

/// The signature algorithm of a device key, as WebCrypto names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum KeyAlgorithm {
    Ed25519,
    /// ECDSA on P-256 with SHA-256, for browsers without Ed25519 in WebCrypto.
    EcdsaP256,
}

/// The public half of a device's pass key, as a declaration carries it: the raw key WebCrypto
/// exports (32 bytes for Ed25519; 65, uncompressed, or 33 for P-256), base64url.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PassKey {
    pub algorithm: KeyAlgorithm,
    pub public_key: String,
}

impl PassKey {
    /// The key, if it is a valid point of its algorithm.
    pub fn device_key(&self) -> Option<DeviceKey> {
        let bytes = URL_SAFE_NO_PAD.decode(&self.public_key).ok()?;
        match self.algorithm {
            KeyAlgorithm::Ed25519 => {
                let bytes: [u8; ED25519_KEY_LEN] = bytes.try_into().ok()?;
                VerifyingKey::from_bytes(&bytes).ok()?;
                Some(DeviceKey::Ed25519(bytes))
            }
            KeyAlgorithm::EcdsaP256 => {
                let key = p256::PublicKey::from_sec1_bytes(&bytes).ok()?;
                let compressed =
                    p256::elliptic_curve::sec1::ToEncodedPoint::to_encoded_point(&key, true);
                Some(DeviceKey::P256(compressed.as_bytes().try_into().ok()?))
            }
        }
    }
}

/// A device's public pass key, as the credential holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeviceKey {
    Ed25519([u8; ED25519_KEY_LEN]),
    P256([u8; P256_KEY_LEN]),
}

impl DeviceKey {
    fn verifies(&self, message: &[u8], signature: &[u8; SIGNATURE_LEN]) -> bool {
        match self {
            DeviceKey::Ed25519(key) => VerifyingKey::from_bytes(key).is_ok_and(|key| {
                key.verify_strict(message, &Signature::from_bytes(signature))
                    .is_ok()
            }),
            DeviceKey::P256(key) => {
                use p256::ecdsa::signature::Verifier;
                let Ok(key) = p256::ecdsa::VerifyingKey::from_sec1_bytes(key) else {
                    return false;
                };
                // WebCrypto signs as r ‖ s (IEEE P1363), 64 bytes.
                p256::ecdsa::Signature::from_slice(signature)
                    .is_ok_and(|signature| key.verify(message, &signature).is_ok())
            }
        }
    }
}

/// Who may show a credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holder {
    /// A printed card: shown as it is, without a time stamp.
    Card,
    /// The device with this key, which stamps it while shown.
    Device(DeviceKey),
}

/// What the server vouches for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credential {
    /// Random, never derived from personal data.
    pub pass_id: [u8; PASS_ID_LEN],
    /// The pass key that signs it.
    pub key_id: u16,
    /// The validity window of the declaration it was issued for, Unix seconds.
    pub valid_from_s: u32,
    pub valid_until_s: u32,
    /// `NGUYỄN V. A`; at most [`MASKED_NAME_MAX_BYTES`].
    pub masked_name: String,
    pub holder: Holder,
}

/// Why a pass was refused, each with its own message for the gate staff.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PassError {
    #[error("not a tokhai pass")]
    NotAPass,
    #[error("made for a newer version of the app")]
    UnsupportedVersion,
    #[error("the code is damaged (not base45)")]
    BadEncoding,
    #[error("the code is incomplete")]
    Truncated,
    #[error("the code has unexpected bytes")]
    Malformed,
    #[error("signed by an unknown key ({0})")]
    UnknownKey(u16),
    #[error("the server's signature does not match: forged or edited")]
    BadSignature,
    #[error("signed with a venue key, not a pass key")]
    VenueKey,
    #[error("the phone's signature does not match: copied from another phone")]
    BadDeviceSignature,
    #[error("the time stamp is {0} s old: a screenshot or a recording")]
    Stale(i64),
    #[error("the time stamp is {0} s ahead of this device's clock")]
    FromTheFuture(i64),
    #[error("a printed card's credential shown with a time stamp")]
    CardShownAsLive,
    #[error("a phone's pass without its time stamp: a copy")]
    LiveShownAsCard,
    #[error("not valid before {0}")]
    NotYetValid(u32),
}

impl PassError {
    /// What the gate staff are told.
    pub fn text(&self) -> Text {
        match self {
            PassError::NotAPass => Text::PassNotRecognised,
            PassError::UnsupportedVersion => Text::PassNewerVersion,
            PassError::BadEncoding | PassError::Truncated | PassError::Malformed => {
                Text::PassDamaged
            }
            PassError::UnknownKey(_) => Text::PassUnknownKey,
            PassError::BadSignature | PassError::VenueKey => Text::PassForged,
            PassError::BadDeviceSignature => Text::PassCopied,
            PassError::Stale(_) => Text::PassStale,
            PassError::FromTheFuture(_) => Text::PassClockAhead,
            PassError::CardShownAsLive | PassError::LiveShownAsCard => Text::PassCopied,
            PassError::NotYetValid(_) => Text::PassNotYetValid,
        }
    }
}

impl Credential {
    /// The credential's bytes without the server's signature.
    pub fn encode(&self) -> Vec<u8> {
        let name = truncate_utf8(&self.masked_name, MASKED_NAME_MAX_BYTES);
        let mut bytes = Vec::with_capacity(64 + name.len());
        let key: &[u8] = match &self.holder {
            Holder::Card => {
                bytes.push(HOLDER_CARD);
                &[]
            }
            Holder::Device(DeviceKey::Ed25519(key)) => {
                bytes.push(HOLDER_ED25519);
                key
            }
            Holder::Device(DeviceKey::P256(key)) => {
                bytes.push(HOLDER_P256);
                key
            }
        };
        bytes.extend_from_slice(&self.pass_id);
        bytes.extend_from_slice(&self.key_id.to_be_bytes());
        bytes.extend_from_slice(&self.valid_from_s.to_be_bytes());
        bytes.extend_from_slice(&self.valid_until_s.to_be_bytes());
        bytes.extend_from_slice(key);
        bytes.push(name.len() as u8);
        bytes.extend_from_slice(name.as_bytes());
        bytes
    }

    /// Reads a credential at the start of `bytes`; returns it and the number of bytes it took.
    fn decode(bytes: &[u8]) -> Result<(Credential, usize), PassError> {
        let mut reader = Reader(bytes);
        let holder = reader.take(1)?[0];
        let key_len = match holder {
            HOLDER_CARD => 0,
            HOLDER_ED25519 => ED25519_KEY_LEN,
            HOLDER_P256 => P256_KEY_LEN,
            _ => return Err(PassError::Malformed),
        };
        let pass_id = reader
            .take(PASS_ID_LEN)?
            .try_into()
            .expect("took the length");
        let key_id = u16::from_be_bytes(reader.array()?);
        let valid_from_s = u32::from_be_bytes(reader.array()?);
        let valid_until_s = u32::from_be_bytes(reader.array()?);
        let key = reader.take(key_len)?;
        let holder = match holder {
            HOLDER_CARD => Holder::Card,
            HOLDER_ED25519 => {
                Holder::Device(DeviceKey::Ed25519(key.try_into().expect("took the length")))
            }
            _ => Holder::Device(DeviceKey::P256(key.try_into().expect("took the length"))),
        };
        let name_len = usize::from(reader.take(1)?[0]);
        if name_len > MASKED_NAME_MAX_BYTES {
            return Err(PassError::Malformed);
        }
        let masked_name = std::str::from_utf8(reader.take(name_len)?)
            .map_err(|_| PassError::Malformed)?
            .to_owned();
        if masked_name.chars().any(char::is_control) || valid_until_s < valid_from_s {
            return Err(PassError::Malformed);
        }
        let used = bytes.len() - reader.0.len();
        Ok((
            Credential {
                pass_id,
                key_id,
                valid_from_s,
                valid_until_s,
                masked_name,
                holder,
            },
            used,
        ))
    }

    /// The bytes the pass key signs.
    pub fn signed_message(unsigned: &[u8]) -> Vec<u8> {
        [SIGNING_CONTEXT, unsigned].concat()
    }

    /// The credential and the server's `signature` over [`Credential::signed_message`] of
    /// [`Credential::encode`]: what a receipt carries and a printed card shows.
    pub fn signed(&self, signature: &[u8; SIGNATURE_LEN]) -> SignedCredential {
        SignedCredential([self.encode().as_slice(), signature].concat())
    }

    /// Whether this device, holding `key`, can stamp the credential.
    pub fn is_bound_to(&self, key: &PassKey) -> bool {
        matches!(self.holder, Holder::Device(bound) if key.device_key() == Some(bound))
    }

    /// The pass id as the gate records it (hex).
    pub fn pass_id_hex(&self) -> String {
        self.pass_id
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect()
    }
}

/// A credential with the server's signature, as bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedCredential(Vec<u8>);

impl SignedCredential {
    /// Reads the base45 text a receipt carries (without [`PREFIX`]).
    pub fn from_text(text: &str) -> Option<SignedCredential> {
        let bytes = decode_base45(text).ok()?;
        let (_, used) = Credential::decode(&bytes).ok()?;
        (bytes.len() == used + SIGNATURE_LEN).then_some(SignedCredential(bytes))
    }

    /// The base45 text a receipt carries.
    pub fn text(&self) -> String {
        base45::encode(&self.0)
    }

    pub fn credential(&self) -> Credential {
        Credential::decode(&self.0)
            .expect("made from a credential")
            .0
    }

    /// The QR text of a printed card: the credential alone.
    pub fn card_code(&self) -> String {
        format!("{PREFIX}{}", self.text())
    }

    /// The bytes the device signs to show the pass at `at_s`.
    pub fn stamp_message(&self, at_s: u32) -> Vec<u8> {
        [STAMP_CONTEXT, &self.0, &at_s.to_be_bytes()].concat()
    }

    /// The QR text of a live pass stamped at `at_s` with the device's `signature` over
    /// [`SignedCredential::stamp_message`].
    pub fn live_code(&self, at_s: u32, signature: &[u8; SIGNATURE_LEN]) -> String {
        let bytes = [self.0.as_slice(), &at_s.to_be_bytes(), signature].concat();
        format!("{PREFIX}{}", base45::encode(bytes))
    }
}

/// What a receipt for a declaration carries: the base45 texts of the signed credentials, one
/// bound to the device that declared (when it sent a pass key) and one for a printed card, with
/// the same pass id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IssuedPass {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub live: Option<String>,
    pub card: String,
}

impl IssuedPass {
    /// The device-bound credential, if it reads.
    pub fn live(&self) -> Option<SignedCredential> {
        SignedCredential::from_text(self.live.as_deref()?)
    }

    pub fn card(&self) -> Option<SignedCredential> {
        SignedCredential::from_text(&self.card)
    }
}

/// The credentials (device-bound when the declaration carried a pass key, and the card's) the
/// server issues for `submission`, received at `received_at_ms`, under `policy`; `None` for a
/// submission that gives no status. Validity runs from when the person declared, as the app's
/// status does, never from later than the server received it.
pub fn credentials_for(
    submission: &Submission,
    received_at_ms: i64,
    policy: Policy,
    pass_id: [u8; PASS_ID_LEN],
    key_id: u16,
) -> Option<(Option<Credential>, Credential)> {
    if !submission.content.declaration_kind()?.gives_status() {
        return None;
    }
    let from_s = submission
        .created_at_ms
        .min(received_at_ms)
        .div_euclid(1000);
    let until_s = from_s + i64::from(policy.declaration_validity_hours) * 3600;
    let card = Credential {
        pass_id,
        key_id,
        valid_from_s: u32::try_from(from_s).ok()?,
        valid_until_s: u32::try_from(until_s).ok()?,
        masked_name: truncate_utf8(
            &mask_name(submission.content.full_name()?),
            MASKED_NAME_MAX_BYTES,
        )
        .to_owned(),
        holder: Holder::Card,
    };
    let live = submission
        .content
        .pass_key()
        .and_then(PassKey::device_key)
        .map(|key| Credential {
            holder: Holder::Device(key),
            ..card.clone()
        });
    Some((live, card))
}

/// What a profile's pass screen shows, from the declarations the device made for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PassToShow {
    /// The pass of the latest declaration the server answered with one: `live` when this device
    /// can stamp it, and the card for printing.
    Issued {
        live: Option<SignedCredential>,
        card: SignedCredential,
        /// A newer declaration still waits in the outbox; its pass replaces this one.
        renewal_waiting: bool,
    },
    /// Declared, but no credential has come back yet: the pending code, with this masked name.
    Pending { masked_name: String },
    /// Nothing to show: no declaration that gives a status (or only ones made before passes).
    NotDeclared,
}

/// The pass for `profile_id` among the device's declarations, each with its receipt once
/// delivered. The newest delivered declaration with a pass decides; a newer one waiting marks it
/// as being renewed.
pub fn pass_to_show<'a>(
    profile_id: uuid::Uuid,
    declarations: impl IntoIterator<Item = (&'a Submission, Option<&'a crate::outbox::Receipt>)>,
) -> PassToShow {
    let mut issued: Option<(i64, &IssuedPass)> = None;
    let mut waiting: Option<(i64, &Submission)> = None;
    for (submission, receipt) in declarations {
        let content = &submission.content;
        if content.profile_id() != Some(profile_id)
            || !content
                .declaration_kind()
                .is_some_and(|kind| kind.gives_status())
        {
            continue;
        }
        let made = submission.created_at_ms;
        match receipt {
            Some(receipt) => {
                if let Some(pass) = &receipt.pass {
                    if issued.is_none_or(|(at, _)| made > at) {
                        issued = Some((made, pass));
                    }
                }
            }
            None => {
                if waiting.is_none_or(|(at, _)| made > at) {
                    waiting = Some((made, submission));
                }
            }
        }
    }
    if let Some((issued_at, pass)) = issued {
        if let Some(card) = pass.card() {
            return PassToShow::Issued {
                live: pass.live(),
                card,
                renewal_waiting: waiting.is_some_and(|(at, _)| at > issued_at),
            };
        }
    }
    match waiting.and_then(|(_, submission)| submission.content.full_name()) {
        Some(name) => PassToShow::Pending {
            masked_name: truncate_utf8(&mask_name(name), MASKED_NAME_MAX_BYTES).to_owned(),
        },
        None => PassToShow::NotDeclared,
    }
}

/// The code shown before the server's credential arrives: only the masked name, unsigned.
pub fn pending_code(masked_name: &str) -> String {
    let name = truncate_utf8(masked_name, MASKED_NAME_MAX_BYTES);
    let bytes = [&[PENDING, name.len() as u8], name.as_bytes()].concat();
    format!("{PREFIX}{}", base45::encode(bytes))
}

/// What a gate concludes from a code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Let in. `printed`: a card, which staff may want to compare with an ID.
    Valid {
        credential: Credential,
        printed: bool,
    },
    /// Genuine, but its declaration's validity ended (at the credential's `valid_until_s`).
    Expired {
        credential: Credential,
        printed: bool,
    },
    /// The person declared, and the server has not confirmed it yet.
    Pending {
        masked_name: String,
    },
    Invalid(PassError),
}

/// The keys a gate trusts: the pass keys and, to tell that mistake apart, the venue keys.
#[derive(Debug, Clone, Default)]
pub struct GateKeys {
    pass: HashMap<u16, VerifyingKey>,
    venue: HashMap<u16, VerifyingKey>,
}

impl GateKeys {
    /// The usable keys among `published`, by use; malformed entries are skipped.
    pub fn from_published(published: &[PublicKey]) -> GateKeys {
        let mut keys = GateKeys::default();
        for key in published {
            if let Some(verifying) = key.verifying_key() {
                match key.key_use {
                    KeyUse::Pass => keys.pass.insert(key.key_id, verifying),
                    KeyUse::Venue => keys.venue.insert(key.key_id, verifying),
                    KeyUse::Exposure => None,
                };
            }
        }
        keys
    }

    /// Whether no pass key is known at all (the gate must fetch them first).
    pub fn has_pass_keys(&self) -> bool {
        !self.pass.is_empty()
    }
}

/// Verifies the code `text` at the gate's time `now_s`, offline.
pub fn verdict(text: &str, keys: &GateKeys, now_s: i64) -> Verdict {
    match verify(text, keys, now_s) {
        Ok(verdict) => verdict,
        Err(error) => Verdict::Invalid(error),
    }
}

fn verify(text: &str, keys: &GateKeys, now_s: i64) -> Result<Verdict, PassError> {
    let bytes = read_code(text)?;
    if bytes.first() == Some(&PENDING) {
        let name_len = usize::from(*bytes.get(1).ok_or(PassError::Truncated)?);
        let name = bytes.get(2..).ok_or(PassError::Truncated)?;
        if name.len() != name_len || name_len > MASKED_NAME_MAX_BYTES {
            return Err(PassError::Malformed);
        }
        let masked_name = std::str::from_utf8(name).map_err(|_| PassError::Malformed)?;
        if masked_name.chars().any(char::is_control) {
            return Err(PassError::Malformed);
        }
        return Ok(Verdict::Pending {
            masked_name: masked_name.to_owned(),
        });
    }
    let (credential, used) = Credential::decode(&bytes)?;
    let mut rest = Reader(&bytes[used..]);
    let signature: [u8; SIGNATURE_LEN] = rest.array()?;
    let signed_len = used + SIGNATURE_LEN;
    let message = Credential::signed_message(&bytes[..used]);
    let pass_signature = Signature::from_bytes(&signature);
    match keys.pass.get(&credential.key_id) {
        Some(key) if key.verify_strict(&message, &pass_signature).is_ok() => {}
        found => {
            let by_venue_key = keys
                .venue
                .get(&credential.key_id)
                .is_some_and(|key| key.verify_strict(&message, &pass_signature).is_ok());
            return Err(match (by_venue_key, found) {
                (true, _) => PassError::VenueKey,
                (false, Some(_)) => PassError::BadSignature,
                (false, None) => PassError::UnknownKey(credential.key_id),
            });
        }
    }
    let printed = match (credential.holder, rest.0.len()) {
        (Holder::Card, 0) => true,
        (Holder::Card, _) => return Err(PassError::CardShownAsLive),
        (Holder::Device(_), 0) => return Err(PassError::LiveShownAsCard),
        (Holder::Device(device_key), STAMP_LEN) => {
            let at_s = u32::from_be_bytes(rest.array()?);
            let device_signature: [u8; SIGNATURE_LEN] = rest.array()?;
            let stamped = SignedCredential(bytes[..signed_len].to_vec()).stamp_message(at_s);
            if !device_key.verifies(&stamped, &device_signature) {
                return Err(PassError::BadDeviceSignature);
            }
            let age = now_s - i64::from(at_s);
            if age > FRESHNESS_S {
                return Err(PassError::Stale(age));
            }
            if -age > FRESHNESS_S {
                return Err(PassError::FromTheFuture(-age));
            }
            false
        }
        (Holder::Device(_), len) if len < STAMP_LEN => return Err(PassError::Truncated),
        (Holder::Device(_), _) => return Err(PassError::Malformed),
    };
    if now_s + FRESHNESS_S < i64::from(credential.valid_from_s) {
        return Err(PassError::NotYetValid(credential.valid_from_s));
    }
    Ok(if now_s > i64::from(credential.valid_until_s) {
        Verdict::Expired {
            credential,
            printed,
        }
    } else {
        Verdict::Valid {
            credential,
            printed,
        }
    })
}

/// The credential a code carries, without verifying anything: for a code verified before (a
/// gate scan the server accepted). `None` for a pending code or damaged bytes.
pub fn credential_in(text: &str) -> Option<Credential> {
    let bytes = read_code(text).ok()?;
    Credential::decode(&bytes)
        .ok()
        .map(|(credential, _)| credential)
}

/// Whether `text` is meant as a pass (of any version, damaged or not): the scanner's first
/// question.
pub fn is_pass(text: &str) -> bool {
    !matches!(read_code(text), Err(PassError::NotAPass))
}

/// The bytes of a pass code, checking its prefix, version and base45.
fn read_code(text: &str) -> Result<Vec<u8>, PassError> {
    let text = text.trim();
    let Some(rest) = text.strip_prefix('P') else {
        return Err(PassError::NotAPass);
    };
    let Some((version, payload)) = rest.split_once('.') else {
        return Err(PassError::NotAPass);
    };
    if version != &PREFIX[1..2] {
        return Err(
            if version.bytes().all(|b| b.is_ascii_digit()) && !version.is_empty() {
                PassError::UnsupportedVersion
            } else {
                PassError::NotAPass
            },
        );
    }
    decode_base45(payload)
}

/// Strict base45: only the canonical text of some bytes is accepted, so one pass has one code.
fn decode_base45(text: &str) -> Result<Vec<u8>, PassError> {
    let bytes = base45::decode(text).map_err(|_| PassError::BadEncoding)?;
    if base45::encode(&bytes) != text {
        return Err(PassError::BadEncoding);
    }
    Ok(bytes)
}

/// Reads fixed-size fields off the front of a byte slice.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, len: usize) -> Result<&'a [u8], PassError> {
        if self.0.len() < len {
            return Err(PassError::Truncated);
        }
        let (taken, rest) = self.0.split_at(len);
        self.0 = rest;
        Ok(taken)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], PassError> {
        Ok(self.take(N)?.try_into().expect("took the length"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::{Signer, SigningKey};
    use proptest::prelude::*;

    const NOW: i64 = 1_796_000_000;

    fn server_key() -> SigningKey {
        SigningKey::from_bytes(&[7; 32])
    }

    fn device_key() -> SigningKey {
        SigningKey::from_bytes(&[9; 32])
    }

    fn published(key_id: u16, key: &SigningKey, key_use: KeyUse) -> PublicKey {
        PublicKey {
            key_id,
            public_key: URL_SAFE_NO_PAD.encode(key.verifying_key().as_bytes()),
            key_use,
        }
    }

    fn gate_keys() -> GateKeys {
        GateKeys::from_published(&[
            published(1, &server_key(), KeyUse::Pass),
            published(1, &SigningKey::from_bytes(&[3; 32]), KeyUse::Venue),
        ])
    }

    fn credential(holder: Holder) -> Credential {
        Credential {
            pass_id: [0x5A; PASS_ID_LEN],
            key_id: 1,
            valid_from_s: (NOW - 3600) as u32,
            valid_until_s: (NOW + 20 * 3600) as u32,
            masked_name: "NGUYỄN V. A".into(),
            holder,
        }
    }

    fn sign_with(key: &SigningKey, credential: &Credential) -> SignedCredential {
        let signature = key.sign(&Credential::signed_message(&credential.encode()));
        credential.signed(&signature.to_bytes())
    }

    fn live_credential() -> SignedCredential {
        let device = Holder::Device(DeviceKey::Ed25519(device_key().verifying_key().to_bytes()));
        sign_with(&server_key(), &credential(device))
    }

    fn live_code_at(signed: &SignedCredential, at_s: i64) -> String {
        let at_s = at_s as u32;
        let signature = device_key().sign(&signed.stamp_message(at_s)).to_bytes();
        signed.live_code(at_s, &signature)
    }

    fn card() -> SignedCredential {
        sign_with(&server_key(), &credential(Holder::Card))
    }

    #[test]
    fn a_fresh_live_pass_is_valid_and_a_card_is_valid_as_printed() {
        let live = live_credential();
        assert_eq!(
            verdict(&live_code_at(&live, NOW - 30), &gate_keys(), NOW),
            Verdict::Valid {
                credential: live.credential(),
                printed: false
            }
        );
        assert_eq!(
            verdict(&card().card_code(), &gate_keys(), NOW),
            Verdict::Valid {
                credential: card().credential(),
                printed: true
            }
        );
    }

    #[test]
    fn codes_stay_in_the_qr_alphanumeric_set_and_within_their_versions() {
        use qrcode::{EcLevel, QrCode, Version};
        let live = live_code_at(&live_credential(), NOW);
        let card = card().card_code();
        let alphanumeric = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
        for code in [&live, &card] {
            assert!(code.chars().all(|c| alphanumeric.contains(c)), "{code}");
        }
        let version = |code: &str| match QrCode::with_error_correction_level(code, EcLevel::M)
            .unwrap()
            .version()
        {
            Version::Normal(version) => version,
            Version::Micro(_) => unreachable!(),
        };
        assert!(
            version(&live) <= 10,
            "live pass at version {}",
            version(&live)
        );
        assert!(version(&card) <= 8, "card at version {}", version(&card));
    }

    /// The vectors of docs/formats.md: server key and device key are Ed25519 keys whose secret
    /// seeds are 32 bytes of 0x07 and 0x09, and the gate's clock is `NOW`.
    #[test]
    fn published_vectors() {
        let version = |code: &str| match qrcode::QrCode::with_error_correction_level(
            code,
            qrcode::EcLevel::M,
        )
        .unwrap()
        .version()
        {
            qrcode::Version::Normal(version) => version,
            qrcode::Version::Micro(_) => unreachable!(),
        };
        let live = live_code_at(&live_credential(), NOW);
        let card = card().card_code();
        let pending = pending_code("NGUYỄN V. A");
        assert_eq!(
            published(1, &server_key(), KeyUse::Pass).public_key,
            "6kpsY-KcUgq-9VB7Ey7F-ZVHdq6-vnuSQh7qaRRG0iw"
        );
        assert_eq!(
            URL_SAFE_NO_PAD.encode(device_key().verifying_key().as_bytes()),
            "_RckOFqgx1tk-3jNYC-h2ZH96_drE8WO1wLqyDXp9hg"
        );
        assert_eq!(live, VECTOR_LIVE);
        assert_eq!(card, VECTOR_CARD);
        assert_eq!(pending, VECTOR_PENDING);
        assert_eq!(
            (version(&live), version(&card), version(&pending)),
            (10, 7, 2)
        );
    }

    const VECTOR_LIVE: &str = "P1.V700JB0JB0JB0JB0JB0HB380IR1WHU:X1W98T-2Q57TEK-OBQZVG/P/06WMRN4WOCVLM2R2IQG0/DP:PT$13E+9OZA7OSUWG/34I$56A8IUJS-H424PAG6AJ3NP6UI145IZNZXQ%*NCID9$JTHO-2V3GFKIT*N7YIH :8D9RUNR5%JN+R: FLFTQ*LXX2J226CG3G1Q81XR1U20%/Q+EEB82L36/-7SFW D527JS-NJ+UC2OL2MOYVZQJJKSGD1NL2:OT/GMWRP3-H597U KB$8$98.U18A9LJTO4B-YS202A0";
    const VECTOR_CARD: &str = "P1.0200JB0JB0JB0JB0JB0HB380IR1WHU:X1H48E+9OZA7OSUWG/34I$5+E82VEVUB*NAO3VTF15/M3:PSP6/LARWOBVU4TU*IAQOTXW0CMGBPMC86KWO9V5:UH4JM2EI-605XFEOKXCK8YPX*R.K9VFK40";
    const VECTOR_PENDING: &str = "P1.C5WE+9OZA7OSUWG/34I$5K1";

    fn daily(id: u128, made_at_ms: i64, profile: u128) -> Submission {
        use crate::declaration::daily_health::DailyHealth;
        use crate::declaration::DeclarationDraft;
        let mut person = crate::declaration::tests::person();
        person.profile_id = uuid::Uuid::from_u128(profile);
        Submission {
            id: uuid::Uuid::from_u128(id),
            created_at_ms: made_at_ms,
            content: crate::submission::Content::DailyHealth(
                DeclarationDraft {
                    answers: DailyHealth::default(),
                    on_behalf: false,
                }
                .declare(person),
            ),
        }
    }

    fn receipt(submission: &Submission, pass: Option<IssuedPass>) -> crate::outbox::Receipt {
        crate::outbox::Receipt {
            id: submission.id,
            received_at_ms: submission.created_at_ms + 1000,
            pass,
        }
    }

    #[test]
    fn the_newest_delivered_pass_is_shown_and_a_waiting_declaration_renews_it() {
        let profile = uuid::Uuid::from_u128(7);
        let issued = |live: bool| IssuedPass {
            live: live.then(|| live_credential().text()),
            card: card().text(),
        };
        let (old, new, waiting, other) = (
            daily(1, 1_000, 7),
            daily(2, 2_000, 7),
            daily(3, 3_000, 7),
            daily(4, 4_000, 8),
        );
        assert_eq!(pass_to_show(profile, []), PassToShow::NotDeclared);
        let pending = pass_to_show(profile, [(&waiting, None)]);
        assert_eq!(
            pending,
            PassToShow::Pending {
                masked_name: "NGUYỄN V. A".into()
            }
        );
        let (old_receipt, new_receipt) = (
            receipt(&old, Some(issued(false))),
            receipt(&new, Some(issued(true))),
        );
        let other_receipt = receipt(&other, Some(issued(false)));
        let shown = pass_to_show(
            profile,
            [
                (&new, Some(&new_receipt)),
                (&old, Some(&old_receipt)),
                (&other, Some(&other_receipt)),
            ],
        );
        assert_eq!(
            shown,
            PassToShow::Issued {
                live: Some(live_credential()),
                card: card(),
                renewal_waiting: false
            }
        );
        let renewing = pass_to_show(profile, [(&old, Some(&old_receipt)), (&waiting, None)]);
        assert!(matches!(
            renewing,
            PassToShow::Issued {
                live: None,
                renewal_waiting: true,
                ..
            }
        ));
        // Delivered before passes existed: nothing to show but what waits.
        let before_passes = receipt(&old, None);
        assert_eq!(
            pass_to_show(profile, [(&old, Some(&before_passes))]),
            PassToShow::NotDeclared
        );
    }

    #[test]
    fn each_fault_has_its_own_reason() {
        let keys = gate_keys();
        let live = live_credential();
        let rejected = |code: &str| match verdict(code, &keys, NOW) {
            Verdict::Invalid(error) => error,
            other => panic!("accepted {code}: {other:?}"),
        };
        assert_eq!(
            rejected(&live_code_at(&live, NOW - 600)),
            PassError::Stale(600)
        );
        assert_eq!(
            rejected(&live_code_at(&live, NOW + 600)),
            PassError::FromTheFuture(600)
        );
        // Another phone's key signs the stamp.
        let at = NOW as u32;
        let forged_stamp = SigningKey::from_bytes(&[8; 32])
            .sign(&live.stamp_message(at))
            .to_bytes();
        assert_eq!(
            rejected(&live.live_code(at, &forged_stamp)),
            PassError::BadDeviceSignature
        );
        let mut unknown = credential(Holder::Card);
        unknown.key_id = 9;
        assert_eq!(
            rejected(&sign_with(&server_key(), &unknown).card_code()),
            PassError::UnknownKey(9)
        );
        assert_eq!(
            rejected(
                &sign_with(&SigningKey::from_bytes(&[3; 32]), &credential(Holder::Card))
                    .card_code()
            ),
            PassError::VenueKey
        );
        assert_eq!(
            rejected(
                &sign_with(&SigningKey::from_bytes(&[4; 32]), &credential(Holder::Card))
                    .card_code()
            ),
            PassError::BadSignature
        );
        // A card's credential with a stamp appended, and a phone's credential without one.
        let card_stamp = device_key().sign(&card().stamp_message(at)).to_bytes();
        assert_eq!(
            rejected(&card().live_code(at, &card_stamp)),
            PassError::CardShownAsLive
        );
        assert_eq!(rejected(&live.card_code()), PassError::LiveShownAsCard);
        assert_eq!(rejected("P2.ABC"), PassError::UnsupportedVersion);
        assert_eq!(
            rejected("https://example.vn/c#1.AA.BB"),
            PassError::NotAPass
        );
        assert_eq!(rejected("P1.ÄÖ"), PassError::BadEncoding);
        let mut future = credential(Holder::Card);
        future.valid_from_s = (NOW + 3600) as u32;
        assert_eq!(
            rejected(&sign_with(&server_key(), &future).card_code()),
            PassError::NotYetValid(future.valid_from_s)
        );
    }

    #[test]
    fn a_pass_past_its_window_is_expired_not_invalid() {
        let mut old = credential(Holder::Card);
        old.valid_from_s = (NOW - 48 * 3600) as u32;
        old.valid_until_s = (NOW - 24 * 3600) as u32;
        assert_eq!(
            verdict(
                &sign_with(&server_key(), &old).card_code(),
                &gate_keys(),
                NOW
            ),
            Verdict::Expired {
                credential: old,
                printed: true
            }
        );
    }

    #[test]
    fn a_pending_code_is_pending_with_its_name() {
        assert_eq!(
            verdict(&pending_code("TRẦN T. B"), &gate_keys(), NOW),
            Verdict::Pending {
                masked_name: "TRẦN T. B".into()
            }
        );
    }

    #[test]
    fn p256_device_keys_from_webcrypto_verify() {
        use p256::ecdsa::signature::Signer as _;
        let device = p256::ecdsa::SigningKey::from_slice(&[0x11; 32]).unwrap();
        let uncompressed = device.verifying_key().to_encoded_point(false);
        let pass_key = PassKey {
            algorithm: KeyAlgorithm::EcdsaP256,
            public_key: URL_SAFE_NO_PAD.encode(uncompressed.as_bytes()),
        };
        let holder = Holder::Device(pass_key.device_key().unwrap());
        let signed = sign_with(&server_key(), &credential(holder));
        let at = NOW as u32;
        let signature: p256::ecdsa::Signature = device.sign(&signed.stamp_message(at));
        let code = signed.live_code(at, &signature.to_bytes().into());
        assert!(matches!(
            verdict(&code, &gate_keys(), NOW),
            Verdict::Valid { printed: false, .. }
        ));
        let other: p256::ecdsa::Signature = p256::ecdsa::SigningKey::from_slice(&[0x12; 32])
            .unwrap()
            .sign(&signed.stamp_message(at));
        assert_eq!(
            verdict(
                &signed.live_code(at, &other.to_bytes().into()),
                &gate_keys(),
                NOW
            ),
            Verdict::Invalid(PassError::BadDeviceSignature)
        );
    }

    #[test]
    fn device_keys_must_be_points_of_their_curve() {
        let key = |algorithm, bytes: &[u8]| PassKey {
            algorithm,
            public_key: URL_SAFE_NO_PAD.encode(bytes),
        };
        assert!(key(KeyAlgorithm::Ed25519, &[1; 31]).device_key().is_none());
        assert!(key(KeyAlgorithm::EcdsaP256, &[4; 65])
            .device_key()
            .is_none());
        assert!(PassKey {
            algorithm: KeyAlgorithm::Ed25519,
            public_key: "not base64!".into()
        }
        .device_key()
        .is_none());
    }

    #[test]
    fn a_receipts_text_reads_back_and_junk_does_not() {
        let live = live_credential();
        assert_eq!(
            SignedCredential::from_text(&live.text()),
            Some(live.clone())
        );
        assert_eq!(SignedCredential::from_text("ABC"), None);
        let mut text = live.text();
        text.push_str("00");
        assert_eq!(SignedCredential::from_text(&text), None);
    }

    proptest! {
        #[test]
        fn credentials_round_trip(
            pass_id in any::<[u8; PASS_ID_LEN]>(),
            key_id in any::<u16>(),
            from in any::<u32>(),
            length in any::<u32>(),
            name in "\\PC{0,12}",
            card in any::<bool>(),
        ) {
            let holder = if card { Holder::Card } else { Holder::Device(DeviceKey::Ed25519([2; 32])) };
            let credential = Credential {
                pass_id,
                key_id,
                valid_from_s: from,
                valid_until_s: from.saturating_add(length),
                masked_name: truncate_utf8(&name, MASKED_NAME_MAX_BYTES).to_owned(),
                holder,
            };
            let signed = credential.signed(&[0; SIGNATURE_LEN]);
            prop_assert_eq!(SignedCredential::from_text(&signed.text()).map(|s| s.credential()), Some(credential));
        }

    }

    proptest! {
        // Each case verifies two signatures, slow in a debug build: fewer cases, one code.
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn one_flipped_bit_anywhere_is_refused(bit in 0usize..(8 * 300)) {
            static CODE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
            let code = CODE.get_or_init(|| live_code_at(&live_credential(), NOW));
            let mut bytes = base45::decode(&code[PREFIX.len()..]).unwrap();
            let bit = bit % (bytes.len() * 8);
            bytes[bit / 8] ^= 1 << (bit % 8);
            let flipped = format!("{PREFIX}{}", base45::encode(bytes));
            prop_assert!(matches!(verdict(&flipped, &gate_keys(), NOW), Verdict::Invalid(_)));
        }

        #[test]
        fn the_parser_never_panics(text in "\\PC{0,400}", bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            let _ = verdict(&text, &gate_keys(), NOW);
            let _ = verdict(&format!("{PREFIX}{}", base45::encode(&bytes)), &gate_keys(), NOW);
            let _ = SignedCredential::from_text(&text);
        }
    }
}

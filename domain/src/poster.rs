//! The venue poster QR (DESIGN.md §5.1), byte by byte in `docs/formats.md`:
//!
//! `https://<host>/c#<version>.<base64url(payload)>.<base64url(signature)>`
//!
//! The payload is compact binary; the signature is Ed25519 over [`SIGNING_CONTEXT`] followed by
//! the payload bytes, by the server's venue key named in the payload. Everything after `#` stays
//! on the phone: no web server learns which venue was scanned. Parsing never panics, whatever
//! the bytes.

use std::collections::HashMap;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ed25519_dalek::{Signature, VerifyingKey};
use serde::{Deserialize, Serialize};

use crate::i18n::Text;

/// The only format version so far.
pub const VERSION: u8 = 1;
/// Prefixed to the payload before signing, so a venue key's signature can never be passed off as
/// a signature of anything else.
pub const SIGNING_CONTEXT: &[u8] = b"tokhai/poster/v1\0";
/// Longest short name in the payload, in bytes: the full name stays on the server, and a typical
/// poster then fits QR version 10 at error correction M.
pub const SHORT_NAME_MAX_BYTES: usize = 32;
/// The path of the check-in page the poster's URL opens.
pub const PATH: &str = "/c";

const VENUE_ID_LEN: usize = 16;
const FIXED_LEN: usize = VENUE_ID_LEN + 2 + 4 + 1 + 3 + 1 + 2 + 1;
const SIGNATURE_LEN: usize = 64;
/// Characters of the signature in base64url without padding.
const SIGNATURE_TEXT_LEN: usize = 86;

/// Kinds of control point (DESIGN.md §4), as the one-byte codes of the payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum VenueType {
    Office = 1,
    Factory = 2,
    Shop = 3,
    Market = 4,
    School = 5,
    Clinic = 6,
    Transport = 7,
    Restaurant = 8,
    Hotel = 9,
    Other = 10,
    QuarantineCheckpoint = 11,
}

impl VenueType {
    pub const ALL: [VenueType; 11] = [
        VenueType::Office,
        VenueType::Factory,
        VenueType::Shop,
        VenueType::Market,
        VenueType::School,
        VenueType::Clinic,
        VenueType::Transport,
        VenueType::Restaurant,
        VenueType::Hotel,
        VenueType::Other,
        VenueType::QuarantineCheckpoint,
    ];

    pub fn code(self) -> u8 {
        self as u8
    }

    pub fn from_code(code: u8) -> Option<VenueType> {
        VenueType::ALL.into_iter().find(|kind| kind.code() == code)
    }

    pub fn text(self) -> Text {
        match self {
            VenueType::Office => Text::VenueOffice,
            VenueType::Factory => Text::VenueFactory,
            VenueType::Shop => Text::VenueShop,
            VenueType::Market => Text::VenueMarket,
            VenueType::School => Text::VenueSchool,
            VenueType::Clinic => Text::VenueClinic,
            VenueType::Transport => Text::VenueTransport,
            VenueType::Restaurant => Text::VenueRestaurant,
            VenueType::Hotel => Text::VenueHotel,
            VenueType::Other => Text::VenueOther,
            VenueType::QuarantineCheckpoint => Text::VenueQuarantine,
        }
    }

    /// The name used in the API (`market`, `quarantine_checkpoint`).
    pub fn name(self) -> &'static str {
        match self {
            VenueType::Office => "office",
            VenueType::Factory => "factory",
            VenueType::Shop => "shop",
            VenueType::Market => "market",
            VenueType::School => "school",
            VenueType::Clinic => "clinic",
            VenueType::Transport => "transport",
            VenueType::Restaurant => "restaurant",
            VenueType::Hotel => "hotel",
            VenueType::Other => "other",
            VenueType::QuarantineCheckpoint => "quarantine_checkpoint",
        }
    }

    pub fn from_name(name: &str) -> Option<VenueType> {
        VenueType::ALL.into_iter().find(|kind| kind.name() == name)
    }

    /// Whether the authority lets this kind of venue see its visitors unmasked (DESIGN.md §4):
    /// hospitals and quarantine checkpoints.
    pub fn sees_full_visitor_data(self) -> bool {
        matches!(self, VenueType::Clinic | VenueType::QuarantineCheckpoint)
    }
}

/// What a poster says about its venue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Poster {
    /// Random and unguessable: it is the venue's identity on every check-in.
    pub venue_id: [u8; VENUE_ID_LEN],
    /// The venue key that signed it.
    pub key_id: u16,
    /// When the poster was issued, seconds since the Unix epoch.
    pub issued_at_s: u32,
    pub province: u8,
    /// Ward code; 0 when not given.
    pub ward: u32,
    pub venue_type: VenueType,
    pub default_stay_minutes: u16,
    /// At most [`SHORT_NAME_MAX_BYTES`] bytes of UTF-8.
    pub short_name: String,
}

/// Why a poster code was refused, each with its own message for the person scanning.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PosterError {
    #[error("not a tokhai venue code")]
    NotAPoster,
    #[error("made for a newer version of the app ({0})")]
    UnsupportedVersion(String),
    #[error("the code is damaged (not base64url)")]
    BadEncoding,
    #[error("the code is incomplete")]
    Truncated,
    #[error("the code has unexpected bytes")]
    Malformed,
    #[error("signed by an unknown key ({0})")]
    UnknownKey(u16),
    #[error("the signature does not match: forged or edited")]
    BadSignature,
}

impl PosterError {
    /// What the person scanning is told.
    pub fn text(&self) -> Text {
        match self {
            PosterError::NotAPoster => Text::PosterNotRecognised,
            PosterError::UnsupportedVersion(_) => Text::PosterNewerVersion,
            PosterError::BadEncoding | PosterError::Truncated | PosterError::Malformed => {
                Text::PosterDamaged
            }
            PosterError::UnknownKey(_) => Text::PosterUnknownKey,
            PosterError::BadSignature => Text::PosterForged,
        }
    }
}

impl Poster {
    /// The payload bytes.
    pub fn encode(&self) -> Vec<u8> {
        let name = truncate_utf8(&self.short_name, SHORT_NAME_MAX_BYTES);
        let mut bytes = Vec::with_capacity(FIXED_LEN + name.len());
        bytes.extend_from_slice(&self.venue_id);
        bytes.extend_from_slice(&self.key_id.to_be_bytes());
        bytes.extend_from_slice(&self.issued_at_s.to_be_bytes());
        bytes.push(self.province);
        bytes.extend_from_slice(&self.ward.min(0xFF_FFFF).to_be_bytes()[1..]);
        bytes.push(self.venue_type.code());
        bytes.extend_from_slice(&self.default_stay_minutes.to_be_bytes());
        bytes.push(name.len() as u8);
        bytes.extend_from_slice(name.as_bytes());
        bytes
    }

    /// Reads payload bytes; exactly one short name must end them.
    pub fn decode(bytes: &[u8]) -> Result<Poster, PosterError> {
        if bytes.len() < FIXED_LEN {
            return Err(PosterError::Truncated);
        }
        let (fixed, name) = bytes.split_at(FIXED_LEN);
        let mut venue_id = [0; VENUE_ID_LEN];
        venue_id.copy_from_slice(&fixed[..16]);
        let key_id = u16::from_be_bytes([fixed[16], fixed[17]]);
        let issued_at_s = u32::from_be_bytes([fixed[18], fixed[19], fixed[20], fixed[21]]);
        let province = fixed[22];
        let ward = u32::from_be_bytes([0, fixed[23], fixed[24], fixed[25]]);
        let venue_type = VenueType::from_code(fixed[26]).ok_or(PosterError::Malformed)?;
        let default_stay_minutes = u16::from_be_bytes([fixed[27], fixed[28]]);
        let name_len = usize::from(fixed[29]);
        if name_len > SHORT_NAME_MAX_BYTES {
            return Err(PosterError::Malformed);
        }
        if name.len() < name_len {
            return Err(PosterError::Truncated);
        }
        if name.len() > name_len {
            return Err(PosterError::Malformed);
        }
        let short_name = std::str::from_utf8(name)
            .map_err(|_| PosterError::Malformed)?
            .to_owned();
        if short_name.chars().any(char::is_control) {
            return Err(PosterError::Malformed);
        }
        Ok(Poster {
            venue_id,
            key_id,
            issued_at_s,
            province,
            ward,
            venue_type,
            default_stay_minutes,
            short_name,
        })
    }

    /// The bytes the venue key signs.
    pub fn signed_message(payload: &[u8]) -> Vec<u8> {
        [SIGNING_CONTEXT, payload].concat()
    }

    /// The poster's URL on `origin` (such as `https://tokhai.example.vn`), with `signature` made
    /// over [`Poster::signed_message`] of [`Poster::encode`].
    pub fn url(&self, origin: &str, signature: &[u8; SIGNATURE_LEN]) -> String {
        format!(
            "{}{PATH}#{VERSION}.{}.{}",
            origin.trim_end_matches('/'),
            URL_SAFE_NO_PAD.encode(self.encode()),
            URL_SAFE_NO_PAD.encode(signature)
        )
    }
}

/// A poster code read from a QR or typed link, not yet verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScannedPoster {
    pub poster: Poster,
    payload: Vec<u8>,
    signature: [u8; SIGNATURE_LEN],
}

impl ScannedPoster {
    /// Reads a whole URL (any origin: the code is self-certifying) or just the part after `#`.
    pub fn parse(text: &str) -> Result<ScannedPoster, PosterError> {
        let text = text.trim();
        let code = match text.split_once('#') {
            Some((before, code)) if before.ends_with(PATH) => code,
            Some(_) => return Err(PosterError::NotAPoster),
            None => text,
        };
        let mut parts = code.split('.');
        let (Some(version), Some(payload), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(PosterError::NotAPoster);
        };
        if version != VERSION.to_string() {
            return Err(PosterError::UnsupportedVersion(
                version.chars().take(8).collect(),
            ));
        }
        // A cut signature is told apart from a damaged one before decoding.
        if signature.len() < SIGNATURE_TEXT_LEN {
            return Err(PosterError::Truncated);
        }
        let payload = URL_SAFE_NO_PAD
            .decode(payload)
            .map_err(|_| PosterError::BadEncoding)?;
        let signature = URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|_| PosterError::BadEncoding)?;
        let signature: [u8; SIGNATURE_LEN] =
            signature.try_into().map_err(|_| PosterError::Malformed)?;
        Ok(ScannedPoster {
            poster: Poster::decode(&payload)?,
            payload,
            signature,
        })
    }

    /// The poster, if one of `keys` signed it.
    pub fn verify(self, keys: &VenueKeys) -> Result<Poster, PosterError> {
        let key = keys
            .get(self.poster.key_id)
            .ok_or(PosterError::UnknownKey(self.poster.key_id))?;
        key.verify_strict(
            &Poster::signed_message(&self.payload),
            &Signature::from_bytes(&self.signature),
        )
        .map_err(|_| PosterError::BadSignature)?;
        Ok(self.poster)
    }
}

/// What a server key signs: venue posters, personal passes or the exposure list (DESIGN.md §5).
/// The sets are separate, with key ids of their own.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum KeyUse {
    /// Keys kept on devices before passes existed carry no use: they are venue keys.
    #[default]
    Venue,
    Pass,
    /// The published list of exposure events (DESIGN.md §3.5).
    Exposure,
}

/// One public server key as `/api/v1/keys` serves it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicKey {
    pub key_id: u16,
    /// The 32-byte Ed25519 public key, base64url without padding.
    pub public_key: String,
    #[serde(default, rename = "use")]
    pub key_use: KeyUse,
}

impl PublicKey {
    /// The key, if it is a valid Ed25519 point.
    pub fn verifying_key(&self) -> Option<VerifyingKey> {
        let bytes: [u8; 32] = URL_SAFE_NO_PAD
            .decode(&self.public_key)
            .ok()?
            .try_into()
            .ok()?;
        VerifyingKey::from_bytes(&bytes).ok()
    }
}

/// The venue keys a verifier trusts, by key id.
#[derive(Debug, Clone, Default)]
pub struct VenueKeys {
    keys: HashMap<u16, VerifyingKey>,
}

impl VenueKeys {
    /// The usable venue keys among `published`; pass keys and malformed entries are skipped.
    pub fn from_published(published: &[PublicKey]) -> VenueKeys {
        let keys = published
            .iter()
            .filter(|key| key.key_use == KeyUse::Venue)
            .filter_map(|key| Some((key.key_id, key.verifying_key()?)))
            .collect();
        VenueKeys { keys }
    }

    pub fn get(&self, key_id: u16) -> Option<&VerifyingKey> {
        self.keys.get(&key_id)
    }
}

/// The longest prefix of `text` of at most `max` bytes that ends on a character boundary.
pub fn truncate_utf8(text: &str, max: usize) -> &str {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::{Signer, SigningKey};
    use proptest::prelude::*;

    fn key(seed: u8) -> SigningKey {
        SigningKey::from_bytes(&[seed; 32])
    }

    fn published(key_id: u16, key: &SigningKey) -> PublicKey {
        PublicKey {
            key_id,
            public_key: URL_SAFE_NO_PAD.encode(key.verifying_key().as_bytes()),
            key_use: KeyUse::Venue,
        }
    }

    fn sample() -> Poster {
        Poster {
            venue_id: [0xA5; 16],
            key_id: 3,
            issued_at_s: 1_795_000_000,
            province: 79,
            ward: 26_740,
            venue_type: VenueType::Market,
            default_stay_minutes: 45,
            short_name: "Chợ Bến Thành cổng 1".into(),
        }
    }

    fn signed_url(poster: &Poster, key: &SigningKey) -> String {
        let signature = key.sign(&Poster::signed_message(&poster.encode()));
        poster.url("https://tokhai.example.vn", &signature.to_bytes())
    }

    fn keys() -> VenueKeys {
        VenueKeys::from_published(&[published(3, &key(7))])
    }

    #[test]
    fn type_names_match_the_wire_format() {
        for kind in VenueType::ALL {
            let json = serde_json::to_value(kind).unwrap();
            assert_eq!(json, kind.name());
            assert_eq!(VenueType::from_name(kind.name()), Some(kind));
            assert_eq!(VenueType::from_code(kind.code()), Some(kind));
        }
    }

    #[test]
    fn a_signed_poster_verifies() {
        let url = signed_url(&sample(), &key(7));
        assert!(url.starts_with("https://tokhai.example.vn/c#1."));
        let scanned = ScannedPoster::parse(&url).unwrap();
        assert_eq!(scanned.verify(&keys()), Ok(sample()));
        let (_, code) = url.split_once('#').unwrap();
        assert_eq!(
            ScannedPoster::parse(code).unwrap().verify(&keys()),
            Ok(sample())
        );
    }

    #[test]
    fn any_flipped_bit_is_refused() {
        let payload = sample().encode();
        let signature = key(7).sign(&Poster::signed_message(&payload)).to_bytes();
        for bit in 0..payload.len() * 8 {
            let mut edited = payload.clone();
            edited[bit / 8] ^= 1 << (bit % 8);
            let code = format!(
                "1.{}.{}",
                URL_SAFE_NO_PAD.encode(&edited),
                URL_SAFE_NO_PAD.encode(signature)
            );
            let verdict = ScannedPoster::parse(&code).and_then(|scanned| scanned.verify(&keys()));
            assert!(verdict.is_err(), "bit {bit} accepted");
        }
        let mut forged = signature;
        forged[10] ^= 0x40;
        let code = format!(
            "1.{}.{}",
            URL_SAFE_NO_PAD.encode(&payload),
            URL_SAFE_NO_PAD.encode(forged)
        );
        assert_eq!(
            ScannedPoster::parse(&code).unwrap().verify(&keys()),
            Err(PosterError::BadSignature)
        );
    }

    #[test]
    fn each_defect_has_its_own_error() {
        let url = signed_url(&sample(), &key(7));
        let truncated = &url[..url.len() - 4];
        assert_eq!(ScannedPoster::parse(truncated), Err(PosterError::Truncated));
        assert_eq!(
            ScannedPoster::parse(&url.replace("#1.", "#2.")),
            Err(PosterError::UnsupportedVersion("2".into()))
        );
        let other_key = signed_url(
            &Poster {
                key_id: 9,
                ..sample()
            },
            &key(8),
        );
        assert_eq!(
            ScannedPoster::parse(&other_key).unwrap().verify(&keys()),
            Err(PosterError::UnknownKey(9))
        );
        let wrong_key = signed_url(&sample(), &key(8));
        assert_eq!(
            ScannedPoster::parse(&wrong_key).unwrap().verify(&keys()),
            Err(PosterError::BadSignature)
        );
        assert_eq!(
            ScannedPoster::parse("https://example.com/#x"),
            Err(PosterError::NotAPoster)
        );
        assert_eq!(
            ScannedPoster::parse(&format!("1.@@.{}", "A".repeat(86))),
            Err(PosterError::BadEncoding)
        );
        assert_eq!(
            ScannedPoster::parse("hello world"),
            Err(PosterError::NotAPoster)
        );
        let mut long = sample().encode();
        long.push(0);
        assert_eq!(Poster::decode(&long), Err(PosterError::Malformed));
        assert_eq!(Poster::decode(&long[..10]), Err(PosterError::Truncated));
    }

    #[test]
    fn short_names_are_cut_on_a_character_boundary() {
        let poster = Poster {
            short_name: "Bệnh viện Đa khoa tỉnh Quảng Ninh — khoa khám bệnh".into(),
            ..sample()
        };
        let decoded = Poster::decode(&poster.encode()).unwrap();
        assert!(decoded.short_name.len() <= SHORT_NAME_MAX_BYTES);
        assert!(poster.short_name.starts_with(&decoded.short_name));
    }

    #[test]
    fn a_typical_poster_fits_qr_version_10_at_level_m() {
        let poster = Poster {
            short_name: "Công ty May Sông Hồng — cổng B".into(),
            ..sample()
        };
        let url = signed_url(&poster, &key(7));
        let code = qrcode::QrCode::with_error_correction_level(url.as_bytes(), qrcode::EcLevel::M)
            .unwrap();
        let qrcode::Version::Normal(version) = code.version() else {
            panic!("micro QR")
        };
        assert!(version <= 10, "version {version} for {} bytes", url.len());
    }

    proptest! {
        #[test]
        fn encode_then_decode_is_identity(
            venue_id in any::<[u8; 16]>(),
            key_id in any::<u16>(),
            issued_at_s in any::<u32>(),
            province in any::<u8>(),
            ward in 0u32..0x100_0000,
            type_index in 0usize..VenueType::ALL.len(),
            default_stay_minutes in any::<u16>(),
            short_name in "[^\\p{C}]{0,10}",
        ) {
            let poster = Poster {
                venue_id, key_id, issued_at_s, province, ward,
                venue_type: VenueType::ALL[type_index],
                default_stay_minutes,
                short_name: truncate_utf8(&short_name, SHORT_NAME_MAX_BYTES).to_owned(),
            };
            prop_assert_eq!(Poster::decode(&poster.encode()), Ok(poster));
        }

        #[test]
        fn parsing_never_panics(text in "\\PC{0,300}") {
            if let Ok(scanned) = ScannedPoster::parse(&text) {
                let _ = scanned.verify(&keys());
            }
        }

        #[test]
        fn decoding_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..120)) {
            let _ = Poster::decode(&bytes);
        }
    }
}

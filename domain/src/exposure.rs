//! Exposure events and their matching on the phone (DESIGN.md §3.5): the health authority
//! publishes a signed list of venue ids and time windows; the app matches it against its own
//! visits diary, on the device, and raises each event once. Nothing about a match leaves the
//! phone.
//!
//! The list travels as JSON; its signature covers [`ExposureList::signed_message`], a canonical
//! text written from the list's fields (length-prefixed, so no field can run into the next), so
//! both ends sign and verify the same bytes without a JSON canonical form.

use std::collections::BTreeMap;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ed25519_dalek::Signature;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::diary::DiaryVisit;
use crate::poster::{KeyUse, PublicKey};
use crate::retention::RETENTION_DAYS;
use crate::text::{check_characters, required_line};
use crate::validation::{Checker, ErrorCode, FieldError};

/// A visit that began up to this long after an event's window ended still matches: people linger,
/// and an infected person's air lingers too (Corona-Warn-App's tail).
pub const ARRIVAL_TAIL_MS: i64 = 30 * 60_000;

/// The longest window one event may cover.
pub const LONGEST_WINDOW_MS: i64 = 7 * 86_400_000;

/// The longest advice text, per language.
pub const ADVICE_MAX_CHARS: usize = 1_000;

const DAY_MS: i64 = 86_400_000;

/// What people who were there should do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ExposureLevel {
    /// Watch for symptoms.
    StayAlert,
    /// Get a test.
    GetTested,
    /// Stay home, away from others, and call the hotline.
    Isolate,
}

impl ExposureLevel {
    pub const ALL: [ExposureLevel; 3] = [
        ExposureLevel::StayAlert,
        ExposureLevel::GetTested,
        ExposureLevel::Isolate,
    ];

    /// The name on the wire, in the database and in the signed message.
    pub fn as_str(self) -> &'static str {
        match self {
            ExposureLevel::StayAlert => "stay_alert",
            ExposureLevel::GetTested => "get_tested",
            ExposureLevel::Isolate => "isolate",
        }
    }

    pub fn parse(name: &str) -> Option<ExposureLevel> {
        ExposureLevel::ALL
            .into_iter()
            .find(|level| level.as_str() == name)
    }
}

/// One published exposure event: a venue, a time window and what to do. The venue is named by
/// the ids its posters carried (hex, as the diary keeps them): every poster it had issued by
/// the window's end, since a re-issued poster gives the venue a new id and visits made before
/// keep the old one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExposureEvent {
    pub event_id: Uuid,
    /// Read from a single `venue_id` too: the form kept by devices before posters had several.
    #[serde(alias = "venue_id", deserialize_with = "one_or_many")]
    pub venue_ids: Vec<String>,
    pub starts_at_ms: i64,
    pub ends_at_ms: i64,
    pub level: ExposureLevel,
    pub advice_vi: String,
    pub advice_en: String,
}

fn one_or_many<'de, D: serde::Deserializer<'de>>(input: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(input)? {
        OneOrMany::One(id) => vec![id],
        OneOrMany::Many(ids) => ids,
    })
}

impl ExposureEvent {
    /// Whether `visit` is a visit of this event's venue that overlaps its window, or began up to
    /// [`ARRIVAL_TAIL_MS`] after it ended. A visit that ends exactly when the window starts does
    /// not match. A visit still open at `now_ms` lasts until now, but never past the time it
    /// would close by itself.
    pub fn matches(&self, visit: &DiaryVisit, now_ms: i64) -> bool {
        let left_at_ms = visit.left_at_ms.unwrap_or_else(|| {
            now_ms
                .min(visit.automatic_end_ms())
                .max(visit.arrived_at_ms)
        });
        self.venue_ids.contains(&visit.venue_id)
            && visit.arrived_at_ms <= self.ends_at_ms.saturating_add(ARRIVAL_TAIL_MS)
            && left_at_ms > self.starts_at_ms
    }

    /// The advice in the reader's language: Vietnamese for Vietnamese, English for the others.
    pub fn advice(&self, vietnamese: bool) -> &str {
        if vietnamese {
            &self.advice_vi
        } else {
            &self.advice_en
        }
    }
}

/// `GET /api/v1/exposures?since=<version>`: what changed after `since`, up to `version`. A device
/// that has nothing asks from 0 and gets every live event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExposureList {
    pub since: i64,
    pub version: i64,
    /// Events published or edited after `since`.
    pub events: Vec<ExposureEvent>,
    /// Events withdrawn after `since`: devices forget them, and never alert for them.
    pub withdrawn: Vec<Uuid>,
}

/// Writes `text` as `<byte length>:<text>`, so a field can hold any character.
fn push_text(message: &mut String, text: &str) {
    message.push_str(&text.len().to_string());
    message.push(':');
    message.push_str(text);
    message.push('\n');
}

impl ExposureList {
    /// The bytes the server signs.
    pub fn signed_message(&self) -> Vec<u8> {
        let mut message = format!("tokhai/exposures/v1\n{}\n{}\n", self.since, self.version);
        for event in &self.events {
            message.push_str(&format!(
                "E {} {} {} {}\n",
                event.event_id,
                event.starts_at_ms,
                event.ends_at_ms,
                event.level.as_str()
            ));
            message.push_str(&format!("{}\n", event.venue_ids.len()));
            for venue_id in &event.venue_ids {
                push_text(&mut message, venue_id);
            }
            push_text(&mut message, &event.advice_vi);
            push_text(&mut message, &event.advice_en);
        }
        for id in &self.withdrawn {
            message.push_str(&format!("W {id}\n"));
        }
        message.into_bytes()
    }
}

/// The list as served: with the key id and the Ed25519 signature (base64url) of its signed
/// message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignedExposureList {
    #[serde(flatten)]
    pub list: ExposureList,
    pub key_id: u16,
    pub signature: String,
}

/// Why a served list was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ExposureListError {
    #[error("no exposure key {0} is known")]
    UnknownKey(u16),
    #[error("the signature does not verify")]
    BadSignature,
}

impl SignedExposureList {
    /// The list, if an exposure key among `keys` signed it.
    pub fn verify(self, keys: &[PublicKey]) -> Result<ExposureList, ExposureListError> {
        let key = keys
            .iter()
            .filter(|key| key.key_use == KeyUse::Exposure && key.key_id == self.key_id)
            .find_map(PublicKey::verifying_key)
            .ok_or(ExposureListError::UnknownKey(self.key_id))?;
        let signature: [u8; 64] = URL_SAFE_NO_PAD
            .decode(&self.signature)
            .ok()
            .and_then(|bytes| bytes.try_into().ok())
            .ok_or(ExposureListError::BadSignature)?;
        key.verify_strict(
            &self.list.signed_message(),
            &Signature::from_bytes(&signature),
        )
        .map_err(|_| ExposureListError::BadSignature)?;
        Ok(self.list)
    }
}

/// One raised alert: the event, and the visit of the diary that matched it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alert {
    pub event: ExposureEvent,
    pub visit_id: Uuid,
    pub venue_name: String,
    pub arrived_at_ms: i64,
    pub raised_at_ms: i64,
    /// The person said they read it: it is no longer shown as new.
    #[serde(default)]
    pub acknowledged: bool,
}

/// What the phone knows of the published list: the version it has, the live events, the ids of
/// the events it has alerted for (with their window's end, to forget them once past retention)
/// and the alerts it raised.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExposureState {
    pub version: i64,
    pub events: Vec<ExposureEvent>,
    pub alerted: BTreeMap<Uuid, i64>,
    pub alerts: Vec<Alert>,
}

/// Whether an event whose window ended at `ends_at_ms` is past what anyone keeps at `now_ms`.
fn past_retention(ends_at_ms: i64, now_ms: i64) -> bool {
    ends_at_ms < now_ms.saturating_sub((RETENTION_DAYS + 1) * DAY_MS)
}

impl ExposureState {
    /// Takes a verified list. A list that does not continue from this state's version (an old
    /// answer from a cache) is ignored, and `false` returned.
    pub fn apply(&mut self, list: ExposureList, now_ms: i64) -> bool {
        if list.since > self.version || list.version < self.version {
            return false;
        }
        for event in list.events {
            self.events.retain(|kept| kept.event_id != event.event_id);
            self.events.push(event);
        }
        self.events
            .retain(|event| !list.withdrawn.contains(&event.event_id));
        self.version = list.version;
        self.forget_old(now_ms);
        true
    }

    /// Drops events, alert marks and alerts past retention.
    pub fn forget_old(&mut self, now_ms: i64) {
        self.events
            .retain(|event| !past_retention(event.ends_at_ms, now_ms));
        self.alerted
            .retain(|_, ends_at_ms| !past_retention(*ends_at_ms, now_ms));
        self.alerts
            .retain(|alert| !past_retention(alert.event.ends_at_ms, now_ms));
    }

    /// Matches the live events against `diary` and raises the alerts not raised before: one per
    /// event, for its earliest matching visit. They are kept, and returned to be shown.
    pub fn raise(&mut self, diary: &[DiaryVisit], now_ms: i64) -> Vec<Alert> {
        let mut raised = Vec::new();
        for event in &self.events {
            if self.alerted.contains_key(&event.event_id) {
                continue;
            }
            let Some(visit) = diary
                .iter()
                .filter(|visit| event.matches(visit, now_ms))
                .min_by_key(|visit| visit.arrived_at_ms)
            else {
                continue;
            };
            self.alerted.insert(event.event_id, event.ends_at_ms);
            raised.push(Alert {
                event: event.clone(),
                visit_id: visit.id,
                venue_name: visit.venue_name.clone(),
                arrived_at_ms: visit.arrived_at_ms,
                raised_at_ms: now_ms,
                acknowledged: false,
            });
        }
        self.alerts.extend(raised.iter().cloned());
        self.alerts
            .sort_by_key(|alert| std::cmp::Reverse(alert.raised_at_ms));
        raised
    }
}

impl ExposureState {
    /// Alerts the person has not acknowledged yet, newest first.
    pub fn unacknowledged(&self) -> impl Iterator<Item = &Alert> {
        self.alerts.iter().filter(|alert| !alert.acknowledged)
    }

    /// Marks the alert of `event_id` as read.
    pub fn acknowledge(&mut self, event_id: Uuid) {
        for alert in &mut self.alerts {
            if alert.event.event_id == event_id {
                alert.acknowledged = true;
            }
        }
    }
}

/// The level's instruction, said to the person alerted.
impl ExposureLevel {
    pub fn instruction(self) -> crate::i18n::Text {
        use crate::i18n::Text;
        match self {
            ExposureLevel::StayAlert => Text::ExposureStayAlert,
            ExposureLevel::GetTested => Text::ExposureGetTested,
            ExposureLevel::Isolate => Text::ExposureIsolate,
        }
    }

    /// The level's name, as officers choose it.
    pub fn label(self) -> crate::i18n::Text {
        use crate::i18n::Text;
        match self {
            ExposureLevel::StayAlert => Text::LevelStayAlert,
            ExposureLevel::GetTested => Text::LevelGetTested,
            ExposureLevel::Isolate => Text::LevelIsolate,
        }
    }
}

/// Field names of [`ExposureDraft`], as its errors name them.
pub mod field {
    pub const VENUE: &str = "venue_id";
    pub const STARTS: &str = "starts_at_ms";
    pub const ENDS: &str = "ends_at_ms";
    pub const ADVICE_VI: &str = "advice_vi";
    pub const ADVICE_EN: &str = "advice_en";
}

/// `POST /api/v1/officer/exposures` and `PUT …/{id}`: an event as an officer writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ExposureDraft {
    /// The venue's id as the officer's venue search lists it.
    pub venue_id: Uuid,
    pub starts_at_ms: i64,
    pub ends_at_ms: i64,
    pub level: ExposureLevel,
    pub advice_vi: String,
    pub advice_en: String,
}

impl ExposureDraft {
    /// The draft with its advice cleaned, or every refused field. The window must end after it
    /// starts, last at most [`LONGEST_WINDOW_MS`], not start in the future and end within what
    /// diaries keep.
    pub fn validate(&self, now_ms: i64) -> Result<ExposureDraft, Vec<FieldError>> {
        let mut checker = Checker::default();
        let oldest = now_ms.saturating_sub(RETENTION_DAYS * DAY_MS);
        checker.check(
            field::STARTS,
            if self.starts_at_ms > now_ms {
                Err(ErrorCode::DeviceClockAhead)
            } else {
                Ok(())
            },
        );
        checker.check(
            field::ENDS,
            if self.ends_at_ms <= self.starts_at_ms
                || self.ends_at_ms.saturating_sub(self.starts_at_ms) > LONGEST_WINDOW_MS
            {
                Err(ErrorCode::OutOfRange {
                    min: self.starts_at_ms.saturating_add(1),
                    max: self.starts_at_ms.saturating_add(LONGEST_WINDOW_MS),
                })
            } else if self.ends_at_ms < oldest {
                Err(ErrorCode::PastRetention {
                    days: RETENTION_DAYS,
                })
            } else {
                Ok(())
            },
        );
        let advice = |text: &str| {
            check_characters(text)?;
            if text.chars().count() > ADVICE_MAX_CHARS {
                return Err(ErrorCode::TooLong {
                    max: ADVICE_MAX_CHARS,
                });
            }
            required_line(text, ADVICE_MAX_CHARS).map(|_| text.trim().to_owned())
        };
        let advice_vi = checker.check(field::ADVICE_VI, advice(&self.advice_vi));
        let advice_en = checker.check(field::ADVICE_EN, advice(&self.advice_en));
        checker.finish(|| {
            Some(ExposureDraft {
                advice_vi: advice_vi?,
                advice_en: advice_en?,
                ..self.clone()
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::parse_local_input;
    use crate::diary::Departure;
    use ed25519_dalek::{Signer, SigningKey};
    use proptest::prelude::*;

    const MINUTE: i64 = 60_000;

    fn at(local: &str) -> i64 {
        parse_local_input(local).expect("a Vietnam local time")
    }

    fn visit(venue: &str, arrived_at_ms: i64, left_at_ms: Option<i64>) -> DiaryVisit {
        DiaryVisit {
            id: Uuid::new_v4(),
            venue_id: venue.into(),
            venue_name: "Chợ Bến Thành".into(),
            poster: String::new(),
            default_stay_minutes: 120,
            attendees: Vec::new(),
            on_behalf: false,
            arrived_at_ms,
            left_at_ms,
            departure: left_at_ms.map(|_| Departure::Button),
            last_scan_at_ms: arrived_at_ms,
        }
    }

    fn event(venue: &str, starts_at_ms: i64, ends_at_ms: i64) -> ExposureEvent {
        ExposureEvent {
            event_id: Uuid::new_v4(),
            venue_ids: vec![venue.into()],
            starts_at_ms,
            ends_at_ms,
            level: ExposureLevel::GetTested,
            advice_vi: "Đi xét nghiệm".into(),
            advice_en: "Get tested".into(),
        }
    }

    #[test]
    fn a_visit_ending_exactly_when_the_window_starts_does_not_match() {
        let start = at("2026-12-03T10:00");
        let exposure = event("ab", start, start + 60 * MINUTE);
        let now = start + 600 * MINUTE;
        assert!(!exposure.matches(&visit("ab", start - 60 * MINUTE, Some(start)), now));
        assert!(exposure.matches(&visit("ab", start - 60 * MINUTE, Some(start + 1)), now));
    }

    #[test]
    fn arriving_29_minutes_after_the_end_matches_and_31_does_not() {
        let start = at("2026-12-03T10:00");
        let end = start + 60 * MINUTE;
        let exposure = event("ab", start, end);
        let now = end + 600 * MINUTE;
        let arriving = |minutes: i64| {
            visit(
                "ab",
                end + minutes * MINUTE,
                Some(end + (minutes + 20) * MINUTE),
            )
        };
        assert!(exposure.matches(&arriving(29), now));
        assert!(exposure.matches(&arriving(30), now));
        assert!(!exposure.matches(&arriving(31), now));
    }

    #[test]
    fn another_venue_never_matches() {
        let start = at("2026-12-03T10:00");
        let exposure = event("ab", start, start + 60 * MINUTE);
        assert!(!exposure.matches(&visit("cd", start, Some(start + 30 * MINUTE)), start));
    }

    #[test]
    fn an_open_visit_lasts_until_now_but_not_past_its_automatic_end() {
        let arrived = at("2026-12-03T08:00");
        let open = visit("ab", arrived, None);
        // Still there at 09:00: a window 08:30–09:30 matches.
        let window = event("ab", at("2026-12-03T08:30"), at("2026-12-03T09:30"));
        assert!(window.matches(&open, at("2026-12-03T09:00")));
        // But at 08:20 the visit has only lasted until 08:20.
        assert!(!window.matches(&open, at("2026-12-03T08:20")));
        // Forgotten: the 120-minute default stay closed it at 10:00, so 10:30–11:00 does not
        // match even at 12:00 (arrival is not within 30 minutes of the end either).
        let later = event("ab", at("2026-12-03T10:30"), at("2026-12-03T11:00"));
        assert!(!later.matches(&open, at("2026-12-03T12:00")));
    }

    #[test]
    fn visits_across_midnight_match_windows_on_either_day() {
        let night = visit("ab", at("2026-12-03T23:00"), Some(at("2026-12-04T01:30")));
        let now = at("2026-12-05T08:00");
        assert!(event("ab", at("2026-12-04T01:00"), at("2026-12-04T02:00")).matches(&night, now));
        assert!(event("ab", at("2026-12-03T22:00"), at("2026-12-03T23:10")).matches(&night, now));
        assert!(!event("ab", at("2026-12-04T01:30"), at("2026-12-04T03:00")).matches(&night, now));
    }

    #[test]
    fn windows_are_vietnam_time_seven_hours_ahead_of_utc() {
        // 10:00 in Hanoi is 03:00 UTC.
        assert_eq!(at("2026-12-03T10:00"), 1_796_266_800_000);
        let exposure = event("ab", at("2026-12-03T10:00"), at("2026-12-03T11:00"));
        // A visit 03:30–03:45 UTC is 10:30–10:45 in Hanoi: inside.
        let utc = |h: i64, m: i64| 1_796_256_000_000 + (h * 60 + m) * MINUTE;
        let inside = visit("ab", utc(3, 30), Some(utc(3, 45)));
        assert!(exposure.matches(&inside, utc(12, 0)));
        // 10:30–10:45 UTC would be 17:30 in Hanoi: outside.
        let outside = visit("ab", utc(10, 30), Some(utc(10, 45)));
        assert!(!exposure.matches(&outside, utc(12, 0)));
    }

    #[test]
    fn an_event_seen_twice_alerts_once_and_a_withdrawn_one_never() {
        let start = at("2026-12-03T10:00");
        let diary = vec![visit("ab", start, Some(start + 30 * MINUTE))];
        let exposure = event("ab", start, start + 60 * MINUTE);
        let withdrawn = event("ab", start, start + 60 * MINUTE);
        let now = start + 120 * MINUTE;
        let mut state = ExposureState::default();
        assert!(state.apply(
            ExposureList {
                since: 0,
                version: 2,
                events: vec![exposure.clone()],
                withdrawn: vec![],
            },
            now
        ));
        assert_eq!(state.raise(&diary, now).len(), 1);
        // The same event again (a full list fetched afresh), and an edit of it: no new alert.
        let edited = ExposureEvent {
            advice_en: "Get tested today".into(),
            ..exposure.clone()
        };
        assert!(state.apply(
            ExposureList {
                since: 2,
                version: 3,
                events: vec![edited],
                withdrawn: vec![],
            },
            now
        ));
        assert!(state.raise(&diary, now).is_empty());
        assert_eq!(state.alerts.len(), 1);
        assert_eq!(state.events.len(), 1);
        assert_eq!(state.unacknowledged().count(), 1);
        state.acknowledge(exposure.event_id);
        assert_eq!(state.unacknowledged().count(), 0);
        assert_eq!(state.alerts.len(), 1, "still listed, as read");
        // Published and withdrawn before this device synced: it never alerts.
        assert!(state.apply(
            ExposureList {
                since: 3,
                version: 5,
                events: vec![withdrawn.clone()],
                withdrawn: vec![withdrawn.event_id],
            },
            now
        ));
        assert!(state.raise(&diary, now).is_empty());
        assert_eq!(state.events.len(), 1);
    }

    #[test]
    fn an_old_answer_from_a_cache_is_not_applied() {
        let mut state = ExposureState {
            version: 7,
            ..ExposureState::default()
        };
        let old = ExposureList {
            since: 0,
            version: 5,
            events: vec![],
            withdrawn: vec![],
        };
        assert!(!state.apply(old, 0));
        let gap = ExposureList {
            since: 9,
            version: 12,
            events: vec![],
            withdrawn: vec![],
        };
        assert!(!state.apply(gap, 0));
        assert_eq!(state.version, 7);
    }

    #[test]
    fn alerts_and_events_are_forgotten_past_retention() {
        let start = at("2026-11-01T10:00");
        let diary = vec![visit("ab", start, Some(start + 30 * MINUTE))];
        let mut state = ExposureState::default();
        state.apply(
            ExposureList {
                since: 0,
                version: 1,
                events: vec![event("ab", start, start + 60 * MINUTE)],
                withdrawn: vec![],
            },
            start + 120 * MINUTE,
        );
        assert_eq!(state.raise(&diary, start + 120 * MINUTE).len(), 1);
        state.forget_old(start + 30 * DAY_MS);
        assert_eq!(
            state,
            ExposureState {
                version: 1,
                ..ExposureState::default()
            }
        );
    }

    fn signing_key() -> SigningKey {
        SigningKey::from_bytes(&[9; 32])
    }

    fn published(key_use: KeyUse) -> PublicKey {
        PublicKey {
            key_id: 4,
            public_key: URL_SAFE_NO_PAD.encode(signing_key().verifying_key().as_bytes()),
            key_use,
        }
    }

    fn signed(list: ExposureList) -> SignedExposureList {
        let signature = signing_key().sign(&list.signed_message());
        SignedExposureList {
            list,
            key_id: 4,
            signature: URL_SAFE_NO_PAD.encode(signature.to_bytes()),
        }
    }

    fn sample_list() -> ExposureList {
        ExposureList {
            since: 3,
            version: 9,
            events: vec![event("0a1b", 1_000, 2_000)],
            withdrawn: vec![Uuid::nil()],
        }
    }

    #[test]
    fn a_signed_list_verifies_only_with_an_exposure_key_and_unedited() {
        let list = sample_list();
        assert_eq!(
            signed(list.clone()).verify(&[published(KeyUse::Exposure)]),
            Ok(list.clone())
        );
        assert_eq!(
            signed(list.clone()).verify(&[published(KeyUse::Venue)]),
            Err(ExposureListError::UnknownKey(4))
        );
        let mut edited = signed(list.clone());
        edited.list.events[0].ends_at_ms += 1;
        assert_eq!(
            edited.verify(&[published(KeyUse::Exposure)]),
            Err(ExposureListError::BadSignature)
        );
        let mut moved = signed(list.clone());
        moved.list.events[0].advice_vi = "Đi xét nghiệm\n2:ab".into();
        assert_eq!(
            moved.verify(&[published(KeyUse::Exposure)]),
            Err(ExposureListError::BadSignature)
        );
        let mut widened = signed(list);
        widened.list.events[0].venue_ids.push("ffff".into());
        assert_eq!(
            widened.verify(&[published(KeyUse::Exposure)]),
            Err(ExposureListError::BadSignature)
        );
    }

    #[test]
    fn an_event_kept_with_one_venue_id_still_reads() {
        let kept = r#"{"event_id":"7f9c2b1e-4a3d-4c5b-9e8f-1a2b3c4d5e6f","venue_id":"0a0b",
            "starts_at_ms":0,"ends_at_ms":1,"level":"isolate","advice_vi":"a","advice_en":"b"}"#;
        let event: ExposureEvent = serde_json::from_str(kept).unwrap();
        assert_eq!(event.venue_ids, ["0a0b"]);
        let again: ExposureEvent =
            serde_json::from_str(&serde_json::to_string(&event).unwrap()).unwrap();
        assert_eq!(again, event);
    }

    #[test]
    fn a_visit_under_an_earlier_poster_of_the_venue_matches() {
        let start = at("2026-12-03T10:00");
        let exposure = ExposureEvent {
            venue_ids: vec!["new1".into(), "old0".into()],
            ..event("unused", start, start + 60 * MINUTE)
        };
        let now = start + 120 * MINUTE;
        assert!(exposure.matches(&visit("old0", start, Some(start + 10 * MINUTE)), now));
        assert!(exposure.matches(&visit("new1", start, Some(start + 10 * MINUTE)), now));
        assert!(!exposure.matches(&visit("else", start, Some(start + 10 * MINUTE)), now));
    }

    #[test]
    fn the_served_list_is_one_flat_object() {
        let json = serde_json::to_value(signed(sample_list())).unwrap();
        for key in [
            "since",
            "version",
            "events",
            "withdrawn",
            "key_id",
            "signature",
        ] {
            assert!(json.get(key).is_some(), "{key} missing from {json}");
        }
        let back: SignedExposureList = serde_json::from_value(json).unwrap();
        assert!(back.verify(&[published(KeyUse::Exposure)]).is_ok());
    }

    fn draft(now: i64) -> ExposureDraft {
        ExposureDraft {
            venue_id: Uuid::nil(),
            starts_at_ms: now - 3 * 3_600_000,
            ends_at_ms: now - 3_600_000,
            level: ExposureLevel::Isolate,
            advice_vi: "  Cách ly tại nhà  ".into(),
            advice_en: "Stay at home".into(),
        }
    }

    #[test]
    fn drafts_are_checked_field_by_field() {
        let now = at("2026-12-03T12:00");
        assert_eq!(
            draft(now).validate(now).unwrap().advice_vi,
            "Cách ly tại nhà"
        );
        let fields = |draft: ExposureDraft| -> Vec<String> {
            draft
                .validate(now)
                .unwrap_err()
                .into_iter()
                .map(|error| error.field)
                .collect()
        };
        let backwards = ExposureDraft {
            ends_at_ms: now - 4 * 3_600_000,
            ..draft(now)
        };
        assert_eq!(fields(backwards), [field::ENDS]);
        let future = ExposureDraft {
            starts_at_ms: now + 60_000,
            ends_at_ms: now + 120_000,
            ..draft(now)
        };
        assert_eq!(fields(future), [field::STARTS]);
        let long = ExposureDraft {
            starts_at_ms: now - 8 * DAY_MS,
            ..draft(now)
        };
        assert_eq!(fields(long), [field::ENDS]);
        let old = ExposureDraft {
            starts_at_ms: now - 30 * DAY_MS,
            ends_at_ms: now - 29 * DAY_MS,
            ..draft(now)
        };
        assert_eq!(fields(old), [field::ENDS]);
        let empty = ExposureDraft {
            advice_vi: " ".into(),
            advice_en: "a\u{202e}b".into(),
            ..draft(now)
        };
        assert_eq!(fields(empty), [field::ADVICE_VI, field::ADVICE_EN]);
    }

    proptest! {
        #[test]
        fn matching_agrees_with_interval_overlap(
            arrived in 0i64..10_000,
            stay in 0i64..500,
            start in 0i64..10_000,
            length in 1i64..500,
        ) {
            let scale = MINUTE;
            let exposure = event("ab", start * scale, (start + length) * scale);
            let closed = visit("ab", arrived * scale, Some((arrived + stay) * scale));
            let expected = arrived + stay > start && arrived <= start + length + 30;
            prop_assert_eq!(exposure.matches(&closed, i64::MAX / 2), expected);
        }

        #[test]
        fn raising_twice_never_raises_again(
            windows in proptest::collection::vec((0i64..2_000, 1i64..300), 0..8),
            visits in proptest::collection::vec((0i64..2_000, 0i64..300), 0..8),
        ) {
            let diary: Vec<DiaryVisit> = visits
                .iter()
                .map(|(a, s)| visit("ab", a * MINUTE, Some((a + s) * MINUTE)))
                .collect();
            let events: Vec<ExposureEvent> = windows
                .iter()
                .map(|(s, l)| event("ab", s * MINUTE, (s + l) * MINUTE))
                .collect();
            let now = 3_000 * MINUTE;
            let mut state = ExposureState::default();
            state.apply(ExposureList { since: 0, version: 1, events: events.clone(), withdrawn: vec![] }, now);
            let first = state.raise(&diary, now);
            let expected = events
                .iter()
                .filter(|event| diary.iter().any(|visit| event.matches(visit, now)))
                .count();
            prop_assert_eq!(first.len(), expected);
            prop_assert!(state.raise(&diary, now).is_empty());
        }
    }
}

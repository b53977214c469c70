//! Gate mode (DESIGN.md §4): staff at a control point scan visitors' personal passes, or the QR
//! code on the back of a chip ID card (CCCD) for a visitor without a phone; each admitted visitor
//! is recorded through the outbox as an arrival, and a later scan of the same pass or card as
//! the departure. The rules of which scan is which, how many people are in, and what of an ID
//! card is kept (masked, never the address) are here so that the gate screen, its tests and the
//! server agree.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::date::{Date, VIETNAM_OFFSET_MINUTES};
use crate::pass::{self, GateKeys, Verdict};
use crate::validation::{Checker, ErrorCode, FieldError};
use crate::visit::{mask_document, mask_name, mask_phone, Direction, VisitEvent};

/// The `kind` of gate scans.
pub const GATE_SCAN_KIND: &str = "gate_scan";
/// Longest pass code accepted: a live pass fits QR version 10 (311 alphanumeric characters at
/// level M).
pub const PASS_CODE_MAX_CHARS: usize = 400;
/// A pass seen again this soon is the same presentation (the camera keeps seeing the phone),
/// not the visitor leaving.
pub const REPEAT_WITHIN_MS: i64 = 60_000;
/// Longest stay a second scan closes (a long factory shift); a scan after an arrival older than
/// this is a new arrival.
pub const LONGEST_STAY_MS: i64 = 16 * 60 * 60 * 1000;

/// Longest masked name kept from an ID card.
pub const MASKED_NAME_MAX_CHARS: usize = 80;

/// One admitted visitor at a gate, sent through the outbox by the staff member's device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct GateScan {
    /// The control point the staff member stands at.
    pub venue_id: Uuid,
    pub visitor: GateVisitor,
    /// Shared by the arrival and the departure of one visit.
    pub visit_id: Uuid,
    pub direction: Direction,
}

/// Who was scanned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum GateVisitor {
    /// The pass as scanned (`P1.…`); the server verifies it again at the scan's time.
    Pass(String),
    /// A chip ID card's QR code, as the visitor list shows it: masked on the gate's device
    /// before it is saved, so neither the device nor the server ever holds the full name, the
    /// number or the address.
    IdCard {
        masked_name: String,
        masked_id_number: String,
    },
    /// A visitor without a phone at hand, found by their phone number's latest declaration and
    /// confirmed with a one-time code sent to it. Recorded by the server itself
    /// (`/api/v1/venues/{id}/gate/phone/confirm`), never accepted from a device.
    Phone {
        masked_name: String,
        masked_phone: String,
    },
    /// A visitor without a phone whom the staff member declared for on the spot, on the gate's
    /// own device (DESIGN.md §4): the declaration (its submission id, queued in the same outbox
    /// just before this scan) and its masked name. Like an ID card, the staff member's word.
    Declared {
        declaration_id: Uuid,
        masked_name: String,
    },
}

/// `POST /api/v1/venues/{id}/gate/phone` (202) and `…/gate/phone/confirm` (201): the visitor a
/// phone number names, as the visitor list shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PhoneVisitor {
    pub masked_name: String,
    pub masked_phone: String,
}

impl PhoneVisitor {
    /// The visitor `full_name` declared with `phone`, masked.
    pub fn of(full_name: &str, phone: &str) -> PhoneVisitor {
        PhoneVisitor {
            masked_name: mask_name(full_name),
            masked_phone: mask_phone(phone),
        }
    }

    pub fn visitor(&self) -> GateVisitor {
        GateVisitor::Phone {
            masked_name: self.masked_name.clone(),
            masked_phone: self.masked_phone.clone(),
        }
    }
}

/// `POST /api/v1/venues/{id}/gate/phone/confirm`: the one-time code the visitor received, and
/// the arrival or departure the gate records with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PhoneCheckIn {
    pub phone: String,
    pub code: String,
    pub visit_id: Uuid,
    pub direction: Direction,
}

impl GateVisitor {
    /// What tells this visitor's scans apart at one gate: the pass id, or the masked card.
    /// `None` for a code that holds no credential.
    pub fn key(&self) -> Option<String> {
        match self {
            GateVisitor::Pass(code) => pass::credential_in(code)
                .map(|credential| format!("pass:{}", credential.pass_id_hex())),
            GateVisitor::IdCard {
                masked_name,
                masked_id_number,
            } => Some(format!("card:{masked_id_number}:{masked_name}")),
            GateVisitor::Phone {
                masked_name,
                masked_phone,
            } => Some(format!("phone:{masked_phone}:{masked_name}")),
            GateVisitor::Declared { declaration_id, .. } => {
                Some(format!("declared:{declaration_id}"))
            }
        }
    }
}

/// How long a declaration started from a gate for a visitor stays on its way back to that gate:
/// a staff member who gives up half way does not send the next profile made on the device there.
pub const GATE_PROXY_WITHIN_MS: i64 = 30 * 60 * 1000;

/// Staff declaring on the spot for a visitor without a phone (DESIGN.md §4): started at a gate,
/// it goes through a new profile and its declaration on the same device, then back to the gate,
/// which records the visitor and deletes the profile (a stranger's data is not kept on a staff
/// phone; the queued declaration goes to the server as any other).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GateProxy {
    pub venue_id: Uuid,
    pub started_at_ms: i64,
    /// The visitor's profile, once made: only its declaration goes back to the gate, so a staff
    /// member's own profile, or one made after giving up, is never taken for the visitor's.
    pub profile_id: Option<Uuid>,
    /// Set once the declaration is queued.
    pub declared: Option<ProxyDeclared>,
}

/// The declaration made at a gate, as the gate records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProxyDeclared {
    /// The visitor's profile on the staff device, deleted once recorded.
    pub profile_id: Uuid,
    pub declaration_id: Uuid,
    pub masked_name: String,
}

impl GateProxy {
    pub fn start(venue_id: Uuid, now_ms: i64) -> GateProxy {
        GateProxy {
            venue_id,
            started_at_ms: now_ms,
            profile_id: None,
            declared: None,
        }
    }

    /// Whether the declaration is still on its way back to the gate at `now_ms`.
    pub fn active(&self, now_ms: i64) -> bool {
        (0..GATE_PROXY_WITHIN_MS).contains(&(now_ms - self.started_at_ms))
    }

    /// Whether a new profile made at `now_ms` is the visitor's.
    pub fn awaits_profile(&self, now_ms: i64) -> bool {
        self.active(now_ms) && self.profile_id.is_none()
    }

    /// The visitor's profile was made.
    pub fn with_profile(self, profile_id: Uuid) -> GateProxy {
        GateProxy {
            profile_id: Some(profile_id),
            ..self
        }
    }

    /// Whether a declaration for `profile_id` at `now_ms` is the visitor's.
    pub fn declares_for(&self, profile_id: Uuid, now_ms: i64) -> bool {
        self.active(now_ms) && self.profile_id == Some(profile_id) && self.declared.is_none()
    }

    /// The declaration `declaration_id` was queued for the visitor, `full_name`.
    pub fn declared(self, declaration_id: Uuid, full_name: &str) -> GateProxy {
        GateProxy {
            declared: self.profile_id.map(|profile_id| ProxyDeclared {
                profile_id,
                declaration_id,
                masked_name: mask_name(full_name),
            }),
            ..self
        }
    }

    /// What the gate at `venue_id` records at `now_ms`: the declared visitor, once.
    pub fn to_record(&self, venue_id: Uuid, now_ms: i64) -> Option<&ProxyDeclared> {
        self.declared
            .as_ref()
            .filter(|_| self.venue_id == venue_id && self.active(now_ms))
    }
}

impl ProxyDeclared {
    pub fn visitor(&self) -> GateVisitor {
        GateVisitor::Declared {
            declaration_id: self.declaration_id,
            masked_name: self.masked_name.clone(),
        }
    }
}

/// A masked name a device sends: masked as the visitor list masks it, short, and plain text.
fn check_masked_name(checker: &mut Checker, field: &str, masked_name: &str) {
    checker.check(
        field,
        if masked_name.chars().count() > MASKED_NAME_MAX_CHARS {
            Err(ErrorCode::TooLong {
                max: MASKED_NAME_MAX_CHARS,
            })
        } else if masked_name.chars().any(char::is_control) {
            Err(ErrorCode::ControlCharacters)
        } else if masked_name.trim().is_empty() || mask_name(masked_name) != *masked_name {
            Err(ErrorCode::InvalidValue)
        } else {
            Ok(())
        },
    );
}

/// What the QR code on the back of a Vietnamese chip ID card (CCCD) holds:
/// `id|old id|full name|DDMMYYYY birth|gender|address|DDMMYYYY issued`. Only what a visitor
/// list shows is read out; the rest (the address above all) is dropped at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdCard {
    pub masked_name: String,
    pub masked_id_number: String,
    pub year_of_birth: i32,
}

/// Why a code is not a chip ID card's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IdCardError {
    #[error("not the QR code of a chip ID card")]
    NotAnIdCard,
}

impl IdCard {
    /// Reads a CCCD QR code; anything else, or a card whose fields are not as printed, is
    /// [`IdCardError::NotAnIdCard`].
    pub fn parse(text: &str) -> Result<IdCard, IdCardError> {
        let fields: Vec<&str> = text.trim().split('|').collect();
        let [id, old_id, name, birth, gender, _address, rest @ ..] = fields.as_slice() else {
            return Err(IdCardError::NotAnIdCard);
        };
        let digits =
            |text: &str, len: usize| text.len() == len && text.bytes().all(|b| b.is_ascii_digit());
        let date = |text: &str| {
            digits(text, 8)
                .then(|| Date::parse(&format!("{}-{}-{}", &text[4..8], &text[2..4], &text[0..2])))
                .flatten()
        };
        let name = name.trim();
        let well_formed = digits(id, 12)
            && (old_id.is_empty() || digits(old_id, 9))
            && !name.is_empty()
            && name.chars().count() <= MASKED_NAME_MAX_CHARS
            && !name.chars().any(char::is_control)
            && ["Nam", "Nữ"].contains(gender)
            && rest.len() <= 1
            && rest.first().is_none_or(|issued| date(issued).is_some());
        let birth = date(birth)
            .filter(|_| well_formed)
            .ok_or(IdCardError::NotAnIdCard)?;
        Ok(IdCard {
            masked_name: mask_name(name),
            masked_id_number: mask_document(id),
            year_of_birth: birth.year(),
        })
    }

    /// The card as a gate records it.
    pub fn visitor(&self) -> GateVisitor {
        GateVisitor::IdCard {
            masked_name: self.masked_name.clone(),
            masked_id_number: self.masked_id_number.clone(),
        }
    }
}

/// Why the server does not record a gate scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScanRefusal {
    /// The pass did not verify at the scan's time; the gate should not have admitted it.
    NotAdmitted,
}

impl GateScan {
    /// Checks that a pass is one in form ([`GateScan::admitted`] checks its signatures), and
    /// that an ID card's fields are masked as the visitor list masks them.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut checker = Checker::default();
        match &self.visitor {
            // Only the server's phone confirmation records these.
            GateVisitor::Phone { .. } => {
                checker.check::<()>("visitor.phone", Err(ErrorCode::UnknownChoice));
            }
            GateVisitor::Pass(code) => {
                checker.check(
                    "visitor.pass",
                    if code.len() > PASS_CODE_MAX_CHARS {
                        Err(ErrorCode::TooLong {
                            max: PASS_CODE_MAX_CHARS,
                        })
                    } else if pass::is_pass(code) {
                        Ok(())
                    } else {
                        Err(ErrorCode::UnknownChoice)
                    },
                );
            }
            GateVisitor::IdCard {
                masked_name,
                masked_id_number,
            } => {
                check_masked_name(&mut checker, "visitor.id_card.masked_name", masked_name);
                checker.check(
                    "visitor.id_card.masked_id_number",
                    if mask_document(masked_id_number) == *masked_id_number
                        && masked_id_number.len() == 9
                    {
                        Ok(())
                    } else {
                        Err(ErrorCode::InvalidValue)
                    },
                );
            }
            GateVisitor::Declared { masked_name, .. } => {
                check_masked_name(&mut checker, "visitor.declared.masked_name", masked_name);
            }
        }
        checker.finish(|| Some(()))
    }

    /// Whether the visitor was admitted when scanned at `scanned_at_ms`: a pass valid then, live
    /// or printed (expired, pending and invalid passes are turned away, not recorded); an ID card
    /// is the staff member's word, with the card in their hand, and so is a declaration made at
    /// the gate.
    pub fn admitted(&self, keys: &GateKeys, scanned_at_ms: i64) -> Result<(), ScanRefusal> {
        let GateVisitor::Pass(code) = &self.visitor else {
            return Ok(());
        };
        match pass::verdict(code, keys, scanned_at_ms.div_euclid(1000)) {
            Verdict::Valid { .. } => Ok(()),
            _ => Err(ScanRefusal::NotAdmitted),
        }
    }

    /// The scan as a venue's visitor list shows it: the pass's masked name and nothing else,
    /// since the pass carries nothing else; an ID card's masked name and number; a phone's masked
    /// name and number. `None` for a
    /// code that holds no credential (never stored: the server verified it).
    pub fn event(&self, at_ms: i64) -> Option<VisitEvent> {
        let (name, phone, id_number) = match &self.visitor {
            GateVisitor::Pass(code) => (pass::credential_in(code)?.masked_name, None, None),
            GateVisitor::IdCard {
                masked_name,
                masked_id_number,
            } => (masked_name.clone(), None, Some(masked_id_number.clone())),
            GateVisitor::Phone {
                masked_name,
                masked_phone,
            } => (masked_name.clone(), Some(masked_phone.clone()), None),
            GateVisitor::Declared { masked_name, .. } => (masked_name.clone(), None, None),
        };
        Some(VisitEvent {
            visit_id: self.visit_id,
            direction: self.direction,
            at_ms,
            name,
            phone,
            id_number,
        })
    }
}

/// What the gate does with an admitted pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GateStep {
    /// Record this arrival or departure.
    Record {
        visit_id: Uuid,
        direction: Direction,
    },
    /// Just recorded: the same presentation, nothing new to record.
    AlreadyRecorded(Direction),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct LoggedScan {
    /// [`GateVisitor::key`].
    visitor: String,
    visit_id: Uuid,
    direction: Direction,
    at_ms: i64,
}

/// The scans one gate recorded recently, newest last: enough to tell an arrival from a
/// departure and to count the people in. Scans older than the longest stay are dropped, so a
/// gate left running for days does not grow.
/// It holds pass ids (pseudonymous), masked cards and times only, so the gate device may keep
/// it between reloads.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GateLog {
    scans: Vec<LoggedScan>,
}

impl GateLog {
    /// What a scan of `visitor` ([`GateVisitor::key`]) at `now_ms` records; `new_visit_id`
    /// names the visit if it is an arrival.
    pub fn step(&self, visitor: &str, now_ms: i64, new_visit_id: Uuid) -> GateStep {
        let last = self.scans.iter().rev().find(|scan| scan.visitor == visitor);
        match last {
            Some(last) if now_ms - last.at_ms < REPEAT_WITHIN_MS => {
                GateStep::AlreadyRecorded(last.direction)
            }
            Some(last)
                if last.direction == Direction::Arrival
                    && now_ms - last.at_ms < LONGEST_STAY_MS =>
            {
                GateStep::Record {
                    visit_id: last.visit_id,
                    direction: Direction::Departure,
                }
            }
            _ => GateStep::Record {
                visit_id: new_visit_id,
                direction: Direction::Arrival,
            },
        }
    }

    /// Notes a recorded scan.
    pub fn record(&mut self, visitor: String, visit_id: Uuid, direction: Direction, at_ms: i64) {
        self.scans.push(LoggedScan {
            visitor,
            visit_id,
            direction,
            at_ms,
        });
        self.forget_before(at_ms - LONGEST_STAY_MS);
    }

    fn forget_before(&mut self, oldest_ms: i64) {
        self.scans.retain(|scan| scan.at_ms >= oldest_ms);
    }

    /// What admitting `visitor` at `venue_id` at `now_ms` records: its step, and the scan to save
    /// unless it was just recorded. `new_visit_id` names the visit if it is an arrival.
    pub fn admit(
        &self,
        venue_id: Uuid,
        visitor: GateVisitor,
        now_ms: i64,
        new_visit_id: Uuid,
    ) -> (GateStep, Option<GateScan>) {
        let step = self.step(&visitor.key().unwrap_or_default(), now_ms, new_visit_id);
        let scan = match step {
            GateStep::Record {
                visit_id,
                direction,
            } => Some(GateScan {
                venue_id,
                visitor,
                visit_id,
                direction,
            }),
            GateStep::AlreadyRecorded(_) => None,
        };
        (step, scan)
    }

    /// How many people are in at `now_ms` today, in Vietnam time (as the visitor list's days are).
    pub fn people_in_today(&self, now_ms: i64) -> usize {
        let day_start_ms = Date::from_unix_ms(now_ms, VIETNAM_OFFSET_MINUTES)
            .start_unix_ms(VIETNAM_OFFSET_MINUTES);
        self.people_in(now_ms, day_start_ms)
    }

    /// How many people are in at `now_ms`: visitors whose last scan is an arrival since
    /// `day_start_ms` (the gate's day) and within the longest stay.
    pub fn people_in(&self, now_ms: i64, day_start_ms: i64) -> usize {
        let mut seen: Vec<&str> = Vec::new();
        let mut inside = 0;
        for scan in self.scans.iter().rev() {
            if seen.contains(&scan.visitor.as_str()) {
                continue;
            }
            seen.push(&scan.visitor);
            if scan.direction == Direction::Arrival
                && scan.at_ms >= day_start_ms
                && now_ms - scan.at_ms < LONGEST_STAY_MS
            {
                inside += 1;
            }
        }
        inside
    }

    /// How many scans it holds.
    pub fn len(&self) -> usize {
        self.scans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.scans.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pass::{Credential, Holder, PASS_ID_LEN};

    const NOW_MS: i64 = 1_796_000_000_000;
    const MINUTE: i64 = 60_000;

    fn card_code(pass_id: u8, name: &str) -> String {
        Credential {
            pass_id: [pass_id; PASS_ID_LEN],
            key_id: 1,
            valid_from_s: 1_795_000_000,
            valid_until_s: 1_797_000_000,
            masked_name: name.into(),
            holder: Holder::Card,
        }
        .signed(&[0; 64])
        .card_code()
    }

    fn scan(venue: u128, pass_id: u8, visit: u128, direction: Direction) -> GateScan {
        GateScan {
            venue_id: Uuid::from_u128(venue),
            visitor: GateVisitor::Pass(card_code(pass_id, "TRẦN T. B")),
            visit_id: Uuid::from_u128(visit),
            direction,
        }
    }

    #[test]
    fn first_scan_arrives_a_repeat_is_ignored_a_later_scan_leaves_then_arrives_again() {
        let mut log = GateLog::default();
        let pass = "pass:01";
        let first = Uuid::from_u128(10);
        assert_eq!(
            log.step(pass, NOW_MS, first),
            GateStep::Record {
                visit_id: first,
                direction: Direction::Arrival
            }
        );
        log.record(pass.into(), first, Direction::Arrival, NOW_MS);
        assert_eq!(
            log.step(pass, NOW_MS + 30_000, Uuid::from_u128(11)),
            GateStep::AlreadyRecorded(Direction::Arrival)
        );
        assert_eq!(
            log.step(pass, NOW_MS + 90 * MINUTE, Uuid::from_u128(11)),
            GateStep::Record {
                visit_id: first,
                direction: Direction::Departure
            }
        );
        log.record(
            pass.into(),
            first,
            Direction::Departure,
            NOW_MS + 90 * MINUTE,
        );
        let second = Uuid::from_u128(12);
        assert_eq!(
            log.step(pass, NOW_MS + 120 * MINUTE, second),
            GateStep::Record {
                visit_id: second,
                direction: Direction::Arrival
            }
        );
    }

    #[test]
    fn an_arrival_older_than_the_longest_stay_is_not_closed_by_the_next_scan() {
        let mut log = GateLog::default();
        let pass = "pass:02";
        log.record(pass.into(), Uuid::from_u128(1), Direction::Arrival, NOW_MS);
        let next = Uuid::from_u128(2);
        assert_eq!(
            log.step(pass, NOW_MS + LONGEST_STAY_MS, next),
            GateStep::Record {
                visit_id: next,
                direction: Direction::Arrival
            }
        );
    }

    #[test]
    fn admitting_builds_the_scan_to_save_and_nothing_for_a_repeat() {
        let mut log = GateLog::default();
        let venue = Uuid::from_u128(1);
        let visitor = scan(1, 5, 50, Direction::Arrival).visitor;
        let (step, saved) = log.admit(venue, visitor.clone(), NOW_MS, Uuid::from_u128(60));
        let saved = saved.unwrap();
        assert_eq!(
            (saved.venue_id, saved.visit_id, saved.direction),
            (venue, Uuid::from_u128(60), Direction::Arrival)
        );
        assert!(matches!(step, GateStep::Record { .. }));
        log.record(
            visitor.key().unwrap(),
            saved.visit_id,
            saved.direction,
            NOW_MS,
        );
        assert_eq!(log.people_in_today(NOW_MS + MINUTE), 1);
        let (step, saved) = log.admit(venue, visitor, NOW_MS + 1_000, Uuid::from_u128(61));
        assert_eq!(
            (step, saved),
            (GateStep::AlreadyRecorded(Direction::Arrival), None)
        );
    }

    #[test]
    fn people_in_counts_open_arrivals_of_today_once_per_pass() {
        let mut log = GateLog::default();
        let day_start = NOW_MS - 8 * 60 * MINUTE;
        // Yesterday's arrival, still open, is not today's.
        log.record(
            "pass:01".into(),
            Uuid::from_u128(1),
            Direction::Arrival,
            day_start - MINUTE,
        );
        log.record(
            "pass:02".into(),
            Uuid::from_u128(2),
            Direction::Arrival,
            NOW_MS - 50 * MINUTE,
        );
        log.record(
            "pass:03".into(),
            Uuid::from_u128(3),
            Direction::Arrival,
            NOW_MS - 40 * MINUTE,
        );
        log.record(
            "pass:03".into(),
            Uuid::from_u128(3),
            Direction::Departure,
            NOW_MS - 10 * MINUTE,
        );
        log.record(
            "pass:04".into(),
            Uuid::from_u128(4),
            Direction::Arrival,
            NOW_MS - 5 * MINUTE,
        );
        assert_eq!(log.people_in(NOW_MS, day_start), 2);
    }

    #[test]
    fn the_log_forgets_what_is_older_than_the_longest_stay() {
        let mut log = GateLog::default();
        for minute in 0..2_000 {
            let at = NOW_MS + minute * 10 * MINUTE;
            log.record(
                format!("pass:{}", minute % 200),
                Uuid::from_u128(minute as u128),
                Direction::Arrival,
                at,
            );
        }
        assert_eq!(log.len(), (LONGEST_STAY_MS / (10 * MINUTE)) as usize + 1);
    }

    #[test]
    fn a_scan_shows_the_pass_masked_name_and_nothing_else() {
        let event = scan(1, 5, 50, Direction::Arrival).event(NOW_MS).unwrap();
        assert_eq!(event.name, "TRẦN T. B");
        assert_eq!(
            scan(1, 5, 50, Direction::Arrival).visitor.key().unwrap(),
            format!("pass:{}", "05".repeat(PASS_ID_LEN))
        );
        assert_eq!((event.phone, event.id_number), (None, None));
        assert_eq!(event.at_ms, NOW_MS);
    }

    #[test]
    fn a_scan_is_admitted_only_while_its_pass_is_valid() {
        use crate::poster::{KeyUse, PublicKey};
        use base64::engine::general_purpose::URL_SAFE_NO_PAD;
        use base64::Engine as _;
        use ed25519_dalek::{Signer, SigningKey};

        let pass_key = SigningKey::from_bytes(&[4; 32]);
        let credential = Credential {
            pass_id: [8; PASS_ID_LEN],
            key_id: 3,
            valid_from_s: 1_795_000_000,
            valid_until_s: 1_797_000_000,
            masked_name: "LÊ V. C".into(),
            holder: Holder::Card,
        };
        let signature = pass_key.sign(&Credential::signed_message(&credential.encode()));
        let scanned = GateScan {
            visitor: GateVisitor::Pass(credential.signed(&signature.to_bytes()).card_code()),
            ..scan(1, 8, 80, Direction::Arrival)
        };
        let published = |key_use| PublicKey {
            key_id: 3,
            public_key: URL_SAFE_NO_PAD.encode(pass_key.verifying_key().as_bytes()),
            key_use,
        };
        let keys = GateKeys::from_published(&[published(KeyUse::Pass)]);
        assert_eq!(scanned.admitted(&keys, 1_796_000_000_000), Ok(()));
        assert_eq!(
            scanned.admitted(&keys, 1_797_000_001_000),
            Err(ScanRefusal::NotAdmitted),
            "expired by then"
        );
        let venue_only = GateKeys::from_published(&[published(KeyUse::Venue)]);
        assert_eq!(
            scanned.admitted(&venue_only, 1_796_000_000_000),
            Err(ScanRefusal::NotAdmitted)
        );
    }

    #[test]
    fn only_pass_codes_of_sane_length_are_well_formed() {
        let mut bad = scan(1, 5, 50, Direction::Arrival);
        assert_eq!(bad.validate(), Ok(()));
        bad.visitor = GateVisitor::Pass("https://example.com/".into());
        assert_eq!(
            bad.validate().unwrap_err()[0].code,
            ErrorCode::UnknownChoice
        );
        bad.visitor = GateVisitor::Pass(format!("P1.{}", "A".repeat(PASS_CODE_MAX_CHARS)));
        assert!(matches!(
            bad.validate().unwrap_err()[0].code,
            ErrorCode::TooLong { .. }
        ));
    }

    /// The test vector: the QR code on the back of a chip ID card (a made-up person).
    const CCCD: &str = include_str!("../../docs/vectors/cccd-qr.txt");

    #[test]
    fn an_id_card_is_read_masked_and_without_its_address() {
        let card = IdCard::parse(CCCD).unwrap();
        assert_eq!(
            card,
            IdCard {
                masked_name: "NGUYỄN V. A".into(),
                masked_id_number: "******509".into(),
                year_of_birth: 1985,
            }
        );
        let recorded = serde_json::to_string(&card.visitor()).unwrap();
        for kept_out in ["Võ Văn Ngân", "079085", "025123456", "15031985", "Nam|"] {
            assert!(!recorded.contains(kept_out), "{recorded}");
        }
        let scan = GateScan {
            visitor: card.visitor(),
            ..scan(1, 5, 50, Direction::Arrival)
        };
        assert_eq!(scan.validate(), Ok(()));
        let event = scan.event(NOW_MS).unwrap();
        assert_eq!(event.id_number.as_deref(), Some("******509"));
        assert_eq!(card.visitor().key().unwrap(), "card:******509:NGUYỄN V. A");
        // Without an old ID number, and without the issue date some cards leave out.
        assert!(IdCard::parse("079085001509||Nguyễn Văn An|15031985|Nam|Hà Nội").is_ok());
    }

    #[test]
    fn codes_that_are_not_id_cards_are_refused() {
        for text in [
            "",
            "https://example.com/",
            "079085001509|025123456|Nguyễn Văn An|15031985|Nam",
            "07908500150|025123456|Nguyễn Văn An|15031985|Nam|addr|20042021",
            "079085001509|025123456|Nguyễn Văn An|31021985|Nam|addr|20042021",
            "079085001509|025123456||15031985|Nam|addr|20042021",
            "079085001509|025123456|Nguyễn Văn An|15031985|X|addr|20042021",
            "079085001509|025123456|Nguyễn Văn An|15031985|Nam|addr|20042021|extra",
            "079085001509|02512345|Nguyễn Văn An|15031985|Nam|addr|20042021",
        ] {
            assert_eq!(IdCard::parse(text), Err(IdCardError::NotAnIdCard), "{text}");
        }
    }

    /// The fields `validate` refuses in `scan`.
    fn refused_fields(scan: &GateScan) -> Vec<String> {
        scan.validate()
            .unwrap_err()
            .into_iter()
            .map(|error| error.field)
            .collect()
    }

    #[test]
    fn an_id_card_visitor_must_arrive_masked() {
        let mut unmasked = scan(1, 5, 50, Direction::Arrival);
        unmasked.visitor = GateVisitor::IdCard {
            masked_name: "Nguyễn Văn An".into(),
            masked_id_number: "079085001509".into(),
        };
        assert_eq!(
            refused_fields(&unmasked),
            [
                "visitor.id_card.masked_name",
                "visitor.id_card.masked_id_number"
            ]
        );
    }

    #[test]
    fn a_declaration_made_at_the_gate_is_recorded_masked_once_back_at_that_gate() {
        let venue = Uuid::from_u128(1);
        let started = GateProxy::start(venue, NOW_MS);
        assert!(started.awaits_profile(NOW_MS + MINUTE));
        assert!(
            !started.declares_for(Uuid::from_u128(7), NOW_MS + MINUTE),
            "no profile yet"
        );
        assert!(
            started.to_record(venue, NOW_MS + MINUTE).is_none(),
            "nothing declared yet"
        );
        let made = started.with_profile(Uuid::from_u128(7));
        assert!(
            !made.awaits_profile(NOW_MS + MINUTE),
            "a second profile is not the visitor's"
        );
        assert!(made.declares_for(Uuid::from_u128(7), NOW_MS + 2 * MINUTE));
        assert!(
            !made.declares_for(Uuid::from_u128(9), NOW_MS + 2 * MINUTE),
            "someone else"
        );
        assert!(
            !made.declares_for(Uuid::from_u128(7), NOW_MS + GATE_PROXY_WITHIN_MS),
            "late"
        );
        let declared = made.declared(Uuid::from_u128(8), "Lê Thị Hồng");
        assert!(
            !declared.declares_for(Uuid::from_u128(7), NOW_MS + 3 * MINUTE),
            "declared once"
        );
        assert_eq!(
            declared.declared.as_ref().unwrap().profile_id,
            Uuid::from_u128(7)
        );
        let record = declared.to_record(venue, NOW_MS + 5 * MINUTE).unwrap();
        assert_eq!(
            record.visitor(),
            GateVisitor::Declared {
                declaration_id: Uuid::from_u128(8),
                masked_name: "LÊ T. H".into(),
            }
        );
        assert!(
            declared.to_record(Uuid::from_u128(2), NOW_MS).is_none(),
            "another gate"
        );
        assert!(
            declared
                .to_record(venue, NOW_MS + GATE_PROXY_WITHIN_MS)
                .is_none(),
            "given up: too late"
        );
        assert!(
            declared.to_record(venue, NOW_MS - MINUTE).is_none(),
            "clock moved back"
        );

        let mut log = GateLog::default();
        let (step, saved) = log.admit(venue, record.visitor(), NOW_MS, Uuid::from_u128(60));
        let saved = saved.unwrap();
        assert_eq!(saved.validate(), Ok(()));
        assert_eq!(saved.admitted(&GateKeys::default(), NOW_MS), Ok(()));
        assert_eq!(saved.event(NOW_MS).unwrap().name, "LÊ T. H");
        assert_eq!(saved.event(NOW_MS).unwrap().phone, None);
        log.record(
            saved.visitor.key().unwrap(),
            saved.visit_id,
            saved.direction,
            NOW_MS,
        );
        assert!(matches!(
            step,
            GateStep::Record {
                direction: Direction::Arrival,
                ..
            }
        ));
        assert_eq!(log.people_in_today(NOW_MS), 1);
    }

    #[test]
    fn a_visitor_declared_at_the_gate_must_arrive_masked() {
        let mut unmasked = scan(1, 5, 50, Direction::Arrival);
        for name in ["Lê Thị Hồng", "", "LÊ\u{7} T. H"] {
            unmasked.visitor = GateVisitor::Declared {
                declaration_id: Uuid::from_u128(8),
                masked_name: name.into(),
            };
            assert_eq!(
                refused_fields(&unmasked),
                ["visitor.declared.masked_name"],
                "{name:?}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn id_card_parsing_never_panics(text in "\\PC{0,120}", pipes in proptest::collection::vec("[0-9]{0,12}|\\PC{0,8}", 0..9)) {
            let _ = IdCard::parse(&text);
            let _ = IdCard::parse(&pipes.join("|"));
        }
    }
}

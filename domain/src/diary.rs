//! The visits diary the phone keeps (DESIGN.md §3.4–3.5): every visit, with its venue, the people
//! checked in together and when they arrived and left, and the rules for checking out. All of it
//! is plain functions over times, so the app only stores visits and sends what these decide.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::date::{local_input_value, parse_local_input, Date, VIETNAM_OFFSET_MINUTES};
use crate::i18n::Text;
use crate::poster::Poster;
use crate::retention::{is_past_retention, RETENTION_DAYS};
use crate::submission::{Content, Submission};
use crate::visit::{CheckIn, Direction, Visitor};

/// Two scans of one poster closer than this are one scan (a camera reads a code many times a
/// second, and a person may tap twice).
pub const SCAN_DEBOUNCE_MS: i64 = 2_500;

/// One person of a visit: who, and the visit id their check-in and check-out share on the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendee {
    pub visitor: Visitor,
    pub visit_id: Uuid,
}

/// How a visit ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Departure {
    /// The person pressed "check out".
    Button,
    /// The same poster was scanned again on the way out.
    SamePoster,
    /// The person checked in somewhere else.
    Elsewhere,
    /// Nobody checked out: closed at the venue's default stay, or at midnight.
    DefaultStay,
}

/// A visit as the diary keeps it: the household that checked in together at one venue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiaryVisit {
    /// The diary's own key.
    pub id: Uuid,
    /// The venue's id from its poster, in hex: what exposure events name.
    pub venue_id: String,
    pub venue_name: String,
    /// The poster code as scanned, which every check-in and check-out of the visit carries.
    pub poster: String,
    pub default_stay_minutes: u16,
    pub attendees: Vec<Attendee>,
    /// Checked in by someone else on the device for them ("khai hộ").
    pub on_behalf: bool,
    pub arrived_at_ms: i64,
    pub left_at_ms: Option<i64>,
    pub departure: Option<Departure>,
    /// When the poster was last scanned for this visit, for the debounce.
    pub last_scan_at_ms: i64,
}

/// Hex of a poster's venue id.
pub fn venue_id_hex(poster: &Poster) -> String {
    poster
        .venue_id
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

impl DiaryVisit {
    /// A new visit of `attendees` at the venue of `poster`, arriving at `now_ms`.
    pub fn arrive(
        poster: &Poster,
        code: &str,
        attendees: Vec<Attendee>,
        on_behalf: bool,
        now_ms: i64,
    ) -> DiaryVisit {
        DiaryVisit {
            id: Uuid::new_v4(),
            venue_id: venue_id_hex(poster),
            venue_name: poster.short_name.clone(),
            poster: code.to_owned(),
            default_stay_minutes: poster.default_stay_minutes,
            attendees,
            on_behalf,
            arrived_at_ms: now_ms,
            left_at_ms: None,
            departure: None,
            last_scan_at_ms: now_ms,
        }
    }

    /// The people of the visit, as the diary lists them.
    pub fn names(&self) -> String {
        self.attendees
            .iter()
            .map(|attendee| attendee.visitor.full_name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    pub fn is_open(&self) -> bool {
        self.left_at_ms.is_none()
    }

    /// When a visit nobody checked out of ends by itself: after the venue's default stay, and
    /// never later than the midnight (Vietnam time) after the arrival.
    pub fn automatic_end_ms(&self) -> i64 {
        let stay = self
            .arrived_at_ms
            .saturating_add(i64::from(self.default_stay_minutes.max(1)) * 60_000);
        let midnight = Date::from_unix_ms(self.arrived_at_ms, VIETNAM_OFFSET_MINUTES)
            .add_days(1)
            .start_unix_ms(VIETNAM_OFFSET_MINUTES);
        stay.min(midnight)
    }

    /// The check-ins or check-outs (`direction`) of every attendee, made at `at_ms`, as the
    /// outbox sends them.
    pub fn submissions(&self, direction: Direction, at_ms: i64) -> Vec<Submission> {
        self.attendees
            .iter()
            .map(|attendee| Submission {
                id: Uuid::new_v4(),
                created_at_ms: at_ms,
                content: Content::CheckIn(CheckIn {
                    visitor: attendee.visitor.clone(),
                    on_behalf: self.on_behalf,
                    poster: self.poster.clone(),
                    visit_id: attendee.visit_id,
                    direction,
                }),
            })
            .collect()
    }

    /// Closes the visit at `at_ms` (never before the arrival), for `how`.
    pub fn leave(&mut self, at_ms: i64, how: Departure) {
        self.left_at_ms = Some(at_ms.max(self.arrived_at_ms));
        self.departure = Some(how);
    }
}

/// Why corrected times of a visit were refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CorrectionError {
    #[error("a time is not a date and time")]
    Unreadable,
    #[error("a time is in the future")]
    InTheFuture,
    #[error("the arrival is older than the diary keeps")]
    TooOld,
    #[error("the departure is before the arrival")]
    LeftBeforeArrival,
}

impl CorrectionError {
    /// What the person correcting is told.
    pub fn text(self) -> Text {
        match self {
            CorrectionError::Unreadable => Text::CorrectionUnreadable,
            CorrectionError::InTheFuture => Text::CorrectionInTheFuture,
            CorrectionError::TooOld => Text::CorrectionTooOld,
            CorrectionError::LeftBeforeArrival => Text::CorrectionLeftBeforeArrival,
        }
    }
}

impl DiaryVisit {
    /// [`DiaryVisit::correct`] with the times as typed in `datetime-local` inputs (Vietnam
    /// time, to the minute). A time left as the form showed it stays exactly as recorded,
    /// seconds included, so an untouched field never sends a correction.
    pub fn correct_typed(
        &mut self,
        arrived: &str,
        left: Option<&str>,
        now_ms: i64,
    ) -> Result<Vec<Submission>, CorrectionError> {
        let read = |typed: &str, recorded: i64| {
            if typed == local_input_value(recorded) {
                Ok(recorded)
            } else {
                parse_local_input(typed).ok_or(CorrectionError::Unreadable)
            }
        };
        let arrived = read(arrived, self.arrived_at_ms)?;
        let left = match (left, self.left_at_ms) {
            (Some(typed), Some(recorded)) => Some(read(typed, recorded)?),
            _ => None,
        };
        self.correct(arrived, left, now_ms)
    }

    /// Sets the visit's times to what the person says they were, at `now_ms`: the arrival, and
    /// the departure of a visit that has ended (an open visit ends by checking out). Returns the
    /// submissions that tell the server, one per attendee and changed time; the server lists a
    /// visit by the last check-in and check-out it received, so these replace the first ones.
    pub fn correct(
        &mut self,
        arrived_at_ms: i64,
        left_at_ms: Option<i64>,
        now_ms: i64,
    ) -> Result<Vec<Submission>, CorrectionError> {
        let left_at_ms = if self.is_open() {
            None
        } else {
            left_at_ms.or(self.left_at_ms)
        };
        if arrived_at_ms > now_ms || left_at_ms.is_some_and(|left| left > now_ms) {
            return Err(CorrectionError::InTheFuture);
        }
        if now_ms.saturating_sub(arrived_at_ms) > RETENTION_DAYS * crate::retention::DAY_MS {
            return Err(CorrectionError::TooOld);
        }
        if left_at_ms.is_some_and(|left| left < arrived_at_ms) {
            return Err(CorrectionError::LeftBeforeArrival);
        }
        let mut submissions = Vec::new();
        if arrived_at_ms != self.arrived_at_ms {
            self.arrived_at_ms = arrived_at_ms;
            submissions.extend(self.submissions(Direction::Arrival, arrived_at_ms));
        }
        if let Some(left) = left_at_ms.filter(|left| Some(*left) != self.left_at_ms) {
            self.left_at_ms = Some(left);
            submissions.extend(self.submissions(Direction::Departure, left));
        }
        Ok(submissions)
    }
}

/// What a scan of a venue's poster at `now_ms` does, given the diary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scan {
    /// The same poster again within the debounce: nothing happens.
    Repeat,
    /// The poster of a visit still open: the way out, so that visit is checked out.
    CheckOut { visit: Uuid },
    /// A new visit; the open visits elsewhere (listed) are checked out as it starts.
    CheckIn { close: Vec<Uuid> },
}

/// Decides a scan of the venue `venue_id` at `now_ms`. Scanning a venue during a visit never
/// starts a second visit there.
pub fn scan(diary: &[DiaryVisit], venue_id: &str, now_ms: i64) -> Scan {
    let open_here = diary
        .iter()
        .find(|visit| visit.is_open() && visit.venue_id == venue_id);
    match open_here {
        Some(visit) if now_ms.saturating_sub(visit.last_scan_at_ms) < SCAN_DEBOUNCE_MS => {
            Scan::Repeat
        }
        Some(visit) => Scan::CheckOut { visit: visit.id },
        None => Scan::CheckIn {
            close: diary
                .iter()
                .filter(|visit| visit.is_open())
                .map(|visit| visit.id)
                .collect(),
        },
    }
}

/// The open visits whose automatic end has come by `now_ms`, each with that end.
pub fn due_departures(diary: &[DiaryVisit], now_ms: i64) -> Vec<(Uuid, i64)> {
    diary
        .iter()
        .filter(|visit| visit.is_open())
        .map(|visit| (visit.id, visit.automatic_end_ms()))
        .filter(|(_, end)| *end <= now_ms)
        .collect()
}

/// The visits kept longer than the retention period allows at `now_ms`: deleted from the device.
pub fn expired_visits(diary: &[DiaryVisit], now_ms: i64) -> Vec<Uuid> {
    diary
        .iter()
        .filter(|visit| is_past_retention(visit.arrived_at_ms, now_ms))
        .map(|visit| visit.id)
        .collect()
}

/// The diary as shown: the latest visit first.
pub fn newest_first(diary: &mut [DiaryVisit]) {
    diary.sort_by(|a, b| b.arrived_at_ms.cmp(&a.arrived_at_ms).then(a.id.cmp(&b.id)));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::poster::VenueType;
    use crate::retention::{DAY_MS, RETENTION_DAYS};
    use proptest::prelude::*;

    const MINUTE: i64 = 60_000;
    /// 2026-12-02 10:00 in Vietnam.
    const MORNING: i64 = 1_796_180_400_000;

    fn poster(venue: u8, stay: u16) -> Poster {
        Poster {
            venue_id: [venue; 16],
            key_id: 1,
            issued_at_s: 0,
            province: 79,
            ward: 0,
            venue_type: VenueType::Market,
            default_stay_minutes: stay,
            short_name: format!("Chợ {venue}"),
        }
    }

    fn visit(venue: u8, stay: u16, at: i64) -> DiaryVisit {
        DiaryVisit::arrive(&poster(venue, stay), "1.a.b", Vec::new(), false, at)
    }

    #[test]
    fn the_morning_is_ten_in_vietnam() {
        assert_eq!(
            crate::date::local_minute(MORNING, VIETNAM_OFFSET_MINUTES),
            "2026-12-02 10:00"
        );
    }

    #[test]
    fn a_second_scan_of_an_open_visit_is_a_repeat_then_the_way_out() {
        let diary = vec![visit(1, 45, MORNING)];
        let here = venue_id_hex(&poster(1, 45));
        assert_eq!(scan(&diary, &here, MORNING + 1_000), Scan::Repeat);
        assert_eq!(
            scan(&diary, &here, MORNING + 30 * MINUTE),
            Scan::CheckOut { visit: diary[0].id }
        );
        // Another venue: a new visit, closing this one.
        let there = venue_id_hex(&poster(2, 45));
        assert_eq!(
            scan(&diary, &there, MORNING + 30 * MINUTE),
            Scan::CheckIn {
                close: vec![diary[0].id]
            }
        );
        // Closed visits are neither repeated nor closed again.
        let mut closed = diary.clone();
        closed[0].leave(MORNING + 10 * MINUTE, Departure::Button);
        assert_eq!(
            scan(&closed, &here, MORNING + 11 * MINUTE),
            Scan::CheckIn { close: vec![] }
        );
    }

    #[test]
    fn a_forgotten_visit_ends_at_the_default_stay_or_at_midnight() {
        let diary = vec![visit(1, 45, MORNING)];
        assert!(due_departures(&diary, MORNING + 44 * MINUTE).is_empty());
        assert_eq!(
            due_departures(&diary, MORNING + 45 * MINUTE),
            vec![(diary[0].id, MORNING + 45 * MINUTE)]
        );
        // 23:30 with a 3-hour stay: closed at midnight, not at 02:30 the next day.
        let late = visit(1, 180, MORNING + 13 * 60 * MINUTE + 30 * MINUTE);
        assert_eq!(late.automatic_end_ms(), MORNING + 14 * 60 * MINUTE);
        // A stay of 0 minutes on a poster still lasts a minute.
        assert_eq!(visit(1, 0, MORNING).automatic_end_ms(), MORNING + MINUTE);
    }

    fn household_visit(at: i64) -> DiaryVisit {
        let attendee = |name: &str| Attendee {
            visitor: Visitor {
                profile_id: Uuid::new_v4(),
                full_name: name.into(),
                year_of_birth: 1990,
                phone: None,
                id_number: None,
            },
            visit_id: Uuid::new_v4(),
        };
        let family = vec![attendee("Lê Văn Tám"), attendee("Lê Bé Na")];
        DiaryVisit::arrive(&poster(1, 45), "1.a.b", family, true, at)
    }

    fn directions_and_times(submissions: &[Submission]) -> Vec<(Direction, i64, Uuid)> {
        submissions
            .iter()
            .map(|submission| match &submission.content {
                Content::CheckIn(check_in) => (
                    check_in.direction,
                    submission.created_at_ms,
                    check_in.visit_id,
                ),
                other => panic!("not a check-in: {other:?}"),
            })
            .collect()
    }

    #[test]
    fn a_corrected_time_is_sent_again_for_each_attendee_under_their_visit_id() {
        let mut visit = household_visit(MORNING);
        visit.leave(MORNING + 90 * MINUTE, Departure::DefaultStay);
        let ids: Vec<Uuid> = visit.attendees.iter().map(|a| a.visit_id).collect();
        let now = MORNING + 5 * 60 * MINUTE;
        // Only the departure changed: two check-outs, none of the arrivals.
        let sent = visit
            .correct(MORNING, Some(MORNING + 30 * MINUTE), now)
            .unwrap();
        assert_eq!(
            directions_and_times(&sent),
            vec![
                (Direction::Departure, MORNING + 30 * MINUTE, ids[0]),
                (Direction::Departure, MORNING + 30 * MINUTE, ids[1]),
            ]
        );
        assert_eq!(visit.left_at_ms, Some(MORNING + 30 * MINUTE));
        // Both changed: arrivals first, then departures.
        let sent = visit
            .correct(MORNING - 10 * MINUTE, Some(MORNING + 20 * MINUTE), now)
            .unwrap();
        assert_eq!(
            directions_and_times(&sent)
                .iter()
                .map(|(d, t, _)| (*d, *t))
                .collect::<Vec<_>>(),
            vec![
                (Direction::Arrival, MORNING - 10 * MINUTE),
                (Direction::Arrival, MORNING - 10 * MINUTE),
                (Direction::Departure, MORNING + 20 * MINUTE),
                (Direction::Departure, MORNING + 20 * MINUTE),
            ]
        );
        // Nothing changed: nothing to send.
        assert_eq!(
            visit.correct(MORNING - 10 * MINUTE, Some(MORNING + 20 * MINUTE), now),
            Ok(vec![])
        );
    }

    #[test]
    fn untouched_typed_times_keep_their_seconds_and_send_nothing() {
        let mut visit = household_visit(MORNING + 30_500);
        visit.leave(MORNING + 20 * MINUTE + 10_000, Departure::Button);
        let now = MORNING + 60 * MINUTE;
        assert_eq!(
            visit.correct_typed("2026-12-02T10:00", Some("2026-12-02T10:20"), now),
            Ok(vec![])
        );
        assert_eq!(visit.arrived_at_ms, MORNING + 30_500);
        let sent = visit
            .correct_typed("2026-12-02T10:00", Some("2026-12-02T10:15"), now)
            .unwrap();
        assert_eq!(sent.len(), 2);
        assert_eq!(visit.left_at_ms, Some(MORNING + 15 * MINUTE));
        assert_eq!(visit.arrived_at_ms, MORNING + 30_500);
        assert_eq!(
            visit.correct_typed("2026-12-02", Some("2026-12-02T10:15"), now),
            Err(CorrectionError::Unreadable)
        );
        assert_eq!(
            visit.correct_typed("2026-12-02T10:00", Some(""), now),
            Err(CorrectionError::Unreadable)
        );
    }

    #[test]
    fn an_open_visit_corrects_its_arrival_only() {
        let mut visit = household_visit(MORNING);
        let sent = visit
            .correct(
                MORNING - 5 * MINUTE,
                Some(MORNING + 5 * MINUTE),
                MORNING + 10 * MINUTE,
            )
            .unwrap();
        assert_eq!(sent.len(), 2);
        assert!(visit.is_open());
        assert_eq!(visit.arrived_at_ms, MORNING - 5 * MINUTE);
    }

    #[test]
    fn impossible_corrections_are_refused_and_change_nothing() {
        let mut visit = household_visit(MORNING);
        visit.leave(MORNING + 60 * MINUTE, Departure::Button);
        let before = visit.clone();
        let now = MORNING + 2 * 60 * MINUTE;
        assert_eq!(
            visit.correct(now + MINUTE, None, now),
            Err(CorrectionError::InTheFuture)
        );
        assert_eq!(
            visit.correct(MORNING, Some(now + MINUTE), now),
            Err(CorrectionError::InTheFuture)
        );
        assert_eq!(
            visit.correct(MORNING, Some(MORNING - MINUTE), now),
            Err(CorrectionError::LeftBeforeArrival)
        );
        // Moving the arrival after the recorded departure is as wrong.
        assert_eq!(
            visit.correct(MORNING + 61 * MINUTE, None, now),
            Err(CorrectionError::LeftBeforeArrival)
        );
        assert_eq!(
            visit.correct(now - (RETENTION_DAYS * DAY_MS + 1), None, now),
            Err(CorrectionError::TooOld)
        );
        assert_eq!(visit, before);
    }

    proptest! {
        #[test]
        fn an_accepted_correction_is_a_visit_that_could_have_happened(
            arrival in -(30 * DAY_MS)..DAY_MS,
            left in proptest::option::of(-(30 * DAY_MS)..DAY_MS),
            closed in any::<bool>(),
        ) {
            let mut visit = household_visit(MORNING - DAY_MS);
            if closed {
                visit.leave(MORNING - DAY_MS + 30 * MINUTE, Departure::Button);
            }
            let (arrival, left) = (MORNING + arrival, left.map(|left| MORNING + left));
            if visit.correct(arrival, left, MORNING).is_ok() {
                prop_assert!(visit.arrived_at_ms <= MORNING);
                prop_assert!(!is_past_retention(visit.arrived_at_ms, MORNING) || MORNING - visit.arrived_at_ms <= RETENTION_DAYS * DAY_MS);
                prop_assert_eq!(visit.is_open(), !closed);
                if let Some(left) = visit.left_at_ms {
                    prop_assert!(visit.arrived_at_ms <= left && left <= MORNING);
                }
            }
        }
    }

    #[test]
    fn each_attendee_checks_in_and_out_under_their_own_visit_id() {
        let visit = household_visit(MORNING);
        let family = visit.attendees.clone();
        let out = visit.submissions(Direction::Departure, MORNING + MINUTE);
        assert_eq!(out.len(), 2);
        for (submission, attendee) in out.iter().zip(&family) {
            assert_eq!(submission.created_at_ms, MORNING + MINUTE);
            let Content::CheckIn(check_in) = &submission.content else {
                panic!("not a check-in");
            };
            assert_eq!(check_in.visit_id, attendee.visit_id);
            assert_eq!(check_in.visitor, attendee.visitor);
            assert_eq!(check_in.direction, Direction::Departure);
            assert!(check_in.on_behalf);
            assert_eq!(check_in.poster, "1.a.b");
        }
        assert_ne!(out[0].id, out[1].id);
        assert_eq!(visit.names(), "Lê Văn Tám, Lê Bé Na");
    }

    #[test]
    fn leaving_never_precedes_arriving() {
        let mut early = visit(1, 45, MORNING);
        early.leave(MORNING - 5 * MINUTE, Departure::Button);
        assert_eq!(early.left_at_ms, Some(MORNING));
    }

    #[test]
    fn visits_past_retention_are_deleted() {
        let old = visit(1, 45, MORNING);
        let recent = visit(2, 45, MORNING + DAY_MS);
        let diary = vec![old.clone(), recent];
        let later = MORNING + RETENTION_DAYS * DAY_MS;
        assert!(expired_visits(&diary, later).is_empty());
        assert_eq!(expired_visits(&diary, later + 1), vec![old.id]);
    }

    proptest! {
        #[test]
        fn rules_hold_at_any_time(
            arrived in -4_000_000_000_000i64..8_000_000_000_000,
            stay in any::<u16>(),
            later in 0i64..10 * DAY_MS,
        ) {
            let visit = visit(1, stay, arrived);
            let end = visit.automatic_end_ms();
            // Within the stay, and within the day of arrival (in Vietnam).
            prop_assert!(end > arrived);
            prop_assert!(end <= arrived + i64::from(stay.max(1)) * MINUTE);
            prop_assert!(end - arrived <= DAY_MS);
            let diary = vec![visit.clone()];
            let due = due_departures(&diary, arrived + later);
            prop_assert_eq!(due.is_empty(), arrived + later < end);
            let here = visit.venue_id.clone();
            let decision = scan(&diary, &here, arrived + later);
            prop_assert!(!matches!(decision, Scan::CheckIn { .. }), "a second visit at an open venue");
        }
    }
}

//! The visits diary on the device (DESIGN.md §3.4): check-ins and check-outs decided by
//! `domain::diary`'s rules, each written to the diary and queued in the outbox in one
//! transaction.

use domain::diary::{
    due_departures, scan, venue_id_hex, Attendee, CorrectionError, Departure, DiaryVisit, Scan,
};
use domain::poster::Poster;
use domain::profile::Profile;
use domain::status::{person_declarations, Policy};
use domain::visit::{Direction, Visitor};
use uuid::Uuid;

use crate::adapters::clock::now_ms;
use crate::adapters::idb::{use_local_db, DeclarationRecord, StorageError};
use crate::adapters::outbox::Outbox;

/// What checking in at a venue did.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedIn {
    pub visit: DiaryVisit,
    /// The submissions queued: the arrivals, and the departures of visits it closed elsewhere.
    pub queued: Vec<Uuid>,
}

thread_local! {
    /// The poster code the in-app scanner read last, and when. Kept in memory on purpose: a
    /// scan is an act of the person at the venue, whereas a reload or a restored tab of the
    /// same `/c#…` address is not, and must never check anyone out.
    static SCANNED: std::cell::RefCell<Option<(String, i64)>> = const { std::cell::RefCell::new(None) };
}

/// Notes that the scanner just read the poster `code` (it opens the check-in screen next).
pub fn note_scan(code: &str) {
    SCANNED.with(|scanned| *scanned.borrow_mut() = Some((code.to_owned(), now_ms())));
}

/// Whether the check-in screen of `code` was opened by a scan of it seconds ago; the note is
/// used up.
fn take_scan(code: &str) -> bool {
    SCANNED.with(|scanned| {
        scanned
            .borrow_mut()
            .take()
            .is_some_and(|(scanned, at)| scanned == code && now_ms() - at < 10_000)
    })
}

/// The visit open at the venue of `poster`, as opening its check-in screen finds it.
#[derive(Debug, Clone, PartialEq)]
pub enum OpenVisit {
    /// Shown, to check out of by its button (the screen was not opened by a scan, or the scan
    /// repeats one within the debounce).
    Shown(DiaryVisit),
    /// The same poster scanned on the way out: the visit is checked out.
    CheckedOut(DiaryVisit, Vec<Uuid>),
}

/// The visit open at the venue of `poster` (scanned as `code`), if any. Never a second visit
/// there: a scan of its poster after the debounce is the way out.
pub async fn visit_on_opening(
    outbox: Outbox,
    poster: &Poster,
    code: &str,
) -> Result<Option<OpenVisit>, StorageError> {
    let diary = use_local_db().await?.visits().await?;
    let venue = venue_id_hex(poster);
    let Some(open) = diary
        .iter()
        .find(|visit| visit.is_open() && visit.venue_id == venue)
        .cloned()
    else {
        return Ok(None);
    };
    if take_scan(code) && matches!(scan(&diary, &venue, now_ms()), Scan::CheckOut { .. }) {
        let (visit, queued) = check_out(outbox, open, Departure::SamePoster).await?;
        return Ok(Some(OpenVisit::CheckedOut(visit, queued)));
    }
    Ok(Some(OpenVisit::Shown(open)))
}

/// Checks `people` in at the venue of `poster` (scanned as `code`), closing any visit still open
/// elsewhere at the same moment.
pub async fn check_in(
    outbox: Outbox,
    poster: &Poster,
    code: &str,
    people: &[Profile],
    on_behalf: bool,
) -> Result<CheckedIn, StorageError> {
    let now = now_ms();
    let diary = use_local_db().await?.visits().await?;
    let mut changed = Vec::new();
    let mut submissions = Vec::new();
    if let Scan::CheckIn { close } = scan(&diary, &venue_id_hex(poster), now) {
        for mut visit in diary.into_iter().filter(|visit| close.contains(&visit.id)) {
            visit.leave(now, Departure::Elsewhere);
            submissions.extend(visit.submissions(Direction::Departure, now));
            changed.push(visit);
        }
    }
    let attendees = people
        .iter()
        .map(|profile| Attendee {
            visitor: Visitor::from(profile),
            visit_id: Uuid::new_v4(),
        })
        .collect();
    let visit = DiaryVisit::arrive(poster, code, attendees, on_behalf, now);
    submissions.extend(visit.submissions(Direction::Arrival, now));
    changed.push(visit.clone());
    let queued = outbox.record_visits(&changed, submissions).await?;
    Ok(CheckedIn { visit, queued })
}

/// Checks the visit `visit` out now (`how`); returns it closed and the departures queued.
pub async fn check_out(
    outbox: Outbox,
    mut visit: DiaryVisit,
    how: Departure,
) -> Result<(DiaryVisit, Vec<Uuid>), StorageError> {
    let now = now_ms();
    visit.leave(now, how);
    let submissions = visit.submissions(Direction::Departure, visit.left_at_ms.unwrap_or(now));
    let queued = outbox
        .record_visits(std::slice::from_ref(&visit), submissions)
        .await?;
    Ok((visit, queued))
}

/// Why a correction was not saved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CorrectionFailure {
    #[error(transparent)]
    Refused(#[from] CorrectionError),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// Corrects the times of `visit` to `arrived` and (for an ended visit) `left`, both as typed in
/// `datetime-local` inputs; saves it and queues what the server must hear. Returns the visit as
/// saved and the queued submissions' ids.
pub async fn correct_times(
    outbox: Outbox,
    mut visit: DiaryVisit,
    arrived: &str,
    left: Option<&str>,
) -> Result<(DiaryVisit, Vec<Uuid>), CorrectionFailure> {
    let submissions = visit.correct_typed(arrived, left, now_ms())?;
    let queued = outbox
        .record_visits(std::slice::from_ref(&visit), submissions)
        .await?;
    Ok((visit, queued))
}

/// Closes the visits nobody checked out of, at their automatic end (default stay, or midnight):
/// run when the app starts and whenever the diary is shown.
pub async fn close_forgotten_visits(outbox: Outbox) -> Result<(), StorageError> {
    let diary = use_local_db().await?.visits().await?;
    let due = due_departures(&diary, now_ms());
    if due.is_empty() {
        return Ok(());
    }
    let mut changed = Vec::new();
    let mut submissions = Vec::new();
    for (id, end) in due {
        if let Some(mut visit) = diary.iter().find(|visit| visit.id == id).cloned() {
            visit.leave(end, Departure::DefaultStay);
            submissions.extend(visit.submissions(Direction::Departure, end));
            changed.push(visit);
        }
    }
    outbox.record_visits(&changed, submissions).await?;
    Ok(())
}

/// Those of `people` who must declare before they check in at `now_ms`: no declaration, sent or
/// queued, within the policy's validity.
pub fn must_declare_first(
    people: &[Uuid],
    history: &[DeclarationRecord],
    policy: Policy,
    now_ms: i64,
) -> Vec<Uuid> {
    people
        .iter()
        .copied()
        .filter(|&person| {
            let declarations = person_declarations(
                person,
                history
                    .iter()
                    .map(|record| (&record.submission, record.receipt.is_some())),
            );
            !policy.covers_check_in(declarations, now_ms)
        })
        .collect()
}

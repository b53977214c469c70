//! A person's declaration status, as the home screen and (later) the pass show it.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::submission::Submission;

/// How long a declaration stays valid unless the server's policy says otherwise (DESIGN.md §3.2).
pub const DEFAULT_VALIDITY_HOURS: u32 = 24;

/// The server's declaration policy, served at `/api/v1/policy` and cached by the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Policy {
    /// Hours a declaration stays valid after it was made.
    pub declaration_validity_hours: u32,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            declaration_validity_hours: DEFAULT_VALIDITY_HOURS,
        }
    }
}

/// What the device knows of the declarations made for one person.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PersonDeclarations {
    /// When the latest declaration the server has sent a receipt for was made: the one that
    /// decides validity.
    pub delivered_at_ms: Option<i64>,
    /// A declaration made after that one (or, with none delivered, any) still waits in the
    /// outbox. It is shown beside the status, never instead of it: a daily check queued offline
    /// does not make a valid person look unverified.
    pub waiting: bool,
    /// When the latest declaration was made, delivered or not.
    pub latest_made_at_ms: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Never declared on this device.
    NotDeclared,
    /// Declared, still in the outbox: valid for nobody until the server has it.
    PendingUpload,
    /// Delivered and valid until this instant (milliseconds since the Unix epoch).
    ValidUntil(i64),
    /// Delivered, but older than the policy allows.
    Expired,
}

impl Policy {
    /// Whether the person may check in at `now_ms` without declaring first: their latest
    /// declaration, sent or still in the outbox (made offline, it goes out first), is within the
    /// validity period.
    pub fn covers_check_in(&self, declarations: PersonDeclarations, now_ms: i64) -> bool {
        declarations.latest_made_at_ms.is_some_and(|made| {
            now_ms < made.saturating_add(i64::from(self.declaration_validity_hours) * 3_600_000)
        })
    }

    /// The status of a person with `declarations`, at `now_ms`. Validity runs from when the
    /// person declared, not from when the network let it through.
    pub fn status(&self, declarations: PersonDeclarations, now_ms: i64) -> Status {
        let Some(declared_at_ms) = declarations.delivered_at_ms else {
            return if declarations.waiting {
                Status::PendingUpload
            } else {
                Status::NotDeclared
            };
        };
        let until =
            declared_at_ms.saturating_add(i64::from(self.declaration_validity_hours) * 3_600_000);
        if now_ms < until {
            Status::ValidUntil(until)
        } else {
            Status::Expired
        }
    }
}

/// The declarations of the person `profile_id` among `submissions` on the device (each with
/// whether the server sent its receipt), counting only kinds that give a status (a report about
/// someone else does not).
pub fn person_declarations<'a>(
    profile_id: Uuid,
    submissions: impl IntoIterator<Item = (&'a Submission, bool)>,
) -> PersonDeclarations {
    let theirs: Vec<(i64, bool)> = submissions
        .into_iter()
        .filter(|(submission, _)| {
            submission.content.profile_id() == Some(profile_id)
                && submission
                    .content
                    .declaration_kind()
                    .is_some_and(|kind| kind.gives_status())
        })
        .map(|(submission, delivered)| (submission.created_at_ms, delivered))
        .collect();
    let delivered_at_ms = theirs
        .iter()
        .filter(|(_, delivered)| *delivered)
        .map(|(made, _)| *made)
        .max();
    let waiting = theirs
        .iter()
        .any(|&(made, delivered)| !delivered && delivered_at_ms.is_none_or(|at| made > at));
    PersonDeclarations {
        delivered_at_ms,
        waiting,
        latest_made_at_ms: theirs.iter().map(|(made, _)| *made).max(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: i64 = 3_600_000;

    #[test]
    fn the_latest_delivered_declaration_decides_and_newer_ones_wait() {
        use crate::declaration::tests::person;
        use crate::declaration::{DailyHealth, DeclarationDraft, Report};
        use crate::submission::Content;
        let person = person();
        let at = |created_at_ms, content| Submission {
            id: Uuid::new_v4(),
            created_at_ms,
            content,
        };
        let daily = |ms| {
            at(
                ms,
                Content::DailyHealth(
                    DeclarationDraft::<DailyHealth>::default().declare(person.clone()),
                ),
            )
        };
        let report = at(
            30,
            Content::Report(DeclarationDraft::<Report>::default().declare(person.clone())),
        );
        let mut someone_else = daily(40);
        if let Content::DailyHealth(declaration) = &mut someone_else.content {
            declaration.person.profile_id = Uuid::new_v4();
        }
        let (early, late) = (daily(10), daily(20));
        let on_device = [
            (&early, true),
            (&late, false),
            (&report, true),
            (&someone_else, true),
        ];
        assert_eq!(
            person_declarations(person.profile_id, on_device),
            PersonDeclarations {
                delivered_at_ms: Some(10),
                waiting: true,
                latest_made_at_ms: Some(20),
            }
        );
        // Delivered after the queued one was made: nothing newer waits.
        let newest = daily(25);
        assert_eq!(
            person_declarations(person.profile_id, [(&late, false), (&newest, true)]),
            PersonDeclarations {
                delivered_at_ms: Some(25),
                waiting: false,
                latest_made_at_ms: Some(25),
            }
        );
        assert_eq!(
            person_declarations(person.profile_id, [(&late, false)]),
            PersonDeclarations {
                delivered_at_ms: None,
                waiting: true,
                latest_made_at_ms: Some(20),
            }
        );
        assert_eq!(
            person_declarations(person.profile_id, [(&report, true)]),
            PersonDeclarations::default()
        );
    }

    #[test]
    fn statuses_over_time() {
        let policy = Policy::default();
        assert_eq!(
            policy.status(PersonDeclarations::default(), 0),
            Status::NotDeclared
        );
        let pending = PersonDeclarations {
            delivered_at_ms: None,
            waiting: true,
            latest_made_at_ms: Some(0),
        };
        assert_eq!(policy.status(pending, 100 * HOUR), Status::PendingUpload);
        let delivered = PersonDeclarations {
            delivered_at_ms: Some(10 * HOUR),
            waiting: false,
            latest_made_at_ms: Some(10 * HOUR),
        };
        assert_eq!(
            policy.status(delivered, 11 * HOUR),
            Status::ValidUntil(34 * HOUR)
        );
        assert_eq!(policy.status(delivered, 34 * HOUR), Status::Expired);
        // A newer declaration in the outbox does not hide the valid one.
        let valid_and_waiting = PersonDeclarations {
            waiting: true,
            ..delivered
        };
        assert_eq!(
            policy.status(valid_and_waiting, 11 * HOUR),
            Status::ValidUntil(34 * HOUR)
        );
        let short = Policy {
            declaration_validity_hours: 1,
        };
        assert_eq!(short.status(delivered, 11 * HOUR), Status::Expired);
    }

    #[test]
    fn a_check_in_needs_a_declaration_within_validity_sent_or_queued() {
        let policy = Policy::default();
        assert!(!policy.covers_check_in(PersonDeclarations::default(), 0));
        let queued = PersonDeclarations {
            delivered_at_ms: None,
            waiting: true,
            latest_made_at_ms: Some(10 * HOUR),
        };
        assert!(policy.covers_check_in(queued, 11 * HOUR));
        assert!(!policy.covers_check_in(queued, 34 * HOUR));
        let expired_but_renewed = PersonDeclarations {
            delivered_at_ms: Some(0),
            waiting: true,
            latest_made_at_ms: Some(30 * HOUR),
        };
        assert!(policy.covers_check_in(expired_but_renewed, 40 * HOUR));
    }
}

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

/// The latest declaration made for a person, as far as the device knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LatestDeclaration {
    pub declared_at_ms: i64,
    /// The server sent a receipt for it.
    pub delivered: bool,
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
    /// The status of a person whose latest declaration is `latest`, at `now_ms`. Validity runs
    /// from when the person declared, not from when the network let it through.
    pub fn status(&self, latest: Option<LatestDeclaration>, now_ms: i64) -> Status {
        let Some(latest) = latest else {
            return Status::NotDeclared;
        };
        if !latest.delivered {
            return Status::PendingUpload;
        }
        let until = latest
            .declared_at_ms
            .saturating_add(i64::from(self.declaration_validity_hours) * 3_600_000);
        if now_ms < until {
            Status::ValidUntil(until)
        } else {
            Status::Expired
        }
    }
}

/// The declaration that decides the status of the person `profile_id`, among `submissions` on the
/// device (each with whether the server sent its receipt): the latest made of a kind that gives a
/// status (a report about someone else does not).
pub fn latest_declaration<'a>(
    profile_id: Uuid,
    submissions: impl IntoIterator<Item = (&'a Submission, bool)>,
) -> Option<LatestDeclaration> {
    submissions
        .into_iter()
        .filter(|(submission, _)| {
            submission.content.profile_id() == profile_id
                && submission
                    .content
                    .declaration_kind()
                    .is_some_and(|kind| kind.gives_status())
        })
        .max_by_key(|(submission, _)| submission.created_at_ms)
        .map(|(submission, delivered)| LatestDeclaration {
            declared_at_ms: submission.created_at_ms,
            delivered,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: i64 = 3_600_000;

    #[test]
    fn the_latest_declaration_of_a_status_kind_decides() {
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
            latest_declaration(person.profile_id, on_device),
            Some(LatestDeclaration {
                declared_at_ms: 20,
                delivered: false
            })
        );
        assert_eq!(
            latest_declaration(person.profile_id, [(&report, true)]),
            None
        );
    }

    #[test]
    fn statuses_over_time() {
        let policy = Policy::default();
        assert_eq!(policy.status(None, 0), Status::NotDeclared);
        let pending = LatestDeclaration {
            declared_at_ms: 0,
            delivered: false,
        };
        assert_eq!(
            policy.status(Some(pending), 100 * HOUR),
            Status::PendingUpload
        );
        let delivered = LatestDeclaration {
            declared_at_ms: 10 * HOUR,
            delivered: true,
        };
        assert_eq!(
            policy.status(Some(delivered), 11 * HOUR),
            Status::ValidUntil(34 * HOUR)
        );
        assert_eq!(policy.status(Some(delivered), 34 * HOUR), Status::Expired);
        let short = Policy {
            declaration_validity_hours: 1,
        };
        assert_eq!(short.status(Some(delivered), 11 * HOUR), Status::Expired);
    }
}

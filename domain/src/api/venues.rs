//! The venue side's wire types: sign-in, the organisation and its members, control points, their
//! visitor lists and the public venue keys. Requests (what the server reads) refuse unknown
//! fields; responses do not, so an older app keeps reading a newer server's answers.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::i18n::Text;
use crate::poster::PublicKey;
use crate::venue::VenueFields;
use crate::visit::ListedVisit;

/// `POST /api/v1/auth/code`: send a sign-in code to this phone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CodeRequest {
    pub phone: String,
}

/// `POST /api/v1/auth/session`: sign in with the code sent to the phone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SignInRequest {
    pub phone: String,
    pub code: String,
}

/// A member's role in their organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Manager,
    Staff,
}

impl Role {
    /// The name on the wire and in the database.
    pub fn name(self) -> &'static str {
        match self {
            Role::Manager => "manager",
            Role::Staff => "staff",
        }
    }

    /// `manager` is a manager; any other name is staff (the least a member can be).
    pub fn from_name(name: &str) -> Role {
        if name == "manager" {
            Role::Manager
        } else {
            Role::Staff
        }
    }

    pub fn text(self) -> Text {
        match self {
            Role::Manager => Text::RoleManager,
            Role::Staff => Text::RoleStaff,
        }
    }
}

/// The caller's organisation and role in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Membership {
    pub organisation_id: Uuid,
    pub organisation_name: String,
    pub role: Role,
}

/// `GET /api/v1/venue-access`: where the caller stands on the venue side. Always a 200, so that
/// opening `/venue` signed out is an ordinary answer rather than an error in the browser's console.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum VenueAccess {
    /// No session: the sign-in form.
    SignedOut,
    /// Signed in, but in no organisation yet: the form that creates one.
    NoOrganisation,
    /// Signed in as a member.
    Member { membership: Membership },
}

/// `POST /api/v1/organisation`: a new organisation, managed by the caller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewOrganisationRequest {
    pub name: String,
}

/// A member of an organisation: listed, and sent to add one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Member {
    pub phone: String,
    pub role: Role,
}

/// Whom to remove; the phone travels in the body, never in a URL (DESIGN.md §7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Removal {
    pub phone: String,
}

/// A control point as its organisation sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Venue {
    pub id: Uuid,
    /// What was registered, as checked.
    #[serde(flatten)]
    pub fields: VenueFields,
    /// The signed poster URL (DESIGN.md §5.1).
    pub poster_url: String,
    /// Printed under the QR, for typing when the camera fails.
    pub short_code: String,
    pub poster_issued_at_s: i64,
    /// Whether the health authority granted this venue its visitors' full names and phone
    /// numbers (hospitals and checkpoints only; DESIGN.md §4). Never chosen by the manager.
    pub full_access: bool,
}

/// `POST /api/v1/venues/{id}/visitors`: the list's filters, sent in the request body: a searched
/// name must never be in a URL (DESIGN.md §7), where proxies and logs keep it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct VisitorQuery {
    /// First day, `YYYY-MM-DD` (Vietnam time).
    pub from: Option<String>,
    /// Last day, inclusive.
    pub to: Option<String>,
    /// Text in the name or phone as shown.
    pub q: Option<String>,
    /// `time` (newest arrival first, the default) or `name`.
    pub sort: Option<String>,
    /// From 1.
    pub page: Option<usize>,
}

/// One page of a venue's visitor list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VisitorPage {
    pub visitors: Vec<ListedVisit>,
    pub total: usize,
    pub page: usize,
    pub pages: usize,
    /// Whether names and phone numbers are shown in full: only at hospitals and checkpoints the
    /// authority granted full access. ID numbers are masked either way.
    pub unmasked: bool,
}

/// `GET /api/v1/keys`: the public venue-signing keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KeysBody {
    pub keys: Vec<PublicKey>,
}

/// `GET /api/v1/posters/{short_code}`: where the short code printed under a poster's QR leads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResolvedPoster {
    pub poster_url: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_keep_their_names() {
        for role in [Role::Manager, Role::Staff] {
            assert_eq!(Role::from_name(role.name()), role);
            assert_eq!(
                serde_json::to_value(role).unwrap(),
                serde_json::Value::from(role.name())
            );
        }
        assert_eq!(Role::from_name("owner"), Role::Staff);
    }

    #[test]
    fn venue_access_is_tagged_by_state() {
        assert_eq!(
            serde_json::to_value(VenueAccess::SignedOut).unwrap(),
            serde_json::json!({ "state": "signed_out" })
        );
        let member = VenueAccess::Member {
            membership: Membership {
                organisation_id: Uuid::nil(),
                organisation_name: "UBND".into(),
                role: Role::Staff,
            },
        };
        let json = serde_json::to_string(&member).unwrap();
        assert!(
            json.starts_with(r#"{"state":"member","membership":{"#),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<VenueAccess>(&json).unwrap(), member);
    }

    #[test]
    fn requests_refuse_unknown_fields_and_answers_do_not() {
        assert!(serde_json::from_str::<Member>(r#"{"phone":"0912000011","role":"staff"}"#).is_ok());
        assert!(
            serde_json::from_str::<Member>(r#"{"phone":"0912000011","role":"staff","x":1}"#)
                .is_err()
        );
        assert!(serde_json::from_str::<VisitorQuery>(r#"{"sort":"name","page":2}"#).is_ok());
        assert!(serde_json::from_str::<VisitorQuery>(r#"{"search":"An"}"#).is_err());
        let membership = format!(
            r#"{{"organisation_id":"{}","organisation_name":"UBND","role":"manager","new":true}}"#,
            Uuid::nil()
        );
        assert!(serde_json::from_str::<Membership>(&membership).is_ok());
    }

    #[test]
    fn a_venue_is_one_flat_object() {
        let venue = Venue {
            id: Uuid::nil(),
            fields: VenueFields {
                name: "UBND".into(),
                venue_type: crate::poster::VenueType::Office,
                phone: None,
                province: 1,
                ward: Some(70),
                street: "1 Tràng Tiền".into(),
                position: None,
                intro: String::new(),
                default_stay_minutes: 60,
            },
            poster_url: "http://127.0.0.1/c#1.a.b".into(),
            short_code: "ABCD2345".into(),
            poster_issued_at_s: 1_800_000_000,
            full_access: false,
        };
        let json = serde_json::to_value(&venue).unwrap();
        assert_eq!(json["name"], "UBND");
        assert_eq!(json["venue_type"], "office");
        assert_eq!(json["default_stay_minutes"], 60);
        assert!(json.get("fields").is_none());
        assert_eq!(serde_json::from_value::<Venue>(json).unwrap(), venue);
    }
}

//! The API's wire contract, shared by the app and the server so the compiler checks both ends:
//! the error body and its codes, the batch of submissions and its results, the declaration
//! policy, and the venue side's requests and answers (`venues`). Reading request
//! bodies (`read_body`, feature `json`) is here too: the one place that turns untrusted bytes into
//! a wire type, used by the server for every JSON body and batch item, and by the fuzz targets.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

mod officer;
mod venues;

pub use crate::exposure::{ExposureDraft, ExposureList, SignedExposureList};
pub use crate::outbox::Receipt;
pub use crate::status::Policy;
#[cfg(feature = "json")]
use crate::validation::ErrorCode;
use crate::validation::FieldError;
pub use crate::visit::ListedVisit;
pub use officer::{
    CaseRead, CaseRequest, CaseVisitors, DayCounts, DayTotal, OfficerVenue, PublishedExposure,
    Statistics, StatisticsQuery, VenueSearch, CASE_REFERENCE_MAX_CHARS, STATISTICS_MAX_DAYS,
};
#[cfg(feature = "json")]
use serde::de::{DeserializeOwned, IgnoredAny};
pub use venues::{
    CodeRequest, KeysBody, Member, Membership, NewOrganisationRequest, Removal, ResolvedPoster,
    Role, SignInRequest, Venue, VenueAccess, VisitorPage, VisitorQuery,
};

/// The stable, machine-readable code of every API error (the `error` of [`ErrorBody`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ApiErrorCode {
    NotFound,
    MalformedJson,
    NotJson,
    TooLarge,
    RequestTimeout,
    /// Some fields are refused: see `fields`.
    Validation,
    IdConflict,
    /// The same id is being stored by another request: retry.
    InFlight,
    /// Transient: retry after `Retry-After`.
    DatabaseUnavailable,
    /// A bug or bad data on the server: retrying does not help.
    Internal,
    RateLimited,
    BadDeviceKey,
    /// Sign-in: no code was sent to this phone.
    NoCode,
    WrongCode,
    /// Sign-in: the code was used, or guessed wrong too often.
    CodeLocked,
    CodeExpired,
    SignedOut,
    Forbidden,
    AlreadyMember,
    CodeNotSent,
    /// Gate mode, a visitor's phone: their latest declaration is past its validity.
    DeclarationExpired,
    /// A code this build does not know (a newer server): handled as a server problem.
    #[serde(other)]
    Unknown,
}

/// Body of every API error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub error: ApiErrorCode,
    /// Human-readable explanation in English, for developers. It may quote the request back to
    /// its sender, so it is never logged.
    #[serde(default)]
    pub message: String,
    /// The refused fields, for `validation` errors: shown by the app next to each field.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
}

/// Many submissions in one request (`POST /api/v1/submissions/batch`). The app sends
/// `Submission`s; the server reads each item on its own (`T` a raw JSON value), so one bad item
/// does not refuse the others.
#[derive(Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BatchRequest<T> {
    pub items: Vec<T>,
}

/// At most this many items in one batch.
pub const MAX_BATCH_ITEMS: usize = 500;

/// The fate of one batch item: the status it would have had on its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemResult {
    /// `None` when the item was too broken to name its id.
    pub id: Option<Uuid>,
    pub status: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt: Option<Receipt>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorBody>,
}

/// One result per item, in the order of the request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BatchResults {
    pub results: Vec<ItemResult>,
}

/// Why a body was refused.
#[cfg(feature = "json")]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BodyError {
    /// Not JSON at all (HTTP 400): nothing in it can be pointed at.
    #[error("not valid JSON: {0}")]
    Malformed(String),
    /// JSON of the wrong shape (HTTP 422): the field is named, as validation errors are.
    #[error("{}: {message}", field.field)]
    Invalid {
        field: FieldError,
        /// serde's own words, for developers.
        message: String,
    },
}

#[cfg(feature = "json")]
/// Parses `bytes` as a `T`, naming the field at fault when the JSON is well formed but does not
/// fit: an unknown field (at any depth), a missing one, or a value of the wrong type.
pub fn read_body<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, BodyError> {
    // Most bodies are good: read them at full speed, and track the path only to explain a
    // refusal (path tracking costs about a tenth of the batch endpoint's throughput).
    if let Ok(value) = serde_json::from_slice(bytes) {
        return Ok(value);
    }
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let parsed = serde_path_to_error::deserialize::<_, T>(&mut deserializer)
        .map_err(|error| (error.path().to_string(), error.into_inner()))
        .and_then(|value| {
            deserializer
                .end()
                .map(|()| value)
                .map_err(|error| (String::new(), error))
        });
    let (path, error) = match parsed {
        Ok(value) => return Ok(value),
        Err(failure) => failure,
    };
    // serde reports a wrong type inside an enum's tag as a syntax error; only bytes that are not
    // JSON at all are malformed.
    if serde_json::from_slice::<IgnoredAny>(bytes).is_err() {
        return Err(BodyError::Malformed(error.to_string()));
    }
    let message = error.to_string();
    let (field, code) = match quoted_name(&message, "unknown field `") {
        Some(name) => (join(&path, name), ErrorCode::UnknownField),
        None => match quoted_name(&message, "missing field `") {
            Some(name) => (join(&path, name), ErrorCode::Required),
            None => (path, ErrorCode::InvalidValue),
        },
    };
    let field = if field.is_empty() || field == "." {
        "body".to_owned()
    } else {
        field
    };
    Err(BodyError::Invalid {
        field: FieldError { field, code },
        message,
    })
}

#[cfg(feature = "json")]
/// The name serde quotes after `prefix` in its message, e.g. `nickname` in "unknown field
/// `nickname`, expected one of …".
fn quoted_name<'m>(message: &'m str, prefix: &str) -> Option<&'m str> {
    let rest = message.strip_prefix(prefix)?;
    rest.split_once('`').map(|(name, _)| name)
}

#[cfg(feature = "json")]
/// `path.name`, unless serde already ended the path with the name (it does for derived structs).
fn join(path: &str, name: &str) -> String {
    if path.is_empty() || path == "." {
        name.to_owned()
    } else if path == name || path.ends_with(&format!(".{name}")) {
        path.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

#[cfg(all(test, feature = "json"))]
mod tests {
    use super::*;
    use crate::submission::Submission;
    use proptest::prelude::*;

    /// A daily health declaration as the app sends it: `kind` before `body`. (Bodies sent with
    /// `body` first are buffered by serde before the kind is known, and their errors are named
    /// down to `content` only.)
    fn submission_json() -> String {
        let person = crate::declaration::tests::person();
        let declaration =
            crate::declaration::DeclarationDraft::<crate::declaration::DailyHealth>::default()
                .declare(person);
        serde_json::to_string(&Submission {
            id: uuid::Uuid::nil(),
            created_at_ms: 1_700_000_000_000,
            content: crate::submission::Content::DailyHealth(declaration),
        })
        .unwrap()
    }

    /// The submission with the first `from` replaced by `to`.
    fn edited(from: &str, to: &str) -> String {
        let json = submission_json();
        assert!(json.contains(from), "{json}");
        json.replacen(from, to, 1)
    }

    fn refused(json: String) -> FieldError {
        match read_body::<Submission>(json.as_bytes()) {
            Err(BodyError::Invalid { field, .. }) => field,
            other => panic!("expected a named field, got {other:?}"),
        }
    }

    #[test]
    fn a_good_body_reads() {
        assert!(read_body::<Submission>(submission_json().as_bytes()).is_ok());
    }

    #[test]
    fn unknown_fields_are_named_at_any_depth() {
        assert_eq!(
            refused(edited("\"person\":{", "\"person\":{\"nickname\":\"An\",")),
            FieldError {
                field: "content.body.person.nickname".into(),
                code: ErrorCode::UnknownField
            }
        );
        assert_eq!(
            refused(edited("\"address\":{", "\"address\":{\"zip\":\"1\",")).field,
            "content.body.person.address.zip"
        );
    }

    #[test]
    fn a_wrong_type_is_a_named_field_not_malformed_json() {
        let field = refused(edited("\"daily_health\"", "5"));
        assert_eq!(field.code, ErrorCode::InvalidValue);
        assert!(field.field.starts_with("content"), "{}", field.field);
        assert_eq!(
            refused(edited("1700000000000", "\"soon\"")),
            FieldError {
                field: "created_at_ms".into(),
                code: ErrorCode::InvalidValue
            }
        );
    }

    #[test]
    fn a_missing_field_is_required() {
        let id = format!("\"id\":\"{}\",", uuid::Uuid::nil());
        assert_eq!(
            refused(edited(&id, "")),
            FieldError {
                field: "id".into(),
                code: ErrorCode::Required
            }
        );
    }

    #[test]
    fn only_bytes_that_are_not_json_are_malformed() {
        for bytes in [&b"{"[..], b"", b"{\"id\": }", b"{} {}"] {
            assert!(
                matches!(read_body::<Submission>(bytes), Err(BodyError::Malformed(_))),
                "{bytes:?}"
            );
        }
        assert!(matches!(
            read_body::<Submission>(b"[]"),
            Err(BodyError::Invalid { .. })
        ));
    }

    proptest! {
        #[test]
        fn any_bytes_are_read_or_refused_without_panicking(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = read_body::<Submission>(&bytes);
        }
    }
}

//! What the app submits to the server through the outbox, and the checks both sides apply.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::date::Date;
use crate::declaration::{
    AllCitizen, DailyHealth, Declaration, DomesticMove, Entry, Kind, Person, Report,
};
use crate::gate::{GateScan, GATE_SCAN_KIND};
use crate::i18n::Text;
use crate::pass::PassKey;
use crate::profile::Address;
use crate::validation::FieldError;
use crate::visit::{CheckIn, Direction};

/// The `kind` of check-ins.
pub const CHECK_IN_KIND: &str = "check_in";
/// The `kind` of deletion requests.
pub const ERASURE_KIND: &str = "erasure";

/// A request to delete on the server everything the sending device sent: its declarations and
/// check-ins (DESIGN.md §7). It names nobody; the server finds the rows by the device key the
/// request arrives with, so a device can erase only what it sent itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Erasure {}

/// One submission. `id` is generated on the device when the user submits and is the permanent
/// idempotency key: the server stores at most one row per id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Submission {
    pub id: Uuid,
    /// When the user submitted, device clock, milliseconds since the Unix epoch.
    pub created_at_ms: i64,
    pub content: Content,
}

/// The kinds of submission, each with its own body. Its OpenAPI schema is written out below
/// (`schema`): the derived one would let unknown keys beside `kind` and `body` through.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    content = "body",
    rename_all = "snake_case",
    deny_unknown_fields
)]
pub enum Content {
    AllCitizen(Declaration<AllCitizen>),
    DomesticMove(Declaration<DomesticMove>),
    Entry(Declaration<Entry>),
    DailyHealth(Declaration<DailyHealth>),
    Report(Declaration<Report>),
    CheckIn(CheckIn),
    GateScan(GateScan),
    Erasure(Erasure),
}

impl Content {
    /// The kind of declaration; `None` for anything else.
    pub fn declaration_kind(&self) -> Option<Kind> {
        match self {
            Content::AllCitizen(_) => Some(Kind::AllCitizen),
            Content::DomesticMove(_) => Some(Kind::DomesticMove),
            Content::Entry(_) => Some(Kind::Entry),
            Content::DailyHealth(_) => Some(Kind::DailyHealth),
            Content::Report(_) => Some(Kind::Report),
            Content::CheckIn(_) | Content::GateScan(_) | Content::Erasure(_) => None,
        }
    }

    /// What the authority's statistics count this as (DESIGN.md §4): every declaration, and
    /// the arrivals at venues, by poster or at a gate.
    pub fn counted(&self) -> Option<Counted> {
        match self {
            Content::CheckIn(check_in) if check_in.direction == Direction::Arrival => {
                Some(Counted::CheckIn)
            }
            Content::GateScan(scan) if scan.direction == Direction::Arrival => {
                Some(Counted::CheckIn)
            }
            Content::CheckIn(_) | Content::GateScan(_) | Content::Erasure(_) => None,
            _ => Some(Counted::Declaration),
        }
    }

    /// Stable name of the kind, as in the API's `kind` tag and the server's `kind` column.
    pub fn kind_name(&self) -> &'static str {
        match (self, self.declaration_kind()) {
            (_, Some(kind)) => kind.name(),
            (Content::Erasure(_), None) => ERASURE_KIND,
            (Content::GateScan(_), None) => GATE_SCAN_KIND,
            (_, None) => CHECK_IN_KIND,
        }
    }

    /// The title the app shows for it.
    pub fn title(&self) -> Text {
        match (self, self.declaration_kind()) {
            (_, Some(kind)) => kind.title(),
            (Content::Erasure(_), None) => Text::KindErasure,
            (Content::GateScan(_), None) => Text::KindGateScan,
            (_, None) => Text::KindCheckIn,
        }
    }

    /// The profile the submission is about; `None` for a deletion request, which is about the
    /// device, and a gate scan, which is about a visitor's pass.
    pub fn profile_id(&self) -> Option<Uuid> {
        Some(match self {
            Content::AllCitizen(declaration) => declaration.person.profile_id,
            Content::DomesticMove(declaration) => declaration.person.profile_id,
            Content::Entry(declaration) => declaration.person.profile_id,
            Content::DailyHealth(declaration) => declaration.person.profile_id,
            Content::Report(declaration) => declaration.person.profile_id,
            Content::CheckIn(check_in) => check_in.visitor.profile_id,
            Content::GateScan(_) | Content::Erasure(_) => return None,
        })
    }

    /// The name of the person it is about, as when it was made; `None` for a deletion request
    /// and a gate scan (whose pass holds only a masked name).
    pub fn full_name(&self) -> Option<&str> {
        Some(match self {
            Content::AllCitizen(declaration) => &declaration.person.details.full_name,
            Content::DomesticMove(declaration) => &declaration.person.details.full_name,
            Content::Entry(declaration) => &declaration.person.details.full_name,
            Content::DailyHealth(declaration) => &declaration.person.details.full_name,
            Content::Report(declaration) => &declaration.person.details.full_name,
            Content::CheckIn(check_in) => &check_in.visitor.full_name,
            Content::GateScan(_) | Content::Erasure(_) => return None,
        })
    }

    /// The person a declaration is about; `None` for anything else.
    pub fn person(&self) -> Option<&Person> {
        match self {
            Content::AllCitizen(declaration) => Some(&declaration.person),
            Content::DomesticMove(declaration) => Some(&declaration.person),
            Content::Entry(declaration) => Some(&declaration.person),
            Content::DailyHealth(declaration) => Some(&declaration.person),
            Content::Report(declaration) => Some(&declaration.person),
            Content::CheckIn(_) | Content::GateScan(_) | Content::Erasure(_) => None,
        }
    }

    /// The device's pass key a declaration carries.
    pub fn pass_key(&self) -> Option<&PassKey> {
        match self {
            Content::AllCitizen(declaration) => declaration.pass_key.as_ref(),
            Content::DomesticMove(declaration) => declaration.pass_key.as_ref(),
            Content::Entry(declaration) => declaration.pass_key.as_ref(),
            Content::DailyHealth(declaration) => declaration.pass_key.as_ref(),
            Content::Report(declaration) => declaration.pass_key.as_ref(),
            Content::CheckIn(_) | Content::GateScan(_) | Content::Erasure(_) => None,
        }
    }

    /// The declaration carrying the device's pass key, when it is one that gives the person a
    /// status (and so a pass); anything else, a report about someone else included, unchanged.
    pub fn with_pass_key(mut self, key: PassKey) -> Content {
        let slot = match &mut self {
            Content::AllCitizen(declaration) => &mut declaration.pass_key,
            Content::DomesticMove(declaration) => &mut declaration.pass_key,
            Content::Entry(declaration) => &mut declaration.pass_key,
            Content::DailyHealth(declaration) => &mut declaration.pass_key,
            Content::Report(_)
            | Content::CheckIn(_)
            | Content::GateScan(_)
            | Content::Erasure(_) => return self,
        };
        *slot = Some(key);
        self
    }

    /// Whether it was made on the person's behalf ("khai hộ").
    pub fn on_behalf(&self) -> bool {
        match self {
            Content::AllCitizen(declaration) => declaration.on_behalf,
            Content::DomesticMove(declaration) => declaration.on_behalf,
            Content::Entry(declaration) => declaration.on_behalf,
            Content::DailyHealth(declaration) => declaration.on_behalf,
            Content::Report(declaration) => declaration.on_behalf,
            Content::CheckIn(check_in) => check_in.on_behalf,
            Content::GateScan(_) | Content::Erasure(_) => false,
        }
    }

    /// Every address it holds, with its field path (as in `validate`'s errors): what the
    /// division catalogue checks.
    pub fn addresses(&self) -> Vec<(&'static str, &Address)> {
        // The profile form names its address fields at the top level: `person.ward`.
        let person = |address| ("person", address);
        match self {
            Content::AllCitizen(declaration) => vec![person(&declaration.person.details.address)],
            Content::DomesticMove(declaration) => vec![
                person(&declaration.person.details.address),
                ("answers.departure", &declaration.answers.departure),
                ("answers.destination", &declaration.answers.destination),
            ],
            Content::Entry(declaration) => vec![
                person(&declaration.person.details.address),
                (
                    "answers.quarantine_address",
                    &declaration.answers.quarantine_address,
                ),
            ],
            Content::DailyHealth(declaration) => vec![person(&declaration.person.details.address)],
            Content::Report(declaration) => vec![person(&declaration.person.details.address)],
            Content::CheckIn(_) | Content::GateScan(_) | Content::Erasure(_) => Vec::new(),
        }
    }

    /// Re-checks every field with the same rules the app applied (the server never trusts the
    /// app). `today` is the checking side's date. Field names are paths into `body`.
    pub fn validate(&self, today: Date) -> Result<(), Vec<FieldError>> {
        match self {
            Content::AllCitizen(declaration) => declaration.validate(today),
            Content::DomesticMove(declaration) => declaration.validate(today),
            Content::Entry(declaration) => declaration.validate(today),
            Content::DailyHealth(declaration) => declaration.validate(today),
            Content::Report(declaration) => declaration.validate(today),
            Content::CheckIn(check_in) => check_in.validate(today),
            Content::GateScan(scan) => scan.validate(),
            Content::Erasure(_) => Ok(()),
        }
    }
}

/// The OpenAPI schema of [`Content`]: one of the kinds, each an object of exactly `kind` (the
/// discriminator) and that kind's `body`, as serde reads it (adjacently tagged, unknown keys
/// refused).
#[cfg(feature = "openapi")]
mod schema {
    use std::borrow::Cow;

    use utoipa::openapi::schema::{
        AdditionalProperties, Discriminator, ObjectBuilder, OneOfBuilder, Schema, Type,
    };
    use utoipa::openapi::{Ref, RefOr};
    use utoipa::{PartialSchema, ToSchema};

    use super::{Content, Erasure, CHECK_IN_KIND, ERASURE_KIND};
    use crate::declaration::{
        AllCitizen, Answers, DailyHealth, Declaration, DomesticMove, Entry, Report,
    };
    use crate::gate::{GateScan, GATE_SCAN_KIND};
    use crate::visit::CheckIn;

    type Schemas = Vec<(String, RefOr<Schema>)>;

    /// One kind: its `kind` tag, the component name of its body, and what registers the body
    /// and the schemas it refers to.
    struct Variant {
        kind: &'static str,
        body: String,
        register: fn(&mut Schemas),
    }

    fn declaration<A: Answers + ToSchema>() -> Variant {
        Variant {
            kind: A::KIND.name(),
            body: format!("{}_{}", Declaration::<A>::name(), A::name()),
            register: |schemas| {
                schemas.push((
                    format!("{}_{}", Declaration::<A>::name(), A::name()),
                    Declaration::<A>::schema(),
                ));
                Declaration::<A>::schemas(schemas);
                // A generic declaration refers to its answers by name without registering them.
                schemas.push((A::name().into_owned(), A::schema()));
                A::schemas(schemas);
            },
        }
    }

    /// In the order of [`Content`]'s variants.
    fn variants() -> [Variant; 8] {
        [
            declaration::<AllCitizen>(),
            declaration::<DomesticMove>(),
            declaration::<Entry>(),
            declaration::<DailyHealth>(),
            declaration::<Report>(),
            Variant {
                kind: CHECK_IN_KIND,
                body: CheckIn::name().into_owned(),
                register: |schemas| {
                    schemas.push((CheckIn::name().into_owned(), CheckIn::schema()));
                    CheckIn::schemas(schemas);
                },
            },
            Variant {
                kind: GATE_SCAN_KIND,
                body: GateScan::name().into_owned(),
                register: |schemas| {
                    schemas.push((GateScan::name().into_owned(), GateScan::schema()));
                    GateScan::schemas(schemas);
                },
            },
            Variant {
                kind: ERASURE_KIND,
                body: Erasure::name().into_owned(),
                register: |schemas| schemas.push((Erasure::name().into_owned(), Erasure::schema())),
            },
        ]
    }

    impl PartialSchema for Content {
        fn schema() -> RefOr<Schema> {
            let variants = variants();
            let mapping = variants.iter().map(|variant| {
                (
                    variant.kind,
                    format!("#/components/schemas/{}", variant.body),
                )
            });
            let discriminator = Discriminator::with_mapping("kind", mapping);
            variants
                .iter()
                .fold(OneOfBuilder::new(), |one_of, variant| {
                    one_of.item(
                        ObjectBuilder::new()
                            .property(
                                "kind",
                                ObjectBuilder::new()
                                    .schema_type(Type::String)
                                    .enum_values(Some([variant.kind])),
                            )
                            .required("kind")
                            .property("body", Ref::from_schema_name(variant.body.as_str()))
                            .required("body")
                            .additional_properties(Some(AdditionalProperties::FreeForm(false))),
                    )
                })
                .discriminator(Some(discriminator))
                .description(Some(
                    "What is submitted: its `kind` and that kind's `body` (a declaration, a \
                     check-in, a gate scan, or a request to erase what the device sent).",
                ))
                .into()
        }
    }

    impl ToSchema for Content {
        fn name() -> Cow<'static, str> {
            Cow::Borrowed("Content")
        }

        fn schemas(schemas: &mut Schemas) {
            for variant in variants() {
                (variant.register)(schemas);
            }
        }
    }
}

/// What a submission counts as in the statistics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counted {
    Declaration,
    CheckIn,
}

impl Counted {
    /// The name in the server's `counted_as` column.
    pub fn name(self) -> &'static str {
        match self {
            Counted::Declaration => "declaration",
            Counted::CheckIn => "check_in",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::declaration::{DeclarationDraft, CONSENT_VERSION};
    use proptest::prelude::*;

    fn today() -> Date {
        Date::parse("2026-11-22").unwrap()
    }

    fn sample() -> Submission {
        let draft = DeclarationDraft {
            answers: DailyHealth {
                cough: true,
                ..DailyHealth::default()
            },
            on_behalf: true,
        };
        Submission {
            id: Uuid::from_u128(0x1234),
            created_at_ms: 1_700_000_000_000,
            content: Content::DailyHealth(draft.declare(crate::declaration::tests::person())),
        }
    }

    #[test]
    fn only_declarations_that_give_a_status_carry_the_pass_key() {
        use crate::pass::{KeyAlgorithm, PassKey};
        let key = PassKey {
            algorithm: KeyAlgorithm::Ed25519,
            public_key: "_RckOFqgx1tk-3jNYC-h2ZH96_drE8WO1wLqyDXp9hg".into(),
        };
        let daily = sample().content.with_pass_key(key.clone());
        assert_eq!(daily.pass_key(), Some(&key));
        assert_eq!(daily.validate(today()), Ok(()));
        let erasure = Content::Erasure(Erasure {});
        assert_eq!(erasure.clone().with_pass_key(key), erasure);
    }

    #[test]
    fn an_erasure_is_an_empty_body_that_names_nobody() {
        let json = r#"{"id":"00000000-0000-0000-0000-000000001234","created_at_ms":5,"content":{"kind":"erasure","body":{}}}"#;
        let submission: Submission = serde_json::from_str(json).unwrap();
        assert_eq!(submission.content, Content::Erasure(Erasure {}));
        assert_eq!(submission.content.kind_name(), ERASURE_KIND);
        assert_eq!(submission.content.profile_id(), None);
        assert_eq!(submission.content.full_name(), None);
        assert_eq!(submission.content.validate(today()), Ok(()));
        assert_eq!(serde_json::to_string(&submission).unwrap(), json);
        let named = json.replace("{}", r#"{"full_name":"An"}"#);
        assert!(serde_json::from_str::<Submission>(&named).is_err());
    }

    #[test]
    fn wire_format_is_tagged_by_kind() {
        let json = serde_json::to_value(sample()).unwrap();
        assert_eq!(json["content"]["kind"], "daily_health");
        let body = &json["content"]["body"];
        assert_eq!(body["person"]["full_name"], "Nguyễn Văn An");
        assert_eq!(body["person"]["address"]["province"], 79);
        assert_eq!(body["on_behalf"], true);
        assert_eq!(body["consent_version"], CONSENT_VERSION);
        assert_eq!(body["answers"]["cough"], true);
        let back: Submission = serde_json::from_value(json).unwrap();
        assert_eq!(back, sample());
        assert_eq!(back.content.kind_name(), "daily_health");
        assert!(back.content.on_behalf());
    }

    #[test]
    fn every_kind_is_named_as_on_the_wire() {
        for kind in Kind::ALL {
            let json = format!(r#"{{"kind":"{}","body":{{}}}}"#, kind.name());
            let error = serde_json::from_str::<Content>(&json)
                .unwrap_err()
                .to_string();
            assert!(error.contains("missing field"), "{kind:?}: {error}");
        }
    }

    #[test]
    fn unknown_fields_and_kinds_are_refused() {
        let mut json = serde_json::to_value(sample()).unwrap();
        json["content"]["body"]["extra"] = serde_json::json!(1);
        assert!(serde_json::from_value::<Submission>(json).is_err());
        let mut json = serde_json::to_value(sample()).unwrap();
        json["content"]["body"]["answers"]["extra"] = serde_json::json!(1);
        assert!(serde_json::from_value::<Submission>(json).is_err());
        let mut json = serde_json::to_value(sample()).unwrap();
        json["content"]["kind"] = serde_json::json!("teleport");
        assert!(serde_json::from_value::<Submission>(json).is_err());
        let mut json = serde_json::to_value(sample()).unwrap();
        json["id"] = serde_json::json!("not-a-uuid");
        assert!(serde_json::from_value::<Submission>(json).is_err());
    }

    #[test]
    fn valid_sample_passes() {
        assert_eq!(sample().content.validate(today()), Ok(()));
    }

    #[test]
    fn bad_person_fields_are_reported_with_paths() {
        let mut submission = sample();
        let Content::DailyHealth(daily) = &mut submission.content else {
            unreachable!()
        };
        daily.person.details.year_of_birth = 1899;
        daily.person.details.phone = Some("12345".into());
        daily.person.details.full_name = "  ".into();
        let errors = submission.content.validate(today()).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["person.full_name", "person.year_of_birth", "person.phone"]
        );
    }

    #[test]
    fn fuzz_seeds_are_valid_declarations_of_every_kind() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../fuzz/seeds/submission");
        let mut kinds = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let submission: Submission =
                serde_json::from_slice(&std::fs::read(entry.unwrap().path()).unwrap()).unwrap();
            assert_eq!(submission.content.validate(today()), Ok(()));
            kinds.push(submission.content.kind_name());
        }
        kinds.sort_unstable();
        let mut all: Vec<&str> = Kind::ALL.iter().map(|kind| kind.name()).collect();
        all.sort_unstable();
        assert_eq!(kinds, all);
    }

    proptest! {
        #[test]
        fn parsing_arbitrary_json_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            if let Ok(submission) = serde_json::from_slice::<Submission>(&bytes) {
                let _ = submission.content.validate(today());
            }
        }
    }
}

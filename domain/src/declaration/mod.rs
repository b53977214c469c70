//! Declarations (DESIGN.md §3.2): who a declaration is about, who made it, the consent given,
//! and the answers of its kind. Each kind's answers live in their own module; the rules here are
//! the ones every kind shares.

pub mod all_citizen;
pub mod daily_health;
pub mod domestic_move;
pub mod entry;
pub mod report;

use std::collections::BTreeSet;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub use all_citizen::{AllCitizen, Condition, Contact};
pub use daily_health::DailyHealth;
pub use domestic_move::DomesticMove;
pub use entry::Entry;
pub use report::{Report, ReportSubject};

use crate::countries::country_code;
use crate::date::Date;
use crate::divisions::province_code;
use crate::i18n::Text;
use crate::pass::PassKey;
use crate::profile::{field as profile_field, Address, Profile, ProfileDraft, ProfileFields};
use crate::text::clean_line;
use crate::validation::{Checker, ErrorCode, FieldError};

/// Version of the consent text the user agreed to before declaring (DESIGN.md §7). Raised
/// whenever what is collected, why, for how long or who sees it changes.
pub const CONSENT_VERSION: u32 = 1;

/// The kinds of declaration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    AllCitizen,
    DomesticMove,
    Entry,
    DailyHealth,
    Report,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::AllCitizen,
        Kind::DomesticMove,
        Kind::Entry,
        Kind::DailyHealth,
        Kind::Report,
    ];

    /// Stable name, as in the API's `kind` tag and the server's `kind` column.
    pub fn name(self) -> &'static str {
        match self {
            Kind::AllCitizen => "all_citizen",
            Kind::DomesticMove => "domestic_move",
            Kind::Entry => "entry",
            Kind::DailyHealth => "daily_health",
            Kind::Report => "report",
        }
    }

    /// The path segment of the kind's form in the app.
    pub fn slug(self) -> &'static str {
        match self {
            Kind::AllCitizen => "all-citizen",
            Kind::DomesticMove => "domestic-move",
            Kind::Entry => "entry",
            Kind::DailyHealth => "daily",
            Kind::Report => "report",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|kind| kind.slug() == slug)
    }

    pub fn title(self) -> Text {
        match self {
            Kind::AllCitizen => Text::KindAllCitizen,
            Kind::DomesticMove => Text::KindDomesticMove,
            Kind::Entry => Text::KindEntry,
            Kind::DailyHealth => Text::KindDailyHealth,
            Kind::Report => Text::KindReport,
        }
    }

    /// Whether a declaration of this kind makes its person's status valid. A report is about
    /// someone else's situation, not the declarant's health.
    pub fn gives_status(self) -> bool {
        !matches!(self, Kind::Report)
    }

    /// Profile fields this kind needs beyond a name and a year of birth, as tokhaiyte.vn's forms
    /// required them.
    pub fn required_profile_fields(self) -> &'static [&'static str] {
        match self {
            Kind::AllCitizen => &[
                profile_field::GENDER,
                profile_field::NATIONALITY,
                profile_field::PROVINCE,
                profile_field::WARD,
                profile_field::STREET,
            ],
            Kind::DomesticMove | Kind::Entry => {
                &[profile_field::GENDER, profile_field::NATIONALITY]
            }
            Kind::DailyHealth | Kind::Report => &[],
        }
    }
}

/// The person a declaration is about, copied from their profile when it was made, so that later
/// edits of the profile never rewrite what was submitted.
///
/// On the wire the profile's fields sit beside `profile_id` in one object. Serde cannot refuse
/// unknown fields through `flatten`, so reading goes through [`person_wire`], which takes
/// `profile_id` out and hands every other key to `ProfileFields`, which refuses what it does not
/// know: a misspelt field is an error, never silently dropped data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Person {
    pub profile_id: Uuid,
    #[serde(flatten)]
    pub details: ProfileFields,
}

impl<'de> Deserialize<'de> for Person {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(person_wire::PersonVisitor)
    }
}

/// The wire shape [`person_wire`] reads: `profile_id` beside the profile's fields in one object,
/// and no other key.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Person {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, Schema, SchemaFormat, Type};
        use utoipa::openapi::RefOr;
        let RefOr::T(Schema::Object(mut object)) =
            <ProfileFields as utoipa::PartialSchema>::schema()
        else {
            unreachable!("ProfileFields is a struct: its schema is an object")
        };
        object.properties.insert(
            "profile_id".into(),
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Uuid)))
                .description(Some("The profile the person was copied from."))
                .into(),
        );
        object.required.insert(0, "profile_id".into());
        object.description = Some(
            "The person a declaration is about: `profile_id` and the profile's fields, copied when \
             it was made."
                .into(),
        );
        RefOr::T(Schema::Object(object))
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Person {
    fn schemas(
        schemas: &mut Vec<(
            String,
            utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
        )>,
    ) {
        <ProfileFields as utoipa::ToSchema>::schemas(schemas);
    }
}

mod person_wire {
    use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, Visitor};
    use serde::Deserialize;
    use uuid::Uuid;

    use super::{Person, ProfileFields};

    pub(super) struct PersonVisitor;

    impl<'de> Visitor<'de> for PersonVisitor {
        type Value = Person;

        fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
            formatter.write_str("a person: profile_id and the profile's fields")
        }

        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Person, A::Error> {
            let mut profile_id = None;
            let details = ProfileFields::deserialize(de::value::MapAccessDeserializer::new(
                WithoutProfileId {
                    map,
                    profile_id: &mut profile_id,
                },
            ))?;
            let profile_id = profile_id.ok_or_else(|| de::Error::missing_field("profile_id"))?;
            Ok(Person {
                profile_id,
                details,
            })
        }
    }

    /// The person's keys without `profile_id`, whose value it keeps aside.
    struct WithoutProfileId<'a, A> {
        map: A,
        profile_id: &'a mut Option<Uuid>,
    }

    impl<'de, A: MapAccess<'de>> MapAccess<'de> for WithoutProfileId<'_, A> {
        type Error = A::Error;

        fn next_key_seed<K: DeserializeSeed<'de>>(
            &mut self,
            seed: K,
        ) -> Result<Option<K::Value>, A::Error> {
            loop {
                let Some(key) = self.map.next_key::<String>()? else {
                    return Ok(None);
                };
                if key != "profile_id" {
                    return seed.deserialize(key.into_deserializer()).map(Some);
                }
                if self.profile_id.is_some() {
                    return Err(de::Error::duplicate_field("profile_id"));
                }
                *self.profile_id = Some(self.map.next_value()?);
            }
        }

        fn next_value_seed<V: DeserializeSeed<'de>>(
            &mut self,
            seed: V,
        ) -> Result<V::Value, A::Error> {
            self.map.next_value_seed(seed)
        }
    }
}

impl From<&Profile> for Person {
    fn from(profile: &Profile) -> Self {
        Person {
            profile_id: profile.id,
            details: profile.fields.clone(),
        }
    }
}

impl Person {
    /// The profile fields `kind` needs that this person's profile lacks.
    pub fn missing_for(&self, kind: Kind) -> Vec<&'static str> {
        let details = &self.details;
        kind.required_profile_fields()
            .iter()
            .copied()
            .filter(|field| match *field {
                profile_field::GENDER => details.gender.is_none(),
                profile_field::NATIONALITY => details.nationality.is_none(),
                profile_field::PROVINCE => details.address.province.is_none(),
                profile_field::WARD => details.address.ward.is_none(),
                profile_field::STREET => details.address.street.is_empty(),
                _ => false,
            })
            .collect()
    }

    fn check(&self, checker: &mut Checker, kind: Kind, today: Date) {
        self.check_details(checker, today, "person");
        for field in self.missing_for(kind) {
            checker.check::<()>(&format!("person.{field}"), Err(ErrorCode::Required));
        }
    }

    /// Checks the copied profile fields as the profile form does, reporting them under `path`.
    pub(crate) fn check_details(&self, checker: &mut Checker, today: Date, path: &str) {
        let year = u16::try_from(today.year()).unwrap_or(u16::MAX);
        match ProfileDraft::from(&self.details).validate(year) {
            // Stored text must already be in its checked form, or the copy would differ.
            Ok(clean) if clean != self.details => {
                checker.check::<()>(path, Err(ErrorCode::ControlCharacters));
            }
            Ok(_) => {}
            Err(errors) => {
                for error in errors {
                    checker.check::<()>(&format!("{path}.{}", error.field), Err(error.code));
                }
            }
        }
    }
}

/// The answers of one kind of declaration: kept verbatim as a draft while the user types, then
/// checked by the same code on the device and on the server.
pub trait Answers:
    Clone + Default + PartialEq + std::fmt::Debug + Serialize + DeserializeOwned + 'static
{
    const KIND: Kind;

    /// Records every refused answer under its path (`answers.…`).
    fn check(&self, checker: &mut Checker, today: Date);

    /// The answers as they will be stored: free text trimmed and folded. Text that cannot be
    /// cleaned is kept as typed, so that the check reports why.
    fn cleaned(&self) -> Self;

    fn into_content(declaration: Declaration<Self>) -> crate::submission::Content;

    fn from_content(content: &crate::submission::Content) -> Option<&Declaration<Self>>;
}

/// A declaration of one kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Declaration<A> {
    pub person: Person,
    /// Made by someone else on the device for this person ("khai hộ").
    pub on_behalf: bool,
    /// The consent text version agreed to; declarations without consent are refused.
    pub consent_version: u32,
    pub answers: A,
    /// The public half of the device's pass key: the server binds the pass it issues to it, so
    /// only this device can show the pass live (DESIGN.md §3.3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pass_key: Option<PassKey>,
}

impl<A: Answers> Declaration<A> {
    /// Checks every field with the rules shared by the app and the server. Field names are paths
    /// into the body, such as `person.phone` or `answers.travel_date`.
    pub fn validate(&self, today: Date) -> Result<(), Vec<FieldError>> {
        let mut checker = Checker::default();
        self.person.check(&mut checker, A::KIND, today);
        self.answers.check(&mut checker, today);
        if let Some(pass_key) = &self.pass_key {
            checker.check(
                "pass_key",
                pass_key
                    .device_key()
                    .map(drop)
                    .ok_or(ErrorCode::InvalidValue),
            );
        }
        checker.check(
            "consent_version",
            if (1..=CONSENT_VERSION).contains(&self.consent_version) {
                Ok(())
            } else {
                Err(ErrorCode::Required)
            },
        );
        checker.finish(|| Some(()))
    }
}

/// What the declaration form holds while the user fills it in: saved as a draft, and copied
/// from the previous declaration only when the user asks ("same as last time").
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(bound = "A: Answers")]
pub struct DeclarationDraft<A> {
    pub answers: A,
    pub on_behalf: bool,
}

impl<A: Answers> DeclarationDraft<A> {
    /// The declaration this draft makes for `person`, with the current consent.
    pub fn declare(&self, person: Person) -> Declaration<A> {
        Declaration {
            person,
            on_behalf: self.on_behalf,
            consent_version: CONSENT_VERSION,
            answers: self.answers.cleaned(),
            pass_key: None,
        }
    }
}

impl<A: Answers> From<&Declaration<A>> for DeclarationDraft<A> {
    fn from(declaration: &Declaration<A>) -> Self {
        DeclarationDraft {
            answers: declaration.answers.clone(),
            on_behalf: declaration.on_behalf,
        }
    }
}

/// Signs of illness asked about by the all-citizen and entry forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Symptom {
    Fever,
    Cough,
    ShortnessOfBreath,
    Pneumonia,
    SoreThroat,
    Fatigue,
}

impl Symptom {
    pub const ALL: [Symptom; 6] = [
        Symptom::Fever,
        Symptom::Cough,
        Symptom::ShortnessOfBreath,
        Symptom::Pneumonia,
        Symptom::SoreThroat,
        Symptom::Fatigue,
    ];

    pub fn text(self) -> Text {
        match self {
            Symptom::Fever => Text::Fever,
            Symptom::Cough => Text::Cough,
            Symptom::ShortnessOfBreath => Text::ShortnessOfBreath,
            Symptom::Pneumonia => Text::Pneumonia,
            Symptom::SoreThroat => Text::SoreThroat,
            Symptom::Fatigue => Text::Fatigue,
        }
    }
}

/// Means of travel of the domestic-move and entry forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Vehicle {
    Plane,
    Train,
    Bus,
    Car,
    Ship,
    Other,
}

impl Vehicle {
    pub const ALL: [Vehicle; 6] = [
        Vehicle::Plane,
        Vehicle::Train,
        Vehicle::Bus,
        Vehicle::Car,
        Vehicle::Ship,
        Vehicle::Other,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Vehicle::Plane => "plane",
            Vehicle::Train => "train",
            Vehicle::Bus => "bus",
            Vehicle::Car => "car",
            Vehicle::Ship => "ship",
            Vehicle::Other => "other",
        }
    }

    pub fn text(self) -> Text {
        match self {
            Vehicle::Plane => Text::VehiclePlane,
            Vehicle::Train => Text::VehicleTrain,
            Vehicle::Bus => Text::VehicleBus,
            Vehicle::Car => Text::VehicleCar,
            Vehicle::Ship => Text::VehicleShip,
            Vehicle::Other => Text::VehicleOther,
        }
    }
}

/// Longest vehicle number (flight, train, plate, ship) and seat.
pub const VEHICLE_NUMBER_MAX_CHARS: usize = 20;
pub const SEAT_MAX_CHARS: usize = 10;
/// Most provinces or countries listed as visited.
pub const MAX_PLACES: usize = 50;
/// How far from today a travel or entry date may lie, in days.
pub const TRAVEL_WINDOW_DAYS: i32 = 366;

/// Field paths of [`Travel`], the same in every kind that asks for it.
pub mod travel_field {
    pub const PREFIX: &str = "answers.travel";
    pub const VEHICLE: &str = "answers.travel.vehicle";
    pub const VEHICLE_NUMBER: &str = "answers.travel.vehicle_number";
    pub const SEAT: &str = "answers.travel.seat";
}

/// How a vehicle is described: which kind, its number (required for a flight) and the seat.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Travel {
    pub vehicle: Option<Vehicle>,
    pub vehicle_number: String,
    pub seat: String,
}

impl Travel {
    fn check(&self, checker: &mut Checker) {
        checker.check(
            travel_field::VEHICLE,
            self.vehicle.ok_or(ErrorCode::Required),
        );
        let number = stored_line(&self.vehicle_number, VEHICLE_NUMBER_MAX_CHARS);
        checker.check(
            travel_field::VEHICLE_NUMBER,
            number.and_then(|()| {
                if self.vehicle == Some(Vehicle::Plane) && self.vehicle_number.is_empty() {
                    Err(ErrorCode::Required)
                } else {
                    Ok(())
                }
            }),
        );
        checker.check(travel_field::SEAT, stored_line(&self.seat, SEAT_MAX_CHARS));
    }

    fn cleaned(&self) -> Travel {
        Travel {
            vehicle: self.vehicle,
            vehicle_number: cleaned_line(&self.vehicle_number),
            seat: cleaned_line(&self.seat),
        }
    }
}

/// Checks that stored text is already in its cleaned form and within `max_chars`.
pub(crate) fn stored_line(text: &str, max_chars: usize) -> Result<(), ErrorCode> {
    let clean = clean_line(text, max_chars)?;
    if clean == text {
        Ok(())
    } else {
        Err(ErrorCode::ControlCharacters)
    }
}

/// Like [`stored_line`], and not empty.
pub(crate) fn stored_required_line(text: &str, max_chars: usize) -> Result<(), ErrorCode> {
    stored_line(text, max_chars)?;
    if text.is_empty() {
        Err(ErrorCode::Required)
    } else {
        Ok(())
    }
}

/// The cleaned form of typed text, or the text itself when it cannot be cleaned (the check will
/// say why).
pub(crate) fn cleaned_line(text: &str) -> String {
    clean_line(text, usize::MAX).unwrap_or_else(|_| text.to_owned())
}

/// Checks a place answer: a known province is required (or only checked when given, if
/// optional), and a ward needs its province.
pub(crate) fn check_place(checker: &mut Checker, prefix: &str, place: &Address, required: bool) {
    let province = match place.province {
        Some(code) => province_code(code),
        None if required || place.ward.is_some() => Err(ErrorCode::Required),
        None => Ok(()),
    };
    checker.check(&format!("{prefix}.province"), province);
}

/// Checks a list of visited countries.
pub(crate) fn check_countries(checker: &mut Checker, field: &str, countries: &BTreeSet<String>) {
    let result = if countries.len() > MAX_PLACES {
        Err(ErrorCode::TooMany { max: MAX_PLACES })
    } else {
        countries.iter().try_for_each(|code| country_code(code))
    };
    checker.check(field, result);
}

/// Checks a list of visited provinces.
pub(crate) fn check_provinces(checker: &mut Checker, field: &str, provinces: &BTreeSet<u16>) {
    checker.check(
        field,
        provinces.iter().try_for_each(|code| province_code(*code)),
    );
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn today() -> Date {
        Date::parse("2026-11-22").unwrap()
    }

    /// A complete profile: every kind can be declared for it.
    pub fn person() -> Person {
        Person {
            profile_id: Uuid::from_u128(7),
            details: ProfileFields {
                full_name: "Nguyễn Văn An".into(),
                year_of_birth: 1985,
                phone: Some("0912345678".into()),
                address: Address {
                    province: Some(79),
                    ward: Some(26_740),
                    street: "12 Võ Văn Ngân".into(),
                },
                id_number: Some("079085001234".into()),
                gender: Some(crate::profile::Gender::Male),
                email: None,
                insurance_number: None,
                nationality: Some("VN".into()),
            },
        }
    }

    /// The field paths `answers` are refused for.
    pub fn refused<A: Answers>(answers: A) -> Vec<String> {
        let declaration = DeclarationDraft {
            answers,
            on_behalf: false,
        }
        .declare(person());
        match declaration.validate(today()) {
            Ok(()) => Vec::new(),
            Err(errors) => errors.into_iter().map(|error| error.field).collect(),
        }
    }

    #[test]
    fn kinds_round_trip_through_slugs() {
        for kind in Kind::ALL {
            assert_eq!(Kind::from_slug(kind.slug()), Some(kind));
        }
        assert_eq!(Kind::from_slug("teleport"), None);
    }

    #[test]
    fn missing_profile_fields_are_named_per_kind() {
        let mut child = person();
        child.details.gender = None;
        child.details.address = Address::default();
        assert_eq!(child.missing_for(Kind::DailyHealth), Vec::<&str>::new());
        assert_eq!(
            child.missing_for(Kind::AllCitizen),
            ["gender", "province", "ward", "street"]
        );
        let declaration = DeclarationDraft::<AllCitizen> {
            answers: AllCitizen {
                sworn_truth: true,
                ..AllCitizen::default()
            },
            on_behalf: true,
        }
        .declare(child);
        let errors = declaration.validate(today()).unwrap_err();
        assert_eq!(errors[0].field, "person.gender");
    }

    #[test]
    fn a_person_altered_after_checking_is_refused() {
        let mut declaration = DeclarationDraft::<DailyHealth>::default().declare(person());
        declaration.person.details.full_name = "Nguyễn  Văn An".into();
        assert_eq!(
            declaration.validate(today()).unwrap_err()[0].field,
            "person"
        );
        declaration.person.details.full_name = String::new();
        assert_eq!(
            declaration.validate(today()).unwrap_err()[0].field,
            "person.full_name"
        );
    }

    #[test]
    fn a_person_reads_back_what_it_wrote_and_refuses_unknown_fields_at_every_level() {
        let person = person();
        let json = serde_json::to_value(&person).unwrap();
        assert_eq!(json["profile_id"], serde_json::json!(person.profile_id));
        assert_eq!(
            serde_json::from_value::<Person>(json.clone()).unwrap(),
            person
        );
        let refused = |edit: &dyn Fn(&mut serde_json::Value)| {
            let mut json = json.clone();
            edit(&mut json);
            serde_json::from_value::<Person>(json)
                .unwrap_err()
                .to_string()
        };
        assert!(refused(&|json| json["nickname"] = "An".into()).contains("nickname"));
        assert!(refused(&|json| json["address"]["zip"] = "700000".into()).contains("zip"));
        assert!(refused(&|json| {
            json.as_object_mut().unwrap().remove("profile_id");
        })
        .contains("profile_id"));
    }

    #[test]
    fn consent_is_required() {
        let mut declaration = DeclarationDraft::<DailyHealth>::default().declare(person());
        assert_eq!(declaration.validate(today()), Ok(()));
        declaration.consent_version = 0;
        assert_eq!(
            declaration.validate(today()).unwrap_err()[0].field,
            "consent_version"
        );
        declaration.consent_version = CONSENT_VERSION + 1;
        assert!(declaration.validate(today()).is_err());
    }

    #[test]
    fn a_flight_needs_its_number() {
        let mut checker = Checker::default();
        let flight = Travel {
            vehicle: Some(Vehicle::Plane),
            ..Travel::default()
        };
        flight.check(&mut checker);
        let fields: Vec<_> = checker.finish(|| Some(())).unwrap_err();
        assert_eq!(fields[0].field, travel_field::VEHICLE_NUMBER);
        let mut checker = Checker::default();
        Travel {
            vehicle: Some(Vehicle::Bus),
            ..Travel::default()
        }
        .check(&mut checker);
        assert!(checker.finish(|| Some(())).is_ok());
    }
}

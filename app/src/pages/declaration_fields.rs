//! What each kind of declaration asks, as tables of fields over its answers in
//! `domain::declaration`, and the typed work at the edges of its form.

use domain::date::Date;
use domain::declaration::all_citizen::{self, Condition, Contact};
use domain::declaration::report::{self, ReportSubject};
use domain::declaration::{
    daily_health, domestic_move, entry, travel_field, AllCitizen, Answers, DailyHealth,
    DeclarationDraft, DomesticMove, Entry, Kind, Person, Report, Symptom, Vehicle,
};
use domain::i18n::Text;
use domain::profile::Profile;
use domain::submission::Content;
use serde_json::Value;

use crate::pages::form::{
    checkbox, countries, country, encode, fieldset, one_of, options, place, provinces, several,
    text, FieldOption, Form, Input, Item,
};

/// One kind's form: its fields, and how its typed draft is made and checked.
pub struct DeclarationForm {
    pub items: &'static [Item],
    /// The values the form opens with for a profile.
    pub start: fn(&Profile) -> Value,
    /// The answers of `content` if it is a declaration of this kind ("same as last time").
    pub last_time: fn(&Content) -> Option<Value>,
    /// The declaration the form makes for the person, once `domain` accepts it.
    pub declare: fn(Form, Person, Date) -> Option<Content>,
}

impl DeclarationForm {
    pub fn of(kind: Kind) -> &'static DeclarationForm {
        match kind {
            Kind::AllCitizen => &ALL_CITIZEN,
            Kind::DomesticMove => &DOMESTIC_MOVE,
            Kind::Entry => &ENTRY,
            Kind::DailyHealth => &DAILY_HEALTH,
            Kind::Report => &REPORT,
        }
    }

    /// The form of answers `A`; only `start` differs between kinds.
    const fn of_answers<A: Answers>(
        items: &'static [Item],
        start: fn(&Profile) -> Value,
    ) -> DeclarationForm {
        DeclarationForm {
            items,
            start,
            last_time: last_time::<A>,
            declare: declare::<A>,
        }
    }
}

/// Health answers start blank: they are never carried over silently (DESIGN.md §3.2).
fn blank<A: Answers>(_: &Profile) -> Value {
    encode(&DeclarationDraft::<A>::default())
}

fn last_time<A: Answers>(content: &Content) -> Option<Value> {
    A::from_content(content).map(|declaration| encode(&DeclarationDraft::from(declaration)))
}

fn declare<A: Answers>(form: Form, person: Person, today: Date) -> Option<Content> {
    let declaration = form.draft::<DeclarationDraft<A>>()?.declare(person);
    form.report(declaration.validate(today))?;
    let content = A::into_content(declaration);
    if let Some(catalogue) = crate::adapters::assets::loaded_divisions() {
        form.report(catalogue.check_addresses(content.addresses()))?;
    }
    Some(content)
}

/// Made by someone else on the device for the person ("khai hộ"); asked by every kind.
pub const ON_BEHALF: &[Item] = &[checkbox("on_behalf", Text::OnBehalf)];

fn symptoms() -> Vec<FieldOption> {
    options(&Symptom::ALL, Symptom::text)
}

fn contacts() -> Vec<FieldOption> {
    options(&Contact::ALL, Contact::text)
}

fn conditions() -> Vec<FieldOption> {
    options(&Condition::ALL, Condition::text)
}

fn vehicles() -> Vec<FieldOption> {
    options(&Vehicle::ALL, Vehicle::text)
}

fn report_subjects() -> Vec<FieldOption> {
    options(&ReportSubject::ALL, ReportSubject::text)
}

#[rustfmt::skip]
static ALL_CITIZEN: DeclarationForm = DeclarationForm::of_answers::<AllCitizen>(&[
    provinces(all_citizen::field::PROVINCES, Text::VisitedProvinces14),
    countries(all_citizen::field::COUNTRIES, Text::VisitedCountries14),
    several("answers.symptoms", Text::Symptoms14Legend, symptoms),
    several("answers.contacts", Text::ContactsLegend, contacts),
    several("answers.conditions", Text::ConditionsLegend, conditions),
    checkbox(all_citizen::field::SWORN_TRUTH, Text::SwornTruth),
], blank::<AllCitizen>);

/// Vehicle, its number and the seat: asked the same way by the domestic-move and entry forms.
#[rustfmt::skip]
const TRAVEL: Item = Item::Fields(&[
    one_of(travel_field::VEHICLE, Text::Vehicle, vehicles),
    text(travel_field::VEHICLE_NUMBER, Text::VehicleNumber, Some(Text::VehicleNumberHint), Input::FREE.up_to(domain::declaration::VEHICLE_NUMBER_MAX_CHARS)),
    text(travel_field::SEAT, Text::Seat, None, Input::FREE.up_to(domain::declaration::SEAT_MAX_CHARS)),
]);

#[rustfmt::skip]
static DOMESTIC_MOVE: DeclarationForm = DeclarationForm::of_answers::<DomesticMove>(&[
    TRAVEL,
    fieldset(Text::DepartureLegend, &[
        place(domestic_move::field::DEPARTURE_PROVINCE, domestic_move::field::DEPARTURE_WARD),
    ]),
    fieldset(Text::DestinationLegend, &[
        place(domestic_move::field::DESTINATION_PROVINCE, domestic_move::field::DESTINATION_WARD),
    ]),
    text(domestic_move::field::TRAVEL_DATE, Text::TravelDate, None, Input::DATE),
], blank::<DomesticMove>);

#[rustfmt::skip]
static ENTRY: DeclarationForm = DeclarationForm::of_answers::<Entry>(&[
    text(entry::field::BORDER_GATE, Text::BorderGate, Some(Text::BorderGateHint), Input::FREE.up_to(entry::BORDER_GATE_MAX_CHARS)),
    text(entry::field::PASSPORT_NUMBER, Text::PassportNumber, None, Input::FREE),
    TRAVEL,
    country(entry::field::DEPARTURE_COUNTRY, Text::DepartureCountry),
    text(entry::field::ENTRY_DATE, Text::EntryDate, None, Input::DATE),
    countries(entry::field::COUNTRIES, Text::VisitedCountries21),
    fieldset(Text::QuarantineLegend, &[
        place(entry::field::QUARANTINE_PROVINCE, entry::field::QUARANTINE_WARD),
        text(entry::field::QUARANTINE_STREET, Text::Street, None, Input::FREE.up_to(domain::profile::STREET_MAX_CHARS)),
    ]),
    several("answers.symptoms", Text::EntrySymptomsLegend, symptoms),
], start_entry);

/// Not health answers: the passport and the address can start from the profile.
fn start_entry(profile: &Profile) -> Value {
    encode(&DeclarationDraft {
        answers: Entry {
            passport_number: profile.fields.id_number.clone().unwrap_or_default(),
            quarantine_address: profile.fields.address.clone(),
            ..Entry::default()
        },
        on_behalf: false,
    })
}

#[rustfmt::skip]
static DAILY_HEALTH: DeclarationForm = DeclarationForm::of_answers::<DailyHealth>(&[
    fieldset(Text::SymptomsLegend, &[
        checkbox("answers.fever", Text::Fever),
        checkbox("answers.cough", Text::Cough),
        checkbox("answers.shortness_of_breath", Text::ShortnessOfBreath),
    ]),
    text(daily_health::field::OTHER_SIGNS, Text::OtherSigns, None, Input::FREE.up_to(daily_health::OTHER_SIGNS_MAX_CHARS)),
], blank::<DailyHealth>);

#[rustfmt::skip]
static REPORT: DeclarationForm = DeclarationForm::of_answers::<Report>(&[
    Item::Note(Text::ReportIntro),
    several(report::field::SUBJECTS, Text::ReportSubjectsLegend, report_subjects),
    fieldset(Text::ReportPlaceLegend, &[place(report::field::PROVINCE, report::field::WARD)]),
    text(report::field::OBSERVED_ON, Text::ObservedOn, None, Input::DATE),
    text(report::field::DETAILS, Text::ReportDetails, None, Input::FREE.up_to(report::DETAILS_MAX_CHARS)),
], blank::<Report>);

//! The fields of each kind of declaration, drawn from the kind's answers in `domain::declaration`.

use domain::declaration::all_citizen::{self, Condition, Contact};
use domain::declaration::report::{self, ReportSubject};
use domain::declaration::{
    daily_health, domestic_move, entry, travel_field, AllCitizen, Answers, DailyHealth,
    DeclarationDraft, DomesticMove, Entry, Report, Symptom, Travel, Vehicle,
};
use domain::i18n::Text;
use domain::profile::Address;
use domain::validation::FieldError;
use leptos::prelude::*;

use crate::i18n::use_i18n;
use crate::pages::country::{CountryList, CountryPicker};
use crate::pages::fields::{Checkbox, ChoiceSet, RadioGroup, TextField};
use crate::pages::place::{PlacePicker, ProvinceList};

/// The state of a declaration form: the draft being filled and the errors last found in it.
pub struct Form<A: Send + Sync + 'static> {
    pub draft: ReadSignal<DeclarationDraft<A>>,
    pub set_draft: WriteSignal<DeclarationDraft<A>>,
    pub errors: ReadSignal<Vec<FieldError>>,
    pub set_errors: WriteSignal<Vec<FieldError>>,
}

impl<A: Send + Sync + 'static> Clone for Form<A> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<A: Send + Sync + 'static> Copy for Form<A> {}

impl<A: Answers + Send + Sync> Form<A> {
    pub fn new(
        draft: ReadSignal<DeclarationDraft<A>>,
        set_draft: WriteSignal<DeclarationDraft<A>>,
        errors: ReadSignal<Vec<FieldError>>,
        set_errors: WriteSignal<Vec<FieldError>>,
    ) -> Self {
        Form {
            draft,
            set_draft,
            errors,
            set_errors,
        }
    }

    /// One answer, read reactively.
    fn get<T: Send + Sync + 'static>(self, read: fn(&A) -> T) -> Signal<T> {
        Signal::derive(move || read(&self.draft.read().answers))
    }

    /// A setter of one answer.
    fn set<T: 'static>(self, write: fn(&mut A, T)) -> impl Fn(T) + Clone + Send + Sync + 'static {
        move |value| {
            self.set_draft
                .update(|draft| write(&mut draft.answers, value))
        }
    }
}

pub fn all_citizen_fields(form: Form<AllCitizen>) -> AnyView {
    let errors = form.errors;
    view! {
        <ProvinceList
            name=all_citizen::field::PROVINCES
            label=Text::VisitedProvinces14
            chosen=form.get(|a| a.visited_provinces.clone())
            on_change=form.set(|a, v| a.visited_provinces = v)
            errors
        />
        <CountryList
            name=all_citizen::field::COUNTRIES
            label=Text::VisitedCountries14
            chosen=form.get(|a| a.visited_countries.clone())
            on_change=form.set(|a, v| a.visited_countries = v)
            errors
        />
        <ChoiceSet
            name="answers.symptoms"
            legend=Text::Symptoms14Legend
            options=&Symptom::ALL
            text=Symptom::text
            chosen=form.get(|a| a.symptoms.clone())
            on_change=form.set(|a, v| a.symptoms = v)
            errors
        />
        <ChoiceSet
            name="answers.contacts"
            legend=Text::ContactsLegend
            options=&Contact::ALL
            text=Contact::text
            chosen=form.get(|a| a.contacts.clone())
            on_change=form.set(|a, v| a.contacts = v)
            errors
        />
        <ChoiceSet
            name="answers.conditions"
            legend=Text::ConditionsLegend
            options=&Condition::ALL
            text=Condition::text
            chosen=form.get(|a| a.conditions.clone())
            on_change=form.set(|a, v| a.conditions = v)
            errors
        />
        <Checkbox
            name=all_citizen::field::SWORN_TRUTH
            label=Text::SwornTruth
            checked=form.get(|a| a.sworn_truth)
            on_change=form.set(|a, v| a.sworn_truth = v)
            errors
        />
    }
    .into_any()
}

/// Vehicle, its number and the seat: the same fields in the domestic-move and entry forms.
fn travel_fields<A: Answers + Send + Sync>(
    form: Form<A>,
    read: fn(&A) -> &Travel,
    write: fn(&mut A) -> &mut Travel,
) -> impl IntoView {
    let errors = form.errors;
    let travel = move || read(&form.draft.read().answers).clone();
    let update = move |change: Box<dyn FnOnce(&mut Travel)>| {
        form.set_draft
            .update(|draft| change(write(&mut draft.answers)))
    };
    view! {
        <RadioGroup
            name=travel_field::VEHICLE
            legend=Text::Vehicle
            options=&Vehicle::ALL
            text=Vehicle::text
            chosen=Signal::derive(move || travel().vehicle)
            on_change=move |vehicle| update(Box::new(move |t| t.vehicle = Some(vehicle)))
            errors
        />
        <TextField
            name=travel_field::VEHICLE_NUMBER
            label=Text::VehicleNumber
            hint=Text::VehicleNumberHint
            autocomplete="off"
            value=Signal::derive(move || travel().vehicle_number)
            on_input=move |value| update(Box::new(move |t| t.vehicle_number = value))
            errors
        />
        <TextField
            name=travel_field::SEAT
            label=Text::Seat
            autocomplete="off"
            value=Signal::derive(move || travel().seat)
            on_input=move |value| update(Box::new(move |t| t.seat = value))
            errors
        />
    }
}

/// A province and ward in a fieldset of its own.
fn place_fieldset<A: Answers + Send + Sync>(
    form: Form<A>,
    legend: Text,
    (province_field, ward_field): (&'static str, &'static str),
    read: fn(&A) -> &Address,
    write: fn(&mut A) -> &mut Address,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <fieldset>
            <legend>{move || i18n.t(legend)}</legend>
            <PlacePicker
                province_field
                ward_field
                province=Signal::derive(move || read(&form.draft.read().answers).province)
                ward=Signal::derive(move || read(&form.draft.read().answers).ward)
                on_change=move |province, ward| {
                    form.set_draft.update(|draft| {
                        let place = write(&mut draft.answers);
                        place.province = province;
                        place.ward = ward;
                    })
                }
                errors=form.errors
            />
        </fieldset>
    }
}

pub fn domestic_move_fields(form: Form<DomesticMove>) -> AnyView {
    let errors = form.errors;
    view! {
        {travel_fields(form, |a| &a.travel, |a| &mut a.travel)}
        {place_fieldset(
            form,
            Text::DepartureLegend,
            (domestic_move::field::DEPARTURE_PROVINCE, domestic_move::field::DEPARTURE_WARD),
            |a| &a.departure,
            |a| &mut a.departure,
        )}
        {place_fieldset(
            form,
            Text::DestinationLegend,
            (domestic_move::field::DESTINATION_PROVINCE, domestic_move::field::DESTINATION_WARD),
            |a| &a.destination,
            |a| &mut a.destination,
        )}
        <TextField
            name=domestic_move::field::TRAVEL_DATE
            label=Text::TravelDate
            input_type="date"
            autocomplete="off"
            value=form.get(|a| a.travel_date.clone())
            on_input=form.set(|a, v| a.travel_date = v)
            errors
        />
    }
    .into_any()
}

pub fn entry_fields(form: Form<Entry>) -> AnyView {
    let errors = form.errors;
    let i18n = use_i18n();
    view! {
        <TextField
            name=entry::field::BORDER_GATE
            label=Text::BorderGate
            hint=Text::BorderGateHint
            autocomplete="off"
            value=form.get(|a| a.border_gate.clone())
            on_input=form.set(|a, v| a.border_gate = v)
            errors
        />
        <TextField
            name=entry::field::PASSPORT_NUMBER
            label=Text::PassportNumber
            autocomplete="off"
            value=form.get(|a| a.passport_number.clone())
            on_input=form.set(|a, v| a.passport_number = v)
            errors
        />
        {travel_fields(form, |a| &a.travel, |a| &mut a.travel)}
        <CountryPicker
            name=entry::field::DEPARTURE_COUNTRY
            label=Text::DepartureCountry
            chosen=form.get(|a| a.departure_country.clone())
            on_change=form.set(|a, v| a.departure_country = v)
            errors
        />
        <TextField
            name=entry::field::ENTRY_DATE
            label=Text::EntryDate
            input_type="date"
            autocomplete="off"
            value=form.get(|a| a.entry_date.clone())
            on_input=form.set(|a, v| a.entry_date = v)
            errors
        />
        <CountryList
            name=entry::field::COUNTRIES
            label=Text::VisitedCountries21
            chosen=form.get(|a| a.visited_countries.clone())
            on_change=form.set(|a, v| a.visited_countries = v)
            errors
        />
        <fieldset>
            <legend>{move || i18n.t(Text::QuarantineLegend)}</legend>
            <PlacePicker
                province_field=entry::field::QUARANTINE_PROVINCE
                ward_field=entry::field::QUARANTINE_WARD
                province=form.get(|a| a.quarantine_address.province)
                ward=form.get(|a| a.quarantine_address.ward)
                on_change=move |province, ward| {
                    form.set_draft.update(|draft| {
                        draft.answers.quarantine_address.province = province;
                        draft.answers.quarantine_address.ward = ward;
                    })
                }
                errors
            />
            <TextField
                name=entry::field::QUARANTINE_STREET
                label=Text::Street
                autocomplete="off"
                value=form.get(|a| a.quarantine_address.street.clone())
                on_input=form.set(|a, v| a.quarantine_address.street = v)
                errors
            />
        </fieldset>
        <ChoiceSet
            name="answers.symptoms"
            legend=Text::EntrySymptomsLegend
            options=&Symptom::ALL
            text=Symptom::text
            chosen=form.get(|a| a.symptoms.clone())
            on_change=form.set(|a, v| a.symptoms = v)
            errors
        />
    }
    .into_any()
}

pub fn daily_health_fields(form: Form<DailyHealth>) -> AnyView {
    let i18n = use_i18n();
    view! {
        <fieldset>
            <legend>{move || i18n.t(Text::SymptomsLegend)}</legend>
            <Checkbox
                name="answers.fever"
                label=Text::Fever
                checked=form.get(|a| a.fever)
                on_change=form.set(|a, v| a.fever = v)
            />
            <Checkbox
                name="answers.cough"
                label=Text::Cough
                checked=form.get(|a| a.cough)
                on_change=form.set(|a, v| a.cough = v)
            />
            <Checkbox
                name="answers.shortness_of_breath"
                label=Text::ShortnessOfBreath
                checked=form.get(|a| a.shortness_of_breath)
                on_change=form.set(|a, v| a.shortness_of_breath = v)
            />
        </fieldset>
        <TextField
            name=daily_health::field::OTHER_SIGNS
            label=Text::OtherSigns
            autocomplete="off"
            value=form.get(|a| a.other_signs.clone())
            on_input=form.set(|a, v| a.other_signs = v)
            errors=form.errors
        />
    }
    .into_any()
}

pub fn report_fields(form: Form<Report>) -> AnyView {
    let errors = form.errors;
    let i18n = use_i18n();
    view! {
        <p class="hint">{move || i18n.t(Text::ReportIntro)}</p>
        <ChoiceSet
            name=report::field::SUBJECTS
            legend=Text::ReportSubjectsLegend
            options=&ReportSubject::ALL
            text=ReportSubject::text
            chosen=form.get(|a| a.subjects.clone())
            on_change=form.set(|a, v| a.subjects = v)
            errors
        />
        {place_fieldset(
            form,
            Text::ReportPlaceLegend,
            (report::field::PROVINCE, report::field::WARD),
            |a| &a.place,
            |a| &mut a.place,
        )}
        <TextField
            name=report::field::OBSERVED_ON
            label=Text::ObservedOn
            input_type="date"
            autocomplete="off"
            value=form.get(|a| a.observed_on.clone())
            on_input=form.set(|a, v| a.observed_on = v)
            errors
        />
        <TextField
            name=report::field::DETAILS
            label=Text::ReportDetails
            autocomplete="off"
            value=form.get(|a| a.details.clone())
            on_input=form.set(|a, v| a.details = v)
            errors
        />
    }
    .into_any()
}

//! Choosing countries from the ISO 3166 list, searchable in the interface language, in English
//! and by code.

use std::sync::Arc;

use domain::countries::Countries;
use domain::i18n::{Lang, Text};
use leptos::prelude::*;
use serde_json::Value;

use crate::adapters::assets::countries;
use crate::i18n::use_i18n;
use crate::pages::fields::{choice_list, combobox, when_loaded, Choice, Choices, Search};
use crate::pages::form::{Field, Form};

/// Options for the typed text: a country's position in the list is its option code.
fn search(countries: Arc<Countries>) -> Search {
    let i18n = use_i18n();
    Arc::new(move |query: &str, limit: usize| {
        let lang = i18n.lang();
        countries
            .search(lang, query, limit)
            .into_iter()
            .filter_map(|country| choice(&countries, &country.code, lang))
            .collect()
    })
}

fn choice(countries: &Countries, code: &str, lang: Lang) -> Option<Choice> {
    let index = countries
        .countries
        .iter()
        .position(|country| country.code == code)?;
    Some(Choice {
        code: index as u32,
        label: countries.countries[index].name(lang).to_owned(),
    })
}

/// The code of the option `index`, as the draft holds it.
fn code_at(countries: &Countries, index: u32) -> Option<Value> {
    countries
        .countries
        .get(index as usize)
        .map(|country| Value::String(country.code.clone()))
}

/// `ready` with the country list, once it is loaded.
pub fn with_countries(
    ready: impl Fn(Arc<Countries>) -> AnyView + Send + Sync + 'static,
) -> AnyView {
    when_loaded(countries, Text::CountriesUnavailable, Box::new(ready))
}

/// One country (nationality, country of departure).
pub fn country_picker(list: Arc<Countries>, field: &'static Field, form: Form) -> AnyView {
    let i18n = use_i18n();
    let path = field.path;
    let shown = list.clone();
    let chosen = Signal::derive(move || {
        form.value(path)
            .as_str()
            .and_then(|code| choice(&shown, code, i18n.lang()))
            .map(|choice| choice.label)
            .unwrap_or_default()
    });
    let search = search(list.clone());
    let choose = Callback::new(move |index: Option<u32>| {
        let code = index.and_then(|index| code_at(&list, index));
        form.set(path, code.unwrap_or_default());
    });
    let choices = Choices {
        chosen,
        search,
        choose,
    };
    combobox(path, field.label, field.hint, form, choices)
}

/// Several countries (visited in the last 14 or 21 days).
pub fn country_list(list: Arc<Countries>, field: &'static Field, form: Form) -> AnyView {
    let i18n = use_i18n();
    let names = list.clone();
    let items = Signal::derive(move || {
        form.items(field.path)
            .iter()
            .filter_map(|code| choice(&names, code.as_str()?, i18n.lang()))
            .collect()
    });
    let search = search(list.clone());
    let value_of = Arc::new(move |index| code_at(&list, index));
    choice_list(field, form, items, search, value_of)
}

//! Choosing countries from the ISO 3166 list, searchable in the interface language, in English
//! and by code.

use std::collections::BTreeSet;

use domain::countries::Countries;
use domain::i18n::{Lang, Text};
use domain::validation::FieldError;
use leptos::prelude::*;

use crate::adapters::assets::countries;
use crate::i18n::use_i18n;
use crate::pages::fields::{toggled, when_loaded, Choice, ChoiceList, Combobox};

/// Options for `query`: a country's position in the list is its option code.
fn search(countries: &Countries, lang: Lang, query: &str, limit: usize) -> Vec<Choice> {
    countries
        .search(lang, query, limit)
        .into_iter()
        .filter_map(|country| choice(countries, &country.code, lang))
        .collect()
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

fn code_at(countries: &Countries, index: u32) -> Option<String> {
    countries
        .countries
        .get(index as usize)
        .map(|country| country.code.clone())
}

/// One country (nationality, country of departure).
#[component]
pub fn CountryPicker(
    name: &'static str,
    label: Text,
    #[prop(into)] chosen: Signal<Option<String>>,
    on_change: impl Fn(Option<String>) + Clone + Send + Sync + 'static,
    errors: ReadSignal<Vec<FieldError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    when_loaded(countries, Text::CountriesUnavailable, move |list| {
        let shown = {
            let list = list.clone();
            move || {
                chosen
                    .get()
                    .and_then(|code| choice(&list, &code, i18n.lang()))
                    .map(|choice| choice.label)
                    .unwrap_or_default()
            }
        };
        let searched = list.clone();
        let find = move |query: &str, limit: usize| search(&searched, i18n.lang(), query, limit);
        let on_change = on_change.clone();
        let choose = move |index: Option<u32>| {
            on_change(index.and_then(|index| code_at(&list, index)));
        };
        view! {
            <Combobox name label chosen=Signal::derive(shown) search=find on_choose=choose errors/>
        }
        .into_any()
    })
}

/// Several countries (visited in the last 14 or 21 days).
#[component]
pub fn CountryList(
    name: &'static str,
    label: Text,
    #[prop(into)] chosen: Signal<BTreeSet<String>>,
    on_change: impl Fn(BTreeSet<String>) + Clone + Send + Sync + 'static,
    errors: ReadSignal<Vec<FieldError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    when_loaded(countries, Text::CountriesUnavailable, move |list| {
        let items = {
            let list = list.clone();
            Signal::derive(move || {
                chosen
                    .get()
                    .iter()
                    .filter_map(|code| choice(&list, code, i18n.lang()))
                    .collect::<Vec<_>>()
            })
        };
        let searched = list.clone();
        let on_change = on_change.clone();
        let update = move |index: u32, add: bool| {
            if let Some(code) = code_at(&list, index) {
                on_change(toggled(chosen.get_untracked(), code, add));
            }
        };
        let find = move |query: &str, limit: usize| search(&searched, i18n.lang(), query, limit);
        view! { <ChoiceList name label items search=find update errors/> }.into_any()
    })
}

//! Choosing a province and ward from the catalogue, searchable without diacritics.

use std::collections::BTreeSet;
use std::sync::Arc;

use domain::divisions::{Catalogue, Province};
use domain::i18n::Text;
use domain::profile::field;
use domain::validation::FieldError;
use leptos::prelude::*;

use crate::adapters::assets::divisions;
use crate::pages::fields::{toggled, when_loaded, Choice, ChoiceList, Combobox};

/// A province as a combobox option.
fn province_choice(province: &Province) -> Choice {
    Choice {
        code: u32::from(province.code),
        label: province.name.clone(),
    }
}

/// Province and ward comboboxes. A ward can be searched before choosing a province (it then
/// sets both); once a province is chosen, only its wards are offered. `province_field` and
/// `ward_field` name the inputs and the errors they show (`province`, `answers.departure.ward`).
#[component]
pub fn PlacePicker(
    #[prop(default = field::PROVINCE)] province_field: &'static str,
    #[prop(default = field::WARD)] ward_field: &'static str,
    #[prop(into)] province: Signal<Option<u16>>,
    #[prop(into)] ward: Signal<Option<u32>>,
    on_change: impl Fn(Option<u16>, Option<u32>) + Clone + Send + Sync + 'static,
    errors: ReadSignal<Vec<FieldError>>,
) -> impl IntoView {
    when_loaded(divisions, Text::CatalogueUnavailable, move |catalogue| {
        let on_change = on_change.clone();
        view! { <Pickers catalogue province_field ward_field province ward on_change errors/> }
            .into_any()
    })
}

#[component]
fn Pickers(
    catalogue: Arc<Catalogue>,
    province_field: &'static str,
    ward_field: &'static str,
    province: Signal<Option<u16>>,
    ward: Signal<Option<u32>>,
    on_change: impl Fn(Option<u16>, Option<u32>) + Clone + Send + Sync + 'static,
    errors: ReadSignal<Vec<FieldError>>,
) -> impl IntoView {
    let province_name = {
        let catalogue = catalogue.clone();
        move || {
            province
                .get()
                .and_then(|code| catalogue.province(code))
                .map(|province| province.name.clone())
                .unwrap_or_default()
        }
    };
    let ward_name = {
        let catalogue = catalogue.clone();
        move || {
            province
                .get()
                .and_then(|code| catalogue.province(code))
                .zip(ward.get())
                .and_then(|(province, code)| province.ward(code))
                .map(|ward| ward.name.clone())
                .unwrap_or_default()
        }
    };
    let search_provinces = {
        let catalogue = catalogue.clone();
        move |query: &str, limit: usize| {
            catalogue
                .search_provinces(query, limit)
                .into_iter()
                .map(province_choice)
                .collect()
        }
    };
    let search_wards = {
        let catalogue = catalogue.clone();
        move |query: &str, limit: usize| {
            let within = province.get_untracked();
            catalogue
                .search_wards(within, query, limit)
                .into_iter()
                .map(|(province, ward)| Choice {
                    code: ward.code,
                    label: if within.is_some() {
                        ward.name.clone()
                    } else {
                        format!("{} — {}", ward.name, province.name)
                    },
                })
                .collect()
        }
    };
    let choose_province = {
        let on_change = on_change.clone();
        move |code: Option<u32>| {
            let chosen = code.and_then(|code| u16::try_from(code).ok());
            // Another province's ward no longer applies.
            let keep_ward = chosen == province.get_untracked();
            on_change(
                chosen,
                if keep_ward {
                    ward.get_untracked()
                } else {
                    None
                },
            );
        }
    };
    let choose_ward = move |code: Option<u32>| {
        let owner = code.and_then(|code| {
            catalogue
                .provinces
                .iter()
                .find(|province| province.ward(code).is_some())
                .map(|province| province.code)
        });
        on_change(owner.or(province.get_untracked()), code);
    };
    view! {
        <Combobox
            name=province_field
            label=Text::Province
            hint=Text::PlaceSearchHint
            chosen=Signal::derive(province_name)
            search=search_provinces
            on_choose=choose_province
            errors
        />
        <Combobox
            name=ward_field
            label=Text::Ward
            chosen=Signal::derive(ward_name)
            search=search_wards
            on_choose=choose_ward
            errors
        />
    }
}

/// Several provinces (places visited): the chosen ones listed with a remove button each, and a
/// combobox to add more.
#[component]
pub fn ProvinceList(
    name: &'static str,
    label: Text,
    #[prop(into)] chosen: Signal<BTreeSet<u16>>,
    on_change: impl Fn(BTreeSet<u16>) + Clone + Send + Sync + 'static,
    errors: ReadSignal<Vec<FieldError>>,
) -> impl IntoView {
    when_loaded(divisions, Text::CatalogueUnavailable, move |catalogue| {
        let items = {
            let catalogue = catalogue.clone();
            Signal::derive(move || {
                chosen
                    .get()
                    .into_iter()
                    .filter_map(|code| catalogue.province(code))
                    .map(province_choice)
                    .collect::<Vec<_>>()
            })
        };
        let search = move |query: &str, limit: usize| {
            catalogue
                .search_provinces(query, limit)
                .into_iter()
                .map(province_choice)
                .collect()
        };
        let on_change = on_change.clone();
        let update = move |code: u32, add: bool| {
            if let Ok(code) = u16::try_from(code) {
                on_change(toggled(chosen.get_untracked(), code, add));
            }
        };
        view! { <ChoiceList name label items search update errors/> }.into_any()
    })
}

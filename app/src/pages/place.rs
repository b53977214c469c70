//! Choosing a province and ward from the catalogue, searchable without diacritics.

use std::sync::Arc;

use domain::divisions::{Catalogue, Province};
use domain::i18n::Text;
use leptos::prelude::*;
use serde_json::Value;

use crate::adapters::assets::divisions;
use crate::pages::fields::{choice_list, combobox, when_loaded, Choice, Choices, Search};
use crate::pages::form::{Field, Form};

/// A province as a combobox option.
fn province_choice(province: &Province) -> Choice {
    Choice {
        code: u32::from(province.code),
        label: province.name.clone(),
    }
}

fn search_provinces(catalogue: Arc<Catalogue>) -> Search {
    Arc::new(move |query: &str, limit: usize| {
        catalogue
            .search_provinces(query, limit)
            .into_iter()
            .map(province_choice)
            .collect()
    })
}

/// `ready` with the catalogue of provinces and wards, once it is loaded.
pub fn with_catalogue(
    ready: impl Fn(Arc<Catalogue>) -> AnyView + Send + Sync + 'static,
) -> AnyView {
    when_loaded(divisions, Text::CatalogueUnavailable, Box::new(ready))
}

/// Province and ward comboboxes: `field` is the province's, `ward` the path of the ward. A ward
/// can be searched before choosing a province (it then sets both); once a province is chosen,
/// only its wards are offered.
pub fn place_picker(
    catalogue: Arc<Catalogue>,
    field: &'static Field,
    ward_path: &'static str,
    form: Form,
) -> AnyView {
    let province_path = field.path;
    let province = move || {
        form.code(province_path)
            .and_then(|code| u16::try_from(code).ok())
    };
    let province_name = {
        let catalogue = catalogue.clone();
        move || {
            province()
                .and_then(|code| catalogue.province(code))
                .map(|province| province.name.clone())
                .unwrap_or_default()
        }
    };
    let ward_name = {
        let catalogue = catalogue.clone();
        move || {
            province()
                .and_then(|code| catalogue.province(code))
                .zip(form.code(ward_path))
                .and_then(|(province, code)| province.ward(code))
                .map(|ward| ward.name.clone())
                .unwrap_or_default()
        }
    };
    let search_wards: Search = {
        let catalogue = catalogue.clone();
        Arc::new(move |query: &str, limit: usize| {
            let within = province();
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
        })
    };
    let choose_province = Callback::new(move |code: Option<u32>| {
        let chosen = code.and_then(|code| u16::try_from(code).ok());
        // Another province's ward no longer applies.
        if chosen != province() {
            form.set(ward_path, Value::Null);
        }
        form.set(province_path, chosen.into());
    });
    let choose_ward = {
        let catalogue = catalogue.clone();
        Callback::new(move |code: Option<u32>| {
            let owner = code.and_then(|code| {
                catalogue
                    .provinces
                    .iter()
                    .find(|province| province.ward(code).is_some())
                    .map(|province| province.code)
            });
            form.set(province_path, owner.or(province()).into());
            form.set(ward_path, code.into());
        })
    };
    let provinces = Choices {
        chosen: Signal::derive(province_name),
        search: search_provinces(catalogue),
        choose: choose_province,
    };
    let wards = Choices {
        chosen: Signal::derive(ward_name),
        search: search_wards,
        choose: choose_ward,
    };
    view! {
        {combobox(province_path, field.label, field.hint, form, provinces)}
        {combobox(ward_path, Text::Ward, None, form, wards)}
    }
    .into_any()
}

/// Several provinces (places visited): the chosen ones listed with a remove button each, and a
/// combobox to add more.
pub fn province_list(catalogue: Arc<Catalogue>, field: &'static Field, form: Form) -> AnyView {
    let names = catalogue.clone();
    let items = Signal::derive(move || {
        form.items(field.path)
            .iter()
            .filter_map(|code| u16::try_from(code.as_u64()?).ok())
            .filter_map(|code| names.province(code))
            .map(province_choice)
            .collect()
    });
    let search = search_provinces(catalogue);
    choice_list(
        field,
        form,
        items,
        search,
        Arc::new(|code| Some(code.into())),
    )
}

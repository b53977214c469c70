//! The health authority's screens (DESIGN.md §4), for officers signed in like venue staff:
//! exposure events (`/officer`), statistics by province and day (`/officer/statistics`) and
//! case-bound visitor lists with the officer's own audit trail (`/officer/cases`). A citizen's
//! visit never downloads them: each is a lazy chunk of its own.

use std::sync::Arc;

use domain::api::{
    CaseRead, CaseRequest, CaseVisitors, DayTotal, ExposureDraft, OfficerVenue, PublishedExposure,
    Statistics, StatisticsQuery, VenueSearch, CASE_REFERENCE_MAX_CHARS,
};
use domain::date::{local_input_value, parse_local_input, Date, VIETNAM_OFFSET_MINUTES};
use domain::divisions::Catalogue;
use domain::exposure::{field, ExposureLevel, ADVICE_MAX_CHARS};
use domain::i18n::Text;
use domain::validation::{ErrorCode, FieldError};
use leptos::prelude::*;
use leptos_router::components::A;
use serde::Deserialize;
use uuid::Uuid;

use crate::adapters::api;
use crate::adapters::assets;
use crate::adapters::clock::{format_date_time, now_ms};
use crate::i18n::use_i18n;
use crate::pages::fields::TextField;
use crate::pages::venue::{Failure, SignIn};

/// `GET /api/v1/officer/access`.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
enum OfficerAccess {
    SignedOut,
    NotOfficer,
    Officer {},
}

/// An officer screen: sign-in first, a refusal for an account without the role, else the
/// officer navigation and `screen`.
fn officer_screen(title: Text, screen: fn() -> AnyView) -> AnyView {
    let i18n = use_i18n();
    let attempt = RwSignal::new(0_u32);
    let access = LocalResource::new(move || {
        attempt.track();
        api::get::<OfficerAccess>("/api/v1/officer/access")
    });
    let reload = move || attempt.update(|n| *n += 1);
    view! {
        <section class="page" aria-labelledby="officer-title">
            <Transition fallback=move || view! { <p role="status">{move || i18n.t(Text::Loading)}</p> }>
                {move || access.get().map(|answer| match answer {
                    Ok(OfficerAccess::Officer {}) => view! {
                        <h1 id="officer-title">{move || i18n.t(title)}</h1>
                        <nav class="actions" aria-label=move || i18n.t(Text::OfficerArea)>
                            <A href="/officer" attr:class="button">{move || i18n.t(Text::OfficerExposures)}</A>
                            <A href="/officer/statistics" attr:class="button">{move || i18n.t(Text::OfficerStatistics)}</A>
                            <A href="/officer/cases" attr:class="button">{move || i18n.t(Text::OfficerCases)}</A>
                        </nav>
                        {screen()}
                    }.into_any(),
                    Ok(OfficerAccess::SignedOut) => view! { <SignIn on_signed_in=reload title_id="officer-title"/> }.into_any(),
                    Ok(OfficerAccess::NotOfficer) => view! {
                        <h1 id="officer-title">{move || i18n.t(Text::OfficerArea)}</h1>
                        <p class="notice-error" role="alert">{move || i18n.t(Text::OfficerNotGranted)}</p>
                    }.into_any(),
                    Err(failure) => view! {
                        <h1 id="officer-title">{move || i18n.t(Text::OfficerArea)}</h1>
                        <Failure failure/>
                    }.into_any(),
                })}
            </Transition>
        </section>
    }
    .into_any()
}

/// The venue an officer picked by searching its name or short code.
#[component]
fn VenuePicker(chosen: RwSignal<Option<OfficerVenue>>) -> impl IntoView {
    let i18n = use_i18n();
    let (query, set_query) = signal(String::new());
    let (no_errors, _) = signal(Vec::<FieldError>::new());
    let search = Action::new_local(move |q: &String| {
        let body = VenueSearch {
            q: q.clone(),
            province: None,
        };
        async move { api::post::<Vec<OfficerVenue>>("/api/v1/officer/venues", &body).await }
    });
    view! {
        <fieldset class="group">
            <legend>{move || i18n.t(Text::OfficerVenue)}</legend>
            {move || chosen.get().map(|venue| view! {
                <p class="notice-success" role="status">
                    {move || i18n.format(Text::OfficerVenueChosen, &[("name", venue.name.as_str().into()), ("code", venue.short_code.as_str().into())])}
                </p>
            })}
            <TextField
                name="venue_search"
                label=Text::OfficerVenueSearch
                autocomplete="off"
                value=query
                on_input=move |value| set_query.set(value)
                errors=no_errors
            />
            <button type="button" class="button" on:click=move |_| { search.dispatch(query.get_untracked()); }>
                {move || i18n.t(Text::OfficerSearch)}
            </button>
            {move || search.value().get().map(|found| match found {
                Ok(list) if list.is_empty() => view! { <p role="status">{move || i18n.t(Text::OfficerNoVenues)}</p> }.into_any(),
                Ok(list) => view! {
                    <ul class="venue-results">
                        {list.into_iter().map(|venue| {
                            let label = venue.name.clone();
                            let code = venue.short_code.clone();
                            view! {
                                <li>
                                    <button type="button" class="button" on:click=move |_| chosen.set(Some(venue.clone()))>
                                        {move || i18n.format(Text::OfficerChooseVenue, &[("name", label.as_str().into()), ("code", code.as_str().into())])}
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
                Err(failure) => view! { <Failure failure/> }.into_any(),
            })}
        </fieldset>
    }
}

/// `datetime-local` text to milliseconds; an unreadable one is the error of `field`.
fn local_time(text: &str, name: &str, errors: &mut Vec<FieldError>) -> i64 {
    parse_local_input(text).unwrap_or_else(|| {
        errors.push(FieldError {
            field: name.to_owned(),
            code: ErrorCode::InvalidDate,
        });
        0
    })
}

/// The venue chosen in the picker; when none is, its "required" error joins `problems`.
fn chosen_venue(
    venue: RwSignal<Option<OfficerVenue>>,
    problems: &mut Vec<FieldError>,
) -> Option<OfficerVenue> {
    let chosen = venue.get_untracked();
    if chosen.is_none() {
        problems.push(FieldError {
            field: "venue_search".into(),
            code: ErrorCode::Required,
        });
    }
    chosen
}

/// The exposure event form's text, as typed.
#[derive(Debug, Clone, Default)]
struct EventInput {
    starts: String,
    ends: String,
    level: Option<ExposureLevel>,
    advice_vi: String,
    advice_en: String,
}

/// `/officer`: publish an exposure event, and the events published, to edit or withdraw.
#[component]
pub fn OfficerExposures() -> impl IntoView {
    officer_screen(Text::OfficerExposures, || {
        view! { <ExposureEvents/> }.into_any()
    })
}

#[component]
fn ExposureEvents() -> impl IntoView {
    let i18n = use_i18n();
    let venue = RwSignal::new(None::<OfficerVenue>);
    let input = RwSignal::new(EventInput {
        level: Some(ExposureLevel::GetTested),
        ..EventInput::default()
    });
    let editing = RwSignal::new(None::<Uuid>);
    let (errors, set_errors) = signal(Vec::<FieldError>::new());
    let save = Action::new_local(move |(draft, id): &(ExposureDraft, Option<Uuid>)| {
        let (draft, id) = (draft.clone(), *id);
        async move {
            match id {
                Some(id) => {
                    api::put::<PublishedExposure>(
                        &format!("/api/v1/officer/exposures/{id}"),
                        &draft,
                    )
                    .await
                }
                None => api::post::<PublishedExposure>("/api/v1/officer/exposures", &draft).await,
            }
        }
    });
    let withdraw = Action::new_local(move |id: &Uuid| {
        let path = format!("/api/v1/officer/exposures/{id}");
        async move { api::delete_only(&path).await }
    });
    let events = LocalResource::new(move || {
        save.version().track();
        withdraw.version().track();
        api::get::<Vec<PublishedExposure>>("/api/v1/officer/exposures")
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(_)) => {
            set_errors.set(Vec::new());
            editing.set(None);
        }
        Some(Err(failure)) => set_errors.set(failure.fields()),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = input.get_untracked();
        let mut problems = Vec::new();
        let starts_at_ms = local_time(&typed.starts, field::STARTS, &mut problems);
        let ends_at_ms = local_time(&typed.ends, field::ENDS, &mut problems);
        let Some(chosen) = chosen_venue(venue, &mut problems) else {
            set_errors.set(problems);
            return;
        };
        let draft = ExposureDraft {
            venue_id: chosen.id,
            starts_at_ms,
            ends_at_ms,
            level: typed.level.unwrap_or(ExposureLevel::GetTested),
            advice_vi: typed.advice_vi,
            advice_en: typed.advice_en,
        };
        if let Err(refused) = draft.validate(now_ms()) {
            problems.extend(refused);
        }
        if !problems.is_empty() {
            set_errors.set(problems);
            return;
        }
        save.dispatch((draft, editing.get_untracked()));
    };
    let edit = move |event: PublishedExposure| {
        venue.set(Some(event.venue.clone()));
        input.set(EventInput {
            starts: local_input_value(event.starts_at_ms),
            ends: local_input_value(event.ends_at_ms),
            level: Some(event.level),
            advice_vi: event.advice_vi,
            advice_en: event.advice_en,
        });
        editing.set(Some(event.event_id));
    };
    let text_input = |read: fn(&EventInput) -> String, write: fn(&mut EventInput, String)| {
        (
            Signal::derive(move || input.with(read)),
            Callback::new(move |value: String| input.update(|typed| write(typed, value))),
        )
    };
    let (starts, on_starts) = text_input(
        |typed| typed.starts.clone(),
        |typed, value| typed.starts = value,
    );
    let (ends, on_ends) = text_input(
        |typed| typed.ends.clone(),
        |typed, value| typed.ends = value,
    );
    let (advice_vi, on_advice_vi) = text_input(
        |typed| typed.advice_vi.clone(),
        |typed, value| typed.advice_vi = value,
    );
    let (advice_en, on_advice_en) = text_input(
        |typed| typed.advice_en.clone(),
        |typed, value| typed.advice_en = value,
    );
    view! {
        <h2>{move || i18n.t(if editing.get().is_some() { Text::ExposureEditTitle } else { Text::ExposureNewTitle })}</h2>
        <form novalidate on:submit=submit>
            <VenuePicker chosen=venue/>
            <TextField name=field::STARTS label=Text::ExposureStarts input_type="datetime-local" autocomplete="off" value=starts on_input=on_starts errors/>
            <TextField name=field::ENDS label=Text::ExposureEnds input_type="datetime-local" autocomplete="off" value=ends on_input=on_ends errors/>
            <div class="field">
                <label for="level">{move || i18n.t(Text::ExposureLevelLabel)}</label>
                <select id="level" on:change=move |ev| {
                    let level = ExposureLevel::parse(&event_target_value(&ev));
                    input.update(|typed| typed.level = level);
                }>
                    {ExposureLevel::ALL.into_iter().map(|level| view! {
                        <option value=level.as_str() selected=move || input.with(|typed| typed.level == Some(level))>
                            {move || i18n.t(level.label())}
                        </option>
                    }).collect_view()}
                </select>
            </div>
            <TextField name=field::ADVICE_VI label=Text::ExposureAdviceVi autocomplete="off" max_chars=Some(ADVICE_MAX_CHARS) multiline=true value=advice_vi on_input=on_advice_vi errors/>
            <TextField name=field::ADVICE_EN label=Text::ExposureAdviceEn autocomplete="off" max_chars=Some(ADVICE_MAX_CHARS) multiline=true value=advice_en on_input=on_advice_en errors/>
            <Show when=move || !errors.read().is_empty()>
                <p class="notice-error" role="alert">{move || i18n.t(Text::FixHighlightedFields)}</p>
            </Show>
            {move || match save.value().get() {
                Some(Ok(_)) => Some(view! { <p class="notice-success" role="status">{move || i18n.t(Text::ExposurePublished)}</p> }.into_any()),
                Some(Err(failure)) if failure.fields().is_empty() => Some(view! { <Failure failure/> }.into_any()),
                _ => None,
            }}
            <div class="actions">
                <button type="submit" class="button button-primary" disabled=move || save.pending().get()>
                    {move || i18n.t(if editing.get().is_some() { Text::ExposureSaveChanges } else { Text::ExposurePublish })}
                </button>
                <Show when=move || editing.get().is_some()>
                    <button type="button" class="button" on:click=move |_| editing.set(None)>{move || i18n.t(Text::Cancel)}</button>
                </Show>
            </div>
        </form>
        <h2 id="events-title">{move || i18n.t(Text::ExposureListTitle)}</h2>
        <Transition fallback=move || view! { <p role="status">{move || i18n.t(Text::Loading)}</p> }>
            {move || events.get().map(|answer| match answer {
                Ok(list) if list.is_empty() => view! { <p class="empty">{move || i18n.t(Text::ExposureNone)}</p> }.into_any(),
                Ok(list) => view! {
                    <ul class="cards" aria-labelledby="events-title">
                        {list.into_iter().map(|event| {
                            let name = event.venue.name.clone();
                            let window = move || i18n.format(Text::ExposureWindow, &[
                                ("from", format_date_time(event.starts_at_ms, i18n.lang()).as_str().into()),
                                ("to", format_date_time(event.ends_at_ms, i18n.lang()).as_str().into()),
                            ]);
                            let (id, level, withdrawn) = (event.event_id, event.level, event.withdrawn);
                            let edit_label = { let name = name.clone(); move || i18n.format(Text::ExposureEditAction, &[("venue", name.as_str().into())]) };
                            let withdraw_label = { let name = name.clone(); move || i18n.format(Text::ExposureWithdrawAction, &[("venue", name.as_str().into())]) };
                            let advice = event.advice_vi.clone();
                            view! {
                                <li class="card">
                                    <span class="card-title">{name.clone()}</span>
                                    <span>{window}</span>
                                    <span>{move || i18n.t(level.label())}</span>
                                    <span class="small">{advice}</span>
                                    {if withdrawn {
                                        view! { <span class="status status-expired">{move || i18n.t(Text::ExposureWithdrawn)}</span> }.into_any()
                                    } else {
                                        view! {
                                            <div class="actions">
                                                <button type="button" class="button" on:click=move |_| edit(event.clone())>{edit_label}</button>
                                                <button type="button" class="button" disabled=move || withdraw.pending().get() on:click=move |_| { withdraw.dispatch(id); }>{withdraw_label}</button>
                                            </div>
                                        }.into_any()
                                    }}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
                Err(failure) => view! { <Failure failure/> }.into_any(),
            })}
        </Transition>
    }
}

/// `/officer/statistics`: counts per province and day, as a chart and as tables, and as CSV.
#[component]
pub fn OfficerStatistics() -> impl IntoView {
    officer_screen(Text::OfficerStatistics, || {
        view! { <StatisticsView/> }.into_any()
    })
}

fn today() -> Date {
    Date::from_unix_ms(now_ms(), VIETNAM_OFFSET_MINUTES)
}

#[component]
fn StatisticsView() -> impl IntoView {
    let i18n = use_i18n();
    let (from, set_from) = signal(today().add_days(-13).to_string());
    let (to, set_to) = signal(today().to_string());
    let (errors, set_errors) = signal(Vec::<FieldError>::new());
    let province = RwSignal::new(None::<u16>);
    let show = Action::new_local(move |query: &StatisticsQuery| {
        let query = query.clone();
        async move { api::post::<Statistics>("/api/v1/officer/statistics", &query).await }
    });
    let catalogue = LocalResource::new(assets::divisions);
    let ask = move || {
        let query = StatisticsQuery {
            from: from.get_untracked(),
            to: to.get_untracked(),
        };
        match query.days() {
            Ok(_) => {
                set_errors.set(Vec::new());
                show.dispatch(query);
            }
            Err(refused) => set_errors.set(refused),
        }
    };
    // The last two weeks at once.
    ask();
    Effect::new(move |_| {
        if let Some(Err(failure)) = show.value().get() {
            set_errors.set(failure.fields());
        }
    });
    let csv_href = move || {
        format!(
            "/api/v1/officer/statistics.csv?from={}&to={}",
            from.get(),
            to.get()
        )
    };
    view! {
        <form novalidate class="inline-form" on:submit=move |ev| { ev.prevent_default(); ask(); }>
            <TextField name="from" label=Text::StatisticsFrom input_type="date" autocomplete="off" value=from on_input=move |value| set_from.set(value) errors/>
            <TextField name="to" label=Text::StatisticsTo input_type="date" autocomplete="off" value=to on_input=move |value| set_to.set(value) errors/>
            <button type="submit" class="button button-primary">{move || i18n.t(Text::StatisticsShow)}</button>
            <a class="button" href=csv_href download="statistics.csv">{move || i18n.t(Text::StatisticsDownload)}</a>
        </form>
        {move || show.value().get().map(|answer| match answer {
            Ok(statistics) => {
                let catalogue = catalogue.get().and_then(Result::ok);
                view! { <StatisticsTables statistics=Arc::new(statistics) catalogue province/> }.into_any()
            }
            Err(failure) if failure.fields().is_empty() => view! { <Failure failure/> }.into_any(),
            Err(_) => ().into_any(),
        })}
    }
}

fn province_name(catalogue: &Option<Arc<Catalogue>>, code: u16) -> String {
    catalogue
        .as_ref()
        .and_then(|catalogue| catalogue.province(code))
        .map_or_else(|| code.to_string(), |province| province.name.clone())
}

#[component]
fn StatisticsTables(
    statistics: Arc<Statistics>,
    catalogue: Option<Arc<Catalogue>>,
    province: RwSignal<Option<u16>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let mut provinces: Vec<u16> = statistics.rows.iter().map(|row| row.province).collect();
    provinces.sort_unstable();
    provinces.dedup();
    let totals = {
        let statistics = statistics.clone();
        Memo::new(move |_| statistics.daily_totals(province.get()))
    };
    let province_options = provinces
        .iter()
        .map(|code| {
            let (code, name) = (*code, province_name(&catalogue, *code));
            view! { <option value=code.to_string() selected=move || province.get() == Some(code)>{name}</option> }
        })
        .collect_view();
    let rows = statistics
        .rows
        .iter()
        .map(|row| {
            let name = province_name(&catalogue, row.province);
            view! {
                <tr>
                    <td data-label=move || i18n.t(Text::StatisticsDay)>{row.day.clone()}</td>
                    <td data-label=move || i18n.t(Text::StatisticsProvince)>{name}</td>
                    <td data-label=move || i18n.t(Text::StatisticsVenues)>{row.venues}</td>
                    <td data-label=move || i18n.t(Text::StatisticsCheckIns)>{row.check_ins}</td>
                    <td data-label=move || i18n.t(Text::StatisticsDeclarations)>{row.declarations}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="field">
            <label for="chart-province">{move || i18n.t(Text::StatisticsProvinceFilter)}</label>
            <select id="chart-province" on:change=move |ev| province.set(event_target_value(&ev).parse().ok())>
                <option value="" selected=move || province.get().is_none()>{move || i18n.t(Text::StatisticsAllProvinces)}</option>
                {province_options}
            </select>
        </div>
        {move || view! { <DailyChart totals=totals.get()/> }}
        <div class="table-scroll">
            <table class="stacked" id="daily-totals">
                <caption>{move || i18n.t(Text::StatisticsDailyCaption)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{move || i18n.t(Text::StatisticsDay)}</th>
                        <th scope="col">{move || i18n.t(Text::StatisticsVenues)}</th>
                        <th scope="col">{move || i18n.t(Text::StatisticsCheckIns)}</th>
                        <th scope="col">{move || i18n.t(Text::StatisticsDeclarations)}</th>
                    </tr>
                </thead>
                <tbody>
                    <For each=move || totals.get() key=|day| (day.day.clone(), day.venues, day.check_ins, day.declarations) let:day>
                        <tr>
                            <td data-label=move || i18n.t(Text::StatisticsDay)>{day.day.clone()}</td>
                            <td data-label=move || i18n.t(Text::StatisticsVenues)>{day.venues}</td>
                            <td data-label=move || i18n.t(Text::StatisticsCheckIns)>{day.check_ins}</td>
                            <td data-label=move || i18n.t(Text::StatisticsDeclarations)>{day.declarations}</td>
                        </tr>
                    </For>
                </tbody>
            </table>
        </div>
        <div class="table-scroll">
            <table class="stacked" id="province-rows">
                <caption>{move || i18n.t(Text::StatisticsProvinceCaption)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{move || i18n.t(Text::StatisticsDay)}</th>
                        <th scope="col">{move || i18n.t(Text::StatisticsProvince)}</th>
                        <th scope="col">{move || i18n.t(Text::StatisticsVenues)}</th>
                        <th scope="col">{move || i18n.t(Text::StatisticsCheckIns)}</th>
                        <th scope="col">{move || i18n.t(Text::StatisticsDeclarations)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// Bars of check-ins and declarations per day, drawn as SVG; each bar is named with its day
/// and count for screen readers, and the table under it holds the same numbers.
#[component]
fn DailyChart(totals: Vec<DayTotal>) -> impl IntoView {
    let i18n = use_i18n();
    const HEIGHT: f64 = 160.0;
    const BAR: f64 = 10.0;
    const GAP: f64 = 8.0;
    let most = totals
        .iter()
        .map(|day| day.check_ins.max(day.declarations))
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let width = (totals.len() as f64 * (2.0 * BAR + GAP)).max(2.0 * BAR + GAP);
    let bars = totals
        .into_iter()
        .enumerate()
        .map(|(index, day)| {
            let x = index as f64 * (2.0 * BAR + GAP);
            let bar = move |offset: f64, value: u64, class: &'static str, text: Text| {
                let height = value as f64 / most * (HEIGHT - 20.0);
                let label_day = day.day.clone();
                view! {
                    <rect
                        class=class
                        x=x + offset
                        y=HEIGHT - height
                        width=BAR
                        height=height
                        data-day=day.day.clone()
                        data-value=value
                        role="img"
                        aria-label=move || i18n.format(text, &[("day", label_day.as_str().into()), ("n", (value as usize).into())])
                    />
                }
            };
            view! {
                <g>
                    {bar(0.0, day.check_ins, "bar-check-ins", Text::StatisticsChartCheckIns)}
                    {bar(BAR, day.declarations, "bar-declarations", Text::StatisticsChartDeclarations)}
                </g>
            }
        })
        .collect_view();
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 {width} {HEIGHT}") role="group" aria-label=move || i18n.t(Text::StatisticsChart) preserveAspectRatio="none">
                {bars}
            </svg>
            <figcaption>
                <span class="legend legend-check-ins">{move || i18n.t(Text::StatisticsCheckIns)}</span>
                " "
                <span class="legend legend-declarations">{move || i18n.t(Text::StatisticsDeclarations)}</span>
            </figcaption>
        </figure>
    }
}

/// `/officer/cases`: a venue's visitors in full for a case's time window, and the trail of the
/// officer's own reads.
#[component]
pub fn OfficerCases() -> impl IntoView {
    officer_screen(Text::OfficerCases, || view! { <CaseReads/> }.into_any())
}

#[component]
fn CaseReads() -> impl IntoView {
    let i18n = use_i18n();
    let venue = RwSignal::new(None::<OfficerVenue>);
    let (from, set_from) = signal(local_input_value(now_ms() - 86_400_000));
    // The next minute: the input has minutes only, and a visit this minute must be inside.
    let (to, set_to) = signal(local_input_value(now_ms() + 60_000));
    let (reference, set_reference) = signal(String::new());
    let (errors, set_errors) = signal(Vec::<FieldError>::new());
    let read = Action::new_local(move |request: &CaseRequest| {
        let request = request.clone();
        async move { api::post::<CaseVisitors>("/api/v1/officer/cases", &request).await }
    });
    let trail = LocalResource::new(move || {
        read.version().track();
        api::get::<Vec<CaseRead>>("/api/v1/officer/cases")
    });
    Effect::new(move |_| match read.value().get() {
        Some(Err(failure)) => set_errors.set(failure.fields()),
        Some(Ok(_)) => set_errors.set(Vec::new()),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut problems = Vec::new();
        let from_ms = local_time(&from.get_untracked(), "from_ms", &mut problems);
        let to_ms = local_time(&to.get_untracked(), "to_ms", &mut problems);
        let Some(chosen) = chosen_venue(venue, &mut problems) else {
            set_errors.set(problems);
            return;
        };
        let request = CaseRequest {
            venue_id: chosen.id,
            from_ms,
            to_ms,
            case_reference: reference.get_untracked(),
        };
        if let Err(refused) = request.validate(now_ms()) {
            problems.extend(refused);
        }
        if problems.is_empty() {
            read.dispatch(request);
        } else {
            set_errors.set(problems);
        }
    };
    let time = move |ms: Option<i64>| {
        move || {
            ms.map(|ms| format_date_time(ms, i18n.lang()))
                .unwrap_or_default()
        }
    };
    view! {
        <p class="hint">{move || i18n.t(Text::CaseAuditNote)}</p>
        <form novalidate on:submit=submit>
            <VenuePicker chosen=venue/>
            <TextField name="from_ms" label=Text::CaseFrom input_type="datetime-local" autocomplete="off" value=from on_input=move |value| set_from.set(value) errors/>
            <TextField name="to_ms" label=Text::CaseTo input_type="datetime-local" autocomplete="off" value=to on_input=move |value| set_to.set(value) errors/>
            <TextField name="case_reference" label=Text::CaseReference autocomplete="off" max_chars=Some(CASE_REFERENCE_MAX_CHARS) value=reference on_input=move |value| set_reference.set(value) errors/>
            <Show when=move || !errors.read().is_empty()>
                <p class="notice-error" role="alert">{move || i18n.t(Text::FixHighlightedFields)}</p>
            </Show>
            <button type="submit" class="button button-primary" disabled=move || read.pending().get()>{move || i18n.t(Text::CaseRead)}</button>
        </form>
        {move || read.value().get().map(|answer| match answer {
            Ok(case) => {
                let count = case.visitors.len();
                view! {
                    <div class="table-scroll">
                        <table class="stacked" id="case-visitors">
                            <caption>{move || i18n.format(Text::CaseVisitorsCaption, &[("venue", case.venue.name.as_str().into()), ("n", count.into())])}</caption>
                            <thead>
                                <tr>
                                    <th scope="col">{move || i18n.t(Text::ColumnArrived)}</th>
                                    <th scope="col">{move || i18n.t(Text::ColumnLeft)}</th>
                                    <th scope="col">{move || i18n.t(Text::ColumnName)}</th>
                                    <th scope="col">{move || i18n.t(Text::ColumnPhone)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {case.visitors.into_iter().map(|visit| view! {
                                    <tr>
                                        <td data-label=move || i18n.t(Text::ColumnArrived)>{time(visit.arrived_at_ms)}</td>
                                        <td data-label=move || i18n.t(Text::ColumnLeft)>{time(visit.left_at_ms)}</td>
                                        <td data-label=move || i18n.t(Text::ColumnName)>{visit.name}</td>
                                        <td data-label=move || i18n.t(Text::ColumnPhone)>{visit.phone.unwrap_or_default()}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }
            Err(failure) if failure.fields().is_empty() => view! { <Failure failure/> }.into_any(),
            Err(_) => ().into_any(),
        })}
        <h2 id="trail-title">{move || i18n.t(Text::CaseTrailTitle)}</h2>
        <Transition fallback=move || view! { <p role="status">{move || i18n.t(Text::Loading)}</p> }>
            {move || trail.get().map(|answer| match answer {
                Ok(reads) if reads.is_empty() => view! { <p class="empty">{move || i18n.t(Text::CaseTrailEmpty)}</p> }.into_any(),
                Ok(reads) => view! {
                    <div class="table-scroll">
                        <table class="stacked" id="case-trail" aria-labelledby="trail-title">
                            <thead>
                                <tr>
                                    <th scope="col">{move || i18n.t(Text::CaseReadAt)}</th>
                                    <th scope="col">{move || i18n.t(Text::OfficerVenue)}</th>
                                    <th scope="col">{move || i18n.t(Text::CaseWindow)}</th>
                                    <th scope="col">{move || i18n.t(Text::CaseReference)}</th>
                                    <th scope="col">{move || i18n.t(Text::CaseRows)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {reads.into_iter().map(|entry| view! {
                                    <tr>
                                        <td data-label=move || i18n.t(Text::CaseReadAt)>{time(Some(entry.at_ms))}</td>
                                        <td data-label=move || i18n.t(Text::OfficerVenue)>{entry.venue_name}</td>
                                        <td data-label=move || i18n.t(Text::CaseWindow)>{move || i18n.format(Text::ExposureWindow, &[
                                            ("from", format_date_time(entry.from_ms, i18n.lang()).as_str().into()),
                                            ("to", format_date_time(entry.to_ms, i18n.lang()).as_str().into()),
                                        ])}</td>
                                        <td data-label=move || i18n.t(Text::CaseReference)>{entry.case_reference}</td>
                                        <td data-label=move || i18n.t(Text::CaseRows)>{entry.row_count}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any(),
                Err(failure) => view! { <Failure failure/> }.into_any(),
            })}
        </Transition>
    }
}

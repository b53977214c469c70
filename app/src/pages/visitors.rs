//! `/venue/:id/visitors`: who came to a control point, as the server lets the venue see them
//! (masked unless the authority allows more), with filters, paging and the CSV export.

use domain::api::{VisitorPage, VisitorQuery};
use domain::i18n::Text;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::adapters::api;
use crate::adapters::clock::format_date_time;
use crate::i18n::use_i18n;
use crate::pages::venue::Failure;

/// The list's filters. The search text goes in the request body, never in a URL (DESIGN.md §7);
/// the export link carries only the days and the order.
#[derive(Debug, Clone, Default, PartialEq)]
struct Filters {
    from: String,
    to: String,
    search: String,
    by_name: bool,
    page: usize,
}

impl Filters {
    fn sort(&self) -> &'static str {
        if self.by_name {
            "name"
        } else {
            "time"
        }
    }

    /// The list request's body.
    fn body(&self) -> VisitorQuery {
        VisitorQuery {
            from: Some(self.from.clone()),
            to: Some(self.to.clone()),
            q: Some(self.search.clone()),
            sort: Some(self.sort().to_owned()),
            page: Some(self.page.max(1)),
        }
    }

    /// Dates from a date input are digits and dashes: nothing to escape.
    fn export_query(&self) -> String {
        format!("from={}&to={}&sort={}", self.from, self.to, self.sort())
    }
}

#[component]
pub fn VisitorsPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    // What the form holds, and what the list shows (applied on "filter").
    let (editing, set_editing) = signal(Filters::default());
    let (applied, set_applied) = signal(Filters::default());
    let page = LocalResource::new(move || {
        let path = format!("/api/v1/venues/{}/visitors", id());
        let body = applied.read().body();
        async move { api::post::<VisitorPage>(&path, &body).await }
    });
    let export = move || {
        format!(
            "/api/v1/venues/{}/visitors.csv?{}",
            id(),
            applied.read().export_query()
        )
    };
    let go_to = move |page: usize| set_applied.update(|filters| filters.page = page);
    let text_input = move |value: fn(&Filters) -> &String, set: fn(&mut Filters, String)| {
        (
            move || value(&editing.read()).clone(),
            move |ev| set_editing.update(|filters| set(filters, event_target_value(&ev))),
        )
    };
    let (from, on_from) = text_input(|f| &f.from, |f, v| f.from = v);
    let (to, on_to) = text_input(|f| &f.to, |f, v| f.to = v);
    let (search, on_search) = text_input(|f| &f.search, |f, v| f.search = v);
    view! {
        <section class="page" aria-labelledby="visitors-title">
            <h1 id="visitors-title">{move || i18n.t(Text::VisitorsTitle)}</h1>
            <form class="filters" on:submit=move |ev| {
                ev.prevent_default();
                set_applied.set(Filters { page: 1, ..editing.get_untracked() });
            }>
                <div class="field">
                    <label for="from">{move || i18n.t(Text::FromDate)}</label>
                    <input id="from" type="date" prop:value=from on:input=on_from/>
                </div>
                <div class="field">
                    <label for="to">{move || i18n.t(Text::ToDate)}</label>
                    <input id="to" type="date" prop:value=to on:input=on_to/>
                </div>
                <div class="field">
                    <label for="search">{move || i18n.t(Text::SearchVisitors)}</label>
                    <input id="search" type="search" prop:value=search on:input=on_search/>
                </div>
                <div class="field">
                    <label for="sort">{move || i18n.t(Text::SortBy)}</label>
                    <select id="sort" on:change=move |ev| {
                        let by_name = event_target_value(&ev) == "name";
                        set_editing.update(|filters| filters.by_name = by_name);
                    }>
                        <option value="time">{move || i18n.t(Text::SortByTime)}</option>
                        <option value="name">{move || i18n.t(Text::SortByName)}</option>
                    </select>
                </div>
                <button type="submit" class="button">{move || i18n.t(Text::ApplyFilters)}</button>
            </form>
            <Transition fallback=move || view! { <p>{move || i18n.t(Text::Loading)}</p> }>
                {move || {
                    page.get().map(|result| match result {
                        Ok(page) => view! { <VisitorTable page go_to/> }.into_any(),
                        Err(failure) => view! { <Failure failure/> }.into_any(),
                    })
                }}
            </Transition>
            <div class="actions">
                <a class="button" href=export download="visitors.csv">{move || i18n.t(Text::ExportCsv)}</a>
                <A href="/venue" attr:class="button">{move || i18n.t(Text::VenuesTitle)}</A>
            </div>
        </section>
    }
}

#[component]
fn VisitorTable(
    page: VisitorPage,
    go_to: impl Fn(usize) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let notice = if page.unmasked {
        Text::UnmaskedNotice
    } else {
        Text::MaskedNotice
    };
    let time = move |ms: Option<i64>| {
        move || {
            ms.map(|ms| format_date_time(ms, i18n.lang()))
                .unwrap_or_default()
        }
    };
    let (current, pages, total) = (page.page, page.pages, page.total);
    view! {
        <p class="hint">{move || i18n.t(notice)}</p>
        {if page.visitors.is_empty() {
            view! { <p class="empty">{move || i18n.t(Text::NoVisitors)}</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll">
                    <table class="stacked">
                        <caption>{move || i18n.format(Text::VisitorsCaption, &[("n", total.into())])}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{move || i18n.t(Text::ColumnArrived)}</th>
                                <th scope="col">{move || i18n.t(Text::ColumnLeft)}</th>
                                <th scope="col">{move || i18n.t(Text::ColumnName)}</th>
                                <th scope="col">{move || i18n.t(Text::ColumnPhone)}</th>
                                <th scope="col">{move || i18n.t(Text::ColumnDocument)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {page.visitors.into_iter().map(|visitor| view! {
                                <tr>
                                    <td data-label=move || i18n.t(Text::ColumnArrived)>{time(visitor.arrived_at_ms)}</td>
                                    <td data-label=move || i18n.t(Text::ColumnLeft)>{time(visitor.left_at_ms)}</td>
                                    <td data-label=move || i18n.t(Text::ColumnName)>{visitor.name}</td>
                                    <td data-label=move || i18n.t(Text::ColumnPhone)>{visitor.phone.unwrap_or_default()}</td>
                                    <td data-label=move || i18n.t(Text::ColumnDocument)>{visitor.id_number.unwrap_or_default()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }
            .into_any()
        }}
        <nav class="pager" aria-label=move || i18n.t(Text::PageLabel)>
            {[
                (Text::FirstPage, 1, current <= 1),
                (Text::PreviousPage, current.saturating_sub(1), current <= 1),
                (Text::NextPage, current + 1, current >= pages),
                (Text::LastPage, pages, current >= pages),
            ]
            .map(|(label, target, unavailable)| view! {
                <button type="button" class="button" disabled=unavailable on:click=move |_| go_to(target)>
                    {move || i18n.t(label)}
                </button>
            })}
            <span class="pager-position">{move || i18n.format(Text::PagePosition, &[("page", current.into()), ("pages", pages.into())])}</span>
        </nav>
    }
}

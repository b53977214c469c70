use domain::declaration::Kind;
use domain::i18n::Text;
use domain::profile::Profile;
use domain::status::{person_declarations, Status};
use leptos::prelude::*;
use leptos_router::components::A;

use crate::adapters::clock::{format_date_time, now_ms};
use crate::adapters::idb::{use_local_db, DeclarationRecord};
use crate::adapters::install::use_install;
use crate::adapters::outbox::use_outbox;
use crate::adapters::policy::use_policy;
use crate::i18n::use_i18n;
use crate::pages::{AlertsLink, CouldNotRead, NewAlerts};

/// The home screen: the profiles kept on this device.
#[component]
pub fn Home() -> impl IntoView {
    let i18n = use_i18n();
    let db = use_local_db();
    let outbox = use_outbox();
    let profiles = LocalResource::new(move || async move { db.await?.profiles().await });
    // Re-read whenever the outbox changes: a delivery turns "waiting" into "valid".
    let history = LocalResource::new(move || {
        outbox.items().track();
        async move { db.await?.declarations().await }
    });
    let waiting = move || outbox.items().read().as_ref().map_or(0, Vec::len);
    let install = use_install();

    view! {
        <section class="page" aria-labelledby="home-title">
            <h1 id="home-title">{move || i18n.t(Text::HomeTitle)}</h1>
            <NewAlerts/>
            // The everyday action comes first: one tap from a cold start to the camera.
            <A href="/scan" attr:class="button button-primary button-scan">{move || i18n.t(Text::ScanAction)}</A>
            <Show when=move || { waiting() > 0 }>
                <p role="status">
                    <A href="/outbox" attr:class="pending-count">
                        {move || i18n.format(Text::ItemsWaiting, &[("n", waiting().into())])}
                    </A>
                </p>
            </Show>
            <p class="lead">{move || i18n.t(Text::HomeIntro)}</p>
            <div class="actions">
                <A href="/visits" attr:class="button">{move || i18n.t(Text::DiaryTitle)}</A>
                <AlertsLink/>
            </div>
            <Transition fallback=move || view! { <p>{move || i18n.t(Text::Loading)}</p> }>
                {move || {
                    profiles
                        .get()
                        .map(|result| match result {
                            Ok(list) if list.is_empty() => {
                                view! { <p class="empty">{move || i18n.t(Text::NoProfilesYet)}</p> }
                                    .into_any()
                            }
                            Ok(list) => {
                                let history = history.get().and_then(Result::ok).unwrap_or_default();
                                view! { <ProfileList profiles=list history/> }.into_any()
                            }
                            Err(_) => view! { <CouldNotRead/> }.into_any(),
                        })
                }}
            </Transition>
            <A href="/profiles/new" attr:class="button button-primary">
                {move || i18n.t(Text::AddProfile)}
            </A>
            // Until the app runs from the home screen.
            <Show when=move || !install.installed.get()>
                <p class="install-hint">
                    <A href="/install">{move || i18n.t(Text::InstallLink)}</A>
                </p>
            </Show>
        </section>
    }
}

#[component]
fn ProfileList(profiles: Vec<Profile>, history: Vec<DeclarationRecord>) -> impl IntoView {
    let i18n = use_i18n();
    let policy = use_policy();
    view! {
        <ul class="cards" aria-labelledby="home-title">
            {profiles
                .into_iter()
                .map(|profile| {
                    let href = format!("/profiles/{}", profile.id);
                    let history_href = format!("/profiles/{}/history", profile.id);
                    let year = profile.fields.year_of_birth;
                    let name = profile.fields.full_name;
                    let declarations = person_declarations(
                        profile.id,
                        history
                            .iter()
                            .map(|record| (&record.submission, record.receipt.is_some())),
                    );
                    let labelled = |action: Text| {
                        let name = name.clone();
                        move || format!("{}: {name}", i18n.t(action))
                    };
                    let pass_href = format!("/profiles/{}/pass", profile.id);
                    let pass_label = labelled(Text::PassTitle);
                    let history_label = labelled(Text::HistoryAction);
                    let more_label = labelled(Text::MoreDeclarations);
                    let declare_href = |kind: Kind| format!("/profiles/{}/declare/{}", profile.id, kind.slug());
                    let daily_href = declare_href(Kind::DailyHealth);
                    let daily_label = labelled(Kind::DailyHealth.title());
                    // The rarer kinds and the history wait behind one control, so that several
                    // profiles stay a short list of cards.
                    let rarer_links = Kind::ALL
                        .into_iter()
                        .filter(|kind| *kind != Kind::DailyHealth)
                        .map(|kind| {
                            let label = labelled(kind.title());
                            view! {
                                <li>
                                    <A href=declare_href(kind) attr:class="button" attr:aria-label=label>
                                        {move || i18n.t(kind.title())}
                                    </A>
                                </li>
                            }
                        })
                        .collect_view();
                    let more_id = format!("more-{}", profile.id);
                    let expanded = RwSignal::new(false);
                    view! {
                        <li class="profile">
                            <A href=href attr:class="card">
                                <span class="card-title">{name}</span>
                                <span class="card-detail">
                                    {move || i18n.format(Text::BornIn, &[("year", year.into())])}
                                </span>
                                <DeclarationStatus status=Signal::derive(move || policy.get().status(declarations, now_ms()))/>
                                {(declarations.waiting && declarations.delivered_at_ms.is_some()).then(|| view! {
                                    <span class="status status-pending status-beside">{move || i18n.t(Text::NewerDeclarationWaiting)}</span>
                                })}
                            </A>
                            <div class="actions">
                                <A href=pass_href attr:class="button button-pass" attr:aria-label=pass_label>
                                    <span aria-hidden="true">"▦ "</span>{move || i18n.t(Text::PassAction)}
                                </A>
                                <A href=daily_href attr:class="button button-primary" attr:aria-label=daily_label>
                                    {move || i18n.t(Kind::DailyHealth.title())}
                                </A>
                                <button
                                    type="button"
                                    class="button"
                                    aria-expanded=move || expanded.get().to_string()
                                    aria-controls=more_id.clone()
                                    aria-label=more_label
                                    on:click=move |_| expanded.update(|open| *open = !*open)
                                >
                                    {move || i18n.t(Text::MoreDeclarations)}
                                </button>
                            </div>
                            <ul class="actions declare-links" id=more_id hidden=move || !expanded.get()>
                                {rarer_links}
                                <li>
                                    <A href=history_href attr:class="button" attr:aria-label=history_label>
                                        {move || i18n.t(Text::HistoryAction)}
                                    </A>
                                </li>
                            </ul>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

#[component]
fn DeclarationStatus(#[prop(into)] status: Signal<Status>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let (class, text) = match status.get() {
            Status::NotDeclared => (
                "status status-none",
                i18n.t(Text::StatusNotDeclared).to_owned(),
            ),
            Status::PendingUpload => (
                "status status-pending",
                i18n.t(Text::StatusPending).to_owned(),
            ),
            Status::ValidUntil(until) => (
                "status status-valid",
                i18n.format(
                    Text::StatusValidUntil,
                    &[("time", format_date_time(until, i18n.lang()).as_str().into())],
                ),
            ),
            Status::Expired => (
                "status status-expired",
                i18n.t(Text::StatusExpired).to_owned(),
            ),
        };
        view! { <span class=class>{text}</span> }
    }
}

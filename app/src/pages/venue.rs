//! The venue side (DESIGN.md §4): sign-in with a one-time code, the organisation, its control
//! points, registration and the printable poster.

use domain::i18n::Text;
use domain::poster::VenueType;
use domain::validation::FieldError;
use domain::venue::{field, VenueDraft};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use uuid::Uuid;

use crate::adapters::api::{self, ApiFailure};
use crate::adapters::document;
use crate::i18n::use_i18n;
use crate::pages::fields::{form_actions, form_notices, render_items, ConfirmedAction, TextField};
use crate::pages::form::{
    encode, options, place, position, select, text, FieldOption, Form, Input, Item,
};
use domain::api::{
    ApiErrorCode, CodeRequest, Membership, NewOrganisationRequest, SignInRequest, Venue,
    VenueAccess,
};

/// What the failure means for the user.
fn failure_text(failure: &ApiFailure) -> Text {
    match failure {
        ApiFailure::Network => Text::NetworkProblem,
        ApiFailure::Refused { code, .. } => match code {
            Some(ApiErrorCode::WrongCode) => Text::WrongCode,
            Some(ApiErrorCode::CodeExpired) => Text::CodeExpired,
            Some(ApiErrorCode::CodeLocked | ApiErrorCode::NoCode) => Text::CodeLocked,
            Some(ApiErrorCode::RateLimited) => Text::TooManyCodes,
            Some(ApiErrorCode::Validation) => Text::FixHighlightedFields,
            Some(ApiErrorCode::AlreadyMember) => Text::AlreadyMember,
            Some(ApiErrorCode::Forbidden) => Text::ManagersOnly,
            Some(ApiErrorCode::NotFound) => Text::NotFoundTitle,
            _ => Text::ServerProblem,
        },
    }
}

/// Why an API call failed, said to the user.
#[component]
pub fn Failure(failure: ApiFailure) -> impl IntoView {
    let i18n = use_i18n();
    let text = failure_text(&failure);
    view! { <p class="notice-error" role="alert">{move || i18n.t(text)}</p> }
}

/// `/venue`: sign in, then the organisation and its control points.
#[component]
pub fn VenueHome() -> impl IntoView {
    let i18n = use_i18n();
    let (refresh, set_refresh) = signal(0u32);
    let access = LocalResource::new(move || {
        refresh.track();
        api::get::<VenueAccess>("/api/v1/venue-access")
    });
    let reload = move || set_refresh.update(|n| *n += 1);
    view! {
        <section class="page" aria-labelledby="venue-title">
            <Transition fallback=move || view! { <p>{move || i18n.t(Text::Loading)}</p> }>
                {move || {
                    access
                        .get()
                        .map(|result| match result {
                            Ok(VenueAccess::Member { membership }) => view! { <Venues membership on_signed_out=reload/> }.into_any(),
                            Ok(VenueAccess::SignedOut) => view! { <SignIn on_signed_in=reload/> }.into_any(),
                            Ok(VenueAccess::NoOrganisation) => view! { <NewOrganisation on_created=reload/> }.into_any(),
                            Err(failure) => view! {
                                <h1 id="venue-title">{move || i18n.t(Text::VenueArea)}</h1>
                                <Failure failure/>
                            }
                            .into_any(),
                        })
                }}
            </Transition>
        </section>
    }
}

/// Sign-in with a phone number and the code sent to it: venue staff and health officers alike.
/// `title_id` is the id of its heading, which the surrounding section is labelled by.
#[component]
pub fn SignIn(
    on_signed_in: impl Fn() + Copy + Send + Sync + 'static,
    #[prop(default = "venue-title")] title_id: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let (phone, set_phone) = signal(String::new());
    let (code, set_code) = signal(String::new());
    let (errors, set_errors) = signal(Vec::<FieldError>::new());
    let send_code = Action::new_local(move |phone: &String| {
        let body = CodeRequest {
            phone: phone.clone(),
        };
        async move { api::post_only("/api/v1/auth/code", &body).await }
    });
    let sign_in = Action::new_local(move |(phone, code): &(String, String)| {
        let body = SignInRequest {
            phone: phone.clone(),
            code: code.clone(),
        };
        async move { api::post_only("/api/v1/auth/session", &body).await }
    });
    Effect::new(move |_| match send_code.value().get() {
        Some(Err(failure)) => set_errors.set(failure.fields()),
        _ => set_errors.set(Vec::new()),
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = sign_in.value().get() {
            on_signed_in();
        }
    });
    let code_sent = move || matches!(send_code.value().get(), Some(Ok(())));
    view! {
        <h1 id=title_id>{move || i18n.t(Text::SignInTitle)}</h1>
        <p class="lead">{move || i18n.t(Text::SignInIntro)}</p>
        <form novalidate on:submit=move |ev| {
            ev.prevent_default();
            send_code.dispatch(phone.get_untracked());
        }>
            <TextField
                name="phone"
                label=Text::PhoneNumber
                input_type="tel"
                input_mode="tel"
                autocomplete="tel"
                value=phone
                on_input=move |value| set_phone.set(value)
                errors
            />
            {move || match send_code.value().get() {
                Some(Err(failure)) => Some(view! { <Failure failure/> }),
                _ => None,
            }}
            <button type="submit" class="button" disabled=move || send_code.pending().get()>
                {move || i18n.t(Text::SendCode)}
            </button>
        </form>
        <Show when=code_sent>
            <p class="notice-success" role="status">{move || i18n.t(Text::CodeSent)}</p>
            <form novalidate on:submit=move |ev| {
                ev.prevent_default();
                sign_in.dispatch((phone.get_untracked(), code.get_untracked()));
            }>
                <TextField
                    name="code"
                    label=Text::SignInCode
                    input_mode="numeric"
                    autocomplete="one-time-code"
                    value=code
                    on_input=move |value| set_code.set(value)
                    errors
                />
                {move || match sign_in.value().get() {
                    Some(Err(failure)) => Some(view! { <Failure failure/> }),
                    _ => None,
                }}
                <button type="submit" class="button button-primary" disabled=move || sign_in.pending().get()>
                    {move || i18n.t(Text::SignIn)}
                </button>
            </form>
        </Show>
    }
}

#[component]
fn NewOrganisation(on_created: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let (name, set_name) = signal(String::new());
    let (errors, set_errors) = signal(Vec::<FieldError>::new());
    let create = Action::new_local(move |name: &String| {
        let body = NewOrganisationRequest { name: name.clone() };
        async move { api::post_only("/api/v1/organisation", &body).await }
    });
    Effect::new(move |_| match create.value().get() {
        Some(Ok(())) => on_created(),
        Some(Err(failure)) => set_errors.set(failure.fields()),
        None => {}
    });
    view! {
        <h1 id="venue-title">{move || i18n.t(Text::OrganisationTitle)}</h1>
        <p class="lead">{move || i18n.t(Text::OrganisationIntro)}</p>
        <form novalidate on:submit=move |ev| {
            ev.prevent_default();
            create.dispatch(name.get_untracked());
        }>
            <TextField
                name="name"
                label=Text::OrganisationName
                autocomplete="organization"
                value=name
                on_input=move |value| set_name.set(value)
                errors
            />
            <button type="submit" class="button button-primary" disabled=move || create.pending().get()>
                {move || i18n.t(Text::CreateOrganisation)}
            </button>
        </form>
    }
}

#[component]
fn Venues(
    membership: Membership,
    on_signed_out: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let venues = LocalResource::new(|| api::get::<Vec<Venue>>("/api/v1/venues"));
    let sign_out = Action::new_local(|_: &()| api::delete("/api/v1/auth/session", &()));
    Effect::new(move |_| {
        if sign_out.value().get().is_some() {
            on_signed_out();
        }
    });
    view! {
        <h1 id="venue-title">{move || i18n.t(Text::VenuesTitle)}</h1>
        <p class="lead"><strong>{membership.organisation_name}</strong></p>
        <Transition fallback=move || view! { <p>{move || i18n.t(Text::Loading)}</p> }>
            {move || {
                venues
                    .get()
                    .map(|result| match result {
                        Ok(list) if list.is_empty() => {
                            view! { <p class="empty">{move || i18n.t(Text::NoVenuesYet)}</p> }.into_any()
                        }
                        Ok(list) => view! {
                            <ul class="cards" aria-labelledby="venue-title">
                                {list
                                    .into_iter()
                                    .map(|venue| {
                                        let href = format!("/venue/{}/poster", venue.id);
                                        let visitors_href = format!("/venue/{}/visitors", venue.id);
                                        let gate_href = format!("/venue/{}/gate", venue.id);
                                        let labelled = |action: Text| {
                                            let name = venue.fields.name.clone();
                                            move || format!("{}: {name}", i18n.t(action))
                                        };
                                        let label = labelled(Text::PosterAction);
                                        let visitors_label = labelled(Text::VisitorsAction);
                                        let gate_label = labelled(Text::GateAction);
                                        let kind = venue.fields.venue_type.text();
                                        view! {
                                            <li class="card">
                                                <span class="card-title">{venue.fields.name.clone()}</span>
                                                <span class="card-detail">{move || i18n.t(kind)} " · " {venue.short_code.clone()}</span>
                                                <div class="actions">
                                                    <A href=href attr:class="button" attr:aria-label=label>
                                                        {move || i18n.t(Text::PosterAction)}
                                                    </A>
                                                    <A href=visitors_href attr:class="button" attr:aria-label=visitors_label>
                                                        {move || i18n.t(Text::VisitorsAction)}
                                                    </A>
                                                    <A href=gate_href attr:class="button" attr:aria-label=gate_label>
                                                        {move || i18n.t(Text::GateAction)}
                                                    </A>
                                                </div>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                        .into_any(),
                        Err(failure) => view! { <Failure failure/> }.into_any(),
                    })
            }}
        </Transition>
        <div class="actions">
            <A href="/venue/new" attr:class="button button-primary">{move || i18n.t(Text::RegisterVenue)}</A>
            <A href="/venue/staff" attr:class="button">{move || i18n.t(Text::StaffAction)}</A>
            <button type="button" class="button" on:click=move |_| { sign_out.dispatch(()); }>
                {move || i18n.t(Text::SignOut)}
            </button>
        </div>
    }
}

/// What registering a control point asks, in order.
#[rustfmt::skip]
const VENUE_FIELDS: &[Item] = &[
    text(field::NAME, Text::VenueName, Some(Text::VenueNameHint), Input::FREE.up_to(domain::venue::NAME_MAX_CHARS)),
    select(field::VENUE_TYPE, Text::VenueTypeLabel, Text::SelectPlaceholder, venue_types),
    text(field::PHONE, Text::VenuePhone, Some(Text::OptionalField), Input::TEL),
    place(field::PROVINCE, field::WARD),
    text(field::STREET, Text::Street, None, Input::line("street-address").up_to(domain::venue::STREET_MAX_CHARS)),
    position(field::POSITION, Text::UseMyLocation),
    text(field::INTRO, Text::VenueIntro, Some(Text::OptionalField), Input::FREE.up_to(domain::venue::INTRO_MAX_CHARS)),
    text(field::DEFAULT_STAY, Text::DefaultStay, Some(Text::DefaultStayHint), Input::numeric("off")),
];

fn venue_types() -> Vec<FieldOption> {
    options(&VenueType::ALL, VenueType::text)
}

/// `/venue/new`: registering a control point.
#[component]
pub fn RegisterVenue() -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    // What was typed survives a reload or a crash until the venue is registered.
    let form = Form::new("venue:new".to_owned(), encode(&VenueDraft::default()));
    let register = Action::new_local(move |draft: &VenueDraft| {
        let draft = draft.clone();
        async move { api::post::<Venue>("/api/v1/venues", &draft).await }
    });
    Effect::new(move |_| match register.value().get() {
        Some(Ok(venue)) => {
            form.done();
            navigate(&format!("/venue/{}/poster", venue.id), Default::default());
        }
        Some(Err(failure)) => {
            form.report::<()>(Err(failure.fields()));
        }
        None => {}
    });
    view! {
        <section class="page" aria-labelledby="register-title">
            <h1 id="register-title">{move || i18n.t(Text::RegisterVenue)}</h1>
            <form novalidate on:submit=move |ev| {
                ev.prevent_default();
                if let Some(draft) = form.draft::<VenueDraft>() {
                    if form.report(draft.validate()).is_some() {
                        register.dispatch(draft);
                    }
                }
            }>
                {form_notices(form)}
                {move || match register.value().get() {
                    Some(Err(failure)) if failure.fields().is_empty() => Some(view! { <Failure failure/> }),
                    _ => None,
                }}
                {render_items(VENUE_FIELDS, form)}
                {form_actions(Text::RegisterVenue.into(), register.pending().into(), "/venue")}
            </form>
        </section>
    }
}

/// `/venue/:id/poster`: the printable poster (A4 or A5 through print CSS).
#[component]
pub fn PosterPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let (refresh, set_refresh) = signal(0u32);
    let venue = LocalResource::new(move || {
        refresh.track();
        let id = params.read().get("id").unwrap_or_default();
        async move {
            // The poster says how to check in in Vietnamese and English whatever the interface
            // language, so English is fetched with the venue (offline and never fetched: the
            // English line is left out rather than printed in Vietnamese twice).
            let _ = crate::adapters::locales::load(domain::i18n::Lang::En).await;
            api::get::<Venue>(&format!("/api/v1/venues/{id}")).await
        }
    });
    let reissue = Action::new_local(move |id: &Uuid| {
        let path = format!("/api/v1/venues/{id}/poster");
        async move { api::post_only(&path, &()).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = reissue.value().get() {
            set_refresh.update(|n| *n += 1);
        }
    });
    view! {
        <Transition fallback=move || view! { <p>{move || i18n.t(Text::Loading)}</p> }>
            {move || {
                venue
                    .get()
                    .map(|result| match result {
                        Ok(venue) => {
                            let id = venue.id;
                            // A new poster changes the image: the URL changes with it.
                            let qr = format!("/api/v1/venues/{id}/qr?code={}", venue.short_code);
                            view! {
                                <article class="poster" aria-labelledby="poster-title">
                                    <h1 id="poster-title">{venue.fields.name.clone()}</h1>
                                    <img class="poster-qr" src=qr alt=move || i18n.t(Text::PosterQrAlt) width="512" height="512"/>
                                    <p class="poster-how" lang="vi">{Text::PosterHowTo.in_lang(domain::i18n::Lang::Vi)}</p>
                                    {domain::i18n::is_available(domain::i18n::Lang::En).then(|| view! {
                                        <p class="poster-how" lang="en">{Text::PosterHowTo.in_lang(domain::i18n::Lang::En)}</p>
                                    })}
                                    <p class="poster-code">
                                        <span>{move || i18n.t(Text::ShortCodeLabel)}</span> " "
                                        <strong>{venue.short_code.clone()}</strong>
                                    </p>
                                    <div class="poster-install">
                                        <img src="/api/v1/install-qr" alt=move || i18n.t(Text::InstallQrAlt) width="160" height="160"/>
                                        <p>{move || i18n.t(Text::InstallQrLabel)}</p>
                                    </div>
                                </article>
                                <div class="actions no-print">
                                    <button type="button" class="button button-primary" on:click=|_| document::print()>
                                        {move || i18n.t(Text::PrintPoster)}
                                    </button>
                                    <ConfirmedAction
                                        label=Text::ReissuePoster
                                        confirm=Text::ConfirmReissue
                                        back=Text::KeepPoster
                                        on_confirm=move || { reissue.dispatch(id); }
                                    />
                                    <A href="/venue" attr:class="button">{move || i18n.t(Text::VenuesTitle)}</A>
                                </div>
                            }
                            .into_any()
                        }
                        Err(failure) => view! { <section class="page"><Failure failure/></section> }.into_any(),
                    })
            }}
        </Transition>
    }
}

//! `/profiles/:id/pass`: the person's QR pass for gate staff to scan (DESIGN.md §3.3, §5.2), and
//! the printed card for family members without a phone.
//!
//! The code on screen is the server's credential stamped with the current time and signed by
//! this device's key, made again every minute: a screenshot is refused after a few minutes.

use domain::declaration::Kind;
use domain::i18n::Text;
use domain::pass::{pass_to_show, pending_code, PassToShow, SignedCredential, REFRESH_S};
use domain::profile::Profile;
use domain::qr::QrSymbol;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::adapters::clock::{format_date_time, use_seconds_ticker};
use crate::adapters::device_key::use_device_key;
use crate::adapters::document;
use crate::adapters::idb::{use_local_db, StorageError};
use crate::adapters::outbox::use_outbox;
use crate::adapters::wake_lock::use_wake_lock;
use crate::i18n::use_i18n;
use crate::pages::{CouldNotRead, WithProfile};

#[component]
pub fn PassPage() -> impl IntoView {
    view! { <WithProfile render=|profile| view! { <Pass profile/> }.into_any()/> }
}

#[component]
fn Pass(profile: Profile) -> impl IntoView {
    let i18n = use_i18n();
    let db = use_local_db();
    let outbox = use_outbox();
    // The pass is shown to be scanned: the screen stays on while it is.
    use_wake_lock();
    let profile_id = profile.id;
    let name = profile.fields.full_name;
    let shown = LocalResource::new(move || {
        // A delivery brings the credential: re-read when the outbox changes.
        outbox.items().track();
        async move {
            let records = db.await?.declarations().await?;
            Ok::<_, StorageError>(pass_to_show(
                profile_id,
                records
                    .iter()
                    .map(|record| (&record.submission, record.receipt.as_ref())),
            ))
        }
    });
    let declare_href = format!(
        "/profiles/{profile_id}/declare/{}",
        Kind::DailyHealth.slug()
    );
    let label = {
        let name = name.clone();
        Signal::derive(move || i18n.format(Text::PassQrLabel, &[("name", name.as_str().into())]))
    };
    view! {
        <section class="page pass-page" aria-labelledby="pass-title">
            <h1 id="pass-title">{move || i18n.t(Text::PassTitle)}</h1>
            <p class="lead no-print"><strong>{name}</strong></p>
            <Transition fallback=move || view! { <p>{move || i18n.t(Text::Loading)}</p> }>
                {move || {
                    let declare_href = declare_href.clone();
                    shown
                        .get()
                        .map(|result| match result {
                            Err(_) => view! { <CouldNotRead/> }.into_any(),
                            Ok(PassToShow::NotDeclared) => view! {
                                <p class="notice" role="status">{move || i18n.t(Text::PassNotDeclared)}</p>
                                <A href=declare_href attr:class="button button-primary">
                                    {move || i18n.t(Kind::DailyHealth.title())}
                                </A>
                            }
                            .into_any(),
                            Ok(PassToShow::Pending { masked_name }) => view! {
                                <p class="status status-pending pass-status" role="status">
                                    <span aria-hidden="true">"⏳ "</span>{move || i18n.t(Text::PassPending)}
                                </p>
                                <QrPicture text=pending_code(&masked_name) label/>
                                <p class="hint">{move || i18n.t(Text::PassPendingExplained)}</p>
                            }
                            .into_any(),
                            Ok(PassToShow::Issued { live, card, renewal_waiting }) => {
                                view! { <IssuedPass live card renewal_waiting label/> }.into_any()
                            }
                        })
                }}
            </Transition>
            <p class="hint no-print">{move || i18n.t(Text::PassNoPersonalData)}</p>
            <A href="/" attr:class="button no-print">{move || i18n.t(Text::BackToHome)}</A>
        </section>
    }
}

/// What the screen shows of a live pass at a given minute.
#[derive(Debug, Clone, PartialEq)]
enum LiveCode {
    /// The stamped code, made at this second.
    Stamped { at_s: i64, code: String },
    /// This device holds no key the credential is bound to (a browser without WebCrypto, or a
    /// declaration made before passes): the printed card's code stands in.
    CardOnly,
    /// The browser refused to sign.
    Failed,
}

#[component]
fn IssuedPass(
    live: Option<SignedCredential>,
    card: SignedCredential,
    renewal_waiting: bool,
    label: Signal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let device_key = use_device_key();
    let seconds = use_seconds_ticker(REFRESH_S as u32);
    let credential = card.credential();
    let until_ms = i64::from(credential.valid_until_s) * 1000;
    let expired = move || seconds.get() * 1000 > until_ms;
    let code = LocalResource::new(move || {
        let at_s = seconds.get();
        let live = live.clone();
        async move {
            let Some(live) = live else {
                return LiveCode::CardOnly;
            };
            let Ok(key) = device_key.await else {
                return LiveCode::CardOnly;
            };
            let (Ok(stamp), true) = (
                u32::try_from(at_s),
                live.credential().is_bound_to(key.public()),
            ) else {
                return LiveCode::CardOnly;
            };
            match key.sign(&live.stamp_message(stamp)).await {
                Ok(signature) => LiveCode::Stamped {
                    at_s,
                    code: live.live_code(stamp, &signature),
                },
                Err(_) => LiveCode::Failed,
            }
        }
    });
    let card_code = card.card_code();
    let status = move || {
        if expired() {
            view! {
                <p class="status status-expired pass-status" role="status">
                    <span aria-hidden="true">"✗ "</span>{move || i18n.t(Text::PassExpired)}
                </p>
            }
            .into_any()
        } else {
            view! {
                <p class="status status-valid pass-status" role="status">
                    <span aria-hidden="true">"✓ "</span>
                    {move || i18n.format(Text::PassValidUntil, &[("time", format_date_time(until_ms, i18n.lang()).as_str().into())])}
                </p>
            }
            .into_any()
        }
    };
    let on_screen = {
        let card_code = card_code.clone();
        move || {
            // The last code stays up while the next one is signed, so the picture never blinks.
            code.get().map(|code| match code {
                LiveCode::Stamped { at_s, code } => view! {
                    <QrPicture text=code label/>
                    <p class="hint">{move || i18n.t(Text::PassRefreshes)}</p>
                    <p class="hint">
                        {move || i18n.format(Text::PassShownAt, &[("time", format_date_time(at_s * 1000, i18n.lang()).as_str().into())])}
                    </p>
                }
                .into_any(),
                LiveCode::CardOnly => view! {
                    <p class="notice">{move || i18n.t(Text::PassCardOnly)}</p>
                    <QrPicture text=card_code.clone() label/>
                }
                .into_any(),
                LiveCode::Failed => view! {
                    <p class="notice-error" role="alert">{move || i18n.t(Text::PassSigningFailed)}</p>
                }
                .into_any(),
            })
        }
    };
    view! {
        <div class="pass-live">
            {status}
            <Transition fallback=move || view! { <p>{move || i18n.t(Text::Loading)}</p> }>{on_screen}</Transition>
            {renewal_waiting.then(|| view! {
                <p class="status status-pending status-beside">{move || i18n.t(Text::PassRenewalWaiting)}</p>
            })}
        </div>
        <PrintedCard code=card_code masked_name=credential.masked_name until_ms label/>
    }
}

/// Card sizes for printing: an ID-1 card (the size of a bank card, for a wallet) or A6 paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CardSize {
    Id1,
    A6,
}

impl CardSize {
    fn class(self) -> &'static str {
        match self {
            CardSize::Id1 => "pass-card pass-card-id1",
            CardSize::A6 => "pass-card pass-card-a6",
        }
    }
}

/// The printed card: the credential alone (it cannot be stamped), for someone without a phone.
#[component]
fn PrintedCard(
    code: String,
    masked_name: String,
    until_ms: i64,
    label: Signal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    let size = RwSignal::new(CardSize::Id1);
    let size_choice = move |choice: CardSize, text: Text| {
        view! {
            <label class="check">
                <input
                    type="radio"
                    name="pass-card-size"
                    prop:checked=move || size.get() == choice
                    on:change=move |_| size.set(choice)
                />
                {move || i18n.t(text)}
            </label>
        }
    };
    view! {
        <div class="pass-print">
            <button
                type="button"
                class="button no-print"
                aria-expanded=move || open.get().to_string()
                aria-controls="pass-card-print"
                on:click=move |_| open.update(|open| *open = !*open)
            >
                {move || i18n.t(Text::PassPrintCard)}
            </button>
            <div id="pass-card-print" hidden=move || !open.get()>
                <p class="hint no-print">{move || i18n.t(Text::PassCardNote)}</p>
                <fieldset class="no-print">
                    <legend>{move || i18n.t(Text::PassPrintSize)}</legend>
                    {size_choice(CardSize::Id1, Text::PassSizeCard)}
                    {size_choice(CardSize::A6, Text::PassSizeA6)}
                </fieldset>
                {move || open.get().then(|| {
                    let code = code.clone();
                    let masked_name = masked_name.clone();
                    view! {
                        <article class=move || size.get().class() aria-label=move || i18n.t(Text::PassPrintedCard)>
                            <QrPicture text=code label/>
                            <div class="pass-card-text">
                                <strong class="pass-card-mark">{move || i18n.t(Text::PassPrintedCard)}</strong>
                                <span class="pass-card-name">{masked_name}</span>
                                <span>
                                    {move || i18n.format(Text::PassValidUntil, &[("time", format_date_time(until_ms, i18n.lang()).as_str().into())])}
                                </span>
                                <span>{move || i18n.t(Text::AppName)}</span>
                            </div>
                        </article>
                    }
                })}
                <button type="button" class="button button-primary no-print" on:click=|_| document::print()>
                    {move || i18n.t(Text::PassPrintNow)}
                </button>
            </div>
        </div>
    }
}

/// A QR code drawn on the device, crisp at any size, with its quiet zone.
#[component]
fn QrPicture(text: String, label: Signal<String>) -> impl IntoView {
    QrSymbol::encode(&text).map(|symbol| {
        let view_box = format!("0 0 {0} {0}", symbol.size);
        view! {
            <svg
                class="qr"
                role="img"
                aria-label=move || label.get()
                viewBox=view_box
                shape-rendering="crispEdges"
                data-qr-version=symbol.version
            >
                <rect width="100%" height="100%" fill="#fff"/>
                <path d=symbol.path fill="#000"/>
            </svg>
        }
    })
}

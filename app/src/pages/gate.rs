//! `/venue/:id/gate`: gate mode (DESIGN.md §4). A signed-in staff member stands at one control
//! point and scans visitors' personal passes, one after another (or, for a visitor without a
//! phone, the QR code on the back of their chip ID card, recorded masked). Each code is verified on this
//! device with the kept pass keys (no network needed), the verdict fills the screen, and each
//! admitted pass is recorded through the outbox: the first scan as the arrival, a later one as
//! the departure. The control point and the gate's log are kept on the device, so gate mode
//! reopens offline and a reload does not forget who is in.
//!
//! A visitor with neither a phone nor a card can be declared for on the spot: the staff member
//! goes from the gate through a new profile and its declaration on this device
//! ([`domain::gate::GateProxy`]), and back at the gate the visitor is recorded and their
//! profile deleted from the device.

use std::time::Duration;

use domain::api::CodeRequest;
use domain::api::{ApiErrorCode, Venue};
use domain::gate::{
    GateProxy, GateScan, GateStep, GateVisitor, IdCard, PhoneCheckIn, PhoneVisitor,
};
use domain::i18n::Text;
use domain::pass::{self, GateKeys, Verdict};
use domain::submission::{Content, Submission};
use domain::validation::FieldError;
use domain::visit::Direction;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use uuid::Uuid;

use super::fields::TextField;
use super::scanner::{use_scanner, PhotoFallback, Viewfinder};
use super::venue::Failure;
use crate::adapters::api::{self, ApiFailure};
use crate::adapters::clock::{format_date_time, now_ms, use_seconds_ticker};
use crate::adapters::document;
use crate::adapters::idb::use_local_db;
use crate::adapters::outbox::use_outbox;
use crate::adapters::performance::{mark, measure_since};
use crate::adapters::preferences::{self, GateState};
use crate::adapters::wake_lock::use_wake_lock;
use crate::i18n::use_i18n;
use crate::venue_keys;

/// Marked when a code is decoded, measured when its verdict is painted (`cargo xtask bench gate`).
const DECODED_MARK: &str = "tokhai:gate-decoded";
const VERDICT_MEASURE: &str = "tokhai:gate-verdict";
/// How long a verdict stays on screen unless the staff member taps on: long enough to read an
/// admitted pass, longer for one that needs a word with the visitor.
const ADMITTED_SHOWN_MS: u64 = 2_500;
const REFUSED_SHOWN_MS: u64 = 6_000;

/// The verdict on screen.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Shown {
    Admitted {
        name: String,
        printed: bool,
        /// What this scan recorded.
        recorded: GateStep,
    },
    Expired {
        name: String,
        printed: bool,
        since_ms: i64,
    },
    Pending {
        name: String,
    },
    /// A visitor recorded without a pass: from their chip ID card (on the staff member's word),
    /// their phone number (confirmed by a code sent to it) or a declaration made for them here.
    /// `detail`: the masked number, if any.
    Vouched {
        headline: Text,
        name: String,
        detail: Option<String>,
        note: Text,
        recorded: GateStep,
    },
    Refused(Text),
}

impl Shown {
    fn admitted(&self) -> bool {
        matches!(self, Shown::Admitted { .. } | Shown::Vouched { .. })
    }
}

/// Why gate mode cannot open.
#[derive(Debug, Clone)]
enum Unavailable {
    NotSignedIn,
    Failed(ApiFailure),
}

/// The control point, from the server when it answers, else as kept from the last time.
async fn open_gate(venue_id: Option<Uuid>) -> Result<GateState, Unavailable> {
    let not_found = || {
        Unavailable::Failed(ApiFailure::Refused {
            status: 404,
            code: Some(ApiErrorCode::NotFound),
            fields: Vec::new(),
        })
    };
    let venue_id = venue_id.ok_or_else(not_found)?;
    let kept = preferences::gate_state(venue_id);
    match api::get::<Venue>(&format!("/api/v1/venues/{venue_id}")).await {
        Ok(venue) => {
            let state = GateState {
                venue_id,
                venue_name: venue.fields.name,
                log: kept.map(|kept| kept.log).unwrap_or_default(),
            };
            preferences::store_gate_state(&state);
            Ok(state)
        }
        Err(ApiFailure::Network) => kept.ok_or(Unavailable::Failed(ApiFailure::Network)),
        Err(ApiFailure::Refused { status: 401, .. }) => Err(Unavailable::NotSignedIn),
        Err(failure) => Err(Unavailable::Failed(failure)),
    }
}

#[component]
pub fn GatePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let gate = LocalResource::new(move || {
        let venue_id = params.read().get("id").and_then(|id| id.parse().ok());
        open_gate(venue_id)
    });
    view! {
        <Transition fallback=move || view! { <p class="page" role="status">{move || i18n.t(Text::Loading)}</p> }>
            {move || {
                gate.get().map(|opened| match opened {
                    Ok(state) => view! { <GateScreen state/> }.into_any(),
                    Err(unavailable) => view! { <GateUnavailable unavailable/> }.into_any(),
                })
            }}
        </Transition>
    }
}

#[component]
fn GateUnavailable(unavailable: Unavailable) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="page" aria-labelledby="gate-unavailable-title">
            <h1 id="gate-unavailable-title">{move || i18n.t(Text::GateAction)}</h1>
            {match unavailable {
                Unavailable::NotSignedIn => view! {
                    <p class="notice-error" role="alert">{move || i18n.t(Text::SignInIntro)}</p>
                }
                .into_any(),
                Unavailable::Failed(failure) => view! { <Failure failure/> }.into_any(),
            }}
            <A href="/venue" attr:class="button">{move || i18n.t(Text::VenuesTitle)}</A>
        </section>
    }
}

/// What admitting `visitor` at `now_ms` at this gate records.
fn admit(state: &GateState, visitor: GateVisitor, now_ms: i64) -> (GateStep, Option<GateScan>) {
    state
        .log
        .admit(state.venue_id, visitor, now_ms, Uuid::new_v4())
}

/// What a read code means at this gate at `now_ms`, and the scan to record when it admits: a
/// pass is verified; a chip ID card is read, masked, and recorded.
fn judge(
    bytes: &[u8],
    keys: &GateKeys,
    state: &GateState,
    now_ms: i64,
) -> (Shown, Option<GateScan>) {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return (Shown::Refused(Text::PassNotRecognised), None);
    };
    if let Ok(card) = IdCard::parse(text) {
        let (recorded, scan) = admit(state, card.visitor(), now_ms);
        let shown = Shown::Vouched {
            headline: Text::GateIdCard,
            name: card.masked_name,
            detail: Some(card.masked_id_number),
            note: Text::GateIdCardCheck,
            recorded,
        };
        return (shown, scan);
    }
    match pass::verdict(text, keys, now_ms.div_euclid(1000)) {
        Verdict::Valid {
            credential,
            printed,
        } => {
            let (recorded, scan) = admit(state, GateVisitor::Pass(text.trim().to_owned()), now_ms);
            let shown = Shown::Admitted {
                name: credential.masked_name,
                printed,
                recorded,
            };
            (shown, scan)
        }
        Verdict::Expired {
            credential,
            printed,
        } => (
            Shown::Expired {
                name: credential.masked_name,
                printed,
                since_ms: i64::from(credential.valid_until_s) * 1000,
            },
            None,
        ),
        Verdict::Pending { masked_name } => (Shown::Pending { name: masked_name }, None),
        Verdict::Invalid(error) => (Shown::Refused(error.text()), None),
    }
}

#[component]
fn GateScreen(state: GateState) -> impl IntoView {
    let i18n = use_i18n();
    use_wake_lock();
    let outbox = use_outbox();
    let venue_name = state.venue_name.clone();
    let state = RwSignal::new(state);
    let keys = StoredValue::new(venue_keys::gate_keys());
    let no_keys = RwSignal::new(!keys.with_value(GateKeys::has_pass_keys));
    // The kept keys serve at once; fresher ones replace them when the network answers.
    leptos::task::spawn_local(async move {
        if let Some(fresh) = venue_keys::refresh().await {
            let fresh = GateKeys::from_published(&fresh.keys);
            no_keys.try_set(!fresh.has_pass_keys());
            keys.try_set_value(fresh);
        }
    });
    let shown = RwSignal::new(None::<Shown>);
    let problem = RwSignal::new(None::<Text>);
    // Counted again each minute too, as arrivals pass the longest stay and days end.
    let ticker = use_seconds_ticker(60);
    let people_in = move || {
        ticker.track();
        let now = now_ms();
        state.with(|state| state.log.people_in_today(now))
    };
    // One verdict at a time: reads while one is shown, or while a scan is being saved, wait.
    let busy = StoredValue::new(false);
    let shown_generation = StoredValue::new(0_u32);

    let show = move |verdict: Shown| {
        let generation = shown_generation.with_value(|n| n + 1);
        shown_generation.set_value(generation);
        let stay_ms = if verdict.admitted() {
            ADMITTED_SHOWN_MS
        } else {
            REFUSED_SHOWN_MS
        };
        shown.set(Some(verdict));
        document::vibrate();
        // Measured once the verdict has been painted: the frame after the one it was drawn in.
        request_animation_frame(|| {
            request_animation_frame(|| measure_since(VERDICT_MEASURE, DECODED_MARK))
        });
        set_timeout(
            move || {
                if shown_generation.try_get_value() == Some(generation) {
                    shown.try_set(None);
                }
            },
            Duration::from_millis(stay_ms),
        );
    };

    let save_scan = move |verdict: Shown, scan: GateScan, now: i64| async move {
        let recorded = (scan.visit_id, scan.direction, scan.visitor.key());
        let submission = Submission {
            id: Uuid::new_v4(),
            created_at_ms: now,
            content: Content::GateScan(scan),
        };
        let saved = outbox.submit(submission).await.is_ok();
        if saved {
            let (visit_id, direction, visitor) = recorded;
            if let Some(visitor) = visitor {
                state.try_update(|state| {
                    state.log.record(visitor, visit_id, direction, now);
                    preferences::store_gate_state(state);
                });
            }
            problem.try_set(None);
            show(verdict);
        } else {
            problem.try_set(Some(Text::CouldNotSave));
        }
        busy.set_value(false);
        saved
    };

    // Saves an admitted visitor's scan through the outbox, then shows the verdict; whether it
    // could be saved. Busy from the call on, not from the first poll of the future: a read that
    // comes in between must wait, or the same visitor would be recorded twice.
    let save = move |verdict: Shown, scan: GateScan, now: i64| {
        busy.set_value(true);
        save_scan(verdict, scan, now)
    };

    let on_read = move |bytes: Vec<u8>| {
        if busy.get_value() || shown.get_untracked().is_some() {
            return;
        }
        mark(DECODED_MARK);
        let now = now_ms();
        let (verdict, scan) =
            keys.with_value(|keys| state.with_untracked(|state| judge(&bytes, keys, state, now)));
        match scan {
            Some(scan) => {
                let saving = save(verdict, scan, now);
                leptos::task::spawn_local(async move {
                    saving.await;
                });
            }
            None => show(verdict),
        }
    };
    let scanner = use_scanner(on_read);

    // Back from declaring for a visitor on this device: they are recorded, and their profile
    // leaves the device once the scan is saved (the queued declaration goes on to the server).
    let venue_id = state.with_untracked(|state| state.venue_id);
    let declared =
        preferences::gate_proxy().and_then(|proxy| proxy.to_record(venue_id, now_ms()).cloned());
    if let Some(declared) = declared {
        let db = use_local_db();
        let now = now_ms();
        let (recorded, scan) = state.with_untracked(|state| admit(state, declared.visitor(), now));
        let verdict = Shown::Vouched {
            headline: Text::GateDeclared,
            name: declared.masked_name.clone(),
            detail: None,
            note: Text::GateDeclaredNote,
            recorded,
        };
        let saving = scan.map(|scan| save(verdict.clone(), scan, now));
        leptos::task::spawn_local(async move {
            let saved = match saving {
                Some(saving) => saving.await,
                None => {
                    show(verdict);
                    true
                }
            };
            if saved {
                preferences::clear_gate_proxy();
                if let Ok(db) = db.await {
                    if db.delete_profile(declared.profile_id).await.is_err() {
                        problem.try_set(Some(Text::CouldNotSave));
                    }
                }
            }
        });
    }

    let title = move || i18n.format(Text::GateTitle, &[("venue", venue_name.as_str().into())]);
    view! {
        <section class="page scanner gate" aria-labelledby="gate-title">
            <h1 id="gate-title">{title}</h1>
            <p class="gate-count" role="status">
                {move || i18n.format(Text::GatePeopleIn, &[("count", (people_in() as i64).into())])}
            </p>
            <Show when=move || no_keys.get()>
                <p class="notice-error" role="alert">{move || i18n.t(Text::GateNoKeys)}</p>
            </Show>
            <p>{move || i18n.t(Text::GateIntro)}</p>
            <Viewfinder scanner/>
            <p class="field-error" role="alert">{move || problem.get().map(|text| i18n.t(text))}</p>
            <PhotoFallback scanner label=Text::GatePhotoAction on_read on_problem=move |text| problem.set(Some(text))/>
            <PhoneVisitorForm state show/>
            <DeclareForVisitor venue_id label=Text::GateDeclareVisitor/>
            {move || shown.get().map(|verdict| view! { <VerdictScreen verdict dismiss=move || shown.set(None)/> })}
        </section>
    }
}

/// The verdict, over the whole screen, in words, colour and icon.
#[component]
fn VerdictScreen(verdict: Shown, dismiss: impl Fn() + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let (class, icon, headline) = match &verdict {
        Shown::Admitted { .. } => ("verdict verdict-valid", "✓", Text::GateValid),
        Shown::Expired { .. } => ("verdict verdict-expired", "!", Text::GateExpired),
        Shown::Pending { .. } => ("verdict verdict-pending", "…", Text::GatePending),
        Shown::Vouched { headline, .. } => ("verdict verdict-valid", "✓", *headline),
        Shown::Refused(_) => ("verdict verdict-invalid", "✗", Text::GateInvalid),
    };
    let printed_mark = |printed: bool| {
        printed
            .then(|| view! { <p class="verdict-mark">{move || i18n.t(Text::PassPrintedCard)}</p> })
    };
    let recorded_text = |recorded: GateStep| match recorded {
        GateStep::Record {
            direction: Direction::Arrival,
            ..
        } => Text::GateCheckedIn,
        GateStep::Record {
            direction: Direction::Departure,
            ..
        } => Text::GateCheckedOut,
        GateStep::AlreadyRecorded(_) => Text::GateAlreadyRecorded,
    };
    let details = match verdict {
        Shown::Admitted {
            name,
            printed,
            recorded,
        } => {
            let recorded = recorded_text(recorded);
            view! {
                <p class="verdict-name">{name}</p>
                {printed_mark(printed)}
                <p>{move || i18n.t(recorded)}</p>
            }
            .into_any()
        }
        Shown::Vouched {
            name,
            detail,
            note,
            recorded,
            ..
        } => {
            let recorded = recorded_text(recorded);
            view! {
                <p class="verdict-name">{name}</p>
                {detail.map(|detail| view! { <p>{detail}</p> })}
                <p>{move || i18n.t(note)}</p>
                <p>{move || i18n.t(recorded)}</p>
            }
            .into_any()
        }
        Shown::Expired {
            name,
            printed,
            since_ms,
        } => view! {
            <p class="verdict-name">{name}</p>
            {printed_mark(printed)}
            <p>{move || i18n.format(Text::GateExpiredSince, &[("time", format_date_time(since_ms, i18n.lang()).as_str().into())])}</p>
        }
        .into_any(),
        Shown::Pending { name } => view! {
            <p class="verdict-name">{name}</p>
            <p>{move || i18n.t(Text::GatePendingExplained)}</p>
        }
        .into_any(),
        Shown::Refused(reason) => view! { <p>{move || i18n.t(reason)}</p> }.into_any(),
    };
    view! {
        <div class=class role="alert" aria-label=move || i18n.t(Text::GateVerdict)>
            <p class="verdict-icon" aria-hidden="true">{icon}</p>
            <h2 class="verdict-headline">{move || i18n.t(headline)}</h2>
            {details}
            <button type="button" class="button verdict-next" on:click=move |_| dismiss()>
                {move || i18n.t(Text::GateNext)}
            </button>
        </div>
    }
}

/// Starts declaring for a visitor on this device, to come back to this gate once it is queued.
#[component]
fn DeclareForVisitor(venue_id: Uuid, label: Text) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let start = move |_| {
        preferences::store_gate_proxy(&GateProxy::start(venue_id, now_ms()));
        navigate("/profiles/new", Default::default());
    };
    view! {
        <button type="button" class="button" on:click=start>{move || i18n.t(label)}</button>
    }
}

/// Said on the profile and declaration screens while they are filled in for a gate's visitor.
#[component]
pub(super) fn GateProxyNotice() -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="notice" role="status">{move || i18n.t(Text::GateProxyNotice)}</p> }
}

/// What a failed phone request means at the gate: no declaration, an expired one, or what the
/// venue screens say of any other failure.
#[component]
fn PhoneFailure(failure: ApiFailure, venue_id: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let gate_text = match &failure {
        ApiFailure::Refused { status: 404, .. } => Some(Text::GatePhoneNoDeclaration),
        ApiFailure::Refused {
            code: Some(ApiErrorCode::DeclarationExpired),
            ..
        } => Some(Text::GatePhoneExpired),
        _ => None,
    };
    // Declaring for the visitor on this phone (with their number) lets the phone path find them.
    match gate_text {
        Some(text) => view! {
            <div class="notice-error" role="alert">
                <p>{move || i18n.t(text)}</p>
                <DeclareForVisitor venue_id label=Text::GateDeclareOnBehalf/>
            </div>
        }
        .into_any(),
        None => view! { <Failure failure/> }.into_any(),
    }
}

/// A visitor without their phone: found by their number's latest declaration, and recorded once
/// they read back the code the server sent to it. Needs the network.
#[component]
fn PhoneVisitorForm(
    state: RwSignal<GateState>,
    show: impl Fn(Shown) + Copy + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let (phone, set_phone) = signal(String::new());
    let (code, set_code) = signal(String::new());
    let (errors, set_errors) = signal(Vec::<FieldError>::new());
    let venue_id = state.with_untracked(|state| state.venue_id);
    let send_code = Action::new_local(move |phone: &String| {
        let body = CodeRequest {
            phone: phone.clone(),
        };
        async move {
            api::post::<PhoneVisitor>(&format!("/api/v1/venues/{venue_id}/gate/phone"), &body).await
        }
    });
    let confirm = Action::new_local(move |(visitor, code): &(PhoneVisitor, String)| {
        let (visitor, code) = (visitor.clone(), code.clone());
        let phone = phone.get_untracked();
        async move {
            let now = now_ms();
            let key = visitor.visitor().key().unwrap_or_default();
            let step = state.with_untracked(|state| state.log.step(&key, now, Uuid::new_v4()));
            let GateStep::Record {
                visit_id,
                direction,
            } = step
            else {
                return Ok((visitor, step));
            };
            let body = PhoneCheckIn {
                phone,
                code,
                visit_id,
                direction,
            };
            api::post::<PhoneVisitor>(
                &format!("/api/v1/venues/{venue_id}/gate/phone/confirm"),
                &body,
            )
            .await?;
            state.update(|state| {
                state.log.record(key, visit_id, direction, now);
                preferences::store_gate_state(state);
            });
            Ok::<_, ApiFailure>((visitor, step))
        }
    });
    Effect::new(move |_| match send_code.value().get() {
        Some(Err(failure)) => set_errors.set(failure.fields()),
        _ => set_errors.set(Vec::new()),
    });
    Effect::new(move |_| {
        if let Some(Ok((visitor, recorded))) = confirm.value().get() {
            send_code.value().set(None);
            confirm.value().set(None);
            set_phone.set(String::new());
            set_code.set(String::new());
            show(Shown::Vouched {
                headline: Text::GatePhoneVerified,
                name: visitor.masked_name,
                detail: Some(visitor.masked_phone),
                note: Text::GatePhoneVerifiedNote,
                recorded,
            });
        }
    });
    let sent_to = move || send_code.value().get().and_then(Result::ok);
    view! {
        <section class="gate-phone" aria-labelledby="gate-phone-title">
            <h2 id="gate-phone-title">{move || i18n.t(Text::GatePhoneTitle)}</h2>
            <form novalidate on:submit=move |ev| {
                ev.prevent_default();
                send_code.dispatch(phone.get_untracked());
            }>
                <TextField
                    name="gate-phone"
                    label=Text::GatePhoneLabel
                    input_type="tel"
                    input_mode="tel"
                    autocomplete="off"
                    value=phone
                    on_input=move |value| set_phone.set(value)
                    errors
                />
                {move || match send_code.value().get() {
                    Some(Err(failure)) => Some(view! { <PhoneFailure failure venue_id/> }),
                    _ => None,
                }}
                <button type="submit" class="button" disabled=move || send_code.pending().get()>
                    {move || i18n.t(Text::GateSendCode)}
                </button>
            </form>
            {move || sent_to().map(|visitor| {
                let sent = i18n.format(
                    Text::GateCodeSent,
                    &[("phone", visitor.masked_phone.as_str().into()), ("name", visitor.masked_name.as_str().into())],
                );
                view! {
                    <p class="notice-success" role="status">{sent}</p>
                    <form novalidate on:submit=move |ev| {
                        ev.prevent_default();
                        confirm.dispatch((visitor.clone(), code.get_untracked()));
                    }>
                        <TextField
                            name="gate-code"
                            label=Text::GateCodeLabel
                            input_mode="numeric"
                            autocomplete="off"
                            value=code
                            on_input=move |value| set_code.set(value)
                            errors
                        />
                        {move || match confirm.value().get() {
                            Some(Err(failure)) => Some(view! { <PhoneFailure failure venue_id/> }),
                            _ => None,
                        }}
                        <button type="submit" class="button button-primary" disabled=move || confirm.pending().get()>
                            {move || i18n.t(Text::GateConfirmCode)}
                        </button>
                    </form>
                }
            })}
        </section>
    }
}

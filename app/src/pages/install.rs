//! `/install`: how to put the app on the home screen (DESIGN.md §8), with the browser's own
//! install dialog offered as a button where the browser has one. The pictures are drawn here in
//! SVG, in the app's colours: no screenshots, nothing fetched.

use domain::i18n::Text;
use leptos::prelude::*;

use crate::adapters::install::{self, use_install, Choice};
use crate::i18n::use_i18n;

/// Which system's picture to draw.
#[derive(Debug, Clone, Copy)]
enum Device {
    Android,
    Iphone,
    Desktop,
}

impl Device {
    fn title(self) -> Text {
        match self {
            Device::Android => Text::InstallAndroidTitle,
            Device::Iphone => Text::InstallIosTitle,
            Device::Desktop => Text::InstallDesktopTitle,
        }
    }

    fn picture(self) -> Text {
        match self {
            Device::Android => Text::InstallAndroidPicture,
            Device::Iphone => Text::InstallIosPicture,
            Device::Desktop => Text::InstallDesktopPicture,
        }
    }

    fn steps(self) -> &'static [Text] {
        match self {
            Device::Android => &[
                Text::InstallAndroidStep1,
                Text::InstallAndroidStep2,
                Text::InstallAndroidStep3,
            ],
            Device::Iphone => &[
                Text::InstallIosStep1,
                Text::InstallIosStep2,
                Text::InstallIosStep3,
            ],
            Device::Desktop => &[Text::InstallDesktopStep1, Text::InstallDesktopStep2],
        }
    }

    fn id(self) -> &'static str {
        match self {
            Device::Android => "install-android",
            Device::Iphone => "install-ios",
            Device::Desktop => "install-desktop",
        }
    }
}

#[component]
pub fn InstallPage() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_install();
    let open_dialog = Action::new_local(|_: &()| install::prompt());
    let choice = move || open_dialog.value().get().flatten();
    view! {
        <section class="page install" aria-labelledby="install-title">
            <h1 id="install-title">{move || i18n.t(Text::InstallTitle)}</h1>
            <p class="lead">{move || i18n.t(Text::InstallIntro)}</p>
            <p role="status">
                {move || {
                    if state.installed.get() || choice() == Some(Choice::Accepted) {
                        i18n.t(Text::InstallDone)
                    } else if choice() == Some(Choice::Dismissed) {
                        i18n.t(Text::InstallDismissed)
                    } else {
                        ""
                    }
                }}
            </p>
            <Show when=move || state.can_prompt.get() && !state.installed.get() && choice().is_none()>
                <button
                    type="button"
                    class="button button-primary"
                    disabled=move || open_dialog.pending().get()
                    on:click=move |_| { open_dialog.dispatch(()); }
                >
                    {move || i18n.t(Text::InstallButton)}
                </button>
            </Show>
            {[Device::Android, Device::Iphone, Device::Desktop]
                .into_iter()
                .map(|device| view! { <Instructions device/> })
                .collect_view()}
        </section>
    }
}

#[component]
fn Instructions(device: Device) -> impl IntoView {
    let i18n = use_i18n();
    let title_id = device.id();
    view! {
        <section class="install-device" aria-labelledby=title_id>
            <h2 id=title_id>{move || i18n.t(device.title())}</h2>
            <Picture device/>
            <ol class="install-steps">
                {device
                    .steps()
                    .iter()
                    .map(|step| {
                        let step = *step;
                        view! { <li>{move || i18n.t(step)}</li> }
                    })
                    .collect_view()}
            </ol>
        </section>
    }
}

/// The menu that control opens, 50 × 40 at (`x`, `y`), its "add to home screen" row marked.
#[component]
fn MenuSheet(x: u16, y: u16) -> impl IntoView {
    view! {
        <rect x=x y=y width="50" height="40" rx="3" class="menu"/>
        <rect x=x + 5 y=y + 7 width="34" height="4" rx="2" class="line"/>
        <rect x=x + 5 y=y + 17 width="40" height="6" rx="2" class="highlight"/>
        <rect x=x + 5 y=y + 29 width="30" height="4" rx="2" class="line"/>
    }
}

/// A phone or a browser window, with the control to tap marked by a ring.
#[component]
fn Picture(device: Device) -> impl IntoView {
    let i18n = use_i18n();
    let body = match device {
        // A phone: Chrome's menu (three dots, top right) and its "add to home screen" row.
        Device::Android => view! {
            <rect x="40" y="4" width="80" height="152" rx="12" class="device"/>
            <rect x="46" y="18" width="68" height="12" rx="3" class="bar"/>
            <circle cx="108" cy="24" r="1.6" class="ink"/>
            <circle cx="108" cy="20" r="1.6" class="ink"/>
            <circle cx="108" cy="28" r="1.6" class="ink"/>
            <circle cx="108" cy="24" r="7" class="ring"/>
            <MenuSheet x=64 y=34/>
        }
        .into_any(),
        // A phone: Safari's share button (a box with an arrow, bottom centre).
        Device::Iphone => view! {
            <rect x="40" y="4" width="80" height="152" rx="14" class="device"/>
            <rect x="46" y="132" width="68" height="16" rx="3" class="bar"/>
            <path d="M75 145 h10 v-8 h-3 M78 137 h-3 v8" class="stroke"/>
            <path d="M80 141 v-9 M77 135 l3 -3 l3 3" class="stroke"/>
            <circle cx="80" cy="139" r="9" class="ring"/>
            <MenuSheet x=54 y=86/>
        }
        .into_any(),
        // A browser window: the install icon at the right of the address bar.
        Device::Desktop => view! {
            <rect x="4" y="24" width="152" height="112" rx="6" class="device"/>
            <rect x="10" y="32" width="140" height="14" rx="7" class="bar"/>
            <rect x="134" y="35" width="8" height="8" rx="1.5" class="stroke"/>
            <path d="M138 37 v5 M136 40 l2 2 l2 -2" class="stroke"/>
            <circle cx="138" cy="39" r="8" class="ring"/>
            <rect x="16" y="56" width="90" height="6" rx="3" class="line"/>
            <rect x="16" y="68" width="120" height="4" rx="2" class="line"/>
            <rect x="16" y="78" width="110" height="4" rx="2" class="line"/>
        }
        .into_any(),
    };
    view! {
        <svg class="install-picture" viewBox="0 0 160 160" width="160" height="160" role="img" aria-label=move || i18n.t(device.picture())>
            {body}
        </svg>
    }
}

//! The device's clock, through JavaScript's `Date`.

/// The current calendar year on the device, used as the upper bound for years of birth.
pub fn current_year() -> u16 {
    // `Date` years are small positive integers for any date a phone can be set to.
    js_sys::Date::new_0().get_full_year() as u16
}

/// Today's date in the device's time zone: what a person means by "today" in a form.
pub fn today() -> domain::date::Date {
    let now = js_sys::Date::new_0();
    // getTimezoneOffset is UTC minus local time, in minutes.
    let offset_minutes = -(now.get_timezone_offset() as i32);
    domain::date::Date::from_unix_ms(now.get_time() as i64, offset_minutes)
}

/// Milliseconds since the Unix epoch, device clock.
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// A date and time in Vietnam's time zone (DESIGN.md §1), written the way `lang` writes them
/// without ambiguity ([`domain::date::format_date_time`]): the same on every device, whatever its
/// own locale data.
pub fn format_date_time(ms: i64, lang: domain::i18n::Lang) -> String {
    domain::date::format_date_time(ms, lang)
}

/// Seconds since the Unix epoch, ticking every `period_s` while the calling component lives,
/// and at once when the tab is shown again (timers sleep with a hidden tab or a locked phone).
pub fn use_seconds_ticker(period_s: u32) -> leptos::prelude::ReadSignal<i64> {
    use leptos::prelude::*;
    let now_s = || now_ms().div_euclid(1000);
    let (seconds, set_seconds) = signal(now_s());
    let interval = gloo_timers::callback::Interval::new(period_s.saturating_mul(1000), move || {
        set_seconds.set(now_s())
    });
    let on_visible = crate::adapters::document::on_shown(move || set_seconds.set(now_s()));
    // Runs on the page's only thread; Leptos asks for `Send` cleanups.
    let cleanup = send_wrapper::SendWrapper::new(move || drop((interval, on_visible)));
    on_cleanup(move || cleanup.take()());
    seconds
}

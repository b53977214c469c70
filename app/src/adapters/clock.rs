//! The device's clock, through JavaScript's `Date`.

/// The current calendar year on the device, used as the upper bound for years of birth.
pub fn current_year() -> u16 {
    // `Date` years are small positive integers for any date a phone can be set to.
    js_sys::Date::new_0().get_full_year() as u16
}

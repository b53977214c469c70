//! Everything in tokhai that can be stated without a browser.
//!
//! The app (compiled to Wasm) and the server (native) both depend on this crate, so a rule written
//! here is enforced identically on the device and again on the server, which never trusts the app.

pub mod api;
pub mod countries;
pub mod date;
pub mod declaration;
pub mod diary;
pub mod divisions;
pub mod exposure;
pub mod gate;
pub mod i18n;
pub mod outbox;
pub mod pass;
pub mod poster;
pub mod profile;
pub mod qr;
pub mod retention;
pub mod scan;
pub mod status;
pub mod submission;
pub mod text;
pub mod validation;
pub mod venue;
pub mod visit;

//! One module per browser API. Components use these and never call `web-sys` themselves.

pub mod api;
pub mod assets;
pub mod camera;
pub mod clock;
pub mod connectivity;
pub mod device_key;
pub mod document;
pub mod drafts;
pub mod geolocation;
pub mod idb;
pub mod install;
pub mod locales;
pub mod notifications;
pub mod outbox;
pub mod performance;
pub mod persistence;
pub mod policy;
pub mod preferences;
pub mod qr_reader;
pub mod service_worker;
pub mod wake_lock;

/// This build's package directory, as `cargo xtask` builds it (e.g. `/pkg/3fa9c2e1/`): the
/// languages and the scanner's worker are fetched from there.
pub const PKG: &str = match option_env!("TOKHAI_PKG") {
    Some(pkg) => pkg,
    None => "/pkg/dev/",
};

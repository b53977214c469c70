//! One module per browser API. Components use these and never call `web-sys` themselves.

pub mod api;
pub mod assets;
pub mod clock;
pub mod document;
pub mod drafts;
pub mod geolocation;
pub mod idb;
pub mod locales;
pub mod outbox;
pub mod persistence;
pub mod policy;
pub mod preferences;
pub mod service_worker;

//! One module per browser API. Components use these and never call `web-sys` themselves.

pub mod clock;
pub mod divisions;
pub mod document;
pub mod drafts;
pub mod idb;
pub mod outbox;
pub mod persistence;
pub mod policy;
pub mod preferences;
pub mod service_worker;

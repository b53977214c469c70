//! Screens, one module each. They read signals and call `domain`; browser work goes through
//! `crate::adapters`.

mod home;
mod not_found;
mod profile;
mod storage_unavailable;

pub use home::Home;
pub use not_found::NotFound;
pub use profile::{EditProfile, NewProfile};
pub use storage_unavailable::StorageUnavailable;

//! Screens, one module each. They read signals and call `domain`; browser work goes through
//! `crate::adapters`.

mod alerts;
mod check_in;
mod country;
mod declaration_fields;
mod declare;
mod delivery;
mod fields;
mod form;
mod gate;
mod history;
mod home;
mod install;
mod my_data;
mod not_found;
mod officer;
mod outbox;
mod pass;
mod place;
mod profile;
mod scan;
mod scanner;
mod staff;
mod storage_unavailable;
mod venue;
mod visitors;
mod visits;

pub use alerts::{AlertsLink, AlertsPage, NewAlerts, NotificationOffer};
pub use check_in::CheckInPage;
pub use declare::DeclarationPage;
pub use gate::GatePage;
pub use history::HistoryPage;
pub use home::Home;
pub use install::InstallPage;
pub use my_data::MyDataPage;
pub use not_found::NotFound;
pub use officer::{OfficerCases, OfficerExposures, OfficerStatistics};
pub use outbox::OutboxPage;
pub use pass::PassPage;
pub use profile::{EditProfile, NewProfile, WithProfile};
pub use scan::ScanPage;
pub use staff::StaffPage;
pub use storage_unavailable::{anywhere, with_storage, CouldNotRead};
pub use venue::{PosterPage, RegisterVenue, VenueHome};
pub use visitors::VisitorsPage;
pub use visits::VisitsPage;

//! The division catalogue the app ships (`public/data/divisions.json`), compiled into the server
//! so that every ward code it receives is checked against the same list the app chose it from.

use std::sync::LazyLock;

use domain::divisions::Catalogue;

pub static CATALOGUE: LazyLock<Catalogue> = LazyLock::new(|| {
    serde_json::from_str(include_str!("../../public/data/divisions.json"))
        .expect("the shipped catalogue parses: domain's tests read the same file")
});

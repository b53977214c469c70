//! API bodies: any bytes posted as a submission are read by the server's own reader
//! (`domain::api::read_body`) or refused without a panic, and refused the same way serde refuses
//! them; whatever is read must validate without a panic, have its device time and its addresses
//! checked (against the shipped division catalogue) as an independent model says, and survive a
//! JSON round trip unchanged.
#![no_main]

#[path = "device_time_model.rs"]
mod device_time_model;

use std::collections::HashSet;
use std::sync::LazyLock;

use domain::api::{read_body, BodyError};
use domain::date::Date;
use domain::divisions::Catalogue;
use domain::retention::{check_device_time, DAY_MS, MAX_CLOCK_AHEAD_MS};
use domain::submission::Submission;
use domain::validation::ErrorCode;
use device_time_model::expected_device_time;
use libfuzzer_sys::fuzz_target;

/// The catalogue the app ships and the server compiles in.
static CATALOGUE: LazyLock<Catalogue> = LazyLock::new(|| {
    serde_json::from_str(include_str!("../../public/data/divisions.json"))
        .expect("the shipped catalogue parses")
});

/// The same catalogue read as plain JSON: every (province, ward) pair it lists.
static KNOWN_WARDS: LazyLock<HashSet<(u16, u32)>> = LazyLock::new(|| {
    let provinces: Vec<(u16, String, Vec<(u32, String)>)> =
        serde_json::from_str(include_str!("../../public/data/divisions.json"))
            .expect("the shipped catalogue parses");
    provinces
        .into_iter()
        .flat_map(|(province, _, wards)| wards.into_iter().map(move |(ward, _)| (province, ward)))
        .collect()
});

/// 2026-11-22 00:00 UTC, the day the seeds were written.
const NOW_MS: i64 = 1_795_305_600_000;


fuzz_target!(|data: &[u8]| {
    let read = read_body::<Submission>(data);
    // The server's reader accepts exactly what serde does, and only calls JSON malformed when
    // it is not JSON at all.
    let plain = serde_json::from_slice::<Submission>(data);
    assert_eq!(read.as_ref().ok(), plain.as_ref().ok());
    match &read {
        Err(BodyError::Malformed(_)) => {
            assert!(serde_json::from_slice::<serde::de::IgnoredAny>(data).is_err())
        }
        Err(BodyError::Invalid { field, .. }) => {
            assert!(serde_json::from_slice::<serde::de::IgnoredAny>(data).is_ok());
            assert!(!field.field.is_empty());
        }
        Ok(_) => {}
    }
    let Ok(submission) = read else { return };

    let _ = submission
        .content
        .validate(Date::parse("2026-11-22").expect("a valid date"));

    let at = submission.created_at_ms;
    // Fixed server times, and those at which `at` sits on a limit or just past it.
    let limits = [
        at.saturating_sub(MAX_CLOCK_AHEAD_MS),
        at.saturating_sub(MAX_CLOCK_AHEAD_MS + 1),
        at.saturating_add(21 * DAY_MS),
        at.saturating_add(21 * DAY_MS + 1),
    ];
    for now in [NOW_MS, 0, i64::MIN, i64::MAX, at]
        .into_iter()
        .chain(limits)
    {
        for days in [0, 1, 21, 365] {
            assert_eq!(
                check_device_time(at, now, days),
                expected_device_time(at, now, days),
                "created_at_ms {at}, now {now}, {days} days"
            );
        }
    }

    let addresses = submission.content.addresses();
    let unknown: Vec<String> = addresses
        .iter()
        .filter_map(|(path, address)| match (address.province, address.ward) {
            (Some(province), Some(ward)) if !KNOWN_WARDS.contains(&(province, ward)) => {
                Some(if path.is_empty() {
                    "ward".to_owned()
                } else {
                    format!("{path}.ward")
                })
            }
            _ => None,
        })
        .collect();
    match CATALOGUE.check_addresses(addresses.iter().copied()) {
        Ok(()) => assert!(unknown.is_empty(), "unknown wards accepted: {unknown:?}"),
        Err(errors) => {
            assert!(errors
                .iter()
                .all(|error| error.code == ErrorCode::UnknownChoice));
            let fields: Vec<String> = errors.into_iter().map(|error| error.field).collect();
            assert_eq!(fields, unknown);
        }
    }

    let json = serde_json::to_vec(&submission).expect("a read submission serialises");
    let again: Submission = read_body(&json).expect("and reads back");
    assert_eq!(again, submission);
});

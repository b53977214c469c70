//! API bodies: any bytes posted as a submission must parse or be refused without a panic, and
//! whatever parses must validate without a panic and survive a JSON round trip unchanged.
#![no_main]

use domain::date::Date;
use domain::submission::Submission;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(submission) = serde_json::from_slice::<Submission>(data) {
        let _ = submission
            .content
            .validate(Date::parse("2026-11-22").expect("a valid date"));
        let json = serde_json::to_vec(&submission).expect("a parsed submission serialises");
        let again: Submission = serde_json::from_slice(&json).expect("and parses back");
        assert_eq!(again, submission);
    }
});

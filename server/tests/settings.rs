//! Settings out of their sane ranges are refused at start with a clear message.

use std::process::Command;

fn config(data: &std::path::Path, retention_days: u32) -> server::Config {
    server::Config {
        data_dir: data.to_owned(),
        database_url: None,
        rate_limit: None,
        policy: Default::default(),
        dist: data.to_owned(),
        retention_days,
        code_sender: server::CodeSender::Log,
        limits: Default::default(),
        public_origin: None,
        trusted_proxies: Default::default(),
        clock: server::system_clock,
    }
}

#[tokio::test]
async fn retention_out_of_range_is_refused_by_the_library() {
    let data = tempfile::tempdir().unwrap();
    for days in [0, 3651, u32::MAX] {
        let error = config(data.path(), days)
            .validate()
            .unwrap_err()
            .to_string();
        assert!(error.contains("TOKHAI_RETENTION_DAYS"), "{error}");
        assert!(error.contains(&days.to_string()), "{error}");
        let error = server::build(&config(data.path(), days))
            .await
            .unwrap_err()
            .to_string();
        assert!(error.contains("TOKHAI_RETENTION_DAYS"), "{error}");
        // Refused before anything was opened or created.
        assert!(!data.path().join("tokhai.sqlite").exists());
    }
    for days in [1, 21, 3650] {
        config(data.path(), days).validate().unwrap();
    }
}

#[test]
fn retention_out_of_range_is_refused_by_the_command_line() {
    for days in ["0", "3651", "-1"] {
        let data = tempfile::tempdir().unwrap();
        let output = Command::new(env!("CARGO_BIN_EXE_server"))
            .env("TOKHAI_RETENTION_DAYS", days)
            .env("TOKHAI_DATA_DIR", data.path())
            .env("TOKHAI_ADDR", "127.0.0.1:0")
            .env_remove("DATABASE_URL")
            .output()
            .unwrap();
        assert!(!output.status.success(), "started with {days} days");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("retention-days"), "{stderr}");
        assert!(
            stderr.contains("1..=3650") || stderr.contains("3650"),
            "{stderr}"
        );
        assert!(!data.path().join("tokhai.sqlite").exists());
    }
}

#[test]
fn zero_or_absurd_timeouts_are_refused() {
    let data = tempfile::tempdir().unwrap();
    let mut zero = config(data.path(), 21);
    zero.limits.body_read_timeout = std::time::Duration::ZERO;
    let error = zero.validate().unwrap_err().to_string();
    assert!(
        error.contains("TOKHAI_BODY_READ_TIMEOUT_SECONDS"),
        "{error}"
    );
    let mut day = config(data.path(), 21);
    day.limits.header_read_timeout = std::time::Duration::from_secs(86_400);
    let error = day.validate().unwrap_err().to_string();
    assert!(
        error.contains("TOKHAI_HEADER_READ_TIMEOUT_SECONDS"),
        "{error}"
    );
}

//! The outbox's delivery rules (DESIGN.md §3.6): what happens to a queued submission after each
//! attempt to send it. The app keeps the items in IndexedDB and performs the HTTP requests; every
//! decision about them is made here, so it can be tested against random fault schedules.

use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::validation::FieldError;

/// First retry delay; doubled after each failed attempt.
pub const BASE_DELAY_MS: u64 = 1_000;
/// Longest wait between two attempts, so a phone that was offline all day retries soon after.
pub const MAX_DELAY_MS: u64 = 5 * 60 * 1_000;

/// Where a queued item stands. Delivered items leave the outbox, so they have no state here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ItemState {
    /// Waiting to be sent, at `next_attempt_at_ms` or on the next trigger after it.
    Pending {
        attempts: u32,
        next_attempt_at_ms: u64,
        #[serde(default, deserialize_with = "read_last_error")]
        last_error: Option<AttemptFailure>,
    },
    /// The server refused the item for a reason that retrying cannot fix; the user must correct
    /// or discard it. Nothing leaves this state by itself.
    NeedsAttention {
        status: u16,
        reason: String,
        fields: Vec<FieldError>,
    },
}

/// Why the last attempt to send an item did not deliver it, in terms the outbox screen can put in
/// words (never the browser's own text, such as "TypeError: Failed to fetch").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AttemptFailure {
    /// No answer: offline, the server unreachable, the connection dropped.
    Unreachable,
    /// An answer without this item's receipt: the server did not confirm it.
    NoReceipt,
    /// The server was busy or restarting (a retryable HTTP status).
    Busy { status: u16 },
}

/// Reads `last_error` as stored by this version, or as the text older versions stored, which
/// said only that an attempt failed.
fn read_last_error<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<AttemptFailure>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Stored {
        Now(AttemptFailure),
        Before(IgnoredAny),
    }
    Ok(
        Option::<Stored>::deserialize(deserializer)?.map(|stored| match stored {
            Stored::Now(failure) => failure,
            Stored::Before(_) => AttemptFailure::Unreachable,
        }),
    )
}

/// Where a submission stands, as the screen that saved it tells the person: only what is true.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Delivery {
    /// The server has it (a receipt came and the item left the outbox).
    Sent,
    /// Saved; the first attempt is under way.
    Sending,
    /// Saved; the last attempt found no network or no confirmation. It goes by itself later.
    WaitingForNetwork,
    /// Saved; the server was busy. It goes by itself later.
    ServerBusy,
    /// Saved; the server refused it, and the person must look at it in the outbox.
    NeedsAttention,
}

impl Delivery {
    /// The delivery of one saved item, from its state in the outbox (`None`: no longer queued).
    pub fn of(state: Option<&ItemState>) -> Delivery {
        match state {
            None => Delivery::Sent,
            Some(ItemState::Pending {
                last_error: None, ..
            }) => Delivery::Sending,
            Some(ItemState::Pending {
                last_error: Some(AttemptFailure::Busy { .. }),
                ..
            }) => Delivery::ServerBusy,
            Some(ItemState::Pending { .. }) => Delivery::WaitingForNetwork,
            Some(ItemState::NeedsAttention { .. }) => Delivery::NeedsAttention,
        }
    }

    /// The delivery of several items saved together (a family checking in): the least advanced
    /// of them, so the screen never says "sent" while one still waits.
    pub fn of_all<'a>(states: impl IntoIterator<Item = Option<&'a ItemState>>) -> Delivery {
        states
            .into_iter()
            .map(Delivery::of)
            .max()
            .unwrap_or(Delivery::Sent)
    }
}

impl ItemState {
    /// A new item, to be sent at once.
    pub fn new_pending() -> ItemState {
        ItemState::Pending {
            attempts: 0,
            next_attempt_at_ms: 0,
            last_error: None,
        }
    }

    /// Whether an attempt may be made at `now_ms`.
    pub fn is_due(&self, now_ms: u64) -> bool {
        matches!(self, ItemState::Pending { next_attempt_at_ms, .. } if *next_attempt_at_ms <= now_ms)
    }
}

/// What one attempt to deliver an item produced, as seen by the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// No answer for this item: offline, DNS failure, connection reset, timeout
    /// ([`AttemptFailure::Unreachable`]), or an answer without its receipt
    /// ([`AttemptFailure::NoReceipt`]).
    Unanswered(AttemptFailure),
    /// An HTTP answer for this item.
    Answer {
        status: u16,
        /// Seconds from a `Retry-After` header, if any.
        retry_after_s: Option<u64>,
        /// The server's explanation, for the "needs attention" view.
        reason: String,
        fields: Vec<FieldError>,
    },
}

/// What to do with the item after an attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The server holds the item durably: remove it from the outbox.
    Delivered,
    /// Keep it and try again later.
    Retry(ItemState),
    /// Keep it and show it to the user.
    NeedsAttention(ItemState),
}

/// Decides an item's fate after an attempt made at `now_ms`.
///
/// `jitter` in `[0, 1)` spreads retries of many phones over time (full jitter), so a server
/// coming back after an outage is not hit by every queued phone at the same instant.
pub fn after_attempt(state: &ItemState, outcome: Outcome, now_ms: u64, jitter: f64) -> Verdict {
    let attempts = match state {
        ItemState::Pending { attempts, .. } => attempts.saturating_add(1),
        // An item needing attention is only sent again when the user asks, as a fresh start.
        ItemState::NeedsAttention { .. } => 1,
    };
    match outcome {
        Outcome::Answer { status, .. } if (200..300).contains(&status) => Verdict::Delivered,
        Outcome::Answer {
            status,
            retry_after_s,
            ..
        } if is_retryable(status) => Verdict::Retry(ItemState::Pending {
            attempts,
            next_attempt_at_ms: now_ms + retry_delay_ms(attempts, retry_after_s, jitter),
            last_error: Some(AttemptFailure::Busy { status }),
        }),
        Outcome::Answer {
            status,
            reason,
            fields,
            ..
        } => Verdict::NeedsAttention(ItemState::NeedsAttention {
            status,
            reason,
            fields,
        }),
        Outcome::Unanswered(failure) => Verdict::Retry(ItemState::Pending {
            attempts,
            next_attempt_at_ms: now_ms + retry_delay_ms(attempts, None, jitter),
            last_error: Some(failure),
        }),
    }
}

/// Answers worth retrying: the server was busy, slow or unreachable behind its proxy (408, 429,
/// 502, 503, 504), or another delivery of the same item was still being committed (409). A 500
/// is the server's own bug or bad data (the API answers transient failures with 503): retrying
/// it by itself would go on forever, so it waits in "needs attention" for the user to retry.
pub fn is_retryable(status: u16) -> bool {
    matches!(status, 408 | 409 | 429 | 502 | 503 | 504)
}

/// Exponential backoff with full jitter, never earlier than the server's `Retry-After`.
pub fn retry_delay_ms(attempts: u32, retry_after_s: Option<u64>, jitter: f64) -> u64 {
    let exponent = attempts.saturating_sub(1).min(20);
    let ceiling = BASE_DELAY_MS
        .saturating_mul(1 << exponent)
        .min(MAX_DELAY_MS);
    let jitter = if jitter.is_finite() {
        jitter.clamp(0.0, 1.0)
    } else {
        0.5
    };
    // At least a tenth of the ceiling, so jitter never turns backoff into a tight loop.
    let jittered = (ceiling as f64 * (0.1 + 0.9 * jitter)) as u64;
    let server_floor = retry_after_s.unwrap_or(0).saturating_mul(1_000);
    jittered.max(server_floor)
}

/// A receipt the server gives for a stored submission: its proof that the submission is durably
/// stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Receipt {
    pub id: Uuid,
    /// Milliseconds since the Unix epoch, server clock.
    pub received_at_ms: i64,
    /// For a declaration that gives a status: the pass the server issued for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pass: Option<crate::pass::IssuedPass>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::{HashMap, VecDeque};

    fn answer(status: u16) -> Outcome {
        Outcome::Answer {
            status,
            retry_after_s: None,
            reason: "r".into(),
            fields: Vec::new(),
        }
    }

    #[test]
    fn the_saving_screen_says_only_what_is_true() {
        let pending = |last_error| ItemState::Pending {
            attempts: 1,
            next_attempt_at_ms: 0,
            last_error,
        };
        let refused = ItemState::NeedsAttention {
            status: 422,
            reason: String::new(),
            fields: Vec::new(),
        };
        let offline = pending(Some(AttemptFailure::Unreachable));
        let unconfirmed = pending(Some(AttemptFailure::NoReceipt));
        let busy = pending(Some(AttemptFailure::Busy { status: 503 }));
        assert_eq!(Delivery::of(None), Delivery::Sent);
        assert_eq!(
            Delivery::of(Some(&ItemState::new_pending())),
            Delivery::Sending
        );
        assert_eq!(Delivery::of(Some(&offline)), Delivery::WaitingForNetwork);
        assert_eq!(
            Delivery::of(Some(&unconfirmed)),
            Delivery::WaitingForNetwork
        );
        assert_eq!(Delivery::of(Some(&busy)), Delivery::ServerBusy);
        assert_eq!(Delivery::of(Some(&refused)), Delivery::NeedsAttention);
        assert_eq!(
            Delivery::of_all([None, Some(&offline)]),
            Delivery::WaitingForNetwork
        );
        assert_eq!(Delivery::of_all([None, None]), Delivery::Sent);
        assert_eq!(
            Delivery::of_all([Some(&busy), Some(&refused)]),
            Delivery::NeedsAttention
        );
    }

    #[test]
    fn an_error_stored_as_text_by_an_older_version_still_reads() {
        let old = r#"{"state":"pending","attempts":2,"next_attempt_at_ms":5,"last_error":"TypeError: Failed to fetch"}"#;
        assert_eq!(
            serde_json::from_str::<ItemState>(old).unwrap(),
            ItemState::Pending {
                attempts: 2,
                next_attempt_at_ms: 5,
                last_error: Some(AttemptFailure::Unreachable)
            }
        );
        let now = ItemState::Pending {
            attempts: 1,
            next_attempt_at_ms: 0,
            last_error: Some(AttemptFailure::Busy { status: 429 }),
        };
        let json = serde_json::to_string(&now).unwrap();
        assert_eq!(serde_json::from_str::<ItemState>(&json).unwrap(), now);
        let never_failed = r#"{"state":"pending","attempts":0,"next_attempt_at_ms":0}"#;
        assert_eq!(
            serde_json::from_str::<ItemState>(never_failed).unwrap(),
            ItemState::new_pending()
        );
    }

    #[test]
    fn success_statuses_deliver() {
        for status in [200, 201] {
            assert_eq!(
                after_attempt(&ItemState::new_pending(), answer(status), 0, 0.5),
                Verdict::Delivered
            );
        }
    }

    #[test]
    fn transient_failures_retry_and_client_errors_need_attention() {
        for status in [408, 409, 429, 502, 503, 504] {
            assert!(
                matches!(
                    after_attempt(&ItemState::new_pending(), answer(status), 0, 0.5),
                    Verdict::Retry(_)
                ),
                "{status}"
            );
        }
        for status in [400, 401, 403, 404, 413, 422, 500, 501] {
            assert!(
                matches!(
                    after_attempt(&ItemState::new_pending(), answer(status), 0, 0.5),
                    Verdict::NeedsAttention(ItemState::NeedsAttention { .. })
                ),
                "{status}"
            );
        }
    }

    #[test]
    fn retry_after_is_honoured() {
        let outcome = Outcome::Answer {
            status: 429,
            retry_after_s: Some(120),
            reason: "slow down".into(),
            fields: Vec::new(),
        };
        let Verdict::Retry(ItemState::Pending {
            next_attempt_at_ms, ..
        }) = after_attempt(&ItemState::new_pending(), outcome, 1_000, 0.0)
        else {
            panic!("429 must retry");
        };
        assert!(next_attempt_at_ms >= 121_000);
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let delays: Vec<u64> = (1..=30).map(|n| retry_delay_ms(n, None, 0.999)).collect();
        assert!(delays.windows(2).all(|pair| pair[0] <= pair[1]));
        assert!(delays[0] <= BASE_DELAY_MS);
        assert!(*delays.last().unwrap() <= MAX_DELAY_MS);
        assert!(retry_delay_ms(1, None, 0.0) >= BASE_DELAY_MS / 10);
        assert_eq!(
            retry_delay_ms(3, None, f64::NAN),
            retry_delay_ms(3, None, 0.5)
        );
    }

    /// A fault the simulated network or server may inject into one attempt.
    #[derive(Debug, Clone, Copy)]
    enum Fault {
        None,
        /// The request never reaches the server.
        DropRequest,
        /// The server stores the item but the answer is lost.
        DropResponse,
        /// The server fails without storing.
        ServerError,
        /// The server is overloaded.
        RateLimited,
        /// The request is delivered twice (a proxy retry); the app sees the second answer.
        Duplicate,
        /// The app is killed after sending, before recording the verdict.
        CrashAfterSend,
    }

    fn fault() -> impl Strategy<Value = Fault> {
        prop_oneof![
            4 => Just(Fault::None),
            1 => Just(Fault::DropRequest),
            1 => Just(Fault::DropResponse),
            1 => Just(Fault::ServerError),
            1 => Just(Fault::RateLimited),
            1 => Just(Fault::Duplicate),
            1 => Just(Fault::CrashAfterSend),
        ]
    }

    /// One delivery the simulated server committed.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    struct Row {
        id: Uuid,
        content: u64,
        received_at_ms: i64,
    }

    /// The server's idempotency rule (DESIGN.md §6): one row per id; a replay of the same content
    /// gets 200 with the receipt of the stored row, other content 422; invalid items 422.
    /// Rows are kept as a log of every insert, without a key of their own, so that a second
    /// insert for an id shows as a second row rather than overwriting the first.
    #[derive(Default)]
    struct Server {
        rows: Vec<Row>,
        clock_ms: i64,
    }

    impl Server {
        /// The status of the answer and, for a 2xx, its receipt.
        fn receive(&mut self, id: Uuid, content: u64, valid: bool) -> (u16, Option<Receipt>) {
            self.clock_ms += 1;
            if !valid {
                return (422, None);
            }
            match self.rows.iter().find(|row| row.id == id) {
                Some(row) if row.content == content => (
                    200,
                    Some(Receipt {
                        id,
                        received_at_ms: row.received_at_ms,
                        pass: None,
                    }),
                ),
                Some(_) => (422, None),
                None => {
                    let row = Row {
                        id,
                        content,
                        received_at_ms: self.clock_ms,
                    };
                    self.rows.push(row);
                    (
                        201,
                        Some(Receipt {
                            id,
                            received_at_ms: row.received_at_ms,
                            pass: None,
                        }),
                    )
                }
            }
        }
    }

    proptest! {
        /// Whatever the faults, once the network heals every valid item is stored on the server
        /// exactly once and gone from the outbox, every invalid one waits for the user and is
        /// stored nowhere, and an item leaves the outbox exactly when the app records the
        /// receipt the server sent for it.
        #[test]
        fn every_item_is_delivered_once_or_needs_attention(
            validity in proptest::collection::vec(proptest::bool::weighted(0.85), 1..12),
            faults in proptest::collection::vec(fault(), 0..120),
            order_seed in any::<u64>(),
        ) {
            let items: Vec<(Uuid, u64, bool)> = validity
                .iter()
                .enumerate()
                .map(|(n, &valid)| (Uuid::from_u128(n as u128 + 1), n as u64 * 7 + 3, valid))
                .collect();
            // The durable outbox: id → state.
            let mut outbox: HashMap<Uuid, ItemState> =
                items.iter().map(|(id, _, _)| (*id, ItemState::new_pending())).collect();
            // The receipts the app recorded, each when it removed its item from the outbox.
            let mut receipts: HashMap<Uuid, Receipt> = HashMap::new();
            let mut server = Server::default();
            let mut faults: VecDeque<Fault> = faults.into();
            let mut now = 0u64;
            let mut rotation = order_seed;

            // Enough rounds for the faults to run out and the longest backoff to elapse.
            for _round in 0..400 {
                now += MAX_DELAY_MS;
                let mut due: Vec<Uuid> = outbox
                    .iter()
                    .filter(|(_, state)| state.is_due(now))
                    .map(|(id, _)| *id)
                    .collect();
                if due.is_empty() {
                    break;
                }
                // Reordering: attempts go out in an arbitrary order each round.
                due.sort();
                rotation = rotation.wrapping_mul(6364136223846793005).wrapping_add(1);
                let shift = (rotation >> 33) as usize % due.len();
                due.rotate_left(shift);
                for id in due {
                    let (_, content, valid) = *items.iter().find(|item| item.0 == id).unwrap();
                    let fault = faults.pop_front().unwrap_or(Fault::None);
                    let (outcome, receipt) = match fault {
                        Fault::DropRequest => {
                            (Outcome::Unanswered(AttemptFailure::Unreachable), None)
                        }
                        Fault::DropResponse => {
                            server.receive(id, content, valid);
                            (Outcome::Unanswered(AttemptFailure::Unreachable), None)
                        }
                        Fault::ServerError => (answer(503), None),
                        Fault::RateLimited => (
                            Outcome::Answer {
                                status: 429,
                                retry_after_s: Some(30),
                                reason: "busy".into(),
                                fields: Vec::new(),
                            },
                            None,
                        ),
                        Fault::Duplicate => {
                            server.receive(id, content, valid);
                            let (status, receipt) = server.receive(id, content, valid);
                            (answer(status), receipt)
                        }
                        Fault::CrashAfterSend => {
                            server.receive(id, content, valid);
                            // The verdict is lost with the process; the stored state stays.
                            continue;
                        }
                        Fault::None => {
                            let (status, receipt) = server.receive(id, content, valid);
                            (answer(status), receipt)
                        }
                    };
                    let state = outbox[&id].clone();
                    match after_attempt(&state, outcome, now, 0.5) {
                        Verdict::Delivered => {
                            let Some(receipt) = receipt else {
                                return Err(TestCaseError::fail("removed an item without a receipt"));
                            };
                            prop_assert_eq!(receipt.id, id);
                            prop_assert!(
                                receipts.insert(id, receipt).is_none(),
                                "an item was delivered again after its receipt was recorded"
                            );
                            outbox.remove(&id);
                        }
                        Verdict::Retry(next) | Verdict::NeedsAttention(next) => {
                            outbox.insert(id, next);
                        }
                    }
                }
            }

            // The model, from the items alone: each valid id stored once with its content, and
            // its receipt recorded; each invalid id stored never and still queued for the user.
            for &(id, content, valid) in &items {
                let stored: Vec<&Row> = server.rows.iter().filter(|row| row.id == id).collect();
                if valid {
                    prop_assert_eq!(stored.len(), 1, "{} stored {} times", id, stored.len());
                    prop_assert_eq!(stored[0].content, content);
                    prop_assert!(!outbox.contains_key(&id), "valid item still queued");
                    prop_assert_eq!(
                        receipts.get(&id),
                        Some(&Receipt { id, received_at_ms: stored[0].received_at_ms, pass: None }),
                        "the recorded receipt is not the stored row's"
                    );
                } else {
                    prop_assert!(stored.is_empty(), "invalid item stored");
                    let needs_attention =
                        matches!(outbox.get(&id), Some(ItemState::NeedsAttention { status: 422, .. }));
                    prop_assert!(needs_attention);
                    prop_assert!(!receipts.contains_key(&id), "receipt for an invalid item");
                }
                prop_assert_eq!(outbox.contains_key(&id), !receipts.contains_key(&id));
            }
            let valid_items = validity.iter().filter(|&&valid| valid).count();
            prop_assert_eq!(server.rows.len(), valid_items);
            prop_assert_eq!(receipts.len(), valid_items);
        }
    }
}

//! Per-client rate limiting of the API (DESIGN.md §6): over the limit, `429` with `Retry-After`,
//! which the app's outbox honours.
//!
//! The client is its address (`ClientAddr`: the peer, or what a trusted proxy forwarded). Many
//! phones behind one factory NAT share it, so the default quota (server flags) is generous; it
//! only stops floods. The counters are this instance's, in memory: a flood spread over several
//! instances gets each one's quota (the sign-in code limits, which must be global, are counted
//! in the database).

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{FromRef, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};

use crate::client_addr::{ClientAddr, TrustedProxies};
use crate::error::ApiError;

/// Requests per second per client, and the burst allowed above it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub per_second: NonZeroU32,
    pub burst: NonZeroU32,
}

#[derive(Clone)]
pub struct Limiter {
    limiter: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    proxies: TrustedProxies,
}

impl FromRef<Limiter> for TrustedProxies {
    fn from_ref(limiter: &Limiter) -> TrustedProxies {
        limiter.proxies.clone()
    }
}

impl Limiter {
    pub fn new(limit: RateLimit, proxies: TrustedProxies) -> Limiter {
        let limiter = Arc::new(DefaultKeyedRateLimiter::keyed(
            Quota::per_second(limit.per_second).allow_burst(limit.burst),
        ));
        // Forget clients that have been quiet, so the table does not grow without bound.
        let weak = Arc::downgrade(&limiter);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(60));
            loop {
                tick.tick().await;
                match weak.upgrade() {
                    Some(limiter) => limiter.retain_recent(),
                    None => break,
                }
            }
        });
        Limiter { limiter, proxies }
    }
}

pub async fn limit(
    State(limiter): State<Limiter>,
    client: ClientAddr,
    request: Request,
    next: Next,
) -> Response {
    match limiter.limiter.check_key(&client.limit_key()) {
        Ok(()) => next.run(request).await,
        Err(not_until) => {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            let retry_after_s = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            ApiError::RateLimited { retry_after_s }.into_response()
        }
    }
}

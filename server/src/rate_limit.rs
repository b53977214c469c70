//! Per-client rate limiting of the API (DESIGN.md §6): over the limit, `429` with `Retry-After`,
//! which the app's outbox honours.
//!
//! The client is the peer address. Many phones behind one factory NAT share it, so the default
//! quota (server flags) is generous; it only stops floods.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};

use crate::error::ApiError;

/// Requests per second per client, and the burst allowed above it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub per_second: NonZeroU32,
    pub burst: NonZeroU32,
}

#[derive(Clone)]
pub struct Limiter(Arc<DefaultKeyedRateLimiter<IpAddr>>);

impl Limiter {
    pub fn new(limit: RateLimit) -> Limiter {
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
        Limiter(limiter)
    }
}

pub async fn limit(State(limiter): State<Limiter>, request: Request, next: Next) -> Response {
    let client = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |info| info.0.ip());
    match limiter.0.check_key(&client) {
        Ok(()) => next.run(request).await,
        Err(not_until) => {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            let retry_after_s = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            ApiError::RateLimited { retry_after_s }.into_response()
        }
    }
}

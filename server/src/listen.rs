//! Accepting connections, with the defences against slow and hostile clients of DESIGN.md §6:
//! a header read timeout (which also closes idle keep-alive connections), a body read timeout
//! answered `408`, an oversized `Content-Length` answered `413` before a byte of the body is
//! read, and a cap on the connections open at once from one client address.
//!
//! HTTP/1.1 only, as `axum::serve` served before: HTTP/2 would need the `h2` crate, and the
//! load balancer in front speaks HTTP/1.1 to the instances.

use std::collections::HashMap;
use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use http_body::{Frame, SizeHint};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tower::ServiceExt;

use crate::client_addr::ClientAddr;
use crate::error::ApiError;

/// How long clients may take, and how many connections one address may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// From the moment the server waits for a request (a new connection, or after the last
    /// answer on a kept-alive one) until its header section is complete.
    pub header_read_timeout: Duration,
    /// From the end of the headers until the whole body has arrived.
    pub body_read_timeout: Duration,
    /// Connections open at once from one client address (an IPv6 client by its /64); `0` for
    /// no cap. Behind a load balancer every connection comes from it: raise the cap or set 0.
    pub connections_per_address: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            header_read_timeout: Duration::from_secs(10),
            body_read_timeout: Duration::from_secs(30),
            connections_per_address: 64,
        }
    }
}

/// Longest timeout accepted: longer would let slow clients hold connections for good.
const MAX_TIMEOUT: Duration = Duration::from_secs(3_600);

impl Limits {
    /// Refuses a zero or absurd timeout, naming the setting.
    pub fn validate(&self) -> anyhow::Result<()> {
        for (name, value) in [
            (
                "header read timeout (TOKHAI_HEADER_READ_TIMEOUT_SECONDS)",
                self.header_read_timeout,
            ),
            (
                "body read timeout (TOKHAI_BODY_READ_TIMEOUT_SECONDS)",
                self.body_read_timeout,
            ),
        ] {
            if value.is_zero() || value > MAX_TIMEOUT {
                anyhow::bail!(
                    "{name} must be more than 0 and at most {} seconds, got {value:?}",
                    MAX_TIMEOUT.as_secs()
                );
            }
        }
        Ok(())
    }
}

/// Serves `router` on `listener` until `shutdown` completes, then stops accepting and waits for
/// the requests in progress to be answered. Handlers see the peer as `ConnectInfo<SocketAddr>`.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let router = router.layer(axum::middleware::from_fn_with_state(
        limits.body_read_timeout,
        guard_body,
    ));
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    let open = Connections::new(limits.connections_per_address);
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) if is_connection_error(&error) => continue,
                Err(error) => {
                    // Out of file descriptors, most likely: give connections time to close.
                    tracing::error!(%error, "accept failed");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    continue;
                }
            },
            () = shutdown.as_mut() => break,
        };
        let Some(slot) = open.claim(peer.ip()) else {
            tracing::debug!("connection refused: too many open from one address");
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let service =
            router
                .clone()
                .map_request(move |mut request: Request<hyper::body::Incoming>| {
                    request.extensions_mut().insert(ConnectInfo(peer));
                    request
                });
        let connection =
            http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            let _slot = slot;
            if let Err(error) = connection.await {
                tracing::debug!(%error, "connection ended with an error");
            }
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

fn is_connection_error(error: &std::io::Error) -> bool {
    matches!(
        error.kind(),
        std::io::ErrorKind::ConnectionRefused
            | std::io::ErrorKind::ConnectionAborted
            | std::io::ErrorKind::ConnectionReset
    )
}

/// Connections open per client address.
#[derive(Debug, Clone)]
struct Connections {
    per_address: usize,
    open: Arc<Mutex<HashMap<IpAddr, usize>>>,
}

/// One open connection, counted until dropped.
struct Slot {
    key: IpAddr,
    open: Option<Arc<Mutex<HashMap<IpAddr, usize>>>>,
}

impl Connections {
    fn new(per_address: usize) -> Connections {
        Connections {
            per_address,
            open: Arc::default(),
        }
    }

    /// A slot for a connection from `peer`, or `None` when its address holds the most already.
    fn claim(&self, peer: IpAddr) -> Option<Slot> {
        let key = ClientAddr(peer).limit_key();
        if self.per_address == 0 {
            return Some(Slot { key, open: None });
        }
        let mut open = self
            .open
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        let count = open.entry(key).or_insert(0);
        if *count >= self.per_address {
            return None;
        }
        *count += 1;
        Some(Slot {
            key,
            open: Some(self.open.clone()),
        })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let Some(open) = &self.open else { return };
        let mut open = open.lock().unwrap_or_else(|poison| poison.into_inner());
        if let Some(count) = open.get_mut(&self.key) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.key);
            }
        }
    }
}

/// Refuses a declared body over the limit before reading it, and gives the body
/// `body_read_timeout` to arrive: a body that stalls is answered `408`. Both answers close the
/// connection, whose unread body would otherwise have to be read first.
async fn guard_body(
    State(body_read_timeout): State<Duration>,
    request: Request,
    next: Next,
) -> Response {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|length| length.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|length| length > crate::api::MAX_BODY_BYTES as u64) {
        return closing(ApiError::TooLarge.into_response());
    }
    if request.body().is_end_stream() {
        return next.run(request).await;
    }
    let expired = Arc::new(AtomicBool::new(false));
    let (parts, body) = request.into_parts();
    let body = Body::new(DeadlineBody {
        inner: body,
        deadline: Box::pin(tokio::time::sleep(body_read_timeout)),
        expired: expired.clone(),
    });
    let response = next.run(Request::from_parts(parts, body)).await;
    if expired.load(Ordering::Relaxed) {
        return closing(ApiError::RequestTimeout.into_response());
    }
    response
}

fn closing(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

/// A request body that fails once its deadline has passed.
struct DeadlineBody {
    inner: Body,
    deadline: Pin<Box<tokio::time::Sleep>>,
    expired: Arc<AtomicBool>,
}

#[derive(Debug, thiserror::Error)]
#[error("the request body did not arrive in time")]
struct BodyTimedOut;

impl HttpBody for DeadlineBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let this = &mut *self;
        if let Poll::Ready(frame) = Pin::new(&mut this.inner).poll_frame(cx) {
            return Poll::Ready(frame);
        }
        match this.deadline.as_mut().poll(cx) {
            Poll::Ready(()) => {
                this.expired.store(true, Ordering::Relaxed);
                Poll::Ready(Some(Err(axum::Error::new(BodyTimedOut))))
            }
            Poll::Pending => Poll::Pending,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

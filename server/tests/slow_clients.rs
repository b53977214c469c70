//! Slow and hostile clients over a real socket (DESIGN.md §6): stalled headers and bodies are
//! cut off at their timeouts, an oversized `Content-Length` is refused at once, and one address
//! cannot hold more than its share of connections.

mod support;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use support::TestServer;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const TIMEOUT: Duration = Duration::from_secs(1);
/// Allowance for scheduling on a loaded test machine.
const SLACK: Duration = Duration::from_millis(1_500);

fn limits() -> server::Limits {
    server::Limits {
        header_read_timeout: TIMEOUT,
        body_read_timeout: TIMEOUT,
        connections_per_address: 2,
    }
}

async fn listening(limits: server::Limits) -> (TestServer, SocketAddr) {
    let server = TestServer::start("<html></html>", &[]).await;
    let address = server.listen(limits).await;
    (server, address)
}

/// What the server sent until it closed the connection, and when it closed it; `None` if it
/// was still open after `wait`.
async fn until_closed(stream: &mut TcpStream, wait: Duration) -> (String, Option<Duration>) {
    let start = Instant::now();
    let mut received = Vec::new();
    let mut buffer = [0; 4096];
    loop {
        let left = wait.saturating_sub(start.elapsed());
        match tokio::time::timeout(left, stream.read(&mut buffer)).await {
            Err(_) => return (String::from_utf8_lossy(&received).into_owned(), None),
            Ok(Ok(0)) | Ok(Err(_)) => {
                return (
                    String::from_utf8_lossy(&received).into_owned(),
                    Some(start.elapsed()),
                )
            }
            Ok(Ok(read)) => received.extend_from_slice(&buffer[..read]),
        }
    }
}

/// Sends a whole GET and returns the status line of the answer.
async fn get(stream: &mut TcpStream, path: &str) -> String {
    stream
        .write_all(format!("GET {path} HTTP/1.1\r\nHost: tokhai\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let mut received = Vec::new();
    let mut buffer = [0; 4096];
    while !received.windows(4).any(|window| window == b"\r\n\r\n") {
        let read = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut buffer))
            .await
            .expect("an answer")
            .unwrap();
        assert!(read > 0, "closed without an answer");
        received.extend_from_slice(&buffer[..read]);
    }
    let text = String::from_utf8_lossy(&received);
    text.lines().next().unwrap().to_owned()
}

#[tokio::test]
async fn an_oversized_content_length_is_refused_at_once() {
    let (_server, address) = listening(limits()).await;
    let mut stream = TcpStream::connect(address).await.unwrap();
    stream
        .write_all(
            b"POST /api/v1/submissions HTTP/1.1\r\nHost: tokhai\r\n\
              Content-Type: application/json\r\nContent-Length: 10737418240\r\n\r\n",
        )
        .await
        .unwrap();
    let (answer, closed) = until_closed(&mut stream, Duration::from_secs(1)).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer:?}");
    assert!(answer.contains(r#""error":"too_large""#), "{answer}");
    assert!(closed.is_some(), "the connection stayed open: {answer}");
}

#[tokio::test]
async fn stalled_headers_are_closed_at_the_header_timeout() {
    let (_server, address) = listening(limits()).await;
    let start = Instant::now();
    let mut partial = TcpStream::connect(address).await.unwrap();
    partial
        .write_all(b"POST /api/v1/submissions HTTP/1.1\r\nHost: tokhai\r\nContent-Le")
        .await
        .unwrap();
    let mut silent = TcpStream::connect(address).await.unwrap();
    for stream in [&mut partial, &mut silent] {
        let (answer, closed) = until_closed(stream, TIMEOUT + SLACK).await;
        assert!(closed.is_some(), "still open: {answer:?}");
        let closed = start.elapsed();
        assert!(closed >= TIMEOUT - Duration::from_millis(200), "{closed:?}");
        assert!(closed <= TIMEOUT + SLACK, "{closed:?}");
        assert!(!answer.contains("200 OK"), "{answer}");
    }
}

#[tokio::test]
async fn a_stalled_body_is_answered_408_and_closed() {
    let (_server, address) = listening(limits()).await;
    let mut stream = TcpStream::connect(address).await.unwrap();
    stream
        .write_all(
            b"POST /api/v1/submissions HTTP/1.1\r\nHost: tokhai\r\n\
              Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"id\": \"0",
        )
        .await
        .unwrap();
    let (answer, closed) = until_closed(&mut stream, TIMEOUT + SLACK).await;
    let closed = closed.unwrap_or_else(|| panic!("still open: {answer:?}"));
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer:?}");
    assert!(answer.contains(r#""error":"request_timeout""#), "{answer}");
    assert!(closed >= TIMEOUT - Duration::from_millis(200), "{closed:?}");
}

#[tokio::test]
async fn connections_over_the_cap_per_address_are_closed() {
    let (_server, address) = listening(server::Limits {
        header_read_timeout: Duration::from_secs(30),
        ..limits()
    })
    .await;
    let mut first = TcpStream::connect(address).await.unwrap();
    let mut second = TcpStream::connect(address).await.unwrap();
    // Both are served (which also shows they were accepted before the third).
    assert_eq!(get(&mut first, "/api/v1/health").await, "HTTP/1.1 200 OK");
    assert_eq!(get(&mut second, "/api/v1/health").await, "HTTP/1.1 200 OK");

    let mut third = TcpStream::connect(address).await.unwrap();
    let (answer, closed) = until_closed(&mut third, Duration::from_secs(1)).await;
    assert!(closed.is_some(), "the connection over the cap stayed open");
    assert_eq!(answer, "");
    // The others are untouched.
    assert_eq!(get(&mut first, "/api/v1/health").await, "HTTP/1.1 200 OK");

    // A closed connection frees its place.
    drop(second);
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let mut again = TcpStream::connect(address).await.unwrap();
        let _ = again
            .write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: tokhai\r\n\r\n")
            .await;
        let mut buffer = [0; 64];
        let read = tokio::time::timeout(Duration::from_secs(1), again.read(&mut buffer)).await;
        if let Ok(Ok(read)) = read {
            if buffer[..read].starts_with(b"HTTP/1.1 200") {
                break;
            }
        }
        assert!(
            Instant::now() < deadline,
            "the closed connection's place was never freed"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

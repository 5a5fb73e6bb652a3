//! Abuse and faults: cross-site requests, preflights, identity, rate limits,
//! security headers, slow clients and a misbehaving Setter. Every case ends in
//! the envelope, and the proxy keeps serving.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::time::{Duration, Instant};

use common::*;
use setter_contacts::proxy;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const BODY: &str = r#"{"id": 101, "firstName": "Ada"}"#;

fn put(proxy: &str) -> reqwest::RequestBuilder {
    reqwest::Client::new()
        .put(format!("{proxy}/api/contacts"))
        .header("content-type", "application/json")
        .body(BODY)
}

// --- Cross-site requests. ---

#[tokio::test]
async fn cross_site_requests_are_refused_unless_their_origin_is_allowed() {
    let setter = FakeSetter::answering(Answer::updated()).await;
    let proxy =
        proxy_with(&setter.url, |c| c.allowed_origins = vec!["https://admin.example.com".into()])
            .await;

    let reply = send(put(&proxy).header("sec-fetch-site", "cross-site")).await;
    assert_eq!(
        (reply.status, reply.code().as_str()),
        (403, "origin_not_allowed"),
        "no Origin, cross-site"
    );
    let reply =
        send(put(&proxy).header("sec-fetch-site", "cross-site").header("origin", proxy.as_str()))
            .await;
    assert_eq!(
        reply.status, 403,
        "a cross-site request is not the proxy's own page, whatever Host says"
    );
    let reply = send(
        put(&proxy)
            .header("sec-fetch-site", "cross-site")
            .header("origin", "https://admin.example.com"),
    )
    .await;
    assert_eq!(reply.status, 200, "allowed origin");
    for site in ["same-origin", "same-site", "none"] {
        assert_eq!(send(put(&proxy).header("sec-fetch-site", site)).await.status, 200, "{site}");
    }
    assert_eq!(setter.requests().len(), 4);
}

#[tokio::test]
async fn preflights_are_answered_for_allowed_origins_only_and_never_with_a_wildcard() {
    let setter = FakeSetter::answering(Answer::updated()).await;
    let proxy =
        proxy_with(&setter.url, |c| c.allowed_origins = vec!["https://admin.example.com".into()])
            .await;
    let preflight = |origin: &str| {
        reqwest::Client::new()
            .request(reqwest::Method::OPTIONS, format!("{proxy}/api/contacts"))
            .header("origin", origin)
            .header("access-control-request-method", "PUT")
            .header("access-control-request-headers", "content-type")
            .send()
    };
    let allowed = preflight("https://admin.example.com").await.unwrap();
    assert_eq!(allowed.status(), 200);
    let headers = allowed.headers();
    assert_eq!(headers["access-control-allow-origin"], "https://admin.example.com");
    assert!(headers["access-control-allow-methods"].to_str().unwrap().contains("PUT"));
    assert!(headers["access-control-allow-headers"].to_str().unwrap().contains("content-type"));
    assert_eq!(headers["access-control-allow-credentials"], "true");

    let refused = preflight("https://evil.example").await.unwrap();
    assert_eq!(refused.status(), 403);
    assert!(!refused.headers().contains_key("access-control-allow-origin"));
    let refused = Reply {
        status: 403,
        headers: refused.headers().clone(),
        body: refused.text().await.unwrap(),
    };
    assert_eq!(refused.code(), "origin_not_allowed");

    let actual = send(put(&proxy).header("origin", "https://admin.example.com")).await;
    assert_eq!(actual.headers["access-control-allow-origin"], "https://admin.example.com");
    assert!(actual.headers.get_all("access-control-allow-origin").iter().all(|v| v != "*"));
    assert_eq!(setter.requests().len(), 1, "preflights never reach Setter");
}

// --- Caller identity. ---

#[tokio::test]
async fn with_a_trusted_user_header_requests_without_it_are_unauthorized() {
    let setter = FakeSetter::answering(Answer::updated()).await;
    let proxy = proxy_with(&setter.url, |c| {
        c.trusted_user_header = Some("x-forwarded-email".parse().unwrap());
    })
    .await;
    for missing in [put(&proxy), put(&proxy).header("x-forwarded-email", "  ")] {
        let reply = send(missing).await;
        assert_eq!((reply.status, reply.code().as_str()), (401, "unauthorized"));
        assert!(reply.json()["error"]["message"].as_str().unwrap().contains("x-forwarded-email"));
    }
    let reply = send(put(&proxy).header("x-forwarded-email", "ops@example.com")).await;
    assert_eq!(reply.status, 200);
    assert_eq!(setter.requests().len(), 1);
    assert!(!setter.requests()[0].headers.contains_key("x-forwarded-email"), "identity stays here");
}

// --- Rate limiting. ---

#[tokio::test]
async fn a_client_over_its_rate_gets_429_with_retry_after_and_others_are_unaffected() {
    let setter = FakeSetter::answering(Answer::updated()).await;
    let proxy = proxy_with(&setter.url, |c| {
        c.rate_limit_per_minute = 3;
        c.trusted_user_header = Some("x-user".parse().unwrap());
    })
    .await;
    let as_user = |user: &str| put(&proxy).header("x-user", user.to_owned());
    for _ in 0..3 {
        assert_eq!(send(as_user("alice")).await.status, 200, "a burst up to the limit passes");
    }
    let limited = send(as_user("alice")).await;
    assert_eq!((limited.status, limited.code().as_str()), (429, "rate_limited"));
    let retry_after: u64 = limited.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=20).contains(&retry_after), "one token every 20 s: {retry_after}");
    assert_eq!(send(as_user("bob")).await.status, 200, "each user has their own budget");
    assert_eq!(setter.requests().len(), 4, "a limited request never reaches Setter");
}

#[tokio::test]
async fn without_identity_the_limit_is_per_address_and_zero_turns_it_off() {
    let setter = FakeSetter::answering(Answer::updated()).await;
    let limited = proxy_with(&setter.url, |c| c.rate_limit_per_minute = 2).await;
    let statuses = [
        send(put(&limited)).await.status,
        send(put(&limited)).await.status,
        send(put(&limited)).await.status,
    ];
    assert_eq!(statuses, [200, 200, 429]);

    let unlimited = proxy_with(&setter.url, |c| c.rate_limit_per_minute = 0).await;
    for _ in 0..50 {
        assert_eq!(send(put(&unlimited)).await.status, 200);
    }
}

// --- Response headers. ---

#[tokio::test]
async fn answers_carry_security_headers_and_the_widget_a_strict_csp() {
    let dist = std::env::temp_dir().join(format!("hardening-dist-{}", std::process::id()));
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), "<!doctype html>").unwrap();
    let setter = FakeSetter::answering(Answer::updated()).await;
    let proxy = proxy_with(&setter.url, |c| {
        c.dist = Some(dist.clone());
        c.frame_ancestors = "'self' https://admin.example.com".into();
    })
    .await;

    let page = reqwest::get(format!("{proxy}/")).await.unwrap();
    let csp = page.headers()["content-security-policy"].to_str().unwrap().to_owned();
    for directive in [
        "script-src 'self' 'wasm-unsafe-eval'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'self' https://admin.example.com",
        // The pre-rendered form's <style>, and no other inline style.
        &format!("style-src 'self' {};", setter_contacts::proxy::prerendered_style_hash()),
    ] {
        assert!(csp.contains(directive), "{directive} missing in {csp}");
    }
    assert!(
        !csp.contains("unsafe-inline") && !csp.contains(" 'unsafe-eval'"),
        "nothing inline, no eval: {csp}"
    );
    assert_eq!(page.headers()["x-content-type-options"], "nosniff");
    assert_eq!(page.headers()["referrer-policy"], "no-referrer");

    let api = send(put(&proxy)).await;
    assert_eq!(api.headers["cache-control"], "no-store");
    assert_eq!(api.headers["x-content-type-options"], "nosniff");
    let refused =
        send(reqwest::Client::new().put(format!("{proxy}/api/contacts")).body(BODY)).await;
    assert_eq!(refused.headers["cache-control"], "no-store", "errors too");
    std::fs::remove_dir_all(dist).unwrap();
}

#[test]
fn a_frame_ancestors_value_that_would_inject_directives_is_refused() {
    let config = |value: &str| proxy::Config {
        frame_ancestors: value.into(),
        ..proxy::Config::new("http://127.0.0.1:1", canary_key())
    };
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let _guard = runtime.enter();
    for bad in ["'self'; script-src *", "'self'\r\nX: y", ""] {
        assert!(proxy::router(&config(bad)).is_err(), "{bad:?}");
    }
    assert!(proxy::router(&config("'none'")).is_ok());
}

// --- Slow and hostile clients. ---

/// A proxy served with `limits`; its address, `127.0.0.1:PORT`.
async fn address_with_limits(
    upstream: &str,
    limits: proxy::ServerLimits,
    body_timeout: Duration,
) -> String {
    let url = proxy_with_limits(upstream, limits, |c| c.body_read_timeout = body_timeout).await;
    url.trim_start_matches("http://").to_owned()
}

async fn read_all(socket: &mut TcpStream, limit: Duration) -> String {
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(limit, socket.read_to_end(&mut answer)).await;
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn a_client_that_never_finishes_its_headers_is_cut_off() {
    let setter = FakeSetter::answering(Answer::updated()).await;
    let limits = proxy::ServerLimits {
        header_read_timeout: Duration::from_millis(300),
        ..Default::default()
    };
    let address = address_with_limits(&setter.url, limits, Duration::from_secs(5)).await;
    let mut socket = TcpStream::connect(&address).await.unwrap();
    socket.write_all(b"PUT /api/contacts HTTP/1.1\r\nHost: x\r\n").await.unwrap();
    let started = Instant::now();
    let answer = read_all(&mut socket, Duration::from_secs(5)).await;
    assert!(started.elapsed() < Duration::from_secs(3), "closed after the header timeout");
    assert!(answer.is_empty() || answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert_eq!(send(put(&format!("http://{address}"))).await.status, 200, "still serving");
}

#[tokio::test]
async fn a_body_that_never_arrives_is_408_request_timeout() {
    let setter = FakeSetter::answering(Answer::updated()).await;
    let address =
        address_with_limits(&setter.url, Default::default(), Duration::from_millis(300)).await;
    let mut socket = TcpStream::connect(&address).await.unwrap();
    let head = format!(
        "PUT /api/contacts HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n{{\"id\": 1,"
    );
    socket.write_all(head.as_bytes()).await.unwrap();
    let answer = read_all(&mut socket, Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains(r#""code":"request_timeout""#), "{answer}");
    assert!(setter.requests().is_empty());
}

#[tokio::test]
async fn connections_beyond_the_bound_wait_for_a_free_slot() {
    let setter = FakeSetter::answering(Answer::updated()).await;
    let limits = proxy::ServerLimits {
        max_connections: 1,
        header_read_timeout: Duration::from_millis(500),
        ..Default::default()
    };
    let address = address_with_limits(&setter.url, limits, Duration::from_secs(5)).await;
    // The only slot: held by a client that sends nothing.
    let _idle = TcpStream::connect(&address).await.unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
    let started = Instant::now();
    let reply = send(put(&format!("http://{address}"))).await;
    assert_eq!(reply.status, 200);
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "waited for the idle client's timeout: {:?}",
        started.elapsed()
    );
}

// --- A misbehaving Setter. ---

/// A fake Setter speaking raw TCP: `behave` gets each accepted socket after the
/// request head was read.
async fn raw_setter<F, Fut>(behave: F) -> String
where
    F: Fn(TcpStream) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let behave = std::sync::Arc::new(behave);
    tokio::spawn(async move {
        for _ in 0..64 {
            let Ok((mut socket, _)) = listener.accept().await else { return };
            let behave = behave.clone();
            tokio::spawn(async move {
                let mut head = [0u8; 4096];
                let _ = socket.read(&mut head).await;
                behave(socket).await;
            });
        }
    });
    url
}

async fn reply_from(setter_url: &str) -> Reply {
    let proxy = proxy_with(setter_url, |c| c.upstream_timeout = Duration::from_millis(700)).await;
    let reply = put_json(&proxy, BODY).await;
    let health = send(reqwest::Client::new().get(format!("{proxy}/healthz"))).await;
    assert_eq!(health.status, 200, "the proxy keeps serving");
    reply
}

#[tokio::test]
async fn a_connection_closed_mid_answer_is_upstream_error() {
    let setter = raw_setter(|mut socket| async move {
        let _ = socket.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"mess").await;
        drop(socket); // closes 94 bytes short of the promised length
    })
    .await;
    let reply = reply_from(&setter).await;
    assert_eq!((reply.status, reply.code().as_str()), (502, "upstream_error"), "{}", reply.body);
}

#[tokio::test]
async fn a_connection_reset_mid_answer_is_upstream_error() {
    let setter = raw_setter(|mut socket| async move {
        let _ = socket.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"mess").await;
        // Linger 0: close() sends RST instead of FIN. Deprecated only because it
        // blocks on drop, which a zero linger never does.
        #[allow(deprecated)]
        let _ = socket.set_linger(Some(Duration::ZERO));
        drop(socket);
    })
    .await;
    let reply = reply_from(&setter).await;
    assert_eq!((reply.status, reply.code().as_str()), (502, "upstream_error"), "{}", reply.body);
}

#[tokio::test]
async fn an_answer_that_never_comes_is_504_within_the_timeout() {
    let setter = raw_setter(|socket| async move {
        tokio::time::sleep(Duration::from_secs(10)).await;
        drop(socket);
    })
    .await;
    let started = Instant::now();
    let reply = reply_from(&setter).await;
    assert_eq!((reply.status, reply.code().as_str()), (504, "upstream_timeout"));
    assert!(started.elapsed() < Duration::from_secs(3), "{:?}", started.elapsed());
}

#[tokio::test]
async fn a_slow_trickle_of_bytes_is_504_too() {
    let setter = raw_setter(|mut socket| async move {
        let _ = socket.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 1000\r\n\r\n").await;
        for _ in 0..1000 {
            if socket.write_all(b"x").await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
    let reply = reply_from(&setter).await;
    assert_eq!((reply.status, reply.code().as_str()), (504, "upstream_timeout"));
}

#[tokio::test]
async fn garbage_instead_of_http_is_upstream_error() {
    let setter = raw_setter(|mut socket| async move {
        let _ = socket.write_all(b"SSH-2.0-OpenSSH_9.2\r\n\r\n").await;
    })
    .await;
    let reply = reply_from(&setter).await;
    assert_eq!((reply.status, reply.code().as_str()), (502, "upstream_error"));
}

#[tokio::test]
async fn a_request_already_sent_is_never_retried() {
    let attempts = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = attempts.clone();
    let setter = raw_setter(move |socket| {
        counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        async move { drop(socket) } // closes after reading the request
    })
    .await;
    let reply = reply_from(&setter).await;
    assert_eq!((reply.status, reply.code().as_str()), (502, "upstream_error"));
    assert_eq!(attempts.load(std::sync::atomic::Ordering::SeqCst), 1, "sent once, not retried");
}

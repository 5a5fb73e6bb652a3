//! contact-proxy against a recording fake Setter on 127.0.0.1: what it forwards,
//! what it refuses before forwarding, and how it maps Setter's answers.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::collections::BTreeSet;
use std::time::Duration;

use common::*;
use serde_json::json;
use setter_contacts::proxy;

// --- What travels upstream. ---

#[tokio::test]
async fn forwards_the_normalized_update_with_the_key_and_nothing_else() {
    let setter = FakeSetter::answering(Answer::updated()).await;
    let proxy = proxy_to(&setter.url).await;
    let request = reqwest::Client::new()
        .put(format!("{proxy}/api/contacts"))
        .header("content-type", "application/json; charset=utf-8")
        .header("cookie", "session=operator-secret")
        .header("authorization", "Bearer browser-token")
        .header("x-forwarded-for", "10.1.2.3")
        .header("x-custom", "dashboard")
        .body(r#"{"smsPhoneNumber": "+1 (555) 000-0103", "firstName": "  Alan ", "metadata": {"b": "2", "a": "1"}}"#);
    let reply = send(request).await;

    assert_eq!(reply.status, 200);
    assert_eq!(reply.json(), json!({"message": "Contact updated successfully"}));
    assert_eq!(reply.headers["cache-control"], "no-store");
    let requests = setter.requests();
    assert_eq!(requests.len(), 1);
    let forwarded = &requests[0];
    assert_eq!(forwarded.method, "PUT");
    assert_eq!(forwarded.path, "/api/v1/contacts");
    assert_eq!(
        forwarded.body,
        r#"{"smsPhoneNumber":"+15550000103","firstName":"Alan","metadata":{"a":"1","b":"2"}}"#
    );
    assert_eq!(forwarded.headers["authorization"], format!("Bearer {CANARY_KEY}"));
    assert_eq!(forwarded.headers["content-type"], "application/json");
    for browser_only in ["cookie", "x-forwarded-for", "x-custom", "x-request-id", "origin"] {
        assert!(!forwarded.headers.contains_key(browser_only), "{browser_only} leaked upstream");
    }
    let names: BTreeSet<&str> = forwarded.headers.keys().map(|name| name.as_str()).collect();
    let expected = BTreeSet::from([
        "accept",
        "authorization",
        "content-length",
        "content-type",
        "host",
        "user-agent",
    ]);
    assert_eq!(names, expected, "only the proxy's own headers travel");
}

#[tokio::test]
async fn an_upstream_url_with_a_trailing_slash_still_reaches_the_endpoint() {
    let setter = FakeSetter::answering(Answer::updated()).await;
    let proxy = proxy_to(&format!("{}/", setter.url)).await;
    assert_eq!(put_json(&proxy, r#"{"id": 1, "email": "a@b.co"}"#).await.status, 200);
    assert_eq!(setter.requests()[0].path, "/api/v1/contacts");
}

#[tokio::test]
async fn two_hundred_concurrent_updates_are_each_forwarded_once() {
    let setter = FakeSetter::answering(Answer::updated()).await;
    // One client with 200 connections at once: more than its default share.
    let limits = proxy::ServerLimits { max_connections_per_client: 1024, ..Default::default() };
    let proxy = proxy_with_limits(&setter.url, limits, |_| {}).await;
    let updates = (1..=200).map(|id| {
        let proxy = proxy.clone();
        tokio::spawn(async move {
            put_json(&proxy, &format!(r#"{{"id": {id}, "lastName": "N{id}"}}"#)).await
        })
    });
    for update in updates.collect::<Vec<_>>() {
        assert_eq!(update.await.unwrap().status, 200);
    }
    let forwarded: Vec<serde_json::Value> =
        setter.requests().iter().map(|r| serde_json::from_str(&r.body).unwrap()).collect();
    assert_eq!(forwarded.len(), 200, "no update lost or repeated");
    let ids: BTreeSet<u64> = forwarded.iter().map(|body| body["id"].as_u64().unwrap()).collect();
    assert_eq!(ids, (1..=200).collect());
    for body in forwarded {
        assert_eq!(body["lastName"], format!("N{}", body["id"]), "each body arrives intact");
    }
}

// --- Refused before any upstream call. ---

/// Sends `request` to a proxy whose Setter must never be called; returns the reply.
async fn refused(build: impl FnOnce(&reqwest::Client, &str) -> reqwest::RequestBuilder) -> Reply {
    let setter = FakeSetter::answering(Answer::updated()).await;
    let proxy = proxy_to(&setter.url).await;
    let reply = send(build(&reqwest::Client::new(), &proxy)).await;
    assert!(setter.requests().is_empty(), "Setter was called for a refused request");
    reply
}

#[tokio::test]
async fn bodies_that_are_not_json_are_unsupported_media_type() {
    let body = r#"{"id": 1, "firstName": "Ada"}"#;
    for content_type in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        Some("multipart/form-data; boundary=x"),
        Some("application/jsonp"),
    ] {
        let reply = refused(|client, proxy| {
            let request = client.put(format!("{proxy}/api/contacts")).body(body);
            match content_type {
                Some(value) => request.header("content-type", value),
                None => request,
            }
        })
        .await;
        assert_eq!(
            (reply.status, reply.code().as_str()),
            (415, "unsupported_media_type"),
            "{content_type:?}"
        );
        assert!(reply.json()["error"]["message"].as_str().unwrap().contains("application/json"));
    }
}

#[tokio::test]
async fn bodies_over_16_kib_are_payload_too_large() {
    let big = format!(r#"{{"id": 1, "fullName": "{}"}}"#, "a".repeat(17 * 1024));
    let reply = refused(|client, proxy| {
        client
            .put(format!("{proxy}/api/contacts"))
            .header("content-type", "application/json")
            .body(big.clone())
    })
    .await;
    assert_eq!((reply.status, reply.code().as_str()), (413, "payload_too_large"));

    // The same without Content-Length: a chunked body is cut at the limit too.
    let setter = FakeSetter::answering(Answer::updated()).await;
    let proxy = proxy_to(&setter.url).await;
    let chunk = "a".repeat(4096);
    let mut request = format!(
        "PUT /api/contacts HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
        proxy.trim_start_matches("http://")
    );
    for _ in 0..5 {
        request.push_str(&format!("{:x}\r\n{chunk}\r\n", chunk.len()));
    }
    request.push_str("0\r\n\r\n");
    let answer = raw_exchange(&proxy, request.as_bytes()).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains(r#""code":"payload_too_large""#), "{answer}");
    assert!(setter.requests().is_empty());
}

/// Writes `request` as is to the proxy's socket and reads the whole answer.
async fn raw_exchange(proxy: &str, request: &[u8]) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut socket =
        tokio::net::TcpStream::connect(proxy.trim_start_matches("http://")).await.unwrap();
    // The proxy may answer and close before reading everything; that is fine.
    let _ = socket.write_all(request).await;
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), socket.read_to_end(&mut answer)).await;
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn malformed_json_is_bad_json_and_says_where() {
    for (body, needle) in [
        ("{\"id\": 1,", "line 1"),
        ("id=1", "line 1 column 1"),
        ("", "ends too early"),
        ("[]", "found an array"),
    ] {
        let reply = refused(|client, proxy| {
            client
                .put(format!("{proxy}/api/contacts"))
                .header("content-type", "application/json")
                .body(body)
        })
        .await;
        assert_eq!((reply.status, reply.code().as_str()), (400, "bad_json"), "{body:?}");
        let message = reply.json()["error"]["message"].as_str().unwrap().to_owned();
        assert!(message.contains(needle), "{body:?}: {message}");
    }
}

#[tokio::test]
async fn contract_rejections_carry_their_kind_and_every_field() {
    let cases = [
        (json!({"firstName": "Ada"}), "missing_identifier", vec!["id"]),
        (json!({"id": 7}), "nothing_to_update", vec![]),
        (
            json!({"id": 7, "email": "nope", "nickname": "x", "defaultTimeZone": "europe/berlin"}),
            "invalid_field",
            vec!["defaultTimeZone", "email", "nickname"],
        ),
        (
            json!({"id": "7", "firstName": null, "metadata": {"n": 1}}),
            "invalid_field",
            vec!["firstName", "id", "metadata.n"],
        ),
        (json!({"id": 1.5, "metadata": ["a"]}), "invalid_field", vec!["id", "metadata"]),
    ];
    for (body, code, fields) in cases {
        let reply = refused(|client, proxy| {
            client
                .put(format!("{proxy}/api/contacts"))
                .header("content-type", "application/json")
                .body(body.to_string())
        })
        .await;
        assert_eq!((reply.status, reply.code().as_str()), (400, code), "{body}");
        let json = reply.json();
        let got: Vec<String> =
            json["error"]["fields"].as_object().map_or(vec![], |f| f.keys().cloned().collect());
        assert_eq!(got, fields, "{body}");
    }
    let reply = refused(|client, proxy| {
        client
            .put(format!("{proxy}/api/contacts"))
            .header("content-type", "application/json")
            .body(r#"{"id": 1, "defaultTimeZone": "europe/berlin"}"#)
    })
    .await;
    assert!(
        reply.json()["error"]["fields"]["defaultTimeZone"]
            .as_str()
            .unwrap()
            .contains("did you mean Europe/Berlin?")
    );
}

// --- Setter's answers. ---

async fn reply_to(answer: Answer) -> Reply {
    let setter = FakeSetter::answering(answer).await;
    let proxy =
        proxy_with(&setter.url, |config| config.upstream_timeout = Duration::from_millis(500))
            .await;
    let reply = put_json(&proxy, r#"{"waId": "15551234567", "firstName": "Ada"}"#).await;
    assert!(!setter.requests().is_empty(), "Setter was called");
    reply
}

#[tokio::test]
async fn setter_answers_map_to_the_envelope() {
    let cases = [
        (Answer::new(200, "not even json"), 200, None),
        (Answer::new(204, ""), 200, None),
        (Answer::new(404, r#"{"error": "No contacts found"}"#), 404, Some("not_found")),
        (Answer::new(409, r#"{"error": "Multiple contacts"}"#), 409, Some("multiple_matches")),
        (Answer::new(403, r#"{"error": "Forbidden"}"#), 403, Some("forbidden")),
        (Answer::new(401, r#"{"error": "Invalid API key"}"#), 502, Some("upstream_auth_failed")),
        (Answer::new(500, "oops"), 502, Some("upstream_error")),
        (Answer::new(503, "<html>maintenance</html>"), 502, Some("upstream_error")),
        // Setter's own limit is passed on, for the caller to wait and retry.
        (Answer::new(429, "slow down"), 429, Some("rate_limited")),
        (Answer::updated().after(Duration::from_secs(3)), 504, Some("upstream_timeout")),
    ];
    for (answer, status, code) in cases {
        let shown = format!("{} {:?}", answer.status, answer.body);
        let reply = reply_to(answer).await;
        assert_eq!(reply.status, status, "{shown}: {}", reply.body);
        if let Some(code) = code {
            assert_eq!(reply.code(), code, "{shown}");
        }
    }
}

#[tokio::test]
async fn setter_400_passes_its_message_on_trimmed_and_bounded() {
    let reply = reply_to(Answer::new(400, r#"{"error": "  Invalid email format \n"}"#)).await;
    assert_eq!((reply.status, reply.code().as_str()), (400, "invalid_field"));
    assert_eq!(
        reply.json()["error"]["message"],
        "Setter rejected the update: Invalid email format"
    );

    let reply = reply_to(Answer::new(400, "plain text reason")).await;
    assert_eq!(reply.json()["error"]["message"], "Setter rejected the update: plain text reason");

    // An enormous answer: at most 64 KiB is read, 500 characters passed on.
    let reply = reply_to(Answer::new(400, "x".repeat(10 * 1024 * 1024))).await;
    let message = reply.json()["error"]["message"].as_str().unwrap().to_owned();
    assert_eq!(message.chars().count(), "Setter rejected the update: ".len() + 500 + 1);
}

#[tokio::test]
async fn an_unreachable_setter_is_upstream_error_and_the_proxy_keeps_serving() {
    // A port that was free a moment ago: connection refused.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    let proxy = proxy_to(&closed).await;
    for _ in 0..3 {
        let reply = put_json(&proxy, r#"{"id": 1, "firstName": "Ada"}"#).await;
        assert_eq!((reply.status, reply.code().as_str()), (502, "upstream_error"));
        let message = reply.json()["error"]["message"].as_str().unwrap().to_owned();
        assert!(!message.contains("127.0.0.1"), "internal addresses stay in the log: {message}");
    }
    let health = send(reqwest::Client::new().get(format!("{proxy}/healthz"))).await;
    assert_eq!((health.status, health.json()), (200, json!({"status": "ok"})));
}

// --- Cross-site protection. ---

#[tokio::test]
async fn only_own_and_allowed_origins_may_update() {
    let setter = FakeSetter::answering(Answer::updated()).await;
    let proxy = proxy_with(&setter.url, |config| {
        config.allowed_origins = vec!["https://admin.example.com".into()];
    })
    .await;
    let body = r#"{"id": 1, "firstName": "Ada"}"#;
    let put = |origin: Option<String>| {
        let request = reqwest::Client::new()
            .put(format!("{proxy}/api/contacts"))
            .header("content-type", "application/json")
            .body(body);
        match origin {
            Some(origin) => request.header("origin", origin),
            None => request,
        }
    };
    for origin in [
        None,
        Some(proxy.clone()),
        Some("https://admin.example.com".into()),
        Some("https://ADMIN.example.com".into()),
    ] {
        assert_eq!(send(put(origin.clone())).await.status, 200, "{origin:?}");
    }
    let forwarded_so_far = setter.requests().len();
    for origin in [
        "https://evil.example",
        "null",
        "http://admin.example.com",
        "https://admin.example.com.evil.example",
    ] {
        let reply = send(put(Some(origin.into()))).await;
        assert_eq!((reply.status, reply.code().as_str()), (403, "origin_not_allowed"), "{origin}");
    }
    assert_eq!(setter.requests().len(), forwarded_so_far, "refused origins never reach Setter");
}

// --- Routes. ---

#[tokio::test]
async fn every_answer_is_the_envelope_even_unknown_routes_and_methods() {
    let setter = FakeSetter::answering(Answer::updated()).await;
    let proxy = proxy_to(&setter.url).await;
    let client = reqwest::Client::new();
    let cases = [
        (client.get(format!("{proxy}/nowhere")), 404, "no_such_route"),
        (client.put(format!("{proxy}/api/v1/contacts")), 404, "no_such_route"),
        (client.get(format!("{proxy}/api/contacts")), 405, "method_not_allowed"),
        (client.post(format!("{proxy}/api/contacts")), 405, "method_not_allowed"),
        (client.delete(format!("{proxy}/api/contacts")), 405, "method_not_allowed"),
        (client.post(format!("{proxy}/healthz")), 405, "method_not_allowed"),
    ];
    for (request, status, code) in cases {
        let reply = send(request).await;
        assert_eq!((reply.status, reply.code().as_str()), (status, code), "{}", reply.body);
    }
    assert!(setter.requests().is_empty());
}

#[tokio::test]
async fn the_widget_is_served_from_dist_with_the_wasm_type() {
    let dist = std::env::temp_dir().join(format!("contact-proxy-dist-{}", std::process::id()));
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), "<!doctype html><title>widget</title>").unwrap();
    std::fs::write(dist.join("widget_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    let setter = FakeSetter::answering(Answer::updated()).await;
    let proxy = proxy_with(&setter.url, |config| config.dist = Some(dist.clone())).await;
    let client = reqwest::Client::new();

    let index = client.get(format!("{proxy}/")).send().await.unwrap();
    assert_eq!(index.status(), 200);
    assert!(index.text().await.unwrap().contains("<title>widget</title>"));
    let wasm = client.get(format!("{proxy}/widget_bg.wasm")).send().await.unwrap();
    assert_eq!(wasm.headers()["content-type"], "application/wasm");
    let missing = send(client.get(format!("{proxy}/missing.js"))).await;
    assert_eq!((missing.status, missing.code().as_str()), (404, "no_such_route"));
    let posted = send(client.post(format!("{proxy}/index.html"))).await;
    assert_eq!((posted.status, posted.code().as_str()), (405, "method_not_allowed"));
    // The API still works beside the files.
    assert_eq!(put_json(&proxy, r#"{"id": 1, "firstName": "Ada"}"#).await.status, 200);
    std::fs::remove_dir_all(dist).unwrap();
}

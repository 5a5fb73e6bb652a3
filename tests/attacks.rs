//! contact-proxy from the attacker's side: a hostile page (another origin, a
//! rebinding `Host`), a hostile client (huge heads, long paths, a flood of
//! idle sockets, smuggled identities, odd encodings) and a hostile or broken
//! upstream (echoes of the key, 429s, 422s). Each promise the README makes in
//! "What the proxy defends against" has its test here or in hardening.rs.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::time::Duration;

use common::binary::*;
use common::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const BODY: &str = r#"{"id": 101, "firstName": "Mallory"}"#;

/// Writes `request` as is to `address` and reads the whole answer.
async fn raw(address: &str, request: &[u8]) -> String {
    let mut socket = TcpStream::connect(address).await.unwrap();
    socket.write_all(request).await.unwrap();
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), socket.read_to_end(&mut answer)).await;
    String::from_utf8_lossy(&answer).into_owned()
}

/// The status code and the JSON body of a raw answer.
fn status_and_json(answer: &str) -> (u16, serde_json::Value) {
    let status = answer.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = answer.split_once("\r\n\r\n").map(|(_, body)| body).unwrap_or_default();
    let json = serde_json::from_str(body).unwrap_or_else(|err| panic!("{err}: {answer}"));
    (status, json)
}

fn host_of(url: &str) -> &str {
    url.trim_start_matches("http://")
}

// --- A hostile page. ---

#[tokio::test]
async fn a_rebinding_host_is_refused_on_every_route_and_nothing_reaches_setter() {
    // A page on evil.example whose name re-resolves to the proxy's address:
    // its requests carry Host: evil.example:PORT, and its Origin matches it.
    let setter = FakeSetter::answering(Answer::updated()).await;
    for allowed in [vec![], vec!["https://admin.example.com".to_owned()]] {
        let proxy = proxy_with(&setter.url, |c| c.allowed_origins = allowed.clone()).await;
        let address = host_of(&proxy);
        let port = address.rsplit(':').next().unwrap();
        let evil = format!("evil.example:{port}");
        let update = format!(
            "PUT /api/contacts HTTP/1.1\r\nHost: {evil}\r\nOrigin: http://{evil}\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{BODY}",
            BODY.len()
        );
        let (status, json) = status_and_json(&raw(address, update.as_bytes()).await);
        assert_eq!((status, json["error"]["code"].as_str()), (421, Some("host_not_allowed")));
        for request in [
            format!("GET /healthz HTTP/1.1\r\nHost: {evil}\r\nConnection: close\r\n\r\n"),
            format!(
                "OPTIONS /api/contacts HTTP/1.1\r\nHost: {evil}\r\nOrigin: http://{evil}\r\n\
                 Access-Control-Request-Method: PUT\r\nConnection: close\r\n\r\n"
            ),
            // The absolute form names the target in the request line instead.
            format!(
                "GET http://{evil}/healthz HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
            ),
        ] {
            let (status, json) = status_and_json(&raw(address, request.as_bytes()).await);
            assert_eq!(status, 421, "{request}");
            assert_eq!(json["error"]["code"], "host_not_allowed", "{request}");
        }
        // The proxy's own name with a foreign page's Origin: the CSRF check.
        let reply = send(
            reqwest::Client::new()
                .put(format!("{proxy}/api/contacts"))
                .header("content-type", "application/json")
                .header("origin", format!("http://evil.example:{port}"))
                .body(BODY),
        )
        .await;
        assert_eq!((reply.status, reply.code().as_str()), (403, "origin_not_allowed"));
    }
    assert!(setter.requests().is_empty(), "nothing was forwarded");
}

// --- A hostile or broken upstream. ---

#[tokio::test]
async fn a_setter_that_echoes_the_authorization_header_never_hands_the_key_on() {
    // Whatever Setter (or anything at the upstream URL) says back, the key and
    // any Bearer credential are cut out of it before it reaches a client.
    let setter = FakeSetter::with(|request| {
        let auth = request.headers["authorization"].to_str().unwrap().to_owned();
        let bare = auth.trim_start_matches("Bearer ").to_owned();
        let status = if request.body.contains("Echo422") { 422 } else { 400 };
        let reason = match request.body.contains("Bare") {
            true => format!("your key {bare} is not allowed here"),
            false => format!("bad auth authorization: {auth} (and Bearer sk_live_other)"),
        };
        Answer::new(status, serde_json::json!({ "error": reason }).to_string())
    })
    .await;
    let proxy = proxy_to(&setter.url).await;
    for name in ["Echo", "Echo422", "Bare"] {
        let reply = put_json(&proxy, &format!(r#"{{"id": 101, "firstName": "{name}"}}"#)).await;
        // assert_clean (in put_json) checked the canary is nowhere in the answer.
        assert_eq!((reply.status, reply.code().as_str()), (400, "invalid_field"), "{name}");
        let message = reply.json()["error"]["message"].as_str().unwrap().to_owned();
        assert!(!message.contains("Bearer sk"), "{name}: {message}");
        assert!(!message.to_ascii_lowercase().contains("bearer sk_live_other"), "{message}");
        assert!(message.contains("[redacted]"), "{name}: says something was cut: {message}");
    }
}

#[tokio::test]
async fn setters_429_is_passed_on_with_a_bounded_retry_after_and_422_is_a_refusal() {
    let setter = FakeSetter::with(|request| {
        let retry_after = if request.body.contains("Forever") { "86400" } else { "17" };
        match request.body.contains("Slow") || request.body.contains("Forever") {
            true => {
                Answer::new(429, r#"{"error":"slow down"}"#).with_header("retry-after", retry_after)
            }
            false => Answer::new(422, r#"{"message":"phoneNumber is unreachable"}"#),
        }
    })
    .await;
    let proxy = proxy_to(&setter.url).await;
    let reply = put_json(&proxy, r#"{"id": 101, "firstName": "Slow"}"#).await;
    assert_eq!((reply.status, reply.code().as_str()), (429, "rate_limited"));
    assert_eq!(reply.headers["retry-after"], "17");
    let reply = put_json(&proxy, r#"{"id": 101, "firstName": "Forever"}"#).await;
    assert_eq!(reply.status, 429);
    assert_eq!(reply.headers["retry-after"], "3600", "bounded to an hour");
    let reply = put_json(&proxy, r#"{"id": 101, "firstName": "Unprocessable"}"#).await;
    assert_eq!((reply.status, reply.code().as_str()), (400, "invalid_field"));
    assert!(
        reply.json()["error"]["message"].as_str().unwrap().contains("phoneNumber is unreachable")
    );
}

// --- A hostile client. ---

#[tokio::test]
async fn a_request_head_over_the_bound_is_431_in_the_envelope() {
    let setter = FakeSetter::answering(Answer::updated()).await;
    let proxy = proxy_to(&setter.url).await;
    let address = host_of(&proxy);
    let cookie = "c".repeat(64 * 1024);
    let request = format!("GET /healthz HTTP/1.1\r\nHost: {address}\r\nCookie: {cookie}\r\n\r\n");
    let (status, json) = status_and_json(&raw(address, request.as_bytes()).await);
    assert_eq!((status, json["error"]["code"].as_str()), (431, Some("headers_too_large")));
    // A browser's head, cookies and all, is far below it.
    let cookie = "c".repeat(8 * 1024);
    let request = format!(
        "GET /healthz HTTP/1.1\r\nHost: {address}\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n"
    );
    assert!(raw(address, request.as_bytes()).await.starts_with("HTTP/1.1 200"));
}

#[tokio::test]
async fn a_long_path_segment_is_an_envelope_not_a_500() {
    let setter = FakeSetter::answering(Answer::updated()).await;
    let dist = std::env::temp_dir().join(format!("long-segment-dist-{}", std::process::id()));
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), "<!doctype html>").unwrap();
    let with_dist = proxy_with(&setter.url, |c| c.dist = Some(dist.clone())).await;
    let without = proxy_to(&setter.url).await;
    for proxy in [&with_dist, &without] {
        for length in [255, 256, 300, 4000] {
            let reply =
                send(reqwest::Client::new().get(format!("{proxy}/{}", "a".repeat(length)))).await;
            assert_eq!((reply.status, reply.code().as_str()), (404, "no_such_route"), "{length}");
        }
    }
    std::fs::remove_dir_all(dist).unwrap();
}

// --- The binary. ---

#[tokio::test]
async fn sighup_never_ends_the_process_without_a_key_file() {
    for demo in [false, true] {
        let mut env = command();
        let args: &[&str] = if demo {
            &["--demo"]
        } else {
            env.env("SETTER_API_KEY", CANARY_KEY);
            &["--upstream", "http://127.0.0.1:9"]
        };
        let proxy = Running::start(env, args);
        proxy.signal("-HUP");
        proxy.wait_for_log("SIGHUP", 1);
        let health = reqwest::get(format!("{}/healthz", proxy.url)).await.expect("still serving");
        assert_eq!(health.status(), 200);
        let (code, log) = proxy.stop();
        assert_eq!(code, Some(0), "drained and exited on SIGTERM, not killed by HUP: {log}");
        assert!(log.contains("ignored"), "{log}");
    }
}

#[tokio::test]
async fn the_demo_sandbox_view_has_the_promised_headers_and_envelopes() {
    let proxy = Running::start(command(), &["--demo"]);
    let view = reqwest::get(format!("{}/sandbox/contacts", proxy.url)).await.unwrap();
    assert_eq!(view.status(), 200);
    for header in ["x-content-type-options", "referrer-policy", "content-security-policy"] {
        assert!(view.headers().contains_key(header), "{header} missing");
    }
    let post = send(reqwest::Client::new().post(format!("{}/sandbox/contacts", proxy.url))).await;
    assert_eq!((post.status, post.code().as_str()), (405, "method_not_allowed"));
    proxy.stop();
}

// --- The widget's files: nothing else of the disk. ---

#[tokio::test]
async fn static_files_serve_neither_dotfiles_nor_links_out_of_dist_and_redirect_by_path_only() {
    let setter = FakeSetter::answering(Answer::updated()).await;
    let dist = std::env::temp_dir().join(format!("hostile-dist-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dist);
    std::fs::create_dir_all(dist.join("snippets")).unwrap();
    std::fs::write(dist.join("index.html"), "<!doctype html><title>widget</title>").unwrap();
    std::fs::write(dist.join("snippets/inline0.js"), "export {}").unwrap();
    std::fs::write(dist.join(".env"), "SETTER_API_KEY=sk-canary-7f3a9c1e5b2d4f60").unwrap();
    std::os::unix::fs::symlink("/etc/passwd", dist.join("passwd")).unwrap();
    std::os::unix::fs::symlink("/etc", dist.join("etc")).unwrap();
    let proxy = proxy_with(&setter.url, |c| c.dist = Some(dist.clone())).await;
    let client =
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let get = |path: &str| client.get(format!("{proxy}{path}"));

    let page = get("/").send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("widget"));
    assert_eq!(get("/snippets/inline0.js").send().await.unwrap().status(), 200);
    for refused in [
        "/.env",
        "/passwd",
        "/etc/passwd",
        "/etc/hostname",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/snippets/../.env",
    ] {
        let reply = send(get(refused)).await;
        assert_eq!((reply.status, reply.code().as_str()), (404, "no_such_route"), "{refused}");
    }
    let redirect = get("/snippets").send().await.unwrap();
    assert_eq!(redirect.status(), 308);
    assert_eq!(redirect.headers()["location"], "/snippets/");
    for protocol_relative in ["//snippets", "//evil.example/snippets", "/\\evil.example"] {
        let reply = send(get(protocol_relative)).await;
        assert_eq!(reply.status, 404, "{protocol_relative}: no redirect to another host");
        assert!(!reply.headers.contains_key("location"));
    }
    let post = send(client.post(format!("{proxy}/index.html"))).await;
    assert_eq!((post.status, post.code().as_str()), (405, "method_not_allowed"));
    std::fs::remove_dir_all(dist).unwrap();
}

// --- Who the caller is. ---

#[tokio::test]
async fn a_trusted_user_header_given_twice_or_as_a_list_is_refused() {
    let setter = FakeSetter::answering(Answer::updated()).await;
    let header = axum::http::HeaderName::from_static("x-forwarded-email");
    let proxy = proxy_with(&setter.url, |c| c.trusted_user_header = Some(header)).await;
    let address = host_of(&proxy).to_owned();
    let update = |users: &str| {
        format!(
            "PUT /api/contacts HTTP/1.1\r\nHost: {address}\r\n{users}Content-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{BODY}",
            BODY.len()
        )
    };
    for users in [
        "X-Forwarded-Email: u@x.com\r\nX-Forwarded-Email: evil@x.com\r\n",
        "X-Forwarded-Email: u@x.com, evil@x.com\r\n",
    ] {
        let (status, json) = status_and_json(&raw(&address, update(users).as_bytes()).await);
        assert_eq!(
            (status, json["error"]["code"].as_str()),
            (401, Some("unauthorized")),
            "{users}"
        );
    }
    let (status, _) =
        status_and_json(&raw(&address, update("X-Forwarded-Email: u@x.com\r\n").as_bytes()).await);
    assert_eq!(status, 200);
    assert_eq!(setter.requests().len(), 1, "only the one clear user's update was forwarded");
}

// --- A hostile client's many sockets. ---

#[tokio::test]
async fn one_client_cannot_take_every_connection() {
    let setter = FakeSetter::answering(Answer::updated()).await;
    let limits = setter_contacts::proxy::ServerLimits {
        max_connections: 50,
        max_connections_per_client: 10,
        ..Default::default()
    };
    let proxy = proxy_with_limits(&setter.url, limits, |_| {}).await;
    let address: std::net::SocketAddr = host_of(&proxy).parse().unwrap();
    // 50 idle sockets from 127.0.0.1: ten are held, the rest refused at once.
    let mut idle = Vec::new();
    for _ in 0..50 {
        idle.push(TcpStream::connect(address).await.unwrap());
    }
    let mut refused = 0;
    for socket in &mut idle[10..] {
        let mut answer = String::new();
        let read =
            tokio::time::timeout(Duration::from_secs(2), socket.read_to_string(&mut answer)).await;
        if read.is_ok()
            && answer.starts_with("HTTP/1.1 503")
            && answer.contains("too_many_connections")
        {
            refused += 1;
        }
    }
    assert_eq!(refused, 40, "each connection over the share is told so and closed");
    // Another client (127.0.0.2, loopback too) is served at once, health check included.
    let other = tokio::net::TcpSocket::new_v4().unwrap();
    other.bind("127.0.0.2:0".parse().unwrap()).unwrap();
    let mut socket = tokio::time::timeout(Duration::from_secs(2), other.connect(address))
        .await
        .expect("accepted at once")
        .unwrap();
    let request = format!("GET /healthz HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n");
    socket.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    tokio::time::timeout(Duration::from_secs(2), socket.read_to_string(&mut answer))
        .await
        .unwrap()
        .unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    drop(idle);
}

// --- Bodies that mean two things, or ask for a long answer. ---

#[tokio::test]
async fn duplicate_keys_are_refused_on_the_key_and_a_flood_of_unknown_keys_gets_a_short_answer() {
    let setter = FakeSetter::answering(Answer::updated()).await;
    let proxy = proxy_to(&setter.url).await;
    let reply =
        put_json(&proxy, r#"{"id": 101, "firstName": "Ada", "firstName": "Mallory"}"#).await;
    assert_eq!((reply.status, reply.code().as_str()), (400, "invalid_field"));
    assert!(reply.json()["error"]["fields"]["firstName"].as_str().unwrap().contains("twice"));
    let reply = put_json(&proxy, r#"{"id": 101, "metadata": {"plan": "a", "plan": "b"}}"#).await;
    assert!(reply.json()["error"]["fields"]["metadata.plan"].as_str().unwrap().contains("twice"));

    // 2,080 keys of two characters each, as the probe sent: 14 KiB.
    let alphabet: Vec<char> = ('a'..='z').chain('A'..='Z').chain('0'..='9').collect();
    let name =
        |i: usize| format!("{}{}", alphabet[i / alphabet.len()], alphabet[i % alphabet.len()]);
    let keys: Vec<String> = (0..2080).map(|i| format!(r#""{}":1"#, name(i))).collect();
    let body = format!(r#"{{"id": 101, {}}}"#, keys.join(","));
    assert!(body.len() <= 16 * 1024, "within the body limit: {}", body.len());
    let reply = put_json(&proxy, &body).await;
    assert_eq!((reply.status, reply.code().as_str()), (400, "invalid_field"));
    assert!(reply.body.len() < 8 * 1024, "a short answer: {} bytes", reply.body.len());
    assert_eq!(reply.json()["error"]["fields"].as_object().unwrap().len(), 20);
    assert!(reply.json()["error"]["message"].as_str().unwrap().contains("and 2060 more"));
    assert!(setter.requests().is_empty());
}

#[tokio::test]
async fn only_a_short_safe_request_id_is_taken_from_the_client() {
    let setter = FakeSetter::answering(Answer::updated()).await;
    let proxy = proxy_to(&setter.url).await;
    let id_of = |reply: &Reply| reply.headers["x-request-id"].to_str().unwrap().to_owned();
    let kept = send(
        reqwest::Client::new()
            .get(format!("{proxy}/healthz"))
            .header("x-request-id", "dash-42.a_b"),
    )
    .await;
    assert_eq!(id_of(&kept), "dash-42.a_b");
    for hostile in ["x".repeat(9 * 1024), "a\"b".to_owned(), "naïve".to_owned(), "a b".to_owned()]
    {
        let reply = send(
            reqwest::Client::new()
                .get(format!("{proxy}/healthz"))
                .header("x-request-id", hostile.as_str()),
        )
        .await;
        let id = id_of(&reply);
        assert!(id.bytes().all(|b| b.is_ascii_digit()), "a fresh id instead of {hostile:?}: {id}");
    }
}

#[tokio::test]
async fn an_encoded_body_is_415_and_a_request_needs_exactly_one_host() {
    let setter = FakeSetter::answering(Answer::updated()).await;
    let proxy = proxy_to(&setter.url).await;
    let reply = send(
        reqwest::Client::new()
            .put(format!("{proxy}/api/contacts"))
            .header("content-type", "application/json")
            .header("content-encoding", "gzip")
            .body(BODY),
    )
    .await;
    assert_eq!((reply.status, reply.code().as_str()), (415, "unsupported_media_type"));
    let address = host_of(&proxy);
    for hosts in ["", &format!("Host: {address}\r\nHost: {address}\r\n")] {
        let request = format!("GET /healthz HTTP/1.1\r\n{hosts}Connection: close\r\n\r\n");
        let (status, json) = status_and_json(&raw(address, request.as_bytes()).await);
        assert_eq!((status, json["error"]["code"].as_str()), (400, Some("bad_host")), "{hosts:?}");
    }
    let (status, json) = status_and_json(&raw(address, b"NOT HTTP AT ALL\r\n\r\n").await);
    assert_eq!((status, json["error"]["code"].as_str()), (400, Some("malformed_request")));
    assert!(setter.requests().is_empty());
}

#[tokio::test]
async fn upstream_credentials_stay_out_of_the_start_up_log() {
    let mut env = command();
    env.env("SETTER_API_KEY", CANARY_KEY);
    let proxy = Running::start(env, &["--upstream", "http://ops:hunter2-secret@127.0.0.1:9"]);
    proxy.wait_for_log("listening on", 1);
    let (_, log) = proxy.stop();
    assert!(!log.contains("hunter2-secret") && !log.contains("ops:"), "{log}");
    assert!(log.contains("[redacted]@127.0.0.1:9"), "{log}");
}

// --- The API as a contract. ---

#[tokio::test]
async fn the_openapi_document_is_served_and_lists_every_route() {
    let setter = FakeSetter::answering(Answer::updated()).await;
    let proxy = proxy_to(&setter.url).await;
    let document: serde_json::Value = get_json(&format!("{proxy}/api/openapi.json")).await;
    assert_eq!(document["openapi"], "3.1.0");
    for path in ["/api/contacts", "/healthz", "/api/openapi.json"] {
        assert!(document["paths"][path].is_object(), "{path}");
    }
    assert!(document["paths"]["/sandbox/contacts"].is_null(), "not without --demo");
    let demo = Running::start(command(), &["--demo"]);
    let document: serde_json::Value = get_json(&format!("{}/api/openapi.json", demo.url)).await;
    assert!(document["paths"]["/sandbox/contacts"]["get"].is_object());
    demo.stop();
}

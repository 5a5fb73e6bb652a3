//! The properties the fuzz targets check, shared with `tests/fuzz_corpus.rs`,
//! which replays the kept corpus (and every crash found) in the ordinary test run.

use std::time::Duration;

use axum::body::Body;
use axum::http::Request;
use secrecy::SecretString;
use setter_contacts::contract::parse;
use setter_contacts::contract::wire::ErrorCode;
use setter_contacts::proxy;
use tower::ServiceExt;

/// The key the handler target's proxy holds; no answer may contain it.
pub const KEY: &str = "fuzz-canary-key";

/// Parse-and-validate never panics, and what it accepts round-trips unchanged.
pub fn check_parse(body: &[u8]) {
    if let Ok(valid) = parse(body) {
        let again =
            parse(valid.to_json().as_bytes()).expect("an accepted update is accepted again");
        assert_eq!(again, valid);
        assert_eq!(valid.update().validate().as_ref(), Ok(&valid));
    }
}

/// A proxy whose Setter is an address where nothing listens: a valid update
/// ends as a 502 without leaving the machine. Build it inside a Tokio runtime.
pub fn handler_app() -> axum::Router {
    let key = proxy::KeySlot::new(&SecretString::from(KEY)).unwrap();
    let mut config = proxy::Config::new("http://127.0.0.1:9", key);
    config.upstream_timeout = Duration::from_millis(200);
    config.allowed_origins = vec!["https://admin.example.com".into()];
    config.rate_limit_per_minute = 0;
    proxy::router(&config).unwrap()
}

const METHODS: [&str; 5] = ["PUT", "GET", "POST", "OPTIONS", "DELETE"];
const PATHS: [&str; 4] = ["/api/contacts", "/healthz", "/api/v1/contacts", "/nowhere"];
const TYPES: [&str; 4] = ["application/json", "application/json; charset=utf-8", "text/plain", ""];
const ORIGINS: [&str; 4] = ["", "https://admin.example.com", "https://evil.example", "null"];

/// Input: four selector bytes (method, path, content type, origin), then the
/// body. Never panics; every answer is the envelope with the status its code
/// implies, and never holds the key.
pub async fn check_handler(app: axum::Router, data: &[u8]) {
    let [method, path, content_type, origin, body @ ..] = data else { return };
    let pick = |list: &[&'static str], byte: &u8| list[usize::from(*byte) % list.len()];
    let mut request = Request::builder()
        .method(pick(&METHODS, method))
        .uri(pick(&PATHS, path))
        .header("host", "127.0.0.1:8080");
    for (name, value) in
        [("content-type", pick(&TYPES, content_type)), ("origin", pick(&ORIGINS, origin))]
    {
        if !value.is_empty() {
            request = request.header(name, value);
        }
    }
    let request = request.body(Body::from(body.to_vec())).unwrap();

    let response = app.oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap();
    let text = String::from_utf8(bytes.to_vec()).expect("answers are UTF-8");
    assert!(!text.contains(KEY), "the key leaked: {text}");
    if text.is_empty() {
        assert!(status.is_success(), "{status} with an empty body: only a preflight has none");
        return;
    }
    let json: serde_json::Value = serde_json::from_str(&text).expect("answers are JSON");
    if json.get("error").is_some() {
        let code: ErrorCode =
            serde_json::from_value(json["error"]["code"].clone()).expect("a known code");
        assert_eq!(proxy::status_of(code), status, "{code:?}");
        assert!(json["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{code:?}");
    } else {
        assert!(status.is_success(), "{status}: {text}");
    }
}

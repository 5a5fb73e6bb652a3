//! Shared by the native integration tests: servers on 127.0.0.1 and a recording
//! fake Setter.
#![allow(dead_code)] // each test crate uses a different part

pub mod binary;
pub mod postgres;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use secrecy::SecretString;
use setter_contacts::proxy;
use tokio::net::TcpListener;

/// The key the tests give the proxy; no answer or log may ever contain it.
pub const CANARY_KEY: &str = "sk-canary-7f3a9c1e5b2d4f60";

/// Serves `app` on a free loopback port; returns `http://127.0.0.1:PORT`.
pub async fn serve(app: Router) -> String {
    let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    url
}

/// A proxy forwarding to `upstream` with [`CANARY_KEY`].
pub async fn proxy_to(upstream: &str) -> String {
    proxy_with(upstream, |_| {}).await
}

/// A proxy forwarding to `upstream`, its configuration adjusted by `adjust`;
/// its public origins are those its loopback address implies.
pub async fn proxy_with(upstream: &str, adjust: impl FnOnce(&mut proxy::Config)) -> String {
    proxy_with_limits(upstream, proxy::ServerLimits::default(), adjust).await
}

/// [`proxy_with`], served with `limits`.
pub async fn proxy_with_limits(
    upstream: &str,
    limits: proxy::ServerLimits,
    adjust: impl FnOnce(&mut proxy::Config),
) -> String {
    let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await.unwrap();
    let address = listener.local_addr().unwrap();
    let mut config = proxy::Config::new(upstream, canary_key());
    config.upstream_timeout = Duration::from_secs(5);
    config.public_origins = proxy::public_origins_for(address);
    adjust(&mut config);
    let app = proxy::router(&config).expect("valid test config");
    tokio::spawn(proxy::serve(listener, app, std::future::pending(), limits));
    format!("http://{address}")
}

/// A key slot holding [`CANARY_KEY`].
pub fn canary_key() -> proxy::KeySlot {
    proxy::KeySlot::new(&SecretString::from(CANARY_KEY)).unwrap()
}

/// A request as the fake Setter received it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: Method,
    pub path: String,
    pub headers: HeaderMap,
    pub body: String,
}

/// What the fake Setter answers.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub body: String,
    pub delay: Duration,
    /// Headers besides `content-type: application/json`.
    pub headers: Vec<(&'static str, String)>,
}

impl Answer {
    pub fn new(status: u16, body: impl Into<String>) -> Answer {
        Answer { status, body: body.into(), delay: Duration::ZERO, headers: Vec::new() }
    }

    pub fn updated() -> Answer {
        Answer::new(200, r#"{"message":"Contact updated successfully"}"#)
    }

    pub fn after(self, delay: Duration) -> Answer {
        Answer { delay, ..self }
    }

    pub fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Answer {
        self.headers.push((name, value.into()));
        self
    }
}

type Answerer = Arc<dyn Fn(&Recorded) -> Answer + Send + Sync>;

/// A fake Setter on 127.0.0.1 that records every request.
#[derive(Clone)]
pub struct FakeSetter {
    pub url: String,
    recorded: Arc<Mutex<Vec<Recorded>>>,
}

impl FakeSetter {
    /// Answers every request with `answer`.
    pub async fn answering(answer: Answer) -> FakeSetter {
        FakeSetter::with(move |_| answer.clone()).await
    }

    /// Answers each request with what `answerer` makes of it.
    pub async fn with(
        answerer: impl Fn(&Recorded) -> Answer + Send + Sync + 'static,
    ) -> FakeSetter {
        let recorded = Arc::new(Mutex::new(Vec::new()));
        let state = (recorded.clone(), Arc::new(answerer) as Answerer);
        let app = Router::new().fallback(record).with_state(state);
        FakeSetter { url: serve(app).await, recorded }
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.recorded.lock().unwrap().clone()
    }
}

async fn record(
    State((recorded, answerer)): State<(Arc<Mutex<Vec<Recorded>>>, Answerer)>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let request = Recorded {
        method,
        path: uri.path().to_owned(),
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    };
    let answer = answerer(&request);
    recorded.lock().unwrap().push(request);
    tokio::time::sleep(answer.delay).await;
    let status = StatusCode::from_u16(answer.status).unwrap();
    let mut response =
        (status, [("content-type", "application/json")], answer.body).into_response();
    for (name, value) in answer.headers {
        response.headers_mut().insert(name, value.parse().unwrap());
    }
    response
}

/// An answer of the proxy, read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|err| panic!("not JSON ({err}): {:?}", self.body))
    }

    /// The `error.code` of the envelope.
    pub fn code(&self) -> String {
        self.json()["error"]["code"].as_str().unwrap_or_default().to_owned()
    }

    /// Every answer: never the key, always the envelope (or the health report).
    #[track_caller]
    pub fn assert_clean(&self) {
        assert!(!self.body.contains(CANARY_KEY), "key in body: {}", self.body);
        for (name, value) in &self.headers {
            assert!(
                !value.as_bytes().windows(CANARY_KEY.len()).any(|w| w == CANARY_KEY.as_bytes()),
                "key in header {name}"
            );
        }
        let json = self.json();
        let is_success = json["message"].is_string() && self.status == 200;
        let is_error = json["error"]["code"].is_string() && json["error"]["message"].is_string();
        let is_health = json == serde_json::json!({"status": "ok"});
        let is_audit_page = json["entries"].is_array() && json.get("next").is_some();
        assert!(
            is_success || is_error || is_health || is_audit_page,
            "not the envelope: {}",
            self.body
        );
    }
}

/// PUTs `body` as JSON to `{proxy}/api/contacts`.
pub async fn put_json(proxy: &str, body: &str) -> Reply {
    send(
        reqwest::Client::new()
            .put(format!("{proxy}/api/contacts"))
            .header("content-type", "application/json")
            .body(body.to_owned()),
    )
    .await
}

/// Sends a request and reads the answer; asserts the answer is clean.
pub async fn send(request: reqwest::RequestBuilder) -> Reply {
    let response = request.send().await.expect("the proxy answers");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.text().await.unwrap();
    let reply = Reply { status, headers, body };
    reply.assert_clean();
    reply
}

/// GETs `url` and parses the JSON answer.
pub async fn get_json<T: serde::de::DeserializeOwned>(url: &str) -> T {
    let text = reqwest::get(url).await.expect("answers").text().await.unwrap();
    serde_json::from_str(&text).unwrap_or_else(|err| panic!("not JSON ({err}): {text}"))
}

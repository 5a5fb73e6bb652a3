//! The widget's network calls, behind a seam.
//!
//! A form hands a [`Request`] to a [`Transport`] and gets the status and body
//! back. [`FetchTransport`] is the real one (gloo-net's `fetch`, of a request
//! made once: [`Request::to_fetch`]); tests pass a
//! stub that records requests and answers from a script, so every outcome can
//! be exercised in a real browser without a server. The timeout is not the
//! transport's business: the caller races every request against its own timer
//! and then aborts the request's [`AbortSignal`], whatever the transport is.

use std::future::Future;
use std::pin::Pin;

use gloo_net::http::Method;
use web_sys::AbortSignal;

use crate::contract::FieldErrors;
use crate::contract::wire::{ErrorBody, ErrorCode};

/// One request on its way to the proxy.
#[derive(Debug, Clone)]
pub struct Request {
    /// `PUT` for an update, `GET` for a read.
    pub method: Method,
    /// Where to send it, as given by the host page (`/api/contacts`).
    pub endpoint: String,
    /// The JSON body (an update exactly as the preview shows it); empty for a read.
    pub body: String,
    /// Extra headers (`X-Batch-Id` of an import run).
    pub headers: Vec<(&'static str, String)>,
    /// Aborted when the caller gives up on the request (absent only where the
    /// browser has no `AbortController`).
    pub signal: Option<AbortSignal>,
}

impl Request {
    /// `PUT endpoint` with a JSON body.
    pub fn put(endpoint: String, body: String, signal: Option<AbortSignal>) -> Request {
        Request { method: Method::PUT, endpoint, body, headers: Vec::new(), signal }
    }
}

/// What came back: any HTTP status with its body text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawResponse {
    pub status: u16,
    pub body: String,
    /// The `Retry-After` of a 429 or 503, in seconds (the proxy always
    /// writes seconds; an HTTP date reads as absent).
    pub retry_after: Option<u64>,
}

impl RawResponse {
    /// The body read as the proxy's error envelope, when it is one; read with
    /// the browser's own `JSON.parse` (see [`read_envelope`]). A success is
    /// never one, and is not parsed: an import reads thousands.
    pub fn envelope(&self) -> Option<ErrorBody> {
        if crate::ui::outcome::succeeded(self.status) {
            return None;
        }
        read_envelope(&self.body)
    }
}

/// Why no answer arrived.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    /// The browser could not complete the request (offline, refused, CORS,
    /// aborted). What the browser says of it ("Failed to fetch") helps nobody
    /// at the form, so nothing of it is kept.
    #[error("the request got no answer")]
    Network,
}

/// The future a transport returns; not `Send`, as nothing in a browser is.
pub type Pending = Pin<Box<dyn Future<Output = Result<RawResponse, TransportError>>>>;

/// Sends a request and returns the answer.
pub trait Transport {
    /// Starts sending `request`; the future resolves with the answer.
    fn send(&self, request: Request) -> Pending;
}

/// The real transport: `fetch` with same-origin credentials (the dashboard's
/// SSO cookie reaches the proxy, and the proxy forwards none of it), JSON in
/// and out.
#[derive(Debug, Clone, Copy, Default)]
pub struct FetchTransport;

impl Transport for FetchTransport {
    fn send(&self, request: Request) -> Pending {
        Box::pin(async move {
            let request = request.to_fetch().map_err(no_answer)?;
            let response =
                gloo_net::http::Request::from(request).send().await.map_err(no_answer)?;
            // Read only where it means something: the headers object is one
            // more call into the browser, and an import makes thousands.
            let retry_after = match response.status() {
                429 | 503 => response.headers().get("Retry-After"),
                _ => None,
            }
            .and_then(|value| value.trim().parse().ok());
            let body = response.text().await.map_err(no_answer)?;
            Ok(RawResponse { status: response.status(), body, retry_after })
        })
    }
}

/// Whatever the browser said of a failed request (see [`TransportError::Network`]).
fn no_answer<E>(_: E) -> TransportError {
    TransportError::Network
}

impl Request {
    /// The browser's `Request`, made once. gloo-net's `RequestBuilder` makes
    /// two and a `URL` between them, to merge query parameters this widget
    /// never passes: about 2% of the page's main thread in a 2,000-row import.
    fn to_fetch(&self) -> Result<web_sys::Request, wasm_bindgen::JsValue> {
        let headers = web_sys::Headers::new()?;
        headers.append("Accept", "application/json")?;
        if !self.body.is_empty() {
            headers.append("Content-Type", "application/json")?;
        }
        for (name, value) in &self.headers {
            headers.append(name, value)?;
        }
        let init = web_sys::RequestInit::new();
        init.set_method(self.method.as_str());
        init.set_headers(&headers);
        init.set_signal(self.signal.as_ref());
        if !self.body.is_empty() {
            init.set_body(&wasm_bindgen::JsValue::from_str(&self.body));
        }
        web_sys::Request::new_with_str_and_init(&self.endpoint, &init)
    }
}

/// The [`ErrorBody`] of an error envelope, read with the browser's own
/// `JSON.parse` and a few property reads. A deserializer (serde_json's, or
/// serde's derive through serde-wasm-bindgen) brings its error messages into
/// the wasm, and with them float formatting: some 10 KiB gzip for this one
/// small object. A code this build does not know reads as `Unknown`, as the
/// contract's serde does.
fn read_envelope(body: &str) -> Option<ErrorBody> {
    use js_sys::{Array, Object, Reflect};
    use wasm_bindgen::{JsCast, JsValue};

    let get = |object: &JsValue, key: &str| Reflect::get(object, &JsValue::from_str(key)).ok();
    let value = js_sys::JSON::parse(body).ok()?;
    let error = get(&value, "error").filter(JsValue::is_object)?;
    let code = ErrorCode::from_wire(&get(&error, "code")?.as_string()?);
    let message = get(&error, "message").and_then(|m| m.as_string()).unwrap_or_default();
    let mut fields = FieldErrors::new();
    if let Some(object) = get(&error, "fields").filter(JsValue::is_object) {
        for entry in Object::entries(object.unchecked_ref()) {
            let pair = Array::from(&entry);
            if let (Some(name), Some(sentence)) = (pair.get(0).as_string(), pair.get(1).as_string())
            {
                fields.insert(name, sentence);
            }
        }
    }
    Some(ErrorBody { code, message, fields })
}

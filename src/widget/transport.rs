//! The one network call the widget makes, behind a seam.
//!
//! The form hands a [`Request`] to a [`Transport`] and gets the status and body
//! back. [`FetchTransport`] is the real one (`fetch`, `PUT`, JSON); tests pass a
//! stub that records bodies and answers from a script, so every outcome can be
//! exercised in a real browser without a server. The timeout is not the
//! transport's business: the form races every request against its own timer
//! and then aborts the request's [`AbortSignal`], whatever the transport is.

use std::future::Future;
use std::pin::Pin;

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, Headers, RequestInit, Response};

/// One update on its way to the proxy.
#[derive(Debug, Clone)]
pub struct Request {
    /// Where to `PUT` it, as given by the host page (`/api/contacts`).
    pub endpoint: String,
    /// The JSON body, exactly as the request preview shows it.
    pub body: String,
    /// Aborted when the form gives up on the request (absent only where the
    /// browser has no `AbortController`).
    pub signal: Option<AbortSignal>,
}

/// What came back: any HTTP status with its body text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawResponse {
    pub status: u16,
    pub body: String,
}

/// Why no answer arrived.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    /// The browser could not complete the request (offline, refused, CORS,
    /// aborted); says what the browser said.
    #[error("the request failed: {0}")]
    Network(String),
}

/// The future a transport returns; not `Send`, as nothing in a browser is.
pub type Pending = Pin<Box<dyn Future<Output = Result<RawResponse, TransportError>>>>;

/// Sends an update and returns the answer.
pub trait Transport {
    /// Starts sending `request`; the future resolves with the answer.
    fn send(&self, request: Request) -> Pending;
}

/// The real transport: `fetch` with `PUT` and `Content-Type: application/json`,
/// same-origin credentials (the dashboard's SSO cookie reaches the proxy, and
/// the proxy forwards none of it).
#[derive(Debug, Clone, Copy, Default)]
pub struct FetchTransport;

impl Transport for FetchTransport {
    fn send(&self, request: Request) -> Pending {
        Box::pin(async move {
            fetch(request).await.map_err(|err| TransportError::Network(describe(&err)))
        })
    }
}

async fn fetch(request: Request) -> Result<RawResponse, JsValue> {
    let window = web_sys::window().ok_or("no window")?;
    let headers = Headers::new()?;
    headers.set("Content-Type", "application/json")?;
    headers.set("Accept", "application/json")?;
    let init = RequestInit::new();
    init.set_method("PUT");
    init.set_headers(&headers);
    init.set_body(&JsValue::from_str(&request.body));
    init.set_signal(request.signal.as_ref());
    let response: Response =
        JsFuture::from(window.fetch_with_str_and_init(&request.endpoint, &init))
            .await?
            .dyn_into()?;
    let body = JsFuture::from(response.text()?).await?.as_string().unwrap_or_default();
    Ok(RawResponse { status: response.status(), body })
}

fn describe(err: &JsValue) -> String {
    err.dyn_ref::<js_sys::Error>()
        .map(|err| String::from(err.message()))
        .or_else(|| err.as_string())
        .unwrap_or_else(|| "unknown error".to_owned())
}

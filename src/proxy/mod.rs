//! contact-proxy: holds the Setter API key, re-checks every update with the
//! contract and forwards it.
//!
//! ```text
//! browser ── PUT /api/contacts ──▶ [origin check] ▶ update ▶ Upstream ── PUT /api/v1/contacts ──▶ Setter
//! ```
//!
//! Cross-cutting behaviour (request ids, the `Host` and origin checks, CORS,
//! caller identity, rate limit, security headers) is layered on the router;
//! the handler in `update` only checks and forwards, `files` serves the built
//! widget and nothing else of the disk, and `server` bounds what clients may
//! hold.

pub mod audit;
mod error;
mod files;
mod identity;
mod key;
mod limit;
pub mod openapi;
mod origin;
mod server;
mod update;
mod upstream;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::Json;
use axum::Router;
use axum::body::Body;
use axum::http::{HeaderName, HeaderValue, Method, Request, Uri, header};
use axum::response::IntoResponse;
use axum::routing::{get, put};
use tower::ServiceBuilder;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::validate_request::ValidateRequestHeaderLayer;

pub use error::{ApiError, status_of};
pub use identity::Actor;
pub use key::{BadKey, KeySlot};
pub use origin::{BadOrigin, Origins, public_origins_for};
pub use server::{MAX_HEAD_BYTES, ServerLimits, serve, serve_per_core};
pub use update::MAX_BODY_BYTES;
pub use upstream::{MAX_UPSTREAM_BODY_BYTES, Upstream, UpstreamError, without_credentials};

/// Setter's production address.
pub const SETTER_URL: &str = "https://chat.trysetter.com";

/// Everything the proxy needs to run. `Debug` shows no secret.
#[derive(Debug, Clone)]
pub struct Config {
    /// Setter's base URL; updates go to `{upstream}/api/v1/contacts`.
    pub upstream: String,
    /// How long Setter may take to answer before the proxy gives up (504).
    pub upstream_timeout: Duration,
    /// Setter's API key. It goes into one header value and nowhere else.
    pub api_key: KeySlot,
    /// The origins the proxy is reached at (`scheme://host[:port]`): requests
    /// to any other `Host` are refused, and these pages may send updates.
    pub public_origins: Vec<String>,
    /// Origins besides the proxy's own whose pages may send updates.
    pub allowed_origins: Vec<String>,
    /// A built widget to serve at `/`.
    pub dist: Option<PathBuf>,
    /// A header set by a trusted sign-in gateway naming the user; when set,
    /// requests without it are refused (401).
    pub trusted_user_header: Option<HeaderName>,
    /// Updates a client may send per minute (and in one burst); 0 turns it off.
    pub rate_limit_per_minute: u32,
    /// How long a client may take to send a request body (then 408).
    pub body_read_timeout: Duration,
    /// The CSP `frame-ancestors` of the served widget: who may frame it.
    pub frame_ancestors: String,
    /// The audit trail every forwarded update is recorded in (opened with
    /// [`audit::Audit::open`]), or off.
    pub audit: audit::Audit,
}

impl Config {
    /// The defaults of the command line, forwarding to `upstream` with
    /// `api_key`: among them the public origins `--listen 127.0.0.1:8080`
    /// implies ([`public_origins_for`]); a proxy listening elsewhere sets its own.
    pub fn new(upstream: impl Into<String>, api_key: KeySlot) -> Config {
        Config {
            upstream: upstream.into(),
            upstream_timeout: Duration::from_secs(10),
            api_key,
            public_origins: public_origins_for(std::net::SocketAddr::from(([127, 0, 0, 1], 8080))),
            allowed_origins: Vec::new(),
            dist: None,
            trusted_user_header: None,
            rate_limit_per_minute: 600,
            body_read_timeout: Duration::from_secs(10),
            frame_ancestors: "'self'".to_owned(),
            audit: audit::Audit::off(),
        }
    }
}

/// Why the proxy cannot start with a configuration.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(transparent)]
    BadOrigin(#[from] BadOrigin),
    #[error("--upstream {0:?} is not an http:// or https:// URL")]
    BadUpstream(String),
    #[error("--dist {0:?} is not a directory; build the widget first (trunk build --release)")]
    MissingDist(PathBuf),
    #[error(
        "--frame-ancestors {0:?} cannot be part of a header (no line breaks, commas or semicolons)"
    )]
    BadFrameAncestors(String),
    #[error("TLS for Setter could not be set up: {0}")]
    Tls(#[source] rustls::Error),
}

/// What every handler shares.
#[derive(Clone, Debug)]
struct AppState {
    /// Behind an Arc: axum clones the state for every request.
    upstream: Arc<Upstream>,
    body_read_timeout: Duration,
    audit: audit::Audit,
}

/// The proxy's routes and layers. Call from within a Tokio runtime (the rate
/// limiter starts a clean-up task).
///
/// Every request passes, outermost first: request id → security headers →
/// `Host` check → the route. A request to `/api/contacts` (and to the audit
/// trail's `/api/audit`) then passes `no-store` → origin check → CORS →
/// caller identity → rate limit → the handler.
pub fn router(config: &Config) -> Result<Router, ConfigError> {
    router_with(config, None)
}

/// [`router`], with the demo's sandbox view (`GET /sandbox/contacts`) served
/// inside the same outer layers, so that it too answers in the envelope with
/// the security headers, and documented.
// tower-http's ValidateRequestHeader takes checks that return `Result<(), Response>`.
#[expect(
    clippy::result_large_err,
    reason = "the error is the refusal, built once per refused request"
)]
pub fn router_with(config: &Config, sandbox_view: Option<Router>) -> Result<Router, ConfigError> {
    let origins = Origins::parse(&config.public_origins, &config.allowed_origins)?;
    let upstream =
        Upstream::new(&config.upstream, config.api_key.clone(), config.upstream_timeout)?;
    let state = AppState {
        upstream: Arc::new(upstream),
        body_read_timeout: config.body_read_timeout,
        audit: config.audit.clone(),
    };

    // The 405 fallback goes in before the layers, so a preflight (OPTIONS) meets
    // the CORS layer instead of bypassing it. The layers go on as one stack: each
    // `Router::layer` call boxes the routes once more, and every box is cloned
    // for every request.
    let api = Router::new()
        .route("/api/contacts", put(update::update_contact))
        .with_state(state)
        .merge(audit::routes(config.audit.clone()))
        .method_not_allowed_fallback(method_not_allowed)
        .layer(
            ServiceBuilder::new()
                .layer(SetResponseHeaderLayer::overriding(
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("no-store"),
                ))
                .layer(ValidateRequestHeaderLayer::custom({
                    let origins = origins.clone();
                    move |request: &mut Request<Body>| {
                        origin::require_allowed_origin(&origins, request.headers())
                            .map_err(ApiError::into_response)
                    }
                }))
                .layer(cors(&origins))
                .option_layer(config.trusted_user_header.clone().map(|header| {
                    ValidateRequestHeaderLayer::custom(move |request: &mut Request<Body>| {
                        identity::require_user(&header, request).map_err(ApiError::into_response)
                    })
                }))
                .option_layer(limit::layer(config.rate_limit_per_minute)),
        );

    let openapi = axum::body::Bytes::from(openapi::document(sandbox_view.is_some()).to_string());
    let mut app = Router::new()
        .route("/healthz", get(|| async { Json(serde_json::json!({"status": "ok"})) }))
        .route(
            "/api/openapi.json",
            get(move || {
                std::future::ready(([(header::CONTENT_TYPE, "application/json")], openapi.clone()))
            }),
        )
        .merge(sandbox_view.unwrap_or_default())
        .method_not_allowed_fallback(method_not_allowed)
        .merge(api);
    app = match &config.dist {
        Some(dist) => {
            let dist =
                files::Dist::new(dist).map_err(|_| ConfigError::MissingDist(dist.clone()))?;
            app.fallback(move |request: Request<Body>| dist.clone().serve(request))
        }
        None => app.fallback(no_such_route),
    };
    let csp = content_security_policy(&config.frame_ancestors)?;
    Ok(app.layer(
        ServiceBuilder::new()
            .map_request(drop_unsafe_request_id)
            .layer(SetRequestIdLayer::x_request_id(Counter::default()))
            .layer(PropagateRequestIdLayer::x_request_id())
            .layer(SetResponseHeaderLayer::overriding(
                header::REFERRER_POLICY,
                HeaderValue::from_static("no-referrer"),
            ))
            .layer(SetResponseHeaderLayer::overriding(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ))
            .layer(SetResponseHeaderLayer::if_not_present(header::CONTENT_SECURITY_POLICY, csp))
            .layer(ValidateRequestHeaderLayer::custom(move |request: &mut Request<Body>| {
                origin::require_own_host(&origins, request.headers(), request.uri())
                    .map_err(ApiError::into_response)
            })),
    ))
}

/// Preflights are answered for allowed origins only, for PUT with a JSON body;
/// credentials (the gateway's session cookie) may come along, which is why the
/// origins are listed and never `*`.
fn cors(origins: &Origins) -> CorsLayer {
    let origins: Vec<HeaderValue> =
        origins.allowed().iter().filter_map(|origin| HeaderValue::from_str(origin).ok()).collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::PUT, Method::GET])
        .allow_headers([header::CONTENT_TYPE, HeaderName::from_static("x-batch-id")])
        .allow_credentials(true)
        .expose_headers([HeaderName::from_static("x-request-id")])
        .max_age(Duration::from_secs(600))
}

/// The served widget's policy: its own scripts, styles and wasm, nothing inline
/// or foreign but the pre-rendered form's `<style>`, allowed by its hash. The
/// live widget styles itself with constructed stylesheets, which no
/// `'unsafe-inline'` is needed for.
fn content_security_policy(frame_ancestors: &str) -> Result<HeaderValue, ConfigError> {
    let bad = || ConfigError::BadFrameAncestors(frame_ancestors.to_owned());
    if frame_ancestors.contains([';', ',', '\n', '\r']) || frame_ancestors.trim().is_empty() {
        return Err(bad());
    }
    let prerendered_style = prerendered_style_hash();
    HeaderValue::from_str(&format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' {prerendered_style}; \
         img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors {frame_ancestors}"
    ))
    .map_err(|_| bad())
}

/// The pre-rendered form's `<style>` as a CSP source: `'sha256-…'`, for a
/// policy's `style-src` (this proxy's, and a host page's own).
pub fn prerendered_style_hash() -> String {
    use base64::Engine;
    let digest =
        ring::digest::digest(&ring::digest::SHA256, crate::ui::prerender::STYLE.as_bytes());
    format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest))
}

async fn no_such_route(uri: Uri) -> ApiError {
    ApiError::NoSuchRoute(uri.path().to_owned())
}

async fn method_not_allowed(method: Method, uri: Uri) -> ApiError {
    ApiError::MethodNotAllowed { method: method.to_string(), path: uri.path().to_owned() }
}

/// Forgets a client's `X-Request-Id` unless it is a short, safe token
/// (1 to 64 of `A-Z a-z 0-9 . _ -`): the id goes into every log line of the
/// request, and a client must not write quotes, line noise or kilobytes there.
/// A fresh id is made instead (see [`Counter`]).
fn drop_unsafe_request_id(mut request: Request<Body>) -> Request<Body> {
    let safe = |value: &HeaderValue| {
        let bytes = value.as_bytes();
        (1..=64).contains(&bytes.len())
            && bytes.iter().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
    };
    let headers = request.headers_mut();
    let mut values = headers.get_all(REQUEST_ID).iter();
    let keep = match (values.next(), values.next()) {
        (Some(value), None) => safe(value),
        (None, _) => true,
        (Some(_), Some(_)) => false,
    };
    if !keep {
        headers.remove(REQUEST_ID);
    }
    request
}

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Request ids `1`, `2`, … of this process, unless the caller sent one: a
/// dashboard's own id then ties its logs to ours.
#[derive(Clone, Default)]
struct Counter(Arc<AtomicU64>);

impl MakeRequestId for Counter {
    fn make_request_id<B>(&mut self, _: &Request<B>) -> Option<RequestId> {
        let id = self.0.fetch_add(1, Ordering::Relaxed) + 1;
        Some(RequestId::new(HeaderValue::from(id)))
    }
}

//! contact-proxy: holds the Setter API key, re-checks every update with the
//! contract and forwards it.
//!
//! ```text
//! browser ── PUT /api/contacts ──▶ [origin check] ▶ update ▶ Upstream ── PUT /api/v1/contacts ──▶ Setter
//! ```
//!
//! Cross-cutting behaviour (origin check, body limit, request ids, no-store) is
//! layered on the router; the handler in [`update`] only checks and forwards.

mod error;
mod origin;
mod update;
mod upstream;

use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, Method, Request, Uri, header};
use axum::routing::{get, put};
use axum::{Json, middleware};
use secrecy::SecretString;
use tokio::net::TcpListener;
use tower_http::request_id::{MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

pub use error::{ApiError, status_of};
pub use origin::{AllowedOrigins, BadOrigin};
pub use update::MAX_BODY_BYTES;
pub use upstream::{MAX_UPSTREAM_BODY_BYTES, Upstream, UpstreamError};

/// Setter's production address.
pub const SETTER_URL: &str = "https://chat.trysetter.com";

/// Everything the proxy needs to run. `Debug` shows no secret.
#[derive(Debug)]
pub struct Config {
    /// Setter's base URL; updates go to `{upstream}/api/v1/contacts`.
    pub upstream: String,
    /// How long Setter may take to answer before the proxy gives up (504).
    pub upstream_timeout: Duration,
    /// Origins besides the proxy's own whose pages may send updates.
    pub allowed_origins: Vec<String>,
    /// A built widget to serve at `/`.
    pub dist: Option<PathBuf>,
    /// Setter's API key. It goes into one header value and nowhere else.
    pub api_key: SecretString,
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
    #[error("cannot talk to Setter: {0}")]
    Client(String),
}

/// What every handler shares.
#[derive(Clone, Debug)]
struct AppState {
    upstream: Upstream,
}

/// The proxy's routes and layers.
pub fn router(config: &Config) -> Result<Router, ConfigError> {
    let allowed = AllowedOrigins::parse(&config.allowed_origins)?;
    if !(config.upstream.starts_with("http://") || config.upstream.starts_with("https://")) {
        return Err(ConfigError::BadUpstream(config.upstream.clone()));
    }
    let upstream = Upstream::new(&config.upstream, &config.api_key, config.upstream_timeout)
        .map_err(ConfigError::Client)?;

    let api = Router::new()
        .route("/api/contacts", put(update::update_contact))
        .route_layer(middleware::from_fn_with_state(allowed, origin::require_allowed_origin))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .with_state(AppState { upstream });

    let mut app = Router::new()
        .route("/healthz", get(|| async { Json(serde_json::json!({"status": "ok"})) }))
        .merge(api)
        .method_not_allowed_fallback(method_not_allowed);
    app = match &config.dist {
        Some(dist) if !dist.is_dir() => return Err(ConfigError::MissingDist(dist.clone())),
        Some(dist) => app.fallback_service(
            ServeDir::new(dist)
                .call_fallback_on_method_not_allowed(true)
                .fallback(get(no_such_route).fallback(method_not_allowed)),
        ),
        None => app.fallback(no_such_route),
    };
    Ok(app
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(Counter::default())))
}

async fn no_such_route(uri: Uri) -> ApiError {
    ApiError::NoSuchRoute(uri.path().to_owned())
}

async fn method_not_allowed(method: Method, uri: Uri) -> ApiError {
    ApiError::MethodNotAllowed { method: method.to_string(), path: uri.path().to_owned() }
}

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

/// Serves `app` on `listener` until `shutdown` resolves; then stops accepting
/// and lets updates in flight finish.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app).with_graceful_shutdown(shutdown).await
}

//! Optional caller identity from a trusted sign-in gateway.
//!
//! With `--trusted-user-header X-Forwarded-Email`, the proxy believes that header
//! because only the gateway (oauth2-proxy, the dashboard's SSO) can reach it:
//! the gateway sets it after sign-in and strips it from what browsers send. A
//! request without it did not come through the gateway and is refused.

use axum::extract::{Request, State};
use axum::http::HeaderName;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::error::ApiError;

/// Who sent an update, as the gateway vouched; logged with each update and used
/// to key the rate limit.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Actor(pub String);

/// Middleware: 401 `unauthorized` without the header; otherwise records the [`Actor`].
pub(super) async fn require_user(
    State(header): State<HeaderName>,
    mut request: Request,
    next: Next,
) -> Response {
    let user = request.headers().get(&header).and_then(|value| value.to_str().ok()).map(str::trim);
    match user.filter(|user| !user.is_empty()) {
        Some(user) => {
            let actor = Actor(user.to_owned());
            request.extensions_mut().insert(actor);
            next.run(request).await
        }
        None => ApiError::Unauthorized(header.to_string()).into_response(),
    }
}

//! Optional caller identity from a trusted sign-in gateway.
//!
//! With `--trusted-user-header X-Forwarded-Email`, the proxy believes that header
//! because only the gateway (oauth2-proxy, the dashboard's SSO) can reach it:
//! the gateway sets it after sign-in and strips it from what browsers send. A
//! request without it did not come through the gateway and is refused.

use axum::extract::Request;
use axum::http::HeaderName;

use super::error::ApiError;

/// Who sent an update, as the gateway vouched; logged with each update and used
/// to key the rate limit.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Actor(pub String);

/// 401 `unauthorized` without the header named `header`, or with a value
/// that names no single user: two copies of the header, or a comma list (a
/// gateway that appends to what the client sent would let the client choose
/// who it is). Otherwise records the [`Actor`] in the request's extensions.
/// Runs as tower-http's `ValidateRequestHeader`, like the origin check.
pub(super) fn require_user(header: &HeaderName, request: &mut Request) -> Result<(), ApiError> {
    let ambiguous = |why| ApiError::AmbiguousUser { header: header.to_string(), why };
    let mut values = request.headers().get_all(header).iter();
    let user = match (values.next(), values.next()) {
        (Some(_), Some(_)) => return Err(ambiguous("came more than once")),
        (value, _) => value.and_then(|value| value.to_str().ok()).map(str::trim),
    };
    let Some(user) = user.filter(|user| !user.is_empty()) else {
        return Err(ApiError::Unauthorized(header.to_string()));
    };
    if user.contains(',') {
        return Err(ambiguous("holds a list of values"));
    }
    let actor = Actor(user.to_owned());
    request.extensions_mut().insert(actor);
    Ok(())
}

//! Cross-site protection: only pages of the proxy's own origin, or of origins an
//! administrator allowed, may update contacts.
//!
//! Browsers send `Origin` with every cross-origin and every state-changing
//! request, so a page elsewhere cannot forge an update with the operator's
//! cookies. A request without `Origin` (curl, a server-side job) is no browser
//! and carries no ambient credentials, so it passes, unless its
//! `Sec-Fetch-Site` says a cross-site page sent it. Only `application/json`
//! bodies are accepted (see `update`), so no cross-site "simple request" that
//! skips the CORS preflight can reach an update either.

use std::sync::Arc;

use axum::http::{HeaderMap, header};

use super::error::ApiError;

/// The origins allowed besides the proxy's own, normalized (`https://host[:port]`).
#[derive(Debug, Clone, Default)]
pub struct AllowedOrigins(Arc<Vec<String>>);

/// An `--allowed-origin` that is not an origin.
#[derive(Debug, thiserror::Error)]
#[error(
    "--allowed-origin {0:?} is not an origin: write it as scheme://host[:port], like https://admin.example.com, with no path"
)]
pub struct BadOrigin(String);

impl AllowedOrigins {
    /// Checks and normalizes each origin (lower case, no trailing slash).
    pub fn parse<S: AsRef<str>>(origins: &[S]) -> Result<AllowedOrigins, BadOrigin> {
        let parsed = origins
            .iter()
            .map(|origin| {
                let origin = origin.as_ref().trim().trim_end_matches('/').to_ascii_lowercase();
                match authority(&origin) {
                    Some(host) if !host.is_empty() && !host.contains('/') => Ok(origin),
                    _ => Err(BadOrigin(origin)),
                }
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(AllowedOrigins(Arc::new(parsed)))
    }

    fn contains(&self, origin: &str) -> bool {
        self.0.iter().any(|allowed| allowed.eq_ignore_ascii_case(origin))
    }

    /// The allowed origins, for the CORS layer.
    pub fn as_slice(&self) -> &[String] {
        &self.0
    }
}

/// 403 `origin_not_allowed` for a foreign `Origin`, or for a cross-site request
/// (`Sec-Fetch-Site`) from an origin not allowed. A check on the headers only,
/// so it runs as tower-http's `ValidateRequestHeader`, before the inner service
/// is called: no future boxed and no service cloned per request.
pub(super) fn require_allowed_origin(
    allowed: &AllowedOrigins,
    headers: &HeaderMap,
) -> Result<(), ApiError> {
    let origin = headers.get(header::ORIGIN).map(|o| o.to_str().unwrap_or("an unreadable origin"));
    let host = headers.get(header::HOST).and_then(|host| host.to_str().ok());
    let cross_site = headers.get("sec-fetch-site").is_some_and(|site| site == "cross-site");
    let permitted = match origin {
        Some(origin) if allowed.contains(origin) => true,
        _ if cross_site => false,
        Some(origin) => is_same_origin(origin, host),
        None => true,
    };
    if permitted {
        Ok(())
    } else {
        Err(ApiError::OriginNotAllowed(origin.unwrap_or("a cross-site page").to_owned()))
    }
}

/// Whether `origin` names the host the request was sent to. Behind a TLS
/// terminator the scheme differs, so only host and port are compared, with
/// default ports made explicit.
fn is_same_origin(origin: &str, host: Option<&str>) -> bool {
    let (Some(origin_authority), Some(host)) = (authority(origin), host) else {
        return false;
    };
    let default_port = if origin.starts_with("https://") { "443" } else { "80" };
    let with_port = |authority: &str| {
        if authority.ends_with(']') || !authority.contains(':') {
            format!("{authority}:{default_port}")
        } else {
            authority.to_owned()
        }
    };
    with_port(origin_authority).eq_ignore_ascii_case(&with_port(host))
}

/// `host[:port]` of `http://host[:port]` or `https://host[:port]`.
fn authority(origin: &str) -> Option<&str> {
    origin.strip_prefix("https://").or_else(|| origin.strip_prefix("http://"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_origin_compares_host_and_port() {
        assert!(is_same_origin("http://127.0.0.1:8080", Some("127.0.0.1:8080")));
        assert!(is_same_origin("https://admin.example.com", Some("admin.example.com")));
        assert!(is_same_origin("https://admin.example.com", Some("admin.example.com:443")));
        assert!(is_same_origin("http://[::1]:8080", Some("[::1]:8080")));
        assert!(!is_same_origin("http://127.0.0.1:8081", Some("127.0.0.1:8080")));
        assert!(!is_same_origin("https://evil.example", Some("admin.example.com")));
        assert!(!is_same_origin("null", Some("admin.example.com")));
        assert!(!is_same_origin("http://127.0.0.1:8080", None));
    }

    #[test]
    fn allowed_origins_are_normalized_and_checked() {
        let allowed = AllowedOrigins::parse(&["https://Dash.Example.com/"]).unwrap();
        assert!(allowed.contains("https://dash.example.com"));
        assert!(!allowed.contains("http://dash.example.com"));
        for bad in ["dash.example.com", "https://", "https://dash.example.com/admin", "ftp://x"] {
            assert!(AllowedOrigins::parse(&[bad]).is_err(), "{bad}");
        }
    }
}

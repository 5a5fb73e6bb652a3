//! Who may talk to the proxy: which `Host` it answers for, and which pages'
//! `Origin` may update contacts.
//!
//! **The proxy's own origins.** The proxy knows the origins it is reached at
//! (`--public-origin`, by default what `--listen` implies: the loopback
//! literals and `localhost`, with the port). A request whose `Host` (or
//! absolute-form target) names anything else is refused on every route: a page
//! on an attacker's domain whose name re-resolves to the proxy's address (DNS
//! rebinding) sends its own name as `Host`, and its own origin as `Origin`, so
//! comparing the two would let it through.
//!
//! **Cross-site requests.** Browsers send `Origin` with every cross-origin and
//! every state-changing request, so a page elsewhere cannot forge an update
//! with the operator's cookies: an update passes if its `Origin` is one of the
//! proxy's own or one an administrator allowed (`--allowed-origin`). A request
//! without `Origin` (curl, a server-side job) is no browser and carries no
//! ambient credentials, so it passes, unless its `Sec-Fetch-Site` says a
//! cross-site page sent it. Only `application/json` bodies are accepted (see
//! `update`), so no cross-site "simple request" that skips the CORS preflight
//! can reach an update either.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

use axum::http::{HeaderMap, Uri, header};

use super::error::ApiError;

/// `scheme://host:port`, normalized: lower case, the port explicit.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Origin {
    https: bool,
    host: String,
    port: u16,
}

impl Origin {
    /// Reads `http://host[:port]` or `https://host[:port]` (no path).
    fn parse(text: &str) -> Option<Origin> {
        let text = text.trim().trim_end_matches('/').to_ascii_lowercase();
        let (https, authority) = match text.split_once("://")? {
            ("https", authority) => (true, authority),
            ("http", authority) => (false, authority),
            _ => return None,
        };
        let (host, port) = split_authority(authority, if https { 443 } else { 80 })?;
        Some(Origin { https, host, port })
    }

    /// The origin as a browser's `Origin` header spells it.
    fn spelled(&self) -> String {
        let scheme = if self.https { "https" } else { "http" };
        match (self.https, self.port) {
            (true, 443) | (false, 80) => format!("{scheme}://{}", self.host),
            _ => format!("{scheme}://{}:{}", self.host, self.port),
        }
    }
}

/// `host[:port]` → (lower-case host, port), `default_port` when none is
/// given. `None` for anything that is not one authority (a path, userinfo,
/// spaces, an empty host).
fn split_authority(authority: &str, default_port: u16) -> Option<(String, u16)> {
    let authority = authority.to_ascii_lowercase();
    if authority.is_empty() || authority.contains(['/', '@', ' ', '?', '#', ',']) {
        return None;
    }
    let (host, port) = if let Some(rest) = authority.strip_prefix('[') {
        // [v6]:port
        let (v6, after) = rest.split_once(']')?;
        let port = match after.strip_prefix(':') {
            Some(port) => port.parse().ok()?,
            None if after.is_empty() => default_port,
            None => return None,
        };
        (format!("[{v6}]"), port)
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) => (host.to_owned(), port.parse().ok()?),
            None => (authority.clone(), default_port),
        }
    };
    let plain = !host.is_empty() && (host.starts_with('[') || !host.contains(':'));
    plain.then_some((host, port))
}

/// An origin given on the command line that is not one.
#[derive(Debug, thiserror::Error)]
#[error(
    "{flag} {value:?} is not an origin: write it as scheme://host[:port], like https://admin.example.com, with no path"
)]
pub struct BadOrigin {
    flag: &'static str,
    value: String,
}

/// The proxy's own origins and the other origins allowed to send updates.
#[derive(Debug, Clone, Default)]
pub struct Origins {
    public: Arc<Vec<Origin>>,
    allowed: Arc<Vec<Origin>>,
}

impl Origins {
    /// Checks and normalizes both lists. `public` may not be empty: a proxy
    /// that answers for no name answers nothing.
    pub fn parse<S: AsRef<str>>(public: &[S], allowed: &[S]) -> Result<Origins, BadOrigin> {
        let parse = |flag: &'static str, list: &[S]| {
            list.iter()
                .map(|text| {
                    Origin::parse(text.as_ref())
                        .ok_or_else(|| BadOrigin { flag, value: text.as_ref().to_owned() })
                })
                .collect::<Result<Vec<_>, _>>()
        };
        let public = parse("--public-origin", public)?;
        if public.is_empty() {
            return Err(BadOrigin { flag: "--public-origin", value: String::new() });
        }
        Ok(Origins {
            public: Arc::new(public),
            allowed: Arc::new(parse("--allowed-origin", allowed)?),
        })
    }

    /// The allowed origins as browsers spell them, for the CORS layer.
    pub fn allowed(&self) -> Vec<String> {
        self.allowed.iter().map(Origin::spelled).collect()
    }

    /// The proxy's own origins as browsers spell them, for messages.
    pub fn public(&self) -> Vec<String> {
        self.public.iter().map(Origin::spelled).collect()
    }

    /// Whether `host[:port]` names one of the proxy's own origins. A `Host`
    /// without a port means the default port of the origin's scheme (behind
    /// a TLS terminator, 443).
    fn answers_for(&self, authority: &str) -> bool {
        let Some((host, port)) = split_authority(authority, 0) else { return false };
        self.public.iter().any(|own| {
            own.host == host && (own.port == port || (port == 0 && own.port == default_port(own)))
        })
    }

    fn is_own_or_allowed(&self, origin: &str) -> bool {
        Origin::parse(origin)
            .is_some_and(|origin| self.public.contains(&origin) || self.allowed.contains(&origin))
    }

    fn is_allowed(&self, origin: &str) -> bool {
        Origin::parse(origin).is_some_and(|origin| self.allowed.contains(&origin))
    }
}

fn default_port(origin: &Origin) -> u16 {
    if origin.https { 443 } else { 80 }
}

/// What `--listen ADDR` implies, when no `--public-origin` is given: the
/// address itself (unless it is a wildcard), the loopback literals and
/// `localhost`, each with the port, over plain http.
pub fn public_origins_for(listen: SocketAddr) -> Vec<String> {
    let port = listen.port();
    let mut hosts = vec![
        IpAddr::V4(Ipv4Addr::LOCALHOST).to_string(),
        format!("[{}]", Ipv6Addr::LOCALHOST),
        "localhost".to_owned(),
    ];
    let own = match listen.ip() {
        IpAddr::V6(v6) => format!("[{v6}]"),
        v4 => v4.to_string(),
    };
    if !listen.ip().is_unspecified() && !hosts.contains(&own) {
        hosts.insert(0, own);
    }
    hosts.into_iter().map(|host| format!("http://{host}:{port}")).collect()
}

/// 421 `host_not_allowed` for a request to a name the proxy does not answer
/// for (`Host`, or the target of an absolute-form request line); 400
/// `bad_host` without exactly one `Host`. On every route, first.
pub(super) fn require_own_host(
    origins: &Origins,
    headers: &HeaderMap,
    uri: &Uri,
) -> Result<(), ApiError> {
    let mut hosts = headers.get_all(header::HOST).iter();
    let host = match (hosts.next(), hosts.next()) {
        (Some(host), None) => host.to_str().unwrap_or_default(),
        (None, _) => return Err(ApiError::BadHost("has no Host header")),
        (Some(_), Some(_)) => return Err(ApiError::BadHost("has more than one Host header")),
    };
    let target = uri.authority().map(|authority| authority.as_str());
    for name in [Some(host), target].into_iter().flatten() {
        if !origins.answers_for(name) {
            return Err(ApiError::HostNotAllowed {
                host: name.chars().take(100).collect(),
                own: origins.public(),
            });
        }
    }
    Ok(())
}

/// 403 `origin_not_allowed` for a foreign `Origin`, or for a cross-site request
/// (`Sec-Fetch-Site`) from an origin not allowed. A check on the headers only,
/// so it runs as tower-http's `ValidateRequestHeader`, before the inner service
/// is called: no future boxed and no service cloned per request.
pub(super) fn require_allowed_origin(
    origins: &Origins,
    headers: &HeaderMap,
) -> Result<(), ApiError> {
    let origin = headers.get(header::ORIGIN).map(|o| o.to_str().unwrap_or("an unreadable origin"));
    let cross_site = headers.get("sec-fetch-site").is_some_and(|site| site == "cross-site");
    let permitted = match origin {
        Some(origin) if origins.is_allowed(origin) => true,
        _ if cross_site => false,
        Some(origin) => origins.is_own_or_allowed(origin),
        None => true,
    };
    if permitted {
        Ok(())
    } else {
        let origin: String = origin.unwrap_or("a cross-site page").chars().take(100).collect();
        Err(ApiError::OriginNotAllowed(origin))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origins(public: &[&str], allowed: &[&str]) -> Origins {
        let public: Vec<String> = public.iter().map(|s| s.to_string()).collect();
        let allowed: Vec<String> = allowed.iter().map(|s| s.to_string()).collect();
        Origins::parse(&public, &allowed).unwrap()
    }

    #[test]
    fn the_listen_address_implies_loopback_names_with_its_port() {
        let implied = public_origins_for("127.0.0.1:8080".parse().unwrap());
        assert_eq!(
            implied,
            ["http://127.0.0.1:8080", "http://[::1]:8080", "http://localhost:8080"]
        );
        let wildcard = public_origins_for("0.0.0.0:9000".parse().unwrap());
        assert_eq!(
            wildcard,
            ["http://127.0.0.1:9000", "http://[::1]:9000", "http://localhost:9000"]
        );
        let private = public_origins_for("10.1.2.3:80".parse().unwrap());
        assert_eq!(private[0], "http://10.1.2.3:80");
    }

    #[test]
    fn hosts_are_matched_by_name_and_port_and_a_bare_name_means_the_default_port() {
        let own = origins(&["http://127.0.0.1:8080", "https://contacts.example.com"], &[]);
        assert!(own.answers_for("127.0.0.1:8080"));
        assert!(own.answers_for("contacts.example.com"), "behind a TLS terminator");
        assert!(own.answers_for("CONTACTS.example.com:443"));
        assert!(!own.answers_for("127.0.0.1:8081"));
        assert!(!own.answers_for("127.0.0.1"), "port 80 is not 8080");
        assert!(!own.answers_for("evil.example:8080"));
        assert!(!own.answers_for("user@127.0.0.1:8080"));
        assert!(!own.answers_for(""));
        let v6 = origins(&["http://[::1]:8080"], &[]);
        assert!(v6.answers_for("[::1]:8080"));
        assert!(!v6.answers_for("[::2]:8080"));
    }

    #[test]
    fn own_and_allowed_origins_are_compared_scheme_host_and_port() {
        let list = origins(&["http://127.0.0.1:8080"], &["https://Dash.Example.com/"]);
        assert!(list.is_own_or_allowed("http://127.0.0.1:8080"));
        assert!(list.is_own_or_allowed("https://dash.example.com"));
        assert!(list.is_own_or_allowed("https://dash.example.com:443"));
        assert!(!list.is_own_or_allowed("http://dash.example.com"));
        assert!(!list.is_own_or_allowed("http://127.0.0.1:8081"));
        assert!(!list.is_own_or_allowed("null"));
        for bad in ["dash.example.com", "https://", "https://dash.example.com/admin", "ftp://x"] {
            assert!(Origins::parse(&["http://127.0.0.1:1"], &[bad]).is_err(), "{bad}");
        }
        assert!(Origins::parse::<&str>(&[], &[]).is_err(), "no public origin");
    }
}

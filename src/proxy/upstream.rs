//! The only code that talks to Setter, and the only code that sends the key.
//!
//! hyper's pooled client, with rustls for https: every update goes to one fixed
//! URL with a few fixed headers, so a general-purpose client's per-request work
//! (parsing the URL again, redirect and retry layers) buys nothing here.

use std::future::Future;
use std::time::{Duration, SystemTime};

use axum::body::Bytes;
use axum::http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER, USER_AGENT};
use axum::http::{HeaderValue, Request, Response, StatusCode, Uri};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::proxy::matcher::Matcher;
use hyper_util::rt::{TokioExecutor, TokioTimer};
use thread_local::ThreadLocal;
use tower::ServiceExt;
use tower::util::{Either, MapErr};

use super::ConfigError;
use super::key::KeySlot;
use crate::contract::ValidUpdate;
use crate::contract::wire::ErrorCode;

/// How much of Setter's answer is read; the rest is never buffered.
pub const MAX_UPSTREAM_BODY_BYTES: usize = 64 * 1024;
/// How much of Setter's 400 message is passed on to the operator.
const MAX_SETTER_MESSAGE_CHARS: usize = 500;

const JSON: HeaderValue = HeaderValue::from_static("application/json");
const AGENT: HeaderValue =
    HeaderValue::from_static(concat!("contact-proxy/", env!("CARGO_PKG_VERSION")));

/// Why Setter did not apply an update.
#[derive(Debug, thiserror::Error)]
pub enum UpstreamError {
    #[error("No contact matches that identifier.")]
    NotFound,
    #[error("Several contacts match that identifier; use the contact ID instead.")]
    MultipleMatches,
    #[error("Your organization has no access to this contact.")]
    Forbidden,
    #[error(
        "Setter refused this server's API key. Nothing the person at the form can change fixes this: an administrator must set a valid key."
    )]
    AuthFailed,
    /// A 400 or 422, with Setter's reason: cut, and with every credential
    /// redacted (`KeySlot::redact`).
    #[error("Setter rejected the update: {0}")]
    Rejected(String),
    #[error(
        "Setter is receiving updates faster than it accepts them; wait {retry_after_secs} s and try again."
    )]
    RateLimited { retry_after_secs: u64 },
    #[error("Setter could not be reached or answered with an error; try again in a minute.")]
    Unavailable {
        /// What happened, for the log only: it may name internal hosts.
        detail: String,
        status: Option<u16>,
    },
    #[error("Setter did not answer within {0} ms; try again in a minute.")]
    Timeout(u128),
}

impl UpstreamError {
    /// The code on the wire.
    pub fn code(&self) -> ErrorCode {
        match self {
            UpstreamError::NotFound => ErrorCode::NotFound,
            UpstreamError::MultipleMatches => ErrorCode::MultipleMatches,
            UpstreamError::Forbidden => ErrorCode::Forbidden,
            UpstreamError::AuthFailed => ErrorCode::UpstreamAuthFailed,
            UpstreamError::Rejected(_) => ErrorCode::InvalidField,
            UpstreamError::RateLimited { .. } => ErrorCode::RateLimited,
            UpstreamError::Unavailable { .. } => ErrorCode::UpstreamError,
            UpstreamError::Timeout(_) => ErrorCode::UpstreamTimeout,
        }
    }

    /// The status Setter answered with, when it answered at all.
    pub fn upstream_status(&self) -> Option<u16> {
        match self {
            UpstreamError::NotFound => Some(404),
            UpstreamError::MultipleMatches => Some(409),
            UpstreamError::Forbidden => Some(403),
            UpstreamError::AuthFailed => Some(401),
            UpstreamError::Rejected(_) => Some(400),
            UpstreamError::RateLimited { .. } => Some(429),
            UpstreamError::Unavailable { status, .. } => *status,
            UpstreamError::Timeout(_) => None,
        }
    }

    /// When the caller may try again (Setter's 429).
    pub fn retry_after_secs(&self) -> Option<u64> {
        match self {
            UpstreamError::RateLimited { retry_after_secs } => Some(*retry_after_secs),
            _ => None,
        }
    }

    fn transport(err: &ClientError) -> UpstreamError {
        UpstreamError::Unavailable { detail: error_chain(err), status: None }
    }
}

type ClientError = hyper_util::client::legacy::Error;
type BoxError = Box<dyn std::error::Error + Send + Sync>;
type ConnectError<C> = <C as tower::Service<Uri>>::Error;
/// TCP to Setter, directly or through an outbound proxy's CONNECT tunnel.
type Tcp = Either<
    MapErr<HttpConnector, fn(ConnectError<HttpConnector>) -> BoxError>,
    MapErr<Tunnel<HttpConnector>, fn(ConnectError<Tunnel<HttpConnector>>) -> BoxError>,
>;
type HttpClient = Client<HttpsConnector<Tcp>, Full<Bytes>>;

/// A client for Setter's contacts endpoint. Shared by every thread of the
/// server; connections to Setter are reused across updates.
///
/// Each thread has an HTTP client of its own, so its own connection pool: a
/// pooled connection is driven by a task on the runtime that opened it, and an
/// update on one thread sent over another thread's connection would cost two
/// cross-thread wake-ups.
pub struct Upstream {
    http: ThreadLocal<HttpClient>,
    https: HttpsConnector<Tcp>,
    /// Parsed once: parsing a URL per update is measurable under load.
    endpoint: Uri,
    key: KeySlot,
    timeout: Duration,
}

impl std::fmt::Debug for Upstream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Upstream").field("endpoint", &self.endpoint).finish_non_exhaustive()
    }
}

impl Upstream {
    /// A client for `{base_url}/api/v1/contacts` that sends `key` as a Bearer
    /// token, through the outbound proxy that `HTTPS_PROXY` / `ALL_PROXY` name
    /// unless `NO_PROXY` exempts Setter's host (see [`Upstream::with_proxies`]).
    pub fn new(base_url: &str, key: KeySlot, timeout: Duration) -> Result<Upstream, ConfigError> {
        Upstream::with_proxies(base_url, key, timeout, &Matcher::from_env())
    }

    /// [`Upstream::new`] with the outbound proxy rules given. Only an https://
    /// Setter goes through a proxy, as a CONNECT tunnel (the key then travels
    /// inside TLS that the proxy cannot read); a plain http:// upstream is the
    /// sandbox or a test server nearby, always reached directly.
    pub fn with_proxies(
        base_url: &str,
        key: KeySlot,
        timeout: Duration,
        proxies: &Matcher,
    ) -> Result<Upstream, ConfigError> {
        let bad_url = || ConfigError::BadUpstream(base_url.to_owned());
        if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
            return Err(bad_url());
        }
        let endpoint = format!("{}/api/v1/contacts", base_url.trim_end_matches('/'));
        let endpoint: Uri = endpoint.parse().map_err(|_| bad_url())?;
        if endpoint.host().is_none() {
            return Err(bad_url());
        }
        let mut direct = HttpConnector::new();
        direct.enforce_http(false); // https:// URLs pass on to the TLS layer
        direct.set_nodelay(true);
        let proxy = proxies.intercept(&endpoint).filter(|_| endpoint.scheme_str() == Some("https"));
        let tcp: Tcp = match proxy {
            None => Either::Left(direct.map_err(BoxError::from as fn(_) -> _)),
            Some(proxy) => {
                tracing::info!(
                    proxy = %format_args!("{}:{}", proxy.uri().host().unwrap_or_default(), proxy.uri().port_u16().unwrap_or(80)),
                    "reaching Setter through an outbound proxy"
                );
                let mut tunnel = Tunnel::new(proxy.uri().clone(), direct);
                if let Some(credentials) = proxy.basic_auth() {
                    tunnel = tunnel.with_auth(credentials.clone());
                }
                Either::Right(tunnel.map_err(BoxError::from as fn(_) -> _))
            }
        };
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_provider_and_webpki_roots(rustls::crypto::ring::default_provider())
            .map_err(ConfigError::Tls)?
            .https_or_http()
            .enable_http1()
            .wrap_connector(tcp);
        Ok(Upstream { http: ThreadLocal::new(), https, endpoint, key, timeout })
    }

    /// Sends the update; `Ok` with Setter's status when it applied it.
    ///
    /// PUT is idempotent (RFC 9110 §9.2.2), so a connection that failed before
    /// any byte of the request left is tried once more.
    pub async fn forward(&self, update: &ValidUpdate) -> Result<u16, UpstreamError> {
        let body = Bytes::from(update.to_json());
        let exchange = async {
            let response = with_one_retry(|| self.send(body.clone()))
                .await
                .map_err(|err| UpstreamError::transport(&err))?;
            let status = response.status();
            let retry_after = response.headers().get(RETRY_AFTER).cloned();
            // Read even a success to its end: an answer cut off is no answer, and a
            // connection read to its end goes back to the pool.
            let answer = read_capped(response).await?;
            Ok::<_, UpstreamError>((status, retry_after, answer))
        };
        let (status, retry_after, answer) =
            tokio::time::timeout(self.timeout, exchange)
                .await
                .map_err(|_elapsed| UpstreamError::Timeout(self.timeout.as_millis()))??;
        if status.is_success() {
            return Ok(status.as_u16());
        }
        Err(match status {
            StatusCode::NOT_FOUND => UpstreamError::NotFound,
            StatusCode::CONFLICT => UpstreamError::MultipleMatches,
            StatusCode::FORBIDDEN => UpstreamError::Forbidden,
            StatusCode::UNAUTHORIZED => UpstreamError::AuthFailed,
            StatusCode::BAD_REQUEST | StatusCode::UNPROCESSABLE_ENTITY => {
                UpstreamError::Rejected(self.key.redact(&setter_message(&answer)))
            }
            StatusCode::TOO_MANY_REQUESTS => UpstreamError::RateLimited {
                retry_after_secs: retry_after_secs(retry_after.as_ref(), SystemTime::now()),
            },
            other => UpstreamError::Unavailable {
                detail: format!("Setter answered {other}"),
                status: Some(other.as_u16()),
            },
        })
    }

    fn send(
        &self,
        body: Bytes,
    ) -> impl Future<Output = Result<Response<Incoming>, ClientError>> + use<'_> {
        let mut request =
            Request::put(self.endpoint.clone()).body(Full::new(body)).expect("a valid request");
        let headers = request.headers_mut();
        headers.insert(AUTHORIZATION, self.key.authorization());
        headers.insert(CONTENT_TYPE, JSON);
        headers.insert(ACCEPT, JSON);
        headers.insert(USER_AGENT, AGENT);
        self.client().request(request)
    }

    /// This thread's client, made on its first update.
    fn client(&self) -> &HttpClient {
        self.http.get_or(|| {
            Client::builder(TokioExecutor::new())
                .pool_timer(TokioTimer::new())
                .build(self.https.clone())
        })
    }
}

/// Reads at most [`MAX_UPSTREAM_BODY_BYTES`] of an answer.
async fn read_capped(response: Response<Incoming>) -> Result<Vec<u8>, UpstreamError> {
    let mut incoming = response.into_body();
    let mut body = Vec::new();
    while body.len() < MAX_UPSTREAM_BODY_BYTES {
        let frame = incoming.frame().await.transpose().map_err(|err| {
            UpstreamError::Unavailable { detail: error_chain(&err), status: None }
        })?;
        match frame {
            Some(frame) => {
                body.extend_from_slice(frame.data_ref().map_or(&[][..], |data| &data[..]))
            }
            None => break,
        }
    }
    body.truncate(MAX_UPSTREAM_BODY_BYTES);
    Ok(body)
}

/// Runs `send`, and once more if the first attempt could not even connect: then
/// no byte of the request left, so Setter cannot have applied it.
async fn with_one_retry<F, Fut, T>(mut send: F) -> Result<T, ClientError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, ClientError>>,
{
    match send().await {
        Err(err) if err.is_connect() => send().await,
        first => first,
    }
}

/// The error and its causes on one line: "client error (Connect): tcp connect error: Connection refused".
fn error_chain(err: &dyn std::error::Error) -> String {
    let mut line = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        line.push_str(": ");
        line.push_str(&cause.to_string());
        source = cause.source();
    }
    line
}

/// `url` without the credentials it may hold (`http://user:password@host`),
/// for logs.
pub fn without_credentials(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
            match rest[..authority_end].rsplit_once('@') {
                Some((_, host)) => {
                    format!("{scheme}://[redacted]@{host}{}", &rest[authority_end..])
                }
                None => url.to_owned(),
            }
        }
        None => url.to_owned(),
    }
}

/// How long Setter asks the caller to wait, from its `Retry-After` (seconds or
/// an HTTP date): 1 s to an hour, a minute when it says nothing readable.
fn retry_after_secs(header: Option<&HeaderValue>, now: SystemTime) -> u64 {
    const DEFAULT: u64 = 60;
    let Some(text) = header.and_then(|value| value.to_str().ok()).map(str::trim) else {
        return DEFAULT;
    };
    let seconds = match text.parse::<u64>() {
        Ok(seconds) => seconds,
        Err(_) => match httpdate::parse_http_date(text) {
            Ok(when) => when.duration_since(now).map_or(0, |wait| wait.as_secs()),
            Err(_) => DEFAULT,
        },
    };
    seconds.clamp(1, 3600)
}

/// Setter's explanation of a 400: the `error` or `message` string of a JSON
/// answer, or the text itself; control characters made spaces, trimmed and
/// cut to 500 characters. Untrusted: the caller redacts credentials from it.
fn setter_message(answer: &[u8]) -> String {
    let json: Option<serde_json::Value> = serde_json::from_slice(answer).ok();
    let from_json = json.as_ref().and_then(|value| {
        [&value["error"], &value["message"], &value["error"]["message"]]
            .into_iter()
            .find_map(|candidate| candidate.as_str())
    });
    let text = match from_json {
        Some(text) => text.to_owned(),
        None => String::from_utf8_lossy(answer).into_owned(),
    };
    let text: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let text = text.trim();
    if text.is_empty() {
        return "Setter gave no reason.".to_owned();
    }
    let mut cut: String = text.chars().take(MAX_SETTER_MESSAGE_CHARS).collect();
    if cut.len() < text.len() {
        cut.push('…');
    }
    cut
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// A loopback server that answers each connection with `answer`, or closes
    /// it without a word when `answer` is empty.
    async fn server(answer: &'static [u8]) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        tokio::spawn(async move {
            for _ in 0..4 {
                let (mut socket, _) = listener.accept().await.unwrap();
                let _ = socket.read(&mut [0u8; 1024]).await;
                let _ = socket.write_all(answer).await;
            }
        });
        url
    }

    fn closed_port() -> String {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/", listener.local_addr().unwrap())
    }

    fn put(
        http: &Client<HttpConnector, Full<Bytes>>,
        url: &str,
    ) -> impl Future<Output = Result<Response<Incoming>, ClientError>> {
        let request = Request::put(url).body(Full::new(Bytes::from_static(b"{}"))).unwrap();
        http.request(request)
    }

    fn client() -> Client<HttpConnector, Full<Bytes>> {
        Client::builder(TokioExecutor::new()).build_http()
    }

    #[tokio::test]
    async fn a_failed_connect_is_tried_once_more() {
        let http = client();
        let (refused, working) =
            (closed_port(), server(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n").await);
        let attempts = AtomicUsize::new(0);
        let response = with_one_retry(|| {
            let url =
                if attempts.fetch_add(1, Ordering::SeqCst) == 0 { &refused } else { &working };
            put(&http, url)
        })
        .await;
        assert_eq!(response.unwrap().status(), 200);
        assert_eq!(attempts.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn connect_failures_are_retried_once_only_and_sent_requests_never() {
        let http = client();
        let refused = closed_port();
        let attempts = AtomicUsize::new(0);
        let response = with_one_retry(|| {
            attempts.fetch_add(1, Ordering::SeqCst);
            put(&http, &refused)
        })
        .await;
        assert!(response.unwrap_err().is_connect());
        assert_eq!(attempts.load(Ordering::SeqCst), 2, "one retry, not more");

        let hangs_up = server(b"").await; // reads the request, then closes
        let attempts = AtomicUsize::new(0);
        let response = with_one_retry(|| {
            attempts.fetch_add(1, Ordering::SeqCst);
            put(&http, &hangs_up)
        })
        .await;
        assert!(response.is_err());
        assert_eq!(attempts.load(Ordering::SeqCst), 1, "a request that was sent is not repeated");
    }

    #[tokio::test]
    async fn an_https_upstream_is_spoken_to_in_tls() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("https://127.0.0.1:{}", listener.local_addr().unwrap().port());
        let first_bytes = tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut hello = [0u8; 3];
            socket.read_exact(&mut hello).await.unwrap();
            let _ = socket.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n").await;
            hello
        });
        let key = KeySlot::new(&secrecy::SecretString::from("canary-tls")).unwrap();
        let upstream = Upstream::new(&url, key, Duration::from_secs(5)).unwrap();
        let update = crate::contract::parse(br#"{"id": 1, "firstName": "Ada"}"#).unwrap();
        let refused = upstream.forward(&update).await.unwrap_err();
        assert!(matches!(refused, UpstreamError::Unavailable { .. }), "{refused:?}");
        // A TLS handshake record (0x16) of TLS 1.x (0x03 ..): a ClientHello, not plain HTTP.
        let hello = tokio::time::timeout(Duration::from_secs(5), first_bytes)
            .await
            .expect("the proxy connected to the upstream")
            .unwrap();
        assert_eq!(&hello[..2], &[0x16, 0x03], "{hello:?}");
    }

    /// A loopback listener that keeps the first bytes of its first connection
    /// and answers them with `answer`.
    async fn first_bytes_of(answer: &'static [u8]) -> (u16, tokio::task::JoinHandle<Vec<u8>>) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let heard = tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut bytes = vec![0u8; 4096];
            let read = socket.read(&mut bytes).await.unwrap();
            let _ = socket.write_all(answer).await;
            bytes.truncate(read);
            bytes
        });
        (port, heard)
    }

    async fn forward_through(base_url: &str, proxies: &Matcher) -> Result<u16, UpstreamError> {
        let key = KeySlot::new(&secrecy::SecretString::from("canary-proxied")).unwrap();
        let upstream =
            Upstream::with_proxies(base_url, key, Duration::from_secs(5), proxies).unwrap();
        upstream
            .forward(&crate::contract::parse(br#"{"id": 1, "firstName": "Ada"}"#).unwrap())
            .await
    }

    async fn heard(bytes: tokio::task::JoinHandle<Vec<u8>>) -> Vec<u8> {
        tokio::time::timeout(Duration::from_secs(5), bytes)
            .await
            .expect("a connection came")
            .unwrap()
    }

    #[tokio::test]
    async fn an_https_setter_is_reached_through_the_outbound_proxy_as_a_tunnel() {
        let (proxy_port, proxy_heard) =
            first_bytes_of(b"HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n").await;
        let proxies =
            Matcher::builder().https(format!("http://ops:s3cret@127.0.0.1:{proxy_port}")).build();
        let refused = forward_through("https://setter.example:8443", &proxies).await.unwrap_err();
        assert!(matches!(refused, UpstreamError::Unavailable { .. }), "{refused:?}");

        let request = String::from_utf8(heard(proxy_heard).await).unwrap();
        assert!(request.starts_with("CONNECT setter.example:8443 HTTP/1.1\r\n"), "{request}");
        assert!(
            request.to_ascii_lowercase().contains("proxy-authorization: basic b3bzonmzy3jlda=="),
            "{request}"
        );
        assert!(
            !request.contains("canary-proxied"),
            "the key never reaches the proxy in the clear"
        );
    }

    #[tokio::test]
    async fn no_proxy_and_plain_http_upstreams_are_reached_directly() {
        let (proxy_port, _never) = first_bytes_of(b"").await;
        let proxy = format!("http://127.0.0.1:{proxy_port}");

        let (port, setter_heard) = first_bytes_of(b"").await;
        let exempt = Matcher::builder().https(proxy.clone()).no("127.0.0.1").build();
        let _ = forward_through(&format!("https://127.0.0.1:{port}"), &exempt).await;
        assert_eq!(
            &heard(setter_heard).await[..2],
            &[0x16, 0x03],
            "a TLS hello, straight to Setter"
        );

        let (port, setter_heard) =
            first_bytes_of(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n").await;
        let everything = Matcher::builder().all(proxy).build();
        assert_eq!(
            forward_through(&format!("http://127.0.0.1:{port}"), &everything).await.unwrap(),
            200
        );
        assert!(heard(setter_heard).await.starts_with(b"PUT /api/v1/contacts HTTP/1.1"));
    }

    #[test]
    fn urls_are_logged_without_their_credentials() {
        assert_eq!(
            without_credentials("http://user:s3cret@setter.example:8080/base?x=1"),
            "http://[redacted]@setter.example:8080/base?x=1"
        );
        assert_eq!(without_credentials("https://chat.trysetter.com"), "https://chat.trysetter.com");
        assert_eq!(
            without_credentials("https://h/p@q"),
            "https://h/p@q",
            "an @ in the path is no userinfo"
        );
    }

    #[test]
    fn retry_after_is_read_as_seconds_or_a_date_and_bounded() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let value = |text: &str| HeaderValue::from_str(text).unwrap();
        assert_eq!(retry_after_secs(Some(&value("17")), now), 17);
        assert_eq!(retry_after_secs(Some(&value("0")), now), 1);
        assert_eq!(retry_after_secs(Some(&value("86400")), now), 3600);
        let in_two_minutes = httpdate::fmt_http_date(now + Duration::from_secs(120));
        assert_eq!(retry_after_secs(Some(&value(&in_two_minutes)), now), 120);
        assert_eq!(retry_after_secs(Some(&value("soon")), now), 60);
        assert_eq!(retry_after_secs(None, now), 60);
    }

    #[test]
    fn setter_messages_are_found_trimmed_and_cut() {
        assert_eq!(setter_message(br#"{"error": " Invalid email "}"#), "Invalid email");
        assert_eq!(setter_message(br#"{"message": "Bad timezone"}"#), "Bad timezone");
        assert_eq!(setter_message(br#"{"error": {"message": "Nested"}}"#), "Nested");
        assert_eq!(setter_message(b"plain words\n"), "plain words");
        assert_eq!(setter_message(b"line\nbreak\x1b[31m"), "line break [31m");
        assert_eq!(setter_message(b"  "), "Setter gave no reason.");
        let long = "é".repeat(600);
        let cut = setter_message(long.as_bytes());
        assert_eq!(cut.chars().count(), 501, "500 characters and an ellipsis");
    }
}

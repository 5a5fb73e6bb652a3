//! A local stand-in for Setter's `PUT /api/v1/contacts`, so the whole product
//! runs and is tested with no key and no internet.
//!
//! It keeps Setter's documented semantics: a Bearer key (401), the contract's
//! validation (400), a unique match (404, 409), the organization's own contacts
//! only (403), partial updates with metadata merged key by key. The proxy talks
//! to it over real HTTP, exactly as it talks to Setter.

mod store;

use std::net::SocketAddr;

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use secrecy::{ExposeSecret, SecretString};
use serde_json::json;
use tokio::net::TcpListener;

pub use store::{Contact, FIRST_GENERATED_ID, OWN_ORGANIZATION, Outcome, Store};

use crate::contract::{self, wire};

/// The sandbox's shared state: its key and its contacts.
#[derive(Clone)]
struct Sandbox {
    key: SecretString,
    store: Store,
}

/// The sandbox's routes: `PUT /api/v1/contacts` and `GET /sandbox/contacts`.
pub fn router(key: SecretString, store: Store) -> Router {
    Router::new()
        .route("/api/v1/contacts", put(update_contact))
        .merge(contacts_view(store.clone()))
        .fallback(|| async { (StatusCode::NOT_FOUND, Json(json!({"error": "Not found"}))) })
        .with_state(Sandbox { key, store })
}

/// `GET /sandbox/contacts`: the current contacts, read-only, and `GET
/// /sandbox/requests`: how many updates arrived (`{"received": N}`). The demo
/// proxy mounts them too, so the demo page and the browser tests can see what
/// changed, and what was sent.
pub fn contacts_view<S: Clone + Send + Sync + 'static>(store: Store) -> Router<S> {
    let counted = store.clone();
    Router::new()
        .route("/sandbox/contacts", get(move || std::future::ready(Json(store.contacts()))))
        .route(
            "/sandbox/requests",
            get(move || std::future::ready(Json(json!({ "received": counted.received() })))),
        )
}

async fn update_contact(
    State(sandbox): State<Sandbox>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    if !has_key(&headers, &sandbox.key) {
        return setter_error(StatusCode::UNAUTHORIZED, "Invalid or missing API key");
    }
    let update = match contract::parse(&body) {
        Ok(update) => update,
        Err(rejection) => return setter_error(StatusCode::BAD_REQUEST, &rejection.to_string()),
    };
    match sandbox.store.update(OWN_ORGANIZATION, &update) {
        Outcome::Updated => {
            Json(wire::Success { message: wire::UPDATED.to_owned() }).into_response()
        }
        Outcome::NotFound => {
            setter_error(StatusCode::NOT_FOUND, "No contacts found with the provided identifier")
        }
        Outcome::MultipleMatches => {
            setter_error(StatusCode::CONFLICT, "Multiple contacts matched the provided identifier")
        }
        Outcome::OtherOrganization => {
            setter_error(StatusCode::FORBIDDEN, "You do not have access to this contact")
        }
    }
}

fn has_key(headers: &HeaderMap, key: &SecretString) -> bool {
    let given = headers.get(header::AUTHORIZATION).and_then(|value| value.to_str().ok());
    let expected = key.expose_secret();
    given.and_then(|value| value.strip_prefix("Bearer ")).is_some_and(|token| {
        // Same length and every byte compared, so timing says nothing of the key.
        token.len() == expected.len()
            && token.bytes().zip(expected.bytes()).fold(0, |diff, (a, b)| diff | (a ^ b)) == 0
    })
}

fn setter_error(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "error": message }))).into_response()
}

/// A sandbox serving on a loopback port of this process.
pub struct RunningSandbox {
    /// Where it listens, e.g. `http://127.0.0.1:41234`.
    pub url: String,
    /// The key it accepts, made up at start.
    pub key: SecretString,
    /// Its contacts, for read-only views.
    pub store: Store,
}

/// Starts a sandbox with the demo contacts (and `generated` more, see
/// [`Store::demo_with`]) on 127.0.0.1 (a free port) and a random key: what
/// `contact-proxy --demo` forwards to.
pub async fn spawn_in_process(generated: u64) -> std::io::Result<RunningSandbox> {
    let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
    let url = format!("http://{}", listener.local_addr()?);
    let key = random_key()?;
    let store = Store::demo_with(generated);
    let app = router(key.clone(), store.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(RunningSandbox { url, key, store })
}

/// 32 random bytes, hex-encoded.
fn random_key() -> std::io::Result<SecretString> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|err| std::io::Error::other(err.to_string()))?;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    Ok(SecretString::from(hex))
}

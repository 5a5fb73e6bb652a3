//! `PUT /api/contacts`: check everything, then forward once.
//!
//! The order of the checks is the order a person fixes them in: the kind of
//! body and its encoding (415), its size (413), its syntax (400 bad_json), its
//! fields (400). All of them run before Setter is called, so a bad request
//! never spends the key. An update that passed is recorded in the audit trail
//! before it is forwarded (503 `audit_unavailable`, and nothing forwarded, when
//! it cannot be), and its entry completed with the outcome after.

use std::net::SocketAddr;
use std::time::Instant;

use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use tower_http::request_id::RequestId;

use super::AppState;
use super::audit::Forwarding;
use super::error::ApiError;
use super::identity::Actor;
use crate::contract::wire;
use crate::contract::{self, Field, ValidUpdate};

/// The largest update body accepted. A full update with 50 metadata entries of
/// typical size fits several times over.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

pub(super) async fn update_contact(
    State(state): State<AppState>,
    request_id: Option<Extension<RequestId>>,
    actor: Option<Extension<Actor>>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let started = Instant::now();
    let request_id = request_id
        .and_then(|id| id.header_value().to_str().map(str::to_owned).ok())
        .unwrap_or_default();
    let actor = actor.map(|Extension(Actor(user))| user);
    let checked = match batch_of(&headers) {
        Ok(batch) => check_request(&headers, body, &state).await.map(|update| (update, batch)),
        Err(error) => Err(error),
    };
    let (update, batch) = match checked {
        Ok(checked) => checked,
        Err(error) => {
            tracing::info!(
                request_id,
                actor,
                outcome = error.code().as_str(),
                latency_ms = started.elapsed().as_millis() as u64,
                "update refused before Setter"
            );
            return error.into_response();
        }
    };

    let client =
        peer.map_or_else(String::new, |Extension(ConnectInfo(peer))| peer.ip().to_string());
    let forwarding = Forwarding {
        update: &update,
        actor: actor.as_deref(),
        client,
        request_id: &request_id,
        batch: batch.as_deref(),
    };
    let begun = match state.audit.begin(forwarding).await {
        Ok(begun) => begun,
        Err(err) => {
            tracing::error!(request_id, actor, %err, "update refused: the audit trail cannot be written");
            return ApiError::AuditUnavailable.into_response();
        }
    };

    let forwarded = state.upstream.forward(&update).await;
    let upstream_status = match &forwarded {
        Ok(status) => Some(*status),
        Err(error) => error.upstream_status(),
    };
    let outcome = forwarded.as_ref().map_or_else(|error| error.code().as_str(), |_| "updated");
    state.audit.complete(begun, outcome, upstream_status, started.elapsed());
    tracing::info!(
        request_id,
        actor,
        batch,
        identifier = %names(&update.identifier_kinds()),
        changed = %names(&update.changed_fields()),
        upstream_status,
        outcome,
        latency_ms = started.elapsed().as_millis() as u64,
        "update forwarded"
    );
    match forwarded {
        Ok(_) => Json(wire::Success { message: wire::UPDATED.to_owned() }).into_response(),
        Err(error) => {
            if let super::upstream::UpstreamError::Unavailable { detail, .. } = &error {
                tracing::warn!(request_id, detail, "Setter unavailable");
            }
            ApiError::from(error).into_response()
        }
    }
}

async fn check_request(
    headers: &HeaderMap,
    body: Body,
    state: &AppState,
) -> Result<ValidUpdate, ApiError> {
    if !is_json(headers) {
        return Err(ApiError::UnsupportedMediaType);
    }
    // An encoded body (gzip, say) would be read as if it were JSON: refused
    // instead (RFC 9110 §8.4: 415).
    for encoding in headers.get_all(header::CONTENT_ENCODING) {
        let encoding = encoding.to_str().unwrap_or("(unreadable)").trim();
        if !encoding.eq_ignore_ascii_case("identity") {
            return Err(ApiError::UnsupportedEncoding(encoding.chars().take(40).collect()));
        }
    }
    let body = read_body(body, state.body_read_timeout).await?;
    Ok(contract::parse(&body)?)
}

/// Reads at most [`MAX_BODY_BYTES`] within `timeout`. A declared Content-Length
/// over the limit is refused before a byte is read; a chunked body, as soon as
/// it crosses the limit.
async fn read_body(body: Body, timeout: std::time::Duration) -> Result<Bytes, ApiError> {
    let read = tokio::time::timeout(timeout, axum::body::to_bytes(body, MAX_BODY_BYTES));
    match read.await {
        Err(_elapsed) => Err(ApiError::BodyTimeout),
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(err)) if is_length_limit(&err) => {
            Err(ApiError::PayloadTooLarge { max_bytes: MAX_BODY_BYTES })
        }
        Ok(Err(_)) => Err(ApiError::UnreadableBody),
    }
}

fn is_length_limit(err: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(cause) = source {
        if cause.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = cause.source();
    }
    false
}

/// The bulk importer's run the update belongs to (`X-Batch-Id`), which must
/// be a short safe token: it is logged and recorded as it comes.
fn batch_of(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let mut values = headers.get_all("x-batch-id").iter();
    let value = match (values.next(), values.next()) {
        (None, _) => return Ok(None),
        (Some(value), None) => value.as_bytes(),
        (Some(_), Some(_)) => return Err(ApiError::BadBatch),
    };
    let safe = (1..=64).contains(&value.len())
        && value.iter().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    if safe {
        Ok(Some(String::from_utf8_lossy(value).into_owned()))
    } else {
        Err(ApiError::BadBatch)
    }
}

/// `application/json`, in any case, with or without parameters such as charset.
fn is_json(headers: &HeaderMap) -> bool {
    let Some(value) = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let essence = value.split(';').next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case("application/json")
}

/// "email,firstName": the names only; values are personal data and stay out of logs.
fn names(fields: &[Field]) -> String {
    let names: Vec<&str> = fields.iter().map(|field| field.as_str()).collect();
    names.join(",")
}

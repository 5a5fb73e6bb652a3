//! `PUT /api/contacts`: check everything, then forward once.
//!
//! The order of the checks is the order a person fixes them in: the kind of
//! body (415), its size (413), its syntax (400 bad_json), its fields (400). All of
//! them run before Setter is called, so a bad request never spends the key.

use std::time::Instant;

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tower_http::request_id::RequestId;

use super::AppState;
use super::error::ApiError;
use crate::contract::wire;
use crate::contract::{self, Field, ValidUpdate};

/// The largest update body accepted. A full update with 50 metadata entries of
/// typical size fits several times over.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

pub(super) async fn update_contact(
    State(state): State<AppState>,
    request_id: Option<axum::Extension<RequestId>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let started = Instant::now();
    let request_id = request_id
        .and_then(|id| id.header_value().to_str().map(str::to_owned).ok())
        .unwrap_or_default();
    let update = match check_request(&headers, body) {
        Ok(update) => update,
        Err(error) => {
            tracing::info!(
                request_id,
                outcome = error.code().as_str(),
                latency_ms = started.elapsed().as_millis() as u64,
                "update refused before Setter"
            );
            return error.into_response();
        }
    };

    let forwarded = state.upstream.forward(&update).await;
    let upstream_status = match &forwarded {
        Ok(status) => Some(*status),
        Err(error) => error.upstream_status(),
    };
    tracing::info!(
        request_id,
        identifier = %names(&update.identifier_kinds()),
        changed = %names(&update.changed_fields()),
        upstream_status,
        outcome = forwarded.as_ref().map_or_else(|error| error.code().as_str(), |_| "updated"),
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

fn check_request(
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<ValidUpdate, ApiError> {
    if !is_json(headers) {
        return Err(ApiError::UnsupportedMediaType);
    }
    let body = body.map_err(|rejection| match rejection.status() {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge,
        _ => ApiError::UnreadableBody,
    })?;
    Ok(contract::parse(&body)?)
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

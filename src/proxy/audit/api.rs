//! Reading the trail: `GET /api/audit` (JSON, a page at a time, newest first)
//! and `GET /api/audit.csv` (the same selection, every page, as CSV).
//!
//! ```text
//! GET /api/audit?contact=KIND:VALUE&actor=…&batch=…&since=…&until=…&limit=…&cursor=…
//! ```
//!
//! `contact` is `id:101`, `waId:15551234567` or `smsPhoneNumber:+1 555…`, read
//! with the contract's own rule, so it finds entries however the number was
//! typed. `since` and `until` are RFC 3339 instants or dates (UTC midnight),
//! inclusive. Pages are keyset pages: `cursor` is the `next` of the previous
//! page, the id of its last entry; `limit` is 1 to 100 (20 when absent). The
//! routes sit behind the same origin, identity and rate-limit checks as
//! updates (see `proxy::router_with`).

use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::{HeaderValue, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{Audit, Entry, Filter, time};
use crate::contract::{Field, normalize_identifier};
use crate::proxy::error::ApiError;
use crate::ui::csv;

/// Entries per page of the JSON answer, when the caller does not say.
const DEFAULT_LIMIT: u32 = 20;
const MAX_LIMIT: u32 = 100;
/// Entries read from the store at once while streaming the CSV.
const CSV_PAGE: u32 = 500;

/// The read routes, with the trail as their state.
pub fn routes<S>(audit: Audit) -> Router<S> {
    Router::new()
        .route("/api/audit", get(list))
        .route("/api/audit.csv", get(export))
        .with_state(audit)
}

/// The query, as given: every value checked before the store is asked.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Params {
    contact: Option<String>,
    actor: Option<String>,
    batch: Option<String>,
    since: Option<String>,
    until: Option<String>,
    limit: Option<String>,
    cursor: Option<String>,
}

/// The selection `uri`'s query asks for, and its page size.
fn selection(uri: &Uri) -> Result<(Filter, u32), ApiError> {
    let Query(params) = Query::<Params>::try_from_uri(uri).map_err(|err| {
        ApiError::BadQuery(format!("the query is not one this route reads ({})", err.body_text()))
    })?;
    let bad = |what: String| ApiError::BadQuery(what);
    let contact = match params.contact.as_deref() {
        None => None,
        Some(given) => {
            let (kind, value) = given.split_once(':').ok_or_else(|| {
                bad("contact is KIND:VALUE, like id:101 or waId:15551234567".to_owned())
            })?;
            let field =
                Field::from_name(kind).filter(|field| field.is_identifier()).ok_or_else(|| {
                    bad(format!("contact's kind {kind:?} is none of id, waId, smsPhoneNumber"))
                })?;
            let value = normalize_identifier(field, value)
                .map_err(|sentence| bad(format!("contact: {sentence}")))?;
            Some((field.as_str().to_owned(), value))
        }
    };
    let instant = |name: &str, text: &Option<String>| -> Result<Option<i64>, ApiError> {
        text.as_deref()
            .map(|text| {
                time::parse(text).ok_or_else(|| {
                    bad(format!(
                        "{name} is an RFC 3339 instant or a date, like 2026-12-01T09:30:00Z"
                    ))
                })
            })
            .transpose()
    };
    let limit = match params.limit.as_deref() {
        None => DEFAULT_LIMIT,
        Some(text) => text
            .parse::<u32>()
            .ok()
            .filter(|limit| (1..=MAX_LIMIT).contains(limit))
            .ok_or_else(|| bad(format!("limit is a whole number from 1 to {MAX_LIMIT}")))?,
    };
    let cursor = params.cursor.filter(|cursor| !cursor.is_empty());
    if let Some(cursor) = &cursor
        && uuid::Uuid::try_parse(cursor).is_err()
    {
        return Err(bad("cursor is the next of a previous page".to_owned()));
    }
    let short = |name: &str, text: Option<String>| -> Result<Option<String>, ApiError> {
        match text {
            Some(text) if text.chars().count() > 200 => {
                Err(bad(format!("{name} is at most 200 characters")))
            }
            other => Ok(other.filter(|text| !text.is_empty())),
        }
    };
    let filter = Filter {
        contact,
        actor: short("actor", params.actor)?,
        batch: short("batch", params.batch)?,
        since_ms: instant("since", &params.since)?,
        until_ms: instant("until", &params.until)?,
        before: cursor,
    };
    Ok((filter, limit))
}

async fn list(State(audit): State<Audit>, uri: Uri) -> Result<Json<Value>, ApiError> {
    if !audit.is_on() {
        return Err(ApiError::AuditOff);
    }
    let (filter, limit) = selection(&uri)?;
    let (entries, next) = audit.read(filter, limit).await.map_err(unavailable)?;
    let now = time::now_ms();
    let entries: Vec<Value> = entries.iter().map(|entry| as_json(&audit, entry, now)).collect();
    Ok(Json(json!({ "entries": entries, "next": next })))
}

fn unavailable(err: super::AuditError) -> ApiError {
    tracing::error!(%err, "audit: a read failed");
    ApiError::AuditUnavailable
}

/// What an entry's outcome reads: `updated`, the proxy's code, `pending` while
/// its update may still be in flight, `unknown` once it cannot be.
fn outcome_of(audit: &Audit, entry: &Entry, now: i64) -> String {
    match &entry.outcome {
        Some(outcome) => outcome.clone(),
        None if audit.is_abandoned(entry, now) => "unknown".to_owned(),
        None => "pending".to_owned(),
    }
}

fn as_json(audit: &Audit, entry: &Entry, now: i64) -> Value {
    let values =
        entry.new_values.as_deref().and_then(|text| serde_json::from_str::<Value>(text).ok());
    json!({
        "id": entry.id,
        "at": time::format(entry.at_ms),
        "actor": entry.actor,
        "client": entry.client,
        "requestId": entry.request_id,
        "identifier": {"kind": entry.identifier_kind, "value": entry.identifier_value},
        "changedFields": entry.changed_fields,
        "values": values,
        "batch": entry.batch,
        "outcome": outcome_of(audit, entry, now),
        "setterStatus": entry.setter_status,
        "latencyMs": entry.latency_ms,
    })
}

const CSV_HEADER: [&str; 13] = [
    "id",
    "at",
    "actor",
    "client",
    "request_id",
    "identifier_kind",
    "identifier_value",
    "changed_fields",
    "values",
    "batch",
    "outcome",
    "setter_status",
    "latency_ms",
];

fn csv_record(audit: &Audit, entry: &Entry, now: i64, out: &mut String) {
    let (status, latency) = (
        entry.setter_status.map(|s| s.to_string()).unwrap_or_default(),
        entry.latency_ms.map(|l| l.to_string()).unwrap_or_default(),
    );
    let (at, outcome, changed) =
        (time::format(entry.at_ms), outcome_of(audit, entry, now), entry.changed_fields.join(","));
    csv::write_record(
        out,
        [
            entry.id.as_str(),
            &at,
            entry.actor.as_deref().unwrap_or(""),
            &entry.client,
            &entry.request_id,
            &entry.identifier_kind,
            &entry.identifier_value,
            &changed,
            entry.new_values.as_deref().unwrap_or(""),
            entry.batch.as_deref().unwrap_or(""),
            &outcome,
            &status,
            &latency,
        ],
    );
}

/// The selection as CSV, streamed a page at a time: the whole trail of a
/// contact or a batch, however long, without holding it in memory.
async fn export(State(audit): State<Audit>, uri: Uri) -> Result<Response, ApiError> {
    if !audit.is_on() {
        return Err(ApiError::AuditOff);
    }
    let (filter, _) = selection(&uri)?;
    // The first page is read before the answer starts, so that a store that
    // cannot be read is a 503 and not a cut-off file.
    let (first, next) = audit.read(filter.clone(), CSV_PAGE).await.map_err(unavailable)?;
    let mut head = String::new();
    csv::write_record(&mut head, CSV_HEADER);
    let state = Some((audit, filter, Some(first), next, head));
    let pages = futures_util::stream::unfold(state, |state| async move {
        let (audit, mut filter, page, next, mut out) = state?;
        let (entries, next) = match page {
            Some(entries) => (entries, next),
            None => match audit.read(filter.clone(), CSV_PAGE).await {
                Ok(read) => read,
                Err(err) => {
                    tracing::error!(%err, "audit: the CSV export was cut short");
                    return Some((
                        Err(std::io::Error::other("the audit trail could not be read")),
                        None,
                    ));
                }
            },
        };
        let now = time::now_ms();
        for entry in &entries {
            csv_record(&audit, entry, now, &mut out);
        }
        let more = next.map(|cursor| {
            filter.before = Some(cursor.clone());
            (audit, filter, None, Some(cursor), String::new())
        });
        Some((Ok::<_, std::io::Error>(Bytes::from(out)), more))
    });
    let mut response = Body::from_stream(pages).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"contact-audit.csv\""),
    );
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn select(query: &str) -> Result<(Filter, u32), ApiError> {
        selection(&format!("/api/audit?{query}").parse().unwrap())
    }

    #[test]
    fn the_query_is_read_with_the_contracts_rules() {
        let (filter, limit) =
            select("contact=smsPhoneNumber:%2B1%20(555)%20123-4567&limit=5").unwrap();
        assert_eq!(filter.contact, Some(("smsPhoneNumber".to_owned(), "+15551234567".to_owned())));
        assert_eq!(limit, 5);
        let (filter, limit) =
            select("contact=id:101&since=2026-12-01&until=2026-12-01T10:00:00Z").unwrap();
        assert_eq!(filter.contact, Some(("id".to_owned(), "101".to_owned())));
        assert_eq!(limit, DEFAULT_LIMIT);
        assert!(filter.since_ms.unwrap() < filter.until_ms.unwrap());
    }

    #[test]
    fn a_bad_query_says_what_is_wrong() {
        for (query, says) in [
            ("contact=101", "KIND:VALUE"),
            ("contact=email:a@b.c", "none of id"),
            ("contact=id:abc", "whole number"),
            ("since=yesterday", "RFC 3339"),
            ("limit=0", "1 to 100"),
            ("limit=1000", "1 to 100"),
            ("cursor=abc", "next of a previous page"),
            ("nickname=x", "not one this route reads"),
        ] {
            let error = select(query).unwrap_err().to_string();
            assert!(error.contains(says), "{query}: {error}");
        }
    }
}

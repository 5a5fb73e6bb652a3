//! The proxy's API as an OpenAPI 3.1 document, served at `GET /api/openapi.json`.
//!
//! Generated from the code, not written beside it: the error codes and their
//! statuses come from [`ErrorCode::ALL`] and [`status_of`], the request's
//! schema from the contract's own limits and its time zone table, and the
//! codes each route may answer from one table here ([`ROUTES`]). The request
//! schema describes exactly what the contract accepts (no more, no less), so
//! that a tool generating requests from it (schemathesis, in `scripts/test`)
//! finds every disagreement: a schema-valid update refused, or an invalid one
//! accepted.

use serde_json::{Value, json};

use super::error::status_of;
use crate::contract::wire::ErrorCode;
use crate::contract::{Field, MAX_CONTACT_ID, timezone};

/// One operation: its path, method, summary and the error codes it may answer.
struct Route {
    path: &'static str,
    method: &'static str,
    summary: &'static str,
    errors: &'static [ErrorCode],
}

/// What a request to the audit trail may be refused with, besides [`ANY_ROUTE`]:
/// the checks it shares with updates, and the trail's own.
const AUDIT_ERRORS: &[ErrorCode] = &[
    ErrorCode::BadQuery,
    ErrorCode::Unauthorized,
    ErrorCode::OriginNotAllowed,
    ErrorCode::AuditOff,
    ErrorCode::RateLimited,
    ErrorCode::AuditUnavailable,
];

/// What any request may be refused with before it reaches a route (the last
/// three by the server itself, before the request is read: see `server`).
const ANY_ROUTE: [ErrorCode; 5] = [
    ErrorCode::BadHost,
    ErrorCode::HostNotAllowed,
    ErrorCode::HeadersTooLarge,
    ErrorCode::MalformedRequest,
    ErrorCode::TooManyConnections,
];

/// Every route the proxy serves (the widget's files aside), and what each may
/// answer besides its success and [`ANY_ROUTE`].
const ROUTES: [Route; 7] = [
    Route {
        path: "/api/contacts",
        method: "put",
        summary: "Update one Setter contact: checked with the contract, then forwarded with the key",
        errors: &[
            ErrorCode::BadJson,
            ErrorCode::MissingIdentifier,
            ErrorCode::NothingToUpdate,
            ErrorCode::InvalidField,
            ErrorCode::Unauthorized,
            ErrorCode::OriginNotAllowed,
            ErrorCode::Forbidden,
            ErrorCode::NotFound,
            ErrorCode::RequestTimeout,
            ErrorCode::MultipleMatches,
            ErrorCode::PayloadTooLarge,
            ErrorCode::UnsupportedMediaType,
            ErrorCode::RateLimited,
            ErrorCode::Internal,
            ErrorCode::UpstreamAuthFailed,
            ErrorCode::UpstreamError,
            ErrorCode::UpstreamTimeout,
            ErrorCode::BadBatch,
            ErrorCode::AuditUnavailable,
        ],
    },
    Route {
        path: "/api/audit",
        method: "get",
        summary: "The audit trail: who changed which contact to what, newest first, a page at a time",
        errors: AUDIT_ERRORS,
    },
    Route {
        path: "/api/audit.csv",
        method: "get",
        summary: "The same selection of the audit trail, every page, as CSV",
        errors: AUDIT_ERRORS,
    },
    Route { path: "/healthz", method: "get", summary: "Whether the proxy serves", errors: &[] },
    Route { path: "/api/openapi.json", method: "get", summary: "This document", errors: &[] },
    Route {
        path: "/sandbox/contacts",
        method: "get",
        summary: "The sandbox's contacts as they are now (contact-proxy --demo only)",
        errors: &[],
    },
    Route {
        path: "/sandbox/requests",
        method: "get",
        summary: "How many updates the sandbox received (contact-proxy --demo only)",
        errors: &[],
    },
];

/// The codes no documented operation answers: those of a request to a route
/// or with a method the API does not have. They are in the envelope's enum.
pub const UNROUTED: [ErrorCode; 2] = [ErrorCode::NoSuchRoute, ErrorCode::MethodNotAllowed];

/// The document. `sandbox_view`: whether `GET /sandbox/contacts` is served
/// (`--demo`).
pub fn document(sandbox_view: bool) -> Value {
    let mut paths = serde_json::Map::new();
    for route in ROUTES.iter().filter(|route| sandbox_view || !route.path.starts_with("/sandbox/"))
    {
        let mut responses = serde_json::Map::new();
        responses.insert("200".into(), success(route.path));
        for (status, codes) in by_status(route.errors.iter().chain(&ANY_ROUTE).copied()) {
            responses.insert(status.to_string(), error_response(&codes));
        }
        let mut operation = json!({
            "summary": route.summary,
            "operationId": operation_id(route),
            "responses": responses,
        });
        if route.method == "put" {
            operation["requestBody"] = json!({
                "required": true,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ContactUpdate"}}},
            });
            operation["parameters"] = json!([{
                "name": "X-Batch-Id", "in": "header", "required": false,
                "description": "The bulk importer's run the update belongs to",
                "schema": {"type": "string", "pattern": "^[A-Za-z0-9._-]{1,64}$"},
            }]);
        }
        if route.path.starts_with("/api/audit") {
            operation["parameters"] = audit_parameters(route.path == "/api/audit");
        }
        paths.insert(route.path.into(), json!({ route.method: operation }));
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "contact-proxy",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Updates Setter AI contacts without the API key reaching a browser. \
                Every error answer is the envelope below; a route or method this document does not \
                list answers no_such_route (404) or method_not_allowed (405).",
        },
        "paths": paths,
        "components": {"schemas": {
            "ContactUpdate": contact_update(),
            "Envelope": envelope(&ErrorCode::ALL),
            "AuditEntry": audit_entry(),
            "Success": {
                "type": "object",
                "required": ["message"],
                "additionalProperties": false,
                "properties": {"message": {"type": "string"}},
            },
        }},
    })
}

fn operation_id(route: &Route) -> String {
    let words: Vec<String> = route
        .path
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(|word| word[..1].to_ascii_uppercase() + &word[1..])
        .collect();
    format!("{}{}", route.method, words.concat())
}

/// `codes` grouped by their status, in status order.
fn by_status(codes: impl Iterator<Item = ErrorCode>) -> Vec<(u16, Vec<ErrorCode>)> {
    let mut groups: Vec<(u16, Vec<ErrorCode>)> = Vec::new();
    for code in codes {
        let status = status_of(code).as_u16();
        match groups.iter_mut().find(|(s, _)| *s == status) {
            Some((_, group)) => group.push(code),
            None => groups.push((status, vec![code])),
        }
    }
    groups.sort_by_key(|(status, _)| *status);
    groups
}

/// The audit routes' query: what to select (and, for the JSON, which page).
fn audit_parameters(paged: bool) -> Value {
    let text = |name: &str, description: &str| {
        json!({"name": name, "in": "query", "required": false, "description": description,
               "schema": {"type": "string", "minLength": 1, "maxLength": 200}})
    };
    // Empty means no filter, as a form with an empty input would send it.
    let filter = |name: &str, description: &str| {
        json!({"name": name, "in": "query", "required": false, "description": description,
               "schema": {"type": "string", "maxLength": 200}})
    };
    let mut parameters = vec![
        json!({"name": "contact", "in": "query", "required": false,
               "description": "KIND:VALUE, like id:101, waId:15551234567 or smsPhoneNumber:+15551234567",
               "schema": {"type": "string", "pattern": "^(id|waId|smsPhoneNumber):", "maxLength": 200}}),
        filter("actor", "The trusted user who made the changes (empty: anyone)"),
        filter("batch", "The bulk importer's run (empty: any, or none)"),
        text("since", "From this instant on (RFC 3339, or a date)"),
        text("until", "Up to this instant (RFC 3339, or a date)"),
    ];
    if paged {
        parameters.push(json!({"name": "limit", "in": "query", "required": false,
            "schema": {"type": "integer", "minimum": 1, "maximum": 100}}));
        parameters.push(json!({"name": "cursor", "in": "query", "required": false,
            "description": "The next of the previous page (empty: the first page)",
            "schema": {"anyOf": [{"type": "string", "format": "uuid"}, {"type": "string", "maxLength": 0}]}}));
    }
    parameters.into()
}

/// An entry of the audit trail, as `GET /api/audit` lists it.
fn audit_entry() -> Value {
    let text_or_null = json!({"type": ["string", "null"]});
    let int_or_null = json!({"type": ["integer", "null"]});
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["id", "at", "actor", "client", "requestId", "identifier", "changedFields",
                     "values", "batch", "outcome", "setterStatus", "latencyMs"],
        "properties": {
            "id": {"type": "string", "format": "uuid"},
            "at": {"type": "string", "format": "date-time"},
            "actor": text_or_null,
            "client": {"type": "string"},
            "requestId": {"type": "string"},
            "identifier": {"type": "object", "required": ["kind", "value"], "properties": {
                "kind": {"enum": ["id", "waId", "smsPhoneNumber"]}, "value": {"type": "string"}}},
            "changedFields": {"type": "array", "items": {"type": "string"}},
            "values": {"type": ["object", "null"]},
            "batch": text_or_null,
            "outcome": {"type": "string"},
            "setterStatus": int_or_null,
            "latencyMs": int_or_null,
        },
    })
}

fn success(path: &str) -> Value {
    let schema = match path {
        "/api/audit.csv" => {
            return json!({"description": "OK", "content": {"text/csv": {"schema": {"type": "string"}}}});
        }
        "/api/audit" => json!({
            "type": "object", "required": ["entries", "next"], "additionalProperties": false,
            "properties": {
                "entries": {"type": "array", "items": {"$ref": "#/components/schemas/AuditEntry"}},
                "next": {"type": ["string", "null"]},
            },
        }),
        "/api/contacts" => json!({"$ref": "#/components/schemas/Success"}),
        "/healthz" => json!({
            "type": "object", "required": ["status"], "additionalProperties": false,
            "properties": {"status": {"const": "ok"}},
        }),
        "/sandbox/contacts" => json!({"type": "array", "items": {"type": "object"}}),
        "/sandbox/requests" => json!({
            "type": "object",
            "required": ["received"],
            "properties": {"received": {"type": "integer", "minimum": 0}}
        }),
        _ => json!({"type": "object"}),
    };
    json!({"description": "OK", "content": {"application/json": {"schema": schema}}})
}

fn error_response(codes: &[ErrorCode]) -> Value {
    let mut response = json!({
        "description": codes.iter().map(|code| code.as_str()).collect::<Vec<_>>().join(", "),
        "content": {"application/json": {"schema": envelope(codes)}},
    });
    if codes.contains(&ErrorCode::RateLimited) {
        response["headers"] = json!({"Retry-After": {
            "description": "Seconds to wait before trying again",
            "schema": {"type": "string", "pattern": "^[0-9]+$"},
        }});
    }
    response
}

/// The error envelope with `code` one of `codes`.
fn envelope(codes: &[ErrorCode]) -> Value {
    json!({
        "type": "object",
        "required": ["error"],
        "additionalProperties": false,
        "properties": {"error": {
            "type": "object",
            "required": ["code", "message"],
            "additionalProperties": false,
            "properties": {
                "code": {"enum": codes.iter().map(|code| code.as_str()).collect::<Vec<_>>()},
                "message": {"type": "string", "minLength": 1},
                "fields": {"type": "object", "additionalProperties": {"type": "string"}},
            },
        }},
    })
}

/// Rust's `char::is_whitespace` (what `str::trim` removes), as a regex class.
const WHITE_SPACE: &str =
    r"\t\n\x0B\x0C\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000";
/// Rust's `char::is_control`: the C0 and C1 controls and DEL.
const CONTROL: &str = r"\x00-\x1F\x7F-\x9F";

/// The request, exactly as the contract accepts it (`contract::rules`).
fn contact_update() -> Value {
    // A name: any white space around (trimmed), then 1 to 100 characters
    // that are no control characters and neither start nor end in white space.
    let name = json!({
        "type": "string",
        "pattern": format!(
            "^[{WHITE_SPACE}]*[^{WHITE_SPACE}{CONTROL}](?:[^{CONTROL}]{{0,98}}[^{WHITE_SPACE}{CONTROL}])?[{WHITE_SPACE}]*$"
        ),
    });
    // A phone: spaces, dashes, dots and parentheses anywhere; what is left an
    // optional leading + and 7 to 15 digits.
    let phone = json!({
        "type": "string",
        "pattern": r"^[ ().-]*(?:\+[ ().-]*)?(?:[0-9][ ().-]*){7,15}$",
    });
    let label = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    let email = json!({
        "type": "string",
        "maxLength": 254,
        "pattern": format!("^[A-Za-z0-9.!#$%&'*+/=?^_`{{|}}~-]+@{label}(?:\\.{label})*$"),
    });
    let mut properties = serde_json::Map::new();
    for field in Field::ALL {
        let schema = match field {
            Field::Id => json!({"type": "integer", "minimum": 1, "maximum": MAX_CONTACT_ID}),
            Field::WaId => json!({"type": "string", "pattern": "^[0-9]{1,20}$"}),
            Field::SmsPhoneNumber | Field::PhoneNumber => phone.clone(),
            Field::FirstName | Field::LastName | Field::FullName => name.clone(),
            Field::Email => email.clone(),
            Field::DefaultTimeZone => json!({"enum": timezone::names().collect::<Vec<_>>()}),
            Field::Metadata => json!({
                "type": "object",
                "maxProperties": 50,
                "propertyNames": {"minLength": 1, "maxLength": 64, "pattern": format!("^[^{CONTROL}]*$")},
                "additionalProperties": {"type": "string", "maxLength": 1000},
            }),
        };
        properties.insert(field.as_str().into(), schema);
    }
    let required_one_of = |fields: &mut dyn Iterator<Item = Field>| -> Value {
        fields.map(|field| json!({"required": [field.as_str()]})).collect::<Vec<_>>().into()
    };
    json!({
        "type": "object",
        "description": "A contact, found by id, waId or smsPhoneNumber, and the fields to change; \
            a field left out stays as it is.",
        "properties": properties,
        "additionalProperties": false,
        "allOf": [
            {"anyOf": required_one_of(&mut Field::IDENTIFIERS.into_iter())},
            {"anyOf": required_one_of(&mut Field::ALL.into_iter().filter(|field| !field.is_identifier()))},
        ],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_in_the_envelope_and_every_documented_status_is_its_codes_own() {
        let document = document(true);
        let all = &document["components"]["schemas"]["Envelope"]["properties"]["error"]["properties"]
            ["code"]["enum"];
        let listed: Vec<&str> =
            all.as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
        let expected: Vec<&str> = ErrorCode::ALL.iter().map(|code| code.as_str()).collect();
        assert_eq!(listed, expected);

        let mut answered: Vec<ErrorCode> = UNROUTED.to_vec();
        for (path, item) in document["paths"].as_object().unwrap() {
            for (method, operation) in item.as_object().unwrap() {
                for (status, response) in operation["responses"].as_object().unwrap() {
                    if status == "200" {
                        continue;
                    }
                    let schema = &response["content"]["application/json"]["schema"];
                    let codes = schema["properties"]["error"]["properties"]["code"]["enum"]
                        .as_array()
                        .unwrap();
                    for code in codes {
                        let code = ErrorCode::from_wire(code.as_str().unwrap());
                        assert_eq!(status_of(code).as_str(), status, "{method} {path}: {code:?}");
                        answered.push(code);
                    }
                }
            }
        }
        for code in ErrorCode::ALL {
            assert!(answered.contains(&code), "{code:?} is answered by no documented route");
        }
    }

    #[test]
    fn the_sandbox_view_is_documented_only_where_it_is_served() {
        assert!(document(true)["paths"]["/sandbox/contacts"].is_object());
        assert!(document(false)["paths"]["/sandbox/contacts"].is_null());
    }
}

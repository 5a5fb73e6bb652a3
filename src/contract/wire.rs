//! The one envelope every proxy answer travels in, shared by the proxy (which
//! writes it) and the widget (which reads it).
//!
//! ```json
//! {"message": "Contact updated successfully"}
//! {"error": {"code": "invalid_field", "message": "…", "fields": {"email": "…"}}}
//! ```

use serde::{Deserialize, Serialize};

use super::FieldErrors;

/// The sentence of every successful update, as Setter words it.
pub const UPDATED: &str = "Contact updated successfully";

/// The body of a 200.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Success {
    pub message: String,
}

/// The body of every error answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorEnvelope {
    pub error: ErrorBody,
}

/// What went wrong: a stable code for programs, a sentence for people, and the
/// problems per field when there are any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub code: ErrorCode,
    #[serde(default)]
    pub message: String,
    #[serde(default, skip_serializing_if = "FieldErrors::is_empty")]
    pub fields: FieldErrors,
}

/// Every error code the proxy answers with. Stable: dashboards may match on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    // The update itself (400, 408, 413, 415).
    BadJson,
    MissingIdentifier,
    NothingToUpdate,
    InvalidField,
    PayloadTooLarge,
    UnsupportedMediaType,
    RequestTimeout,
    // Setter's answer about the contact (403, 404, 409).
    NotFound,
    MultipleMatches,
    Forbidden,
    // Setter itself (502, 504).
    UpstreamAuthFailed,
    UpstreamError,
    UpstreamTimeout,
    // The caller and the route (400, 401, 403, 404, 405, 421, 429, 431, 503).
    Unauthorized,
    OriginNotAllowed,
    RateLimited,
    NoSuchRoute,
    MethodNotAllowed,
    HostNotAllowed,
    BadHost,
    HeadersTooLarge,
    MalformedRequest,
    TooManyConnections,
    // The audit trail (400, 404, 503).
    BadBatch,
    BadQuery,
    AuditOff,
    AuditUnavailable,
    // A bug of ours (500).
    Internal,
    /// A code this build does not know yet (a newer proxy); read, never written.
    #[serde(other)]
    Unknown,
}

impl ErrorCode {
    /// Every code the proxy writes (all but `Unknown`).
    pub const ALL: [ErrorCode; 28] = [
        ErrorCode::BadJson,
        ErrorCode::MissingIdentifier,
        ErrorCode::NothingToUpdate,
        ErrorCode::InvalidField,
        ErrorCode::PayloadTooLarge,
        ErrorCode::UnsupportedMediaType,
        ErrorCode::RequestTimeout,
        ErrorCode::NotFound,
        ErrorCode::MultipleMatches,
        ErrorCode::Forbidden,
        ErrorCode::UpstreamAuthFailed,
        ErrorCode::UpstreamError,
        ErrorCode::UpstreamTimeout,
        ErrorCode::Unauthorized,
        ErrorCode::OriginNotAllowed,
        ErrorCode::RateLimited,
        ErrorCode::NoSuchRoute,
        ErrorCode::MethodNotAllowed,
        ErrorCode::HostNotAllowed,
        ErrorCode::BadHost,
        ErrorCode::HeadersTooLarge,
        ErrorCode::MalformedRequest,
        ErrorCode::TooManyConnections,
        ErrorCode::BadBatch,
        ErrorCode::BadQuery,
        ErrorCode::AuditOff,
        ErrorCode::AuditUnavailable,
        ErrorCode::Internal,
    ];

    /// The code spelled `wire`; `Unknown` for a code this build does not know,
    /// as serde reads it. For readers that do without serde's deserializer.
    pub fn from_wire(wire: &str) -> ErrorCode {
        ErrorCode::ALL.into_iter().find(|code| code.as_str() == wire).unwrap_or(ErrorCode::Unknown)
    }

    /// The code as it is spelled on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::BadJson => "bad_json",
            ErrorCode::MissingIdentifier => "missing_identifier",
            ErrorCode::NothingToUpdate => "nothing_to_update",
            ErrorCode::InvalidField => "invalid_field",
            ErrorCode::PayloadTooLarge => "payload_too_large",
            ErrorCode::UnsupportedMediaType => "unsupported_media_type",
            ErrorCode::RequestTimeout => "request_timeout",
            ErrorCode::NotFound => "not_found",
            ErrorCode::MultipleMatches => "multiple_matches",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::UpstreamAuthFailed => "upstream_auth_failed",
            ErrorCode::UpstreamError => "upstream_error",
            ErrorCode::UpstreamTimeout => "upstream_timeout",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::OriginNotAllowed => "origin_not_allowed",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::NoSuchRoute => "no_such_route",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::HostNotAllowed => "host_not_allowed",
            ErrorCode::BadHost => "bad_host",
            ErrorCode::HeadersTooLarge => "headers_too_large",
            ErrorCode::MalformedRequest => "malformed_request",
            ErrorCode::TooManyConnections => "too_many_connections",
            ErrorCode::BadBatch => "bad_batch",
            ErrorCode::BadQuery => "bad_query",
            ErrorCode::AuditOff => "audit_off",
            ErrorCode::AuditUnavailable => "audit_unavailable",
            ErrorCode::Internal => "internal",
            ErrorCode::Unknown => "unknown",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn as_str_and_from_wire_match_the_serde_spelling() {
        for code in ErrorCode::ALL {
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
            assert_eq!(serde_json::from_str::<ErrorCode>(&json).unwrap(), code);
            assert_eq!(ErrorCode::from_wire(code.as_str()), code);
        }
        assert_eq!(ErrorCode::from_wire("from_the_future"), ErrorCode::Unknown);
    }

    #[test]
    fn unknown_codes_read_as_unknown() {
        let code: ErrorCode = serde_json::from_str("\"from_the_future\"").unwrap();
        assert_eq!(code, ErrorCode::Unknown);
    }

    #[test]
    fn fields_are_left_out_when_empty() {
        let body = ErrorEnvelope {
            error: ErrorBody {
                code: ErrorCode::NotFound,
                message: "No contact.".into(),
                fields: FieldErrors::new(),
            },
        };
        assert_eq!(
            serde_json::to_string(&body).unwrap(),
            r#"{"error":{"code":"not_found","message":"No contact."}}"#
        );
    }
}

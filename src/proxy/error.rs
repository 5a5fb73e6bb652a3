//! Every way a proxy answer can go wrong, and the one envelope it travels in.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::upstream::UpstreamError;
use crate::contract::Rejection;
use crate::contract::wire::{ErrorBody, ErrorCode, ErrorEnvelope};

/// At most this many field problems are listed in one answer: a body of
/// thousands of unknown keys gets a short answer, not a long one.
pub const MAX_LISTED_FIELDS: usize = 20;

/// An error answer of the proxy. Its `Display` is the sentence the caller sees.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("Send the update as JSON, with the header Content-Type: application/json.")]
    UnsupportedMediaType,
    #[error("Send the update unencoded: a body with Content-Encoding {0} is not accepted.")]
    UnsupportedEncoding(String),
    #[error(
        "The update is larger than {} KiB; send only the fields that change.",
        max_bytes / 1024
    )]
    PayloadTooLarge { max_bytes: usize },
    #[error("The request body could not be read to its end; send the update again.")]
    UnreadableBody,
    #[error("The update took too long to arrive; check the connection and send it again.")]
    BodyTimeout,
    #[error(transparent)]
    Rejected(#[from] Rejection),
    #[error(transparent)]
    Upstream(#[from] UpstreamError),
    #[error(
        "Pages from {0} may not update contacts through this proxy; an administrator can allow that origin with --allowed-origin."
    )]
    OriginNotAllowed(String),
    #[error(
        "This proxy does not answer for {host:?}; it answers for {}. An administrator behind a gateway sets the names it is reached at with --public-origin.",
        own.join(", ")
    )]
    HostNotAllowed { host: String, own: Vec<String> },
    #[error("The request {0}; HTTP/1.1 requires exactly one.")]
    BadHost(&'static str),
    #[error(
        "Sign in through the dashboard first: this request did not come through the sign-in gateway (no {0} header)."
    )]
    Unauthorized(String),
    #[error(
        "The sign-in gateway's {header} header {why}, so the proxy cannot tell who you are; an administrator must make the gateway set it once, to one user."
    )]
    AmbiguousUser { header: String, why: &'static str },
    #[error("Too many updates from you in a short time; wait {retry_after_secs} s and try again.")]
    RateLimited { retry_after_secs: u64 },
    #[error("The request's headers are larger than this proxy accepts ({} KiB).", max_bytes / 1024)]
    HeadersTooLarge { max_bytes: usize },
    #[error("The request could not be read as HTTP/1.1.")]
    MalformedRequest,
    #[error("Too many connections from your address at once; close some and try again.")]
    TooManyConnections,
    #[error(
        "The X-Batch-Id header must be 1 to 64 letters, digits, dots, dashes or underscores; this update was not sent."
    )]
    BadBatch,
    #[error("The audit query is not valid: {0}.")]
    BadQuery(String),
    #[error("This proxy keeps no audit trail (--audit-db off).")]
    AuditOff,
    #[error(
        "The update was not sent: the audit trail cannot be written just now, and no change goes to Setter unrecorded. Try again in a minute; an administrator should check the audit store (--audit-db)."
    )]
    AuditUnavailable,
    #[error(
        "The proxy hit an unexpected error; try again, and tell an administrator if it keeps happening."
    )]
    Internal,
    #[error("There is nothing at {0}; contacts are updated with PUT /api/contacts.")]
    NoSuchRoute(String),
    #[error("{method} is not allowed on {path}; contacts are updated with PUT /api/contacts.")]
    MethodNotAllowed { method: String, path: String },
}

impl ApiError {
    /// The stable code on the wire.
    pub fn code(&self) -> ErrorCode {
        match self {
            ApiError::UnsupportedMediaType | ApiError::UnsupportedEncoding(_) => {
                ErrorCode::UnsupportedMediaType
            }
            ApiError::PayloadTooLarge { .. } => ErrorCode::PayloadTooLarge,
            ApiError::UnreadableBody => ErrorCode::BadJson,
            ApiError::BodyTimeout => ErrorCode::RequestTimeout,
            ApiError::Unauthorized(_) | ApiError::AmbiguousUser { .. } => ErrorCode::Unauthorized,
            ApiError::RateLimited { .. } => ErrorCode::RateLimited,
            ApiError::HeadersTooLarge { .. } => ErrorCode::HeadersTooLarge,
            ApiError::MalformedRequest => ErrorCode::MalformedRequest,
            ApiError::TooManyConnections => ErrorCode::TooManyConnections,
            ApiError::BadBatch => ErrorCode::BadBatch,
            ApiError::BadQuery(_) => ErrorCode::BadQuery,
            ApiError::AuditOff => ErrorCode::AuditOff,
            ApiError::AuditUnavailable => ErrorCode::AuditUnavailable,
            ApiError::Internal => ErrorCode::Internal,
            ApiError::Rejected(rejection) => rejection.code(),
            ApiError::Upstream(upstream) => upstream.code(),
            ApiError::OriginNotAllowed(_) => ErrorCode::OriginNotAllowed,
            ApiError::HostNotAllowed { .. } => ErrorCode::HostNotAllowed,
            ApiError::BadHost(_) => ErrorCode::BadHost,
            ApiError::NoSuchRoute(_) => ErrorCode::NoSuchRoute,
            ApiError::MethodNotAllowed { .. } => ErrorCode::MethodNotAllowed,
        }
    }

    /// The HTTP status, which follows from the code alone.
    pub fn status(&self) -> StatusCode {
        status_of(self.code())
    }

    /// When the caller may try again, for a `Retry-After` header.
    fn retry_after_secs(&self) -> Option<u64> {
        match self {
            ApiError::RateLimited { retry_after_secs } => Some(*retry_after_secs),
            ApiError::Upstream(upstream) => upstream.retry_after_secs(),
            _ => None,
        }
    }
}

/// The status of each code: one table, so no two places can disagree.
pub fn status_of(code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::BadJson
        | ErrorCode::MissingIdentifier
        | ErrorCode::NothingToUpdate
        | ErrorCode::InvalidField
        | ErrorCode::BadHost
        | ErrorCode::MalformedRequest
        | ErrorCode::BadBatch
        | ErrorCode::BadQuery => StatusCode::BAD_REQUEST,
        ErrorCode::Unauthorized => StatusCode::UNAUTHORIZED,
        ErrorCode::Forbidden | ErrorCode::OriginNotAllowed => StatusCode::FORBIDDEN,
        ErrorCode::NotFound | ErrorCode::NoSuchRoute | ErrorCode::AuditOff => StatusCode::NOT_FOUND,
        ErrorCode::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        ErrorCode::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
        ErrorCode::MultipleMatches => StatusCode::CONFLICT,
        ErrorCode::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ErrorCode::HostNotAllowed => StatusCode::MISDIRECTED_REQUEST,
        ErrorCode::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::HeadersTooLarge => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
        ErrorCode::UpstreamAuthFailed | ErrorCode::UpstreamError => StatusCode::BAD_GATEWAY,
        ErrorCode::UpstreamTimeout => StatusCode::GATEWAY_TIMEOUT,
        ErrorCode::TooManyConnections | ErrorCode::AuditUnavailable => {
            StatusCode::SERVICE_UNAVAILABLE
        }
        ErrorCode::Internal | ErrorCode::Unknown => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl ApiError {
    /// The envelope's body, with at most [`MAX_LISTED_FIELDS`] field problems
    /// (the message says how many there are in all).
    pub fn body(&self) -> ErrorEnvelope {
        let fields = match self {
            ApiError::Rejected(rejection) => rejection
                .fields()
                .iter()
                .take(MAX_LISTED_FIELDS)
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            _ => Default::default(),
        };
        ErrorEnvelope { error: ErrorBody { code: self.code(), message: self.to_string(), fields } }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status(), Json(self.body())).into_response();
        if let Some(seconds) = self.retry_after_secs() {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

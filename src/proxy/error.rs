//! Every way a proxy answer can go wrong, and the one envelope it travels in.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::upstream::UpstreamError;
use crate::contract::Rejection;
use crate::contract::wire::{ErrorBody, ErrorCode, ErrorEnvelope};

/// An error answer of the proxy. Its `Display` is the sentence the caller sees.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("Send the update as JSON, with the header Content-Type: application/json.")]
    UnsupportedMediaType,
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
        "Sign in through the dashboard first: this request did not come through the sign-in gateway (no {0} header)."
    )]
    Unauthorized(String),
    #[error("Too many updates from you in a short time; wait {retry_after_secs} s and try again.")]
    RateLimited { retry_after_secs: u64 },
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
            ApiError::UnsupportedMediaType => ErrorCode::UnsupportedMediaType,
            ApiError::PayloadTooLarge { .. } => ErrorCode::PayloadTooLarge,
            ApiError::UnreadableBody => ErrorCode::BadJson,
            ApiError::BodyTimeout => ErrorCode::RequestTimeout,
            ApiError::Unauthorized(_) => ErrorCode::Unauthorized,
            ApiError::RateLimited { .. } => ErrorCode::RateLimited,
            ApiError::Internal => ErrorCode::Internal,
            ApiError::Rejected(rejection) => rejection.code(),
            ApiError::Upstream(upstream) => upstream.code(),
            ApiError::OriginNotAllowed(_) => ErrorCode::OriginNotAllowed,
            ApiError::NoSuchRoute(_) => ErrorCode::NoSuchRoute,
            ApiError::MethodNotAllowed { .. } => ErrorCode::MethodNotAllowed,
        }
    }

    /// The HTTP status, which follows from the code alone.
    pub fn status(&self) -> StatusCode {
        status_of(self.code())
    }
}

/// The status of each code: one table, so no two places can disagree.
pub fn status_of(code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::BadJson
        | ErrorCode::MissingIdentifier
        | ErrorCode::NothingToUpdate
        | ErrorCode::InvalidField => StatusCode::BAD_REQUEST,
        ErrorCode::Unauthorized => StatusCode::UNAUTHORIZED,
        ErrorCode::Forbidden | ErrorCode::OriginNotAllowed => StatusCode::FORBIDDEN,
        ErrorCode::NotFound | ErrorCode::NoSuchRoute => StatusCode::NOT_FOUND,
        ErrorCode::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        ErrorCode::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
        ErrorCode::MultipleMatches => StatusCode::CONFLICT,
        ErrorCode::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ErrorCode::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::UpstreamAuthFailed | ErrorCode::UpstreamError => StatusCode::BAD_GATEWAY,
        ErrorCode::UpstreamTimeout => StatusCode::GATEWAY_TIMEOUT,
        ErrorCode::Internal | ErrorCode::Unknown => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let fields = match &self {
            ApiError::Rejected(rejection) => rejection.fields().clone(),
            _ => Default::default(),
        };
        let body = ErrorEnvelope {
            error: ErrorBody { code: self.code(), message: self.to_string(), fields },
        };
        let mut response = (self.status(), Json(body)).into_response();
        if let ApiError::RateLimited { retry_after_secs } = self {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
        }
        response
    }
}

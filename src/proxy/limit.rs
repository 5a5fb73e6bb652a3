//! Per-client rate limiting (tower_governor): a client may burst up to N updates,
//! then gets one more every 60/N seconds.
//!
//! The client is the signed-in user when `--trusted-user-header` is set (behind a
//! gateway every request comes from the gateway's address, so the address would
//! lump all operators together), otherwise the TCP peer's IP address.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::Request;
use axum::response::{IntoResponse, Response};
use governor::middleware::NoOpMiddleware;
use tower_governor::GovernorError;
use tower_governor::GovernorLayer;
use tower_governor::governor::GovernorConfigBuilder;
use tower_governor::key_extractor::KeyExtractor;

use super::error::ApiError;
use super::identity::Actor;

/// Who a request counts against.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Client {
    User(String),
    Address(IpAddr),
}

#[derive(Debug, Clone, Copy)]
pub(super) struct ClientKey;

impl KeyExtractor for ClientKey {
    type Key = Client;

    fn extract<T>(&self, request: &Request<T>) -> Result<Client, GovernorError> {
        if let Some(Actor(user)) = request.extensions().get::<Actor>() {
            return Ok(Client::User(user.clone()));
        }
        request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(peer)| Client::Address(peer.ip()))
            .ok_or(GovernorError::UnableToExtractKey)
    }
}

type Limiter = GovernorLayer<ClientKey, NoOpMiddleware, Body>;

/// The rate-limit layer for `per_minute` updates a minute per client, or `None`
/// when limiting is off (0). Spawns a task that forgets idle clients each minute,
/// so memory stays bounded by the clients of the last minute.
pub(super) fn layer(per_minute: u32) -> Option<Limiter> {
    if per_minute == 0 {
        return None;
    }
    let config = GovernorConfigBuilder::default()
        .key_extractor(ClientKey)
        .period(Duration::from_secs(60) / per_minute)
        .burst_size(per_minute)
        .finish()
        .expect("a non-zero period and burst");
    let limiter = config.limiter().clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        loop {
            tick.tick().await;
            limiter.retain_recent();
        }
    });
    Some(GovernorLayer::new(config).error_handler(refusal))
}

fn refusal(error: GovernorError) -> Response {
    match error {
        GovernorError::TooManyRequests { wait_time, .. } => {
            ApiError::RateLimited { retry_after_secs: wait_time.max(1) }.into_response()
        }
        GovernorError::UnableToExtractKey | GovernorError::Other { .. } => {
            tracing::error!(?error, "rate limiter could not identify the client");
            ApiError::Internal.into_response()
        }
    }
}

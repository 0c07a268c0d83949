//! The HTTP adapter of msohub: router, pages, JSON API, i18n, embedded assets.
//!
//! Handlers are thin: extract, call a [`msohub_service::Services`] use case,
//! render a template or JSON. Every feature contributes its own `router()`;
//! [`router`] merges them and wraps them in the layers every response needs
//! (security headers, compression, metrics, panic recovery). Nothing here
//! speaks SQL or renders documents.

mod assets;
mod error;
mod headers;
mod health;
mod i18n;
mod metrics;
mod page;
mod public;
mod staff;

pub use error::WebError;
pub use metrics::Metrics;

use axum::Router;
use msohub_service::Services;
use std::sync::Arc;
use std::time::Duration;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::timeout::TimeoutLayer;

/// Everything a handler may need, shared across requests.
#[derive(Clone)]
pub struct AppState {
    pub services: Services,
    pub metrics: Arc<Metrics>,
}

impl AppState {
    pub fn new(services: Services) -> AppState {
        AppState {
            services,
            metrics: Arc::new(Metrics::new()),
        }
    }
}

/// The whole application as one axum router.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(health::router())
        .merge(assets::router())
        .merge(public::router())
        .merge(staff::router())
        .fallback(error::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
        .layer(CatchPanicLayer::custom(error::panic_response))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            error::error_pages,
        ))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(30),
        ))
        // Fastest level: on a 2-core machine, CPU spent compressing is CPU not
        // spent answering; the fastest level still shrinks HTML by ~75 %.
        .layer(CompressionLayer::new().quality(CompressionLevel::Fastest))
        .layer(axum::middleware::from_fn(headers::security_headers))
        .with_state(state)
}

//! The HTTP adapter of msohub: router, pages, JSON API, i18n, embedded assets.
//!
//! Handlers are thin: extract, call a [`msohub_service::Services`] use case,
//! render a template or JSON. Every feature registers its routes in the one
//! route table ([`routes::Routes`]); [`router`] wraps them in the layers every
//! response needs (security headers, compression, authentication, CSRF
//! protection, error pages, metrics, panic recovery). Nothing here speaks SQL
//! or renders documents.

pub mod api;
mod api_error;
mod assets;
mod auth;
mod csrf;
mod directory;
mod error;
mod forms;
mod headers;
mod health;
mod i18n;
mod metrics;
mod page;
mod pages;
mod portal;
mod public;
pub mod public_cache;
pub mod query;
mod ratelimit;
mod report_file;
pub mod routes;

pub use error::WebError;

pub use metrics::{Metrics, metrics_router};

use axum::Router;
use msohub_service::Services;
use ratelimit::RateLimiter;
use std::sync::Arc;
use std::time::Duration;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::{CompressionLayer, CompressionLevel};

/// Settings of the HTTP layer.
#[derive(Debug, Clone, Default)]
pub struct WebConfig {
    /// Take the client address from `X-Forwarded-For` (behind a proxy).
    pub trust_proxy: bool,
    /// The public URL is https: cookies are `Secure`.
    pub public_url_is_https: bool,
    /// Where the app is reached from outside (for the sitemap's absolute
    /// addresses); empty: from the request's Host header.
    pub public_url: String,
}

/// Everything a handler may need, shared across requests.
#[derive(Clone)]
pub struct AppState {
    pub services: Services,
    pub metrics: Arc<Metrics>,
    pub config: Arc<WebConfig>,
    login_limiter: Arc<RateLimiter>,
    /// Rendered public pages and feeds, with their compressed bytes.
    pub public_cache: public_cache::PublicCache,
}

impl AppState {
    pub fn new(services: Services, config: WebConfig) -> AppState {
        AppState {
            services,
            metrics: Arc::new(Metrics::new()),
            config: Arc::new(config),
            public_cache: public_cache::PublicCache::default(),
            // Ten sign-in attempts at once per address, then one every six
            // seconds: plenty for an office behind one NAT address, far too
            // slow for guessing.
            login_limiter: Arc::new(RateLimiter::new(10, 10)),
        }
    }
}

/// Every route of the application, registered in one table.
fn route_table() -> routes::Routes {
    let r = routes::Routes::new();
    let r = health::routes(r);
    let r = assets::routes(r);
    let r = public::routes(r);
    let r = directory::routes(r);
    let r = pages::login::routes(r);
    let r = pages::dashboard::routes(r);
    let r = pages::finder::routes(r);
    let r = pages::account::routes(r);
    let r = pages::admin_users::routes(r);
    let r = pages::admin_settings::routes(r);
    let r = pages::admin_taxonomies::routes(r);
    let r = pages::audit::routes(r);
    let r = pages::export::routes(r);
    let r = pages::import::routes(r);
    let r = pages::privacy::routes(r);
    let r = pages::organisations::routes(r);
    let r = pages::organisation_logo::routes(r);
    let r = pages::persons::routes(r);
    let r = pages::invitations::routes(r);
    let r = pages::interactions::routes(r);
    let r = pages::needs::routes(r);
    let r = pages::offers::routes(r);
    let r = pages::tasks::routes(r);
    let r = pages::bodies::routes(r);
    let r = pages::events::routes(r);
    let r = pages::targets::routes(r);
    let r = pages::projects::routes(r);
    let r = pages::report::routes(r);
    let r = pages::beyond::routes(r);
    let r = pages::review::routes(r);
    let r = pages::ideas::routes(r);
    let r = pages::surveys::routes(r);
    let r = pages::mailings::routes(r);
    let r = portal::routes(r);
    api::routes(r)
}

/// Method and path of every route, for the access-matrix test.
pub fn route_list() -> Vec<routes::RouteSpec> {
    let mut list = route_table().into_parts().1;
    list.sort();
    list
}

/// Requests get 30 seconds, imports (reading, checking and writing up to
/// 200,000 rows) ten minutes; past the limit the answer is 503.
async fn time_limit(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let path = request.uri().path();
    let limit = if path.starts_with("/app/import") || path.starts_with("/api/v1/import") {
        Duration::from_secs(600)
    } else {
        Duration::from_secs(30)
    };
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            axum::response::IntoResponse::into_response(axum::http::StatusCode::SERVICE_UNAVAILABLE)
        }
    }
}

/// The whole application as one axum router.
pub fn router(state: AppState) -> Router {
    let (routes, _) = route_table().into_parts();
    // Layers run outside-in in the reverse order of these calls: security
    // headers wrap everything; authentication runs before CSRF and error
    // pages, so both can see who is asking.
    routes
        .fallback(error::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
        .layer(CatchPanicLayer::custom(error::panic_response))
        .layer(axum::middleware::from_fn(csrf::protect))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            error::error_pages,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::authenticate,
        ))
        // Outside authentication: a cached public page costs no session
        // lookup (requests with a session bypass the cache).
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            public_cache::serve,
        ))
        .layer(axum::middleware::from_fn(time_limit))
        // Fastest level: on a 2-core machine, CPU spent compressing is CPU not
        // spent answering; the fastest level still shrinks HTML by ~75 %.
        .layer(CompressionLayer::new().quality(CompressionLevel::Fastest))
        .layer(axum::middleware::from_fn(headers::security_headers))
        .with_state(state)
}

//! Cross-site request forgery protection for every state-changing request.
//!
//! Browsers say where a request comes from: `Sec-Fetch-Site` (all current
//! browsers) or, failing that, `Origin`. A POST/PUT/PATCH/DELETE whose origin
//! is another site is refused before it reaches a handler. Requests with
//! neither header do not come from a browser page (scripts, curl); they cannot
//! ride on a victim's cookies and pass.

use crate::api_error::ApiError;
use crate::error::error_marker_with;
use axum::extract::Request;
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Whether the request may change state, judged by where it comes from.
fn same_origin(request: &Request) -> bool {
    let headers = request.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return matches!(site, "same-origin" | "none");
    }
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        let host = headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let origin_host = origin
            .strip_prefix("https://")
            .or_else(|| origin.strip_prefix("http://"))
            .unwrap_or("");
        return !host.is_empty() && origin_host.eq_ignore_ascii_case(host);
    }
    true
}

pub async fn protect(request: Request, next: Next) -> Response {
    if is_safe(request.method()) || same_origin(&request) {
        return next.run(request).await;
    }
    tracing::warn!(path = %request.uri().path(), "cross-site request refused");
    if request.uri().path().starts_with("/api/") {
        return ApiError::new(StatusCode::FORBIDDEN, "cross-site request refused").into_response();
    }
    error_marker_with(StatusCode::FORBIDDEN, "csrf")
}

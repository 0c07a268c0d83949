//! Security headers on every response.
//!
//! The Content-Security-Policy allows scripts, styles and fonts only from our
//! own origin: no inline scripts, no inline styles, no framing. Templates must
//! therefore never use `style=` or `onclick=` attributes.

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; \
frame-ancestors 'none'";

/// Whether a path answers with what only its signed-in user may see: the
/// staff area, the sign-in pages and the API (but for its public parts).
fn is_private(path: &str) -> bool {
    let public_api = path.starts_with("/api/v1/hsds/") || path == "/api/v1/openapi.json";
    path == "/app"
        || path.starts_with("/app/")
        || path.starts_with("/login")
        || path == "/logout"
        || path == "/portal"
        || path.starts_with("/portal/")
        || (path.starts_with("/api/") && !public_api)
}

pub async fn security_headers(request: Request, next: Next) -> Response {
    let private = is_private(request.uri().path());
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    // Nothing of the staff area or the API is kept by the browser or a
    // proxy, unless a handler chose otherwise (a logo named by its
    // immutable file id); the generic `no-cache` of rendered pages is not
    // such a choice.
    if private
        && headers
            .get(header::CACHE_CONTROL)
            .is_none_or(|v| v.as_bytes() == b"no-cache")
    {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    let set = |headers: &mut axum::http::HeaderMap, name: HeaderName, value: &'static str| {
        headers
            .entry(name)
            .or_insert_with(|| HeaderValue::from_static(value));
    };
    set(headers, header::CONTENT_SECURITY_POLICY, CSP);
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(headers, header::X_FRAME_OPTIONS, "DENY");
    set(
        headers,
        header::REFERRER_POLICY,
        "strict-origin-when-cross-origin",
    );
    set(
        headers,
        HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=(), payment=()",
    );
    set(
        headers,
        HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    response
}

/// A `Content-Disposition` value for a file name of any characters
/// (RFC 6266): an ASCII fallback and the exact name as `filename*`.
pub fn disposition(kind: &str, file_name: &str) -> HeaderValue {
    let ascii: String = file_name
        .chars()
        .map(|c| {
            if (c.is_ascii_graphic() || c == ' ') && !matches!(c, '"' | '\\' | ';') {
                c
            } else {
                '_'
            }
        })
        .collect();
    // RFC 5987's attr-char, everything else percent-encoded.
    let mut encoded = String::new();
    for b in file_name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    HeaderValue::from_str(&format!(
        "{kind}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_encoded_for_any_characters() {
        let v = disposition("attachment", "Sachbericht „2020/21“ \"x\".pdf");
        let v = v.to_str().unwrap();
        assert!(v.starts_with(
            "attachment; filename=\"Sachbericht _2020/21_ _x_.pdf\"; filename*=UTF-8''"
        ));
        assert!(!v.contains('\n'));
        assert!(disposition("inline", "a\r\nSet-Cookie: x").to_str().is_ok());
    }

    #[test]
    fn staff_and_api_paths_are_private_public_ones_not() {
        for p in [
            "/app/",
            "/app",
            "/api/v1/organisations",
            "/login",
            "/logout",
            "/portal",
            "/portal/de/",
            "/portal/ar/me/data.json",
        ] {
            assert!(is_private(p), "{p}");
        }
        for p in [
            "/de/search",
            "/api/v1/hsds/services",
            "/api/v1/openapi.json",
            "/feeds/events.ics",
        ] {
            assert!(!is_private(p), "{p}");
        }
    }
}

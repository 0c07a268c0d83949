//! A cache of the public pages, feeds and exports, in memory, with the
//! compressed bytes: a hit costs a hash lookup and a copy of a reference,
//! never a database query, a template or a compression.
//!
//! What is cached: successful anonymous `GET`s of `/{lang}/…` (the six
//! directory languages), `/feeds/…`, `/sitemap.xml` and `/api/v1/hsds/…`.
//! Not cached: requests with a session (signed-in staff always see the
//! current state), responses that set cookies, anything but 200.
//!
//! Invalidation follows the change feed: an entry is valid while the
//! search indexes' feed position is the one it was rendered at. Every write
//! on any node appends to the audit log; the follower (every half second)
//! applies it to the indexes and moves the position on, which empties the
//! cache. So a change shows publicly within about a second, and never
//! before the search index has it too. Entries also expire after a minute,
//! for what changes with time alone ("upcoming" events, today's date).

use crate::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use msohub_domain::Language;
use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// Entries older than this are rendered again.
const MAX_AGE: Duration = Duration::from_secs(60);
/// Bodies larger than this are served but not kept.
const MAX_BODY: usize = 8 * 1024 * 1024;
/// All kept bytes together (identity + gzip); beyond this nothing new is
/// kept until the next invalidation.
const MAX_TOTAL: usize = 64 * 1024 * 1024;

struct Entry {
    position: Option<i64>,
    at: Instant,
    headers: HeaderMap,
    identity: Bytes,
    gzip: Option<Bytes>,
    etag: HeaderValue,
}

#[derive(Default)]
struct Inner {
    entries: HashMap<String, Arc<Entry>>,
    bytes: usize,
    /// The feed position the entries were rendered at.
    position: Option<i64>,
}

/// The cache; cheap to clone, shared by all requests.
#[derive(Clone, Default)]
pub struct PublicCache {
    inner: Arc<RwLock<Inner>>,
    /// One lock per page being rendered: when many visitors ask for a page
    /// that is not kept (after a change, or at start), one renders it and
    /// the others wait for that instead of rendering it too.
    rendering: Arc<std::sync::Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>>,
}

impl PublicCache {
    fn get(&self, key: &str, position: Option<i64>) -> Option<Arc<Entry>> {
        let inner = self.inner.read().ok()?;
        let entry = inner.entries.get(key)?;
        (entry.position == position && entry.at.elapsed() < MAX_AGE).then(|| entry.clone())
    }

    fn put(&self, key: String, entry: Entry) {
        let Ok(mut inner) = self.inner.write() else {
            return;
        };
        if inner.position != entry.position {
            // The feed moved on: everything kept so far is stale.
            inner.entries.clear();
            inner.bytes = 0;
            inner.position = entry.position;
        }
        let size = entry_size(&entry);
        if size > MAX_TOTAL {
            return;
        }
        if let Some(old) = inner.entries.remove(&key) {
            inner.bytes -= entry_size(&old);
        }
        if inner.bytes + size > MAX_TOTAL {
            // Full: drop what has expired; if that is not enough (many
            // distinct addresses, e.g. a crawler or random queries), start
            // afresh rather than stop keeping pages.
            inner.entries.retain(|_, e| e.at.elapsed() < MAX_AGE);
            inner.bytes = inner.entries.values().map(|e| entry_size(e)).sum();
            if inner.bytes + size > MAX_TOTAL {
                inner.entries.clear();
                inner.bytes = 0;
            }
        }
        inner.bytes += size;
        inner.entries.insert(key, Arc::new(entry));
    }

    fn render_lock(&self, key: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut map = self
            .rendering
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        map.entry(key.to_owned()).or_default().clone()
    }

    fn render_done(&self, key: &str) {
        let mut map = self
            .rendering
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // Only when nobody else holds or waits for it (the map's own
        // reference is the one left); locks abandoned by cancelled
        // requests go with the next one done.
        if map.get(key).is_some_and(|l| Arc::strong_count(l) == 1) {
            map.remove(key);
        }
        if map.len() > 1024 {
            map.retain(|_, l| Arc::strong_count(l) > 1);
        }
    }

    /// Number of entries kept (for tests and metrics).
    pub fn len(&self) -> usize {
        self.inner.read().map_or(0, |i| i.entries.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn entry_size(e: &Entry) -> usize {
    e.identity.len() + e.gzip.as_ref().map_or(0, Bytes::len)
}

/// Holds a page's render lock and releases it however the request ends
/// (also when the client goes away or the timeout cancels it).
struct Rendering<'a> {
    cache: &'a PublicCache,
    key: &'a str,
    guard: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl Drop for Rendering<'_> {
    fn drop(&mut self) {
        drop(self.guard.take());
        self.cache.render_done(self.key);
    }
}

/// Whether a path is public and the same for every visitor.
fn cacheable_path(path: &str) -> bool {
    if path.starts_with("/feeds/") || path == "/sitemap.xml" || path.starts_with("/api/v1/hsds/") {
        return true;
    }
    let mut parts = path.splitn(3, '/');
    parts.next();
    matches!(
        (parts.next(), parts.next()),
        (Some(lang), Some(_)) if lang.parse::<Language>().is_ok()
    )
}

fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|part| {
            let mut pieces = part.trim().split(';');
            let name = pieces.next().unwrap_or("").trim();
            let refused = pieces.any(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
                    .is_some_and(|q| q == 0.0)
            });
            (name.eq_ignore_ascii_case("gzip") || name == "*") && !refused
        })
}

fn gzip(bytes: &[u8]) -> Option<Bytes> {
    if bytes.len() < 512 {
        return None;
    }
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).ok()?;
    let out = enc.finish().ok()?;
    (out.len() < bytes.len()).then(|| Bytes::from(out))
}

fn respond(entry: &Entry, request_headers: &HeaderMap, hit: bool) -> Response {
    let gzipped = entry.gzip.is_some() && accepts_gzip(request_headers);
    // The gzip bytes are another representation: another strong ETag.
    let etag = if gzipped {
        HeaderValue::from_str(&format!(
            "{}-gz\"",
            entry.etag.to_str().unwrap_or("\"0").trim_end_matches('"')
        ))
        .unwrap_or_else(|_| entry.etag.clone())
    } else {
        entry.etag.clone()
    };
    let fresh = request_headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|tag| {
            let tag = tag.trim();
            tag == "*" || tag.trim_start_matches("W/") == etag.to_str().unwrap_or("")
        });
    let mut response = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        match (&entry.gzip, gzipped) {
            (Some(gz), true) => {
                let mut r = Response::new(Body::from(gz.clone()));
                r.headers_mut()
                    .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
                r
            }
            _ => Response::new(Body::from(entry.identity.clone())),
        }
    };
    let headers = response.headers_mut();
    for (name, value) in &entry.headers {
        if !fresh || name != header::CONTENT_TYPE {
            headers.insert(name, value.clone());
        }
    }
    headers.insert(header::ETAG, etag);
    headers.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    headers.insert(
        "x-cache",
        HeaderValue::from_static(if hit { "hit" } else { "miss" }),
    );
    response
}

/// The middleware: answers from the cache, or renders, keeps and answers.
pub async fn serve(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let signed_in = crate::i18n::cookie(request.headers(), crate::auth::SESSION_COOKIE).is_some();
    if request.method() != Method::GET || signed_in || !cacheable_path(path) {
        return next.run(request).await;
    }
    let key = request
        .uri()
        .path_and_query()
        .map_or_else(|| path.to_owned(), |pq| pq.as_str().to_owned());
    let position = state.services.feed_position();
    let request_headers = request.headers().clone();
    if let Some(entry) = state.public_cache.get(&key, position) {
        return respond(&entry, &request_headers, true);
    }
    let mut rendering = Rendering {
        cache: &state.public_cache,
        key: &key,
        guard: None,
    };
    rendering.guard = Some(state.public_cache.render_lock(&key).lock_owned().await);
    if let Some(entry) = state.public_cache.get(&key, position) {
        return respond(&entry, &request_headers, true);
    }
    let response = render(
        &state,
        key.clone(),
        position,
        &request_headers,
        next,
        request,
    )
    .await;
    drop(rendering);
    response
}

/// Renders a page that is not kept, keeps it (if it may be) and answers.
async fn render(
    state: &AppState,
    key: String,
    position: Option<i64>,
    request_headers: &HeaderMap,
    next: Next,
    request: Request,
) -> Response {
    let response = next.run(request).await;
    if response.status() != StatusCode::OK
        || response.headers().contains_key(header::SET_COOKIE)
        || response.headers().contains_key(header::CONTENT_ENCODING)
    {
        return response;
    }
    let (parts, body) = response.into_parts();
    // Only bodies of a known, keepable size are buffered; others (a very
    // large sitemap, a stream) pass through untouched.
    use axum::body::HttpBody;
    if body.size_hint().upper().is_none_or(|n| n > MAX_BODY as u64) {
        return Response::from_parts(parts, body);
    }
    let Ok(identity) = axum::body::to_bytes(body, MAX_BODY).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let digest = {
        use sha2::Digest;
        let hash = sha2::Sha256::digest(&identity);
        format!("\"{}\"", hex_prefix(&hash))
    };
    let mut headers = parts.headers;
    headers.remove(header::CONTENT_LENGTH);
    let entry = Entry {
        position,
        at: Instant::now(),
        gzip: gzip(&identity),
        etag: HeaderValue::from_str(&digest).unwrap_or(HeaderValue::from_static("\"0\"")),
        headers,
        identity,
    };
    let response = respond(&entry, request_headers, false);
    state.public_cache.put(key, entry);
    response
}

fn hex_prefix(hash: &[u8]) -> String {
    hash.iter().take(12).map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_paths_are_cached() {
        for p in [
            "/de/",
            "/ar/search",
            "/uk/organisations/x",
            "/feeds/events.ics",
            "/sitemap.xml",
            "/api/v1/hsds/services",
        ] {
            assert!(cacheable_path(p), "{p}");
        }
        for p in [
            "/",
            "/de",
            "/app/",
            "/api/v1/offers",
            "/login",
            "/xx/search",
            "/static/x.css",
        ] {
            assert!(!cacheable_path(p), "{p}");
        }
    }

    #[test]
    fn gzip_is_chosen_unless_refused() {
        let mut h = HeaderMap::new();
        assert!(!accepts_gzip(&h));
        h.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_static("br, gzip;q=0.8"),
        );
        assert!(accepts_gzip(&h));
        h.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_static("gzip;q=0, br"),
        );
        assert!(!accepts_gzip(&h));
    }
}

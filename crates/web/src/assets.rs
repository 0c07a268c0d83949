//! Static assets (CSS, fonts, scripts), embedded in the binary.
//!
//! Nothing is loaded from a CDN. Each asset is addressed as
//! `/static/{path}?v={hash}`; a request carrying the current hash is cached
//! by browsers for a year, so a new release never serves a stale file.
//! Compressible assets are gzipped once, on first request, and the compressed
//! bytes are kept: they are never recompressed per request.

use crate::query::Query;
use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rust_embed::Embed;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::Write;
use std::sync::{LazyLock, OnceLock};

#[derive(Embed)]
#[folder = "static/"]
struct Static;

struct Asset {
    bytes: Vec<u8>,
    mime: &'static str,
    etag: String,
    gzip: OnceLock<Option<Vec<u8>>>,
}

impl Asset {
    fn compressible(&self) -> bool {
        self.mime.starts_with("text/")
            || self.mime == "application/javascript"
            || self.mime == "application/json"
            || self.mime == "image/svg+xml"
    }

    /// The gzipped bytes, computed once; `None` when gzip would not help.
    fn gzipped(&self) -> Option<&[u8]> {
        self.gzip
            .get_or_init(|| {
                if !self.compressible() || self.bytes.len() < 256 {
                    return None;
                }
                let mut enc =
                    flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
                enc.write_all(&self.bytes).ok()?;
                let out = enc.finish().ok()?;
                (out.len() < self.bytes.len()).then_some(out)
            })
            .as_deref()
    }
}

static ASSETS: LazyLock<HashMap<String, Asset>> = LazyLock::new(|| {
    Static::iter()
        .filter_map(|path| {
            let file = Static::get(&path)?;
            let bytes = file.data.into_owned();
            let etag = hex::encode(&Sha256::digest(&bytes)[..8]);
            let mime = mime_for(&path);
            Some((
                path.into_owned(),
                Asset {
                    bytes,
                    mime,
                    etag,
                    gzip: OnceLock::new(),
                },
            ))
        })
        .collect()
});

fn mime_for(path: &str) -> &'static str {
    match path.rsplit('.').next() {
        Some("css") => "text/css; charset=utf-8",
        Some("js" | "mjs") => "application/javascript",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("woff2") => "font/woff2",
        Some("woff") => "font/woff",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("txt") => "text/plain; charset=utf-8",
        _ => mime_guess::from_path(path)
            .first_raw()
            .unwrap_or("application/octet-stream"),
    }
}

/// The URL of an embedded asset, carrying its content hash.
pub fn asset_url(path: &str) -> String {
    match ASSETS.get(path) {
        Some(asset) => format!("/static/{path}?v={}", asset.etag),
        None => {
            tracing::error!(path, "template refers to a missing asset");
            format!("/static/{path}")
        }
    }
}

pub fn routes(r: crate::routes::Routes) -> crate::routes::Routes {
    r.get("/static/{*path}", serve)
}

#[derive(serde::Deserialize)]
struct Version {
    v: Option<String>,
}

async fn serve(
    Path(path): Path<String>,
    Query(version): Query<Version>,
    headers: HeaderMap,
) -> Response {
    let Some(asset) = ASSETS.get(path.as_str()) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let etag = format!("\"{}\"", asset.etag);
    let cache = if version.v.as_deref() == Some(asset.etag.as_str()) {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=300"
    };
    let mut out = HeaderMap::new();
    out.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    out.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if let Ok(value) = HeaderValue::from_str(&etag) {
        out.insert(header::ETAG, value);
    }
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
    {
        return (StatusCode::NOT_MODIFIED, out).into_response();
    }
    out.insert(header::CONTENT_TYPE, HeaderValue::from_static(asset.mime));
    let accepts_gzip = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|e| e.trim().starts_with("gzip")));
    if accepts_gzip && let Some(gz) = asset.gzipped() {
        out.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        return (out, gz).into_response();
    }
    (out, asset.bytes.as_slice()).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_asset_has_a_hashed_url_and_a_type() {
        assert!(!ASSETS.is_empty());
        for (path, asset) in ASSETS.iter() {
            assert!(asset_url(path).contains("?v="), "{path}");
            assert_eq!(asset.etag.len(), 16);
        }
        assert_eq!(mime_for("a/b.css"), "text/css; charset=utf-8");
        assert_eq!(mime_for("f.woff2"), "font/woff2");
    }

    /// Every status a chart colours has its colour (an SVG shape without
    /// a fill is drawn black; axe does not see that).
    #[test]
    fn every_need_status_has_a_chart_colour() {
        let css = String::from_utf8_lossy(&ASSETS.get("msohub.css").expect("embedded").bytes)
            .into_owned();
        for status in msohub_domain::work::NeedStatus::ALL {
            let rule = format!(".chart__bar--{} {{ fill:", status.code());
            assert!(css.contains(&rule), "msohub.css lacks `{rule}`");
        }
    }

    #[test]
    fn gzip_is_computed_once_and_smaller() {
        let css = ASSETS
            .get("msohub.css")
            .expect("our stylesheet is embedded");
        let first = css.gzipped().expect("css compresses").as_ptr();
        let second = css.gzipped().expect("still there").as_ptr();
        assert_eq!(first, second, "the compressed bytes are cached");
        assert!(css.gzipped().unwrap().len() < css.bytes.len());
    }
}

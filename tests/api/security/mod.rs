//! The security suite: every finding of the outside review (issue 15)
//! replayed as an attack that must fail, on SQLite and PostgreSQL.
//!
//! - `outbound`: server-side request forgery through the OParl import and
//!   the geocoder;
//! - `publication`: unlisted organisations named in feeds, links leaked by
//!   HSDS;
//! - `erasure`: Art. 17 reaching every personal or free-text column and the
//!   public surfaces at once;
//! - `signin`: account enumeration, lockout of others, second-factor
//!   guessing and replay, forced password change through the API;
//! - `limits`: parsing bombs and uploads by those who may not upload;
//! - `headers`: caching, feeds, metrics, sitemap, file names, paging;
//! - `writes`: every write route, derived from the route table, refused
//!   to the anonymous, representatives and auditors.

mod erasure;
mod headers;
mod limits;
mod outbound;
mod publication;
mod signin;
mod writes;

/// A server on loopback answering every request with `answer(path)`;
/// returns its base URL and the paths it was asked for.
pub async fn stand_in<F>(answer: F) -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>)
where
    F: Fn(&str, &str) -> axum::response::Response + Clone + Send + Sync + 'static,
{
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let (b, l) = (base.clone(), log.clone());
    let handler = move |uri: axum::http::Uri| {
        let (answer, b, l) = (answer.clone(), b.clone(), l.clone());
        async move {
            l.lock().unwrap().push(uri.path().to_owned());
            answer(&b, uri.path())
        }
    };
    tokio::spawn(async move {
        axum::serve(listener, axum::Router::new().fallback(handler))
            .await
            .unwrap()
    });
    (base, log)
}

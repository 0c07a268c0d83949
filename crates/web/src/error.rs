//! Errors, rendered once: handlers return [`WebError`]; the [`error_pages`]
//! middleware, which knows the request, turns it into an HTML page in the
//! user's language, or into `application/problem+json` under `/api/`.
//!
//! Policy: 4xx errors say what is wrong; a 500 says only that something went
//! wrong. The cause of an internal error is logged with its whole chain and
//! never sent to the client.

use crate::AppState;
use crate::i18n::request_language;
use crate::page::{PageContext, render};
use askama::Template;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use msohub_domain::Language;

/// What a handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error(transparent)]
    Service(#[from] msohub_service::Error),
}

/// Marks a response whose body the error middleware should render; the
/// optional key picks a more specific explanation (`error-{key}-text`).
#[derive(Clone, Copy, Debug)]
struct ErrorPage(Option<&'static str>);

fn error_marker(status: StatusCode) -> Response {
    let mut response = status.into_response();
    response.extensions_mut().insert(ErrorPage(None));
    response
}

/// An error page with a specific explanation.
pub fn error_marker_with(status: StatusCode, key: &'static str) -> Response {
    let mut response = status.into_response();
    response.extensions_mut().insert(ErrorPage(Some(key)));
    response
}

/// The one status of a service error, for pages and the API alike.
pub(crate) fn status_of(err: &msohub_service::Error) -> StatusCode {
    use msohub_service::Error as S;
    match err {
        S::NotFound => StatusCode::NOT_FOUND,
        S::Forbidden => StatusCode::FORBIDDEN,
        S::Conflict(_) => StatusCode::CONFLICT,
        S::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
        S::TooManyAttempts(_) => StatusCode::TOO_MANY_REQUESTS,
        S::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let status = match &self {
            WebError::NotFound => StatusCode::NOT_FOUND,
            WebError::Forbidden => StatusCode::FORBIDDEN,
            WebError::Service(err) => {
                if let msohub_service::Error::Internal(cause) = err {
                    log_internal(cause.as_ref());
                }
                status_of(err)
            }
        };
        error_marker(status)
    }
}

/// Logs an internal error with its cause chain.
pub(crate) fn log_internal(err: &(dyn std::error::Error + 'static)) {
    let mut chain = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        chain.push_str(": ");
        chain.push_str(&cause.to_string());
        source = cause.source();
    }
    tracing::error!(error = %chain, "internal error");
}

/// Fallback for routes that do not exist.
pub async fn not_found() -> Response {
    error_marker(StatusCode::NOT_FOUND)
}

/// Turns a panic in a handler into a 500 page (the panic itself is logged).
pub fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_owned());
    tracing::error!(panic = %message, "a request handler panicked");
    error_marker(StatusCode::INTERNAL_SERVER_ERROR)
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorTemplate {
    page: PageContext,
    status: u16,
    heading: String,
    text: String,
}

/// Middleware: renders marked error responses for the request they answer.
pub async fn error_pages(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let lang = request_language(&request);
    let actor = request
        .extensions()
        .get::<crate::auth::Auth>()
        .and_then(|a| a.actor.clone());
    let response = next.run(request).await;
    let status = response.status();
    // A handler's marked error, or the router's bare 405 (a form's address
    // typed into the browser): both get the page, never a blank answer.
    let key = match response.extensions().get::<ErrorPage>().copied() {
        Some(ErrorPage(key)) => key,
        None if status == StatusCode::METHOD_NOT_ALLOWED => None,
        None => return response,
    };
    let allow = response.headers().get(axum::http::header::ALLOW).cloned();
    let mut answer = if path.starts_with("/api/") {
        problem(status)
    } else {
        error_page(&state, lang, &path, status, key, actor.as_ref()).await
    };
    if let Some(allow) = allow {
        answer
            .headers_mut()
            .insert(axum::http::header::ALLOW, allow);
    }
    answer
}

async fn error_page(
    state: &AppState,
    lang: Language,
    path: &str,
    status: StatusCode,
    key: Option<&'static str>,
    actor: Option<&msohub_service::Actor>,
) -> Response {
    let office = state
        .services
        .office()
        .await
        .map(|o| o.name)
        .unwrap_or_default();
    let mut template = error_template(lang, path, status, office, actor);
    if let Some(key) = key {
        template.text = template.page.tr.t(&format!("error-{key}-text"));
    }
    render(status, &template)
}

fn error_template(
    lang: Language,
    path: &str,
    status: StatusCode,
    office: String,
    actor: Option<&msohub_service::Actor>,
) -> ErrorTemplate {
    let code = match status.as_u16() {
        c @ (403 | 404 | 405 | 409 | 422 | 429 | 503) => c,
        c if c < 500 => 400,
        _ => 500,
    };
    let mut page = match actor {
        Some(actor) if path.starts_with("/app/") => {
            PageContext::staff(lang, path, String::new(), office, actor)
        }
        _ => PageContext::plain(lang, path, String::new(), office),
    };
    page.title = page.tr.t(&format!("error-{code}-title"));
    ErrorTemplate {
        heading: page.title.clone(),
        text: page.tr.t1(&format!("error-{code}-text"), "path", path),
        status: status.as_u16(),
        page,
    }
}

/// An RFC 9457 problem document (English, for machines and developers).
fn problem(status: StatusCode) -> Response {
    let body = serde_json::json!({
        "type": "about:blank",
        "title": status.canonical_reason().unwrap_or("Error"),
        "status": status.as_u16(),
    });
    (
        status,
        [("content-type", "application/problem+json")],
        body.to_string(),
    )
        .into_response()
}

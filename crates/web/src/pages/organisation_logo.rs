//! An organisation's logo in the staff area: shown on the profile page,
//! uploaded there (multipart form), removed. Type and size are checked by
//! the service from the bytes; a rejected upload changes nothing and says
//! why at the field.

use crate::auth::CurrentUser;
use crate::query::Query;
use crate::routes::Routes;
use crate::{AppState, WebError};
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use msohub_service::StoredFile;
use uuid::Uuid;

pub fn routes(r: Routes) -> Routes {
    r.get("/app/organisations/{id}/logo", show)
        .upload("POST", "/app/organisations/{id}/logo", upload, UPLOAD_LIMIT)
        .post("/app/organisations/{id}/logo/delete", remove)
}

/// Uploads up to this size are read and refused with a message when too
/// large for a logo (1 MiB); beyond it the connection is closed early.
pub const UPLOAD_LIMIT: usize = 8 * 1024 * 1024;

#[derive(serde::Deserialize)]
pub struct LogoQuery {
    v: Option<Uuid>,
}

/// The image, cached for a year when the URL names the current file.
pub fn image_response(file: StoredFile, requested: Option<Uuid>) -> Response {
    let immutable = requested == Some(file.id);
    let mut response = file_response(file, "inline");
    if immutable {
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, max-age=31536000, immutable"),
        );
    }
    response
}

/// A stored file as a download (`attachment`) or for display (`inline`).
/// Files never change, but access may be withdrawn: not cached.
pub fn file_response(file: StoredFile, disposition: &str) -> Response {
    let cache = "private, no-cache";
    let disposition = crate::headers::disposition(disposition, &file.file_name);
    let mut response = file.data.into_response();
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&file.content_type) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    headers.insert(header::CONTENT_DISPOSITION, disposition);
    response
}

async fn show(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    Query(q): Query<LogoQuery>,
) -> Result<Response, WebError> {
    let file = state.services.organisation_logo(&actor, id).await?;
    Ok(image_response(file, q.v))
}

/// What an upload form sent: the file, its name, the version.
struct Upload {
    bytes: Vec<u8>,
    name: String,
    version: Option<i32>,
}

/// Reads the form; a body over the limit counts as a file too large.
async fn read_upload(mut form: Multipart) -> Result<Upload, &'static str> {
    let mut upload = Upload {
        bytes: Vec::new(),
        name: String::new(),
        version: None,
    };
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => {
                return Err("file-too-large");
            }
            Err(_) => return Err("file-unreadable"),
        };
        match field.name() {
            Some("logo") => {
                upload.name = field.file_name().unwrap_or_default().to_owned();
                upload.bytes = match field.bytes().await {
                    Ok(b) => b.to_vec(),
                    Err(e) if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => {
                        return Err("file-too-large");
                    }
                    Err(_) => return Err("file-unreadable"),
                };
            }
            Some("version") => {
                upload.version = field.text().await.ok().and_then(|t| t.trim().parse().ok());
            }
            _ => {}
        }
    }
    Ok(upload)
}

async fn upload(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, WebError> {
    // The role first: a caller without the right learns nothing more.
    actor.require(msohub_domain::Permission::WriteStaffArea)?;
    let back =
        |q: &str| Ok(Redirect::to(&format!("/app/organisations/{id}?{q}#logo")).into_response());
    let Ok(form) = form else {
        return back("logo_error=file-unreadable");
    };
    let upload = match read_upload(form).await {
        Ok(u) => u,
        Err(rule) => return back(&format!("logo_error={rule}")),
    };
    let Some(version) = upload.version else {
        return back("logo_error=file-unreadable");
    };
    match state
        .services
        .set_organisation_logo(&actor, id, Some(version), &upload.name, upload.bytes)
        .await
    {
        Ok(_) => back("done=logo-saved"),
        Err(msohub_service::Error::Conflict(_)) => back("done=stale"),
        Err(msohub_service::Error::Validation(fields)) => {
            let rule = fields.first().map_or("file-type", |f| f.rule.as_str());
            back(&format!("logo_error={rule}"))
        }
        Err(e) => Err(e.into()),
    }
}

async fn remove(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    axum::Form(f): axum::Form<crate::forms::VersionForm>,
) -> Result<Response, WebError> {
    match state
        .services
        .remove_organisation_logo(&actor, id, f.version)
        .await
    {
        Ok(_) => {
            Ok(Redirect::to(&format!("/app/organisations/{id}?done=logo-removed")).into_response())
        }
        Err(msohub_service::Error::Conflict(_)) => {
            Ok(Redirect::to(&format!("/app/organisations/{id}?done=stale")).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

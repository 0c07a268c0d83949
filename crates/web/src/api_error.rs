//! Errors of the JSON API as RFC 9457 problem details
//! (`application/problem+json`), in English, with the fields at fault.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use msohub_service::{Error, FieldError};

#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    detail: String,
    fields: Vec<FieldError>,
    retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, detail: impl Into<String>) -> ApiError {
        ApiError {
            status,
            detail: detail.into(),
            fields: Vec::new(),
            retry_after: None,
        }
    }

    pub fn unauthorized(detail: &str) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, detail)
    }

    pub fn bad_request(detail: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, detail)
    }
}

impl From<Error> for ApiError {
    fn from(err: Error) -> Self {
        let status = crate::error::status_of(&err);
        match err {
            Error::NotFound => ApiError::new(status, "no such record"),
            Error::Forbidden => ApiError::new(status, "your role does not allow this"),
            Error::Conflict(msg) => ApiError::new(status, msg),
            Error::Validation(fields) => {
                let detail = fields
                    .iter()
                    .map(|f| format!("{}: {}", f.field, f.rule))
                    .collect::<Vec<_>>()
                    .join("; ");
                ApiError {
                    status,
                    detail: format!("invalid input ({detail})"),
                    fields,
                    retry_after: None,
                }
            }
            Error::TooManyAttempts(seconds) => ApiError {
                retry_after: Some(seconds.max(1) as u64),
                ..ApiError::new(
                    status,
                    format!(
                        "too many failed attempts; try again in {} s",
                        seconds.max(1)
                    ),
                )
            },
            Error::Internal(cause) => {
                crate::error::log_internal(cause.as_ref());
                ApiError::new(status, "internal error; it has been logged")
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = serde_json::json!({
            "type": "about:blank",
            "title": self.status.canonical_reason().unwrap_or("Error"),
            "status": self.status.as_u16(),
            "detail": self.detail,
        });
        if !self.fields.is_empty() {
            body["errors"] = serde_json::json!(
                self.fields
                    .iter()
                    .map(|f| serde_json::json!({ "field": f.field, "rule": f.rule }))
                    .collect::<Vec<_>>()
            );
        }
        let mut response = (self.status, body.to_string()).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let Some(seconds) = self.retry_after
            && let Ok(v) = HeaderValue::from_str(&seconds.to_string())
        {
            headers.insert(header::RETRY_AFTER, v);
        }
        if self.status == StatusCode::UNAUTHORIZED {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

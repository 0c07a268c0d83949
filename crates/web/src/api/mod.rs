//! The JSON API under `/api/v1/`: the same use cases as the pages, for
//! scripts and other software. Authentication by session cookie or
//! `Authorization: Bearer <token>`; errors as problem+json.

mod accounts;
mod audit;
mod organisations;
mod persons;

use crate::AppState;
use crate::api_error::ApiError;
use crate::routes::Routes;
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;

pub fn routes(r: Routes) -> Routes {
    let r = accounts::routes(r);
    let r = organisations::routes(r);
    let r = persons::routes(r);
    audit::routes(r)
}

/// A JSON body whose rejections are problem+json with a clear detail.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(rejection) => Err(ApiError::new(rejection.status(), rejection.body_text())),
        }
    }
}

//! `/api/v1/hsds/organizations` and `/api/v1/hsds/services`: the public
//! registry and offers in the Human Services Data Specification (HSDS 3.0),
//! for directories and referral tools. No sign-in; only public data.

use crate::AppState;
use crate::api_error::ApiError;
use crate::pages::organisations::query_param;
use crate::routes::Routes;
use axum::Json;
use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};
use msohub_service::hsds::{HsdsOrganizationPage, HsdsServicePage, paging};

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/hsds/organizations", organizations)
        .get("/api/v1/hsds/services", services)
}

fn page_params(raw: Option<&str>) -> Result<(u64, u64), ApiError> {
    let num = |name: &str| -> Result<Option<u64>, ApiError> {
        match query_param(raw, name) {
            None => Ok(None),
            Some(v) => v
                .parse()
                .map(Some)
                .map_err(|_| ApiError::from(msohub_service::Error::field(name, "filter-invalid"))),
        }
    };
    Ok(paging(num("page")?, num("per_page")?))
}

/// Organizations (HSDS)
///
/// Organisations listed in the public directory, with the parts they chose
/// to show; by name. `page` from 1, `per_page` up to 500 (default 100).
#[utoipa::path(get, operation_id = "hsdsOrganizations", path = "/api/v1/hsds/organizations", tag = "hsds",
    params(("page" = Option<u64>, Query), ("per_page" = Option<u64>, Query)),
    security(()),
    responses((status = 200, description = "One page", body = HsdsOrganizationPage)))]
pub(super) async fn organizations(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let (page, per_page) = page_params(raw.as_deref())?;
    Ok(Json(state.services.hsds_organizations(page, per_page).await?).into_response())
}

/// Services (HSDS)
///
/// Public offers of organisations listed in the public directory, with
/// schedules (iCalendar parts), languages, costs and locations.
#[utoipa::path(get, operation_id = "hsdsServices", path = "/api/v1/hsds/services", tag = "hsds",
    params(("page" = Option<u64>, Query), ("per_page" = Option<u64>, Query)),
    security(()),
    responses((status = 200, description = "One page", body = HsdsServicePage)))]
pub(super) async fn services(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let (page, per_page) = page_params(raw.as_deref())?;
    Ok(Json(state.services.hsds_services(page, per_page).await?).into_response())
}

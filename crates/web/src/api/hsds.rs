//! `/api/v1/hsds/organizations` and `/api/v1/hsds/services`: the public
//! registry and offers in the Human Services Data Specification (HSDS 3.0),
//! for directories and referral tools. No sign-in; only public data.

use crate::AppState;
use crate::api_error::ApiError;
use crate::query::Query;
use crate::routes::Routes;
use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use msohub_service::hsds::{HsdsOrganizationPage, HsdsServicePage, paging};

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/hsds/organizations", organizations)
        .get("/api/v1/hsds/services", services)
}

/// The page asked for.
#[derive(serde::Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub(super) struct PageParams {
    /// The page, from 1 (default 1).
    #[param(minimum = 1, maximum = 1_000_000)]
    #[serde(deserialize_with = "super::contract::one_to::<1_000_000, _>")]
    page: Option<u32>,
    /// Records per page, 1 to 500 (default 100); others are refused (422).
    #[param(minimum = 1, maximum = 500)]
    #[serde(deserialize_with = "super::contract::limit")]
    per_page: Option<u32>,
}

impl PageParams {
    fn paging(&self) -> (u64, u64) {
        paging(self.page.map(u64::from), self.per_page.map(u64::from))
    }
}

/// Organizations (HSDS)
///
/// Organisations listed in the public directory, with the parts they chose
/// to show; by name. `page` from 1, `per_page` up to 500 (default 100).
#[utoipa::path(get, operation_id = "hsdsOrganizations", path = "/api/v1/hsds/organizations", tag = "hsds",
    params(PageParams),
    security(()),
    responses((status = 200, description = "One page", body = HsdsOrganizationPage)))]
pub(super) async fn organizations(
    State(state): State<AppState>,
    Query(p): Query<PageParams>,
) -> Result<Response, ApiError> {
    let (page, per_page) = p.paging();
    Ok(Json(state.services.hsds_organizations(page, per_page).await?).into_response())
}

/// Services (HSDS)
///
/// Public offers of organisations listed in the public directory, with
/// schedules (iCalendar parts), languages, costs and locations.
#[utoipa::path(get, operation_id = "hsdsServices", path = "/api/v1/hsds/services", tag = "hsds",
    params(PageParams),
    security(()),
    responses((status = 200, description = "One page", body = HsdsServicePage)))]
pub(super) async fn services(
    State(state): State<AppState>,
    Query(p): Query<PageParams>,
) -> Result<Response, ApiError> {
    let (page, per_page) = p.paging();
    Ok(Json(state.services.hsds_services(page, per_page).await?).into_response())
}

//! Coordinates for an organisation's address from the geocoder named in the
//! settings (a Nominatim-compatible `search` endpoint). Off by default: no
//! address leaves the machine unless an admin configured a geocoder.

use crate::outbound::{Limits, Outbound, OutboundError};
use crate::{Actor, Error, FieldError, Services};
use msohub_domain::Permission;
use uuid::Uuid;

fn problem(rule: &str) -> Error {
    Error::Validation(vec![FieldError {
        field: "coordinates".into(),
        rule: rule.into(),
    }])
}

#[derive(serde::Deserialize)]
struct Place {
    lat: String,
    lon: String,
}

impl Services {
    /// Looks the organisation's address up and stores the coordinates
    /// (`version` must be current). Clear messages when the geocoder is
    /// off, the address is missing, nothing was found or the geocoder does
    /// not answer; nothing changes then.
    pub async fn geocode_organisation(
        &self,
        actor: &Actor,
        id: Uuid,
        version: i32,
    ) -> Result<crate::organisations::Organisation, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let org = self.get_organisation(actor, id).await?;
        // A stale request is refused before any address leaves the server.
        if org.version != version {
            return Err(Error::stale());
        }
        let endpoint = self.geocoder().await?.url;
        if endpoint.is_empty() {
            return Err(problem("geocoder-off"));
        }
        let parts: Vec<&str> = [&org.street, &org.postcode, &org.city]
            .into_iter()
            .filter_map(|p| p.as_deref())
            .filter(|p| !p.trim().is_empty())
            .collect();
        if org.city.as_deref().is_none_or(|c| c.trim().is_empty()) && org.postcode.is_none() {
            return Err(problem("address-missing"));
        }
        let query = parts.join(", ");
        let http = self.outbound(Limits::GEOCODER, "geocoder").await?;
        let (lat, lon) = lookup(&http, &endpoint, &query).await?;
        self.set_organisation_coordinates(actor, id, version, lat, lon)
            .await
    }
}

async fn lookup(http: &Outbound, endpoint: &str, query: &str) -> Result<(f64, f64), Error> {
    let places: Vec<Place> = http
        .get_json(
            endpoint,
            &[("q", query), ("format", "jsonv2"), ("limit", "1")],
        )
        .await
        .map_err(|e| {
            tracing::warn!(error = %e, "geocoder request failed");
            problem(match e {
                OutboundError::Refused => "outbound-refused",
                _ => "geocoder-unreachable",
            })
        })?;
    let place = places.first().ok_or_else(|| problem("address-not-found"))?;
    match (place.lat.parse::<f64>(), place.lon.parse::<f64>()) {
        (Ok(lat), Ok(lon)) if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) => {
            Ok((lat, lon))
        }
        _ => Err(problem("geocoder-unreachable")),
    }
}

//! What the public may see of the registry. This is the one place that
//! decides it; the directory pages, the search index, the iCal feeds, the
//! sitemap, the JSON-LD and the HSDS export all ask here.
//!
//! Invariants:
//! - an organisation is visible only while it is listed (`is_public`) and
//!   not deleted; an unlisted organisation is not even named (not as an
//!   event's organiser, not as an offer's provider);
//! - of a listed organisation, each part (description, address, contact,
//!   details, languages) shows only when the organisation chose to show it;
//!   its members' origins, its register entry, member count and internal
//!   notes never show;
//! - an offer is visible while it is marked public, not deleted, not ended
//!   and its organisation is listed; its online link only when it takes
//!   place online.

use crate::offers::Offer;
use crate::organisations::Organisation;
use chrono::{DateTime, Utc};
use msohub_store::organisations::OrganisationRow;
use std::collections::HashMap;
use uuid::Uuid;

/// The public parts of a listed organisation; built only by [`Published::of`].
#[derive(Debug, Clone)]
pub(crate) struct Published {
    pub id: Uuid,
    pub name: String,
    pub alternate_names: Vec<String>,
    pub kind: String,
    /// Empty unless shown.
    pub description: String,
    pub street: Option<String>,
    pub postcode: Option<String>,
    pub city: Option<String>,
    pub district: Option<String>,
    pub position: Option<(f64, f64)>,
    pub website: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub founding_year: Option<i32>,
    pub legal_status: Option<String>,
    /// Empty unless shown.
    pub languages: Vec<String>,
    pub topics: Vec<String>,
    pub target_groups: Vec<String>,
    pub updated_at: DateTime<Utc>,
}

/// Whether an organisation is listed in the directory.
pub(crate) fn listed(is_public: bool, deleted: bool) -> bool {
    is_public && !deleted
}

/// [`listed`] for a stored row.
pub(crate) fn row_listed(row: &OrganisationRow) -> bool {
    listed(row.is_public, row.deleted_at.is_some())
}

impl Published {
    /// The public parts; `None` unless the organisation is listed.
    pub(crate) fn of(o: &Organisation) -> Option<Published> {
        if !listed(o.is_public, o.deleted) {
            return None;
        }
        let shows = |part: &str| o.public_parts.iter().any(|p| p == part);
        let address = shows("address");
        let contact = shows("contact");
        let details = shows("details");
        Some(Published {
            id: o.id,
            name: o.name.clone(),
            alternate_names: o.alternate_names.clone(),
            kind: o.kind.clone(),
            description: if shows("description") {
                o.description.clone()
            } else {
                String::new()
            },
            street: o.street.clone().filter(|_| address),
            postcode: o.postcode.clone().filter(|_| address),
            city: o.city.clone().filter(|_| address),
            district: o.district.clone().filter(|_| address),
            position: match (o.latitude, o.longitude) {
                (Some(lat), Some(lon)) if address => Some((lat, lon)),
                _ => None,
            },
            website: o.website.clone().filter(|_| contact),
            email: o.email.clone().filter(|_| contact),
            phone: o.phone.clone().filter(|_| contact),
            founding_year: o.founding_year.filter(|_| details),
            legal_status: o.legal_status.clone().filter(|_| details),
            languages: if shows("languages") {
                o.languages.clone()
            } else {
                Vec::new()
            },
            topics: o.topics.clone(),
            target_groups: o.target_groups.clone(),
            updated_at: o.updated_at,
        })
    }

    /// [`Published::of`] for a stored row.
    pub(crate) fn of_row(row: &OrganisationRow) -> Option<Published> {
        if !row_listed(row) {
            return None;
        }
        Published::of(&Organisation::from(row))
    }

    /// The one-line address, where it is shown.
    pub(crate) fn address(&self) -> Option<String> {
        join_address(
            self.street.as_deref().unwrap_or(""),
            self.postcode.as_deref().unwrap_or(""),
            self.city.as_deref().unwrap_or(""),
        )
    }
}

/// "Street, postcode city" of the parts that are not empty.
pub(crate) fn join_address(street: &str, postcode: &str, city: &str) -> Option<String> {
    let place = format!("{postcode} {city}").trim().to_owned();
    let joined = [street, place.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    (!joined.is_empty()).then_some(joined)
}

/// Whether an offer is visible, given whether its organisation is listed.
pub(crate) fn offer_visible(
    is_public: bool,
    deleted: bool,
    status: &str,
    organisation_listed: bool,
) -> bool {
    organisation_listed && is_public && !deleted && status != "ended"
}

/// The store filter for the offers [`offer_visible`] lets through, for
/// lists read straight from the database (HSDS, sitemap).
pub(crate) fn published_offers() -> msohub_store::offers::OfferFilter {
    msohub_store::offers::OfferFilter {
        public: Some(true),
        public_organisations_only: true,
        statuses: vec!["active".to_owned(), "paused".to_owned()],
        ..Default::default()
    }
}

/// An offer's online link, only where it takes place online.
pub(crate) fn offer_online_link(o: &Offer) -> Option<String> {
    (o.location_kind == "online" && !o.online_link.is_empty()).then(|| o.online_link.clone())
}

/// Where an offer takes place, as the public may see it: its own place,
/// or its organisation's address where the organisation shows it.
pub(crate) fn offer_address(o: &Offer, org: &Published) -> Option<String> {
    match o.location_kind.as_str() {
        "other" => join_address(&o.street, &o.postcode, &o.city),
        "organisation" => org.address(),
        _ => None,
    }
}

/// The names of those of `ids` that are listed: the only organisations a
/// public page or feed may name.
pub(crate) async fn listed_names(
    conn: &impl msohub_store::sea_orm_connection::ConnectionTrait,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, String>, msohub_store::Error> {
    Ok(msohub_store::organisations::find_many(conn, ids)
        .await?
        .into_iter()
        .filter(row_listed)
        .map(|r| (r.id, r.name))
        .collect())
}

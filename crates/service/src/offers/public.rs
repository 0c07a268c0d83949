//! Offers as the public directory shows them: public fields only, in the
//! visitor's language where a translation exists.

use super::*;

/// An offer as the public directory shows it: public fields only, in the
/// visitor's language where a translation exists. The contact person is
/// never shown here.
#[derive(Debug, Clone, Serialize)]
pub struct PublicOffer {
    pub id: Uuid,
    pub title: String,
    pub description: String,
    /// The text is the German original.
    pub untranslated: bool,
    pub organisation: Ref,
    /// An `offer_category` code.
    pub category: String,
    pub languages: Vec<String>,
    /// free, amount, on_request
    pub cost_kind: String,
    pub cost_text: String,
    pub registration_required: bool,
    pub registration_how: String,
    pub accessibility: String,
    /// Street, postcode and city, where the place is public.
    pub address: Option<String>,
    pub online_link: String,
    pub schedule_text: String,
    pub starts_time: Option<String>,
    pub ends_time: Option<String>,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
    /// active, paused, ended
    pub status: String,
    pub updated_at: DateTime<Utc>,
}

impl Services {
    /// A public offer of an organisation listed in the directory; `None`
    /// otherwise.
    pub async fn public_offer_by_id(
        &self,
        id: Uuid,
        lang: &str,
    ) -> Result<Option<PublicOffer>, Error> {
        let conn = self.store.conn();
        let Some(row) = store::find_offer(conn, id).await? else {
            return Ok(None);
        };
        let Some(org) = msohub_store::organisations::find(conn, row.organisation_id)
            .await?
            .as_ref()
            .and_then(crate::publication::Published::of_row)
        else {
            return Ok(None);
        };
        if !crate::publication::offer_visible(
            row.is_public,
            row.deleted_at.is_some(),
            &row.status,
            true,
        ) {
            return Ok(None);
        }
        let o = self.assemble_offer(row).await?;
        let address = crate::publication::offer_address(&o, &org);
        let online_link = crate::publication::offer_online_link(&o).unwrap_or_default();
        let translated = o.translations.get(lang).filter(|t| !t.title.is_empty());
        Ok(Some(PublicOffer {
            id: o.id,
            title: translated.map_or(o.title.clone(), |t| t.title.clone()),
            description: translated
                .map(|t| t.description.clone())
                .filter(|d| !d.is_empty())
                .unwrap_or(o.description.clone()),
            untranslated: lang != "de" && translated.is_none(),
            organisation: Ref {
                id: org.id,
                name: org.name,
            },
            category: o.category,
            languages: o.languages,
            cost_kind: o.cost_kind,
            cost_text: o.cost_text,
            registration_required: o.registration_required,
            registration_how: o.registration_how,
            accessibility: o.accessibility,
            address,
            online_link,
            schedule_text: o.schedule_text,
            starts_time: o.starts_time,
            ends_time: o.ends_time,
            valid_from: o.valid_from,
            valid_to: o.valid_to,
            status: o.status,
            updated_at: o.updated_at,
        }))
    }

    /// Ids and change times of the public offers of listed organisations
    /// (for the sitemap).
    pub async fn public_offer_ids(&self) -> Result<Vec<(Uuid, DateTime<Utc>)>, Error> {
        let filter = crate::publication::published_offers();
        let (rows, _) = store::list_offers(self.store.conn(), &filter, 0, 50_000).await?;
        Ok(rows.into_iter().map(|r| (r.id, r.updated_at)).collect())
    }
}

/// Inserts a checked offer and records it, inside the caller's transaction.
pub(crate) async fn insert_offer_in(
    tx: &msohub_store::Tx,
    actor: &Actor,
    row: OfferRow,
) -> Result<OfferRow, Error> {
    let row = store::insert_offer(tx, row).await?;
    audit::record(
        tx,
        actor,
        "offer",
        row.id,
        "create",
        None,
        Some(audit_view(&row)),
    )
    .await?;
    Ok(row)
}

/// Stores a checked offer over `before` (same version) and records it.
pub(crate) async fn update_offer_in(
    tx: &msohub_store::Tx,
    actor: &Actor,
    before: &OfferRow,
    row: OfferRow,
    action: &str,
) -> Result<OfferRow, Error> {
    let row = store::update_offer(tx, row).await?;
    audit::record(
        tx,
        actor,
        "offer",
        row.id,
        action,
        Some(audit_view(before)),
        Some(audit_view(&row)),
    )
    .await?;
    Ok(row)
}

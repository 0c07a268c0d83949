//! The public directory: search across the listed organisations, their
//! public offers and the upcoming public events, with facets; the public
//! page of an organisation; the events of a month for the calendar.
//!
//! Everything here reads only what is public. Organisations and offers come
//! from the public search index, which holds nothing else (see
//! [`crate::search`]); records are then loaded and cut down to their public
//! parts again, so a stale index entry cannot show more than the record
//! itself allows now.

use crate::events::PublicEvent;
use crate::interactions::Ref;
use crate::offers::Offer;
use crate::publication::{Published, join_address, offer_address, offer_visible};
use crate::{Error, Services};
use chrono::{DateTime, NaiveDate, Utc};
use msohub_store::events::EventFilter;
use msohub_store::offers::{self as offer_store, OfferFilter};
use msohub_store::organisations as org_store;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// Longest search text used; the rest is ignored (and the page says so).
pub const MAX_QUERY_CHARS: usize = 200;

/// Results per page.
pub const PAGE_SIZE: usize = 20;

/// Pages beyond this one are not served: nobody reads page 500, and deep
/// pages cost the index more.
pub const MAX_PAGE: usize = 100;

/// What a visitor asked for. Empty lists mean "any".
#[derive(Debug, Clone, Default)]
pub struct DirectoryQuery {
    pub text: String,
    /// `organisation`, `offer`
    pub entities: Vec<String>,
    pub categories: Vec<String>,
    pub languages: Vec<String>,
    pub districts: Vec<String>,
    pub target_groups: Vec<String>,
    pub free_only: bool,
    pub online_only: bool,
    /// 1-based.
    pub page: usize,
}

/// One result: an organisation or an offer, as much as the directory may
/// show of it.
#[derive(Debug, Clone, Serialize)]
pub struct DirectoryHit {
    /// `organisation` or `offer`
    pub entity: &'static str,
    pub id: Uuid,
    pub title: String,
    /// The start of the description (plain text).
    pub summary: String,
    /// The title and summary are the German original.
    pub untranslated: bool,
    /// For offers: who offers it.
    pub organisation: Option<Ref>,
    /// Organisation kind or offer category code.
    pub kind: String,
    pub district: Option<String>,
    pub address: Option<String>,
    pub languages: Vec<String>,
    pub free: bool,
    pub online: bool,
    /// Where a map may put it (only where the address is public).
    pub position: Option<(f64, f64)>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct DirectoryResults {
    /// The text actually searched for (cut to [`MAX_QUERY_CHARS`]).
    pub text: String,
    pub truncated: bool,
    pub total: usize,
    pub page: usize,
    pub pages: usize,
    pub hits: Vec<DirectoryHit>,
    /// Facet → (value, count), values with a count only; counts ignore the
    /// facet's own filter (see `msohub-search`).
    pub facets: BTreeMap<String, Vec<(String, u64)>>,
    /// Upcoming public events whose title or description has every word
    /// (only on the first page).
    pub events: Vec<PublicEvent>,
    /// When nothing was found: the text spelled so that something is
    /// ("Did you mean …?").
    pub suggestion: Option<String>,
    /// The index is still being filled (minutes after a first start or a
    /// rebuild): nothing was searched, the page says so.
    pub warming: bool,
}

/// An organisation's public page: the parts it chose to show.
#[derive(Debug, Clone, Serialize)]
pub struct PublicOrganisation {
    pub id: Uuid,
    pub name: String,
    pub alternate_names: Vec<String>,
    pub kind: String,
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
    pub languages: Vec<String>,
    pub topics: Vec<String>,
    pub target_groups: Vec<String>,
    pub offers: Vec<DirectoryHit>,
    pub events: Vec<PublicEvent>,
    pub updated_at: DateTime<Utc>,
}

impl PublicOrganisation {
    /// The one-line address, where it is shown.
    pub fn address(&self) -> Option<String> {
        join_address(
            self.street.as_deref().unwrap_or(""),
            self.postcode.as_deref().unwrap_or(""),
            self.city.as_deref().unwrap_or(""),
        )
    }
}

/// The first paragraph's words, up to about 180 characters, as plain text.
fn summary(markdown: &str) -> String {
    let plain: String = markdown
        .lines()
        .map(|l| l.trim_start_matches(['#', '>', '-', '*', ' ']))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
        .replace(['*', '_', '`'], "");
    if plain.chars().count() <= 180 {
        return plain;
    }
    let cut: String = plain.chars().take(180).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut} …")
}

/// `lang`: organisations' texts exist in German only, so their summary is
/// marked untranslated in every other language.
fn organisation_hit(org: &Published, lang: &str) -> DirectoryHit {
    DirectoryHit {
        entity: "organisation",
        id: org.id,
        title: org.name.clone(),
        summary: summary(&org.description),
        untranslated: lang != "de",
        organisation: None,
        kind: org.kind.clone(),
        district: org.district.clone(),
        address: org.address(),
        languages: org.languages.clone(),
        free: false,
        online: false,
        position: org.position,
    }
}

fn offer_hit(o: &Offer, org: &Published, lang: &str) -> DirectoryHit {
    let translated = o.translations.get(lang).filter(|t| !t.title.is_empty());
    DirectoryHit {
        entity: "offer",
        id: o.id,
        title: translated.map_or(o.title.clone(), |t| t.title.clone()),
        summary: summary(
            translated
                .map(|t| t.description.as_str())
                .filter(|d| !d.is_empty())
                .unwrap_or(&o.description),
        ),
        untranslated: lang != "de" && translated.is_none(),
        organisation: Some(Ref {
            id: org.id,
            name: org.name.clone(),
        }),
        kind: o.category.clone(),
        district: org.district.clone(),
        address: offer_address(o, org),
        languages: o.languages.clone(),
        free: o.cost_kind == "free",
        online: o.location_kind == "online",
        position: if o.location_kind == "organisation" {
            org.position
        } else {
            None
        },
    }
}

/// Every word of `words` is in the folded text.
fn has_words(text: &str, words: &[String]) -> bool {
    let folded = msohub_domain::organisation::fold(text);
    words.iter().all(|w| folded.contains(w.as_str()))
}

impl Services {
    /// Searches the public directory. Any text is accepted: quotes and
    /// operators are plain characters, and text beyond
    /// [`MAX_QUERY_CHARS`] is ignored.
    pub async fn search_directory(
        &self,
        q: &DirectoryQuery,
        lang: &str,
    ) -> Result<DirectoryResults, Error> {
        let truncated = q.text.chars().count() > MAX_QUERY_CHARS;
        let text: String = q.text.chars().take(MAX_QUERY_CHARS).collect();
        let text = text.trim().to_owned();
        let page = q.page.clamp(1, MAX_PAGE);
        let Some(search) = self.ready_search() else {
            return Ok(DirectoryResults {
                text,
                truncated,
                page,
                warming: self.search_warming(),
                ..DirectoryResults::default()
            });
        };
        let query = msohub_search::Query {
            text: text.clone(),
            entities: q.entities.clone(),
            categories: q.categories.clone(),
            languages: q.languages.clone(),
            districts: q.districts.clone(),
            target_groups: q.target_groups.clone(),
            costs: if q.free_only {
                vec!["free".to_owned()]
            } else {
                Vec::new()
            },
            modes: if q.online_only {
                vec!["online".to_owned()]
            } else {
                Vec::new()
            },
            public_only: true,
            limit: PAGE_SIZE,
            offset: (page - 1) * PAGE_SIZE,
            ..msohub_search::Query::default()
        };
        let index = search.public.clone();
        let results = tokio::task::spawn_blocking(move || index.search(&query))
            .await
            .map_err(|e| Error::Internal(Box::new(e)))?
            .map_err(|e| Error::Internal(Box::new(e)))?;

        let ids: Vec<Uuid> = results.hits.iter().map(|h| h.id).collect();
        let conn = self.store.conn();
        let offers = self
            .assemble_offers(offer_store::find_offers(conn, &ids).await?)
            .await?;
        let mut org_ids = ids.clone();
        org_ids.extend(offers.iter().map(|o| o.organisation.id));
        let orgs: HashMap<Uuid, Published> = org_store::find_many(conn, &org_ids)
            .await?
            .iter()
            .filter_map(Published::of_row)
            .map(|p| (p.id, p))
            .collect();
        let offers: HashMap<Uuid, &Offer> = offers.iter().map(|o| (o.id, o)).collect();
        // In the index's order; a record that stopped being public since it
        // was indexed is left out rather than shown.
        let hits = ids
            .iter()
            .filter_map(|id| {
                if let Some(o) = offers.get(id) {
                    let org = orgs.get(&o.organisation.id)?;
                    offer_visible(o.is_public, o.deleted, &o.status, true)
                        .then(|| offer_hit(o, org, lang))
                } else {
                    orgs.get(id).map(|org| organisation_hit(org, lang))
                }
            })
            .collect();

        let events = if page == 1 && q.entities.is_empty() && q.categories.is_empty() {
            self.matching_events(&text, q, lang).await?
        } else {
            Vec::new()
        };
        Ok(DirectoryResults {
            text,
            truncated,
            total: results.total,
            page,
            pages: results.total.div_ceil(PAGE_SIZE).min(MAX_PAGE),
            suggestion: results.suggestion,
            hits,
            facets: results
                .facets
                .into_iter()
                .map(|(k, v)| (k, v.into_iter().filter(|(_, n)| *n > 0).collect()))
                .collect(),
            events,
            warming: false,
        })
    }

    /// Upcoming public events with every word of the text, in the asked
    /// languages and online where asked (at most five).
    async fn matching_events(
        &self,
        text: &str,
        q: &DirectoryQuery,
        lang: &str,
    ) -> Result<Vec<PublicEvent>, Error> {
        let words: Vec<String> = msohub_domain::organisation::fold(text)
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .take(12)
            .map(str::to_owned)
            .collect();
        if words.is_empty() {
            return Ok(Vec::new());
        }
        Ok(self
            .public_upcoming_events(lang, 500)
            .await?
            .into_iter()
            .filter(|e| !e.cancelled)
            .filter(|e| has_words(&format!("{} {}", e.title, e.description), &words))
            .filter(|e| {
                q.languages.is_empty() || e.languages.iter().any(|l| q.languages.contains(l))
            })
            .filter(|e| !q.online_only || e.mode != "in_person")
            .take(5)
            .collect())
    }

    /// A listed organisation's public page; `None` for any other.
    pub async fn public_organisation(
        &self,
        id: Uuid,
        lang: &str,
    ) -> Result<Option<PublicOrganisation>, Error> {
        let conn = self.store.conn();
        let Some(org) = org_store::find(conn, id)
            .await?
            .as_ref()
            .and_then(Published::of_row)
        else {
            return Ok(None);
        };
        let filter = OfferFilter {
            organisation: Some(id),
            public: Some(true),
            ..OfferFilter::default()
        };
        let (offer_rows, _) = offer_store::list_offers(conn, &filter, 0, 200).await?;
        let offers = self
            .assemble_offers(offer_rows)
            .await?
            .iter()
            .filter(|o| offer_visible(o.is_public, o.deleted, &o.status, true))
            .map(|o| offer_hit(o, &org, lang))
            .collect();
        let events = self
            .public_events(
                lang,
                &EventFilter {
                    organisation: Some(id),
                    from: Some(crate::time::start_of_day(crate::time::today())),
                    ..EventFilter::default()
                },
                20,
            )
            .await?;
        Ok(Some(PublicOrganisation {
            id: org.id,
            position: org.position,
            alternate_names: org.alternate_names,
            kind: org.kind,
            description: org.description,
            street: org.street,
            postcode: org.postcode,
            city: org.city,
            district: org.district,
            website: org.website,
            email: org.email,
            phone: org.phone,
            founding_year: org.founding_year,
            legal_status: org.legal_status,
            languages: org.languages,
            topics: org.topics,
            target_groups: org.target_groups,
            offers,
            events,
            updated_at: org.updated_at,
            name: org.name,
        }))
    }

    /// Public events starting on a day of `[first, last]` (Berlin time), for
    /// the calendar; cancelled ones included (marked).
    pub async fn public_events_between(
        &self,
        lang: &str,
        first: NaiveDate,
        last: NaiveDate,
    ) -> Result<Vec<PublicEvent>, Error> {
        self.public_events(
            lang,
            &EventFilter {
                from: Some(crate::time::start_of_day(first)),
                to: Some(crate::time::start_of_day(last.succ_opt().unwrap_or(last))),
                ..EventFilter::default()
            },
            1000,
        )
        .await
    }

    /// Ids and change times of the listed organisations (for the sitemap).
    pub async fn public_organisation_ids(&self) -> Result<Vec<(Uuid, DateTime<Utc>)>, Error> {
        let filter = org_store::OrgFilter {
            public_only: true,
            ..Default::default()
        };
        let (rows, _) =
            org_store::list(self.store.conn(), &filter, Default::default(), 0, 50_000).await?;
        Ok(rows.into_iter().map(|r| (r.id, r.updated_at)).collect())
    }
}

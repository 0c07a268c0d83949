//! Events (Veranstaltungen): one-off or multi-day, in person, online or
//! hybrid, organised by one or more organisations — an MSO or the office
//! itself — planned, then held, or cancelled with a reason. Public events
//! are what the directory and the public calendar show; held events count
//! for the targets, and those the office organised are listed in the
//! yearly report beyond the targets.

use crate::interactions::Ref;
use crate::{Actor, Error, FieldError, Services, audit, time};
use chrono::{DateTime, Utc};
use msohub_domain::Permission;
use msohub_domain::work::Mode;
use msohub_store::events::{self as store, EventFilter, EventRow};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

/// What an event can be.
pub const EVENT_STATUSES: &[&str] = &["planned", "held", "cancelled"];

pub use crate::offers::Translation;

#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Event {
    pub id: Uuid,
    pub title: String,
    /// Markdown.
    pub description: String,
    /// A term of the `offer_category` vocabulary, or empty.
    pub category: String,
    pub starts_at: DateTime<Utc>,
    /// Multi-day events end on a later day.
    pub ends_at: Option<DateTime<Utc>>,
    /// in_person, digital, hybrid
    pub mode: String,
    pub place: String,
    pub online_link: String,
    pub registration_link: String,
    /// ISO 639-1 codes.
    pub languages: Vec<String>,
    /// planned, held, cancelled
    pub status: String,
    pub cancel_reason: String,
    /// Shown in the public directory and feeds.
    pub is_public: bool,
    pub translations: BTreeMap<String, Translation>,
    pub organisers: Vec<Ref>,
    pub deleted: bool,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Event {
    pub fn to_input(&self) -> EventInput {
        EventInput {
            title: self.title.clone(),
            description: self.description.clone(),
            category: self.category.clone(),
            starts_at: time::local_input(self.starts_at),
            ends_at: self.ends_at.map(time::local_input).unwrap_or_default(),
            mode: self.mode.clone(),
            place: self.place.clone(),
            online_link: self.online_link.clone(),
            registration_link: self.registration_link.clone(),
            languages: self.languages.clone(),
            status: self.status.clone(),
            cancel_reason: self.cancel_reason.clone(),
            is_public: self.is_public,
            organisers: self.organisers.iter().map(|o| o.id.to_string()).collect(),
            translations: self.translations.clone(),
            version: self.version,
        }
    }

    /// Lasts more than one calendar day (in Berlin).
    pub fn multi_day(&self) -> bool {
        self.ends_at.is_some_and(|e| {
            let berlin = chrono_tz::Europe::Berlin;
            e.with_timezone(&berlin).date_naive()
                > self.starts_at.with_timezone(&berlin).date_naive()
        })
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
#[serde(default)]
pub struct EventInput {
    pub title: String,
    pub description: String,
    pub category: String,
    /// Berlin time, "YYYY-MM-DDTHH:MM" (or RFC 3339).
    pub starts_at: String,
    pub ends_at: String,
    pub mode: String,
    pub place: String,
    pub online_link: String,
    pub registration_link: String,
    #[serde(deserialize_with = "crate::organisations::lenient::list")]
    pub languages: Vec<String>,
    pub status: String,
    pub cancel_reason: String,
    pub is_public: bool,
    /// Organisation ids, the first is the main organiser.
    #[serde(deserialize_with = "crate::organisations::lenient::list")]
    pub organisers: Vec<String>,
    pub translations: BTreeMap<String, Translation>,
    pub version: i32,
}

impl EventInput {
    /// What a new event starts as: planned, in person, in German, organised
    /// by `organiser` if given.
    pub fn planned(organiser: Option<String>) -> EventInput {
        EventInput {
            mode: "in_person".into(),
            status: "planned".into(),
            languages: vec!["de".into()],
            organisers: organiser.into_iter().collect(),
            ..EventInput::default()
        }
    }
}

/// Filters of the event list.
#[derive(Debug, Clone, Default)]
pub struct EventQuery {
    pub status: Option<String>,
    pub organisation: Option<Uuid>,
    pub category: Option<String>,
    pub public: Option<bool>,
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
    pub text: Option<String>,
    pub deleted: bool,
    /// Soonest first.
    pub ascending: bool,
}

/// An http(s) address with a host, or empty.
pub(crate) fn web_address(raw: &str, field: &str, errors: &mut Vec<FieldError>) -> String {
    let raw = raw.trim();
    if raw.is_empty() {
        return String::new();
    }
    match url::Url::parse(raw) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => u.to_string(),
        _ => {
            errors.push(FieldError::new(field, "url-invalid"));
            String::new()
        }
    }
}

/// Translations into known languages; empty ones are dropped.
pub(crate) fn translations(
    raw: &BTreeMap<String, Translation>,
    errors: &mut Vec<FieldError>,
) -> BTreeMap<String, Translation> {
    let mut out = BTreeMap::new();
    for (lang, t) in raw {
        if !msohub_domain::offers::TRANSLATION_LANGUAGES.contains(&lang.as_str()) {
            errors.push(FieldError::new("translations", "language-unknown"));
            continue;
        }
        let t = Translation {
            title: t.title.trim().to_owned(),
            description: t.description.trim().to_owned(),
        };
        if t.title.chars().count() > 300 || t.description.chars().count() > 20_000 {
            errors.push(FieldError::new("translations", "too-long"));
        } else if !t.title.is_empty() || !t.description.is_empty() {
            out.insert(lang.clone(), t);
        }
    }
    out
}

fn audit_view(r: &EventRow, organisers: &[Uuid]) -> serde_json::Value {
    serde_json::json!({
        "title": r.title, "description": r.description, "category": r.category,
        "starts_at": r.starts_at, "ends_at": r.ends_at, "mode": r.mode, "place": r.place,
        "online_link": r.online_link, "registration_link": r.registration_link,
        "languages": serde_json::from_str::<serde_json::Value>(&r.languages).unwrap_or_default(),
        "status": r.status, "cancel_reason": r.cancel_reason, "is_public": r.is_public,
        "translations": serde_json::from_str::<serde_json::Value>(&r.translations).unwrap_or_default(),
        "organisers": organisers, "deleted": r.deleted_at.is_some(),
    })
}

impl Services {
    pub(crate) async fn validate_event(
        &self,
        input: &EventInput,
        current: Option<&EventRow>,
    ) -> Result<(EventRow, Vec<Uuid>), Error> {
        let mut errors = Vec::new();
        let conn = self.store.conn();
        let title = input.title.trim().to_owned();
        if title.is_empty() {
            errors.push(FieldError::new("title", "required"));
        } else if title.chars().count() > 300 {
            errors.push(FieldError::new("title", "too-long"));
        }
        if input.description.chars().count() > 20_000 {
            errors.push(FieldError::new("description", "too-long"));
        }
        let category = input.category.trim().to_owned();
        if !category.is_empty()
            && !self
                .terms("offer_category")
                .await?
                .iter()
                .any(|t| t.code == category)
        {
            errors.push(FieldError::new("category", "term-unknown"));
        }
        let starts_at = match input.starts_at.trim() {
            "" => {
                errors.push(FieldError::new("starts_at", "required"));
                None
            }
            raw => {
                let t = time::parse_instant(raw);
                if t.is_none() {
                    errors.push(FieldError::new("starts_at", "datetime-invalid"));
                }
                t
            }
        };
        let ends_at = match input.ends_at.trim() {
            "" => None,
            raw => {
                let t = time::parse_instant(raw);
                if t.is_none() {
                    errors.push(FieldError::new("ends_at", "datetime-invalid"));
                }
                t
            }
        };
        if let (Some(s), Some(e)) = (starts_at, ends_at)
            && e < s
        {
            errors.push(FieldError::new("ends_at", "date-before-start"));
        }
        let mode = Mode::parse(&input.mode)
            .map_err(|e| errors.push(FieldError::new(e.field, e.rule)))
            .ok();
        let place = input.place.trim().to_owned();
        let online_link = web_address(&input.online_link, "online_link", &mut errors);
        let registration_link =
            web_address(&input.registration_link, "registration_link", &mut errors);
        if place.chars().count() > 500 {
            errors.push(FieldError::new("place", "too-long"));
        }
        match mode {
            Some(Mode::InPerson) if place.is_empty() => {
                errors.push(FieldError::new("place", "place-required"));
            }
            Some(Mode::Digital)
                if online_link.is_empty() && !errors.iter().any(|e| e.field == "online_link") =>
            {
                errors.push(FieldError::new("online_link", "link-required"));
            }
            Some(Mode::Hybrid) => {
                if place.is_empty() {
                    errors.push(FieldError::new("place", "place-required"));
                }
                if online_link.is_empty() && !errors.iter().any(|e| e.field == "online_link") {
                    errors.push(FieldError::new("online_link", "link-required"));
                }
            }
            _ => {}
        }
        let languages = msohub_domain::offers::parse_offer_languages(&input.languages)
            .unwrap_or_else(|e| {
                errors.push(FieldError::new(e.field, e.rule));
                Vec::new()
            });
        let status = input.status.trim();
        let status = if status.is_empty() { "planned" } else { status };
        if !EVENT_STATUSES.contains(&status) {
            errors.push(FieldError::new("status", "choice-unknown"));
        }
        let cancel_reason = input.cancel_reason.trim().to_owned();
        if status == "cancelled" && cancel_reason.is_empty() {
            errors.push(FieldError::new("cancel_reason", "cancel-reason-required"));
        }
        if status == "held" && starts_at.is_some_and(|s| s > Utc::now()) {
            errors.push(FieldError::new("starts_at", "held-in-future"));
        }
        let translations = translations(&input.translations, &mut errors);
        let mut organisers = Vec::new();
        for raw in input
            .organisers
            .iter()
            .map(|o| o.trim())
            .filter(|o| !o.is_empty())
        {
            let found = match raw.parse::<Uuid>() {
                Ok(id) => msohub_store::organisations::find(conn, id)
                    .await?
                    .filter(|o| o.deleted_at.is_none())
                    .map(|_| id),
                Err(_) => None,
            };
            match found {
                Some(id) if !organisers.contains(&id) => organisers.push(id),
                Some(_) => {}
                None => {
                    errors.push(FieldError::new("organisers", "organisation-unknown"));
                    break;
                }
            }
        }
        if organisers.is_empty() && !errors.iter().any(|e| e.field == "organisers") {
            errors.push(FieldError::new("organisers", "organisation-required"));
        }
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let (Some(starts_at), Some(mode)) = (starts_at, mode) else {
            return Err(Error::field("starts_at", "required"));
        };
        let now = Utc::now();
        Ok((
            EventRow {
                id: current.map_or_else(Uuid::now_v7, |c| c.id),
                title,
                description: input.description.trim().to_owned(),
                category,
                starts_at,
                ends_at,
                mode: mode.code().to_owned(),
                place,
                online_link,
                registration_link,
                languages: serde_json::to_string(&languages).unwrap_or_else(|_| "[]".into()),
                status: status.to_owned(),
                cancel_reason: if status == "cancelled" {
                    cancel_reason
                } else {
                    String::new()
                },
                is_public: input.is_public,
                translations: serde_json::to_string(&translations).unwrap_or_else(|_| "{}".into()),
                version: current.map_or(1, |c| c.version),
                deleted_at: current.and_then(|c| c.deleted_at),
                created_at: current.map_or(now, |c| c.created_at),
                updated_at: now,
            },
            organisers,
        ))
    }

    async fn assemble_events(&self, rows: Vec<EventRow>) -> Result<Vec<Event>, Error> {
        let conn = self.store.conn();
        let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
        let pairs = store::organisers_of(conn, &ids).await?;
        let org_ids: Vec<Uuid> = pairs.iter().map(|(_, o)| *o).collect();
        let names = msohub_store::organisations::names(conn, &org_ids).await?;
        Ok(rows
            .into_iter()
            .map(|r| Event {
                organisers: pairs
                    .iter()
                    .filter(|(e, _)| *e == r.id)
                    .map(|(_, o)| Ref {
                        id: *o,
                        name: names.get(o).cloned().unwrap_or_default(),
                    })
                    .collect(),
                id: r.id,
                title: r.title,
                description: r.description,
                category: r.category,
                starts_at: r.starts_at,
                ends_at: r.ends_at,
                mode: r.mode,
                place: r.place,
                online_link: r.online_link,
                registration_link: r.registration_link,
                languages: serde_json::from_str(&r.languages).unwrap_or_default(),
                status: r.status,
                cancel_reason: r.cancel_reason,
                is_public: r.is_public,
                translations: serde_json::from_str(&r.translations).unwrap_or_default(),
                deleted: r.deleted_at.is_some(),
                version: r.version,
                created_at: r.created_at,
                updated_at: r.updated_at,
            })
            .collect())
    }

    pub async fn get_event(&self, actor: &Actor, id: Uuid) -> Result<Event, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let r = store::find_event(self.store.conn(), id)
            .await?
            .ok_or(Error::NotFound)?;
        self.assemble_events(vec![r])
            .await?
            .pop()
            .ok_or(Error::NotFound)
    }

    /// A page of events and how many match.
    pub async fn list_events(
        &self,
        actor: &Actor,
        q: &EventQuery,
        offset: u64,
        limit: u64,
    ) -> Result<(Vec<Event>, u64), Error> {
        actor.require(Permission::ReadStaffArea)?;
        let filter = EventFilter {
            statuses: q.status.iter().cloned().collect(),
            organisation: q.organisation,
            category: q.category.clone(),
            public: q.public,
            from: q.from.map(time::start_of_day),
            to: q.to.map(|d| time::start_of_day(d.succ_opt().unwrap_or(d))),
            text: q.text.clone(),
            deleted: q.deleted,
            ascending: q.ascending,
            organisation_kinds: Vec::new(),
        };
        let (rows, total) = store::list_events(self.store.conn(), &filter, offset, limit).await?;
        Ok((self.assemble_events(rows).await?, total))
    }

    pub async fn create_event(&self, actor: &Actor, input: &EventInput) -> Result<Event, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let (row, organisers) = self.validate_event(input, None).await?;
        let tx = self.store.begin().await?;
        let row = insert_event_in(&tx, actor, row, &organisers).await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        self.get_event(actor, row.id).await
    }

    pub async fn update_event(
        &self,
        actor: &Actor,
        id: Uuid,
        input: &EventInput,
    ) -> Result<Event, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let conn = self.store.conn();
        let current = crate::write::current(store::find_event(conn, id).await?, input.version)?;
        if current.deleted_at.is_some() {
            return Err(Error::NotFound);
        }
        let before: Vec<Uuid> = store::organisers_of(conn, &[id])
            .await?
            .into_iter()
            .map(|(_, o)| o)
            .collect();
        let (row, organisers) = self.validate_event(input, Some(&current)).await?;
        let tx = self.store.begin().await?;
        update_event_in(&tx, actor, &current, &before, row, &organisers).await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        self.get_event(actor, id).await
    }

    pub async fn patch_event(
        &self,
        actor: &Actor,
        id: Uuid,
        patch: &serde_json::Value,
    ) -> Result<Event, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let current = self.get_event(actor, id).await?;
        let input: EventInput = crate::patch::merge(&current.to_input(), patch)?;
        self.update_event(actor, id, &input).await
    }

    /// Deletes an event (kept, marked deleted, so the history stays).
    pub async fn delete_event(&self, actor: &Actor, id: Uuid, version: i32) -> Result<(), Error> {
        actor.require(Permission::WriteStaffArea)?;
        let conn = self.store.conn();
        let current = crate::write::current(store::find_event(conn, id).await?, version)?;
        let organisers: Vec<Uuid> = store::organisers_of(conn, &[id])
            .await?
            .into_iter()
            .map(|(_, o)| o)
            .collect();
        let mut row = current.clone();
        row.deleted_at = Some(Utc::now());
        self.write_audited(
            actor,
            "event",
            "delete",
            Some(audit_view(&current, &organisers)),
            async |tx| Ok(store::update_event(tx, row).await?),
            |r| (id, Some(audit_view(r, &organisers))),
        )
        .await?;
        Ok(())
    }

    /// Organisations by id, with their names, in the order given (unknown
    /// ids are left out).
    pub async fn organisation_refs(&self, actor: &Actor, ids: &[Uuid]) -> Result<Vec<Ref>, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let names = msohub_store::organisations::names(self.store.conn(), ids).await?;
        Ok(ids
            .iter()
            .filter_map(|id| {
                names.get(id).map(|n| Ref {
                    id: *id,
                    name: n.clone(),
                })
            })
            .collect())
    }

    /// The organisation record that stands for the office itself: the one
    /// marked "our office", else the one named like the office (kind public
    /// body preferred).
    pub async fn office_organisation(&self) -> Result<Option<Uuid>, Error> {
        if let Some(o) = msohub_store::organisations::own_office(self.store.conn())
            .await?
            .first()
        {
            return Ok(Some(o.id));
        }
        let office = self.office().await?;
        let filter = msohub_store::organisations::OrgFilter {
            words: msohub_domain::organisation::fold(&office.name)
                .split_whitespace()
                .map(str::to_owned)
                .collect(),
            ..Default::default()
        };
        let (rows, _) = msohub_store::organisations::list(
            self.store.conn(),
            &filter,
            Default::default(),
            0,
            20,
        )
        .await?;
        let mut matching: Vec<_> = rows.into_iter().filter(|o| o.name == office.name).collect();
        matching.sort_by_key(|o| o.kind != "public_body");
        Ok(matching.first().map(|o| o.id))
    }
}

/// One page of events.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EventPage {
    pub items: Vec<Event>,
    pub total: u64,
    pub next_cursor: Option<String>,
}

impl Services {
    /// A page of events after an opaque cursor.
    pub async fn event_page(
        &self,
        actor: &Actor,
        q: &EventQuery,
        cursor: Option<&str>,
        limit: u64,
    ) -> Result<EventPage, Error> {
        let offset = crate::organisations::decode_cursor(cursor)?;
        let limit = limit.clamp(1, 200);
        let (items, total) = self.list_events(actor, q, offset, limit).await?;
        Ok(EventPage {
            items,
            total,
            next_cursor: (offset + limit < total).then(|| format!("o{}", offset + limit)),
        })
    }
}

/// An event as the public directory shows it: public fields only, in the
/// visitor's language where a translation exists.
#[derive(Debug, Clone, Serialize)]
pub struct PublicEvent {
    pub id: Uuid,
    pub title: String,
    pub description: String,
    /// The text is the German original (no translation into the language
    /// asked for).
    pub untranslated: bool,
    pub starts_at: DateTime<Utc>,
    pub ends_at: Option<DateTime<Utc>>,
    pub mode: String,
    pub place: String,
    pub online_link: String,
    pub registration_link: String,
    pub languages: Vec<String>,
    pub cancelled: bool,
    /// Only organisers listed in the public directory are named.
    pub organisers: Vec<Ref>,
}

impl Services {
    fn public_event(&self, e: Event, lang: &str, listed: &[Uuid]) -> PublicEvent {
        let translated = e.translations.get(lang).filter(|t| !t.title.is_empty());
        PublicEvent {
            id: e.id,
            title: translated.map_or(e.title.clone(), |t| t.title.clone()),
            description: translated
                .map(|t| t.description.clone())
                .filter(|d| !d.is_empty())
                .unwrap_or(e.description.clone()),
            untranslated: lang != "de" && translated.is_none(),
            starts_at: e.starts_at,
            ends_at: e.ends_at,
            mode: e.mode,
            place: e.place,
            online_link: e.online_link,
            registration_link: e.registration_link,
            languages: e.languages,
            cancelled: e.status == "cancelled",
            organisers: e
                .organisers
                .into_iter()
                .filter(|o| listed.contains(&o.id))
                .collect(),
        }
    }

    async fn listed_organisations(&self, events: &[Event]) -> Result<Vec<Uuid>, Error> {
        let ids: Vec<Uuid> = events
            .iter()
            .flat_map(|e| e.organisers.iter().map(|o| o.id))
            .collect();
        Ok(crate::publication::listed_names(self.store.conn(), &ids)
            .await?
            .into_keys()
            .collect())
    }

    /// Upcoming public events (from today, Berlin), soonest first.
    pub async fn public_upcoming_events(
        &self,
        lang: &str,
        limit: u64,
    ) -> Result<Vec<PublicEvent>, Error> {
        self.public_events(
            lang,
            &EventFilter {
                from: Some(time::start_of_day(time::today())),
                ..Default::default()
            },
            limit,
        )
        .await
    }

    /// Public events that pass `filter` (its `public`, `deleted` and order
    /// are set here), earliest first.
    pub(crate) async fn public_events(
        &self,
        lang: &str,
        filter: &EventFilter,
        limit: u64,
    ) -> Result<Vec<PublicEvent>, Error> {
        let filter = EventFilter {
            public: Some(true),
            deleted: false,
            ascending: true,
            ..filter.clone()
        };
        let (rows, _) = store::list_events(self.store.conn(), &filter, 0, limit).await?;
        let events = self.assemble_events(rows).await?;
        let listed = self.listed_organisations(&events).await?;
        Ok(events
            .into_iter()
            .map(|e| self.public_event(e, lang, &listed))
            .collect())
    }

    /// One public event; `None` for internal or deleted ones.
    pub async fn public_event_by_id(
        &self,
        id: Uuid,
        lang: &str,
    ) -> Result<Option<PublicEvent>, Error> {
        let Some(r) = store::find_event(self.store.conn(), id).await? else {
            return Ok(None);
        };
        if !r.is_public || r.deleted_at.is_some() {
            return Ok(None);
        }
        let events = self.assemble_events(vec![r]).await?;
        let listed = self.listed_organisations(&events).await?;
        Ok(events
            .into_iter()
            .next()
            .map(|e| self.public_event(e, lang, &listed)))
    }

    /// Ids and change times of all public events (for the sitemap).
    pub async fn public_event_ids(&self) -> Result<Vec<(Uuid, DateTime<Utc>)>, Error> {
        let filter = EventFilter {
            public: Some(true),
            ascending: true,
            ..Default::default()
        };
        let (rows, _) = store::list_events(self.store.conn(), &filter, 0, 50_000).await?;
        Ok(rows.into_iter().map(|r| (r.id, r.updated_at)).collect())
    }
}

/// Inserts a checked event with its organisers and records it, inside the
/// caller's transaction.
pub(crate) async fn insert_event_in(
    tx: &msohub_store::Tx,
    actor: &Actor,
    row: EventRow,
    organisers: &[Uuid],
) -> Result<EventRow, Error> {
    let row = store::insert_event(tx, row).await?;
    store::set_organisers(tx, row.id, organisers).await?;
    audit::record(
        tx,
        actor,
        "event",
        row.id,
        "create",
        None,
        Some(audit_view(&row, organisers)),
    )
    .await?;
    Ok(row)
}

/// Stores a checked event over `current` (same version) with its
/// organisers, and records the change.
pub(crate) async fn update_event_in(
    tx: &msohub_store::Tx,
    actor: &Actor,
    current: &EventRow,
    organisers_before: &[Uuid],
    row: EventRow,
    organisers: &[Uuid],
) -> Result<EventRow, Error> {
    let id = current.id;
    let row = store::update_event(tx, row).await?;
    store::set_organisers(tx, id, organisers).await?;
    audit::record(
        tx,
        actor,
        "event",
        id,
        "update",
        Some(audit_view(current, organisers_before)),
        Some(audit_view(&row, organisers)),
    )
    .await?;
    Ok(row)
}

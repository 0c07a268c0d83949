//! Offers (Angebote) of the organisations and of the office itself, aligned
//! with the HSDS `service` and its `schedule`: what, for whom, in which
//! languages, at what cost, where and when (a weekly or monthly iCalendar
//! rule), valid from and to, in the public directory or not.

mod public;
mod validate;
pub use public::*;

use crate::interactions::Ref;
use crate::organisations::decode_cursor;
use crate::{Actor, Error, FieldError, Services, audit, time};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use msohub_domain::Permission;
use msohub_domain::offers::{self as rules, CostKind, LocationKind, OfferStatus};
use msohub_domain::organisation::{collapse, fold, parse_postcode};
use msohub_store::offers::{self as store, OfferFilter, OfferRow};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

/// An offer's or event's title and description in another language.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
#[serde(default)]
pub struct Translation {
    pub title: String,
    /// Markdown.
    pub description: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Offer {
    pub id: Uuid,
    /// Who offers it: an organisation, or the office itself.
    pub organisation: Ref,
    pub title: String,
    /// Markdown.
    pub description: String,
    /// A term of the `offer_category` vocabulary.
    pub category: String,
    /// Terms of the `target_group` vocabulary.
    pub target_groups: Vec<String>,
    pub age_min: Option<i32>,
    pub age_max: Option<i32>,
    /// ISO 639-1 codes of the languages it is held in.
    pub languages: Vec<String>,
    /// free, amount, on_request
    pub cost_kind: String,
    /// What it costs, e.g. "5 € pro Termin".
    pub cost_text: String,
    pub registration_required: bool,
    /// How to register.
    pub registration_how: String,
    pub accessibility: String,
    /// organisation (at its address), other (street, postcode, city), online
    pub location_kind: String,
    pub street: String,
    pub postcode: String,
    pub city: String,
    pub online_link: String,
    /// An iCalendar RRULE (weekly or monthly), e.g. `FREQ=WEEKLY;BYDAY=TU`.
    pub schedule_rrule: String,
    /// The schedule in words, e.g. "dienstags 16–18 Uhr".
    pub schedule_text: String,
    /// HH:MM
    pub starts_time: Option<String>,
    /// HH:MM
    pub ends_time: Option<String>,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
    /// active, paused, ended
    pub status: String,
    /// A contact person (shown publicly only where their consent allows).
    pub contact_person_id: Option<Uuid>,
    /// In the public directory.
    pub is_public: bool,
    /// Language (en, tr, ar, ru, uk) → title and description.
    pub translations: BTreeMap<String, Translation>,
    pub deleted: bool,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Offer {
    pub fn to_input(&self) -> OfferInput {
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        let day = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        let num = |n: Option<i32>| n.map(|n| n.to_string()).unwrap_or_default();
        OfferInput {
            organisation_id: self.organisation.id.to_string(),
            title: self.title.clone(),
            description: self.description.clone(),
            category: self.category.clone(),
            target_groups: self.target_groups.clone(),
            age_min: num(self.age_min),
            age_max: num(self.age_max),
            languages: self.languages.clone(),
            cost_kind: self.cost_kind.clone(),
            cost_text: self.cost_text.clone(),
            registration_required: self.registration_required,
            registration_how: self.registration_how.clone(),
            accessibility: self.accessibility.clone(),
            location_kind: self.location_kind.clone(),
            street: self.street.clone(),
            postcode: self.postcode.clone(),
            city: self.city.clone(),
            online_link: self.online_link.clone(),
            schedule_rrule: self.schedule_rrule.clone(),
            schedule_text: self.schedule_text.clone(),
            starts_time: opt(&self.starts_time),
            ends_time: opt(&self.ends_time),
            valid_from: day(self.valid_from),
            valid_to: day(self.valid_to),
            status: self.status.clone(),
            contact_person_id: self
                .contact_person_id
                .map(|p| p.to_string())
                .unwrap_or_default(),
            is_public: self.is_public,
            translations: self.translations.clone(),
            version: self.version,
        }
    }
}

/// What a form or a JSON body gives: text as typed, lists as lists (or
/// comma-separated text).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
#[serde(default)]
pub struct OfferInput {
    /// The organisation that offers it (the office is an organisation too).
    #[serde(deserialize_with = "crate::organisations::lenient::text")]
    pub organisation_id: String,
    /// Required, at most 300 characters.
    #[serde(deserialize_with = "crate::organisations::lenient::text")]
    pub title: String,
    /// Markdown, at most 20,000 characters.
    #[serde(deserialize_with = "crate::organisations::lenient::text")]
    pub description: String,
    /// A term of the `offer_category` vocabulary (required).
    #[serde(deserialize_with = "crate::organisations::lenient::text")]
    pub category: String,
    /// Terms of the `target_group` vocabulary.
    #[serde(deserialize_with = "crate::organisations::lenient::list")]
    pub target_groups: Vec<String>,
    /// 0 to 120.
    #[serde(deserialize_with = "crate::organisations::lenient::number")]
    pub age_min: String,
    /// 0 to 120, not below `age_min`.
    #[serde(deserialize_with = "crate::organisations::lenient::number")]
    pub age_max: String,
    /// ISO 639-1 codes (de, en, tr, ar, ru, uk, fa, ku, …).
    #[serde(deserialize_with = "crate::organisations::lenient::list")]
    pub languages: Vec<String>,
    /// free (default), amount, on_request
    #[serde(deserialize_with = "crate::organisations::lenient::text")]
    pub cost_kind: String,
    /// Required with `amount`, e.g. "5 € pro Termin".
    #[serde(deserialize_with = "crate::organisations::lenient::text")]
    pub cost_text: String,
    pub registration_required: bool,
    #[serde(deserialize_with = "crate::organisations::lenient::text")]
    pub registration_how: String,
    #[serde(deserialize_with = "crate::organisations::lenient::text")]
    pub accessibility: String,
    /// organisation (default), other, online
    #[serde(deserialize_with = "crate::organisations::lenient::text")]
    pub location_kind: String,
    /// Required with `other`.
    #[serde(deserialize_with = "crate::organisations::lenient::text")]
    pub street: String,
    /// Five digits; required with `other`.
    #[serde(deserialize_with = "crate::organisations::lenient::text")]
    pub postcode: String,
    /// Required with `other`.
    #[serde(deserialize_with = "crate::organisations::lenient::text")]
    pub city: String,
    /// An https:// address; required with `online`.
    #[serde(deserialize_with = "crate::organisations::lenient::text")]
    pub online_link: String,
    /// An iCalendar RRULE: FREQ=WEEKLY or MONTHLY; INTERVAL, BYDAY (1MO,
    /// -1FR in monthly rules), BYMONTHDAY, COUNT, UNTIL.
    #[serde(deserialize_with = "crate::organisations::lenient::text")]
    pub schedule_rrule: String,
    #[serde(deserialize_with = "crate::organisations::lenient::text")]
    pub schedule_text: String,
    /// HH:MM
    #[serde(deserialize_with = "crate::organisations::lenient::text")]
    pub starts_time: String,
    /// HH:MM, after `starts_time`.
    #[serde(deserialize_with = "crate::organisations::lenient::text")]
    pub ends_time: String,
    /// YYYY-MM-DD
    #[serde(deserialize_with = "crate::organisations::lenient::text")]
    pub valid_from: String,
    /// YYYY-MM-DD, not before `valid_from`.
    #[serde(deserialize_with = "crate::organisations::lenient::text")]
    pub valid_to: String,
    /// active (default), paused, ended
    #[serde(deserialize_with = "crate::organisations::lenient::text")]
    pub status: String,
    /// A person id.
    #[serde(deserialize_with = "crate::organisations::lenient::text")]
    pub contact_person_id: String,
    pub is_public: bool,
    /// Language (en, tr, ar, ru, uk) → title and description.
    pub translations: BTreeMap<String, Translation>,
    /// The version the change is based on (0 for a new record).
    pub version: i32,
}

/// What to list.
#[derive(Debug, Clone, Default)]
pub struct OfferQuery {
    pub organisation: Option<Uuid>,
    /// Only offers of organisations of these kinds (mso, public_body, …).
    pub organisation_kinds: Vec<String>,
    pub statuses: Vec<String>,
    pub categories: Vec<String>,
    pub public: Option<bool>,
    /// Words in the title (case and accents aside).
    pub text: String,
    /// Valid on some day from `from` …
    pub from: Option<NaiveDate>,
    /// … to `to` (without `valid_from`: created by the end of `to`).
    pub to: Option<NaiveDate>,
    pub deleted: bool,
    pub cursor: Option<String>,
    pub limit: u64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OfferPage {
    pub items: Vec<Offer>,
    pub total: u64,
    pub next_cursor: Option<String>,
}

pub(crate) fn json_list(raw: &str) -> Vec<String> {
    serde_json::from_str(raw).unwrap_or_default()
}

fn json_translations(raw: &str) -> BTreeMap<String, Translation> {
    serde_json::from_str(raw).unwrap_or_default()
}

fn to_json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

fn audit_view(r: &OfferRow) -> serde_json::Value {
    serde_json::json!({
        "organisation_id": r.organisation_id, "title": r.title,
        "description": r.description, "category": r.category,
        "target_groups": json_list(&r.target_groups), "age_min": r.age_min,
        "age_max": r.age_max, "languages": json_list(&r.languages),
        "cost_kind": r.cost_kind, "cost_text": r.cost_text,
        "registration_required": r.registration_required,
        "registration_how": r.registration_how, "accessibility": r.accessibility,
        "location_kind": r.location_kind, "street": r.street, "postcode": r.postcode,
        "city": r.city, "online_link": r.online_link,
        "schedule_rrule": r.schedule_rrule, "schedule_text": r.schedule_text,
        "starts_time": r.starts_time, "ends_time": r.ends_time,
        "valid_from": r.valid_from, "valid_to": r.valid_to, "status": r.status,
        "contact_person_id": r.contact_person_id, "is_public": r.is_public,
        "translations": json_translations(&r.translations),
        "deleted": r.deleted_at.is_some(),
    })
}

impl Services {
    pub(crate) async fn assemble_offers(&self, rows: Vec<OfferRow>) -> Result<Vec<Offer>, Error> {
        let ids: Vec<Uuid> = rows.iter().map(|r| r.organisation_id).collect();
        let names = msohub_store::organisations::names(self.store.conn(), &ids).await?;
        Ok(rows
            .into_iter()
            .map(|r| Offer {
                id: r.id,
                organisation: Ref {
                    id: r.organisation_id,
                    name: names.get(&r.organisation_id).cloned().unwrap_or_default(),
                },
                target_groups: json_list(&r.target_groups),
                languages: json_list(&r.languages),
                translations: json_translations(&r.translations),
                title: r.title,
                description: r.description,
                category: r.category,
                age_min: r.age_min,
                age_max: r.age_max,
                cost_kind: r.cost_kind,
                cost_text: r.cost_text,
                registration_required: r.registration_required,
                registration_how: r.registration_how,
                accessibility: r.accessibility,
                location_kind: r.location_kind,
                street: r.street,
                postcode: r.postcode,
                city: r.city,
                online_link: r.online_link,
                schedule_rrule: r.schedule_rrule,
                schedule_text: r.schedule_text,
                starts_time: r.starts_time,
                ends_time: r.ends_time,
                valid_from: r.valid_from,
                valid_to: r.valid_to,
                status: r.status,
                contact_person_id: r.contact_person_id,
                is_public: r.is_public,
                deleted: r.deleted_at.is_some(),
                version: r.version,
                created_at: r.created_at,
                updated_at: r.updated_at,
            })
            .collect())
    }

    async fn assemble_offer(&self, row: OfferRow) -> Result<Offer, Error> {
        self.assemble_offers(vec![row])
            .await?
            .pop()
            .ok_or(Error::NotFound)
    }

    pub async fn get_offer(&self, actor: &Actor, id: Uuid) -> Result<Offer, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let row = store::find_offer(self.store.conn(), id)
            .await?
            .ok_or(Error::NotFound)?;
        self.assemble_offer(row).await
    }

    pub async fn list_offers(&self, actor: &Actor, q: &OfferQuery) -> Result<OfferPage, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let offset = decode_cursor(q.cursor.as_deref())?;
        let limit = q.limit.clamp(1, 500);
        let (rows, total) =
            store::list_offers(self.store.conn(), &filter_of(q), offset, limit).await?;
        Ok(OfferPage {
            items: self.assemble_offers(rows).await?,
            total,
            next_cursor: (offset + limit < total).then(|| format!("o{}", offset + limit)),
        })
    }

    pub async fn create_offer(&self, actor: &Actor, input: &OfferInput) -> Result<Offer, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let row = self.validate_offer(input, None).await?;
        let tx = self.store.begin().await?;
        let row = insert_offer_in(&tx, actor, row).await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        let offer = self.assemble_offer(row).await?;
        crate::search::after_write(self.index_offers(std::slice::from_ref(&offer)).await);
        Ok(offer)
    }

    /// Changes an offer; `input.version` must be the stored one (else
    /// `Conflict` and nothing changes).
    pub async fn update_offer(
        &self,
        actor: &Actor,
        id: Uuid,
        input: &OfferInput,
    ) -> Result<Offer, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let current = crate::write::current(
            store::find_offer(self.store.conn(), id).await?,
            input.version,
        )?;
        let row = self.validate_offer(input, Some(&current)).await?;
        self.write_offer(actor, &current, row, "update").await
    }

    async fn write_offer(
        &self,
        actor: &Actor,
        before: &OfferRow,
        row: OfferRow,
        action: &str,
    ) -> Result<Offer, Error> {
        let tx = self.store.begin().await?;
        let row = update_offer_in(&tx, actor, before, row, action).await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        let offer = self.assemble_offer(row).await?;
        crate::search::after_write(self.index_offers(std::slice::from_ref(&offer)).await);
        Ok(offer)
    }

    /// Changes the fields a JSON object names; `version` is required.
    pub async fn patch_offer(
        &self,
        actor: &Actor,
        id: Uuid,
        patch: &serde_json::Value,
    ) -> Result<Offer, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let current = self.get_offer(actor, id).await?;
        let input: OfferInput = crate::patch::merge(&current.to_input(), patch)?;
        self.update_offer(actor, id, &input).await
    }

    /// Soft delete (or restore) of the given version.
    pub async fn set_offer_deleted(
        &self,
        actor: &Actor,
        id: Uuid,
        version: i32,
        deleted: bool,
    ) -> Result<Offer, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let current =
            crate::write::current(store::find_offer(self.store.conn(), id).await?, version)?;
        let mut row = current.clone();
        row.deleted_at = deleted.then(Utc::now);
        self.write_offer(
            actor,
            &current,
            row,
            if deleted { "delete" } else { "restore" },
        )
        .await
    }

    /// The offer's history from the audit log, newest first.
    pub async fn offer_history(
        &self,
        actor: &Actor,
        id: Uuid,
    ) -> Result<Vec<audit::AuditEntry>, Error> {
        actor.require(Permission::ReadStaffArea)?;
        self.entity_history("offer", id).await
    }

    /// The offers of one organisation (not deleted), by title.
    pub async fn organisation_offers(
        &self,
        actor: &Actor,
        organisation: Uuid,
    ) -> Result<Vec<Offer>, Error> {
        Ok(self
            .list_offers(
                actor,
                &OfferQuery {
                    organisation: Some(organisation),
                    limit: 500,
                    ..OfferQuery::default()
                },
            )
            .await?
            .items)
    }

    /// For the targets metric: how many offers were public in `[from, to]`
    /// — public, not deleted, valid on some day of the range (`valid_from`
    /// not after `to`, or without one created by the end of `to`; `valid_to`
    /// none or not before `from`) — optionally only of organisations of the
    /// given kinds; and the staff list showing exactly those.
    pub async fn offers_published(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        organisation_kinds: &[String],
    ) -> Result<(u64, String), Error> {
        let q = OfferQuery {
            public: Some(true),
            from: Some(from),
            to: Some(to),
            organisation_kinds: organisation_kinds.to_vec(),
            ..OfferQuery::default()
        };
        let n = store::count_offers(self.store.conn(), &filter_of(&q)).await?;
        let mut href = format!("/app/offers?public=true&from={from}&to={to}");
        for k in organisation_kinds {
            let code: String = k
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            href.push_str("&organisation_kind=");
            href.push_str(&code);
        }
        Ok((n, href))
    }
}

fn filter_of(q: &OfferQuery) -> OfferFilter {
    OfferFilter {
        organisation: q.organisation,
        organisation_kinds: q.organisation_kinds.clone(),
        statuses: q.statuses.clone(),
        categories: q.categories.clone(),
        public: q.public,
        words: fold(&q.text)
            .split_whitespace()
            .map(str::to_owned)
            .collect(),
        from: q.from,
        to: q.to.map(|t| (t, time::start_of_day(t + Duration::days(1)))),
        deleted: q.deleted,
        public_organisations_only: false,
    }
}

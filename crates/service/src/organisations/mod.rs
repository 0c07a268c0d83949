//! The registry of organisations: create, read, change (with optimistic
//! locking), soft-delete and restore, mark as checked, list with filters and
//! facets, and each record's history from the audit log.
//!
//! Input comes as [`OrganisationInput`] (what a form or a JSON body holds);
//! [`validate`] turns it into a row or a list of field errors, all at once.

mod logo;
mod merge;
mod validate;
pub(crate) use validate::*;

use crate::{Actor, Error, FieldError, Services, audit};
use chrono::{DateTime, Datelike, Duration, Utc};
use msohub_domain::Permission;
use msohub_domain::organisation::{self as rules, LegalStatus, OrganisationKind};
/// How a list of organisations is sorted (the store's order, named here so
/// callers need not know the store).
pub use msohub_store::organisations::OrgSort;
use msohub_store::organisations::{self as store, OrgFilter, OrganisationRow};
use serde::{Deserialize, Serialize};
use sha2::Digest;
use std::collections::BTreeMap;
use uuid::Uuid;

/// The parts of a profile that can be made public, each a group of fields.
pub const PUBLIC_PARTS: &[&str] = &["description", "address", "contact", "details", "languages"];

/// An organisation as the staff UI and the API show it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct Organisation {
    pub id: Uuid,
    pub name: String,
    pub alternate_names: Vec<String>,
    pub kind: String,
    pub legal_status: Option<String>,
    pub register_court: Option<String>,
    pub register_number: Option<String>,
    pub founding_year: Option<i32>,
    pub member_count: Option<i32>,
    pub origins: Vec<String>,
    pub languages: Vec<String>,
    pub topics: Vec<String>,
    pub target_groups: Vec<String>,
    pub street: Option<String>,
    pub postcode: Option<String>,
    pub city: Option<String>,
    pub district: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub website: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub description: String,
    pub internal_notes: String,
    pub is_public: bool,
    pub public_parts: Vec<String>,
    pub is_own_office: bool,
    pub assured_at: Option<DateTime<Utc>>,
    pub deleted: bool,
    /// Set when this record was merged into another as a duplicate.
    pub merged_into: Option<Uuid>,
    /// The current logo's file id (changes with every upload); the image is
    /// at `/api/v1/organisations/{id}/logo`.
    pub logo_id: Option<Uuid>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn list_of(json: &str) -> Vec<String> {
    serde_json::from_str(json).unwrap_or_default()
}

impl From<&OrganisationRow> for Organisation {
    fn from(r: &OrganisationRow) -> Self {
        Organisation {
            id: r.id,
            name: r.name.clone(),
            alternate_names: list_of(&r.alternate_names),
            kind: r.kind.clone(),
            legal_status: r.legal_status.clone(),
            register_court: r.register_court.clone(),
            register_number: r.register_number.clone(),
            founding_year: r.founding_year,
            member_count: r.member_count,
            origins: list_of(&r.origins),
            languages: list_of(&r.languages),
            topics: list_of(&r.topics),
            target_groups: list_of(&r.target_groups),
            street: r.street.clone(),
            postcode: r.postcode.clone(),
            city: r.city.clone(),
            district: r.district.clone(),
            latitude: r.latitude,
            longitude: r.longitude,
            website: r.website.clone(),
            email: r.email.clone(),
            phone: r.phone.clone(),
            description: r.description.clone(),
            internal_notes: r.internal_notes.clone(),
            is_public: r.is_public,
            public_parts: list_of(&r.public_fields),
            is_own_office: r.is_own_office,
            assured_at: r.assured_at,
            deleted: r.deleted_at.is_some(),
            merged_into: r.merged_into,
            logo_id: r.logo_file_id,
            version: r.version,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

impl Organisation {
    /// The audit log's view: every editable field (not timestamps/version).
    fn audit_view(&self) -> serde_json::Value {
        let mut v = serde_json::to_value(self).unwrap_or_default();
        if let Some(o) = v.as_object_mut() {
            for k in ["id", "version", "created_at", "updated_at"] {
                o.remove(k);
            }
        }
        v
    }

    /// The input that would produce this record (the edit form's values).
    pub fn to_input(&self) -> OrganisationInput {
        let opt = |o: &Option<String>| o.clone().unwrap_or_default();
        OrganisationInput {
            name: self.name.clone(),
            alternate_names: self.alternate_names.join("\n"),
            kind: self.kind.clone(),
            legal_status: opt(&self.legal_status),
            register_court: opt(&self.register_court),
            register_number: opt(&self.register_number),
            founding_year: self
                .founding_year
                .map(|y| y.to_string())
                .unwrap_or_default(),
            member_count: self.member_count.map(|n| n.to_string()).unwrap_or_default(),
            origins: self.origins.join(", "),
            languages: self.languages.join(", "),
            topics: self.topics.clone(),
            target_groups: self.target_groups.clone(),
            street: opt(&self.street),
            postcode: opt(&self.postcode),
            city: opt(&self.city),
            district: opt(&self.district),
            latitude: self.latitude.map(|v| v.to_string()).unwrap_or_default(),
            longitude: self.longitude.map(|v| v.to_string()).unwrap_or_default(),
            website: opt(&self.website),
            email: opt(&self.email),
            phone: opt(&self.phone),
            description: self.description.clone(),
            internal_notes: self.internal_notes.clone(),
            is_public: self.is_public,
            public_parts: self.public_parts.clone(),
            version: self.version,
        }
    }
}

/// JSON clients send numbers and arrays where forms send text; each field
/// takes what the API document says it takes (web::api::contract) and
/// turns it into the text the rules parse. Anything else is refused (422)
/// rather than read as something the client did not mean.
pub(crate) mod lenient {
    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer};

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Loose {
        Text(String),
        Number(serde_json::Number),
        List(Vec<String>),
        #[allow(dead_code)]
        Bool(bool),
    }

    fn loose<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Loose>, D::Error> {
        Option::<Loose>::deserialize(d)
    }

    fn refused<E: serde::de::Error>(what: &str) -> E {
        E::custom(format!("invalid type: expected {what}"))
    }

    /// Text, or `null` for none.
    pub fn text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        match loose(d)? {
            None => Ok(String::new()),
            Some(Loose::Text(s)) => Ok(s),
            Some(_) => Err(refused("a string")),
        }
    }

    /// A number, the text of one (forms), or `null` for none.
    pub fn number<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        match loose(d)? {
            None => Ok(String::new()),
            Some(Loose::Text(s)) => Ok(s),
            Some(Loose::Number(n)) => Ok(n.to_string()),
            Some(_) => Err(refused("a number")),
        }
    }

    /// Lines of text: an array of strings, text (one item per line or
    /// comma-separated), or `null` for none.
    pub fn lines<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        match loose(d)? {
            None => Ok(String::new()),
            Some(Loose::Text(s)) => Ok(s),
            Some(Loose::List(items)) => Ok(items.join("\n")),
            Some(_) => Err(refused("an array of strings or a string")),
        }
    }

    /// A list: an array of strings, comma-separated text, or `null` for
    /// none.
    pub fn list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
        match loose(d)? {
            None => Ok(Vec::new()),
            Some(Loose::List(items)) => Ok(items),
            Some(Loose::Text(s)) => Ok(s
                .split(',')
                .map(|x| x.trim().to_owned())
                .filter(|x| !x.is_empty())
                .collect()),
            Some(_) => Err(D::Error::custom(
                "invalid type: expected an array of strings or a string",
            )),
        }
    }
}

/// What a form or a JSON body gives: text as typed, lists as lists.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
#[serde(default)]
pub struct OrganisationInput {
    #[serde(deserialize_with = "lenient::text")]
    pub name: String,
    /// One per line (or comma-separated).
    #[serde(deserialize_with = "lenient::lines")]
    pub alternate_names: String,
    #[serde(deserialize_with = "lenient::text")]
    pub kind: String,
    #[serde(deserialize_with = "lenient::text")]
    pub legal_status: String,
    #[serde(deserialize_with = "lenient::text")]
    pub register_court: String,
    #[serde(deserialize_with = "lenient::text")]
    pub register_number: String,
    #[serde(deserialize_with = "lenient::number")]
    pub founding_year: String,
    #[serde(deserialize_with = "lenient::number")]
    pub member_count: String,
    /// Communities / countries of origin, comma-separated.
    #[serde(deserialize_with = "lenient::lines")]
    pub origins: String,
    /// ISO 639-1 codes, comma-separated.
    #[serde(deserialize_with = "lenient::lines")]
    pub languages: String,
    #[serde(deserialize_with = "lenient::list")]
    pub topics: Vec<String>,
    #[serde(deserialize_with = "lenient::list")]
    pub target_groups: Vec<String>,
    #[serde(deserialize_with = "lenient::text")]
    pub street: String,
    #[serde(deserialize_with = "lenient::text")]
    pub postcode: String,
    #[serde(deserialize_with = "lenient::text")]
    pub city: String,
    #[serde(deserialize_with = "lenient::text")]
    pub district: String,
    #[serde(deserialize_with = "lenient::number")]
    pub latitude: String,
    #[serde(deserialize_with = "lenient::number")]
    pub longitude: String,
    #[serde(deserialize_with = "lenient::text")]
    pub website: String,
    #[serde(deserialize_with = "lenient::text")]
    pub email: String,
    #[serde(deserialize_with = "lenient::text")]
    pub phone: String,
    #[serde(deserialize_with = "lenient::text")]
    pub description: String,
    #[serde(deserialize_with = "lenient::text")]
    pub internal_notes: String,
    pub is_public: bool,
    #[serde(deserialize_with = "lenient::list")]
    pub public_parts: Vec<String>,
    /// The version the change is based on (0 for a new record).
    pub version: i32,
}

/// Lower-case ASCII letters and digits of a name (for demo addresses).
pub fn slug(name: &str) -> String {
    rules::fold(name)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

/// A term of a vocabulary with its labels.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct Term {
    pub code: String,
    pub label_de: String,
    pub label_en: String,
    /// Turkish, Arabic, Russian, Ukrainian labels where the office entered
    /// them (`null`: the shipped translation or German is shown).
    pub label_tr: Option<String>,
    pub label_ar: Option<String>,
    pub label_ru: Option<String>,
    pub label_uk: Option<String>,
    /// No longer offered for new entries.
    pub retired: bool,
}

impl Term {
    /// The label stored for a language: German and English always, the
    /// other four where entered.
    pub fn stored_label(&self, lang: msohub_domain::Language) -> Option<&str> {
        use msohub_domain::Language;
        match lang {
            Language::De => Some(&self.label_de),
            Language::En => Some(&self.label_en),
            Language::Tr => self.label_tr.as_deref(),
            Language::Ar => self.label_ar.as_deref(),
            Language::Ru => self.label_ru.as_deref(),
            Language::Uk => self.label_uk.as_deref(),
        }
    }
}

/// What to list.
#[derive(Debug, Clone, Default)]
pub struct OrgQuery {
    pub text: String,
    pub kinds: Vec<String>,
    pub topics: Vec<String>,
    pub languages: Vec<String>,
    pub districts: Vec<String>,
    pub origins: Vec<String>,
    /// Only profiles not checked for 12 months.
    pub unchecked: bool,
    pub deleted: bool,
    pub sort: OrgSort,
    /// Opaque position from a previous page.
    pub cursor: Option<String>,
    pub limit: u64,
}

/// One page of organisations.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OrgPage {
    pub items: Vec<Organisation>,
    pub total: u64,
    pub next_cursor: Option<String>,
    #[schema(value_type = BTreeMap<String, BTreeMap<String, u64>>)]
    pub facets: BTreeMap<&'static str, BTreeMap<String, u64>>,
}

pub const MAX_PAGE: u64 = 500;

/// Cursors are opaque to clients; inside they are an offset.
/// The largest offset a cursor may name.
pub(crate) const MAX_OFFSET: u64 = 1_000_000_000;

pub(crate) fn decode_cursor(cursor: Option<&str>) -> Result<u64, Error> {
    match cursor.filter(|c| !c.is_empty()) {
        None => Ok(0),
        Some(c) => c
            .strip_prefix("o")
            .and_then(|n| n.parse::<u64>().ok())
            // Far beyond any list; keeps `offset + limit` and the SQL
            // OFFSET (a signed 64-bit number) from overflowing.
            .filter(|n| *n <= MAX_OFFSET)
            .ok_or_else(|| {
                Error::Validation(vec![FieldError {
                    field: "cursor".into(),
                    rule: "cursor-invalid".into(),
                }])
            }),
    }
}

fn filter_of(q: &OrgQuery) -> OrgFilter {
    OrgFilter {
        words: rules::fold(&q.text.chars().take(200).collect::<String>())
            .split(' ')
            .filter(|w| !w.is_empty())
            .take(8)
            .map(str::to_owned)
            .collect(),
        kinds: q.kinds.clone(),
        topics: q.topics.clone(),
        languages: q.languages.clone(),
        districts: q.districts.clone(),
        origins: q.origins.clone(),
        not_assured_since: q.unchecked.then(|| Utc::now() - Duration::days(365)),
        deleted: q.deleted,
        public_only: false,
    }
}

impl Services {
    /// Applies a partial change (JSON PATCH-like: only the keys present)
    /// on top of the current record, then saves it with version check.
    pub async fn patch_organisation(
        &self,
        actor: &Actor,
        id: Uuid,
        patch: &serde_json::Value,
    ) -> Result<Organisation, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let current = self.get_organisation(actor, id).await?;
        let mut base =
            serde_json::to_value(current.to_input()).map_err(|e| Error::Internal(Box::new(e)))?;
        let (Some(base_map), Some(patch_map)) = (base.as_object_mut(), patch.as_object()) else {
            return Err(Error::Validation(vec![FieldError {
                field: "body".into(),
                rule: "object-expected".into(),
            }]));
        };
        if !patch_map.contains_key("version") {
            return Err(Error::Validation(vec![FieldError {
                field: "version".into(),
                rule: "required".into(),
            }]));
        }
        for (k, v) in patch_map {
            if !base_map.contains_key(k) {
                return Err(Error::Validation(vec![FieldError {
                    field: k.clone(),
                    rule: "field-unknown".into(),
                }]));
            }
            base_map.insert(k.clone(), v.clone());
        }
        let input: OrganisationInput = serde_json::from_value(base).map_err(|e| {
            Error::Validation(vec![FieldError {
                field: "body".into(),
                rule: format!("invalid: {e}"),
            }])
        })?;
        self.update_organisation(actor, id, &input).await
    }

    pub async fn terms(&self, vocabulary: &str) -> Result<Vec<Term>, Error> {
        Ok(store::terms(self.store.conn(), vocabulary)
            .await?
            .into_iter()
            .map(|t| Term {
                code: t.code,
                label_de: t.label_de,
                label_en: t.label_en,
                label_tr: t.label_tr,
                label_ar: t.label_ar,
                label_ru: t.label_ru,
                label_uk: t.label_uk,
                retired: t.retired_at.is_some(),
            })
            .collect())
    }

    pub async fn districts(&self) -> Result<Vec<String>, Error> {
        Ok(store::districts(self.store.conn()).await?)
    }

    pub(crate) async fn term_codes(&self) -> Result<(Vec<String>, Vec<String>), Error> {
        let codes = |t: Vec<Term>| t.into_iter().map(|t| t.code).collect::<Vec<_>>();
        Ok((
            codes(self.terms("topic").await?),
            codes(self.terms("target_group").await?),
        ))
    }

    pub async fn list_organisations(&self, actor: &Actor, q: &OrgQuery) -> Result<OrgPage, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let offset = decode_cursor(q.cursor.as_deref())?;
        let limit = q.limit.clamp(1, MAX_PAGE);
        // The index answers text searches (stemming, typos, ranking) and
        // name-sorted filter lists with facets (a scan of the database for
        // facet counts costs ~100x more at 20,000 organisations). It holds
        // live records only and knows no check dates, so deleted or
        // "unchecked" lists and the other sort orders use the database.
        let text = !q.text.trim().is_empty();
        if let Some(search) = self.ready_search()
            && (text || q.sort == OrgSort::NameAsc)
            && !q.deleted
            && !q.unchecked
        {
            let query = msohub_search::Query {
                text: q.text.chars().take(2000).collect(),
                kinds: q.kinds.clone(),
                topics: q.topics.clone(),
                languages: q.languages.clone(),
                districts: q.districts.clone(),
                origins: q.origins.clone(),
                entities: vec!["organisation".to_owned()],
                public_only: false,
                limit: usize::try_from(limit).unwrap_or(50),
                offset: usize::try_from(offset).unwrap_or(0),
                ..msohub_search::Query::default()
            };
            let index = search.index.clone();
            let results = tokio::task::spawn_blocking(move || index.search(&query))
                .await
                .map_err(|e| Error::Internal(Box::new(e)))?
                .map_err(|e| Error::Internal(Box::new(e)))?;
            let ids: Vec<Uuid> = results.hits.iter().map(|h| h.id).collect();
            let rows = store::find_many(self.store.conn(), &ids).await?;
            let total = results.total as u64;
            let facets = results
                .facets
                .into_iter()
                .filter_map(|(k, v)| {
                    let key: &'static str = match k.as_str() {
                        "kind" => "kind",
                        "topic" => "topic",
                        "language" => "language",
                        "district" => "district",
                        "origin" => "origin",
                        _ => return None,
                    };
                    Some((key, v.into_iter().filter(|(_, n)| *n > 0).collect()))
                })
                .collect();
            let next_cursor = (offset + limit < total).then(|| format!("o{}", offset + limit));
            return Ok(OrgPage {
                items: rows.iter().map(Organisation::from).collect(),
                total,
                next_cursor,
                facets,
            });
        }
        let filter = filter_of(q);
        let (rows, total) = store::list(self.store.conn(), &filter, q.sort, offset, limit).await?;
        let facets = store::facets(self.store.conn(), &filter).await?;
        let next_cursor = (offset + limit < total).then(|| format!("o{}", offset + limit));
        Ok(OrgPage {
            items: rows.iter().map(Organisation::from).collect(),
            total,
            next_cursor,
            facets,
        })
    }

    pub async fn get_organisation(&self, actor: &Actor, id: Uuid) -> Result<Organisation, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let row = store::find(self.store.conn(), id)
            .await?
            .ok_or(Error::NotFound)?;
        Ok(Organisation::from(&row))
    }

    pub async fn create_organisation(
        &self,
        actor: &Actor,
        input: &OrganisationInput,
    ) -> Result<Organisation, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let (topics, groups) = self.term_codes().await?;
        let row = validate(input, &topics, &groups)?;
        let tx = self.store.begin().await?;
        let org = insert_in(&tx, actor, row).await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        crate::search::after_write(self.index_organisation(&org).await);
        Ok(org)
    }

    /// Creates many organisations in one transaction, all or nothing (demo
    /// data, benchmarks; the import of a later feature). `own_office` marks
    /// the first one as the office itself.
    pub async fn create_organisations(
        &self,
        actor: &Actor,
        inputs: &[OrganisationInput],
        own_office: bool,
    ) -> Result<usize, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let (topics, groups) = self.term_codes().await?;
        let tx = self.store.begin().await?;
        let mut created = Vec::with_capacity(inputs.len());
        for (i, input) in inputs.iter().enumerate() {
            let mut row = validate(input, &topics, &groups)?;
            row.is_own_office = own_office && i == 0;
            row.assured_at =
                (!i.is_multiple_of(3)).then(|| Utc::now() - Duration::days((i as i64 * 11) % 500));
            created.push(insert_in(&tx, actor, row).await?);
        }
        tx.commit().await.map_err(msohub_store::Error::from)?;
        crate::search::after_write(self.index_organisations(created).await);
        Ok(inputs.len())
    }

    /// Replaces the editable fields; `input.version` must be current.
    pub async fn update_organisation(
        &self,
        actor: &Actor,
        id: Uuid,
        input: &OrganisationInput,
    ) -> Result<Organisation, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let (topics, groups) = self.term_codes().await?;
        let fresh = validate(input, &topics, &groups)?;
        let tx = self.store.begin().await?;
        let current = crate::write::current(store::find(&tx, id).await?, input.version)?;
        let after = update_in(&tx, actor, current, fresh).await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        crate::search::after_write(self.index_organisation(&after).await);
        Ok(after)
    }

    /// Applies a small change (delete, restore, checked) with version check.
    async fn touch_organisation(
        &self,
        actor: &Actor,
        id: Uuid,
        version: i32,
        action: &str,
        change: impl FnOnce(&mut OrganisationRow),
    ) -> Result<Organisation, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let tx = self.store.begin().await?;
        let after = touch_in(&tx, actor, id, version, action, change).await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        crate::search::after_write(self.index_organisation(&after).await);
        Ok(after)
    }

    /// Soft delete: hidden from lists, restorable, kept in the history.
    pub async fn delete_organisation(
        &self,
        actor: &Actor,
        id: Uuid,
        version: i32,
    ) -> Result<Organisation, Error> {
        self.touch_organisation(actor, id, version, "delete", |r| {
            r.deleted_at = Some(Utc::now())
        })
        .await
    }

    /// Soft delete of whatever the current version is (API clients rarely
    /// hold a version when they delete; deleting twice is harmless).
    pub async fn delete_organisation_current(
        &self,
        actor: &Actor,
        id: Uuid,
    ) -> Result<Organisation, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let version = self.get_organisation(actor, id).await?.version;
        self.delete_organisation(actor, id, version).await
    }

    pub async fn restore_organisation(
        &self,
        actor: &Actor,
        id: Uuid,
        version: i32,
    ) -> Result<Organisation, Error> {
        self.touch_organisation(actor, id, version, "restore", |r| r.deleted_at = None)
            .await
    }

    /// "Profile checked today."
    pub async fn mark_organisation_checked(
        &self,
        actor: &Actor,
        id: Uuid,
        version: i32,
    ) -> Result<Organisation, Error> {
        self.touch_organisation(actor, id, version, "checked", |r| {
            r.assured_at = Some(Utc::now())
        })
        .await
    }

    /// The record's history, newest first (staff may see it; it is the
    /// record's own audit trail).
    pub async fn organisation_history(
        &self,
        actor: &Actor,
        id: Uuid,
    ) -> Result<Vec<audit::AuditEntry>, Error> {
        actor.require(Permission::ReadStaffArea)?;
        self.entity_history("organisation", id).await
    }
}

/// Finds the row, checks the version, applies `change`, writes it and the
/// audit entry, all inside `tx`.
async fn touch_in(
    tx: &msohub_store::Tx,
    actor: &Actor,
    id: Uuid,
    version: i32,
    action: &str,
    change: impl FnOnce(&mut OrganisationRow),
) -> Result<Organisation, Error> {
    let mut row = store::find(tx, id).await?.ok_or(Error::NotFound)?;
    if row.version != version {
        return Err(Error::stale());
    }
    let before = Organisation::from(&row);
    change(&mut row);
    let row = store::update(tx, row).await?;
    let after = Organisation::from(&row);
    audit::record(
        tx,
        actor,
        "organisation",
        id,
        action,
        Some(before.audit_view()),
        Some(after.audit_view()),
    )
    .await?;
    Ok(after)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> OrganisationInput {
        OrganisationInput {
            name: "Kulturverein Anatolien".into(),
            kind: "mso".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_minimal_organisation_is_valid() {
        let row = validate(&input(), &[], &[]).unwrap();
        assert_eq!(row.name_sort, "kulturverein anatolien");
        assert_eq!(row.topics, "[]");
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let bad = OrganisationInput {
            name: " ".into(),
            kind: "club".into(),
            email: "kaputt".into(),
            website: "kein web".into(),
            founding_year: "2999".into(),
            languages: "xx".into(),
            register_number: "12".into(),
            topics: vec!["astrology".into()],
            ..Default::default()
        };
        let Err(Error::Validation(errors)) = validate(&bad, &["culture".into()], &[]) else {
            panic!()
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        for f in [
            "name",
            "kind",
            "email",
            "website",
            "founding_year",
            "languages",
            "register_number",
            "topics",
        ] {
            assert!(fields.contains(&f), "{f} missing in {fields:?}");
        }
    }

    #[test]
    fn input_round_trips_through_a_record() {
        let mut i = input();
        i.languages = "tr, de".into();
        i.topics = vec!["culture".into()];
        i.postcode = "01067".into();
        let row = validate(&i, &["culture".into()], &[]).unwrap();
        let back = Organisation::from(&row).to_input();
        assert_eq!(back.languages, "tr, de");
        assert_eq!(back.postcode, "01067");
        assert_eq!(back.topics, ["culture"]);
    }
}

//! The registry of organisations: create, read, change (with optimistic
//! locking), soft-delete and restore, mark as checked, list with filters and
//! facets, and each record's history from the audit log.
//!
//! Input comes as [`OrganisationInput`] (what a form or a JSON body holds);
//! [`validate`] turns it into a row or a list of field errors, all at once.

use crate::{Actor, Error, FieldError, Services, audit};
use chrono::{DateTime, Datelike, Duration, Utc};
use msohub_domain::Permission;
use msohub_domain::organisation::{self as rules, LegalStatus, OrganisationKind};
use msohub_store::organisations::{self as store, OrgFilter, OrgSort, OrganisationRow};
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

/// JSON clients send numbers and arrays where forms send text; both are
/// accepted and turned into the text the rules parse.
pub(crate) mod lenient {
    use serde::{Deserialize, Deserializer};

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Loose {
        Text(String),
        Number(serde_json::Number),
        List(Vec<String>),
        Bool(bool),
    }

    pub fn text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        Ok(match Option::<Loose>::deserialize(d)? {
            None => String::new(),
            Some(Loose::Text(s)) => s,
            Some(Loose::Number(n)) => n.to_string(),
            Some(Loose::List(items)) => items.join("\n"),
            Some(Loose::Bool(b)) => b.to_string(),
        })
    }

    pub fn list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
        Ok(match Option::<Loose>::deserialize(d)? {
            None => Vec::new(),
            Some(Loose::List(items)) => items,
            Some(Loose::Text(s)) => s
                .split(',')
                .map(|x| x.trim().to_owned())
                .filter(|x| !x.is_empty())
                .collect(),
            Some(other) => vec![match other {
                Loose::Number(n) => n.to_string(),
                Loose::Bool(b) => b.to_string(),
                _ => String::new(),
            }],
        })
    }
}

/// What a form or a JSON body gives: text as typed, lists as lists.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
#[serde(default)]
pub struct OrganisationInput {
    #[serde(deserialize_with = "lenient::text")]
    pub name: String,
    /// One per line (or comma-separated).
    #[serde(deserialize_with = "lenient::text")]
    pub alternate_names: String,
    #[serde(deserialize_with = "lenient::text")]
    pub kind: String,
    #[serde(deserialize_with = "lenient::text")]
    pub legal_status: String,
    #[serde(deserialize_with = "lenient::text")]
    pub register_court: String,
    #[serde(deserialize_with = "lenient::text")]
    pub register_number: String,
    #[serde(deserialize_with = "lenient::text")]
    pub founding_year: String,
    #[serde(deserialize_with = "lenient::text")]
    pub member_count: String,
    /// Communities / countries of origin, comma-separated.
    #[serde(deserialize_with = "lenient::text")]
    pub origins: String,
    /// ISO 639-1 codes, comma-separated.
    #[serde(deserialize_with = "lenient::text")]
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
    #[serde(deserialize_with = "lenient::text")]
    pub latitude: String,
    #[serde(deserialize_with = "lenient::text")]
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

/// Checks every field; returns the row's values or all field errors.
pub(crate) fn validate(
    input: &OrganisationInput,
    topics: &[String],
    groups: &[String],
) -> Result<OrganisationRow, Error> {
    let mut errors: Vec<FieldError> = Vec::new();
    // A macro, not a closure: the results have different types.
    macro_rules! take {
        ($result:expr) => {
            match $result {
                Ok(v) => Some(v),
                Err(e) => {
                    errors.push(FieldError {
                        field: e.field.to_owned(),
                        rule: e.rule.to_owned(),
                    });
                    None
                }
            }
        };
    }
    let name = take!(rules::parse_name("name", &input.name, 200));
    let alternate_names = take!(rules::parse_list(
        "alternate_names",
        &input.alternate_names,
        10,
        200
    ));
    let kind = take!(OrganisationKind::parse(&input.kind).map(|k| k.code().to_owned()));
    let legal_status = if input.legal_status.trim().is_empty() {
        Some(None)
    } else {
        take!(LegalStatus::parse(&input.legal_status).map(|l| Some(l.code().to_owned())))
    };
    let register_court = take!(rules::parse_optional(
        "register_court",
        &input.register_court,
        100
    ));
    let register_number = take!(rules::parse_register_number(&input.register_number));
    let founding_year = take!(rules::parse_founding_year(
        &input.founding_year,
        Utc::now().year()
    ));
    let member_count = take!(rules::parse_member_count(&input.member_count));
    let origins = take!(rules::parse_list("origins", &input.origins, 20, 100));
    let languages = take!(rules::parse_languages(&input.languages));
    let street = take!(rules::parse_optional("street", &input.street, 200));
    let postcode = take!(rules::parse_postcode(&input.postcode));
    let city = take!(rules::parse_optional("city", &input.city, 100));
    let district = take!(rules::parse_optional("district", &input.district, 100));
    let coordinates = take!(rules::parse_coordinates(&input.latitude, &input.longitude));
    let website = take!(rules::parse_website(&input.website));
    let email = if input.email.trim().is_empty() {
        Some(None)
    } else {
        take!(msohub_domain::EmailAddress::parse(&input.email).map(|e| Some(e.to_string())))
    };
    let phone = take!(rules::parse_phone(&input.phone));
    let description = if input.description.chars().count() > 20_000 {
        errors.push(FieldError {
            field: "description".into(),
            rule: "too-long".into(),
        });
        None
    } else {
        Some(input.description.trim().to_owned())
    };
    let internal_notes = if input.internal_notes.chars().count() > 20_000 {
        errors.push(FieldError {
            field: "internal_notes".into(),
            rule: "too-long".into(),
        });
        None
    } else {
        Some(input.internal_notes.trim().to_owned())
    };
    let mut checked_terms = |field: &str, given: &[String], known: &[String]| -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for t in given.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
            if !known.iter().any(|k| k == t) {
                errors.push(FieldError {
                    field: field.to_owned(),
                    rule: "term-unknown".into(),
                });
                return Vec::new();
            }
            if !out.iter().any(|o| o == t) {
                out.push(t.to_owned());
            }
        }
        out
    };
    let topics = checked_terms("topics", &input.topics, topics);
    let target_groups = checked_terms("target_groups", &input.target_groups, groups);
    let mut public_parts: Vec<String> = Vec::new();
    for p in &input.public_parts {
        if !PUBLIC_PARTS.contains(&p.as_str()) {
            errors.push(FieldError {
                field: "public_parts".into(),
                rule: "choice-unknown".into(),
            });
        } else if !public_parts.contains(p) {
            public_parts.push(p.clone());
        }
    }
    let (
        Some(name),
        Some(alternate_names),
        Some(kind),
        Some(legal_status),
        Some(register_court),
        Some(register_number),
        Some(founding_year),
        Some(member_count),
        Some(origins),
        Some(languages),
        Some(street),
        Some(postcode),
        Some(city),
        Some(district),
        Some(coordinates),
        Some(website),
        Some(email),
        Some(phone),
        Some(description),
        Some(internal_notes),
        true,
    ) = (
        name,
        alternate_names,
        kind,
        legal_status,
        register_court,
        register_number,
        founding_year,
        member_count,
        origins,
        languages,
        street,
        postcode,
        city,
        district,
        coordinates,
        website,
        email,
        phone,
        description,
        internal_notes,
        errors.is_empty(),
    )
    else {
        return Err(Error::Validation(errors));
    };
    let json = |v: &Vec<String>| serde_json::to_string(v).unwrap_or_else(|_| "[]".into());
    let search_text = rules::fold(&format!(
        "{} {} {}",
        name,
        alternate_names.join(" "),
        city.clone().unwrap_or_default()
    ));
    let now = Utc::now();
    Ok(OrganisationRow {
        id: Uuid::now_v7(),
        name_sort: rules::fold(&name),
        name,
        alternate_names: json(&alternate_names),
        kind,
        legal_status,
        register_court,
        register_number,
        founding_year,
        member_count,
        origins: json(&origins),
        languages: json(&languages),
        topics: json(&topics),
        target_groups: json(&target_groups),
        street,
        postcode,
        city,
        district,
        latitude: coordinates.map(|c| c.0),
        longitude: coordinates.map(|c| c.1),
        website,
        email,
        phone,
        description,
        internal_notes,
        public_fields: json(&public_parts),
        is_public: input.is_public,
        is_own_office: false,
        assured_at: None,
        search_text,
        version: 1,
        deleted_at: None,
        merged_into: None,
        logo_file_id: None,
        created_at: now,
        updated_at: now,
    })
}

/// Inserts a checked row and records it in the audit log, inside the
/// caller's transaction.
pub(crate) async fn insert_in(
    tx: &msohub_store::Tx,
    actor: &Actor,
    row: OrganisationRow,
) -> Result<Organisation, Error> {
    let row = store::insert(tx, row).await?;
    let org = Organisation::from(&row);
    audit::record(
        tx,
        actor,
        "organisation",
        org.id,
        "create",
        None,
        Some(org.audit_view()),
    )
    .await?;
    Ok(org)
}

/// Replaces the editable fields of `current` by those of `fresh` (a checked
/// row) when `current` is still the stored version, and records the change.
pub(crate) async fn update_in(
    tx: &msohub_store::Tx,
    actor: &Actor,
    current: OrganisationRow,
    fresh: OrganisationRow,
) -> Result<Organisation, Error> {
    let before = Organisation::from(&current);
    let row = OrganisationRow {
        id: current.id,
        is_own_office: current.is_own_office,
        assured_at: current.assured_at,
        version: current.version,
        deleted_at: current.deleted_at,
        merged_into: current.merged_into,
        logo_file_id: current.logo_file_id,
        created_at: current.created_at,
        ..fresh
    };
    let row = store::update(tx, row).await?;
    let after = Organisation::from(&row);
    audit::record(
        tx,
        actor,
        "organisation",
        after.id,
        "update",
        Some(before.audit_view()),
        Some(after.audit_view()),
    )
    .await?;
    Ok(after)
}

/// Lower-case ASCII letters and digits of a name (for demo addresses).
pub fn slug(name: &str) -> String {
    rules::fold(name)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

/// A term of a vocabulary with its labels.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Term {
    pub code: String,
    pub label_de: String,
    pub label_en: String,
    /// No longer offered for new entries.
    pub retired: bool,
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
        if let Some(search) = &self.search
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
        self.index_organisation(&org).await?;
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
        self.index_organisations(created).await?;
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
        let current = store::find(&tx, id).await?.ok_or(Error::NotFound)?;
        if current.version != input.version {
            return Err(Error::stale());
        }
        let after = update_in(&tx, actor, current, fresh).await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        self.index_organisation(&after).await?;
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
        self.index_organisation(&after).await?;
        Ok(after)
    }

    /// Sets an organisation's logo (PNG, JPEG, WebP or GIF, at most 1 MiB;
    /// the bytes decide, not the name). `version` `None` means the current
    /// one. The file and the change are one transaction.
    pub async fn set_organisation_logo(
        &self,
        actor: &Actor,
        id: Uuid,
        version: Option<i32>,
        file_name: &str,
        bytes: Vec<u8>,
    ) -> Result<Organisation, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let kind = msohub_domain::files::check_logo(&bytes)?;
        let tx = self.store.begin().await?;
        let version = match version {
            Some(v) => v,
            None => store::find(&tx, id).await?.ok_or(Error::NotFound)?.version,
        };
        let sha = hex::encode(sha2::Sha256::digest(&bytes));
        let name: String = file_name
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or_default()
            .chars()
            .filter(|c| !c.is_control())
            .take(200)
            .collect();
        let name = if name.trim().is_empty() {
            format!("logo.{}", kind.extension())
        } else {
            name
        };
        let file = msohub_store::files::insert(&tx, kind.mime(), &name, &sha, bytes).await?;
        let after = touch_in(&tx, actor, id, version, "logo", |r| {
            r.logo_file_id = Some(file)
        })
        .await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        self.index_organisation(&after).await?;
        Ok(after)
    }

    /// Sets the coordinates (from the geocoder).
    pub(crate) async fn set_organisation_coordinates(
        &self,
        actor: &Actor,
        id: Uuid,
        version: i32,
        latitude: f64,
        longitude: f64,
    ) -> Result<Organisation, Error> {
        self.touch_organisation(actor, id, version, "geocoded", |r| {
            r.latitude = Some((latitude * 1e6).round() / 1e6);
            r.longitude = Some((longitude * 1e6).round() / 1e6);
        })
        .await
    }

    /// Removes the logo (the file stays for the history).
    pub async fn remove_organisation_logo(
        &self,
        actor: &Actor,
        id: Uuid,
        version: i32,
    ) -> Result<Organisation, Error> {
        self.touch_organisation(actor, id, version, "logo", |r| r.logo_file_id = None)
            .await
    }

    /// The logo's type and bytes, for anyone who may see the organisation.
    pub async fn organisation_logo(
        &self,
        actor: &Actor,
        id: Uuid,
    ) -> Result<msohub_store::files::StoredFile, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let row = store::find(self.store.conn(), id)
            .await?
            .ok_or(Error::NotFound)?;
        let file = row.logo_file_id.ok_or(Error::NotFound)?;
        msohub_store::files::get(self.store.conn(), file)
            .await?
            .ok_or(Error::NotFound)
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

    /// Merges a duplicate into the organisation kept: every link (people
    /// now; offers, contacts and meetings as they arrive) moves to the one
    /// kept, the duplicate is deleted with a pointer to it, and both records'
    /// histories say so. Both versions must be current.
    pub async fn merge_organisations(
        &self,
        actor: &Actor,
        keep: Uuid,
        keep_version: i32,
        duplicate: Uuid,
        duplicate_version: i32,
    ) -> Result<Organisation, Error> {
        actor.require(Permission::WriteStaffArea)?;
        if keep == duplicate {
            return Err(Error::Validation(vec![FieldError {
                field: "duplicate".into(),
                rule: "merge-same".into(),
            }]));
        }
        let tx = self.store.begin().await?;
        let kept = store::find(&tx, keep).await?.ok_or(Error::NotFound)?;
        let dup = store::find(&tx, duplicate).await?.ok_or_else(|| {
            Error::Validation(vec![FieldError {
                field: "duplicate".into(),
                rule: "not-found".into(),
            }])
        })?;
        if kept.version != keep_version || dup.version != duplicate_version {
            return Err(Error::stale());
        }
        if kept.deleted_at.is_some() || dup.deleted_at.is_some() {
            return Err(Error::Validation(vec![FieldError {
                field: "duplicate".into(),
                rule: "merge-deleted".into(),
            }]));
        }
        let moved = msohub_store::people::move_affiliations(&tx, duplicate, keep).await?;
        msohub_store::work::move_organisation(&tx, duplicate, keep).await?;
        msohub_store::offers::move_organisation(&tx, duplicate, keep).await?;
        let before = Organisation::from(&dup);
        let mut gone = dup;
        gone.deleted_at = Some(Utc::now());
        gone.merged_into = Some(keep);
        let gone = store::update(&tx, gone).await?;
        // The kept record changes too (its links did), so its version moves.
        let kept = store::update(&tx, kept).await?;
        let note =
            serde_json::json!({ "kept": keep, "merged": duplicate, "affiliations_moved": moved });
        audit::record(
            &tx,
            actor,
            "organisation",
            duplicate,
            "merged_away",
            Some(before.audit_view()),
            Some(note.clone()),
        )
        .await?;
        audit::record(&tx, actor, "organisation", keep, "merged", None, Some(note)).await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        self.index_organisation(&Organisation::from(&gone)).await?;
        let kept = Organisation::from(&kept);
        self.index_organisation(&kept).await?;
        Ok(kept)
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

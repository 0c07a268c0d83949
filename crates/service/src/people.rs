//! Contact persons: their details, their roles in organisations
//! (affiliations with dates) and their consent records.
//!
//! Consent decides what may happen with a person's data: a person is shown in
//! anything public only with an active `public_listing` consent, mailed only
//! with `mailings`. A consent is active from the day it was given until it
//! expires or is withdrawn.

use crate::{Actor, Error, FieldError, Services, audit};
use chrono::{NaiveDate, Utc};
use msohub_domain::Permission;
use msohub_domain::organisation as rules;
use msohub_store::organisations as org_store;
use msohub_store::people::{self as store, AffiliationRow, ConsentRow, PersonRow};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What a person may have agreed to.
pub const PURPOSES: &[&str] = &["contact", "public_listing", "mailings"];

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Affiliation {
    pub id: Uuid,
    pub person_id: Uuid,
    pub person_name: String,
    pub organisation_id: Uuid,
    pub organisation_name: String,
    pub role: String,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Consent {
    pub id: Uuid,
    pub purpose: String,
    pub given_on: NaiveDate,
    pub source: String,
    pub expires_on: Option<NaiveDate>,
    pub withdrawn_on: Option<NaiveDate>,
    /// How it was withdrawn when not by staff: "unsubscribe link".
    pub withdrawn_source: String,
    /// Covers today.
    pub active: bool,
}

/// Whether a consent covers `day`: given by then, not expired, not withdrawn.
pub(crate) fn consent_covers(r: &ConsentRow, day: NaiveDate) -> bool {
    r.given_on <= day
        && r.expires_on.is_none_or(|e| e >= day)
        && r.withdrawn_on.is_none_or(|w| w > day)
}

impl Consent {
    fn from_row(r: &ConsentRow, today: NaiveDate) -> Consent {
        Consent {
            id: r.id,
            purpose: r.purpose.clone(),
            given_on: r.given_on,
            source: r.source.clone(),
            expires_on: r.expires_on,
            withdrawn_on: r.withdrawn_on,
            withdrawn_source: r.withdrawn_source.clone(),
            active: consent_covers(r, today),
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Person {
    pub id: Uuid,
    pub given_name: String,
    pub family_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub languages: Vec<String>,
    pub notes: String,
    pub deleted: bool,
    pub version: i32,
    pub affiliations: Vec<Affiliation>,
    pub consents: Vec<Consent>,
}

impl Person {
    pub fn name(&self) -> String {
        format!("{} {}", self.given_name, self.family_name)
    }

    /// Whether an active consent covers `purpose` today.
    pub fn consents_to(&self, purpose: &str) -> bool {
        self.consents
            .iter()
            .any(|c| c.active && c.purpose == purpose)
    }

    fn audit_view(&self) -> serde_json::Value {
        serde_json::json!({
            "given_name": self.given_name, "family_name": self.family_name,
            "email": self.email, "phone": self.phone, "languages": self.languages,
            "notes": self.notes, "deleted": self.deleted,
        })
    }
}

/// What a form or JSON body gives for a person.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct PersonInput {
    pub given_name: String,
    pub family_name: String,
    pub email: String,
    pub phone: String,
    /// ISO 639-1 codes, comma-separated.
    #[serde(deserialize_with = "crate::organisations::lenient::lines")]
    pub languages: String,
    pub notes: String,
    pub version: i32,
}

impl PersonInput {
    pub fn of(p: &Person) -> PersonInput {
        PersonInput {
            given_name: p.given_name.clone(),
            family_name: p.family_name.clone(),
            email: p.email.clone().unwrap_or_default(),
            phone: p.phone.clone().unwrap_or_default(),
            languages: p.languages.join(", "),
            notes: p.notes.clone(),
            version: p.version,
        }
    }
}

fn push(errors: &mut Vec<FieldError>, field: &str, rule: &str) {
    errors.push(FieldError {
        field: field.into(),
        rule: rule.into(),
    });
}

pub(crate) fn validate(input: &PersonInput) -> Result<PersonRow, Error> {
    let mut errors = Vec::new();
    macro_rules! take {
        ($r:expr) => {
            match $r {
                Ok(v) => Some(v),
                Err(e) => {
                    push(&mut errors, e.field, e.rule);
                    None
                }
            }
        };
    }
    let given = take!(rules::parse_name("given_name", &input.given_name, 100));
    let family = take!(rules::parse_name("family_name", &input.family_name, 100));
    let email = if input.email.trim().is_empty() {
        Some(None)
    } else {
        take!(msohub_domain::EmailAddress::parse(&input.email).map(|e| Some(e.to_string())))
    };
    let phone = take!(rules::parse_phone(&input.phone));
    let languages = take!(rules::parse_languages(&input.languages));
    if input.notes.chars().count() > 10_000 {
        push(&mut errors, "notes", "too-long");
    }
    let (Some(given), Some(family), Some(email), Some(phone), Some(languages), true) =
        (given, family, email, phone, languages, errors.is_empty())
    else {
        return Err(Error::Validation(errors));
    };
    let now = Utc::now();
    Ok(PersonRow {
        id: Uuid::now_v7(),
        search_text: rules::fold(&format!(
            "{given} {family} {}",
            email.clone().unwrap_or_default()
        )),
        name_sort: rules::fold(&format!("{family} {given}")),
        given_name: given,
        family_name: family,
        email,
        phone,
        languages: serde_json::to_string(&languages).unwrap_or_else(|_| "[]".into()),
        notes: input.notes.trim().to_owned(),
        version: 1,
        deleted_at: None,
        created_at: now,
        updated_at: now,
    })
}

/// Parses an optional date (`YYYY-MM-DD`, as HTML date inputs send it).
fn date(field: &str, input: &str, errors: &mut Vec<FieldError>) -> Option<NaiveDate> {
    let s = input.trim();
    if s.is_empty() {
        return None;
    }
    match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        Ok(d) => Some(d),
        Err(_) => {
            push(errors, field, "date-invalid");
            None
        }
    }
}

/// A page of persons.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PersonPage {
    pub items: Vec<Person>,
    pub total: u64,
    pub next_cursor: Option<String>,
}

impl Services {
    async fn assemble(&self, row: &PersonRow) -> Result<Person, Error> {
        let today = Utc::now().date_naive();
        let affiliations = store::affiliations_of_person(self.store.conn(), row.id).await?;
        let mut out = Vec::new();
        for a in affiliations {
            let org = org_store::find(self.store.conn(), a.organisation_id).await?;
            out.push(affiliation_view(
                &a,
                &format!("{} {}", row.given_name, row.family_name),
                org.map(|o| o.name).unwrap_or_default(),
            ));
        }
        let consents = store::consents_of(self.store.conn(), row.id).await?;
        Ok(Person {
            id: row.id,
            given_name: row.given_name.clone(),
            family_name: row.family_name.clone(),
            email: row.email.clone(),
            phone: row.phone.clone(),
            languages: serde_json::from_str(&row.languages).unwrap_or_default(),
            notes: row.notes.clone(),
            deleted: row.deleted_at.is_some(),
            version: row.version,
            affiliations: out,
            consents: consents
                .iter()
                .map(|c| Consent::from_row(c, today))
                .collect(),
        })
    }

    pub async fn get_person(&self, actor: &Actor, id: Uuid) -> Result<Person, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let row = store::find_person(self.store.conn(), id)
            .await?
            .ok_or(Error::NotFound)?;
        self.assemble(&row).await
    }

    pub async fn list_persons(
        &self,
        actor: &Actor,
        text: &str,
        cursor: Option<&str>,
        limit: u64,
    ) -> Result<PersonPage, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let offset = crate::organisations::decode_cursor(cursor)?;
        let limit = limit.clamp(1, 500);
        let words: Vec<String> = rules::fold(&text.chars().take(200).collect::<String>())
            .split(' ')
            .filter(|w| !w.is_empty())
            .take(8)
            .map(str::to_owned)
            .collect();
        let (rows, total) = store::list_persons(self.store.conn(), &words, offset, limit).await?;
        let mut items = Vec::with_capacity(rows.len());
        for r in &rows {
            items.push(self.assemble(r).await?);
        }
        Ok(PersonPage {
            items,
            total,
            next_cursor: (offset + limit < total).then(|| format!("o{}", offset + limit)),
        })
    }

    pub async fn create_person(&self, actor: &Actor, input: &PersonInput) -> Result<Person, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let row = validate(input)?;
        let tx = self.store.begin().await?;
        let person = self.insert_person_in(&tx, actor, row).await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        Ok(person)
    }

    /// Inserts a checked row and records it, inside the caller's transaction.
    pub(crate) async fn insert_person_in(
        &self,
        tx: &msohub_store::Tx,
        actor: &Actor,
        row: PersonRow,
    ) -> Result<Person, Error> {
        let row = store::insert_person(tx, row).await?;
        let person = self.assemble_in(&row);
        audit::record(
            tx,
            actor,
            "person",
            row.id,
            "create",
            None,
            Some(person.audit_view()),
        )
        .await?;
        Ok(person)
    }

    /// Replaces the editable fields of `current` by those of `fresh` when
    /// `current` is still the stored version, and records the change.
    pub(crate) async fn update_person_in(
        &self,
        tx: &msohub_store::Tx,
        actor: &Actor,
        current: PersonRow,
        fresh: PersonRow,
    ) -> Result<(), Error> {
        let before = self.assemble_in(&current);
        let id = current.id;
        let row = PersonRow {
            id,
            version: current.version,
            deleted_at: current.deleted_at,
            created_at: current.created_at,
            ..fresh
        };
        let row = store::update_person(tx, row).await?;
        audit::record(
            tx,
            actor,
            "person",
            id,
            "update",
            Some(before.audit_view()),
            Some(self.assemble_in(&row).audit_view()),
        )
        .await?;
        Ok(())
    }

    fn assemble_in(&self, row: &PersonRow) -> Person {
        Person {
            id: row.id,
            given_name: row.given_name.clone(),
            family_name: row.family_name.clone(),
            email: row.email.clone(),
            phone: row.phone.clone(),
            languages: serde_json::from_str(&row.languages).unwrap_or_default(),
            notes: row.notes.clone(),
            deleted: row.deleted_at.is_some(),
            version: row.version,
            affiliations: Vec::new(),
            consents: Vec::new(),
        }
    }

    pub async fn update_person(
        &self,
        actor: &Actor,
        id: Uuid,
        input: &PersonInput,
    ) -> Result<Person, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let fresh = validate(input)?;
        let tx = self.store.begin().await?;
        let current = crate::write::current(store::find_person(&tx, id).await?, input.version)?;
        self.update_person_in(&tx, actor, current, fresh).await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        self.get_person(actor, id).await
    }

    /// Soft delete (the person disappears from lists; erasure is a separate,
    /// data-protection use case).
    pub async fn delete_person(&self, actor: &Actor, id: Uuid) -> Result<(), Error> {
        actor.require(Permission::WriteStaffArea)?;
        let tx = self.store.begin().await?;
        let mut row = store::find_person(&tx, id).await?.ok_or(Error::NotFound)?;
        if row.deleted_at.is_some() {
            return Ok(());
        }
        row.deleted_at = Some(Utc::now());
        store::update_person(&tx, row).await?;
        audit::record(&tx, actor, "person", id, "delete", None, None).await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        Ok(())
    }

    /// Links a person to an organisation with a role and dates.
    pub async fn add_affiliation(
        &self,
        actor: &Actor,
        person_id: Uuid,
        organisation_id: Uuid,
        role: &str,
        from: &str,
        to: &str,
    ) -> Result<Uuid, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let mut errors = Vec::new();
        let role = match rules::parse_name("role", role, 100) {
            Ok(r) => r,
            Err(e) => {
                push(&mut errors, e.field, e.rule);
                String::new()
            }
        };
        let (from, to) = (date("from", from, &mut errors), date("to", to, &mut errors));
        if let (Some(f), Some(t)) = (from, to)
            && t < f
        {
            push(&mut errors, "to", "end-before-start");
        }
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let tx = self.store.begin().await?;
        let id = add_affiliation_in(&tx, actor, person_id, organisation_id, role, from, to).await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        Ok(id)
    }

    pub async fn remove_affiliation(&self, actor: &Actor, id: Uuid) -> Result<(), Error> {
        actor.require(Permission::WriteStaffArea)?;
        let tx = self.store.begin().await?;
        let a = store::find_affiliation(&tx, id)
            .await?
            .ok_or(Error::NotFound)?;
        store::delete_affiliation(&tx, id).await?;
        audit::record(
            &tx,
            actor,
            "person",
            a.person_id,
            "affiliation_remove",
            Some(serde_json::json!({ "organisation_id": a.organisation_id, "role": a.role })),
            None,
        )
        .await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        Ok(())
    }

    /// The people of an organisation.
    pub async fn organisation_people(
        &self,
        actor: &Actor,
        organisation_id: Uuid,
    ) -> Result<Vec<(Affiliation, Person)>, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let mut out = Vec::new();
        for a in store::affiliations_of_organisation(self.store.conn(), organisation_id).await? {
            if let Some(row) = store::find_person(self.store.conn(), a.person_id).await?
                && row.deleted_at.is_none()
            {
                let person = self.assemble(&row).await?;
                out.push((affiliation_view(&a, &person.name(), String::new()), person));
            }
        }
        Ok(out)
    }

    /// Records a consent (purpose, date, source, optional expiry).
    pub async fn record_consent(
        &self,
        actor: &Actor,
        person_id: Uuid,
        purpose: &str,
        given_on: &str,
        source: &str,
        expires_on: &str,
    ) -> Result<Uuid, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let mut errors = Vec::new();
        if !PURPOSES.contains(&purpose) {
            push(&mut errors, "purpose", "choice-unknown");
        }
        let given = date("given_on", given_on, &mut errors);
        if given_on.trim().is_empty() {
            push(&mut errors, "given_on", "required");
        }
        if given.is_some_and(|g| g > Utc::now().date_naive()) {
            push(&mut errors, "given_on", "date-in-future");
        }
        let expires = date("expires_on", expires_on, &mut errors);
        if let (Some(g), Some(e)) = (given, expires)
            && e < g
        {
            push(&mut errors, "expires_on", "end-before-start");
        }
        let source = match rules::parse_name("source", source, 200) {
            Ok(s) => s,
            Err(e) => {
                push(&mut errors, e.field, e.rule);
                String::new()
            }
        };
        let (Some(given), true) = (given, errors.is_empty()) else {
            return Err(Error::Validation(errors));
        };
        let tx = self.store.begin().await?;
        store::find_person(&tx, person_id)
            .await?
            .ok_or(Error::NotFound)?;
        let id = Uuid::now_v7();
        store::insert_consent(
            &tx,
            ConsentRow {
                id,
                person_id,
                purpose: purpose.to_owned(),
                given_on: given,
                source: source.clone(),
                expires_on: expires,
                withdrawn_on: None,
                withdrawn_source: String::new(),
                created_at: Utc::now(),
            },
        )
        .await?;
        audit::record(&tx, actor, "person", person_id, "consent_record", None, Some(serde_json::json!({ "purpose": purpose, "given_on": given, "source": source, "expires_on": expires }))).await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        Ok(id)
    }

    pub async fn withdraw_consent(&self, actor: &Actor, consent_id: Uuid) -> Result<Uuid, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let tx = self.store.begin().await?;
        let c = store::find_consent(&tx, consent_id)
            .await?
            .ok_or(Error::NotFound)?;
        let today = Utc::now().date_naive();
        store::withdraw_consent(&tx, consent_id, today).await?;
        audit::record(
            &tx,
            actor,
            "person",
            c.person_id,
            "consent_withdraw",
            None,
            Some(serde_json::json!({ "purpose": c.purpose, "withdrawn_on": today })),
        )
        .await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        Ok(c.person_id)
    }

    pub async fn person_history(
        &self,
        actor: &Actor,
        id: Uuid,
    ) -> Result<Vec<audit::AuditEntry>, Error> {
        actor.require(Permission::ReadStaffArea)?;
        self.entity_history("person", id).await
    }
}

fn affiliation_view(
    a: &AffiliationRow,
    person_name: &str,
    organisation_name: String,
) -> Affiliation {
    Affiliation {
        id: a.id,
        person_id: a.person_id,
        person_name: person_name.to_owned(),
        organisation_id: a.organisation_id,
        organisation_name,
        role: a.role.clone(),
        from: a.from_date,
        to: a.to_date,
    }
}

/// Links a person to an organisation inside the caller's transaction (the
/// values are checked).
pub(crate) async fn add_affiliation_in(
    tx: &msohub_store::Tx,
    actor: &Actor,
    person_id: Uuid,
    organisation_id: Uuid,
    role: String,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<Uuid, Error> {
    store::find_person(tx, person_id)
        .await?
        .ok_or(Error::NotFound)?;
    org_store::find(tx, organisation_id).await?.ok_or_else(|| {
        Error::Validation(vec![FieldError {
            field: "organisation_id".into(),
            rule: "not-found".into(),
        }])
    })?;
    let id = Uuid::now_v7();
    store::insert_affiliation(
        tx,
        AffiliationRow {
            id,
            person_id,
            organisation_id,
            role: role.clone(),
            from_date: from,
            to_date: to,
            created_at: Utc::now(),
        },
    )
    .await?;
    audit::record(tx, actor, "person", person_id, "affiliation_add", None, Some(serde_json::json!({ "organisation_id": organisation_id, "role": role, "from": from, "to": to }))).await?;
    audit::record(
        tx,
        actor,
        "organisation",
        organisation_id,
        "affiliation_add",
        None,
        Some(serde_json::json!({ "person_id": person_id, "role": role })),
    )
    .await?;
    Ok(id)
}

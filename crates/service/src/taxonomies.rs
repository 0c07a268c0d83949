//! The vocabularies admins manage: topics and target groups of
//! organisations (and, as later features arrive, offer and need categories).
//! A term has a stable code (used in records, URLs and exports) and labels
//! in German and English. Terms are never deleted: a retired term is no
//! longer offered, while records that carry it keep it and its label.

use crate::{Actor, Error, FieldError, Services, audit};
use chrono::{DateTime, Utc};
use msohub_domain::Permission;
use msohub_store::taxonomies::{self as store, TermRow};
use serde::{Deserialize, Serialize};

/// The vocabularies and what they classify.
pub const VOCABULARIES: &[&str] = &["topic", "target_group", "need_category", "offer_category"];

/// A term as admins and the API see it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TermDetail {
    pub vocabulary: String,
    pub code: String,
    pub label_de: String,
    pub label_en: String,
    pub position: i32,
    pub retired: bool,
    pub retired_at: Option<DateTime<Utc>>,
    pub version: i32,
}

impl From<&TermRow> for TermDetail {
    fn from(r: &TermRow) -> Self {
        TermDetail {
            vocabulary: r.vocabulary.clone(),
            code: r.code.clone(),
            label_de: r.label_de.clone(),
            label_en: r.label_en.clone(),
            position: r.position,
            retired: r.retired_at.is_some(),
            retired_at: r.retired_at,
            version: r.version,
        }
    }
}

/// A new term, or a change of one (then `code` is ignored and `version`
/// must be current).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct TermInput {
    /// Lower-case letters, digits and `_`, 2 to 60 characters; fixed once
    /// created.
    pub code: String,
    pub label_de: String,
    pub label_en: String,
    pub retired: bool,
    pub version: i32,
}

fn field(field: &str, rule: &str) -> FieldError {
    FieldError {
        field: field.into(),
        rule: rule.into(),
    }
}

fn check_vocabulary(vocabulary: &str) -> Result<(), Error> {
    if VOCABULARIES.contains(&vocabulary) {
        Ok(())
    } else {
        Err(Error::NotFound)
    }
}

fn check_labels(input: &TermInput, errors: &mut Vec<FieldError>) -> (String, String) {
    let de = input.label_de.trim().to_owned();
    let en = input.label_en.trim().to_owned();
    for (name, value) in [("label_de", &de), ("label_en", &en)] {
        if value.is_empty() {
            errors.push(field(name, "required"));
        } else if value.chars().count() > 200 {
            errors.push(field(name, "too-long"));
        }
    }
    (de, en)
}

impl Services {
    /// Every term of a vocabulary, retired ones included (staff readers).
    pub async fn vocabulary(
        &self,
        actor: &Actor,
        vocabulary: &str,
    ) -> Result<Vec<TermDetail>, Error> {
        actor.require(Permission::ReadStaffArea)?;
        check_vocabulary(vocabulary)?;
        let rows = store::all(self.store.conn(), vocabulary).await?;
        Ok(rows.iter().map(TermDetail::from).collect())
    }

    /// Adds a term (admins).
    pub async fn add_term(
        &self,
        actor: &Actor,
        vocabulary: &str,
        input: &TermInput,
    ) -> Result<TermDetail, Error> {
        actor.require(Permission::ManageUsers)?;
        check_vocabulary(vocabulary)?;
        let mut errors = Vec::new();
        let code = input.code.trim().to_owned();
        let code_ok = (2..=60).contains(&code.len())
            && code
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            && code.starts_with(|c: char| c.is_ascii_lowercase());
        if code.is_empty() {
            errors.push(field("code", "required"));
        } else if !code_ok {
            errors.push(field("code", "code-invalid"));
        }
        let (de, en) = check_labels(input, &mut errors);
        let tx = self.store.begin().await?;
        if code_ok && store::find(&tx, vocabulary, &code).await?.is_some() {
            errors.push(field("code", "taken"));
        }
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let row = store::insert(&tx, vocabulary, &code, &de, &en).await?;
        let detail = TermDetail::from(&row);
        audit::record(
            &tx,
            actor,
            "taxonomy_term",
            format!("{vocabulary}/{code}"),
            "create",
            None,
            Some(serde_json::json!(detail)),
        )
        .await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        Ok(detail)
    }

    /// Changes a term's labels or retires / reinstates it (admins).
    pub async fn change_term(
        &self,
        actor: &Actor,
        vocabulary: &str,
        code: &str,
        input: &TermInput,
    ) -> Result<TermDetail, Error> {
        actor.require(Permission::ManageUsers)?;
        check_vocabulary(vocabulary)?;
        let mut errors = Vec::new();
        let (de, en) = check_labels(input, &mut errors);
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let tx = self.store.begin().await?;
        let current =
            crate::write::current(store::find(&tx, vocabulary, code).await?, input.version)?;
        let before = TermDetail::from(&current);
        let mut row = current.clone();
        row.label_de = de;
        row.label_en = en;
        row.retired_at = match (input.retired, current.retired_at) {
            (true, Some(at)) => Some(at),
            (true, None) => Some(Utc::now()),
            (false, _) => None,
        };
        let row = store::update(&tx, row).await?;
        let after = TermDetail::from(&row);
        audit::record(
            &tx,
            actor,
            "taxonomy_term",
            format!("{vocabulary}/{code}"),
            "update",
            Some(serde_json::json!(before)),
            Some(serde_json::json!(after)),
        )
        .await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        Ok(after)
    }
}

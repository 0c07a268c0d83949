//! The vocabularies admins manage: topics and target groups of
//! organisations (and, as later features arrive, offer and need categories).
//! A term has a stable code (used in records, URLs and exports) and labels
//! in German and English (required), and in Turkish, Arabic, Russian and
//! Ukrainian (optional: where one is missing, the directory shows the
//! translation shipped for a built-in term, else the German label). Terms
//! are never deleted: a retired term is no longer offered, while records
//! that carry it keep it and its label.

use crate::{Actor, Error, FieldError, Services, audit};
use chrono::{DateTime, Utc};
use msohub_domain::{Language, Permission};
use msohub_store::taxonomies::{self as store, TermRow};
use serde::{Deserialize, Serialize};

/// The vocabularies and what they classify.
pub const VOCABULARIES: &[&str] = &["topic", "target_group", "need_category", "offer_category"];

/// The languages a term's label may have besides German and English, with
/// their input and column names.
pub const OTHER_LABELS: [(Language, &str); 4] = [
    (Language::Tr, "label_tr"),
    (Language::Ar, "label_ar"),
    (Language::Ru, "label_ru"),
    (Language::Uk, "label_uk"),
];

/// A term as admins and the API see it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TermDetail {
    pub vocabulary: String,
    pub code: String,
    pub label_de: String,
    pub label_en: String,
    /// Turkish label; `null`: not translated here (the directory shows the
    /// shipped translation of a built-in term, else German).
    pub label_tr: Option<String>,
    /// Arabic label; `null`: not translated here.
    pub label_ar: Option<String>,
    /// Russian label; `null`: not translated here.
    pub label_ru: Option<String>,
    /// Ukrainian label; `null`: not translated here.
    pub label_uk: Option<String>,
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
            label_tr: r.label_tr.clone(),
            label_ar: r.label_ar.clone(),
            label_ru: r.label_ru.clone(),
            label_uk: r.label_uk.clone(),
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
    /// Turkish label; empty or missing: none (the shipped translation or
    /// German is shown). Likewise `label_ar`, `label_ru`, `label_uk`.
    pub label_tr: String,
    pub label_ar: String,
    pub label_ru: String,
    pub label_uk: String,
    pub retired: bool,
    pub version: i32,
}

impl TermDetail {
    /// The label stored for a language (German and English always have
    /// one; the others may not).
    pub fn stored_label(&self, lang: Language) -> Option<&str> {
        match lang {
            Language::De => Some(&self.label_de),
            Language::En => Some(&self.label_en),
            Language::Tr => self.label_tr.as_deref(),
            Language::Ar => self.label_ar.as_deref(),
            Language::Ru => self.label_ru.as_deref(),
            Language::Uk => self.label_uk.as_deref(),
        }
    }

    /// The input that would produce this term (the edit form's values).
    pub fn to_input(&self) -> TermInput {
        let text = |o: &Option<String>| o.clone().unwrap_or_default();
        TermInput {
            code: self.code.clone(),
            label_de: self.label_de.clone(),
            label_en: self.label_en.clone(),
            label_tr: text(&self.label_tr),
            label_ar: text(&self.label_ar),
            label_ru: text(&self.label_ru),
            label_uk: text(&self.label_uk),
            retired: self.retired,
            version: self.version,
        }
    }
}

impl TermInput {
    /// The value entered for one of the other four languages.
    pub fn other_label(&self, lang: Language) -> &str {
        match lang {
            Language::Tr => &self.label_tr,
            Language::Ar => &self.label_ar,
            Language::Ru => &self.label_ru,
            Language::Uk => &self.label_uk,
            Language::De => &self.label_de,
            Language::En => &self.label_en,
        }
    }
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

/// The labels checked: German and English, and the other four (`None`
/// where left empty), in the order of [`OTHER_LABELS`].
type Labels = (String, String, [Option<String>; 4]);

fn check_labels(input: &TermInput, errors: &mut Vec<FieldError>) -> Labels {
    let de = input.label_de.trim().to_owned();
    let en = input.label_en.trim().to_owned();
    for (name, value) in [("label_de", &de), ("label_en", &en)] {
        if value.is_empty() {
            errors.push(field(name, "required"));
        } else if value.chars().count() > 200 {
            errors.push(field(name, "too-long"));
        }
    }
    let others = OTHER_LABELS.map(|(lang, name)| {
        let value = input.other_label(lang).trim();
        if value.chars().count() > 200 {
            errors.push(field(name, "too-long"));
        }
        (!value.is_empty()).then(|| value.to_owned())
    });
    (de, en, others)
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
        let (de, en, others) = check_labels(input, &mut errors);
        let tx = self.store.begin().await?;
        if code_ok && store::find(&tx, vocabulary, &code).await?.is_some() {
            errors.push(field("code", "taken"));
        }
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let row = store::insert(&tx, vocabulary, &code, &de, &en, others).await?;
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
        let (de, en, [tr, ar, ru, uk]) = check_labels(input, &mut errors);
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
        row.label_tr = tr;
        row.label_ar = ar;
        row.label_ru = ru;
        row.label_uk = uk;
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

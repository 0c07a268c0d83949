//! Needs (Bedarfe) the organisations expressed: what, from which source,
//! how far the office got with it and what was done; an overview by
//! category and status across all organisations.

use crate::interactions::Ref;
use crate::organisations::decode_cursor;
use crate::write::current;
use crate::{Actor, Error, FieldError, Services};
use chrono::{DateTime, NaiveDate, Utc};
use msohub_domain::Permission;
use msohub_domain::work::{NeedSource, NeedStatus, NeedUrgency};
use msohub_store::work::{self as store, NeedFilter, NeedRow};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Need {
    pub id: Uuid,
    pub organisation: Ref,
    /// A term of the `need_category` vocabulary.
    pub category: String,
    pub description: String,
    /// interaction, meeting, survey, portal, other
    pub source: String,
    pub source_interaction_id: Option<Uuid>,
    /// The survey whose answer it was taken from (with source `survey`).
    pub source_survey_id: Option<Uuid>,
    /// The question of that survey.
    pub source_question: Option<String>,
    /// low, normal, high
    pub urgency: String,
    /// Who reported it through the portal.
    pub reported_by: Option<Ref>,
    /// open, in_progress, addressed, cannot_be_met
    pub status: String,
    /// What was done.
    pub outcome: String,
    /// When the office learnt of the need (YYYY-MM-DD).
    #[schema(value_type = Option<String>, format = Date)]
    pub raised_on: Option<NaiveDate>,
    /// When it was addressed or found impossible to meet (YYYY-MM-DD); null
    /// while open.
    #[schema(value_type = Option<String>, format = Date)]
    pub resolved_on: Option<NaiveDate>,
    pub deleted: bool,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Need {
    pub fn to_input(&self) -> NeedInput {
        NeedInput {
            organisation_id: self.organisation.id.to_string(),
            category: self.category.clone(),
            description: self.description.clone(),
            source: self.source.clone(),
            source_interaction_id: self
                .source_interaction_id
                .map(|i| i.to_string())
                .unwrap_or_default(),
            urgency: self.urgency.clone(),
            status: self.status.clone(),
            outcome: self.outcome.clone(),
            raised_on: self.raised_on.map(|d| d.to_string()).unwrap_or_default(),
            resolved_on: self.resolved_on.map(|d| d.to_string()).unwrap_or_default(),
            version: self.version,
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
#[serde(default)]
pub struct NeedInput {
    pub organisation_id: String,
    pub category: String,
    pub description: String,
    pub source: String,
    /// The interaction the need was learnt in (with source `interaction`).
    pub source_interaction_id: String,
    /// low, normal (the default), high
    pub urgency: String,
    pub status: String,
    pub outcome: String,
    /// When the office learnt of the need, YYYY-MM-DD; empty: the date of
    /// the contact it was learnt in, else today. Not in the future.
    pub raised_on: String,
    /// When it was addressed or found impossible to meet, YYYY-MM-DD; empty
    /// with a resolved status: today (or as stored). Only on a resolved
    /// need, not before `raised_on`, not in the future; reopening clears it.
    pub resolved_on: String,
    pub version: i32,
}

#[derive(Debug, Clone, Default)]
pub struct NeedQuery {
    pub organisation: Option<Uuid>,
    pub categories: Vec<String>,
    pub statuses: Vec<String>,
    pub sources: Vec<String>,
    /// Raised / resolved within these days (inclusive).
    pub raised_from: Option<NaiveDate>,
    pub raised_to: Option<NaiveDate>,
    pub resolved_from: Option<NaiveDate>,
    pub resolved_to: Option<NaiveDate>,
    pub deleted: bool,
    pub cursor: Option<String>,
    pub limit: u64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NeedPage {
    pub items: Vec<Need>,
    pub total: u64,
    pub next_cursor: Option<String>,
}

/// Counts by category and status.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NeedOverview {
    /// category → status → count
    pub counts: BTreeMap<String, BTreeMap<String, i64>>,
    pub total: i64,
}

/// The audit entry of a change to a need, inside the caller's transaction
/// (for writes outside the use cases here, e.g. an import).
pub(crate) async fn record(
    tx: &msohub_store::Tx,
    actor: &Actor,
    before: Option<&NeedRow>,
    after: &NeedRow,
    action: &str,
) -> Result<(), Error> {
    crate::audit::record(
        tx,
        actor,
        "need",
        after.id,
        action,
        before.map(audit_view),
        Some(audit_view(after)),
    )
    .await?;
    Ok(())
}

fn audit_view(r: &NeedRow) -> serde_json::Value {
    serde_json::json!({
        "organisation_id": r.organisation_id, "category": r.category,
        "description": r.description, "source": r.source,
        "source_interaction_id": r.source_interaction_id, "status": r.status,
        "outcome": r.outcome, "deleted": r.deleted_at.is_some(),
        "urgency": r.urgency, "reported_by": r.reported_by,
    })
}

impl Services {
    pub(crate) async fn validate_need(
        &self,
        input: &NeedInput,
        current: Option<&NeedRow>,
    ) -> Result<NeedRow, Error> {
        let mut errors = Vec::new();
        let conn = self.store.conn();
        let organisation = match input.organisation_id.trim() {
            "" => {
                errors.push(FieldError::new("organisation_id", "organisation-required"));
                None
            }
            raw => match raw.parse::<Uuid>() {
                Ok(id) => match msohub_store::organisations::find(conn, id).await? {
                    Some(o) if o.deleted_at.is_none() => Some(id),
                    _ => {
                        errors.push(FieldError::new("organisation_id", "organisation-unknown"));
                        None
                    }
                },
                Err(_) => {
                    errors.push(FieldError::new("organisation_id", "organisation-unknown"));
                    None
                }
            },
        };
        let categories: Vec<String> = self
            .terms("need_category")
            .await?
            .into_iter()
            .map(|t| t.code)
            .collect();
        let category = input.category.trim().to_owned();
        if category.is_empty() {
            errors.push(FieldError::new("category", "required"));
        } else if !categories.contains(&category) {
            errors.push(FieldError::new("category", "term-unknown"));
        }
        let description = input.description.trim().to_owned();
        if description.is_empty() {
            errors.push(FieldError::new("description", "required"));
        } else if description.chars().count() > 5_000 {
            errors.push(FieldError::new("description", "too-long"));
        }
        let source = NeedSource::parse(&input.source)
            .map_err(|e| errors.push(FieldError::new(e.field, e.rule)))
            .ok();
        let status = NeedStatus::parse(&input.status)
            .map_err(|e| errors.push(FieldError::new(e.field, e.rule)))
            .ok();
        let urgency = match input.urgency.trim() {
            "" => Some(NeedUrgency::Normal),
            raw => NeedUrgency::parse(raw)
                .map_err(|e| errors.push(FieldError::new(e.field, e.rule)))
                .ok(),
        };
        let outcome = input.outcome.trim().to_owned();
        if matches!(
            status,
            Some(NeedStatus::Addressed | NeedStatus::CannotBeMet)
        ) && outcome.is_empty()
        {
            errors.push(FieldError::new("outcome", "outcome-required"));
        }
        if outcome.chars().count() > 5_000 {
            errors.push(FieldError::new("outcome", "too-long"));
        }
        // The contact the need was learnt in, with its day (the default
        // for `raised_on`).
        let source_interaction = match input.source_interaction_id.trim() {
            "" => None,
            raw => match raw.parse::<Uuid>() {
                Ok(id) if let Some(i) = store::find_interaction(conn, id).await? => {
                    Some((id, crate::time::day_of(i.starts_at)))
                }
                _ => {
                    errors.push(FieldError::new(
                        "source_interaction_id",
                        "interaction-unknown",
                    ));
                    None
                }
            },
        };
        let (raised_on, resolved_on) = Self::need_dates(
            input,
            current,
            status,
            source_interaction.map(|(_, day)| day),
            &mut errors,
        );
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let (Some(organisation_id), Some(source), Some(status)) = (organisation, source, status)
        else {
            return Err(Error::field("status", "required"));
        };
        let now = Utc::now();
        Ok(NeedRow {
            id: current.map_or_else(Uuid::now_v7, |c| c.id),
            organisation_id,
            category,
            description,
            source: source.code().to_owned(),
            source_interaction_id: if source == NeedSource::Interaction {
                source_interaction.map(|(id, _)| id)
            } else {
                None
            },
            status: status.code().to_owned(),
            outcome,
            urgency: urgency.unwrap_or(NeedUrgency::Normal).code().to_owned(),
            raised_on,
            resolved_on,
            reported_by: current.and_then(|c| c.reported_by),
            source_answer_id: current.and_then(|c| c.source_answer_id),
            source_question: current
                .map(|c| c.source_question.clone())
                .unwrap_or_default(),
            version: current.map_or(1, |c| c.version),
            deleted_at: current.and_then(|c| c.deleted_at),
            created_at: current.map_or(now, |c| c.created_at),
            updated_at: now,
        })
    }

    /// A need's two dates, by the rules on [`NeedInput`]: `raised_on`
    /// defaults to the source contact's day, else today; `resolved_on`
    /// belongs to resolved needs only, set to today when the status becomes
    /// resolved without one, cleared when the need is reopened.
    fn need_dates(
        input: &NeedInput,
        current: Option<&NeedRow>,
        status: Option<NeedStatus>,
        contact_day: Option<NaiveDate>,
        errors: &mut Vec<FieldError>,
    ) -> (Option<NaiveDate>, Option<NaiveDate>) {
        let today = crate::time::today();
        let mut day = |field: &'static str, raw: &str| -> Option<NaiveDate> {
            let raw = raw.trim();
            if raw.is_empty() {
                return None;
            }
            match crate::time::parse_date(raw) {
                Some(d) if d > today => {
                    errors.push(FieldError::new(field, "date-in-future"));
                    None
                }
                Some(d) => Some(d),
                None => {
                    errors.push(FieldError::new(field, "date-invalid"));
                    None
                }
            }
        };
        let raised_given = day("raised_on", &input.raised_on);
        let resolved_given = day("resolved_on", &input.resolved_on);
        let raised = match raised_given {
            Some(d) => d,
            None if !input.raised_on.trim().is_empty() => return (None, None),
            None => contact_day
                .or(current.and_then(|c| c.raised_on))
                .unwrap_or(today),
        };
        let was_resolved = current.and_then(|c| c.resolved_on);
        let resolved = match status {
            Some(NeedStatus::Addressed | NeedStatus::CannotBeMet) => {
                let d = resolved_given.or(was_resolved).unwrap_or(today);
                if d < raised {
                    errors.push(FieldError::new("resolved_on", "resolved-before-raised"));
                }
                Some(d)
            }
            // Reopened: the date it had goes (a form sends it back as it
            // was); any other date on an open need is a mistake.
            _ => {
                if resolved_given.is_some() && resolved_given != was_resolved {
                    errors.push(FieldError::new("resolved_on", "resolved-on-open"));
                }
                None
            }
        };
        (Some(raised), resolved)
    }

    pub(crate) async fn assemble_needs(&self, rows: Vec<NeedRow>) -> Result<Vec<Need>, Error> {
        let ids: Vec<Uuid> = rows.iter().map(|r| r.organisation_id).collect();
        let names = msohub_store::organisations::names(self.store.conn(), &ids).await?;
        let reporters: Vec<Uuid> = rows.iter().filter_map(|r| r.reported_by).collect();
        let people = msohub_store::people::names(self.store.conn(), &reporters).await?;
        let answers: Vec<Uuid> = rows.iter().filter_map(|r| r.source_answer_id).collect();
        let surveys: std::collections::HashMap<Uuid, Uuid> =
            msohub_store::surveys::answers_by_id(self.store.conn(), &answers)
                .await?
                .into_iter()
                .map(|a| (a.id, a.survey_id))
                .collect();
        Ok(rows
            .into_iter()
            .map(|r| Need {
                id: r.id,
                organisation: Ref {
                    id: r.organisation_id,
                    name: names.get(&r.organisation_id).cloned().unwrap_or_default(),
                },
                category: r.category,
                description: r.description,
                source: r.source,
                source_interaction_id: r.source_interaction_id,
                source_survey_id: r.source_answer_id.and_then(|a| surveys.get(&a).copied()),
                source_question: r.source_answer_id.map(|_| r.source_question.clone()),
                urgency: r.urgency,
                reported_by: r.reported_by.map(|id| Ref {
                    id,
                    name: people.get(&id).cloned().unwrap_or_default(),
                }),
                status: r.status,
                outcome: r.outcome,
                raised_on: r.raised_on,
                resolved_on: r.resolved_on,
                deleted: r.deleted_at.is_some(),
                version: r.version,
                created_at: r.created_at,
                updated_at: r.updated_at,
            })
            .collect())
    }

    pub async fn get_need(&self, actor: &Actor, id: Uuid) -> Result<Need, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let row = store::find_need(self.store.conn(), id)
            .await?
            .ok_or(Error::NotFound)?;
        Ok(self.assemble_needs(vec![row]).await?.remove(0))
    }

    pub async fn list_needs(&self, actor: &Actor, q: &NeedQuery) -> Result<NeedPage, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let offset = decode_cursor(q.cursor.as_deref())?;
        let limit = q.limit.clamp(1, 500);
        let filter = NeedFilter {
            organisation: q.organisation,
            categories: q.categories.clone(),
            statuses: q.statuses.clone(),
            sources: q.sources.clone(),
            deleted: q.deleted,
            raised_from: q.raised_from,
            raised_to: q.raised_to,
            resolved_from: q.resolved_from,
            resolved_to: q.resolved_to,
        };
        let (rows, total) = store::list_needs(self.store.conn(), &filter, offset, limit).await?;
        Ok(NeedPage {
            items: self.assemble_needs(rows).await?,
            total,
            next_cursor: (offset + limit < total).then(|| format!("o{}", offset + limit)),
        })
    }

    pub async fn need_overview(&self, actor: &Actor) -> Result<NeedOverview, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let mut counts: BTreeMap<String, BTreeMap<String, i64>> = BTreeMap::new();
        let mut total = 0;
        for (category, status, n) in store::need_counts(self.store.conn()).await? {
            *counts
                .entry(category)
                .or_default()
                .entry(status)
                .or_default() += n;
            total += n;
        }
        Ok(NeedOverview { counts, total })
    }

    pub async fn create_need(&self, actor: &Actor, input: &NeedInput) -> Result<Need, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let row = self.validate_need(input, None).await?;
        self.insert_need(actor, row).await
    }

    /// A need reported by a person through the portal.
    pub(crate) async fn create_need_reported(
        &self,
        actor: &Actor,
        input: &NeedInput,
        person: Uuid,
    ) -> Result<Need, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let mut row = self.validate_need(input, None).await?;
        row.reported_by = Some(person);
        self.insert_need(actor, row).await
    }

    pub(crate) async fn insert_need(&self, actor: &Actor, row: NeedRow) -> Result<Need, Error> {
        let row = self
            .write_audited(
                actor,
                "need",
                "create",
                None,
                async |tx| Ok(store::insert_need(tx, row).await?),
                |r| (r.id, Some(audit_view(r))),
            )
            .await?;
        Ok(self.assemble_needs(vec![row]).await?.remove(0))
    }

    pub async fn update_need(
        &self,
        actor: &Actor,
        id: Uuid,
        input: &NeedInput,
    ) -> Result<Need, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let current = current(
            store::find_need(self.store.conn(), id).await?,
            input.version,
        )?;
        let row = self.validate_need(input, Some(&current)).await?;
        self.write_need(actor, current, row, "update").await
    }

    async fn write_need(
        &self,
        actor: &Actor,
        before: NeedRow,
        row: NeedRow,
        action: &str,
    ) -> Result<Need, Error> {
        let row = self
            .write_audited(
                actor,
                "need",
                action,
                Some(audit_view(&before)),
                async |tx| Ok(store::update_need(tx, row).await?),
                |r| (r.id, Some(audit_view(r))),
            )
            .await?;
        Ok(self.assemble_needs(vec![row]).await?.remove(0))
    }

    pub async fn patch_need(
        &self,
        actor: &Actor,
        id: Uuid,
        patch: &serde_json::Value,
    ) -> Result<Need, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let current = self.get_need(actor, id).await?;
        let input: NeedInput = crate::patch::merge(&current.to_input(), patch)?;
        self.update_need(actor, id, &input).await
    }

    pub async fn set_need_deleted(
        &self,
        actor: &Actor,
        id: Uuid,
        version: i32,
        deleted: bool,
    ) -> Result<Need, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let current = current(store::find_need(self.store.conn(), id).await?, version)?;
        let mut row = current.clone();
        row.deleted_at = deleted.then(Utc::now);
        self.write_need(
            actor,
            current,
            row,
            if deleted { "delete" } else { "restore" },
        )
        .await
    }

    /// The needs learnt in an interaction.
    pub async fn needs_from_interaction(
        &self,
        actor: &Actor,
        interaction: Uuid,
    ) -> Result<Vec<Need>, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let rows = store::needs_from_interaction(self.store.conn(), interaction).await?;
        self.assemble_needs(rows).await
    }
}

//! Changing a period after it was created: its name at any time, its dates
//! while no report of it is finalised (a frozen report states them), and
//! deleting it while it is empty: no targets, no finalised report. Its
//! report's draft texts go with it (kept in the audit entry).

use super::*;

/// A period's name and dates as a form or a PATCH sends them.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
#[serde(default)]
pub struct PeriodChange {
    pub name: String,
    /// YYYY-MM-DD; fixed once a report of the period is finalised.
    pub starts_on: String,
    /// YYYY-MM-DD, not before `starts_on`.
    pub ends_on: String,
    /// The version the change is based on.
    pub version: i32,
}

impl Period {
    pub fn to_change(&self) -> PeriodChange {
        PeriodChange {
            name: self.name.clone(),
            starts_on: self.starts_on.to_string(),
            ends_on: self.ends_on.to_string(),
            version: self.version,
        }
    }
}

/// What the audit log keeps of a period.
fn period_view(r: &PeriodRow) -> serde_json::Value {
    serde_json::json!({
        "name": r.name, "kind": r.kind, "starts_on": r.starts_on, "ends_on": r.ends_on,
    })
}

impl Services {
    /// Renames a period or moves its dates. Dates stay as they are once a
    /// report of the period is finalised; periods of one kind do not
    /// overlap; names are unique.
    pub async fn update_period(
        &self,
        actor: &Actor,
        id: Uuid,
        input: &PeriodChange,
    ) -> Result<Period, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let current = crate::write::current(
            store::find_period(self.store.conn(), id).await?,
            input.version,
        )?;
        let mut errors = Vec::new();
        let name = input.name.trim().to_owned();
        if msohub_domain::organisation::is_blank(&name) {
            errors.push(FieldError::new("name", "required"));
        } else if name.chars().count() > 60 {
            errors.push(FieldError::new("name", "too-long"));
        }
        let starts = time::parse_date(&input.starts_on);
        let ends = time::parse_date(&input.ends_on);
        if starts.is_none() {
            errors.push(FieldError::new("starts_on", "date-invalid"));
        }
        if ends.is_none() {
            errors.push(FieldError::new("ends_on", "date-invalid"));
        }
        let (Some(starts), Some(ends)) = (starts, ends) else {
            return Err(Error::Validation(errors));
        };
        if ends < starts {
            errors.push(FieldError::new("ends_on", "end-before-start"));
        }
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let tx = self.store.begin().await?;
        if !store::lock_period(&tx, id).await? {
            return Err(Error::NotFound);
        }
        if store::find_period_by_name(&tx, &name)
            .await?
            .is_some_and(|p| p.id != id)
        {
            errors.push(FieldError::new("name", "taken"));
        }
        let dates_changed = (starts, ends) != (current.starts_on, current.ends_on);
        if dates_changed {
            if !store::report_versions(&tx, id).await?.is_empty() {
                errors.push(FieldError::new("starts_on", "period-dates-finalised"));
            } else if store::periods(&tx).await?.iter().any(|p| {
                p.id != id && p.kind == current.kind && p.starts_on <= ends && starts <= p.ends_on
            }) {
                errors.push(FieldError::new("starts_on", "period-overlap"));
            }
        }
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let row = store::update_period(
            &tx,
            PeriodRow {
                name,
                starts_on: starts,
                ends_on: ends,
                ..current.clone()
            },
        )
        .await?;
        audit::record(
            &tx,
            actor,
            "period",
            id,
            "update",
            Some(period_view(&current)),
            Some(period_view(&row)),
        )
        .await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        Ok(Period::from(&row))
    }

    pub async fn patch_period(
        &self,
        actor: &Actor,
        id: Uuid,
        patch: &serde_json::Value,
    ) -> Result<Period, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let current = self.get_period(actor, id).await?;
        let input: PeriodChange = crate::patch::merge(&current.to_change(), patch)?;
        self.update_period(actor, id, &input).await
    }

    /// Deletes an empty period: one with targets, a finalised report or
    /// stored beyond items (typed, linked or changed by staff) is refused
    /// and stays as it is.
    pub async fn delete_period(&self, actor: &Actor, id: Uuid, version: i32) -> Result<(), Error> {
        actor.require(Permission::WriteStaffArea)?;
        let current =
            crate::write::current(store::find_period(self.store.conn(), id).await?, version)?;
        let tx = self.store.begin().await?;
        if !store::lock_period(&tx, id).await? {
            return Err(Error::NotFound);
        }
        let mut errors = Vec::new();
        if !store::targets_of(&tx, id).await?.is_empty() {
            errors.push(FieldError::new("period", "period-has-targets"));
        }
        if !store::report_versions(&tx, id).await?.is_empty() {
            errors.push(FieldError::new("period", "period-finalised"));
        }
        // Stored beyond items are what staff typed, linked, reworded,
        // hid or reordered; deleting the period would lose them silently.
        if !msohub_store::projects::beyond_items(&tx, id)
            .await?
            .is_empty()
        {
            errors.push(FieldError::new("period", "period-has-beyond"));
        }
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let mut before = period_view(&current);
        if let Some(texts) = store::report_text(&tx, id).await? {
            before["report_texts"] = serde_json::to_value(texts).unwrap_or_default();
        }
        store::delete_period(&tx, id, version).await?;
        audit::record(&tx, actor, "period", id, "delete", Some(before), None).await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        Ok(())
    }
}

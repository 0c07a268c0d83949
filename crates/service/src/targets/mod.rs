//! Reporting periods and targets with progress computed live from the
//! records: contacts of given kinds, the office's attendance rate at a
//! body's meetings, meetings held, organisations represented, needs met,
//! or a figure staff enter. Each target's status (met, partly met, not met)
//! follows from thresholds; staff may override it with a justification.

mod measure;
mod periods;
mod validate;

pub use periods::PeriodChange;

use crate::interactions::Ref;
use crate::{Actor, Error, FieldError, Services, audit, time};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use msohub_domain::Permission;
use msohub_store::targets::{self as store, PeriodRow, TargetRow};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// How a target is measured.
pub const METRICS: &[&str] = &[
    "interactions",
    "staff_attendance_rate",
    "meetings_held",
    "organisations_represented",
    "needs_addressed",
    "needs_raised",
    "events_held",
    "offers_published",
    "manual",
];

pub const STATUSES: &[&str] = &["met", "partly_met", "not_met"];

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct Period {
    pub id: Uuid,
    /// e.g. "2020/21"
    pub name: String,
    /// school_year, calendar_year, custom
    pub kind: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub version: i32,
}

impl From<&PeriodRow> for Period {
    fn from(r: &PeriodRow) -> Self {
        Period {
            id: r.id,
            name: r.name.clone(),
            kind: r.kind.clone(),
            starts_on: r.starts_on,
            ends_on: r.ends_on,
            version: r.version,
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
#[serde(default)]
pub struct PeriodInput {
    /// school_year (from the start year's August), calendar_year, custom
    pub kind: String,
    /// For school and calendar years: the year it starts in.
    #[serde(deserialize_with = "crate::organisations::lenient::number")]
    pub year: String,
    /// For custom periods (YYYY-MM-DD).
    pub starts_on: String,
    pub ends_on: String,
    /// For custom periods; generated otherwise.
    pub name: String,
}

/// The parameters of a metric.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
#[serde(default)]
pub struct MetricParams {
    /// interactions: kinds counted (empty: all).
    pub kinds: Vec<String>,
    /// interactions: statuses counted (default: held).
    pub statuses: Vec<String>,
    /// interactions: only with organisations of these kinds (e.g. mso).
    pub organisation_kinds: Vec<String>,
    /// Body metrics: the body.
    pub body_id: Option<Uuid>,
    /// Need metrics: only needs of these categories (empty: all).
    pub categories: Vec<String>,
    /// Need metrics: only needs from these sources, e.g. `portal` for those
    /// the organisations reported themselves (empty: all).
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct Target {
    pub id: Uuid,
    pub period_id: Uuid,
    /// The project (Handlungsfeld) whose chapter the target is in.
    pub project_id: Uuid,
    pub number: i32,
    pub title: String,
    pub description: String,
    pub metric: String,
    pub params: MetricParams,
    /// The value aimed at (a count, or a percentage for rates).
    pub wanted: f64,
    /// The value reached, computed from the records (or entered).
    pub actual: f64,
    /// The count behind the figure: records counted, or for a rate the
    /// meetings the office attended (none for entered figures).
    #[serde(default)]
    pub count: Option<u32>,
    /// A rate's base: the meetings held.
    #[serde(default)]
    pub of: Option<u32>,
    /// actual / wanted, capped at 1.
    pub progress: f64,
    /// met, partly_met, not_met — by the thresholds …
    pub computed_status: String,
    /// … or as overridden.
    pub status: String,
    pub overridden: bool,
    pub override_reason: String,
    /// Share of `wanted` from which the target counts as met / partly met.
    pub met_at: f64,
    pub partly_at: f64,
    pub manual_value: Option<f64>,
    pub deviation_reason: String,
    pub substitute_measures: String,
    /// Where the records behind the figure are listed.
    pub records_href: String,
    /// The body a body metric is about.
    pub body: Option<Ref>,
    /// The records the substitute measures point to.
    pub substitutes: Vec<Substitute>,
    pub version: i32,
}

/// A record a target's substitute measures point to, with what the report
/// says about it within the period.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct Substitute {
    /// body, meeting, event, interaction
    pub record_type: String,
    pub id: Uuid,
    pub name: String,
    pub href: String,
    /// A body's purpose, as entered on the body.
    #[serde(default)]
    pub purpose: String,
    /// A body's founding day; a meeting's or interaction's day.
    pub date: Option<NaiveDate>,
    /// A meeting's or interaction's mode (in_person, digital, hybrid).
    pub mode: String,
    /// A body's meetings held in the period: day and mode.
    pub meetings: Vec<SubstituteMeeting>,
    /// A body: distinct organisations represented in the period.
    pub organisations_represented: Option<u32>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct SubstituteMeeting {
    pub date: NaiveDate,
    pub mode: String,
}

/// The record types a substitute measure may point to.
pub const SUBSTITUTE_TYPES: &[&str] = &["body", "meeting", "event", "interaction"];

impl Target {
    pub fn to_input(&self) -> TargetInput {
        TargetInput {
            period_id: self.period_id.to_string(),
            project_id: self.project_id.to_string(),
            number: self.number.to_string(),
            title: self.title.clone(),
            description: self.description.clone(),
            metric: self.metric.clone(),
            kinds: self.params.kinds.clone(),
            statuses: self.params.statuses.clone(),
            organisation_kinds: self.params.organisation_kinds.clone(),
            categories: self.params.categories.clone(),
            sources: self.params.sources.clone(),
            body_id: self
                .params
                .body_id
                .map(|b| b.to_string())
                .unwrap_or_default(),
            wanted: fmt_num(self.wanted),
            manual_value: self.manual_value.map(fmt_num).unwrap_or_default(),
            met_at: fmt_num(self.met_at * 100.0),
            partly_at: fmt_num(self.partly_at * 100.0),
            override_status: if self.overridden {
                self.status.clone()
            } else {
                String::new()
            },
            override_reason: self.override_reason.clone(),
            deviation_reason: self.deviation_reason.clone(),
            substitute_measures: self.substitute_measures.clone(),
            substitutes: self
                .substitutes
                .iter()
                .map(|s| format!("{}:{}", s.record_type, s.id))
                .collect(),
            version: self.version,
        }
    }
}

fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v}")
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
#[serde(default)]
pub struct TargetInput {
    pub period_id: String,
    /// The project; empty: the first project.
    pub project_id: String,
    #[serde(deserialize_with = "crate::organisations::lenient::number")]
    pub number: String,
    pub title: String,
    pub description: String,
    pub metric: String,
    #[serde(deserialize_with = "crate::organisations::lenient::list")]
    pub kinds: Vec<String>,
    #[serde(deserialize_with = "crate::organisations::lenient::list")]
    pub statuses: Vec<String>,
    #[serde(deserialize_with = "crate::organisations::lenient::list")]
    pub organisation_kinds: Vec<String>,
    /// needs_addressed, needs_raised: need categories counted (empty: all).
    #[serde(deserialize_with = "crate::organisations::lenient::list")]
    pub categories: Vec<String>,
    /// needs_addressed, needs_raised: sources counted (interaction, meeting,
    /// survey, portal, other; empty: all).
    #[serde(deserialize_with = "crate::organisations::lenient::list")]
    pub sources: Vec<String>,
    pub body_id: String,
    #[serde(deserialize_with = "crate::organisations::lenient::number")]
    pub wanted: String,
    #[serde(deserialize_with = "crate::organisations::lenient::number")]
    pub manual_value: String,
    /// Percent of `wanted` from which the target is met (default 100).
    #[serde(deserialize_with = "crate::organisations::lenient::number")]
    pub met_at: String,
    /// Percent of `wanted` from which it is partly met (default 50).
    #[serde(deserialize_with = "crate::organisations::lenient::number")]
    pub partly_at: String,
    /// met, partly_met, not_met, or empty for the computed status.
    pub override_status: String,
    /// Required with an override.
    pub override_reason: String,
    pub deviation_reason: String,
    pub substitute_measures: String,
    /// Linked records, as "body:<id>", "meeting:<id>" or "interaction:<id>".
    #[serde(deserialize_with = "crate::organisations::lenient::list")]
    pub substitutes: Vec<String>,
    pub version: i32,
}

/// The overall verdict of a period's targets, in the report's words.
pub fn verdict(statuses: &[&str]) -> &'static str {
    if statuses.is_empty() {
        "none"
    } else if statuses.iter().all(|s| *s == "met") {
        "met"
    } else if statuses.iter().all(|s| *s == "not_met") {
        "not_met"
    } else {
        "partly_met"
    }
}

/// The status by thresholds.
pub fn status_of(actual: f64, wanted: f64, met_at: f64, partly_at: f64) -> &'static str {
    if wanted <= 0.0 {
        return "met";
    }
    let ratio = actual / wanted;
    if ratio >= met_at {
        "met"
    } else if ratio >= partly_at && actual > 0.0 {
        "partly_met"
    } else {
        "not_met"
    }
}

fn num(raw: &str, field: &str, errors: &mut Vec<FieldError>) -> Option<f64> {
    match raw.trim().replace(',', ".").parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Some(v),
        _ if raw.trim().is_empty() => None,
        _ => {
            errors.push(FieldError::new(field, "number-invalid"));
            None
        }
    }
}

impl Services {
    /// Creates a period: a school year (the first month a setting, August
    /// by default), a calendar year, or a custom range.
    pub async fn create_period(&self, actor: &Actor, input: &PeriodInput) -> Result<Period, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let mut errors = Vec::new();
        let first_month = self.office().await?.school_year_first_month.clamp(1, 12);
        let (name, starts, ends) = match input.kind.as_str() {
            "school_year" | "calendar_year" => {
                let Some(year) = input
                    .year
                    .trim()
                    .parse::<i32>()
                    .ok()
                    .filter(|y| (1990..=2100).contains(y))
                else {
                    return Err(Error::field("year", "year-invalid"));
                };
                if input.kind == "school_year" {
                    let start = NaiveDate::from_ymd_opt(year, first_month, 1).unwrap_or_default();
                    let end = NaiveDate::from_ymd_opt(year + 1, first_month, 1)
                        .and_then(|d| d.pred_opt())
                        .unwrap_or_default();
                    (format!("{year}/{:02}", (year + 1) % 100), start, end)
                } else {
                    (
                        year.to_string(),
                        NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default(),
                        NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default(),
                    )
                }
            }
            "custom" => {
                let s = time::parse_date(&input.starts_on);
                let e = time::parse_date(&input.ends_on);
                if s.is_none() {
                    errors.push(FieldError::new("starts_on", "date-invalid"));
                }
                if e.is_none() {
                    errors.push(FieldError::new("ends_on", "date-invalid"));
                }
                let name = input.name.trim().to_owned();
                if msohub_domain::organisation::is_blank(&name) {
                    errors.push(FieldError::new("name", "required"));
                }
                match (s, e) {
                    (Some(s), Some(e)) if e >= s => (name, s, e),
                    (Some(_), Some(_)) => {
                        errors.push(FieldError::new("ends_on", "end-before-start"));
                        return Err(Error::Validation(errors));
                    }
                    _ => return Err(Error::Validation(errors)),
                }
            }
            _ => return Err(Error::field("kind", "choice-unknown")),
        };
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        if store::find_period_by_name(self.store.conn(), &name)
            .await?
            .is_some()
        {
            return Err(Error::field("year", "taken"));
        }
        // Periods of the same kind do not overlap (a report counts each
        // record once).
        let overlaps = store::periods(self.store.conn())
            .await?
            .into_iter()
            .any(|p| p.kind == input.kind && p.starts_on <= ends && starts <= p.ends_on);
        if overlaps {
            let field = if input.kind == "custom" {
                "starts_on"
            } else {
                "year"
            };
            return Err(Error::field(field, "period-overlap"));
        }
        let now = Utc::now();
        let row = PeriodRow {
            id: Uuid::now_v7(),
            name,
            kind: input.kind.clone(),
            starts_on: starts,
            ends_on: ends,
            version: 1,
            created_at: now,
            updated_at: now,
        };
        let tx = self.store.begin().await?;
        let row = store::insert_period(&tx, row).await?;
        audit::record(
            &tx,
            actor,
            "period",
            row.id,
            "create",
            None,
            Some(serde_json::json!(Period::from(&row))),
        )
        .await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        Ok(Period::from(&row))
    }

    pub async fn periods(&self, actor: &Actor) -> Result<Vec<Period>, Error> {
        actor.require(Permission::ReadStaffArea)?;
        Ok(store::periods(self.store.conn())
            .await?
            .iter()
            .map(Period::from)
            .collect())
    }

    pub async fn get_period(&self, actor: &Actor, id: Uuid) -> Result<Period, Error> {
        actor.require(Permission::ReadStaffArea)?;
        Ok(Period::from(
            &store::find_period(self.store.conn(), id)
                .await?
                .ok_or(Error::NotFound)?,
        ))
    }

    /// The period that contains today (else the one that ended last).
    pub async fn current_period(&self, actor: &Actor) -> Result<Option<Period>, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let conn = self.store.conn();
        if let Some(p) = store::period_containing(conn, time::today()).await? {
            return Ok(Some(Period::from(&p)));
        }
        // None contains today: the one that ended last (the longer of two
        // that ended the same day).
        Ok(store::periods(conn)
            .await?
            .iter()
            .max_by_key(|p| (p.ends_on, std::cmp::Reverse(p.starts_on)))
            .map(Period::from))
    }

    /// The period's targets with their progress.
    pub async fn targets(&self, actor: &Actor, period: Uuid) -> Result<Vec<Target>, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let p = store::find_period(self.store.conn(), period)
            .await?
            .ok_or(Error::NotFound)?;
        let mut out = Vec::new();
        for r in store::targets_of(self.store.conn(), period).await? {
            out.push(self.evaluate(&p, &r).await?);
        }
        Ok(out)
    }

    pub async fn get_target(&self, actor: &Actor, id: Uuid) -> Result<Target, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let conn = self.store.conn();
        let r = store::find_target(conn, id).await?.ok_or(Error::NotFound)?;
        let p = store::find_period(conn, r.period_id)
            .await?
            .ok_or(Error::NotFound)?;
        self.evaluate(&p, &r).await
    }

    pub async fn create_target(&self, actor: &Actor, input: &TargetInput) -> Result<Target, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let (row, links) = self.validate_target(input, None).await?;
        let tx = self.store.begin().await?;
        let row = store::insert_target(&tx, row).await?;
        store::set_target_links(&tx, row.id, &links).await?;
        audit::record(
            &tx,
            actor,
            "target",
            row.id,
            "create",
            None,
            Some(target_view(&row, &links)),
        )
        .await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        self.get_target(actor, row.id).await
    }

    pub async fn update_target(
        &self,
        actor: &Actor,
        id: Uuid,
        input: &TargetInput,
    ) -> Result<Target, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let current = crate::write::current(
            store::find_target(self.store.conn(), id).await?,
            input.version,
        )?;
        let (row, links) = self.validate_target(input, Some(&current)).await?;
        let before_links = link_pairs(&store::target_links(self.store.conn(), &[id]).await?);
        let tx = self.store.begin().await?;
        let row = store::update_target(&tx, row).await?;
        store::set_target_links(&tx, id, &links).await?;
        audit::record(
            &tx,
            actor,
            "target",
            id,
            "update",
            Some(target_view(&current, &before_links)),
            Some(target_view(&row, &links)),
        )
        .await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        self.get_target(actor, id).await
    }

    pub async fn patch_target(
        &self,
        actor: &Actor,
        id: Uuid,
        patch: &serde_json::Value,
    ) -> Result<Target, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let current = self.get_target(actor, id).await?;
        let input: TargetInput = crate::patch::merge(&current.to_input(), patch)?;
        self.update_target(actor, id, &input).await
    }

    pub async fn delete_target(&self, actor: &Actor, id: Uuid, version: i32) -> Result<(), Error> {
        actor.require(Permission::WriteStaffArea)?;
        let current =
            crate::write::current(store::find_target(self.store.conn(), id).await?, version)?;
        let links = link_pairs(&store::target_links(self.store.conn(), &[id]).await?);
        let tx = self.store.begin().await?;
        store::delete_target(&tx, id).await?;
        audit::record(
            &tx,
            actor,
            "target",
            id,
            "delete",
            Some(target_view(&current, &links)),
            None,
        )
        .await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        Ok(())
    }
}

fn link_pairs(rows: &[store::TargetLinkRow]) -> Vec<(String, Uuid)> {
    rows.iter()
        .map(|l| (l.record_type.clone(), l.record_id))
        .collect()
}

fn target_view(r: &TargetRow, links: &[(String, Uuid)]) -> serde_json::Value {
    let substitutes: Vec<String> = links.iter().map(|(t, id)| format!("{t}:{id}")).collect();
    serde_json::json!({
        "substitutes": substitutes,
        "period_id": r.period_id, "project_id": r.project_id, "number": r.number, "title": r.title, "description": r.description,
        "metric": r.metric, "params": serde_json::from_str::<serde_json::Value>(&r.params).unwrap_or_default(),
        "wanted": r.wanted, "manual_value": r.manual_value, "met_at": r.met_at, "partly_at": r.partly_at,
        "override_status": r.override_status, "override_reason": r.override_reason,
        "deviation_reason": r.deviation_reason, "substitute_measures": r.substitute_measures,
    })
}

/// The school year a day belongs to ("2020/21" for 2021-03-01).
pub fn school_year_of(day: NaiveDate) -> String {
    let start = if day.month() >= 8 {
        day.year()
    } else {
        day.year() - 1
    };
    format!("{start}/{:02}", (start + 1) % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_follow_the_thresholds() {
        assert_eq!(status_of(6.0, 6.0, 1.0, 0.5), "met");
        assert_eq!(status_of(4.0, 6.0, 1.0, 0.5), "partly_met");
        assert_eq!(status_of(2.0, 6.0, 1.0, 0.5), "not_met");
        assert_eq!(
            status_of(0.0, 6.0, 1.0, 0.0),
            "not_met",
            "nothing is never partly"
        );
        // The council: attended 1 of 3 = 33.3 % against 100 % wanted.
        assert_eq!(status_of(33.3, 100.0, 1.0, 0.3), "partly_met");
    }

    #[test]
    fn the_verdict_says_partly_when_mixed() {
        assert_eq!(verdict(&["met", "not_met"]), "partly_met");
        assert_eq!(verdict(&["met", "met"]), "met");
        assert_eq!(verdict(&["not_met"]), "not_met");
    }

    #[test]
    fn school_years_start_in_august() {
        assert_eq!(
            school_year_of(NaiveDate::from_ymd_opt(2021, 3, 1).unwrap()),
            "2020/21"
        );
        assert_eq!(
            school_year_of(NaiveDate::from_ymd_opt(2020, 8, 1).unwrap()),
            "2020/21"
        );
        assert_eq!(
            school_year_of(NaiveDate::from_ymd_opt(2020, 7, 31).unwrap()),
            "2019/20"
        );
    }
}

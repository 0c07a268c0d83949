//! Projects (Handlungsfelder): the office's fields of work within which it
//! agrees targets each period, e.g. "Koordination mit MSO", "Bildung",
//! "Integrationskurse". Each is a chapter of the yearly report, with its
//! purpose and context, its targets, texts and "beyond the targets" items;
//! what the chapter's monthly chart counts is the project's choice.

use crate::{Actor, Error, FieldError, Services, write};
use chrono::Utc;
use msohub_domain::Permission;
use msohub_store::projects::{self as store, ProjectRow};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What a chapter's monthly chart can count.
pub const CHART_COUNTS: &[&str] = &["contacts", "meetings", "events"];

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct Project {
    pub id: Uuid,
    pub name: String,
    /// Purpose and context, printed under the chapter's heading.
    pub description: String,
    /// What the chapter's chart counts per month: contacts, meetings (of
    /// the bodies its targets are about), events (the office organised).
    pub chart_counts: Vec<String>,
    /// Order of the chapters.
    pub position: i32,
    pub version: i32,
}

impl From<&ProjectRow> for Project {
    fn from(r: &ProjectRow) -> Self {
        Project {
            id: r.id,
            name: r.name.clone(),
            description: r.description.clone(),
            chart_counts: r
                .chart_counts
                .split(',')
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_owned)
                .collect(),
            position: r.position,
            version: r.version,
        }
    }
}

impl Project {
    pub fn to_input(&self) -> ProjectInput {
        ProjectInput {
            name: self.name.clone(),
            description: self.description.clone(),
            chart_counts: self.chart_counts.clone(),
            position: self.position.to_string(),
            version: self.version,
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
#[serde(default)]
pub struct ProjectInput {
    pub name: String,
    pub description: String,
    /// contacts, meetings, events (default: contacts).
    #[serde(deserialize_with = "crate::organisations::lenient::list")]
    pub chart_counts: Vec<String>,
    /// Order of the chapters (empty: after the others).
    #[serde(deserialize_with = "crate::organisations::lenient::number")]
    pub position: String,
    pub version: i32,
}

impl Services {
    fn validate_project(
        input: &ProjectInput,
        current: Option<&ProjectRow>,
        next_position: i32,
    ) -> Result<ProjectRow, Error> {
        let mut errors = Vec::new();
        let name = input.name.trim().to_owned();
        if name.is_empty() {
            errors.push(FieldError::new("name", "required"));
        } else if name.chars().count() > 200 {
            errors.push(FieldError::new("name", "too-long"));
        }
        if input.description.chars().count() > 10_000 {
            errors.push(FieldError::new("description", "too-long"));
        }
        let mut counts: Vec<&str> = Vec::new();
        for c in input.chart_counts.iter().map(|c| c.trim()) {
            if c.is_empty() {
                continue;
            }
            if !CHART_COUNTS.contains(&c) {
                errors.push(FieldError::new("chart_counts", "choice-unknown"));
            } else if !counts.contains(&c) {
                counts.push(c);
            }
        }
        if counts.is_empty() {
            counts.push("contacts");
        }
        let position = match input.position.trim() {
            "" => current.map_or(next_position, |c| c.position),
            raw => match raw.parse::<i32>() {
                Ok(p) if (0..=999).contains(&p) => p,
                _ => {
                    errors.push(FieldError::new("position", "number-invalid"));
                    0
                }
            },
        };
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let now = Utc::now();
        Ok(ProjectRow {
            id: current.map_or_else(Uuid::now_v7, |c| c.id),
            name,
            description: input.description.trim().to_owned(),
            chart_counts: counts.join(","),
            position,
            version: current.map_or(1, |c| c.version),
            created_at: current.map_or(now, |c| c.created_at),
            updated_at: now,
        })
    }

    /// All projects in the report's order.
    pub async fn projects(&self, actor: &Actor) -> Result<Vec<Project>, Error> {
        actor.require(Permission::ReadStaffArea)?;
        self.all_projects().await
    }

    pub(crate) async fn all_projects(&self) -> Result<Vec<Project>, Error> {
        Ok(store::projects(self.store.conn())
            .await?
            .iter()
            .map(Project::from)
            .collect())
    }

    pub async fn get_project(&self, actor: &Actor, id: Uuid) -> Result<Project, Error> {
        actor.require(Permission::ReadStaffArea)?;
        store::find_project(self.store.conn(), id)
            .await?
            .map(|r| Project::from(&r))
            .ok_or(Error::NotFound)
    }

    /// The project a target or item without one belongs to: the first.
    pub(crate) async fn default_project(&self) -> Result<Uuid, Error> {
        match store::projects(self.store.conn()).await?.first() {
            Some(p) => Ok(p.id),
            None => Err(Error::field("project_id", "project-unknown")),
        }
    }

    pub async fn create_project(
        &self,
        actor: &Actor,
        input: &ProjectInput,
    ) -> Result<Project, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let next = store::projects(self.store.conn())
            .await?
            .iter()
            .map(|p| p.position + 1)
            .max()
            .unwrap_or(0);
        let row = Self::validate_project(input, None, next)?;
        let row = self
            .write_audited(
                actor,
                "project",
                "create",
                None,
                async |tx| Ok(store::insert_project(tx, row).await?),
                |r| (r.id, Some(serde_json::json!(Project::from(r)))),
            )
            .await?;
        Ok(Project::from(&row))
    }

    pub async fn update_project(
        &self,
        actor: &Actor,
        id: Uuid,
        input: &ProjectInput,
    ) -> Result<Project, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let current = write::current(
            store::find_project(self.store.conn(), id).await?,
            input.version,
        )?;
        let row = Self::validate_project(input, Some(&current), current.position)?;
        let before = serde_json::json!(Project::from(&current));
        let row = self
            .write_audited(
                actor,
                "project",
                "update",
                Some(before),
                async |tx| Ok(store::update_project(tx, row).await?),
                |r| (r.id, Some(serde_json::json!(Project::from(r)))),
            )
            .await?;
        Ok(Project::from(&row))
    }

    pub async fn patch_project(
        &self,
        actor: &Actor,
        id: Uuid,
        patch: &serde_json::Value,
    ) -> Result<Project, Error> {
        let current = self.get_project(actor, id).await?;
        let input: ProjectInput = crate::patch::merge(&current.to_input(), patch)?;
        self.update_project(actor, id, &input).await
    }

    /// Deletes a project without targets and items; the last one stays
    /// (targets need a project).
    pub async fn delete_project(&self, actor: &Actor, id: Uuid, version: i32) -> Result<(), Error> {
        actor.require(Permission::WriteStaffArea)?;
        let conn = self.store.conn();
        let current = write::current(store::find_project(conn, id).await?, version)?;
        if store::project_uses(conn, id).await? > 0 {
            return Err(Error::field("project", "project-in-use"));
        }
        if store::projects(conn).await?.len() <= 1 {
            return Err(Error::field("project", "project-last"));
        }
        let before = serde_json::json!(Project::from(&current));
        self.write_audited(
            actor,
            "project",
            "delete",
            Some(before),
            async |tx| Ok(store::delete_project(tx, id).await?),
            |_| (id, None),
        )
        .await
    }
}

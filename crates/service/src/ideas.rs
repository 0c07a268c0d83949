//! Ideas and joint projects (Ideen, Projektvorschläge): proposed by an
//! organisation in the portal, raised in the working group, or noted by the
//! office; followed from "proposed" through "under discussion" and "in
//! progress" to "realised" or "not pursued", with the organisations,
//! bodies and meetings involved and follow-ups (tasks linked to the idea),
//! so the office can report which ideas became real.

use crate::interactions::Ref;
use crate::{Actor, Error, FieldError, Services, audit};
use chrono::{DateTime, Utc};
use msohub_domain::Permission;
use msohub_domain::work::IdeaStatus;
use msohub_store::portal::{self as store, IdeaFilter, IdeaRow};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use uuid::Uuid;

/// What an idea links to: organisations, bodies, meetings.
pub const LINK_TYPES: [&str; 3] = ["organisation", "body", "meeting"];

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Idea {
    pub id: Uuid,
    pub title: String,
    pub description: String,
    /// Who could take part.
    pub participants: String,
    /// What support is needed.
    pub support: String,
    /// proposed, under_discussion, in_progress, realised, not_pursued
    pub status: String,
    /// What became of it (the office's answer).
    pub outcome: String,
    /// The organisation that proposed it.
    pub organisation: Option<Ref>,
    /// The person who proposed it in the portal.
    pub proposed_by: Option<Ref>,
    /// portal, staff, working_group
    pub source: String,
    pub organisations: Vec<Ref>,
    pub bodies: Vec<Ref>,
    pub meetings: Vec<Ref>,
    pub deleted: bool,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Idea {
    pub fn to_input(&self) -> IdeaInput {
        let ids = |refs: &[Ref]| refs.iter().map(|r| r.id.to_string()).collect();
        IdeaInput {
            title: self.title.clone(),
            description: self.description.clone(),
            participants: self.participants.clone(),
            support: self.support.clone(),
            status: self.status.clone(),
            outcome: self.outcome.clone(),
            organisation_id: self
                .organisation
                .as_ref()
                .map(|o| o.id.to_string())
                .unwrap_or_default(),
            source: self.source.clone(),
            organisations: ids(&self.organisations),
            bodies: ids(&self.bodies),
            meetings: ids(&self.meetings),
            version: self.version,
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
#[serde(default)]
pub struct IdeaInput {
    pub title: String,
    pub description: String,
    pub participants: String,
    pub support: String,
    /// proposed (the default), under_discussion, in_progress, realised,
    /// not_pursued
    pub status: String,
    pub outcome: String,
    /// The organisation that proposed it (optional).
    pub organisation_id: String,
    /// staff (the default) or working_group; portal ideas come from the
    /// portal.
    pub source: String,
    /// Further organisations taking part (ids).
    #[serde(deserialize_with = "crate::organisations::lenient::list")]
    pub organisations: Vec<String>,
    /// Bodies where it is discussed (ids).
    #[serde(deserialize_with = "crate::organisations::lenient::list")]
    pub bodies: Vec<String>,
    /// Meetings where it was discussed (ids).
    #[serde(deserialize_with = "crate::organisations::lenient::list")]
    pub meetings: Vec<String>,
    pub version: i32,
}

fn text(
    field: &str,
    value: &str,
    max: usize,
    required: bool,
    errors: &mut Vec<FieldError>,
) -> String {
    let v = value.trim().to_owned();
    if required && v.is_empty() {
        errors.push(FieldError::new(field, "required"));
    } else if v.chars().count() > max {
        errors.push(FieldError::new(field, "too-long"));
    }
    v
}

fn audit_view(r: &IdeaRow, links: &[(String, Uuid)]) -> serde_json::Value {
    serde_json::json!({
        "title": r.title, "description": r.description, "participants": r.participants,
        "support": r.support, "status": r.status, "outcome": r.outcome,
        "organisation_id": r.organisation_id, "source": r.source,
        "links": links, "deleted": r.deleted_at.is_some(),
    })
}

impl Services {
    /// Checks an idea's input; the row (without id and times) and links.
    async fn validate_idea(
        &self,
        input: &IdeaInput,
        current: Option<&IdeaRow>,
    ) -> Result<(IdeaRow, Vec<(String, Uuid)>), Error> {
        let mut errors = Vec::new();
        let title = text("title", &input.title, 200, true, &mut errors);
        let description = text("description", &input.description, 5_000, true, &mut errors);
        let participants = text(
            "participants",
            &input.participants,
            2_000,
            false,
            &mut errors,
        );
        let support = text("support", &input.support, 2_000, false, &mut errors);
        let outcome = text("outcome", &input.outcome, 5_000, false, &mut errors);
        let status = match input.status.trim() {
            "" => Some(IdeaStatus::Proposed),
            raw => IdeaStatus::parse(raw)
                .map_err(|e| errors.push(FieldError::new(e.field, e.rule)))
                .ok(),
        };
        let source = match input.source.trim() {
            "" => current.map_or("staff", |c| c.source.as_str()).to_owned(),
            s @ ("staff" | "working_group" | "portal") => s.to_owned(),
            _ => {
                errors.push(FieldError::new("source", "choice-unknown"));
                String::new()
            }
        };
        let conn = self.store.conn();
        let organisation = match input.organisation_id.trim() {
            "" => None,
            raw => match raw.parse::<Uuid>() {
                Ok(id)
                    if msohub_store::organisations::find(conn, id)
                        .await?
                        .is_some_and(|o| o.deleted_at.is_none()) =>
                {
                    Some(id)
                }
                _ => {
                    errors.push(FieldError::new("organisation_id", "organisation-unknown"));
                    None
                }
            },
        };
        let mut links = Vec::new();
        for (kind, field, ids) in [
            ("organisation", "organisations", &input.organisations),
            ("body", "bodies", &input.bodies),
            ("meeting", "meetings", &input.meetings),
        ] {
            for raw in ids.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
                let known = match raw.parse::<Uuid>() {
                    Ok(id) => match kind {
                        "organisation" => {
                            msohub_store::organisations::find(conn, id).await?.is_some()
                        }
                        "body" => msohub_store::bodies::find_body(conn, id).await?.is_some(),
                        _ => msohub_store::bodies::find_meeting(conn, id)
                            .await?
                            .is_some(),
                    }
                    .then_some(id),
                    Err(_) => None,
                };
                match known {
                    Some(id) if !links.contains(&(kind.to_owned(), id)) => {
                        links.push((kind.to_owned(), id))
                    }
                    Some(_) => {}
                    None => errors.push(FieldError::new(field, "link-unknown")),
                }
            }
        }
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let now = Utc::now();
        Ok((
            IdeaRow {
                id: current.map_or_else(Uuid::now_v7, |c| c.id),
                title,
                description,
                participants,
                support,
                status: status.unwrap_or(IdeaStatus::Proposed).code().to_owned(),
                outcome,
                organisation_id: organisation,
                person_id: current.and_then(|c| c.person_id),
                source,
                version: current.map_or(1, |c| c.version),
                deleted_at: current.and_then(|c| c.deleted_at),
                created_at: current.map_or(now, |c| c.created_at),
                updated_at: now,
            },
            links,
        ))
    }

    /// [`Services::validate_idea`] for a new idea from the portal.
    pub(crate) async fn validate_idea_for_portal(
        &self,
        input: &IdeaInput,
    ) -> Result<(IdeaRow, Vec<(String, Uuid)>), Error> {
        self.validate_idea(input, None).await
    }

    pub(crate) async fn assemble_ideas(&self, rows: Vec<IdeaRow>) -> Result<Vec<Idea>, Error> {
        let conn = self.store.conn();
        let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
        let links = store::idea_links(conn, &ids).await?;
        let mut orgs: Vec<Uuid> = rows.iter().filter_map(|r| r.organisation_id).collect();
        orgs.extend(
            links
                .iter()
                .filter(|l| l.record_type == "organisation")
                .map(|l| l.record_id),
        );
        let orgs = msohub_store::organisations::names(conn, &orgs).await?;
        let people: Vec<Uuid> = rows.iter().filter_map(|r| r.person_id).collect();
        let people = msohub_store::people::names(conn, &people).await?;
        let mut labels: HashMap<(String, Uuid), String> = HashMap::new();
        for l in links.iter().filter(|l| l.record_type != "organisation") {
            let name = match l.record_type.as_str() {
                "body" => msohub_store::bodies::find_body(conn, l.record_id)
                    .await?
                    .map(|b| b.name),
                _ => msohub_store::bodies::find_meeting(conn, l.record_id)
                    .await?
                    .map(|m| m.title),
            };
            labels.insert(
                (l.record_type.clone(), l.record_id),
                name.unwrap_or_default(),
            );
        }
        let refs = |idea: Uuid, kind: &str| -> Vec<Ref> {
            links
                .iter()
                .filter(|l| l.idea_id == idea && l.record_type == kind)
                .map(|l| Ref {
                    id: l.record_id,
                    name: if kind == "organisation" {
                        orgs.get(&l.record_id).cloned().unwrap_or_default()
                    } else {
                        labels
                            .get(&(kind.to_owned(), l.record_id))
                            .cloned()
                            .unwrap_or_default()
                    },
                })
                .collect()
        };
        Ok(rows
            .into_iter()
            .map(|r| Idea {
                organisations: refs(r.id, "organisation"),
                bodies: refs(r.id, "body"),
                meetings: refs(r.id, "meeting"),
                organisation: r.organisation_id.map(|id| Ref {
                    id,
                    name: orgs.get(&id).cloned().unwrap_or_default(),
                }),
                proposed_by: r.person_id.map(|id| Ref {
                    id,
                    name: people.get(&id).cloned().unwrap_or_default(),
                }),
                id: r.id,
                title: r.title,
                description: r.description,
                participants: r.participants,
                support: r.support,
                status: r.status,
                outcome: r.outcome,
                source: r.source,
                deleted: r.deleted_at.is_some(),
                version: r.version,
                created_at: r.created_at,
                updated_at: r.updated_at,
            })
            .collect())
    }

    /// Ideas, newest first, of the given statuses (all when empty).
    pub async fn list_ideas(
        &self,
        actor: &Actor,
        statuses: &[String],
        deleted: bool,
    ) -> Result<Vec<Idea>, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let rows = store::list_ideas(
            self.store.conn(),
            &IdeaFilter {
                statuses: statuses.to_vec(),
                organisations: None,
                deleted,
            },
            1_000,
        )
        .await?;
        self.assemble_ideas(rows).await
    }

    /// The ideas of (or with) one organisation, for its timeline.
    pub async fn organisation_ideas(
        &self,
        actor: &Actor,
        organisation: Uuid,
    ) -> Result<Vec<Idea>, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let rows = store::list_ideas(
            self.store.conn(),
            &IdeaFilter {
                organisations: Some(vec![organisation]),
                ..Default::default()
            },
            200,
        )
        .await?;
        self.assemble_ideas(rows).await
    }

    pub async fn get_idea(&self, actor: &Actor, id: Uuid) -> Result<Idea, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let row = store::find_idea(self.store.conn(), id)
            .await?
            .ok_or(Error::NotFound)?;
        Ok(self.assemble_ideas(vec![row]).await?.remove(0))
    }

    pub async fn create_idea(&self, actor: &Actor, input: &IdeaInput) -> Result<Idea, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let (row, links) = self.validate_idea(input, None).await?;
        self.insert_idea(actor, row, links).await
    }

    pub(crate) async fn insert_idea(
        &self,
        actor: &Actor,
        row: IdeaRow,
        links: Vec<(String, Uuid)>,
    ) -> Result<Idea, Error> {
        let tx = self.store.begin().await?;
        let row = store::insert_idea(&tx, row).await?;
        store::set_idea_links(&tx, row.id, &links).await?;
        audit::record(
            &tx,
            actor,
            "idea",
            row.id,
            "create",
            None,
            Some(audit_view(&row, &links)),
        )
        .await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        Ok(self.assemble_ideas(vec![row]).await?.remove(0))
    }

    pub async fn update_idea(
        &self,
        actor: &Actor,
        id: Uuid,
        input: &IdeaInput,
    ) -> Result<Idea, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let current = crate::write::current(
            store::find_idea(self.store.conn(), id).await?,
            input.version,
        )?;
        let before_links: Vec<(String, Uuid)> = store::idea_links(self.store.conn(), &[id])
            .await?
            .into_iter()
            .map(|l| (l.record_type, l.record_id))
            .collect();
        let (row, links) = self.validate_idea(input, Some(&current)).await?;
        let tx = self.store.begin().await?;
        let row = store::update_idea(&tx, row).await?;
        store::set_idea_links(&tx, id, &links).await?;
        audit::record(
            &tx,
            actor,
            "idea",
            id,
            "update",
            Some(audit_view(&current, &before_links)),
            Some(audit_view(&row, &links)),
        )
        .await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        self.get_idea(actor, id).await
    }

    /// Changes the fields a JSON object names; `version` is required.
    pub async fn patch_idea(
        &self,
        actor: &Actor,
        id: Uuid,
        patch: &serde_json::Value,
    ) -> Result<Idea, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let current = self.get_idea(actor, id).await?;
        let input: IdeaInput = crate::patch::merge(&current.to_input(), patch)?;
        self.update_idea(actor, id, &input).await
    }

    /// Soft delete (or restore) of the given version.
    pub async fn set_idea_deleted(
        &self,
        actor: &Actor,
        id: Uuid,
        version: i32,
        deleted: bool,
    ) -> Result<Idea, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let current =
            crate::write::current(store::find_idea(self.store.conn(), id).await?, version)?;
        let mut row = current.clone();
        row.deleted_at = deleted.then(Utc::now);
        let tx = self.store.begin().await?;
        store::update_idea(&tx, row).await?;
        audit::record(
            &tx,
            actor,
            "idea",
            id,
            if deleted { "delete" } else { "restore" },
            None,
            None,
        )
        .await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        self.get_idea(actor, id).await
    }
}

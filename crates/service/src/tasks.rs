//! Tasks (Wiedervorlagen): a follow-up with a due date and an assignee,
//! linked to any record; done or open; "my tasks" and "overdue".

use crate::interactions::Ref;
use crate::organisations::decode_cursor;
use crate::{Actor, Error, FieldError, Services, time};
use chrono::{DateTime, NaiveDate, Utc};
use msohub_domain::Permission;
use msohub_domain::work::LinkType;
use msohub_store::work::{self as store, TaskFilter, TaskRow};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What a task follows up.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Link {
    /// organisation, interaction, need, person, meeting
    #[serde(rename = "type")]
    pub link_type: String,
    pub id: Uuid,
    /// The record's name or subject.
    pub label: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Task {
    pub id: Uuid,
    pub title: String,
    pub notes: String,
    pub due_on: NaiveDate,
    pub assignee: Ref,
    pub link: Option<Link>,
    pub done: bool,
    pub done_at: Option<DateTime<Utc>>,
    /// Open and due before today.
    pub overdue: bool,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Task {
    pub fn to_input(&self) -> TaskInput {
        TaskInput {
            title: self.title.clone(),
            notes: self.notes.clone(),
            due_on: self.due_on.to_string(),
            assignee_id: self.assignee.id.to_string(),
            link_type: self
                .link
                .as_ref()
                .map(|l| l.link_type.clone())
                .unwrap_or_default(),
            link_id: self
                .link
                .as_ref()
                .map(|l| l.id.to_string())
                .unwrap_or_default(),
            done: self.done,
            version: self.version,
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
#[serde(default)]
pub struct TaskInput {
    pub title: String,
    pub notes: String,
    /// YYYY-MM-DD
    pub due_on: String,
    /// The user who is to do it.
    pub assignee_id: String,
    /// organisation, interaction, need, person, meeting (or empty)
    pub link_type: String,
    pub link_id: String,
    pub done: bool,
    pub version: i32,
}

#[derive(Debug, Clone, Default)]
pub struct TaskQuery {
    pub assignee: Option<Uuid>,
    pub open: bool,
    pub done: bool,
    pub overdue: bool,
    /// Due on or before this day.
    pub due_until: Option<NaiveDate>,
    pub link: Option<(String, Uuid)>,
    pub cursor: Option<String>,
    pub limit: u64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TaskPage {
    pub items: Vec<Task>,
    pub total: u64,
    pub next_cursor: Option<String>,
}

fn audit_view(r: &TaskRow) -> serde_json::Value {
    serde_json::json!({
        "title": r.title, "notes": r.notes, "due_on": r.due_on,
        "assignee_id": r.assignee_id, "link_type": r.link_type, "link_id": r.link_id,
        "done": r.done_at.is_some(), "deleted": r.deleted_at.is_some(),
    })
}

impl Services {
    /// The label of a linked record, or `None` when it does not exist.
    pub(crate) async fn link_label(
        &self,
        link_type: &str,
        id: Uuid,
    ) -> Result<Option<String>, Error> {
        let c = self.store.conn();
        Ok(match link_type {
            "organisation" => msohub_store::organisations::find(c, id)
                .await?
                .map(|o| o.name),
            "interaction" => store::find_interaction(c, id).await?.map(|i| i.subject),
            "need" => match store::find_need(c, id).await? {
                Some(n) => Some(n.description.chars().take(80).collect()),
                None => None,
            },
            "meeting" => msohub_store::bodies::find_meeting(c, id)
                .await?
                .map(|m| m.title),
            "person" => msohub_store::people::find_person(c, id)
                .await?
                .map(|p| format!("{} {}", p.given_name, p.family_name)),
            "idea" => msohub_store::portal::find_idea(c, id)
                .await?
                .filter(|i| i.deleted_at.is_none())
                .map(|i| i.title),
            _ => None,
        })
    }

    /// The label of a linked record, for staff readers.
    pub async fn link_label_of(
        &self,
        actor: &Actor,
        link_type: &str,
        id: Uuid,
    ) -> Result<Option<String>, Error> {
        actor.require(Permission::ReadStaffArea)?;
        self.link_label(link_type, id).await
    }

    async fn validate_task(
        &self,
        input: &TaskInput,
        current: Option<&TaskRow>,
    ) -> Result<TaskRow, Error> {
        let mut errors = Vec::new();
        let title = input.title.trim().to_owned();
        if title.is_empty() {
            errors.push(FieldError::new("title", "required"));
        } else if title.chars().count() > 200 {
            errors.push(FieldError::new("title", "too-long"));
        }
        if input.notes.chars().count() > 5_000 {
            errors.push(FieldError::new("notes", "too-long"));
        }
        let due_on = match input.due_on.trim() {
            "" => {
                errors.push(FieldError::new("due_on", "required"));
                None
            }
            raw => {
                let d = time::parse_date(raw);
                if d.is_none() {
                    errors.push(FieldError::new("due_on", "date-invalid"));
                }
                d
            }
        };
        let assignee = match input.assignee_id.trim().parse::<Uuid>() {
            Err(_) => {
                errors.push(FieldError::new("assignee_id", "required"));
                None
            }
            Ok(id) => match msohub_store::users::find_user(self.store.conn(), id).await? {
                None => {
                    errors.push(FieldError::new("assignee_id", "user-unknown"));
                    None
                }
                Some(u) if u.disabled_at.is_some() => {
                    errors.push(FieldError::new("assignee_id", "user-disabled"));
                    None
                }
                Some(u) => {
                    let role: msohub_domain::Role =
                        u.role.parse().unwrap_or(msohub_domain::Role::Auditor);
                    if role.can(Permission::WriteStaffArea) {
                        Some(id)
                    } else {
                        errors.push(FieldError::new("assignee_id", "user-not-staff"));
                        None
                    }
                }
            },
        };
        let link = match (input.link_type.trim(), input.link_id.trim()) {
            ("", "") => None,
            (t, raw) => match (LinkType::parse(t), raw.parse::<Uuid>()) {
                (Ok(t), Ok(id)) if self.link_label(t.code(), id).await?.is_some() => {
                    Some((t.code().to_owned(), id))
                }
                _ => {
                    errors.push(FieldError::new("link_id", "link-unknown"));
                    None
                }
            },
        };
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let (Some(due_on), Some(assignee_id)) = (due_on, assignee) else {
            return Err(Error::field("due_on", "required"));
        };
        let now = Utc::now();
        let done_at = match (input.done, current.and_then(|c| c.done_at)) {
            (true, Some(at)) => Some(at),
            (true, None) => Some(now),
            (false, _) => None,
        };
        Ok(TaskRow {
            id: current.map_or_else(Uuid::now_v7, |c| c.id),
            title,
            notes: input.notes.trim_end().to_owned(),
            due_on,
            assignee_id,
            link_type: link.as_ref().map(|l| l.0.clone()),
            link_id: link.map(|l| l.1),
            done_at,
            version: current.map_or(1, |c| c.version),
            deleted_at: current.and_then(|c| c.deleted_at),
            created_by: current.and_then(|c| c.created_by),
            created_at: current.map_or(now, |c| c.created_at),
            updated_at: now,
        })
    }

    async fn assemble_tasks(&self, rows: Vec<TaskRow>) -> Result<Vec<Task>, Error> {
        let today = time::today();
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let assignee = msohub_store::users::find_user(self.store.conn(), r.assignee_id)
                .await?
                .map(|u| u.display_name)
                .unwrap_or_default();
            let link = match (&r.link_type, r.link_id) {
                (Some(t), Some(id)) => Some(Link {
                    link_type: t.clone(),
                    id,
                    label: self.link_label(t, id).await?.unwrap_or_default(),
                }),
                _ => None,
            };
            out.push(Task {
                id: r.id,
                title: r.title,
                notes: r.notes,
                due_on: r.due_on,
                assignee: Ref {
                    id: r.assignee_id,
                    name: assignee,
                },
                link,
                done: r.done_at.is_some(),
                done_at: r.done_at,
                overdue: r.done_at.is_none() && r.due_on < today,
                version: r.version,
                created_at: r.created_at,
                updated_at: r.updated_at,
            });
        }
        Ok(out)
    }

    pub async fn get_task(&self, actor: &Actor, id: Uuid) -> Result<Task, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let row = store::find_task(self.store.conn(), id).await?;
        match row {
            Some(r) if r.deleted_at.is_none() => Ok(self.assemble_tasks(vec![r]).await?.remove(0)),
            _ => Err(Error::NotFound),
        }
    }

    pub async fn list_tasks(&self, actor: &Actor, q: &TaskQuery) -> Result<TaskPage, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let offset = decode_cursor(q.cursor.as_deref())?;
        let limit = q.limit.clamp(1, 500);
        let today = time::today();
        let filter = TaskFilter {
            assignee: q.assignee,
            open: q.open || q.overdue,
            done: q.done,
            due_before: if q.overdue {
                Some(today)
            } else {
                q.due_until.and_then(|d| d.succ_opt())
            },
            due_from: None,
            link: q.link.clone(),
            links: Vec::new(),
        };
        let (rows, total) = store::list_tasks(self.store.conn(), &filter, offset, limit).await?;
        Ok(TaskPage {
            items: self.assemble_tasks(rows).await?,
            total,
            next_cursor: (offset + limit < total).then(|| format!("o{}", offset + limit)),
        })
    }

    pub async fn create_task(&self, actor: &Actor, input: &TaskInput) -> Result<Task, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let mut row = self.validate_task(input, None).await?;
        row.created_by = actor.user_id;
        let row = self
            .write_audited(
                actor,
                "task",
                "create",
                None,
                async |tx| Ok(store::insert_task(tx, row).await?),
                |r| (r.id, Some(audit_view(r))),
            )
            .await?;
        Ok(self.assemble_tasks(vec![row]).await?.remove(0))
    }

    pub async fn update_task(
        &self,
        actor: &Actor,
        id: Uuid,
        input: &TaskInput,
    ) -> Result<Task, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let current = crate::write::current(
            store::find_task(self.store.conn(), id).await?,
            input.version,
        )?;
        let row = self.validate_task(input, Some(&current)).await?;
        let action = match (current.done_at.is_some(), row.done_at.is_some()) {
            (false, true) => "done",
            (true, false) => "reopen",
            _ => "update",
        };
        self.write_task(actor, current, row, action).await
    }

    async fn write_task(
        &self,
        actor: &Actor,
        before: TaskRow,
        row: TaskRow,
        action: &str,
    ) -> Result<Task, Error> {
        let row = self
            .write_audited(
                actor,
                "task",
                action,
                Some(audit_view(&before)),
                async |tx| Ok(store::update_task(tx, row).await?),
                |r| (r.id, Some(audit_view(r))),
            )
            .await?;
        Ok(self.assemble_tasks(vec![row]).await?.remove(0))
    }

    pub async fn patch_task(
        &self,
        actor: &Actor,
        id: Uuid,
        patch: &serde_json::Value,
    ) -> Result<Task, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let current = self.get_task(actor, id).await?;
        let input: TaskInput = crate::patch::merge(&current.to_input(), patch)?;
        self.update_task(actor, id, &input).await
    }

    /// Done or open again, in one click.
    pub async fn set_task_done(
        &self,
        actor: &Actor,
        id: Uuid,
        version: i32,
        done: bool,
    ) -> Result<Task, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let current = self.get_task(actor, id).await?;
        let input = TaskInput {
            done,
            version,
            ..current.to_input()
        };
        self.update_task(actor, id, &input).await
    }

    pub async fn delete_task(&self, actor: &Actor, id: Uuid, version: i32) -> Result<(), Error> {
        actor.require(Permission::WriteStaffArea)?;
        let current =
            crate::write::current(store::find_task(self.store.conn(), id).await?, version)?;
        let mut row = current.clone();
        row.deleted_at = Some(Utc::now());
        self.write_task(actor, current, row, "delete").await?;
        Ok(())
    }
}

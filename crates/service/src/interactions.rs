//! Interactions (Kontakte): visits, calls, e-mails and meetings with
//! organisations, planned and then held or cancelled with a reason. The
//! daily work log of the office, and the figures of its yearly report.

use crate::organisations::decode_cursor;
use crate::{Actor, Error, FieldError, Services, audit, time};
use chrono::{DateTime, Utc};
use msohub_domain::Permission;
use msohub_domain::work::{
    CancelReason, InteractionKind, InteractionStatus, MAX_DURATION_MINUTES, Mode,
};
use msohub_store::work::{self as store, InteractionFilter, InteractionRow, Participants};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use uuid::Uuid;

/// A record something points to, with a name to show.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct Ref {
    pub id: Uuid,
    pub name: String,
}

/// A file attached to a record (without its bytes).
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct AttachmentInfo {
    pub id: Uuid,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub added_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Interaction {
    pub id: Uuid,
    /// visit, phone, email, video, meeting_at_office, other
    pub kind: String,
    /// in_person, digital, hybrid
    pub mode: String,
    /// planned, held, cancelled
    pub status: String,
    pub subject: String,
    pub starts_at: DateTime<Utc>,
    pub duration_minutes: Option<i32>,
    /// contact_restrictions, illness, organisation_declined, scheduling, other
    pub cancel_reason: Option<String>,
    pub cancel_note: Option<String>,
    pub topics: Vec<String>,
    /// Where the office's and the organisation's work touch (Schnittstellen).
    pub interfaces: String,
    /// Markdown.
    pub notes: String,
    pub organisations: Vec<Ref>,
    pub persons: Vec<Ref>,
    /// Staff of the office who took part (user accounts).
    pub staff: Vec<Ref>,
    pub attachments: Vec<AttachmentInfo>,
    pub deleted: bool,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The audit log's view of a record: every field, participants as ids.
fn audit_view(r: &InteractionRow, p: &Participants) -> serde_json::Value {
    serde_json::json!({
        "kind": r.kind, "mode": r.mode, "status": r.status,
        "subject": r.subject, "starts_at": r.starts_at,
        "duration_minutes": r.duration_minutes,
        "cancel_reason": r.cancel_reason, "cancel_note": r.cancel_note,
        "topics": serde_json::from_str::<serde_json::Value>(&r.topics).unwrap_or_default(),
        "interfaces": r.interfaces, "notes": r.notes,
        "organisations": p.organisations, "persons": p.persons, "staff": p.staff,
        "deleted": r.deleted_at.is_some(),
    })
}

impl Interaction {
    /// The form's values for this record.
    pub fn to_input(&self) -> InteractionInput {
        InteractionInput {
            kind: self.kind.clone(),
            mode: self.mode.clone(),
            status: self.status.clone(),
            subject: self.subject.clone(),
            starts_at: time::local_input(self.starts_at),
            duration_minutes: self
                .duration_minutes
                .map(|d| d.to_string())
                .unwrap_or_default(),
            cancel_reason: self.cancel_reason.clone().unwrap_or_default(),
            cancel_note: self.cancel_note.clone().unwrap_or_default(),
            topics: self.topics.clone(),
            interfaces: self.interfaces.clone(),
            notes: self.notes.clone(),
            organisations: self
                .organisations
                .iter()
                .map(|r| r.id.to_string())
                .collect(),
            persons: self.persons.iter().map(|r| r.id.to_string()).collect(),
            staff: self.staff.iter().map(|r| r.id.to_string()).collect(),
            version: self.version,
        }
    }
}

/// What a form or a JSON body gives. Ids as text so a form can send them;
/// `starts_at` as local time in Berlin ("2026-03-05T14:30") or RFC 3339.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
#[serde(default)]
pub struct InteractionInput {
    pub kind: String,
    pub mode: String,
    pub status: String,
    pub subject: String,
    pub starts_at: String,
    #[serde(deserialize_with = "crate::organisations::lenient::number")]
    pub duration_minutes: String,
    pub cancel_reason: String,
    pub cancel_note: String,
    #[serde(deserialize_with = "crate::organisations::lenient::list")]
    pub topics: Vec<String>,
    pub interfaces: String,
    pub notes: String,
    /// Organisation ids (at least one).
    #[serde(deserialize_with = "crate::organisations::lenient::list")]
    pub organisations: Vec<String>,
    /// Person ids.
    #[serde(deserialize_with = "crate::organisations::lenient::list")]
    pub persons: Vec<String>,
    /// User ids of the office's staff who took part.
    #[serde(deserialize_with = "crate::organisations::lenient::list")]
    pub staff: Vec<String>,
    /// The version the change is based on (0 for a new record).
    pub version: i32,
}

impl InteractionInput {
    /// What a new contact starts as: a planned visit in person, by the
    /// member of staff entering it, with `organisation` if given.
    pub fn planned(actor: &Actor, organisation: Option<String>) -> InteractionInput {
        InteractionInput {
            kind: "visit".into(),
            mode: "in_person".into(),
            status: "planned".into(),
            staff: actor
                .user_id
                .map(|u| vec![u.to_string()])
                .unwrap_or_default(),
            organisations: organisation.into_iter().collect(),
            ..InteractionInput::default()
        }
    }

    /// What "Kontakt erfassen" starts as: a visit in person that took
    /// place just now, by the member of staff entering it.
    pub fn held_now(actor: &Actor, organisation: Option<String>) -> InteractionInput {
        InteractionInput {
            status: "held".into(),
            // local_input is to the minute, as the form's field.
            starts_at: time::local_input(chrono::Utc::now()),
            ..InteractionInput::planned(actor, organisation)
        }
    }
}

/// What to list.
#[derive(Debug, Clone, Default)]
pub struct InteractionQuery {
    pub organisation: Option<Uuid>,
    pub person: Option<Uuid>,
    pub staff: Option<Uuid>,
    pub statuses: Vec<String>,
    pub kinds: Vec<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub deleted: bool,
    pub ascending: bool,
    pub cursor: Option<String>,
    pub limit: u64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct InteractionPage {
    pub items: Vec<Interaction>,
    pub total: u64,
    pub next_cursor: Option<String>,
}

/// The checked values of an input.
struct Valid {
    row: InteractionRow,
    participants: Participants,
}

fn ids(raw: &[String], field: &str, errors: &mut Vec<FieldError>) -> Vec<Uuid> {
    let mut out = Vec::new();
    for r in raw.iter().map(|r| r.trim()).filter(|r| !r.is_empty()) {
        match r.parse::<Uuid>() {
            Ok(id) if !out.contains(&id) => out.push(id),
            Ok(_) => {}
            Err(_) => {
                errors.push(FieldError::new(field, "id-invalid"));
                return out;
            }
        }
    }
    out
}

impl Services {
    async fn validate_interaction(
        &self,
        input: &InteractionInput,
        current: Option<&InteractionRow>,
    ) -> Result<Valid, Error> {
        let mut errors = Vec::new();
        let mut push = |f: &str, r: &str| errors.push(FieldError::new(f, r));
        let kind = InteractionKind::parse(&input.kind)
            .map_err(|e| push(e.field, e.rule))
            .ok();
        let mode = Mode::parse(&input.mode)
            .map_err(|e| push(e.field, e.rule))
            .ok();
        let status = InteractionStatus::parse(&input.status)
            .map_err(|e| push(e.field, e.rule))
            .ok();
        let subject = input.subject.trim().to_owned();
        if subject.is_empty() {
            push("subject", "required");
        } else if subject.chars().count() > 200 {
            push("subject", "too-long");
        }
        let starts_at = if input.starts_at.trim().is_empty() {
            push("starts_at", "required");
            None
        } else {
            let t = time::parse_instant(&input.starts_at);
            if t.is_none() {
                push("starts_at", "datetime-invalid");
            }
            t
        };
        if let (Some(InteractionStatus::Held), Some(t)) = (status, starts_at)
            && t > Utc::now()
        {
            push("starts_at", "held-in-future");
        }
        if let (Some(cur), Some(next)) = (current, status)
            && let Ok(was) = InteractionStatus::parse(&cur.status)
            && !was.may_become(next)
        {
            push("status", "status-transition");
        }
        let duration = match input.duration_minutes.trim() {
            "" => None,
            d => match d.parse::<i32>() {
                Ok(n) if (1..=MAX_DURATION_MINUTES).contains(&n) => Some(n),
                _ => {
                    push("duration_minutes", "duration-invalid");
                    None
                }
            },
        };
        let (cancel_reason, cancel_note) = if status == Some(InteractionStatus::Cancelled) {
            let note = input.cancel_note.trim().to_owned();
            let reason = if input.cancel_reason.trim().is_empty() {
                push("cancel_reason", "cancel-reason-required");
                None
            } else {
                CancelReason::parse(&input.cancel_reason)
                    .map_err(|e| push(e.field, e.rule))
                    .ok()
            };
            if reason == Some(CancelReason::Other) && note.is_empty() {
                push("cancel_note", "cancel-note-required");
            }
            if note.chars().count() > 500 {
                push("cancel_note", "too-long");
            }
            (
                reason.map(|r| r.code().to_owned()),
                (!note.is_empty()).then_some(note),
            )
        } else {
            (None, None)
        };
        if input.interfaces.chars().count() > 5_000 {
            push("interfaces", "too-long");
        }
        if input.notes.chars().count() > 20_000 {
            push("notes", "too-long");
        }
        let topic_codes: Vec<String> = self
            .terms("topic")
            .await?
            .into_iter()
            .map(|t| t.code)
            .collect();
        let mut topics = Vec::new();
        for t in &input.topics {
            let t = t.trim();
            if t.is_empty() || topics.iter().any(|x| x == t) {
                continue;
            }
            if topic_codes.iter().any(|c| c == t) {
                topics.push(t.to_owned());
            } else {
                push("topics", "term-unknown");
                break;
            }
        }
        let organisations = ids(&input.organisations, "organisations", &mut errors);
        let persons = ids(&input.persons, "persons", &mut errors);
        let staff = ids(&input.staff, "staff", &mut errors);
        let conn = self.store.conn();
        if organisations.is_empty() && !errors.iter().any(|e| e.field == "organisations") {
            errors.push(FieldError::new("organisations", "organisation-required"));
        }
        for o in &organisations {
            match msohub_store::organisations::find(conn, *o).await? {
                Some(r) if r.deleted_at.is_none() => {}
                _ => {
                    errors.push(FieldError::new("organisations", "organisation-unknown"));
                    break;
                }
            }
        }
        let found = msohub_store::people::find_persons(conn, &persons).await?;
        if found.len() != persons.len() {
            errors.push(FieldError::new("persons", "person-unknown"));
        }
        let was_staff: Vec<Uuid> = match current {
            Some(c) => {
                store::participants_of(conn, &[c.id])
                    .await?
                    .remove(&c.id)
                    .unwrap_or_default()
                    .staff
            }
            None => Vec::new(),
        };
        for s in &staff {
            match msohub_store::users::find_user(conn, *s).await? {
                None => {
                    errors.push(FieldError::new("staff", "user-unknown"));
                    break;
                }
                // A disabled account may stay on a record it was on; it
                // cannot be added to a new one.
                Some(u) if u.disabled_at.is_some() && !was_staff.contains(s) => {
                    errors.push(FieldError::new("staff", "user-disabled"));
                    break;
                }
                Some(_) => {}
            }
        }
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let (Some(kind), Some(mode), Some(status), Some(starts_at)) =
            (kind, mode, status, starts_at)
        else {
            return Err(Error::field("status", "required"));
        };
        let now = Utc::now();
        Ok(Valid {
            row: InteractionRow {
                id: current.map_or_else(Uuid::now_v7, |c| c.id),
                kind: kind.code().to_owned(),
                mode: mode.code().to_owned(),
                status: status.code().to_owned(),
                subject,
                starts_at,
                duration_minutes: duration,
                cancel_reason,
                cancel_note,
                topics: serde_json::to_string(&topics).unwrap_or_else(|_| "[]".into()),
                interfaces: input.interfaces.trim().to_owned(),
                notes: input.notes.trim_end().to_owned(),
                version: current.map_or(1, |c| c.version),
                deleted_at: current.and_then(|c| c.deleted_at),
                created_by: current.and_then(|c| c.created_by),
                created_at: current.map_or(now, |c| c.created_at),
                updated_at: now,
            },
            participants: Participants {
                organisations,
                persons,
                staff,
            },
        })
    }

    /// Names for the ids of many interactions' participants at once.
    pub(crate) async fn assemble_interactions(
        &self,
        rows: &[InteractionRow],
    ) -> Result<Vec<Interaction>, Error> {
        let conn = self.store.conn();
        let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
        let parts = store::participants_of(conn, &ids).await?;
        let mut org_ids = Vec::new();
        let mut person_ids = Vec::new();
        let mut user_ids = Vec::new();
        for p in parts.values() {
            org_ids.extend(&p.organisations);
            person_ids.extend(&p.persons);
            user_ids.extend(&p.staff);
        }
        let orgs: HashMap<Uuid, String> =
            msohub_store::organisations::names(conn, &org_ids).await?;
        let persons: HashMap<Uuid, String> = msohub_store::people::find_persons(conn, &person_ids)
            .await?
            .into_iter()
            .map(|p| (p.id, format!("{} {}", p.given_name, p.family_name)))
            .collect();
        let mut users: HashMap<Uuid, String> = HashMap::new();
        for u in user_ids {
            if let std::collections::hash_map::Entry::Vacant(e) = users.entry(u)
                && let Some(row) = msohub_store::users::find_user(conn, u).await?
            {
                e.insert(row.display_name);
            }
        }
        let named = |ids: &[Uuid], names: &HashMap<Uuid, String>| -> Vec<Ref> {
            let mut v: Vec<Ref> = ids
                .iter()
                .map(|id| Ref {
                    id: *id,
                    name: names.get(id).cloned().unwrap_or_default(),
                })
                .collect();
            v.sort_by(|a, b| a.name.cmp(&b.name));
            v
        };
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let p = parts.get(&r.id).cloned().unwrap_or_default();
            let attachments = if rows.len() == 1 {
                self.attachment_infos("interaction", r.id).await?
            } else {
                Vec::new()
            };
            out.push(Interaction {
                id: r.id,
                kind: r.kind.clone(),
                mode: r.mode.clone(),
                status: r.status.clone(),
                subject: r.subject.clone(),
                starts_at: r.starts_at,
                duration_minutes: r.duration_minutes,
                cancel_reason: r.cancel_reason.clone(),
                cancel_note: r.cancel_note.clone(),
                topics: serde_json::from_str(&r.topics).unwrap_or_default(),
                interfaces: r.interfaces.clone(),
                notes: r.notes.clone(),
                organisations: named(&p.organisations, &orgs),
                persons: named(&p.persons, &persons),
                staff: named(&p.staff, &users),
                attachments,
                deleted: r.deleted_at.is_some(),
                version: r.version,
                created_at: r.created_at,
                updated_at: r.updated_at,
            });
        }
        Ok(out)
    }

    pub async fn get_interaction(&self, actor: &Actor, id: Uuid) -> Result<Interaction, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let row = store::find_interaction(self.store.conn(), id)
            .await?
            .ok_or(Error::NotFound)?;
        Ok(self.assemble_interactions(&[row]).await?.remove(0))
    }

    pub async fn list_interactions(
        &self,
        actor: &Actor,
        q: &InteractionQuery,
    ) -> Result<InteractionPage, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let offset = decode_cursor(q.cursor.as_deref())?;
        let limit = q.limit.clamp(1, 500);
        let filter = InteractionFilter {
            organisation: q.organisation,
            person: q.person,
            staff: q.staff,
            statuses: q.statuses.clone(),
            kinds: q.kinds.clone(),
            organisation_kinds: Vec::new(),
            from: q.from,
            to: q.to,
            deleted: q.deleted,
            ascending: q.ascending,
        };
        let (rows, total) =
            store::list_interactions(self.store.conn(), &filter, offset, limit).await?;
        Ok(InteractionPage {
            items: self.assemble_interactions(&rows).await?,
            total,
            next_cursor: (offset + limit < total).then(|| format!("o{}", offset + limit)),
        })
    }

    pub async fn create_interaction(
        &self,
        actor: &Actor,
        input: &InteractionInput,
    ) -> Result<Interaction, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let Valid {
            mut row,
            participants,
        } = self.validate_interaction(input, None).await?;
        row.created_by = actor.user_id;
        let row = self
            .write_audited(
                actor,
                "interaction",
                "create",
                None,
                async |tx| {
                    let row = store::insert_interaction(tx, row).await?;
                    store::set_participants(tx, row.id, &participants).await?;
                    Ok(row)
                },
                |r| (r.id, Some(audit_view(r, &participants))),
            )
            .await?;
        self.get_interaction(actor, row.id).await
    }

    /// Replaces the fields; `input.version` must be current.
    pub async fn update_interaction(
        &self,
        actor: &Actor,
        id: Uuid,
        input: &InteractionInput,
    ) -> Result<Interaction, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let conn = self.store.conn();
        let current =
            crate::write::current(store::find_interaction(conn, id).await?, input.version)?;
        let before_parts = store::participants_of(conn, &[id])
            .await?
            .remove(&id)
            .unwrap_or_default();
        let Valid { row, participants } = self.validate_interaction(input, Some(&current)).await?;
        self.write_audited(
            actor,
            "interaction",
            "update",
            Some(audit_view(&current, &before_parts)),
            async |tx| {
                let row = store::update_interaction(tx, row).await?;
                store::set_participants(tx, row.id, &participants).await?;
                Ok(row)
            },
            |r| (id, Some(audit_view(r, &participants))),
        )
        .await?;
        self.get_interaction(actor, id).await
    }

    /// A planned contact took place: one click on the dashboard, the list
    /// or the organisation's page. Held before its planned time, it took
    /// place now.
    pub async fn mark_interaction_held(
        &self,
        actor: &Actor,
        id: Uuid,
        version: i32,
    ) -> Result<Interaction, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let current = self.get_interaction(actor, id).await?;
        if current.status != "planned" {
            return Err(Error::field("status", "status-transition"));
        }
        let mut input = current.to_input();
        input.version = version;
        input.status = "held".into();
        let now = chrono::Utc::now();
        if current.starts_at > now {
            input.starts_at = time::local_input(now);
        }
        self.update_interaction(actor, id, &input).await
    }

    /// Changes the fields a JSON body names (plus `version`).
    pub async fn patch_interaction(
        &self,
        actor: &Actor,
        id: Uuid,
        patch: &serde_json::Value,
    ) -> Result<Interaction, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let current = self.get_interaction(actor, id).await?;
        let input: InteractionInput = crate::patch::merge(&current.to_input(), patch)?;
        self.update_interaction(actor, id, &input).await
    }

    /// Soft delete (or restore, with `deleted: false`).
    pub async fn set_interaction_deleted(
        &self,
        actor: &Actor,
        id: Uuid,
        version: i32,
        deleted: bool,
    ) -> Result<Interaction, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let conn = self.store.conn();
        let current = crate::write::current(store::find_interaction(conn, id).await?, version)?;
        let parts = store::participants_of(conn, &[id])
            .await?
            .remove(&id)
            .unwrap_or_default();
        let mut row = current.clone();
        row.deleted_at = deleted.then(Utc::now);
        let tx = self.store.begin().await?;
        let row = store::update_interaction(&tx, row).await?;
        audit::record(
            &tx,
            actor,
            "interaction",
            id,
            if deleted { "delete" } else { "restore" },
            Some(audit_view(&current, &parts)),
            Some(audit_view(&row, &parts)),
        )
        .await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        self.get_interaction(actor, id).await
    }
}

impl Services {
    /// The organisation a typed name means: exactly one live organisation
    /// whose name matches (case and accents aside).
    pub async fn organisation_by_name(&self, actor: &Actor, name: &str) -> Result<Uuid, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let folded = msohub_domain::organisation::fold(name.trim());
        let found =
            msohub_store::organisations::find_by_folded_name(self.store.conn(), &folded).await?;
        match found.as_slice() {
            [one] => Ok(*one),
            [] => Err(Error::field("add_organisation", "organisation-not-found")),
            _ => Err(Error::field("add_organisation", "organisation-ambiguous")),
        }
    }

    /// Up to `limit` organisations by name, for choice lists.
    pub async fn organisation_names(&self, actor: &Actor, limit: u64) -> Result<Vec<Ref>, Error> {
        actor.require(Permission::ReadStaffArea)?;
        Ok(
            msohub_store::organisations::all_names(self.store.conn(), limit)
                .await?
                .into_iter()
                .map(|(id, name)| Ref { id, name })
                .collect(),
        )
    }

    /// The office's active staff (who can take part, be assigned tasks).
    pub async fn colleagues(&self, actor: &Actor) -> Result<Vec<Ref>, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let mut out: Vec<Ref> = msohub_store::users::list_users(self.store.conn())
            .await?
            .into_iter()
            .filter(|u| u.disabled_at.is_none())
            .filter(|u| {
                u.role
                    .parse::<msohub_domain::Role>()
                    .is_ok_and(|r| r.can(Permission::WriteStaffArea))
            })
            .map(|u| Ref {
                id: u.id,
                name: u.display_name,
            })
            .collect();
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }
}

//! Meetings of bodies: when and where, planned → invited → held or
//! cancelled with a reason, the agenda with outcomes, minutes (draft →
//! approved), attendance per person recorded on one screen, and which
//! organisations were represented, in person and online.

mod attendance;
mod validate;

use crate::bodies::Member;
use crate::interactions::Ref;
use crate::organisations::decode_cursor;
use crate::{Actor, Error, FieldError, Services, audit, time};
use chrono::{DateTime, Utc};
use msohub_domain::Permission;
use msohub_domain::bodies::{AttendanceMode, AttendanceStatus, MeetingStatus};
use msohub_domain::work::Mode;
use msohub_store::bodies::{self as store, AttendanceRow, MeetingFilter, MeetingRow};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct AgendaItem {
    pub title: String,
    #[serde(default)]
    pub outcome: String,
}

/// One person's attendance.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Attendee {
    /// `p:{person id}` or `u:{user id}` (staff of the office).
    pub attendee: String,
    pub name: String,
    pub on_behalf_of: Option<Ref>,
    /// present, excused, absent, guest
    pub status: String,
    /// in_person, online
    pub mode: String,
    /// A staff member of the office.
    pub staff: bool,
}

/// Which organisations were represented (someone attended on their behalf).
#[derive(Debug, Clone, Default, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Representation {
    pub organisations: Vec<Ref>,
    pub count: usize,
    /// Organisations with someone in the room.
    pub in_person: usize,
    /// Organisations that were there online only.
    pub online: usize,
    /// People who attended (members and guests).
    pub people: usize,
    /// Staff of the office who attended.
    pub staff: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Meeting {
    pub id: Uuid,
    pub body: Ref,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: Option<DateTime<Utc>>,
    /// in_person, digital, hybrid
    pub mode: String,
    pub place: String,
    pub video_link: String,
    /// planned, invited, held, cancelled
    pub status: String,
    pub cancel_reason: String,
    /// Markdown.
    pub minutes: String,
    /// draft, approved
    pub minutes_status: String,
    pub agenda: Vec<AgendaItem>,
    pub attendance: Vec<Attendee>,
    pub representation: Representation,
    /// Mirrored from a council information system: only attendance and
    /// minutes are the office's own.
    pub imported: bool,
    /// Grows with every invitation update.
    pub sequence: i32,
    pub deleted: bool,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Meeting {
    pub fn to_input(&self) -> MeetingInput {
        MeetingInput {
            body_id: self.body.id.to_string(),
            title: self.title.clone(),
            starts_at: time::local_input(self.starts_at),
            ends_at: self.ends_at.map(time::local_input).unwrap_or_default(),
            mode: self.mode.clone(),
            place: self.place.clone(),
            video_link: self.video_link.clone(),
            status: self.status.clone(),
            cancel_reason: self.cancel_reason.clone(),
            minutes: self.minutes.clone(),
            minutes_status: self.minutes_status.clone(),
            agenda: self.agenda.clone(),
            version: self.version,
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
#[serde(default)]
pub struct MeetingInput {
    pub body_id: String,
    pub title: String,
    /// Local time in Berlin ("2026-03-05T18:00") or RFC 3339.
    pub starts_at: String,
    pub ends_at: String,
    pub mode: String,
    pub place: String,
    pub video_link: String,
    pub status: String,
    pub cancel_reason: String,
    pub minutes: String,
    pub minutes_status: String,
    pub agenda: Vec<AgendaItem>,
    pub version: i32,
}

impl MeetingInput {
    /// What a new meeting of `body` starts as: planned, in person, minutes
    /// in draft.
    pub fn planned(body_id: String) -> MeetingInput {
        MeetingInput {
            body_id,
            mode: Mode::InPerson.code().to_owned(),
            status: MeetingStatus::Planned.code().to_owned(),
            minutes_status: "draft".into(),
            ..MeetingInput::default()
        }
    }
}

/// One line of the attendance screen.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
#[serde(default)]
pub struct AttendanceInput {
    /// `p:{person id}` or `u:{user id}`.
    pub attendee: String,
    /// present, excused, absent, guest
    pub status: String,
    /// in_person (default), online
    pub mode: String,
    /// For guests: the organisation they came for.
    pub on_behalf_of: String,
}

#[derive(Debug, Clone, Default)]
pub struct MeetingQuery {
    pub body: Option<Uuid>,
    pub statuses: Vec<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub ascending: bool,
    pub cursor: Option<String>,
    pub limit: u64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MeetingPage {
    pub items: Vec<Meeting>,
    pub total: u64,
    pub next_cursor: Option<String>,
}

/// A body's attendance over time and per organisation.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BodyAttendance {
    /// Per held meeting, oldest first: (meeting, date, organisations
    /// represented, people present, staff present).
    pub meetings: Vec<MeetingAttendance>,
    /// Per organisation: how many of the held meetings it attended.
    pub organisations: Vec<(Ref, usize)>,
    pub held: usize,
    /// Held meetings at which someone of the office was present.
    pub with_staff: usize,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MeetingAttendance {
    pub id: Uuid,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub organisations: usize,
    pub people: usize,
    pub staff: usize,
}

fn audit_view(r: &MeetingRow, agenda: &[AgendaItem]) -> serde_json::Value {
    serde_json::json!({
        "body_id": r.body_id, "title": r.title, "starts_at": r.starts_at, "ends_at": r.ends_at,
        "mode": r.mode, "place": r.place, "video_link": r.video_link, "status": r.status,
        "cancel_reason": r.cancel_reason, "minutes": r.minutes, "minutes_status": r.minutes_status,
        "agenda": agenda, "deleted": r.deleted_at.is_some(),
    })
}

/// The representation of organisations by who attended.
pub(crate) fn representation(
    rows: &[AttendanceRow],
    names: &HashMap<Uuid, String>,
) -> Representation {
    let mut orgs: BTreeMap<Uuid, bool> = BTreeMap::new();
    let mut rep = Representation::default();
    for r in rows {
        let Ok(status) = AttendanceStatus::parse(&r.status) else {
            continue;
        };
        if !status.attended() {
            continue;
        }
        if r.user_id.is_some() {
            rep.staff += 1;
            continue;
        }
        rep.people += 1;
        if let Some(o) = r.on_behalf_of {
            let in_person = r.mode == "in_person";
            let e = orgs.entry(o).or_insert(false);
            *e |= in_person;
        }
    }
    rep.count = orgs.len();
    rep.in_person = orgs.values().filter(|v| **v).count();
    rep.online = rep.count - rep.in_person;
    let mut list: Vec<Ref> = orgs
        .keys()
        .map(|id| Ref {
            id: *id,
            name: names.get(id).cloned().unwrap_or_default(),
        })
        .collect();
    list.sort_by(|a, b| a.name.cmp(&b.name));
    rep.organisations = list;
    rep
}

impl Services {
    pub(crate) async fn assemble_meetings(
        &self,
        rows: Vec<MeetingRow>,
    ) -> Result<Vec<Meeting>, Error> {
        let conn = self.store.conn();
        let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
        let attendance = store::attendance_of(conn, &ids).await?;
        let mut org_ids: Vec<Uuid> = attendance.iter().filter_map(|a| a.on_behalf_of).collect();
        org_ids.sort();
        org_ids.dedup();
        let orgs = msohub_store::organisations::names(conn, &org_ids).await?;
        let mut bodies: HashMap<Uuid, String> = HashMap::new();
        let mut names: HashMap<String, String> = HashMap::new();
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            if let std::collections::hash_map::Entry::Vacant(e) = bodies.entry(r.body_id) {
                let name = store::find_body(conn, r.body_id)
                    .await?
                    .map(|b| b.name)
                    .unwrap_or_default();
                e.insert(name);
            }
            let mine: Vec<AttendanceRow> = attendance
                .iter()
                .filter(|a| a.meeting_id == r.id)
                .cloned()
                .collect();
            let mut attendees = Vec::new();
            for a in &mine {
                if !names.contains_key(&a.attendee) {
                    let name = match (a.person_id, a.user_id) {
                        (Some(p), _) => msohub_store::people::find_person(conn, p)
                            .await?
                            .map(|x| format!("{} {}", x.given_name, x.family_name)),
                        (None, Some(u)) => msohub_store::users::find_user(conn, u)
                            .await?
                            .map(|x| x.display_name),
                        _ => None,
                    };
                    names.insert(a.attendee.clone(), name.unwrap_or_default());
                }
                attendees.push(Attendee {
                    attendee: a.attendee.clone(),
                    name: names.get(&a.attendee).cloned().unwrap_or_default(),
                    on_behalf_of: a.on_behalf_of.map(|o| Ref {
                        id: o,
                        name: orgs.get(&o).cloned().unwrap_or_default(),
                    }),
                    status: a.status.clone(),
                    mode: a.mode.clone(),
                    staff: a.user_id.is_some(),
                });
            }
            attendees.sort_by(|a, b| a.staff.cmp(&b.staff).then_with(|| a.name.cmp(&b.name)));
            let agenda = store::agenda_of(conn, r.id)
                .await?
                .into_iter()
                .map(|a| AgendaItem {
                    title: a.title,
                    outcome: a.outcome,
                })
                .collect();
            out.push(Meeting {
                id: r.id,
                body: Ref {
                    id: r.body_id,
                    name: bodies.get(&r.body_id).cloned().unwrap_or_default(),
                },
                title: r.title,
                starts_at: r.starts_at,
                ends_at: r.ends_at,
                mode: r.mode,
                place: r.place,
                video_link: r.video_link,
                status: r.status,
                cancel_reason: r.cancel_reason,
                minutes: r.minutes,
                minutes_status: r.minutes_status,
                agenda,
                representation: representation(&mine, &orgs),
                attendance: attendees,
                imported: r.oparl_id.is_some(),
                sequence: r.sequence,
                deleted: r.deleted_at.is_some(),
                version: r.version,
                created_at: r.created_at,
                updated_at: r.updated_at,
            });
        }
        Ok(out)
    }

    pub async fn get_meeting(&self, actor: &Actor, id: Uuid) -> Result<Meeting, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let r = store::find_meeting(self.store.conn(), id)
            .await?
            .ok_or(Error::NotFound)?;
        Ok(self.assemble_meetings(vec![r]).await?.remove(0))
    }

    pub async fn list_meetings(
        &self,
        actor: &Actor,
        q: &MeetingQuery,
    ) -> Result<MeetingPage, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let offset = decode_cursor(q.cursor.as_deref())?;
        let limit = q.limit.clamp(1, 500);
        let filter = MeetingFilter {
            body: q.body,
            statuses: q.statuses.clone(),
            from: q.from,
            to: q.to,
            deleted: false,
            ascending: q.ascending,
        };
        let (rows, total) = store::list_meetings(self.store.conn(), &filter, offset, limit).await?;
        Ok(MeetingPage {
            items: self.assemble_meetings(rows).await?,
            total,
            next_cursor: (offset + limit < total).then(|| format!("o{}", offset + limit)),
        })
    }

    fn agenda_rows(agenda: &[AgendaItem]) -> Vec<(String, String, Option<String>)> {
        agenda
            .iter()
            .filter(|a| !a.title.trim().is_empty())
            .map(|a| (a.title.trim().to_owned(), a.outcome.trim().to_owned(), None))
            .collect()
    }

    pub async fn create_meeting(
        &self,
        actor: &Actor,
        input: &MeetingInput,
    ) -> Result<Meeting, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let row = self.validate_meeting(input, None).await?;
        let tx = self.store.begin().await?;
        let row = store::insert_meeting(&tx, row).await?;
        store::set_agenda(&tx, row.id, &Self::agenda_rows(&input.agenda)).await?;
        audit::record(
            &tx,
            actor,
            "meeting",
            row.id,
            "create",
            None,
            Some(audit_view(&row, &input.agenda)),
        )
        .await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        self.get_meeting(actor, row.id).await
    }

    /// Replaces the fields; `version` must be current. When the time, the
    /// place or the status changes after invitations went out, the invitees
    /// get an update (or a cancellation) with a higher SEQUENCE.
    pub async fn update_meeting(
        &self,
        actor: &Actor,
        id: Uuid,
        input: &MeetingInput,
    ) -> Result<Meeting, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let before = self.get_meeting(actor, id).await?;
        let current = crate::write::current(
            store::find_meeting(self.store.conn(), id).await?,
            input.version,
        )?;
        let mut row = self.validate_meeting(input, Some(&current)).await?;
        let agenda = if current.oparl_id.is_some() {
            before.agenda.clone()
        } else {
            input.agenda.clone()
        };
        let invited = !store::messages_of_meeting(self.store.conn(), id)
            .await?
            .is_empty();
        let changed = row.starts_at != current.starts_at
            || row.ends_at != current.ends_at
            || row.place != current.place
            || row.video_link != current.video_link
            || (row.status == "cancelled" && current.status != "cancelled");
        if invited && changed {
            row.sequence = current.sequence + 1;
        }
        let tx = self.store.begin().await?;
        let row = store::update_meeting(&tx, row).await?;
        if current.oparl_id.is_none() {
            store::set_agenda(&tx, id, &Self::agenda_rows(&agenda)).await?;
        }
        audit::record(
            &tx,
            actor,
            "meeting",
            id,
            "update",
            Some(audit_view(&current, &before.agenda)),
            Some(audit_view(&row, &agenda)),
        )
        .await?;
        if invited && changed {
            self.enqueue_invitations(&tx, &row, &agenda, None).await?;
        }
        tx.commit().await.map_err(msohub_store::Error::from)?;
        self.get_meeting(actor, id).await
    }

    pub async fn patch_meeting(
        &self,
        actor: &Actor,
        id: Uuid,
        patch: &serde_json::Value,
    ) -> Result<Meeting, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let current = self.get_meeting(actor, id).await?;
        let input: MeetingInput = crate::patch::merge(&current.to_input(), patch)?;
        self.update_meeting(actor, id, &input).await
    }

    pub async fn delete_meeting(&self, actor: &Actor, id: Uuid, version: i32) -> Result<(), Error> {
        actor.require(Permission::WriteStaffArea)?;
        let before = self.get_meeting(actor, id).await?;
        let current =
            crate::write::current(store::find_meeting(self.store.conn(), id).await?, version)?;
        let mut row = current.clone();
        row.deleted_at = Some(Utc::now());
        let tx = self.store.begin().await?;
        let row = store::update_meeting(&tx, row).await?;
        audit::record(
            &tx,
            actor,
            "meeting",
            id,
            "delete",
            Some(audit_view(&current, &before.agenda)),
            Some(audit_view(&row, &before.agenda)),
        )
        .await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        Ok(())
    }
}

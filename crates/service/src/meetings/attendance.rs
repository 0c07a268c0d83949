//! Attendance: the body's members on the meeting's day, recording who came
//! (in person or online, excused, absent, guests) on one screen, and a body's
//! attendance over a period.

use super::*;
use crate::portal::meetings::MeetingAnswer;

/// One line of the attendance roster: a member on the meeting's day, or
/// someone else recorded (a guest, a former member).
#[derive(Debug, Clone)]
pub struct RosterLine {
    /// `p:{person id}` or `u:{user id}`.
    pub key: String,
    pub name: String,
    pub on_behalf_of: Option<Ref>,
    pub staff: bool,
    /// A member of the body on the meeting's day.
    pub member: bool,
    /// As recorded; empty when nothing is recorded yet.
    pub status: String,
    /// As recorded; in person when nothing is recorded yet.
    pub mode: String,
    /// The member's answer to the invitation in the portal, if any.
    pub answer: Option<MeetingAnswer>,
}

impl Services {
    /// The attendance roster: the body's members on the meeting's day with
    /// what is recorded for them (in person by default), then everyone else
    /// recorded, each with their answer in the portal.
    pub async fn attendance_roster(
        &self,
        actor: &Actor,
        meeting: &Meeting,
    ) -> Result<Vec<RosterLine>, Error> {
        let members = self.members_at(actor, meeting).await?;
        let answers = self.meeting_answers(actor, meeting.id).await?;
        let answer = |key: &str| {
            answers
                .iter()
                .find(|a| format!("p:{}", a.person.id) == key)
                .cloned()
        };
        let mut lines: Vec<RosterLine> = members
            .iter()
            .map(|m| {
                let key = m.attendee();
                let rec = meeting.attendance.iter().find(|a| a.attendee == key);
                RosterLine {
                    name: m.name().to_owned(),
                    on_behalf_of: m.on_behalf_of.clone(),
                    staff: m.user.is_some(),
                    member: true,
                    status: rec.map(|r| r.status.clone()).unwrap_or_default(),
                    mode: rec
                        .map(|r| r.mode.clone())
                        .unwrap_or_else(|| AttendanceMode::InPerson.code().to_owned()),
                    answer: answer(&key),
                    key,
                }
            })
            .collect();
        for a in &meeting.attendance {
            if !lines.iter().any(|l| l.key == a.attendee) {
                lines.push(RosterLine {
                    key: a.attendee.clone(),
                    name: a.name.clone(),
                    on_behalf_of: a.on_behalf_of.clone(),
                    staff: a.staff,
                    member: false,
                    status: a.status.clone(),
                    mode: a.mode.clone(),
                    answer: answer(&a.attendee),
                });
            }
        }
        Ok(lines)
    }

    /// The body's members on the meeting's day (for the attendance screen
    /// and invitations).
    pub async fn members_at(&self, actor: &Actor, meeting: &Meeting) -> Result<Vec<Member>, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let day = crate::time::day_of(meeting.starts_at);
        Ok(self
            .members_of(meeting.body.id)
            .await?
            .into_iter()
            .filter(|m| m.from.is_none_or(|f| f <= day) && m.to.is_none_or(|t| t >= day))
            .collect())
    }

    /// Records who attended (replacing the list); `version` is the
    /// meeting's. Members speak for the organisation of their membership;
    /// guests for the one given.
    pub async fn set_attendance(
        &self,
        actor: &Actor,
        id: Uuid,
        version: i32,
        entries: &[AttendanceInput],
    ) -> Result<Meeting, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let meeting = self.get_meeting(actor, id).await?;
        if meeting.version != version {
            return Err(Error::stale());
        }
        let members = self.members_at(actor, &meeting).await?;
        let conn = self.store.conn();
        let mut errors = Vec::new();
        let mut rows: Vec<AttendanceRow> = Vec::new();
        for e in entries {
            if e.status.trim().is_empty() {
                continue;
            }
            let Ok(status) = AttendanceStatus::parse(&e.status) else {
                errors.push(FieldError::new("status", "choice-unknown"));
                continue;
            };
            let mode = if e.mode.trim().is_empty() {
                AttendanceMode::InPerson
            } else {
                match AttendanceMode::parse(&e.mode) {
                    Ok(m) => m,
                    Err(_) => {
                        errors.push(FieldError::new("mode", "choice-unknown"));
                        continue;
                    }
                }
            };
            let (kind, raw) = e.attendee.split_once(':').unwrap_or(("", ""));
            let Ok(who) = raw.parse::<Uuid>() else {
                errors.push(FieldError::new("attendee", "attendee-unknown"));
                continue;
            };
            let member = members.iter().find(|m| m.attendee() == e.attendee);
            let (person_id, user_id) = match kind {
                "p" if msohub_store::people::find_person(conn, who)
                    .await?
                    .is_some() =>
                {
                    (Some(who), None)
                }
                "u" if msohub_store::users::find_user(conn, who).await?.is_some() => {
                    (None, Some(who))
                }
                _ => {
                    errors.push(FieldError::new("attendee", "attendee-unknown"));
                    continue;
                }
            };
            let on_behalf_of = match member.and_then(|m| m.on_behalf_of.as_ref()) {
                Some(o) => Some(o.id),
                None => match e.on_behalf_of.trim() {
                    "" => None,
                    raw => match raw.parse::<Uuid>() {
                        Ok(o) if self.organisation_ref(o).await?.is_some() => Some(o),
                        _ => {
                            errors.push(FieldError::new("on_behalf_of", "organisation-unknown"));
                            continue;
                        }
                    },
                },
            };
            if rows.iter().any(|r| r.attendee == e.attendee) {
                errors.push(FieldError::new("attendee", "attendee-twice"));
                continue;
            }
            rows.push(AttendanceRow {
                meeting_id: id,
                attendee: e.attendee.clone(),
                person_id,
                user_id,
                on_behalf_of,
                // Non-members who came are guests.
                status: if member.is_none() && status == AttendanceStatus::Present {
                    AttendanceStatus::Guest.code().to_owned()
                } else {
                    status.code().to_owned()
                },
                mode: mode.code().to_owned(),
                updated_at: Utc::now(),
            });
        }
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let before: Vec<String> = meeting
            .attendance
            .iter()
            .map(|a| format!("{}={}/{}", a.attendee, a.status, a.mode))
            .collect();
        let after: Vec<String> = rows
            .iter()
            .map(|a| format!("{}={}/{}", a.attendee, a.status, a.mode))
            .collect();
        let tx = self.store.begin().await?;
        // The meeting as stored must still be at the version the list was
        // based on: the checks above took their time, and writing the row
        // read now would overwrite a list saved in between (a lost update).
        let current = crate::write::current(store::find_meeting(&tx, id).await?, version)?;
        store::update_meeting(&tx, current).await?;
        store::set_attendance(&tx, id, rows).await?;
        audit::record(
            &tx,
            actor,
            "meeting",
            id,
            "attendance",
            Some(serde_json::json!({ "attendance": before })),
            Some(serde_json::json!({ "attendance": after })),
        )
        .await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        self.get_meeting(actor, id).await
    }

    /// Attendance at a body's held meetings, over time and per organisation.
    pub async fn body_attendance(
        &self,
        actor: &Actor,
        body_id: Uuid,
    ) -> Result<BodyAttendance, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let filter = MeetingFilter {
            body: Some(body_id),
            statuses: vec!["held".into()],
            ascending: true,
            ..Default::default()
        };
        let (rows, _) = store::list_meetings(self.store.conn(), &filter, 0, 1_000).await?;
        let meetings = self.assemble_meetings(rows).await?;
        let mut per_org: BTreeMap<Uuid, (String, usize)> = BTreeMap::new();
        let mut out = Vec::new();
        let mut with_staff = 0;
        for m in &meetings {
            for o in &m.representation.organisations {
                per_org.entry(o.id).or_insert((o.name.clone(), 0)).1 += 1;
            }
            if m.representation.staff > 0 {
                with_staff += 1;
            }
            out.push(MeetingAttendance {
                id: m.id,
                title: m.title.clone(),
                starts_at: m.starts_at,
                organisations: m.representation.count,
                people: m.representation.people,
                staff: m.representation.staff,
            });
        }
        let mut organisations: Vec<(Ref, usize)> = per_org
            .into_iter()
            .map(|(id, (name, n))| (Ref { id, name }, n))
            .collect();
        organisations.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.name.cmp(&b.0.name)));
        Ok(BodyAttendance {
            held: meetings.len(),
            with_staff,
            meetings: out,
            organisations,
        })
    }
}

//! Bodies (Gremien): working groups, the integration council, advisory
//! groups, external bodies; their members — people on behalf of
//! organisations, and staff of the office — with roles and dates.

use crate::interactions::Ref;
use crate::{Actor, Error, FieldError, Services, audit, time};
use chrono::{DateTime, NaiveDate, Utc};
use msohub_domain::Permission;
use msohub_domain::bodies::{BodyKind, MemberRole};
use msohub_store::bodies::{self as store, BodyRow, MembershipRow};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// An organisation's place in one body: its members there (past and
/// present) and at how many of the body's held meetings it was represented.
#[derive(Debug, Clone, Serialize)]
pub struct OrganisationInBody {
    pub body: Ref,
    /// working_group, integration_council, …
    pub kind: String,
    pub members: Vec<Member>,
    pub attended: usize,
    pub held: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Member {
    pub id: Uuid,
    /// A person (on behalf of an organisation) …
    pub person: Option<Ref>,
    /// … or a staff member of the office (user account).
    pub user: Option<Ref>,
    pub on_behalf_of: Option<Ref>,
    /// chair, member, deputy, guest, office_representative
    pub role: String,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// A member today.
    pub active: bool,
}

impl Member {
    pub fn name(&self) -> &str {
        self.person
            .as_ref()
            .or(self.user.as_ref())
            .map_or("", |r| r.name.as_str())
    }

    /// `p:{id}` or `u:{id}`: the key attendance is recorded under.
    pub fn attendee(&self) -> String {
        match (&self.person, &self.user) {
            (Some(p), _) => format!("p:{}", p.id),
            (None, Some(u)) => format!("u:{}", u.id),
            _ => String::new(),
        }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Body {
    pub id: Uuid,
    /// working_group, integration_council, advisory_group, external_body, other
    pub kind: String,
    pub name: String,
    pub purpose: String,
    pub founded_on: Option<NaiveDate>,
    pub dissolved_on: Option<NaiveDate>,
    pub organiser: Option<Ref>,
    /// Its meetings are in a public calendar feed.
    pub is_public: bool,
    /// Mirrored from a council information system (OParl).
    pub imported: bool,
    pub members: Vec<Member>,
    pub deleted: bool,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Body {
    /// How many are members today.
    pub fn active_members(&self) -> usize {
        self.members.iter().filter(|m| m.active).count()
    }

    pub fn to_input(&self) -> BodyInput {
        BodyInput {
            kind: self.kind.clone(),
            name: self.name.clone(),
            purpose: self.purpose.clone(),
            founded_on: self.founded_on.map(|d| d.to_string()).unwrap_or_default(),
            dissolved_on: self.dissolved_on.map(|d| d.to_string()).unwrap_or_default(),
            organiser_id: self
                .organiser
                .as_ref()
                .map(|o| o.id.to_string())
                .unwrap_or_default(),
            is_public: self.is_public,
            version: self.version,
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
#[serde(default)]
pub struct BodyInput {
    pub kind: String,
    pub name: String,
    pub purpose: String,
    /// YYYY-MM-DD
    pub founded_on: String,
    /// YYYY-MM-DD
    pub dissolved_on: String,
    /// The organisation that runs it (e.g. the office itself).
    pub organiser_id: String,
    pub is_public: bool,
    pub version: i32,
}

/// A new membership: a person (with the organisation they speak for) or a
/// staff member.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
#[serde(default)]
pub struct MemberInput {
    pub person_id: String,
    pub user_id: String,
    pub on_behalf_of: String,
    pub role: String,
    /// YYYY-MM-DD
    pub from: String,
    /// YYYY-MM-DD
    pub to: String,
}

fn date(raw: &str, field: &str, errors: &mut Vec<FieldError>) -> Option<NaiveDate> {
    if raw.trim().is_empty() {
        return None;
    }
    let d = time::parse_date(raw);
    if d.is_none() {
        errors.push(FieldError::new(field, "date-invalid"));
    }
    d
}

/// Both memberships are of the same person, or of the same staff member.
fn same_member(a: &MembershipRow, b: &MembershipRow) -> bool {
    (a.person_id.is_some() && a.person_id == b.person_id)
        || (a.user_id.is_some() && a.user_id == b.user_id)
}

/// The two memberships share a day; an open start or end reaches forever.
fn overlaps(a: &MembershipRow, b: &MembershipRow) -> bool {
    let from = |m: &MembershipRow| m.from_date.unwrap_or(NaiveDate::MIN);
    let to = |m: &MembershipRow| m.to_date.unwrap_or(NaiveDate::MAX);
    from(a) <= to(b) && from(b) <= to(a)
}

fn audit_view(r: &BodyRow) -> serde_json::Value {
    serde_json::json!({
        "kind": r.kind, "name": r.name, "purpose": r.purpose,
        "founded_on": r.founded_on, "dissolved_on": r.dissolved_on,
        "organiser_id": r.organiser_id, "is_public": r.is_public,
        "deleted": r.deleted_at.is_some(),
    })
}

impl Services {
    pub(crate) async fn organisation_ref(&self, id: Uuid) -> Result<Option<Ref>, Error> {
        Ok(msohub_store::organisations::find(self.store.conn(), id)
            .await?
            .map(|o| Ref { id, name: o.name }))
    }

    async fn validate_body(
        &self,
        input: &BodyInput,
        current: Option<&BodyRow>,
    ) -> Result<BodyRow, Error> {
        let mut errors = Vec::new();
        let kind = BodyKind::parse(&input.kind)
            .map_err(|e| errors.push(FieldError::new(e.field, e.rule)))
            .ok();
        let name = input.name.trim().to_owned();
        if name.is_empty() {
            errors.push(FieldError::new("name", "required"));
        } else if name.chars().count() > 200 {
            errors.push(FieldError::new("name", "too-long"));
        }
        if input.purpose.chars().count() > 5_000 {
            errors.push(FieldError::new("purpose", "too-long"));
        }
        let founded = date(&input.founded_on, "founded_on", &mut errors);
        let dissolved = date(&input.dissolved_on, "dissolved_on", &mut errors);
        if let (Some(f), Some(d)) = (founded, dissolved)
            && d < f
        {
            errors.push(FieldError::new("dissolved_on", "date-before-start"));
        }
        let organiser = match input.organiser_id.trim() {
            "" => None,
            raw => match raw.parse::<Uuid>() {
                Ok(id) if self.organisation_ref(id).await?.is_some() => Some(id),
                _ => {
                    errors.push(FieldError::new("organiser_id", "organisation-unknown"));
                    None
                }
            },
        };
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let kind = kind.ok_or_else(|| Error::field("kind", "required"))?;
        let now = Utc::now();
        Ok(BodyRow {
            id: current.map_or_else(Uuid::now_v7, |c| c.id),
            kind: kind.code().to_owned(),
            name,
            purpose: input.purpose.trim().to_owned(),
            founded_on: founded,
            dissolved_on: dissolved,
            organiser_id: organiser,
            is_public: input.is_public,
            feed_secret_hash: current.and_then(|c| c.feed_secret_hash.clone()),
            oparl_id: current.and_then(|c| c.oparl_id.clone()),
            version: current.map_or(1, |c| c.version),
            deleted_at: current.and_then(|c| c.deleted_at),
            created_at: current.map_or(now, |c| c.created_at),
            updated_at: now,
        })
    }

    pub(crate) async fn members_of(&self, body_id: Uuid) -> Result<Vec<Member>, Error> {
        let conn = self.store.conn();
        let today = time::today();
        let mut out = Vec::new();
        for m in store::memberships_of_body(conn, body_id).await? {
            let person = match m.person_id {
                Some(p) => msohub_store::people::find_person(conn, p)
                    .await?
                    .map(|r| Ref {
                        id: p,
                        name: format!("{} {}", r.given_name, r.family_name),
                    }),
                None => None,
            };
            let user = match m.user_id {
                Some(u) => msohub_store::users::find_user(conn, u).await?.map(|r| Ref {
                    id: u,
                    name: r.display_name,
                }),
                None => None,
            };
            let on_behalf_of = match m.on_behalf_of {
                Some(o) => self.organisation_ref(o).await?,
                None => None,
            };
            out.push(Member {
                id: m.id,
                person,
                user,
                on_behalf_of,
                role: m.role.clone(),
                from: m.from_date,
                to: m.to_date,
                active: m.from_date.is_none_or(|f| f <= today)
                    && m.to_date.is_none_or(|t| t >= today),
            });
        }
        out.sort_by(|a, b| b.active.cmp(&a.active).then_with(|| a.name().cmp(b.name())));
        Ok(out)
    }

    async fn assemble_body(&self, r: BodyRow) -> Result<Body, Error> {
        let organiser = match r.organiser_id {
            Some(o) => self.organisation_ref(o).await?,
            None => None,
        };
        Ok(Body {
            members: self.members_of(r.id).await?,
            id: r.id,
            kind: r.kind,
            name: r.name,
            purpose: r.purpose,
            founded_on: r.founded_on,
            dissolved_on: r.dissolved_on,
            organiser,
            is_public: r.is_public,
            imported: r.oparl_id.is_some(),
            deleted: r.deleted_at.is_some(),
            version: r.version,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }

    pub async fn get_body(&self, actor: &Actor, id: Uuid) -> Result<Body, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let r = store::find_body(self.store.conn(), id)
            .await?
            .ok_or(Error::NotFound)?;
        self.assemble_body(r).await
    }

    pub async fn list_bodies(&self, actor: &Actor, deleted: bool) -> Result<Vec<Body>, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let mut out = Vec::new();
        for r in store::list_bodies(self.store.conn(), deleted).await? {
            out.push(self.assemble_body(r).await?);
        }
        Ok(out)
    }

    pub async fn create_body(&self, actor: &Actor, input: &BodyInput) -> Result<Body, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let row = self.validate_body(input, None).await?;
        let row = self
            .write_audited(
                actor,
                "body",
                "create",
                None,
                async |tx| Ok(store::insert_body(tx, row).await?),
                |r| (r.id, Some(audit_view(r))),
            )
            .await?;
        self.assemble_body(row).await
    }

    pub async fn update_body(
        &self,
        actor: &Actor,
        id: Uuid,
        input: &BodyInput,
    ) -> Result<Body, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let current = crate::write::current(
            store::find_body(self.store.conn(), id).await?,
            input.version,
        )?;
        let row = self.validate_body(input, Some(&current)).await?;
        self.write_body(actor, &current, row, "update").await
    }

    async fn write_body(
        &self,
        actor: &Actor,
        before: &BodyRow,
        row: BodyRow,
        action: &str,
    ) -> Result<Body, Error> {
        let row = self
            .write_audited(
                actor,
                "body",
                action,
                Some(audit_view(before)),
                async |tx| Ok(store::update_body(tx, row).await?),
                |r| (r.id, Some(audit_view(r))),
            )
            .await?;
        self.assemble_body(row).await
    }

    pub async fn patch_body(
        &self,
        actor: &Actor,
        id: Uuid,
        patch: &serde_json::Value,
    ) -> Result<Body, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let current = self.get_body(actor, id).await?;
        let input: BodyInput = crate::patch::merge(&current.to_input(), patch)?;
        self.update_body(actor, id, &input).await
    }

    pub async fn set_body_deleted(
        &self,
        actor: &Actor,
        id: Uuid,
        version: i32,
        deleted: bool,
    ) -> Result<Body, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let current =
            crate::write::current(store::find_body(self.store.conn(), id).await?, version)?;
        let mut row = current.clone();
        row.deleted_at = deleted.then(Utc::now);
        self.write_body(
            actor,
            &current,
            row,
            if deleted { "delete" } else { "restore" },
        )
        .await
    }

    /// Adds a member: a person (optionally for an organisation) or a staff
    /// member, with role and dates.
    pub async fn add_member(
        &self,
        actor: &Actor,
        body_id: Uuid,
        input: &MemberInput,
    ) -> Result<Uuid, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let conn = self.store.conn();
        store::find_body(conn, body_id)
            .await?
            .ok_or(Error::NotFound)?;
        let mut errors = Vec::new();
        let parse = |raw: &str| -> Option<Result<Uuid, ()>> {
            let raw = raw.trim();
            (!raw.is_empty()).then(|| raw.parse::<Uuid>().map_err(|_| ()))
        };
        let person = match parse(&input.person_id) {
            Some(Ok(p))
                if msohub_store::people::find_person(conn, p)
                    .await?
                    .is_some_and(|r| r.deleted_at.is_none()) =>
            {
                Some(p)
            }
            Some(_) => {
                errors.push(FieldError::new("person_id", "person-unknown"));
                None
            }
            None => None,
        };
        let user = match parse(&input.user_id) {
            Some(Ok(u)) => match msohub_store::users::find_user(conn, u).await? {
                Some(r) if r.disabled_at.is_none() => Some(u),
                Some(_) => {
                    errors.push(FieldError::new("user_id", "user-disabled"));
                    None
                }
                None => {
                    errors.push(FieldError::new("user_id", "user-unknown"));
                    None
                }
            },
            Some(Err(())) => {
                errors.push(FieldError::new("user_id", "user-unknown"));
                None
            }
            None => None,
        };
        if person.is_none() && user.is_none() && errors.is_empty() {
            errors.push(FieldError::new("person_id", "member-required"));
        }
        if person.is_some() && user.is_some() {
            errors.push(FieldError::new("user_id", "member-one-of"));
        }
        let on_behalf_of = match parse(&input.on_behalf_of) {
            Some(Ok(o)) if self.organisation_ref(o).await?.is_some() => Some(o),
            Some(_) => {
                errors.push(FieldError::new("on_behalf_of", "organisation-unknown"));
                None
            }
            None => None,
        };
        let role = MemberRole::parse(&input.role)
            .map_err(|e| errors.push(FieldError::new(e.field, e.rule)))
            .ok();
        let from = date(&input.from, "from", &mut errors);
        let to = date(&input.to, "to", &mut errors);
        if let (Some(f), Some(t)) = (from, to)
            && t < f
        {
            errors.push(FieldError::new("to", "date-before-start"));
        }
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let role = role.ok_or_else(|| Error::field("role", "required"))?;
        let row = MembershipRow {
            id: Uuid::now_v7(),
            body_id,
            person_id: person,
            user_id: user,
            on_behalf_of,
            role: role.code().to_owned(),
            from_date: from,
            to_date: to,
            created_at: Utc::now(),
        };
        let tx = self.store.begin().await?;
        // The same person or staff member twice at the same time (open
        // ends reach forever): refused. Checked with the body held, so two
        // adds at once cannot both pass.
        store::lock_body(&tx, body_id).await?;
        let twice = store::memberships_of_body(&tx, body_id)
            .await?
            .iter()
            .any(|m| same_member(m, &row) && overlaps(m, &row));
        if twice {
            let field = if person.is_some() {
                "person_id"
            } else {
                "user_id"
            };
            return Err(Error::field(field, "member-duplicate"));
        }
        store::insert_membership(&tx, row.clone()).await?;
        audit::record(
            &tx,
            actor,
            "body",
            body_id,
            "member_add",
            None,
            Some(serde_json::json!({"membership": row.id, "person_id": person, "user_id": user, "on_behalf_of": on_behalf_of, "role": row.role, "from": from, "to": to})),
        )
        .await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        Ok(row.id)
    }

    /// Ends a membership on a day (default today); the record stays.
    pub async fn end_member(
        &self,
        actor: &Actor,
        membership_id: Uuid,
        on: Option<NaiveDate>,
    ) -> Result<Uuid, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let mut m = store::find_membership(self.store.conn(), membership_id)
            .await?
            .ok_or(Error::NotFound)?;
        let day = on.unwrap_or_else(time::today);
        if m.from_date.is_some_and(|f| day < f) {
            return Err(Error::field("to", "date-before-start"));
        }
        let before = m.to_date;
        m.to_date = Some(day);
        let tx = self.store.begin().await?;
        store::update_membership(&tx, m.clone()).await?;
        audit::record(
            &tx,
            actor,
            "body",
            m.body_id,
            "member_end",
            Some(serde_json::json!({"membership": m.id, "to": before})),
            Some(serde_json::json!({"membership": m.id, "to": day})),
        )
        .await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        Ok(m.body_id)
    }

    /// Deletes a membership entered by mistake (one that ended is ended
    /// with [`Services::end_member`] and stays on record). The audit entry
    /// keeps what it said.
    pub async fn delete_member(
        &self,
        actor: &Actor,
        body_id: Uuid,
        membership_id: Uuid,
    ) -> Result<(), Error> {
        actor.require(Permission::WriteStaffArea)?;
        let tx = self.store.begin().await?;
        let m = store::find_membership(&tx, membership_id)
            .await?
            .filter(|m| m.body_id == body_id)
            .ok_or(Error::NotFound)?;
        store::delete_membership(&tx, m.id).await?;
        audit::record(
            &tx,
            actor,
            "body",
            body_id,
            "member_delete",
            Some(serde_json::json!({"membership": m.id, "person_id": m.person_id, "user_id": m.user_id, "on_behalf_of": m.on_behalf_of, "role": m.role, "from": m.from_date, "to": m.to_date})),
            None,
        )
        .await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        Ok(())
    }

    /// Staff memberships in bodies (for the report: "beyond the targets").
    pub async fn staff_memberships(
        &self,
        actor: &Actor,
        user_id: Uuid,
    ) -> Result<Vec<(Ref, Member)>, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let mut out = Vec::new();
        for m in store::memberships_of_user(self.store.conn(), user_id).await? {
            let body = self.get_body(actor, m.body_id).await?;
            if let Some(member) = body.members.iter().find(|x| x.id == m.id) {
                out.push((
                    Ref {
                        id: body.id,
                        name: body.name.clone(),
                    },
                    member.clone(),
                ));
            }
        }
        Ok(out)
    }

    /// The bodies an organisation belongs to or attended, for its page.
    pub async fn organisation_bodies(
        &self,
        actor: &Actor,
        organisation: Uuid,
    ) -> Result<Vec<OrganisationInBody>, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let mut out = Vec::new();
        for body in self.list_bodies(actor, false).await? {
            let members: Vec<Member> = body
                .members
                .iter()
                .filter(|m| {
                    m.on_behalf_of
                        .as_ref()
                        .is_some_and(|o| o.id == organisation)
                })
                .cloned()
                .collect();
            let attendance = self.body_attendance(actor, body.id).await?;
            let attended = attendance
                .organisations
                .iter()
                .find(|(o, _)| o.id == organisation)
                .map_or(0, |(_, n)| *n);
            if members.is_empty() && attended == 0 {
                continue;
            }
            out.push(OrganisationInBody {
                body: Ref {
                    id: body.id,
                    name: body.name,
                },
                kind: body.kind,
                members,
                attended,
                held: attendance.held,
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn membership(person: u128, from: Option<&str>, to: Option<&str>) -> MembershipRow {
        let day = |d: &str| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
        MembershipRow {
            id: Uuid::now_v7(),
            body_id: Uuid::nil(),
            person_id: Some(Uuid::from_u128(person)),
            user_id: None,
            on_behalf_of: None,
            role: "member".into(),
            from_date: from.map(day),
            to_date: to.map(day),
            created_at: Utc::now(),
        }
    }

    #[test]
    fn memberships_overlap_when_they_share_a_day_and_open_ends_reach_forever() {
        let a = membership(1, Some("2020-01-01"), Some("2020-12-31"));
        let cases = [
            (Some("2020-12-31"), None, true),
            (Some("2021-01-01"), None, false),
            (None, Some("2020-01-01"), true),
            (None, Some("2019-12-31"), false),
            (None, None, true),
            (Some("2020-03-01"), Some("2020-04-01"), true),
        ];
        for (from, to, want) in cases {
            let b = membership(1, from, to);
            assert_eq!(overlaps(&a, &b), want, "{from:?}–{to:?}");
            assert_eq!(overlaps(&b, &a), want, "{from:?}–{to:?} (reversed)");
        }
        let open = membership(1, None, None);
        assert!(overlaps(&open, &open.clone()));
    }

    #[test]
    fn the_same_member_is_the_same_person_or_the_same_staff_member() {
        let a = membership(1, None, None);
        assert!(same_member(&a, &membership(1, None, None)));
        assert!(!same_member(&a, &membership(2, None, None)));
        let mut staff = membership(1, None, None);
        staff.person_id = None;
        staff.user_id = Some(Uuid::from_u128(1));
        assert!(!same_member(&a, &staff), "a person is not a staff account");
        assert!(same_member(&staff, &staff.clone()));
        let mut other = staff.clone();
        other.user_id = Some(Uuid::from_u128(2));
        assert!(!same_member(&staff, &other));
    }
}

//! The portal: the organisations' own door into msohub. A representative
//! is an account tied to a person; the organisations they stand for are
//! those of the person's current affiliations, worked out on every request,
//! so ending the affiliation (or disabling the account) ends the access at
//! once.
//!
//! Invariants:
//! - a representative reads and proposes only for their own organisations;
//!   anything of another organisation is `NotFound` (not `Forbidden`: the
//!   answer does not say that it exists);
//! - a representative never reads internal notes, other persons' data, the
//!   contact log or the staff area;
//! - their changes to records become proposals (see [`proposals`]); the
//!   live record and the public directory change only when staff accept
//!   them, or at once for a trusted organisation (still recorded as a
//!   proposal "published, to be seen").

pub mod home;
pub mod ideas;
pub mod invitations;
pub mod links;
pub mod mails;
pub mod me;
pub mod meetings;
pub mod proposals;

use crate::interactions::Ref;
use crate::{Actor, Error, Services};
use chrono::NaiveDate;
use msohub_domain::{Permission, Role};
use msohub_store::organisations::OrganisationRow;
use uuid::Uuid;

/// The portal's languages, in the order the switch shows them.
pub const LANGUAGES: [&str; 6] = ["de", "en", "tr", "ar", "ru", "uk"];

/// The first of a person's languages the portal speaks, else German.
pub fn portal_language(person_languages: &[String]) -> &'static str {
    person_languages
        .iter()
        .find_map(|l| LANGUAGES.iter().find(|p| **p == l.as_str()))
        .copied()
        .unwrap_or("de")
}

/// Who is using the portal.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct PortalUser {
    pub user_id: Uuid,
    pub person: Ref,
    pub email: String,
    /// The organisations they stand for now.
    pub organisations: Vec<Ref>,
    pub language: String,
}

/// Whether an affiliation is current on `day`.
pub(crate) fn current(from: Option<NaiveDate>, to: Option<NaiveDate>, day: NaiveDate) -> bool {
    from.is_none_or(|f| f <= day) && to.is_none_or(|t| t >= day)
}

impl Services {
    /// The representative behind `actor`; `Forbidden` for any other
    /// account, or one whose person stands for no organisation any more.
    pub async fn portal_user(&self, actor: &Actor) -> Result<PortalUser, Error> {
        actor.require(Permission::ActForOwnOrganisation)?;
        let person_id = actor.person_id.ok_or(Error::Forbidden)?;
        let conn = self.store.conn();
        let person = msohub_store::people::find_person(conn, person_id)
            .await?
            .filter(|p| p.deleted_at.is_none())
            .ok_or(Error::Forbidden)?;
        let today = crate::time::today();
        let ids: Vec<Uuid> = msohub_store::people::affiliations_of_person(conn, person_id)
            .await?
            .into_iter()
            .filter(|a| current(a.from_date, a.to_date, today))
            .map(|a| a.organisation_id)
            .collect();
        let mut organisations: Vec<Ref> = msohub_store::organisations::find_many(conn, &ids)
            .await?
            .into_iter()
            .filter(|o| o.deleted_at.is_none())
            .map(|o| Ref {
                id: o.id,
                name: o.name,
            })
            .collect();
        organisations.sort_by(|a, b| a.name.cmp(&b.name));
        organisations.dedup_by(|a, b| a.id == b.id);
        if organisations.is_empty() {
            return Err(Error::Forbidden);
        }
        Ok(PortalUser {
            user_id: actor.user()?,
            person: Ref {
                id: person.id,
                name: format!("{} {}", person.given_name, person.family_name),
            },
            email: actor.email.clone(),
            organisations,
            language: actor.language.clone(),
        })
    }

    /// One of the representative's organisations; `NotFound` for any other
    /// (the answer does not tell whether it exists).
    pub(crate) async fn own_organisation(
        &self,
        actor: &Actor,
        id: Uuid,
    ) -> Result<(PortalUser, OrganisationRow), Error> {
        let user = self.portal_user(actor).await?;
        if !user.organisations.iter().any(|o| o.id == id) {
            return Err(Error::NotFound);
        }
        let row = msohub_store::organisations::find(self.store.conn(), id)
            .await?
            .filter(|o| o.deleted_at.is_none())
            .ok_or(Error::NotFound)?;
        Ok((user, row))
    }

    /// The same actor with staff rights, for applying a change staff
    /// accepted or a trusted organisation published: the audit log still
    /// names the representative.
    pub(crate) fn acting_for(&self, actor: &Actor) -> Actor {
        Actor {
            role: Role::Staff,
            ..actor.clone()
        }
    }
}

impl Services {
    /// Trusts an organisation (its representatives' changes publish at
    /// once) or not; in the audit log.
    pub async fn set_organisation_trusted(
        &self,
        actor: &Actor,
        id: Uuid,
        trusted: bool,
    ) -> Result<(), Error> {
        actor.require(Permission::WriteStaffArea)?;
        let tx = self.store.begin().await?;
        msohub_store::organisations::find(&tx, id)
            .await?
            .filter(|o| o.deleted_at.is_none())
            .ok_or(Error::NotFound)?;
        let before = msohub_store::organisations::is_trusted(&tx, id).await?;
        msohub_store::organisations::set_trusted(&tx, id, trusted).await?;
        crate::audit::record(
            &tx,
            actor,
            "organisation",
            id,
            "trusted",
            Some(serde_json::json!({ "trusted": before })),
            Some(serde_json::json!({ "trusted": trusted })),
        )
        .await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        Ok(())
    }

    /// Whether an organisation is trusted (staff).
    pub async fn organisation_trusted(&self, actor: &Actor, id: Uuid) -> Result<bool, Error> {
        actor.require(Permission::ReadStaffArea)?;
        Ok(msohub_store::organisations::is_trusted(self.store.conn(), id).await?)
    }
}
